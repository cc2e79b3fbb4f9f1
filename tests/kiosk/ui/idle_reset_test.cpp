// Privacy: after the idle time the overlay counts down, then everything typed is wiped and Home
// returns; a touch on the overlay keeps the session.
#include <catch2/catch.hpp>

#include "imgui_internal.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::PetitionScreen;
using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

kiosk::ui::UiOptions options() {
    kiosk::ui::UiOptions o;
    o.idleSeconds = 90;
    o.countdownSeconds = 15;
    return o;
}

void startTyping(UiHarness& h) {
    h.tap("home.submit");
    h.tap("petition.kind.phan-anh");
    h.tap("petition.name");
    h.typeKeys("Hoaf");
    REQUIRE(h.ui().petitionScreen().field(PetitionScreen::Focus::Name).text() == "Hòa");
}

}  // namespace

TEST_CASE("an idle session is wiped after the countdown") {
    UiHarness h(options());
    h.tap("lang.switch");
    startTyping(h);
    // The loop may sleep until the idle deadline, no longer.
    const double wait = h.ui().secondsUntilNextFrame(h.now());
    CHECK(wait > 80);
    CHECK(wait <= 90);
    h.advance(85);
    h.frame();
    CHECK_FALSE(h.ui().idleOverlayShown());
    h.advance(6);
    h.frame();
    REQUIRE(h.ui().idleOverlayShown());
    CHECK(h.has("idle.overlay"));
    CHECK(h.ui().secondsUntilNextFrame(h.now()) <= 1.0);  // the countdown ticks every second
    h.advance(10);
    h.frame();
    CHECK(h.screen() == ScreenId::Petition);  // still counting down
    h.advance(6);
    h.frames(2);
    CHECK(h.screen() == ScreenId::Home);
    CHECK_FALSE(h.ui().idleOverlayShown());
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Name).empty());
    CHECK(h.ui().petitionScreen().step() == PetitionScreen::Step::Kind);
    CHECK(h.ui().context().lang == kiosk::Lang::Vi);
    CHECK(ImGui::GetCurrentContext()->ActiveId == 0);
    // A quiet Home sleeps.
    CHECK(h.ui().secondsUntilNextFrame(h.now()) >= 3600);
}

TEST_CASE("a touch on the idle overlay keeps what was typed") {
    UiHarness h(options());
    startTyping(h);
    h.advance(91);
    h.frame();
    REQUIRE(h.ui().idleOverlayShown());
    h.tapAt(ImVec2(960, 540));
    CHECK_FALSE(h.ui().idleOverlayShown());
    CHECK(h.screen() == ScreenId::Petition);
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Name).text() == "Hòa");
    // The touch that dismissed the overlay pressed no key underneath.
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Name).text().size() ==
          std::string("Hòa").size());
}

TEST_CASE("the receipt screen clears itself when nobody touches it") {
    UiHarness h(options());
    kiosk::ui::ReceiptInfo receipt;
    receipt.record.code = "0237401012345679";
    receipt.record.kind = kiosk::RecordKind::Petition;
    h.ui().showReceipt(receipt);
    h.frames(2);
    REQUIRE(h.screen() == ScreenId::Receipt);
    CHECK(h.has("receipt.done"));
    h.advance(91);
    h.frame();
    REQUIRE(h.ui().idleOverlayShown());
    h.advance(16);
    h.frames(2);
    CHECK(h.screen() == ScreenId::Home);
    CHECK_FALSE(h.ui().receiptScreen().receipt().has_value());
}
