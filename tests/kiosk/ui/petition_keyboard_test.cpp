// The field being typed into stays in sight above the keyboard or number pad, "Xong" walks the
// form, and "Tiếp tục" with mistakes says so at the top and brings the first one into view.
#include <catch2/catch.hpp>

#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::PetitionScreen;
using testing_support::UiHarness;

namespace {

// The field's whole box is drawn (not clipped by the form's edge) and ends above the keys.
void requireAboveKeys(UiHarness& h, const std::string& field) {
    INFO(field);
    const auto* box = h.ui().widgets().find(field);
    REQUIRE(box != nullptr);
    const auto* key = h.ui().widgets().find(h.has("pad.1") ? "pad.1" : "kb.q");
    REQUIRE(key != nullptr);
    CHECK(box->max.y - box->min.y >= 80);  // the field's full height (84 px at 1080p)
    CHECK(box->max.y <= key->min.y);
}

// Taps the keys' "Xong" until no keyboard is up (it moves on to the next field first).
void closeKeys(UiHarness& h) {
    for (int i = 0; i < 8 && (h.has("pad.done") || h.has("kb.done")); ++i)
        h.tap(h.has("pad.done") ? "pad.done" : "kb.done");
}

}  // namespace

TEST_CASE("the focused field stays above the keys, and Xong moves on to the next field") {
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.khieu-nai");
    auto& screen = h.ui().petitionScreen();
    // Fields tapped where they stand with no keys up: the pad rises over where they were, and the
    // form moves them above it.
    h.tap("petition.phone");
    requireAboveKeys(h, "petition.phone");
    h.typeDigits("0912345678");
    closeKeys(h);
    h.tap("petition.cccd");
    requireAboveKeys(h, "petition.cccd");
    h.typeDigits("008190001234");
    closeKeys(h);
    // "Xong" walks the form: name, CCCD, phone, address, then the keys go.
    h.tap("petition.name");
    requireAboveKeys(h, "petition.name");
    h.typeKeys("Hoa");
    h.tap("kb.done");
    REQUIRE(screen.focus() == PetitionScreen::Focus::Cccd);
    h.frames(2);
    requireAboveKeys(h, "petition.cccd");
    h.tap("pad.done");
    REQUIRE(screen.focus() == PetitionScreen::Focus::Phone);
    h.frames(2);
    requireAboveKeys(h, "petition.phone");
    h.tap("pad.done");
    REQUIRE(screen.focus() == PetitionScreen::Focus::Address);
    h.frames(2);
    requireAboveKeys(h, "petition.address");
    h.tap("kb.done");
    CHECK(screen.focus() == PetitionScreen::Focus::None);
    CHECK(screen.field(PetitionScreen::Focus::Cccd).text() == "008190001234");
}

TEST_CASE("Tiếp tục with a mistake says so at the top and brings the mistake into view") {
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.khieu-nai");
    auto& screen = h.ui().petitionScreen();
    h.tap("petition.name");
    h.typeKeys("Hoa");
    h.tap("petition.cccd");
    h.typeDigits("008190001234");
    h.tap("petition.phone");
    h.typeDigits("0912345678");
    h.tap("petition.address");
    h.typeKeys("Thoon 3");
    closeKeys(h);
    REQUIRE(screen.focus() == PetitionScreen::Focus::None);
    // Back to the top of the form, so the one mistake (the privacy box left unticked) is below it.
    for (int i = 0; i < 6; ++i) h.drag(ImVec2(1500, 400), ImVec2(1500, 800), 10, 12);
    h.frames(2);
    REQUIRE_FALSE(h.has("petition.privacy"));
    h.tap("petition.next");
    REQUIRE(screen.step() == PetitionScreen::Step::Identity);
    h.frames(2);
    CHECK(h.has("petition.errors"));  // the banner at the top of the form
    const auto* box = h.ui().widgets().find("petition.privacy");
    REQUIRE(box != nullptr);
    CHECK(box->max.y - box->min.y >= 90);  // all of it in view
    // Mended: on to the next step, and the banner goes with the mistakes.
    h.tap("petition.privacy");
    h.tap("petition.next");
    CHECK(screen.step() == PetitionScreen::Step::Content);
    CHECK_FALSE(h.has("petition.errors"));
}

TEST_CASE("Xong on the first field tapped brings the next field above the keys") {
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.khieu-nai");
    h.tap("petition.cccd");
    requireAboveKeys(h, "petition.cccd");
    // Only the frames the kiosk asks for after the touch, as the real program draws before it
    // sleeps: the field moves into view on a frame after the one that focused it.
    h.tapThenSleep("pad.done");
    REQUIRE(h.ui().petitionScreen().focus() == PetitionScreen::Focus::Phone);
    requireAboveKeys(h, "petition.phone");
}
