// A finger is not a mouse: it rolls and slides while it taps. A tap survives a slide of about
// 5 mm; over a list that scrolls, a vertical slide scrolls instead and taps nothing.
#include <catch2/catch.hpp>

#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ScreenId;
using testing_support::UiHarness;

TEST_CASE("a tap survives a finger that slides, unless it scrolls a list") {
    UiHarness h;
    // A big button on Home, the finger sliding 50 px diagonally before it lifts.
    const ImVec2 home = h.center("home.procedures");
    h.drag(home, ImVec2(home.x + 40, home.y + 30), 4, 2);
    h.frames(2);
    REQUIRE(h.screen() == ScreenId::Procedures);
    auto& screen = h.ui().proceduresScreen();
    // A key of the keyboard, slid sideways 40 px onto the edge of its neighbour: still the key
    // first touched.
    h.tap("proc.search");
    const ImVec2 k = h.center("kb.k");
    h.drag(k, ImVec2(k.x + 40, k.y), 4, 2);
    h.frames(2);
    CHECK(screen.query().text() == "k");
    h.tap("kb.back");
    h.tap("kb.done");
    REQUIRE(screen.listScrollY() == 0);
    // A row of the list slid sideways 45 px: it opens.
    const std::string first = screen.hits().front().id;
    const ImVec2 row = h.center("proc.item." + first);
    h.drag(row, ImVec2(row.x + 45, row.y + 10), 4, 2);
    h.frames(2);
    REQUIRE(screen.selected() == first);
    h.tap("top.back");
    REQUIRE_FALSE(screen.selected().has_value());
    // The same row slid up 45 px: the list scrolls with the finger and nothing opens.
    const ImVec2 again = h.center("proc.item." + first);
    h.drag(again, ImVec2(again.x, again.y - 45), 4, 12);
    h.frames(2);
    CHECK_FALSE(screen.selected().has_value());
    CHECK(screen.listScrollY() == Approx(45).margin(2));
}
