// A citizen checks a record on the status screen: receipt code and last 4 phone digits on the pad,
// a mistyped code caught by its check digit, the cool-down after 5 failed lookups.
#include <catch2/catch.hpp>

#include <ctime>

#include "kiosk/store/kiosk_store.h"
#include "tests/support/store_fixture.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

std::string storePetition(UiHarness& h, const std::string& kind, const std::string& phone) {
    auto created = h.store().createRecord(testing_support::petitionDraft(h.store(), kind, phone),
                                          kiosk::Actor{kiosk::Role::Kiosk, ""}, int64_t(std::time(nullptr)));
    REQUIRE(created.ok());
    return created->code;
}

void enter(UiHarness& h, const std::string& code, const std::string& last4) {
    h.tap("status.code");
    h.tap("pad.clear");
    h.typeDigits(code);
    h.tap("pad.done");  // on to the phone digits
    h.tap("status.last4");
    h.tap("pad.clear");
    h.typeDigits(last4);
    h.tap("status.submit");
}

std::string withWrongDigit(std::string code) {
    code[7] = code[7] == '9' ? '0' : char(code[7] + 1);
    return code;
}

}  // namespace

TEST_CASE("the status check finds a record by receipt code and the last 4 phone digits") {
    UiHarness h;
    const std::string code = storePetition(h, "kien-nghi", "0912345678");
    REQUIRE(kiosk::store::writeMeta(h.store().database(), "last_sync_at", "1750000000").ok());
    h.tap("home.check");
    REQUIRE(h.screen() == ScreenId::Status);
    REQUIRE(h.has("pad.5"));  // the code is typed on the numeric pad
    enter(h, code, "5678");
    auto& status = h.ui().statusScreen();
    REQUIRE(status.showingResult());
    const auto& report = *status.report();
    CHECK(report.record.code == code);
    CHECK(report.record.status == kiosk::RecordStatus::Received);
    CHECK(report.record.identity.name.empty());
    CHECK(report.record.identity.phone.empty());
    REQUIRE(report.history.size() == 1);
    CHECK(report.history[0].action == kiosk::Action::Submit);
    CHECK(report.syncedAt == 1750000000);  // "Thông tin tính đến ..."
    CHECK_FALSE(report.overdue);
    // What was typed is gone once the answer is shown.
    CHECK(status.codeField().empty());
    CHECK(status.last4Field().empty());
    h.tap("status.again");
    CHECK_FALSE(status.showingResult());
    h.tap("top.back");
    CHECK(h.screen() == ScreenId::Home);
    CHECK(testing_support::uiStrings().missingKeys().empty());
}

TEST_CASE("a mistyped receipt code is caught by its check digit before any lookup") {
    UiHarness h;
    const std::string code = storePetition(h, "phan-anh", "0912345678");
    h.tap("home.check");
    enter(h, withWrongDigit(code), "5678");
    auto& status = h.ui().statusScreen();
    CHECK_FALSE(status.showingResult());
    REQUIRE(status.error().has_value());
    CHECK(status.error()->code == "receipt.check");
    CHECK(h.ui().throttle().failures == 0);  // not a failed lookup
    enter(h, code.substr(0, 12), "5678");
    REQUIRE(status.error().has_value());
    CHECK(status.error()->code == "receipt.length");
}

TEST_CASE("after 5 failed lookups the status check cools down for 60 seconds") {
    UiHarness h;
    const std::string code = storePetition(h, "phan-anh", "0912345678");
    h.tap("home.check");
    auto& status = h.ui().statusScreen();
    for (int i = 0; i < 5; ++i) {
        INFO("try " << i);
        REQUIRE(h.enabled("status.submit"));
        enter(h, code, "0000");  // the wrong phone: the same answer as an unknown code
        CHECK_FALSE(status.showingResult());
        REQUIRE(status.error().has_value());
        CHECK(status.error()->code == "check.not_found");
    }
    h.frame();
    CHECK_FALSE(h.enabled("status.submit"));
    CHECK(status.wakeIn(h.now()) <= 1.0);  // the countdown needs a frame every second
    // Walking away and coming back: the next citizen is not shown the lock, but the code stays
    // locked whoever types it.
    h.tap("top.back");
    h.tap("home.check");
    CHECK(h.enabled("status.submit"));
    enter(h, code, "5678");
    CHECK_FALSE(status.showingResult());
    h.frame();
    CHECK_FALSE(h.enabled("status.submit"));
    h.advance(61);
    h.frame();
    CHECK(h.enabled("status.submit"));
    enter(h, code, "5678");
    CHECK(status.showingResult());
}

TEST_CASE("the status check switches to the letter keyboard for an official dossier code") {
    UiHarness h;
    h.tap("home.check");
    h.tap("status.mode");
    REQUIRE(h.has("kb.q"));
    h.typeKeys("h08");
    CHECK(h.ui().statusScreen().codeField().text() == "H08");  // official codes are upper case
    h.tap("status.mode");
    CHECK(h.has("pad.1"));
}

TEST_CASE("a code locked by checks elsewhere (kioskctl status) is refused on the screen too") {
    UiHarness h;
    const std::string code = storePetition(h, "kien-nghi", "0912345678");
    {
        // Another process's checks, on its own controller: the counts are in the kiosk database.
        kiosk::app::StoreController elsewhere(h.store(), kiosk::ComposerOptions{});
        elsewhere.setClock([&h] { return h.controller().nowUnix(); });
        for (int i = 0; i < 5; ++i) REQUIRE_FALSE(elsewhere.checkStatus(code, "0000")->report.has_value());
    }
    h.tap("home.check");
    enter(h, code, "5678");  // the right digits, but the code is locked
    auto& status = h.ui().statusScreen();
    CHECK_FALSE(status.showingResult());
    h.frame();
    CHECK_FALSE(h.enabled("status.submit"));  // the countdown shows
    h.advance(61);
    h.frame();
    enter(h, code, "5678");
    CHECK(status.showingResult());
}

TEST_CASE("the status check's lockout belongs to its code and is never shown to the next citizen") {
    UiHarness h;
    const std::string locked = storePetition(h, "phan-anh", "0912345678");
    const std::string other = storePetition(h, "khieu-nai", "0987654321");
    h.tap("home.check");
    auto& status = h.ui().statusScreen();
    for (int i = 0; i < 5; ++i) enter(h, locked, "0000");
    h.frame();
    REQUIRE_FALSE(h.enabled("status.submit"));
    // Another code may be checked at once: the countdown was about the locked one.
    h.tap("status.code");
    h.tap("pad.clear");
    h.typeDigits(other);
    h.frame();
    CHECK(h.enabled("status.submit"));
    enter(h, other, "4321");
    REQUIRE(status.showingResult());
    // A received khiếu nại's date is the decision to accept it, named so on every screen.
    CHECK(h.ui().mainText().find("Hạn báo thụ lý hay không") != std::string::npos);
    CHECK(h.ui().mainText().find("Hạn giải quyết") == std::string::npos);
    h.tap("status.home");
    // The next citizen after the idle wipe: no lock, no message, nothing typed.
    h.tap("home.check");
    h.advance(200);
    h.frame();
    h.advance(200);
    h.frames(3);
    REQUIRE(h.screen() == ScreenId::Home);
    h.tap("home.check");
    CHECK(h.enabled("status.submit"));
    CHECK_FALSE(status.error().has_value());
}
