#include "kiosk/store/reception.h"

#include "core/event.h"
#include "core/receipt_code.h"
#include "core/records.h"
#include "core/text.h"
#include "kiosk/store/sync_store.h"

namespace kiosk::store {
namespace {

constexpr const char* kColumns =
    "uuid, officer_id, at, people, coalesce(case_code, ''), kind, outcome, note, sent_at IS NOT NULL";

StoredReception fromRow(const Statement& st) {
    StoredReception r;
    r.uuid = st.text(0);
    r.officerId = st.text(1);
    r.at = st.integer(2);
    r.people = int(st.integer(3));
    r.caseCode = st.text(4);
    r.kind = st.text(5);
    r.outcome = st.text(6);
    r.note = st.text(7);
    r.sent = st.integer(8) != 0;
    return r;
}

Result<std::vector<StoredReception>> query(Database& db, const std::string& sql, int limit) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    st->bind(1, int64_t(limit));
    std::vector<StoredReception> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(fromRow(*st));
    }
    return out;
}

}  // namespace

Result<StoredReception> addReception(KioskStore& store, const ReceptionInput& input, int64_t nowUnix) {
    if (input.people < 1 || input.people > 1000)
        return makeError("reception.people", "Số người phải từ 1 đến 1000.",
                         "The number of people must be 1 to 1000.");
    if (!input.kind.empty() && !petitionKindFromSlug(input.kind))
        return makeError("reception.kind", "Loại vụ việc phải là khieu-nai, to-cao, kien-nghi hoặc phan-anh.",
                         "The kind must be khieu-nai, to-cao, kien-nghi or phan-anh.");
    auto outcome = normalizeText(input.outcome, 200, false);
    if (!outcome) return outcome.error();
    auto note = normalizeText(input.note, 2000, true);
    if (!note) return note.error();

    StoredReception r;
    r.uuid = newUuid();
    r.officerId = input.officerId;
    r.at = nowUnix;
    r.people = input.people;
    r.kind = input.kind;
    r.outcome = *outcome;
    r.note = *note;
    if (!input.caseCode.empty()) {
        std::string code = input.caseCode;
        if (!looksLikeOfficialCode(code)) {
            auto parsed = parseReceiptCode(code);
            if (!parsed) return parsed.error();
            code = parsed->digits;
        }
        auto found = store.find(code);
        if (!found) return found.error();
        if (!*found)
            return makeError("record.unknown", "Không tìm thấy hồ sơ " + input.caseCode + " cho vụ việc cũ.",
                             "No record " + input.caseCode + " for the existing case.");
        r.caseCode = (*found)->code;
        if (r.kind.empty() && (*found)->kind == RecordKind::Petition)
            r.kind = std::string(toSlug((*found)->petitionKind));
    }

    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    auto st = db.prepare(
        "INSERT INTO receptions(uuid, officer_id, at, people, case_code, note, kind, outcome) "
        "VALUES(?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, r.uuid)
        .bind(2, r.officerId)
        .bind(3, r.at)
        .bind(4, int64_t(r.people))
        .bindOptional(5, r.caseCode)
        .bind(6, r.note)
        .bind(7, r.kind)
        .bind(8, r.outcome);
    if (auto ok = st->run(); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return r;
}

Result<std::vector<StoredReception>> unsentReceptions(KioskStore& store, int limit) {
    return query(store.database(),
                 std::string("SELECT ") + kColumns +
                     " FROM receptions WHERE sent_at IS NULL ORDER BY at, rowid LIMIT ?",
                 limit);
}

Outcome markReceptionsSent(KioskStore& store, const std::vector<std::string>& uuids, int64_t nowUnix) {
    return markSentByUuid(store, "receptions", uuids, nowUnix);
}

Result<std::vector<StoredReception>> listReceptions(KioskStore& store, int limit) {
    return query(store.database(),
                 std::string("SELECT ") + kColumns + " FROM receptions ORDER BY at DESC, rowid DESC LIMIT ?",
                 limit);
}

}  // namespace kiosk::store
