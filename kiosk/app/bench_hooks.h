#pragma once
// Measurement hooks for bench/kiosk.cpp, all off unless their environment variable is set (so the
// command line stays the product's; listed in the kiosk's --help and README):
//  KIOSK_BENCH_FRAMES=FILE  append "first_frame_ns <CLOCK_MONOTONIC ns>" once the first frame is
//                           swapped, then "frame <ui_cpu_ms> <frame_ms> <buttons>" per frame: ui_cpu
//                           is this thread's CPU time from ImGui::NewFrame to ImGui::Render (no GL),
//                           frame is the wall time from the start of the loop iteration to after the
//                           swap, buttons the button changes handed to ImGui so far; and
//                           "idle <frames> <buttons>" each time the loop goes to sleep with nothing
//                           left to draw. The end-to-end tests wait for that line instead of sleeping.
//  KIOSK_BENCH_OFFICER=ID:PIN  log that officer in at start and open the console (the queue).
//  KIOSK_BENCH_SCROLL=N     draw N frames back to back while a synthetic finger drags the screen
//                           upwards (press, 30 moves of 20 px, release, 9 frames of glide), then exit 0.
// Nothing a citizen typed goes to FILE: only clock readings. Main thread.
#include <cstdio>
#include <string>

#include "common/result.h"
#include "kiosk/app/pointer_queue.h"
#include "kiosk/service/store_controller.h"
#include "kiosk/ui/kiosk_ui.h"

namespace kiosk::app {

class BenchHooks {
public:
    static BenchHooks fromEnvironment();
    BenchHooks() = default;
    BenchHooks(BenchHooks&& other) noexcept;
    BenchHooks& operator=(BenchHooks&&) = delete;
    BenchHooks(const BenchHooks&) = delete;
    BenchHooks& operator=(const BenchHooks&) = delete;
    ~BenchHooks();

    // The help text's line about these hooks.
    static std::string help(Lang lang);
    // This thread's CPU time, milliseconds.
    static double cpuMs();

    // KIOSK_BENCH_OFFICER: logs the officer in and opens the console; an Error when the login fails.
    Outcome openOfficerQueue(StoreController& controller, ui::KioskUi& ui) const;
    // KIOSK_BENCH_SCROLL: frames are drawn back to back with a synthetic finger.
    bool scrolling() const { return m_scrollFrames > 0; }
    // The synthetic finger for this frame, fed through the same queue as real pointer events.
    void drag(PointerQueue& pointer, float width, float height) const;
    // After each swap; true when the scroll run is over.
    bool frameDone(double uiCpuMs, double frameMs, int64_t buttons);
    // The loop is about to sleep until the next event: everything asked for is on the screen.
    void idle(int64_t buttons);

private:
    FILE* m_frames = nullptr;
    std::string m_officer;
    int m_scrollFrames = 0;
    int m_drawn = 0;
};

}  // namespace kiosk::app
