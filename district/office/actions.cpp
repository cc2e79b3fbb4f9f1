#include "district/office/actions.h"

#include <algorithm>

#include "core/receipt_code.h"
#include "core/state_machine.h"
#include "core/text.h"
#include "common/meta.h"
#include "sync/protocol/safe_json.h"
#include "district/office/officers.h"

namespace kiosk::district {

using store::Database;
using store::readMeta;
using store::Transaction;
using store::writeMeta;

namespace {

// The district's hybrid clock lives in meta, so `district-server act` runs and the dashboard (each
// with its own connection) share it: read and written inside the action's write transaction.
constexpr const char* kHlcKey = "district_hlc";

uint64_t toUnsigned(const std::string& text) {
    uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return 0;
        value = value * 10 + uint64_t(c - '0');
    }
    return value;
}

// What an officer may type as a code: the receipt code with spaces or dashes, or an official code.
std::string canonicalCode(const std::string& typed) {
    if (looksLikeOfficialCode(typed)) return typed;
    if (auto parsed = parseReceiptCode(typed)) return parsed->digits;
    return typed;
}

}  // namespace

Result<std::optional<Record>> findRecordByAnyCode(DistrictStore& store, const std::string& typed) {
    const std::string code = canonicalCode(typed);
    std::string key;
    {
        auto st = store.database().prepare(
            "SELECT code FROM records WHERE code = ?1 UNION ALL "
            "SELECT code FROM records WHERE official_code = ?1 LIMIT 1");
        if (!st) return st.error();
        st->bind(1, code);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) return std::optional<Record>();
        key = st->text(0);
    }
    return store.record(key);
}

Result<std::vector<DistrictHistoryEntry>> districtHistory(DistrictStore& store, const std::string& code) {
    auto st = store.database().prepare(
        "SELECT uuid, action, actor_role, actor_id, at, hlc, payload, kiosk FROM events "
        "WHERE record = ? AND verdict = 'accepted' ORDER BY hlc, uuid");
    if (!st) return st.error();
    st->bind(1, code);
    std::vector<DistrictHistoryEntry> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        DistrictHistoryEntry h;
        h.uuid = st->text(0);
        h.action = actionFromSlug(st->text(1)).value_or(Action::Submit);
        h.actor = Actor{roleFromSlug(st->text(2)).value_or(Role::Kiosk), st->text(3)};
        h.at = st->integer(4);
        h.hlc = uint64_t(st->integer(5));
        auto payload = nlohmann::json::parse(st->text(6), nullptr, false);
        if (payload.is_object()) {
            auto note = payload.find("note");
            if (note != payload.end() && note->is_string()) h.note = note->get<std::string>();
        }
        h.kioskId = st->text(7);
        out.push_back(std::move(h));
    }
    return out;
}

namespace {

// An official code comes with assign-code, and only with it, in its shape.
Outcome checkOfficialCode(const DistrictAction& request) {
    if (request.action == Action::AssignCode && !looksLikeOfficialCode(request.officialCode))
        return makeError("action.official-code",
                         "Mã hồ sơ chính thức phải có dạng <mã cơ quan>-YYMMDD-XXXX, ví dụ "
                         "H58.22-250312-0007.",
                         "An official dossier code looks like <agency>-YYMMDD-XXXX, e.g. "
                         "H58.22-250312-0007.");
    if (request.action != Action::AssignCode && !request.officialCode.empty())
        return makeError("action.official-code", "--official-code chỉ dùng với assign-code.",
                         "--official-code goes with assign-code only.");
    return {};
}

// The officer who acts: known, enabled, and of a role that may act on records.
Result<DistrictOfficer> actingOfficer(DistrictStore& store, const std::string& officerId) {
    auto officer = findDistrictOfficer(store, officerId);
    if (!officer) return officer.error();
    if (!*officer)
        return makeError("officer.unknown", "Không có cán bộ của máy chủ “" + officerId + "”.",
                         "There is no district officer \"" + officerId + "\".");
    if ((*officer)->disabled)
        return makeError("officer.disabled", "Tài khoản cán bộ “" + officerId + "” đã bị khoá.",
                         "The officer account \"" + officerId + "\" is disabled.");
    if (!mayActOnRecords((*officer)->role))
        return makeError("officer.role",
                         "Vai trò “" + std::string(displayName((*officer)->role)) +
                             "” không được xử lý hồ sơ (chỉ cán bộ và thanh tra).",
                         "The " + std::string(displayName((*officer)->role, true)) +
                             " role may not act on records (officers and inspectors only).");
    return std::move(**officer);
}

// An official code is given to one record only.
Outcome checkOfficialCodeFree(Database& db, const std::string& officialCode, const std::string& recordCode) {
    auto taken = db.prepare("SELECT code FROM records WHERE official_code = ? AND code <> ?");
    if (!taken) return taken.error();
    taken->bind(1, officialCode).bind(2, recordCode);
    auto row = taken->step();
    if (!row) return row.error();
    if (*row)
        return makeError("action.official-code",
                         "Mã " + officialCode + " đã cấp cho hồ sơ " + taken->text(0) + ".",
                         "The code " + officialCode + " is already given to record " + taken->text(0) + ".");
    return {};
}

// The stamp orders after every event the district holds for the record, whatever the clocks of
// the kiosks that made them said: the kiosk folds a record's events in stamp order.
Result<Hlc> districtClock(Database& db, const std::string& recordCode, int64_t nowMs) {
    Hlc hlc(toUnsigned(readMeta(db, kHlcKey)));
    auto st = db.prepare("SELECT coalesce(max(hlc), 0) FROM events WHERE record = ?");
    if (!st) return st.error();
    st->bind(1, recordCode);
    if (auto row = st->step(); !row) return row.error();
    const uint64_t newest = uint64_t(st->integer(0));
    if (newest > 0) hlc.observe(newest, uint64_t(nowMs));
    return hlc;
}

// The record as the action left it, and the action's event.
Outcome saveAction(Database& db, const Record& after, const Event& event, int64_t nowMs) {
    {
        auto st = db.prepare(
            "UPDATE records SET official_code = ?, status = ?, due = ?, complex = ?, extensions = ?, "
            "result_note = ?, event_count = event_count + 1, updated_at = ?, accepted_on = ?, "
            "transfer_agency = ?, suspended_on = ?, withdrawn_parts = ? WHERE code = ?");
        if (!st) return st.error();
        st->bindOptional(1, after.officialCode)
            .bind(2, toSlug(after.status))
            .bind(3, dueText(after))
            .bind(4, int64_t(complexColumn(after)))
            .bind(5, after.extensions)
            .bind(6, after.resultNote)
            .bind(7, nowMs)
            .bind(8, acceptedOnText(after))
            .bind(9, after.transferAgency)
            .bind(10, suspendedOnText(after))
            .bind(11, after.withdrawnParts)
            .bind(12, after.code);
        if (auto ok = st->run(); !ok) return ok.error();
    }
    return insertDistrictEvent(db, event, nowMs);
}

}  // namespace

