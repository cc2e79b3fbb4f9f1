#pragma once
// Citizens' satisfaction ratings taken at this kiosk (core/rating.h), and their way to the district.
//
// A rating names a record, a stage, a value and the ticked criteria — never who gave it (no phone,
// no name, no session). One per record and stage: a second is refused (rating.exists), kindly, so a
// citizen who taps twice or comes back is not counted twice. Like receptions (reception.h) ratings
// are not record events: they change no record and have no place in the state machine, so they
// travel beside the outbox in the push's "ratings" list (docs/sync-protocol.md). The sync engine
// marks sent only the ones the district's answer names in "ratings_stored"; a district that does
// not know ratings answers without it and they wait for one that does.
// Callers: the kiosk's StoreController (window), kioskctl rate, the sync engine. One KioskStore per
// thread.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "core/rating.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::store {

struct RatingInput {
    std::string code;  // receipt digits (check digit verified) or an official code of a record here
    RatingStage stage = RatingStage::Receipt;
    RatingValue value = RatingValue::Satisfied;
    std::vector<std::string> criteria;  // already checked against the criteria list
};

struct StoredRating {
    std::string uuid;
    std::string recordCode;  // receipt code
    RatingStage stage = RatingStage::Receipt;
    RatingValue value = RatingValue::Satisfied;
    std::vector<std::string> criteria;
    int64_t at = 0;     // unix seconds, this kiosk's clock
    bool sent = false;  // the district acknowledged it
};

// Stores one rating, unsent. Errors: "record.unknown", "rating.not-finished" (stage finished on a
// record not in a final status), "rating.exists" (this record and stage already rated), "db.*".
Result<StoredRating> addRating(KioskStore& store, const RatingInput& input, int64_t nowUnix);

// The reasons ticked after the value (the window stores the value on the first tap, so a citizen
// who walks away is still counted): set once on a rating that has none, which is then sent again
// (the district takes reasons for a rating it holds without any). Errors: "rating.unknown" (no
// rating of this record and stage), "rating.reasons-given", "db.*".
Outcome addRatingReasons(KioskStore& store, const std::string& code, RatingStage stage,
                         const std::vector<std::string>& criteria);

// The oldest ratings not yet acknowledged by the district, at most `limit`.
Result<std::vector<StoredRating>> unsentRatings(KioskStore& store, int limit = 200);
// After a push answer that named them in "ratings_stored". One transaction.
Outcome markRatingsSent(KioskStore& store, const std::vector<std::string>& uuids, int64_t nowUnix);
// Whether the record (receipt or official code) already has a rating at this stage (the screens
// offer none then).
Result<bool> hasRating(KioskStore& store, const std::string& code, RatingStage stage);

}  // namespace kiosk::store
