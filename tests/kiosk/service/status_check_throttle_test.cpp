// The citizen's status check as a use case: failed checks are counted per code in the kiosk
// database, so the window and every `kioskctl status` call (a new process each) share one count,
// and a code guessed at too often is locked for a while, longer each time.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>

#include "kiosk/service/status_throttle.h"
#include "kiosk/service/store_controller.h"
#include "kiosk/store/kiosk_store.h"
#include "tests/support/store_fixture.h"
#include "tests/support/temp_dir.h"

using kiosk::app::StoreController;

namespace {

struct Kiosk {
    testing_support::TempDir dir;
    std::string path = dir.file("kiosk.db");
    std::unique_ptr<kiosk::store::KioskStore> store = testing_support::makeKioskStore(path);
    int64_t now = 1'750'000'000;

    // A fresh controller on a fresh connection, as each kioskctl call makes.
    std::unique_ptr<StoreController> controller() {
        auto c = std::make_unique<StoreController>(*store, kiosk::ComposerOptions{});
        c->setClock([this] { return now; });
        return c;
    }
    std::string petition() {
        auto created = store->createRecord(testing_support::petitionDraft(*store, "kien-nghi", "0912345678"),
                                           kiosk::Actor{kiosk::Role::Kiosk, ""}, now);
        REQUIRE(created.ok());
        return created->code;
    }
};

}  // namespace

TEST_CASE("service: a code checked with wrong phone digits 5 times is locked, then longer each time") {
    Kiosk k;
    const std::string code = k.petition();
    for (int i = 0; i < 5; ++i) {
        INFO("try " << i);
        auto check = k.controller()->checkStatus(code, "0000");  // each try a new process
        REQUIRE(check.ok());
        CHECK_FALSE(check->report.has_value());
        CHECK_FALSE(check->refused);
        CHECK(check->triesLeft == 4 - i);
        CHECK(check->lockedSeconds == (i == 4 ? 60 : 0));
    }
    // Locked: even the right digits are refused without a lookup.
    auto refused = k.controller()->checkStatus(code, "5678");
    REQUIRE(refused.ok());
    CHECK(refused->refused);
    CHECK_FALSE(refused->report.has_value());
    CHECK(refused->lockedSeconds == 60);
    k.now += 30;
    CHECK(k.controller()->checkStatus(code, "5678")->lockedSeconds == 30);

    // The lock runs out; 5 more failures lock it for twice as long.
    k.now += 31;
    for (int i = 0; i < 5; ++i) REQUIRE_FALSE(k.controller()->checkStatus(code, "1111")->refused);
    auto second = k.controller()->checkStatus(code, "5678");
    CHECK(second->refused);
    CHECK(second->lockedSeconds == 120);

    // After it, the right digits answer and the count starts again.
    k.now += 121;
    auto found = k.controller()->checkStatus(code, "5678");
    REQUIRE(found.ok());
    REQUIRE(found->report.has_value());
    CHECK(found->report->record.code == code);
    CHECK(found->triesLeft == 5);
    CHECK(k.controller()->checkStatus(code, "0000")->triesLeft == 4);
}

TEST_CASE("service: the lock belongs to the code, and an unknown code is counted like a known one") {
    Kiosk k;
    const std::string code = k.petition();
    const std::string other = k.petition();
    const std::string unknown = "0237499999999990";
    for (int i = 0; i < 5; ++i) REQUIRE(k.controller()->checkStatus(code, "0000").ok());
    CHECK(k.controller()->checkStatus(code, "5678")->refused);
    auto otherCheck = k.controller()->checkStatus(other, "5678");  // another citizen's code answers
    REQUIRE(otherCheck.ok());
    CHECK(otherCheck->report.has_value());
    for (int i = 0; i < 4; ++i) CHECK_FALSE(k.controller()->checkStatus(unknown, "5678")->refused);
    auto fifth = k.controller()->checkStatus(unknown, "5678");
    CHECK(fifth->lockedSeconds == 60);  // the same answer as for a code that exists
    CHECK(k.controller()->checkStatus(unknown, "5678")->refused);
}

TEST_CASE("service: the throttle keeps its counts in the meta table, and forgets a quiet day") {
    Kiosk k;
    const std::string code = k.petition();
    REQUIRE(k.controller()->checkStatus(code, "0000").ok());
    CHECK(kiosk::store::readMeta(k.store->database(), kiosk::app::StatusThrottle::kMetaKey).find(code) !=
          std::string::npos);
    k.now += 25 * 3600;
    CHECK(k.controller()->checkStatus(code, "0000")->triesLeft == 4);  // not 3: the old failure is gone
    REQUIRE(k.controller()->checkStatus(code, "5678")->report.has_value());
    CHECK(kiosk::store::readMeta(k.store->database(), kiosk::app::StatusThrottle::kMetaKey).find(code) ==
          std::string::npos);  // a successful check forgets the code
}

TEST_CASE("service: at most maxCodes codes are kept, the oldest failures going first") {
    Kiosk k;
    kiosk::app::ThrottleRules rules;
    rules.maxCodes = 3;
    kiosk::app::StatusThrottle throttle(k.store->database(), rules);
    for (int i = 0; i < 5; ++i) REQUIRE(throttle.failed("code" + std::to_string(i), k.now + i).ok());
    const std::string kept =
        kiosk::store::readMeta(k.store->database(), kiosk::app::StatusThrottle::kMetaKey);
    CHECK(kept.find("code0") == std::string::npos);
    CHECK(kept.find("code4") != std::string::npos);
    CHECK(throttle.state("code4", k.now + 5)->triesLeft == 4);
}

TEST_CASE("service: lock durations read as people say them") {
    CHECK(kiosk::app::lockDuration(60, kiosk::Lang::Vi) == "60 giây");
    CHECK(kiosk::app::lockDuration(1, kiosk::Lang::En) == "1 second");
    CHECK(kiosk::app::lockDuration(240, kiosk::Lang::En) == "4 minutes");
    CHECK(kiosk::app::lockDuration(24 * 3600, kiosk::Lang::Vi) == "24 giờ");
}
