// The procedure catalog: search with or without diacritics on the on-screen keyboard, a list that
// scrolls by dragging (with inertia, and a drag never opens an item), the detail page.
#include <catch2/catch.hpp>

#include <set>

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

TEST_CASE("the catalog forgives spelling, puts the plain procedure first, and groups by field") {
    UiHarness h;
    h.tap("home.procedures");
    auto& screen = h.ui().proceduresScreen();
    // Nothing searched: the catalog under one heading per field (lĩnh vực), each field together.
    CHECK(h.has("proc.group.0"));
    CHECK(h.has("proc.group.1"));
    const auto fieldOf = [&](size_t i) {
        return h.controller().reference().procedure(screen.hits()[i].id)->field;
    };
    std::set<std::string> closed;
    for (size_t i = 1; i < screen.hits().size(); ++i) {
        if (fieldOf(i) != fieldOf(i - 1)) {
            CHECK(closed.count(fieldOf(i)) == 0);
            closed.insert(fieldOf(i - 1));
        }
    }
    const auto firstFor = [&](const std::string& keys) {
        h.tap("proc.search");
        for (int i = 0; i < 40; ++i) h.tap("kb.back");
        h.typeKeys(keys);
        h.tap("kb.done");
        REQUIRE_FALSE(screen.hits().empty());
        CHECK_FALSE(h.has("proc.group.0"));  // a search is ranked, not grouped
        return screen.hits().front();
    };
    // "Thủ tục đăng ký khai sinh" before its special cases (lưu động, kết hợp nhận cha mẹ con, the
    // joint procedures that mention it).
    CHECK(firstFor("khai sinh").id == "1.001193");
    CHECK(firstFor("khai xinh").id == "1.001193");  // a letter wrong
    CHECK(firstFor("dang ky ket hon").id == "1.000894");
    CHECK(firstFor("ddawng kys keets hoon").id == "1.000894");  // typed with Telex
}
