#pragma once
// Which district officer a record is given to (giao xử lý): an administrator or a leader assigns,
// the dashboard shows it and lists "my records" by it.
//
// It is: one row per assigned record (record_assignments), beside the record, never part of its
// events — an assignment is the district's way of sharing work, not a step of the legal procedure,
// so it does not travel to the kiosks. It is not: who may act on the record (every officer may,
// officers.h mayActOnRecords), nor the log (the dashboard writes "record.assign" to officer_log.h).
// Callers: the dashboard. One store (connection) per thread.
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

struct Assignment {
    std::string officerId;
    std::string assignedBy;
    int64_t atMs = 0;
};

// Gives the record to the officer (one who may act on records and is not disabled), or takes it
// back when officerId is "". Errors "record.unknown", "officer.unknown", "officer.role", "db.*".
Outcome assignRecord(DistrictStore& store, const std::string& recordCode, const std::string& officerId,
                     const std::string& assignedBy, int64_t nowMs);
Result<std::optional<Assignment>> assignmentOf(DistrictStore& store, const std::string& recordCode);

}  // namespace kiosk::district
