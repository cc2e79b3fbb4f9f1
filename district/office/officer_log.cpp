// The officers' action log (officer_log.h). Portable SQL: `?` placeholders, standard SQL only.
#include "district/office/officer_log.h"

namespace kiosk::district {

namespace {

// Every entry as one row set: the log's own rows, the district officers' accepted events on records
// (received_at: the server's clock, in ms) and the readings of identities.
constexpr const char* kAllEntries =
    "SELECT at, officer_id, action, subject, detail FROM officer_actions "
    "UNION ALL SELECT received_at, actor_id, 'record.' || action, record, '' FROM events "
    "WHERE actor_role = 'district' AND kiosk = '' AND verdict = 'accepted' "
    "UNION ALL SELECT at, officer_id, 'identity.read', record_code, '' FROM identity_reads";

}  // namespace

Outcome logOfficerAction(DistrictStore& store, const std::string& officerId, const std::string& action,
                         const std::string& subject, const std::string& detail, int64_t nowMs) {
    auto st = store.database().prepare(
        "INSERT INTO officer_actions(at, officer_id, action, subject, detail) VALUES(?, ?, ?, ?, ?)");
    if (!st) return st.error();
    st->bind(1, nowMs).bind(2, officerId).bind(3, action).bind(4, subject).bind(5, detail);
    return st->run();
}

Result<OfficerLogPage> officerLog(DistrictStore& store, const std::string& officerId, int64_t offset,
                                  int64_t limit) {
    const std::string where = " WHERE ? = '' OR officer_id = ?";
    OfficerLogPage out;
    auto count = store.database().prepare("SELECT count(*) FROM (" + std::string(kAllEntries) +
                                          ") AS entries" + where);
    if (!count) return count.error();
    count->bind(1, officerId).bind(2, officerId);
    auto counted = count->step();
    if (!counted) return counted.error();
    out.total = *counted ? count->integer(0) : 0;
    auto st = store.database().prepare("SELECT at, officer_id, action, subject, detail FROM (" +
                                       std::string(kAllEntries) + ") AS entries" + where +
                                       " ORDER BY at DESC, officer_id, action, subject LIMIT ? OFFSET ?");
    if (!st) return st.error();
    st->bind(1, officerId).bind(2, officerId).bind(3, limit).bind(4, offset);
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.entries.push_back({st->integer(0), st->text(1), st->text(2), st->text(3), st->text(4)});
    }
    return out;
}

}  // namespace kiosk::district
