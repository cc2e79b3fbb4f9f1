// "Chữ to hơn" and English on every screen a citizen meets (and the officer's queue): nothing cut
// or spilling out of its button (WidgetRegistry::overflowing), the language and size holding for
// the whole visit and going back to the defaults with the idle wipe. The screenshots of the same
// walk on the real program are the end-to-end test's (e2e-walk-*.png).
#include <catch2/catch.hpp>

#include <ctime>

#include "tests/support/store_fixture.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

void requireNothingCut(UiHarness& h, const std::string& where) {
    h.frames(2);
    std::string cut;
    for (const std::string& id : h.ui().widgets().overflowing()) cut += id + " ";
    INFO(where << " (" << (h.ui().context().lang == kiosk::Lang::En ? "en" : "vi")
               << (h.ui().context().largeText ? ", large" : "") << "): " << cut);
    CHECK(cut.empty());
}

// Every citizen screen once, checking each; the language and size chosen on Home hold throughout.
void walk(UiHarness& h, const std::string& code) {
    const kiosk::Lang lang = h.ui().context().lang;
    const bool large = h.ui().context().largeText;
    requireNothingCut(h, "home");
    h.tap("home.procedures");
    requireNothingCut(h, "procedures");
    h.tap("proc.search");
    h.typeKeys("khai sinh");
    requireNothingCut(h, "procedures with the keyboard");
    h.tap("kb.done");
    h.tap("proc.item." + h.ui().proceduresScreen().hits().front().id);
    requireNothingCut(h, "procedure detail");
    h.tap("top.back");
    h.tap("top.back");
    REQUIRE(h.screen() == ScreenId::Home);
    CHECK(h.ui().context().lang == lang);  // back Home between errands: the choice holds
    CHECK(h.ui().context().largeText == large);

    h.tap("home.submit");
    requireNothingCut(h, "petition kind");
    h.tap("petition.kind.khieu-nai");
    h.tap("petition.name");
    requireNothingCut(h, "identity with the keyboard");
    h.typeKeys("Hoa");
    h.tap("petition.cccd");
    requireNothingCut(h, "identity with the number pad");
    // "Xong" until the keys are gone (it moves on to the next field first).
    for (int i = 0; i < 8 && (h.has("pad.done") || h.has("kb.done")); ++i)
        h.tap(h.has("pad.done") ? "pad.done" : "kb.done");
    h.tap("petition.next");
    requireNothingCut(h, "identity with mistakes");
    h.tap("petition.cancel");
    requireNothingCut(h, "cancel question");
    h.tap("petition.cancel_confirm.yes");
    REQUIRE(h.screen() == ScreenId::Home);

    h.tap("home.check");
    requireNothingCut(h, "status check");
    h.typeDigits(code);
    h.tap("pad.done");
    h.typeDigits("5678");
    h.tap("status.submit");
    REQUIRE(h.ui().statusScreen().showingResult());
    requireNothingCut(h, "status result");
    h.tap("status.home");
    CHECK(h.ui().context().lang == lang);
    CHECK(h.ui().context().largeText == large);
}

}  // namespace

TEST_CASE("every citizen screen in large text and in English, nothing cut, the choice held for the visit") {
    UiHarness h;
    h.addOfficer("cb01", "Trần Văn Bình", "2468101214");
    // A record past half its time, so the officer's queue marks it (due soon or overdue).
    auto created = h.store().createRecord(testing_support::petitionDraft(h.store(), "kien-nghi"),
                                          kiosk::Actor{kiosk::Role::Kiosk, ""},
                                          int64_t(std::time(nullptr)) - 12 * 86400);
    REQUIRE(created.ok());
    const std::string code = created->code;
    CHECK(h.ui().context().allFonts().large.body->FontSize >=
          1.5f * h.ui().context().allFonts().normal.body->FontSize);

    for (int combo = 0; combo < 4; ++combo) {
        const bool english = combo & 1, large = combo & 2;
        if (english) h.tap("lang.switch");
        if (large) h.tap("text.size");
        walk(h, code);
        // The officer's queue, its due column and names on two lines.
        h.tap("home.officer");
        h.tap("officer.id");
        h.typeKeys("cb01");
        h.tap("kb.done");
        h.tap("pad.clear");
        h.typeDigits("2468101214");
        h.tap("officer.submit");
        REQUIRE(h.screen() == ScreenId::Officer);
        requireNothingCut(h, "officer queue");
        h.tap("officer.logout");
        // The idle wipe ends the visit: the defaults return.
        h.advance(200);
        h.frame();
        h.advance(200);
        h.frames(3);
        CHECK(h.ui().context().lang == kiosk::Lang::Vi);
        CHECK_FALSE(h.ui().context().largeText);
    }
}
