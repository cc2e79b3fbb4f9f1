#pragma once
// PointerQueue: touches as a sequence of events, handed to ImGui one button change per frame.
// ImGui 1.86 reads the pointer as a state once per frame (the GLFW backend polls the cursor and the
// button). On a slow frame — llvmpipe at 1080p takes ~100 ms — a finger that lifts from one key
// and lands on the next before the next frame is seen as one press that moved: both taps are lost.
// The window's callbacks record every move and button change here, with the position each happened
// at; apply() gives ImGui the next change each frame — a move, or a button change and where it
// was — after
// ImGui_ImplGlfw_NewFrame has written its own polled state, so every tap is a press frame and a
// release frame at the same place. After a release one frame passes with no button change: a tap
// often changes the screen, and on the frame after, ImGui still finds the pointer over the old
// screen's windows (hover is computed from the previous frame's windows), so a press arriving then
// would be lost. The loop keeps drawing while events remain.
// Main (GLFW) thread only: the callbacks and the loop run there.
#include <cstdint>
#include <deque>

#include "imgui.h"

namespace kiosk::app {

class PointerQueue {
public:
    void move(float x, float y);
    void button(bool down);
    // Puts the pointer state for this frame into io (position, primary button). Returns true when
    // events are still waiting for later frames. (What a button change does is drawn on the frames
    // after it: KioskUi asks for them itself.)
    bool apply(ImGuiIO& io);
    bool pending() const { return !m_events.empty(); }
    // Button changes handed to ImGui so far (repeats included): a test that pressed and released
    // n times knows the kiosk has seen every touch once this reaches n (KIOSK_BENCH_FRAMES).
    int64_t buttonsApplied() const { return m_buttonsApplied; }

private:
    struct Event {
        bool isButton = false;
        bool down = false;
        ImVec2 position;
    };
    std::deque<Event> m_events;
    ImVec2 m_lastMove{-FLT_MAX, -FLT_MAX};  // where the latest recorded move went
    ImVec2 m_position{-FLT_MAX, -FLT_MAX};  // what ImGui was given
    bool m_down = false;
    bool m_holdButtons = false;  // the frame after a release: moves only
    int64_t m_buttonsApplied = 0;
};

}  // namespace kiosk::app
