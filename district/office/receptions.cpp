#include "district/office/receptions.h"

#include <algorithm>

#include "core/event.h"
#include "core/records.h"
#include "core/text.h"
#include "district/office/actions.h"
#include "district/office/officers.h"

namespace kiosk::district {

using store::Database;
using store::Transaction;

namespace {

Outcome insertReception(Database& db, const Reception& r, int64_t nowMs) {
    auto st = db.prepare(
        "INSERT INTO receptions(uuid, level, commune, kiosk, officer_id, at, received_on, people, case_code, "
        "kind, outcome, note, created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, r.uuid)
        .bind(2, toSlug(r.level))
        .bind(3, r.commune)
        .bind(4, r.kioskId)
        .bind(5, r.officerId)
        .bind(6, r.at)
        .bind(7, r.receivedOn.iso())
        .bind(8, int64_t(r.people))
        .bindOptional(9, r.caseCode)
        .bind(10, r.kind)
        .bind(11, r.outcome)
        .bind(12, r.note)
        .bind(13, nowMs);
    return st->run();
}

}  // namespace

std::string_view toSlug(ReceptionLevel level) {
    return level == ReceptionLevel::District ? "district" : "commune";
}

Result<Reception> normalizeReception(Reception r) {
    if (!isUuid(r.uuid))
        return makeError("reception.uuid", "Mã lượt tiếp công dân không hợp lệ.", "Invalid reception id.");
    if (r.people < 1 || r.people > 1000)
        return makeError("reception.people", "Số người phải từ 1 đến 1000.",
                         "The number of people must be 1 to 1000.");
    if (!r.kind.empty() && !petitionKindFromSlug(r.kind))
        return makeError("reception.kind", "Loại vụ việc phải là khieu-nai, to-cao, kien-nghi hoặc phan-anh.",
                         "The kind must be khieu-nai, to-cao, kien-nghi or phan-anh.");
    if (r.caseCode.size() > 64 || r.officerId.empty() || r.officerId.size() > 64)
        return makeError("reception.case", "Mã vụ việc hoặc mã cán bộ không hợp lệ.",
                         "Invalid case code or officer id.");
    auto outcome = normalizeText(r.outcome, 200, false);
    if (!outcome) return outcome.error();
    auto note = normalizeText(r.note, 2000, true);
    if (!note) return note.error();
    auto caseCode = normalizeText(r.caseCode, 64, false);
    if (!caseCode) return caseCode.error();
    r.outcome = *outcome;
    r.note = *note;
    r.caseCode = *caseCode;
    return r;
}

Result<Reception> addDistrictReception(DistrictStore& store, const DistrictReceptionInput& input,
                                       const std::vector<std::string>& communeCodes, int64_t nowMs) {
    auto officer = findDistrictOfficer(store, input.officerId);
    if (!officer) return officer.error();
    if (!*officer || (*officer)->disabled)
        return makeError("officer.unknown",
                         "Không có cán bộ của máy chủ “" + input.officerId + "” đang hoạt động.",
                         "There is no active district officer \"" + input.officerId + "\".");
    if ((*officer)->role == OfficerRole::Admin)
        return makeError("officer.role", "Tài khoản quản trị không ghi nhận tiếp công dân.",
                         "An administrator account does not record receptions.");
    if (!input.commune.empty() &&
        std::find(communeCodes.begin(), communeCodes.end(), input.commune) == communeCodes.end())
        return makeError("reception.commune", "Không có xã mã “" + input.commune + "”.",
                         "There is no commune \"" + input.commune + "\".");
    Reception r;
    r.uuid = newUuid();
    r.level = ReceptionLevel::District;
    r.commune = input.commune;
    r.officerId = (*officer)->id;
    r.at = nowMs / 1000;
    const Date today = localFromUnix(r.at).date;
    r.receivedOn = input.date.value_or(today);
    if (r.receivedOn > today)
        return makeError("reception.date", "Ngày tiếp không được ở tương lai.",
                         "The reception date cannot be in the future.");
    r.people = input.people;
    r.kind = input.kind;
    r.outcome = input.outcome;
    r.note = input.note;
    if (!input.caseCode.empty() && input.caseCode != "new") {
        auto record = findRecordByAnyCode(store, input.caseCode);
        if (!record) return record.error();
        if (!*record)
            return makeError("record.unknown", "Không tìm thấy hồ sơ " + input.caseCode + " cho vụ việc cũ.",
                             "No record " + input.caseCode + " for the existing case.");
        r.caseCode = (*record)->code;
        if (r.kind.empty() && (*record)->kind == RecordKind::Petition)
            r.kind = std::string(toSlug((*record)->petitionKind));
        if (r.commune.empty()) r.commune = (*record)->commune;
    }
    auto normalized = normalizeReception(std::move(r));
    if (!normalized) return normalized.error();
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    if (auto ok = insertReception(db, *normalized, nowMs); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return normalized;
}

Result<ReceptionIngest> storeKioskReceptions(DistrictStore& store, const KioskIdentity& kiosk,
                                             const std::vector<Reception>& receptions, int64_t nowMs) {
    Database& db = store.database();
    ReceptionIngest out;
    for (const Reception& sent : receptions) {
        Reception r = sent;
        r.level = ReceptionLevel::Commune;
        r.commune = kiosk.commune;  // the token's commune, whatever the message says
        r.kioskId = kiosk.kioskId;
        r.receivedOn = localFromUnix(r.at).date;
        auto normalized = normalizeReception(std::move(r));
        if (!normalized) {
            ++out.refused;
            continue;
        }
        auto known = db.prepare("SELECT 1 FROM receptions WHERE uuid = ?");
        if (!known) return known.error();
        known->bind(1, normalized->uuid);
        auto row = known->step();
        if (!row) return row.error();
        if (*row) {
            ++out.duplicate;
            continue;
        }
        known->reset();
        if (auto ok = insertReception(db, *normalized, nowMs); !ok) return ok.error();
        ++out.stored;
    }
    return out;
}

Result<std::vector<Reception>> listReceptions(DistrictStore& store, const Date& from, const Date& to) {
    auto st = store.database().prepare(
        "SELECT uuid, level, commune, kiosk, officer_id, at, received_on, people, coalesce(case_code, ''), "
        "kind, outcome, note FROM receptions WHERE received_on BETWEEN ? AND ? ORDER BY received_on, at, "
        "uuid");
    if (!st) return st.error();
    st->bind(1, from.iso()).bind(2, to.iso());
    std::vector<Reception> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        Reception r;
        r.uuid = st->text(0);
        r.level = st->text(1) == "commune" ? ReceptionLevel::Commune : ReceptionLevel::District;
        r.commune = st->text(2);
        r.kioskId = st->text(3);
        r.officerId = st->text(4);
        r.at = st->integer(5);
        r.receivedOn = Date::parse(st->text(6)).value_or(Date{});
        r.people = int(st->integer(7));
        r.caseCode = st->text(8);
        r.kind = st->text(9);
        r.outcome = st->text(10);
        r.note = st->text(11);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace kiosk::district
