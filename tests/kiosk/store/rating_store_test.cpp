// Satisfaction ratings in the kiosk's SQLite (kiosk/store/rating.h): one per record and stage, a
// finished-stage rating only of a finished record, reasons added once, and the unsent list the sync
// engine reads.
#include <catch2/catch.hpp>

#include "kiosk/store/rating.h"
#include "tests/support/store_fixture.h"

using namespace kiosk;
using namespace testing_support;

namespace {
constexpr int64_t kMorning = 1767751200;  // Wednesday 2026-01-07 09:00 +07:00
}

TEST_CASE("kiosk/store: one rating per record and stage, refused kindly the second time") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    auto record = store->createRecord(petitionDraft(*store, "kien-nghi"), Actor{Role::Kiosk, ""}, kMorning);
    REQUIRE(record);
    store::RatingInput input{record->code, RatingStage::Receipt, RatingValue::VerySatisfied, {}};
    auto first = store::addRating(*store, input, kMorning + 5);
    REQUIRE(first);
    CHECK(first->recordCode == record->code);
    CHECK(store::hasRating(*store, record->code, RatingStage::Receipt).value());
    CHECK_FALSE(store::hasRating(*store, record->code, RatingStage::Finished).value());

    input.value = RatingValue::Unsatisfied;
    auto second = store::addRating(*store, input, kMorning + 9);
    REQUIRE_FALSE(second);
    CHECK(second.error().code == "rating.exists");
    CHECK(second.error().vi.find("Cảm ơn") == 0);

    // Finished stage: only once the record is final.
    input.stage = RatingStage::Finished;
    auto early = store::addRating(*store, input, kMorning + 10);
    REQUIRE_FALSE(early);
    CHECK(early.error().code == "rating.not-finished");

    input.code = "0237401000000000";
    auto unknown = store::addRating(*store, input, kMorning + 10);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "record.unknown");
}

TEST_CASE("kiosk/store: reasons are added once and send the rating again") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    auto record = store->createRecord(petitionDraft(*store, "phan-anh"), Actor{Role::Kiosk, ""}, kMorning);
    REQUIRE(record);
    REQUIRE(
        store::addRating(*store, {record->code, RatingStage::Receipt, RatingValue::Satisfied, {}}, kMorning));
    auto unsent = store::unsentRatings(*store);
    REQUIRE(unsent);
    REQUIRE(unsent->size() == 1);
    CHECK(unsent->front().criteria.empty());
    REQUIRE(store::markRatingsSent(*store, {unsent->front().uuid}, kMorning + 1));
    CHECK(store::unsentRatings(*store)->empty());

    REQUIRE(store::addRatingReasons(*store, record->code, RatingStage::Receipt, {"thai-do", "cong-khai"}));
    unsent = store::unsentRatings(*store);
    REQUIRE(unsent->size() == 1);
    CHECK(unsent->front().criteria == std::vector<std::string>{"thai-do", "cong-khai"});
    CHECK(unsent->front().value == RatingValue::Satisfied);

    auto again = store::addRatingReasons(*store, record->code, RatingStage::Receipt, {"huong-dan"});
    REQUIRE_FALSE(again);
    CHECK(again.error().code == "rating.reasons-given");
    auto none = store::addRatingReasons(*store, record->code, RatingStage::Finished, {"huong-dan"});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == "rating.unknown");
}
