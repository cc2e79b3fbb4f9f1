// From 1 July 2026 (Luật 136/2025/QH15; petition_kinds.tsv) a khiếu nại needs the sender's address:
// the window's petition form does not move past the identity step without it, and does once it is
// typed with the on-screen keyboard. The form judges by the machine's clock, so before that day
// the test exits 77 (skipped).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>

#include "core/calendar.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::PetitionScreen;
using testing_support::UiHarness;

TEST_CASE("petition form: a complaint needs the address from 2026-07-01") {
    if (kiosk::localFromUnix(std::time(nullptr)).date < kiosk::Date{2026, 7, 1}) {
        WARN("the machine's date is before 2026-07-01: skipped");
        std::exit(77);
    }
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.khieu-nai");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Identity);
    h.tap("petition.name");
    h.typeKeys("Nguyeenx Vawn An");
    h.tap("petition.cccd");
    h.typeDigits("008190001234");
    h.tap("petition.phone");
    h.typeDigits("0912345678");
    h.tap("pad.done");
    h.tap("petition.privacy");
    h.tap("petition.next");
    CHECK(h.ui().petitionScreen().step() == PetitionScreen::Step::Identity);

    h.tap("petition.address");
    h.typeKeys("Thoon 3, xax Yeen Thuaanj");
    h.tap("kb.done");
    h.tap("petition.next");
    CHECK(h.ui().petitionScreen().step() == PetitionScreen::Step::Content);
}
