#include "district/office/intake.h"

#include <algorithm>

#include "core/private_part.h"
#include "core/receipt_code.h"
#include "core/state_machine.h"
#include "core/text.h"
#include "core/validation.h"
#include "common/meta.h"
#include "common/sealing.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/safe_json.h"
#include "district/office/actions.h"
#include "district/office/keys.h"
#include "district/office/officers.h"

namespace kiosk::district {

using store::Database;
using store::readMeta;
using store::Transaction;
using store::writeMeta;

std::string_view toSlug(IntakeChannel channel) {
    return channel == IntakeChannel::Post ? "post" : "in-person";
}

std::optional<IntakeChannel> intakeChannelFromSlug(std::string_view slug) {
    if (slug == "post") return IntakeChannel::Post;
    if (slug == "in-person") return IntakeChannel::InPerson;
    return std::nullopt;
}

namespace {

// The same hybrid clock as the district's actions (actions.cpp): meta "district_hlc".
constexpr const char* kHlcKey = "district_hlc";
// The last serial of the server's own receipt codes.
constexpr const char* kSerialKey = "intake_last_serial";

uint64_t metaUnsigned(Database& db, const char* key) {
    const auto value = store::readMetaInteger(db, key);
    return value && *value > 0 ? uint64_t(*value) : 0;
}

Outcome checkOfficer(DistrictStore& store, const std::string& officerId) {
    auto officer = findDistrictOfficer(store, officerId);
    if (!officer) return officer.error();
    if (!*officer)
        return makeError("officer.unknown", "Không có cán bộ “" + officerId + "”.",
                         "There is no officer \"" + officerId + "\".");
    if ((*officer)->disabled)
        return makeError("officer.disabled", "Tài khoản cán bộ “" + officerId + "” đã bị khoá.",
                         "The officer account \"" + officerId + "\" is disabled.");
    if (!mayActOnRecords((*officer)->role))
        return makeError(
            "officer.role",
            "Vai trò “" + std::string(displayName((*officer)->role)) + "” không được tiếp nhận đơn.",
            "The " + std::string(displayName((*officer)->role, true)) + " role may not register petitions.");
    return {};
}

// The petition's public fields and its private part, each field checked as a kiosk's form checks
// it, except that a letter may come without a phone number or a summary.
Result<PrivatePart> checkFields(const PaperIntake& in, const ReferenceData& reference, Record& record) {
    const auto kind = petitionKindFromSlug(in.kind);
    if (!kind)
        return makeError("intake.kind", "Loại đơn phải là khieu-nai, to-cao, kien-nghi hoặc phan-anh.",
                         "The kind must be khieu-nai, to-cao, kien-nghi or phan-anh.");
    record.kind = RecordKind::Petition;
    record.petitionKind = *kind;
    PrivatePart part;
    auto name = validateName(in.name, identityRequired(*kind));
    if (!name) return name.error();
    part.identity.name = *name;
    if (!in.cccd.empty()) {
        auto cccd = validateCccd(in.cccd, reference.cccdProvinces);
        if (!cccd) return cccd.error();
        part.identity.cccd = *cccd;
    }
    if (!in.phone.empty()) {
        auto phone = normalizePhone(in.phone, reference.mobilePrefixes);
        if (!phone) return phone.error();
        part.identity.phone = *phone;
    }
    auto address = validateAddress(in.address, false);
    if (!address) return address.error();
    part.identity.address = *address;
    if (!in.summary.empty()) {
        auto summary = validateContent(in.summary);
        if (!summary) return summary.error();
        part.content = *summary;
    }
    if (!in.commune.empty() && std::none_of(reference.communes.begin(), reference.communes.end(),
                                            [&](const Commune& c) { return c.code == in.commune; }))
        return makeError("intake.commune", "Không có xã mã “" + in.commune + "”.",
                         "There is no commune \"" + in.commune + "\".");
    return part;
}

// When the petition counts as handed in: now when it came today (a kiosk's rule: after office
// hours it counts the next working day), otherwise the opening of the office on the day given
// (that day if it was a working day, else the next one).
Result<int64_t> submittedAt(const Date& received, const OfficeHours& hours, int64_t nowMs) {
    const LocalDateTime now = localFromUnix(nowMs / 1000);
    if (received > now.date)
        return makeError("intake.date", "Ngày nhận đơn không được ở tương lai.",
                         "The date of receipt cannot be in the future.");
    if (received == now.date) return nowMs / 1000;
    return received.toDays() * 86400 + int64_t(hours.openMinute) * 60 - kVietnamUtcOffsetSeconds;
}

// The next code of the server's own series, skipping any already held.
Result<std::string> nextIntakeCode(Database& db, int64_t nowMs) {
    uint64_t serial = nextReceiptSerial(metaUnsigned(db, kSerialKey), nowMs / 1000);
    for (;; ++serial) {
        const std::string code = makeReceiptCode(kServerIntakeCommune, 0, serial);
        auto exists = db.prepare("SELECT 1 FROM records WHERE code = ?");
        if (!exists) return exists.error();
        exists->bind(1, code);
        auto row = exists->step();
        if (!row) return row.error();
        if (*row) continue;
        if (auto ok = writeMeta(db, kSerialKey, std::to_string(serial)); !ok) return ok.error();
        return code;
    }
}

Outcome insertRecord(Database& db, const Record& r, int64_t nowMs) {
    auto st = db.prepare(
        "INSERT INTO records(code, kind, petition_kind, commune, status, submitted_at, received_on, due, "
        "event_count, updated_at) VALUES(?,?,?,?,?,?,?,?,1,?)");
    if (!st) return st.error();
    st->bind(1, r.code)
        .bind(2, toSlug(r.kind))
        .bind(3, toSlug(r.petitionKind))
        .bind(4, r.commune)
        .bind(5, toSlug(r.status))
        .bind(6, r.submittedAt)
        .bind(7, r.receivedOn.iso())
        .bind(8, r.due.iso())
        .bind(9, nowMs);
    return st->run();
}

Outcome insertEventAndIntake(Database& db, const Event& event, const PaperIntake& in, int64_t nowMs) {
    if (auto ok = insertDistrictEvent(db, event, nowMs); !ok) return ok;
    auto intake = db.prepare(
        "INSERT INTO intakes(code, channel, officer_id, citizen_commune, received_on, created_at) "
        "VALUES(?,?,?,?,?,?)");
    if (!intake) return intake.error();
    intake->bind(1, event.recordCode)
        .bind(2, in.channel)
        .bind(3, in.officerId)
        .bind(4, in.commune)
        .bind(5, in.received.iso())
        .bind(6, nowMs);
    return intake->run();
}

}  // namespace

Result<IntakeResult> registerPaperIntake(DistrictStore& store, const PaperIntake& in,
                                         const ReferenceData& reference, const DeadlineRules& rules,
                                         int64_t nowMs) {
    if (!intakeChannelFromSlug(in.channel))
        return makeError("intake.channel",
                         "Cách nhận đơn phải là post (bưu chính) hoặc in-person (trực tiếp).",
                         "The channel must be post or in-person.");
    Record draft;
    auto part = checkFields(in, reference, draft);
    if (!part) return part.error();
    auto at = submittedAt(in.received, rules.hours, nowMs);
    if (!at) return at.error();
    // The seal is made before the transaction: the key file is read once, outside the writer lock.
    auto publicKey = ensureDistrictKey(store, "", nowMs);
    if (!publicKey) return publicKey.error();
    auto key = common::publicKeyFromBase64(*publicKey);
    if (!key)
        return makeError("keys.missing", "Khoá của máy chủ không đọc được.",
                         "The server's key is unreadable.");
    common::SecretString plain(privatePartToJson(*part));
    const std::string sealed = common::seal(plain.text(), *key);

    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    if (auto ok = checkOfficer(store, in.officerId); !ok) return ok.error();
    auto code = nextIntakeCode(db, nowMs);
    if (!code) return code.error();
    draft.code = *code;
    draft.commune = std::string(kServerIntakeCommune);
    draft.submittedAt = *at;

    Hlc hlc(metaUnsigned(db, kHlcKey));
    Event event;
    event.uuid = newUuid();
    event.recordCode = draft.code;
    event.recordKind = RecordKind::Petition;
    event.action = Action::Submit;
    event.actor = Actor{Role::DistrictOfficer, in.officerId};
    event.hlc = hlc.now(uint64_t(nowMs));
    event.at = nowMs / 1000;
    event.payload = publicPayload(draft);
    event.payload["channel"] = in.channel;
    event.payload["sealed"] = sealed;

    auto record = applyEvent(std::nullopt, event, rules);
    if (!record) return record.error();
    if (auto ok = insertRecord(db, *record, nowMs); !ok) return ok.error();
    if (auto ok = insertEventAndIntake(db, event, in, nowMs); !ok) return ok.error();
    protocol::Change change;
    change.type = protocol::ChangeType::Record;
    change.record = protocol::snapshotOf(*record);
    change.events.push_back(event);
    change.events.back().payload.erase("sealed");
    auto seq = store.appendChange(record->commune, change.type, protocol::encodeChangeBody(change), nowMs);
    if (!seq) return seq.error();
    if (auto ok = writeMeta(db, kHlcKey, std::to_string(hlc.last())); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return IntakeResult{std::move(*record), std::move(event)};
}

}  // namespace kiosk::district
