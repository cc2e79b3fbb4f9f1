#pragma once
// Citizens' satisfaction ratings as the district holds them: the kiosks send them in the push's
// "ratings" list (docs/sync-protocol.md), beside the events; the review report counts them
// (report.h). A rating names a record, a stage (receipt | finished), a value (core/rating.h) and
// the ticked criteria, never a person. One per record and stage: the first that arrives is kept,
// whichever kiosk of the commune took it.
// It is not: HTTP or the report. Free functions on a DistrictStore, on the push writer's thread
// inside its transaction.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "core/holdings.h"
#include "district/store/district_store.h"
#include "sync/protocol/messages.h"

namespace kiosk::district {

// Stores the pushed ratings of one kiosk. Returns the UUIDs the district holds now for this
// record and stage — stored now, or a rating held from before (this one resent, or another kiosk's
// first) — which the answer names so the kiosk stops sending them. A rating that cannot be read
// (unknown stage, value or criterion shape), or whose record is one the kiosk's commune does not
// hold, is dropped and named too: sending it again would change nothing. A record the district does
// not hold yet (its submit is in a later push) is not named: the kiosk sends it again later.
Result<std::vector<std::string>> storeKioskRatings(DistrictStore& store, const KioskIdentity& kiosk,
                                                   const std::vector<protocol::RatingReport>& ratings,
                                                   const CommuneHoldings& holdings, int64_t nowMs);

}  // namespace kiosk::district
