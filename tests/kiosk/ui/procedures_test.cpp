// The procedure catalog: search with or without diacritics on the on-screen keyboard, a list that
// scrolls by dragging (with inertia, and a drag never opens an item), the detail page.
#include <catch2/catch.hpp>

#include "core/text.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ScreenId;
using testing_support::UiHarness;

TEST_CASE("the catalog is searched without diacritics and opened on a detail page") {
    UiHarness h;
    h.tap("home.procedures");
    REQUIRE(h.screen() == ScreenId::Procedures);
    auto& screen = h.ui().proceduresScreen();
    const size_t all = screen.hits().size();
    REQUIRE(all > 10);
    h.tap("proc.search");
    h.typeKeys("khai sinh");
    h.tap("kb.done");
    REQUIRE_FALSE(screen.hits().empty());
    CHECK(screen.hits().size() < all);
    bool found = false;
    for (const auto& hit : screen.hits())
        found |= kiosk::foldForSearch(hit.name).find("khai sinh") != std::string::npos;
    CHECK(found);
    const std::string id = screen.hits().front().id;
    h.tap("proc.item." + id);
    REQUIRE(screen.selected() == id);
    h.tap("top.back");
    CHECK_FALSE(screen.selected().has_value());
    CHECK(testing_support::uiStrings().missingKeys().empty());
}

TEST_CASE("the procedure list scrolls by dragging, glides after a flick, and a drag opens nothing") {
    UiHarness h;
    h.tap("home.procedures");
    auto& screen = h.ui().proceduresScreen();
    REQUIRE(screen.listScrollY() == 0);
    // A flick: fast, released while moving.
    h.drag(ImVec2(900, 900), ImVec2(900, 600), 5);
    h.frame();
    const float released = screen.listScrollY();
    CHECK(released > 250);
    CHECK(h.ui().secondsUntilNextFrame(h.now()) == 0);  // gliding: the loop keeps drawing
    h.frames(20);
    CHECK(screen.listScrollY() > released + 50);
    h.frames(200);
    CHECK(h.ui().secondsUntilNextFrame(h.now()) > 1);  // stopped: the loop may sleep
    CHECK_FALSE(screen.selected().has_value());
    // A slow drag held still before lifting moves exactly as far as the finger.
    const float before = screen.listScrollY();
    h.drag(ImVec2(900, 500), ImVec2(900, 700), 10, 12);
    h.frames(5);
    CHECK(screen.listScrollY() == Approx(before - 200).margin(1));
    CHECK_FALSE(screen.selected().has_value());
}
