// The retry policy's arithmetic: full jitter under a doubling ceiling capped at 5 minutes,
// Retry-After as the floor, and batches that shrink after failures and grow back.
#include <catch2/catch.hpp>

#include "sync/client/backoff.h"

using kiosk::client::Backoff;
using kiosk::client::BatchSizer;
using namespace std::chrono_literals;

TEST_CASE("client backoff: full jitter under a doubling ceiling, capped at five minutes") {
    Backoff backoff(1000ms, 300000ms, 42);
    std::vector<int64_t> ceilings;
    for (int i = 0; i < 14; ++i) {
        const auto ceiling = backoff.currentCeiling();
        ceilings.push_back(ceiling.count());
        const auto delay = backoff.nextDelay();
        CHECK(delay.count() >= 0);
        CHECK(delay <= ceiling);
    }
    CHECK(ceilings[0] == 1000);
    CHECK(ceilings[1] == 2000);
    CHECK(ceilings[5] == 32000);
    CHECK(ceilings.back() == 300000);
    CHECK(backoff.failures() == 14);
    backoff.reset();
    CHECK(backoff.currentCeiling() == 1000ms);

    // Full jitter really spreads: many draws at the cap are not all the same and cover the range.
    Backoff capped(300000ms, 300000ms, 7);
    int64_t low = INT64_MAX, high = 0;
    for (int i = 0; i < 500; ++i) {
        const int64_t d = capped.nextDelay().count();
        low = std::min(low, d);
        high = std::max(high, d);
    }
    CHECK(low < 30000);
    CHECK(high > 270000);
}

TEST_CASE("client backoff: Retry-After is a floor, and an absurd one is bounded") {
    Backoff backoff(1000ms, 300000ms, 1);
    for (int i = 0; i < 20; ++i) CHECK(backoff.nextDelay(5000ms) >= 5000ms);
    CHECK(backoff.nextDelay(std::chrono::hours(48)) <= Backoff::kRetryAfterCeiling);
    // Many failures in: the jitter may exceed the floor, never the cap.
    for (int i = 0; i < 50; ++i) CHECK(backoff.nextDelay(1000ms) <= 300000ms);
}

TEST_CASE("client backoff: batches halve after failures down to a floor and grow back") {
    BatchSizer sizer(5, 500);
    CHECK(sizer.size() == 500);
    sizer.failed();
    CHECK(sizer.size() == 250);
    for (int i = 0; i < 20; ++i) sizer.failed();
    CHECK(sizer.size() == 5);
    sizer.succeeded();
    CHECK(sizer.size() == 10);
    for (int i = 0; i < 20; ++i) sizer.succeeded();
    CHECK(sizer.size() == 500);
}
