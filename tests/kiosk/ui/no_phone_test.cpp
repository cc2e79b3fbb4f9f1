// A citizen without a mobile phone (petition_screen.cpp "Tôi không có điện thoại"): no phone is
// asked, the receipt shows a 4-digit check PIN, and that PIN opens the status check where the
// phone's last 4 digits would.
#include <catch2/catch.hpp>

#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::PetitionScreen;
using kiosk::ui::ScreenId;
using testing_support::UiHarness;

TEST_CASE("kiosk/ui: without a phone the receipt gives a check PIN that opens the status check") {
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.kien-nghi");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Identity);
    REQUIRE(h.has("petition.phone"));
    h.tap("petition.phone");
    h.typeDigits("0912");  // typed, then the citizen says they have no phone: not kept
    h.tap("petition.no_phone");
    CHECK_FALSE(h.has("petition.phone"));
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Phone).empty());
    h.tap("petition.privacy");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Content);
    h.tap("petition.content");
    h.typeKeys("Ddeef nghij suwra dduwowngf thoon 3 bij sajt lowr.");
    h.tap("kb.done");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Review);
    h.tap("petition.next");
    h.tap("petition.send");
    REQUIRE(h.screen() == ScreenId::Receipt);
    const auto& receipt = h.ui().receiptScreen().receipt();
    REQUIRE(receipt.has_value());
    const std::string code = receipt->record.code;
    const std::string pin = receipt->checkPin;
    REQUIRE(pin.size() == 4);
    CHECK(pin.find_first_not_of("0123456789") == std::string::npos);
    CHECK(receipt->record.checkPin.empty());  // one copy, the receipt's
    h.tap("rating.skip");
    h.tap("receipt.done");
    REQUIRE(h.screen() == ScreenId::Home);
    CHECK_FALSE(h.ui().receiptScreen().receipt().has_value());

    h.tap("home.check");
    h.tap("status.code");
    h.tap("pad.clear");
    h.typeDigits(code);
    h.tap("pad.done");
    h.tap("status.last4");
    h.tap("pad.clear");
    h.typeDigits(pin);
    h.tap("status.submit");
    REQUIRE(h.ui().statusScreen().showingResult());
    CHECK(h.ui().statusScreen().report()->record.code == code);
    CHECK(testing_support::uiStrings().missingKeys().empty());
}

TEST_CASE("kiosk/ui: the helper who wrote a petition is sealed with the identity") {
    UiHarness h;
    h.addOfficer("cb01", "Trần Văn Bình", "2468101214");
    kiosk::PetitionInput input;
    input.kind = "kien-nghi";
    input.phone = "0912345678";
    input.content = "Đề nghị sửa đường liên thôn bị sạt lở.";
    input.writerName = "Nguyễn Văn Bình";
    input.writerRelation = "con trai";
    auto stored = h.controller().submitPetition(input);
    REQUIRE(stored);
    const kiosk::Record opened = h.readAsOfficer(stored->code, "cb01", "2468101214");
    CHECK(opened.identity.writerName == "Nguyễn Văn Bình");
    CHECK(opened.identity.writerRelation == "con trai");
    // Not in the clear anywhere in the record's row or its event.
    auto st = h.store().database().prepare(
        "SELECT count(*) FROM events WHERE instr(payload, 'Bình') > 0 OR instr(payload, 'con trai') > 0");
    REQUIRE(st);
    REQUIRE(*st->step());
    CHECK(st->integer(0) == 0);

    // A tố cáo's writer is as hidden as the denouncer: commune officers get no seal of it.
    input.kind = "to-cao";
    input.name = "Lê Văn Cường";
    input.cccd = "008090001234";
    input.address = "Thôn 2";
    auto denunciation = h.controller().submitPetition(input);
    REQUIRE(denunciation);
    const kiosk::Record hidden = h.readAsOfficer(denunciation->code, "cb01", "2468101214");
    CHECK(hidden.identity.writerName.empty());

    // A writer's name is checked as names are.
    input.writerName = "Bình 123";
    auto refused = h.controller().submitPetition(input);
    REQUIRE_FALSE(refused);
}
