#pragma once
// The officers' action log at the district: who did what, when — logins, actions on records,
// readings of identities, and the administrators' changes (kiosks enrolled, revoked and named;
// officers added, disabled, given a new password; records assigned). For administrators, newest
// first, in pages.
//
// It is: one table of its own (officer_actions) for logins and administrative changes, read
// together with what the district already keeps (its officers' events on records, identity_reads)
// so that nothing is written twice. It is not: the audit of identity readings alone
// (officers.h identityReads), nor the record's history (actions.h).
// Callers: the dashboard. Free functions on a DistrictStore: one store (connection) per thread.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

// What an entry says was done: "login", "kiosk.enroll", "kiosk.revoke", "kiosk.name",
// "officer.add", "officer.disable", "officer.reset-password", "record.assign"; read back beside
// "record.<action slug>" (an action on a record) and "identity.read".
Outcome logOfficerAction(DistrictStore& store, const std::string& officerId, const std::string& action,
                         const std::string& subject, const std::string& detail, int64_t nowMs);

struct OfficerLogEntry {
    int64_t atMs = 0;
    std::string officerId;
    std::string action;   // as above
    std::string subject;  // the record, kiosk or officer acted on; "" for a login or a search
    std::string detail;   // the note, name or role given; never a password, token or identity
};

struct OfficerLogPage {
    std::vector<OfficerLogEntry> entries;  // newest first
    int64_t total = 0;
};

// One page of the log (offset, at most `limit` entries), of one officer when officerId is not "".
Result<OfficerLogPage> officerLog(DistrictStore& store, const std::string& officerId, int64_t offset,
                                  int64_t limit);

}  // namespace kiosk::district
