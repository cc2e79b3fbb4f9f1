// Records given to district officers (assignments.h). Portable SQL: `?` placeholders, ON CONFLICT.
#include "district/office/assignments.h"

#include "district/office/officers.h"

namespace kiosk::district {

Outcome assignRecord(DistrictStore& store, const std::string& recordCode, const std::string& officerId,
                     const std::string& assignedBy, int64_t nowMs) {
    auto record = store.database().prepare("SELECT 1 FROM records WHERE code = ?");
    if (!record) return record.error();
    record->bind(1, recordCode);
    auto found = record->step();
    if (!found) return found.error();
    if (!*found)
        return makeError("record.unknown", "Không tìm thấy hồ sơ " + recordCode + ".",
                         "No record " + recordCode + ".");
    if (officerId.empty()) {
        auto st = store.database().prepare("DELETE FROM record_assignments WHERE record_code = ?");
        if (!st) return st.error();
        st->bind(1, recordCode);
        return st->run();
    }
    auto officer = findDistrictOfficer(store, officerId);
    if (!officer) return officer.error();
    if (!*officer || (*officer)->disabled)
        return makeError("officer.unknown", "Không có cán bộ " + officerId + " đang làm việc.",
                         "There is no active officer " + officerId + ".");
    if (!mayActOnRecords((*officer)->role))
        return makeError("officer.role", "Chỉ giao hồ sơ cho cán bộ xử lý hoặc thanh tra.",
                         "A record is given only to an officer or an inspector.");
    auto st = store.database().prepare(
        "INSERT INTO record_assignments(record_code, officer_id, assigned_by, at) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(record_code) DO UPDATE SET officer_id = excluded.officer_id, "
        "assigned_by = excluded.assigned_by, at = excluded.at");
    if (!st) return st.error();
    st->bind(1, recordCode).bind(2, officerId).bind(3, assignedBy).bind(4, nowMs);
    return st->run();
}

Result<std::optional<Assignment>> assignmentOf(DistrictStore& store, const std::string& recordCode) {
    auto st = store.database().prepare(
        "SELECT officer_id, assigned_by, at FROM record_assignments WHERE record_code = ?");
    if (!st) return st.error();
    st->bind(1, recordCode);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Assignment>();
    return std::optional<Assignment>(Assignment{st->text(0), st->text(1), st->integer(2)});
}

}  // namespace kiosk::district
