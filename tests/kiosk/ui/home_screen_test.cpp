// Home as a citizen meets it: whatever the connectivity strip has to say stays on the screen.
#include <catch2/catch.hpp>

#include "kiosk/service/kiosk_controller.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ConnectivityState;
using testing_support::UiHarness;

TEST_CASE("home: warnings under the connectivity line make room instead of falling off the screen") {
    UiHarness plain;
    plain.frames(2);
    REQUIRE(plain.has("home.officer"));
    UiHarness warned;
    // A clock off by hours and a server that is not the district's: two lines more in the strip.
    warned.controller().setConnectivitySource([] {
        ConnectivityState state;
        state.serverConfigured = true;
        state.clockWrong = true;
        state.lastError = kiosk::makeError("sync.district-key-mismatch", "khoá lạ", "unknown key");
        return state;
    });
    warned.frames(2);
    REQUIRE(warned.has("home.officer"));
    // The strip starts higher by the lines it holds, and the three big buttons give up that height.
    CHECK(warned.center("home.officer").y < plain.center("home.officer").y - 40);
    CHECK(warned.center("home.submit").y < plain.center("home.submit").y);
}
