#pragma once
// District officers' actions on records (`district-server act`, the dashboard's record page).
//
// It is: one action by one district officer as one event of the district's own — a fresh UUID,
// Role::DistrictOfficer, a hybrid-clock stamp that orders after every event the district holds for
// the record — judged by the core state machine (kiosk::applyEvent) exactly as a kiosk's event is,
// then written in ONE transaction: the event, the record's row, and a "record" change in the change
// feed for the record's commune, so the commune's kiosk receives the decision on its next pull
// (docs/sync-rules.md; the kiosk's pull-apply is kiosk/store/sync_store.cpp). Assigning the official dossier
// code (<agency>-YYMMDD-XXXX, Thông tư 01/2018/TT-VPCP Điều 19) is such an action; the code must
// have the right shape and belong to no other record.
// It is not: who may log in (district_officers.h) or HTTP. Free functions on a DistrictStore (one
// per thread); safe beside a running server, whose writer thread uses another connection (SQLite
// serialises the writes).
#include <cstdint>
#include <string>
#include <vector>

#include "core/deadlines.h"
#include "core/event.h"
#include "core/records.h"
#include "common/database.h"
#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

struct DistrictAction {
    std::string code;       // receipt code (spaces allowed) or official code
    std::string officerId;  // a district officer whose role may act (mayActOnRecords)
    Action action = Action::Accept;
    std::string note;          // required for reject, request-info, extend (the state machine says)
    std::string officialCode;  // assign-code only
    std::string complexity;    // extend on a tố cáo: "complex" | "especially-complex" | "" (as before)
    std::string agency;        // transfer only: an agencies.tsv slug in force today (required)
};

struct DistrictActionResult {
    Record record;          // after the action
    Event event;            // as stored and sent to the kiosk
    int64_t changeSeq = 0;  // the change feed entry that carries it
};

// Errors, all leaving nothing changed: "officer.unknown" / "officer.disabled" / "officer.role",
// "record.unknown", "action.official-code" (shape, or already used by another record),
// "action.agency-required" / "action.agency-unknown" (a transfer's agency, listing the choices),
// "action.note" (text), the state machine's "transition.*" and "action.*", "db.*".
Result<DistrictActionResult> actAsDistrict(DistrictStore& store, const DistrictAction& action,
                                           const DeadlineRules& rules, int64_t nowMs);

// Stores an event the district itself made (an action, a paper intake), accepted as it stands, inside
// the caller's transaction.
Outcome insertDistrictEvent(store::Database& db, const Event& event, int64_t nowMs);

// The record a receipt code (any spacing) or official code names, or nullopt.
Result<std::optional<Record>> findRecordByAnyCode(DistrictStore& store, const std::string& code);

// One line of a record's history at the district (accepted events only), oldest first.
struct DistrictHistoryEntry {
    std::string uuid;
    Action action = Action::Submit;
    Actor actor;
    int64_t at = 0;  // unix seconds, the actor's clock
    uint64_t hlc = 0;
    std::string note;
    std::string kioskId;  // "" for the district's own
};
Result<std::vector<DistrictHistoryEntry>> districtHistory(DistrictStore& store, const std::string& code);

}  // namespace kiosk::district
