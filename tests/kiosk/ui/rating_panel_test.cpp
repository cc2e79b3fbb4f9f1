// The satisfaction rating on the receipt screen and on the status screen of a finished record
// (kiosk/ui/rating_panel.h): one tap stores the value, reasons are optional, a second rating of the
// same record and stage is not offered, and nothing about the citizen is stored with it.
#include <catch2/catch.hpp>

#include <ctime>

#include "kiosk/store/rating.h"
#include "tests/support/store_fixture.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

kiosk::Record storePetition(UiHarness& h, const std::string& kind) {
    auto created = h.store().createRecord(testing_support::petitionDraft(h.store(), kind, "0912345678"),
                                          kiosk::Actor{kiosk::Role::Kiosk, ""}, int64_t(std::time(nullptr)));
    REQUIRE(created.ok());
    return *created;
}

// "stage|value|criteria" of each stored rating.
std::vector<std::string> ratings(UiHarness& h) {
    auto st = h.store().database().prepare("SELECT stage || '|' || value || '|' || criteria FROM ratings");
    REQUIRE(st);
    std::vector<std::string> out;
    while (*st->step()) out.push_back(st->text(0));
    return out;
}

}  // namespace

TEST_CASE("kiosk/ui: one tap on the receipt rates the visit, reasons follow if the citizen wants") {
    UiHarness h;
    const kiosk::Record record = storePetition(h, "kien-nghi");
    h.ui().showReceipt(kiosk::ui::ReceiptInfo{record, false, true});
    h.frames(2);
    REQUIRE(h.screen() == ScreenId::Receipt);
    REQUIRE(h.has("rating.very"));
    REQUIRE(h.has("rating.ok"));
    REQUIRE(h.has("rating.not"));
    REQUIRE(h.has("rating.skip"));
    h.tap("rating.very");
    // Stored at the tap, before any reason.
    CHECK(ratings(h) == std::vector<std::string>{"receipt|rat-hai-long|"});
    REQUIRE(h.has("rating.reason.thai-do"));
    CHECK_FALSE(h.enabled("rating.reasons.send"));  // nothing ticked yet
    h.tap("rating.reason.thai-do");
    h.tap("rating.reason.huong-dan");
    h.tap("rating.reasons.send");
    CHECK(ratings(h) == std::vector<std::string>{"receipt|rat-hai-long|thai-do,huong-dan"});
    CHECK_FALSE(h.has("rating.very"));
    CHECK_FALSE(h.has("rating.reason.thai-do"));

    // The same receipt shown again (or after a restart): no second rating is offered.
    h.ui().showReceipt(kiosk::ui::ReceiptInfo{record, false, true});
    h.frames(2);
    CHECK_FALSE(h.has("rating.very"));
    h.tap("receipt.done");
    CHECK(h.screen() == ScreenId::Home);
    CHECK(testing_support::uiStrings().missingKeys().empty());
}

TEST_CASE("kiosk/ui: skipping the rating stores nothing") {
    UiHarness h;
    const kiosk::Record record = storePetition(h, "phan-anh");
    h.ui().showReceipt(kiosk::ui::ReceiptInfo{record, false, true});
    h.frames(2);
    h.tap("rating.skip");
    CHECK_FALSE(h.has("rating.very"));
    CHECK(ratings(h).empty());
}

TEST_CASE("kiosk/ui: a finished record's status check offers the rating, an open one does not") {
    UiHarness h;
    h.addOfficer("cb01", "Trần Văn Bình", "2468101214");
    const kiosk::Record open = storePetition(h, "kien-nghi");
    const kiosk::Record done = storePetition(h, "kien-nghi");
    // The commune officer answers the kiến nghị, as the console does.
    auto officer = h.controller().officerLogin("cb01", "2468101214");
    REQUIRE(officer);
    REQUIRE(h.controller().act(*officer, done.code, kiosk::Action::Resolve, "Đã sửa xong."));
    h.controller().officerLogout();
    auto check = [&](const std::string& code) {
        h.tap("home.check");
        h.tap("status.code");
        h.tap("pad.clear");
        h.typeDigits(code);
        h.tap("pad.done");
        h.tap("status.last4");
        h.tap("pad.clear");
        h.typeDigits("5678");
        h.tap("status.submit");
        REQUIRE(h.ui().statusScreen().showingResult());
    };
    check(open.code);
    CHECK_FALSE(h.has("rating.very"));
    h.tap("status.home");
    check(done.code);
    REQUIRE(h.reveal("rating.not"));
    h.tap("rating.not");
    h.tap("rating.reasons.skip");
    CHECK(ratings(h) == std::vector<std::string>{"finished|khong-hai-long|"});
    CHECK_FALSE(h.has("rating.not"));
}
