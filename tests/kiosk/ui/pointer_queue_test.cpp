// Taps that come faster than frames: the program's PointerQueue hands ImGui one button change per
// frame at the place it happened, so two quick taps on two keys type both letters.
#include <catch2/catch.hpp>

#include "kiosk/app/pointer_queue.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::PetitionScreen;
using testing_support::UiHarness;

TEST_CASE("two taps arriving between two frames both land") {
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.phan-anh");
    h.tap("petition.name");
    const ImVec2 a = h.center("kb.a");
    const ImVec2 n = h.center("kb.n");
    kiosk::app::PointerQueue queue;
    queue.move(a.x, a.y);
    queue.button(true);
    queue.button(false);
    queue.move(n.x, n.y);
    queue.button(true);
    queue.button(false);
    int frames = 0;
    bool more = true;
    while (more && frames < 20) {
        h.frameWith([&](ImGuiIO& io) { more = queue.apply(io); });
        ++frames;
    }
    CHECK_FALSE(queue.pending());
    // move, press, release, move (the frame after a release takes no button change), press, release
    CHECK(frames == 6);
    h.frameWith([&](ImGuiIO& io) { queue.apply(io); });
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Name).text() == "an");
}

TEST_CASE("polled state alone loses a tap whose release and the next press share a frame") {
    // What the queue prevents: the frame sees the finger down at the second key, still down.
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.phan-anh");
    h.tap("petition.name");
    const ImVec2 a = h.center("kb.a");
    const ImVec2 n = h.center("kb.n");
    h.frameWith([&](ImGuiIO& io) {
        io.MousePos = a;
        io.MouseDown[0] = true;
    });
    h.frameWith([&](ImGuiIO& io) {
        io.MousePos = n;
        io.MouseDown[0] = true;
    });
    h.frameWith([&](ImGuiIO& io) {
        io.MousePos = n;
        io.MouseDown[0] = false;
    });
    h.frames(2);
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Name).text().empty());
}

TEST_CASE("a tap on the screen a tap opened lands, even when both taps came before one frame") {
    // The first frame of a new screen still finds the pointer over the old screen's windows; the
    // queue leaves a frame after each release so the next press is seen on the new screen.
    UiHarness h;
    const ImVec2 check = h.center("home.check");
    kiosk::app::PointerQueue queue;
    queue.move(check.x, check.y);
    queue.button(true);
    queue.button(false);
    // pad.0 of the status screen, where it will be drawn.
    queue.move(960, 1012);
    queue.button(true);
    queue.button(false);
    bool more = true;
    for (int i = 0; i < 20 && more; ++i) h.frameWith([&](ImGuiIO& io) { more = queue.apply(io); });
    h.frameWith([&](ImGuiIO& io) { queue.apply(io); });
    REQUIRE(h.screen() == kiosk::ui::ScreenId::Status);
    CHECK(h.ui().statusScreen().codeField().text() == "0");
}
