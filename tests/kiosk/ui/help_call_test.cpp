// "Gọi cán bộ" on a citizen's screen: the citizen is told an officer will come, the call waits in
// the kiosk database (for the heartbeat) through the idle wipe, and the officer's console shows it
// with its time until the officer clears it.
#include <catch2/catch.hpp>

#include "kiosk/store/help_request.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ScreenId;
using testing_support::UiHarness;

TEST_CASE("a citizen calls an officer, the officer's console shows it until cleared") {
    UiHarness h;
    h.addOfficer("cb01", "Trần Văn Bình", "2468101214");
    h.tap("home.procedures");  // any citizen's screen has the button
    REQUIRE(h.has("help.call"));
    h.tap("help.call");
    REQUIRE(h.ui().helpNoticeShown());
    CHECK(h.ui().mainText().size() > 0);
    REQUIRE(h.has("help.notice.yes"));  // "Cán bộ sẽ đến giúp bạn", one button to close it
    h.tap("help.notice.yes");
    CHECK_FALSE(h.ui().helpNoticeShown());
    CHECK(h.ui().context().help.called);  // the button now says the officer was called
    const auto stored = kiosk::store::helpRequested(h.store());
    REQUIRE(stored.has_value());
    CHECK(*stored / 1000 == h.controller().nowUnix());

    // The visit ends with the idle wipe; the citizen may still be waiting nearby.
    h.advance(200);
    h.frame();
    h.advance(200);
    h.frames(3);
    REQUIRE(h.screen() == ScreenId::Home);
    CHECK(h.controller().helpCall().has_value());

    h.tap("home.officer");
    h.tap("officer.id");
    h.typeKeys("cb01");
    h.tap("kb.done");
    h.tap("pad.clear");
    h.typeDigits("2468101214");
    h.tap("officer.submit");
    REQUIRE(h.screen() == ScreenId::Officer);
    CHECK(h.has("officer.help"));
    CHECK_FALSE(h.has("help.call"));  // not on the officer's own screens
    h.tap("officer.help.clear");
    CHECK_FALSE(h.has("officer.help"));
    CHECK_FALSE(kiosk::store::helpRequested(h.store()).has_value());
}