Outcome insertDistrictEvent(Database& db, const Event& event, int64_t nowMs) {
    auto st = db.prepare(
        "INSERT INTO events(uuid, kiosk, seq, record, action, actor_role, actor_id, hlc, at, payload, "
        "received_at, verdict) VALUES(?, '', NULL, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted')");
    if (!st) return st.error();
    st->bind(1, event.uuid)
        .bind(2, event.recordCode)
        .bind(3, toSlug(event.action))
        .bind(4, toSlug(event.actor.role))
        .bind(5, event.actor.id)
        .bind(6, event.hlc)
        .bind(7, event.at)
        .bind(8, protocol::dumpJson(event.payload))
        .bind(9, nowMs);
    return st->run();
}

Result<DistrictActionResult> actAsDistrict(DistrictStore& store, const DistrictAction& request,
                                           const DeadlineRules& rules, int64_t nowMs) {
    if (request.action == Action::Submit || request.action == Action::Register)
        return makeError("action.unknown", "Cấp trên không tạo hồ sơ bằng thao tác này.",
                         "The district does not create records with this command.");
    auto note = normalizeText(request.note, 2000, true);
    if (!note) return makeError("action.note", note.error().vi, note.error().en);
    if (auto ok = checkOfficialCode(request); !ok) return ok.error();

    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();

    auto officer = actingOfficer(store, request.officerId);
    if (!officer) return officer.error();
    auto current = findRecordByAnyCode(store, request.code);
    if (!current) return current.error();
    if (!*current)
        return makeError("record.unknown", "Không tìm thấy hồ sơ " + request.code + ".",
                         "No record " + request.code + ".");
    const Record before = **current;
    if (request.action == Action::AssignCode) {
        if (auto ok = checkOfficialCodeFree(db, request.officialCode, before.code); !ok) return ok.error();
    }

    auto hlc = districtClock(db, before.code, nowMs);
    if (!hlc) return hlc.error();
    Event event;
    event.uuid = newUuid();
    event.recordCode = before.code;
    event.recordKind = before.kind;
    event.action = request.action;
    event.actor = Actor{Role::DistrictOfficer, officer->id};
    event.hlc = hlc->now(uint64_t(nowMs));
    event.at = nowMs / 1000;
    event.payload = nlohmann::json::object();
    if (!note->empty()) event.payload["note"] = *note;
    if (request.action == Action::AssignCode) event.payload["official_code"] = request.officialCode;
    // The state machine checks the class (action.complexity) and how many extensions it allows.
    if (!request.complexity.empty()) event.payload["complexity"] = request.complexity;
    if (request.action == Action::Transfer) {
        if (auto ok = checkTransferAgency(rules.agencies, request.agency, localFromUnix(event.at).date); !ok)
            return ok.error();
        event.payload["agency"] = request.agency;
    }

    auto after = applyEvent(before, event, rules);
    if (!after) return after.error();
    if (auto ok = saveAction(db, *after, event, nowMs); !ok) return ok.error();
    protocol::Change change;
    change.type = protocol::ChangeType::Record;
    change.record = protocol::snapshotOf(*after);
    change.events.push_back(event);
    auto changeSeq =
        store.appendChange(after->commune, change.type, protocol::encodeChangeBody(change), nowMs);
    if (!changeSeq) return changeSeq.error();
    if (auto ok = writeMeta(db, kHlcKey, std::to_string(hlc->last())); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return DistrictActionResult{*after, event, *changeSeq};
}

}  // namespace kiosk::district
