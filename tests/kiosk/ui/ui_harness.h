#pragma once
// Headless kiosk for tests: the real KioskUi and StoreController against a real KioskStore in a temp
// dir, with an ImGui context and a built font atlas but no window. Input is injected frame by frame
// the way a finger does it on 1.86: move, press, release, and keep the position one frame after
// the release. Widgets are found by id through the UI's WidgetRegistry.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "imgui.h"
#include "kiosk/service/store_controller.h"
#include "core/strings.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/ui/widgets/fonts.h"
#include "kiosk/ui/kiosk_ui.h"
#include "tests/support/temp_dir.h"

namespace testing_support {

// The strings file and the font atlas, loaded once per test program (building the atlas is the
// slow part).
const kiosk::Strings& uiStrings();
struct SharedFonts {
    ImFontAtlas atlas;
    kiosk::ui::Fonts fonts;
};
SharedFonts& sharedFonts();

class UiHarness {
public:
    // A fresh kiosk database for commune 02374; or, with copyFrom, a copy of that database file (the
    // end-to-end test gives its twin the same records as the real program).
    explicit UiHarness(kiosk::ui::UiOptions options = {}, const std::string& copyFrom = "");
    ~UiHarness();
    UiHarness(const UiHarness&) = delete;
    UiHarness& operator=(const UiHarness&) = delete;

    kiosk::store::KioskStore& store() { return *m_store; }
    kiosk::app::StoreController& controller() { return *m_controller; }
    kiosk::ui::KioskUi& ui() { return *m_ui; }
    kiosk::ui::ScreenId screen() const { return m_ui->screen(); }
    const std::string& dbPath() const { return m_dbPath; }

    // One frame with the current pointer state; the clock moves 1/60 s. Each frame fails the test
    // when a string was drawn with a font lacking some of its characters (kiosk::ui::glyphCheck).
    void frame();
    // One frame whose pointer state is set by `inject` instead (as the program's PointerQueue does).
    void frameWith(const std::function<void(ImGuiIO&)>& inject);
    void frames(int n);
    // Moves the clock without drawing (the next frame sees the time passed). The controller's wall
    // clock (nowUnix) is the real time at construction plus the time the harness has moved.
    void advance(double seconds) { m_now += seconds; }
    double now() const { return m_now; }

    // Called whenever the injected pointer moves or goes down/up (the end-to-end test replays the
    // same touches on the real program with xdotool).
    std::function<void(ImVec2 position, bool down)> onPointer;

    // An officer account in the kiosk's store (records submitted afterwards are sealed to them).
    void addOfficer(const std::string& id, const std::string& name, const std::string& pin);
    // The record as an officer reads it (identity and content unsealed with their key).
    kiosk::Record readAsOfficer(const std::string& code, const std::string& id, const std::string& pin);

    // Whether the last frame drew a string containing `text` (through the widgets' text primitives).
    bool drew(const std::string& text) const;
    // Whether a widget with this id was drawn in the last frame (and can be tapped).
    bool has(const std::string& id) const;
    bool enabled(const std::string& id) const;
    ImVec2 center(const std::string& id) const;
    // Taps the widget (REQUIREs it exists and is enabled), then lets the UI settle. A widget
    // scrolled out of view is first brought in by dragging the content, and one under a keyboard
    // by closing the keyboard with "Xong", as a citizen would.
    // A tap on `id` followed by only the frames the UI asks for (secondsUntilNextFrame), as the
    // real program draws after a touch and then sleeps: what needs a frame nobody asked for is
    // not drawn.
    void tapThenSleep(const std::string& id);
    void tap(const std::string& id);
    // Drags the screen's scrolled region until the widget shows (at least 40 px of it); false
    // when it never appears.
    bool reveal(const std::string& id);
    void tapAt(ImVec2 point);
    // A finger drag from `from` to `to` in `steps` frames, held still for `holdFrames`, then
    // released (no settle frames: a fast drag without hold leaves the list gliding).
    void drag(ImVec2 from, ImVec2 to, int steps, int holdFrames = 0);
    // Types on the on-screen letter keyboard: lower case letters, capitals (through shift), space,
    // '\n', digits and punctuation (through the symbols page). Keys are what a Telex user presses.
    void typeKeys(const std::string& keys);
    // Taps digits on the numeric pad.
    void typeDigits(const std::string& digits);

private:
    // NewFrame, the UI, Render; fails the test when a string was drawn in a font lacking its glyphs.
    void drawFrame();

    TempDir m_dir;
    std::string m_dbPath;
    std::unique_ptr<kiosk::store::KioskStore> m_store;
    ImGuiContext* m_context = nullptr;
    std::unique_ptr<kiosk::app::StoreController> m_controller;
    std::unique_ptr<kiosk::ui::KioskUi> m_ui;
    static constexpr double kStartNow = 1000.0;
    double m_now = kStartNow;
    ImVec2 m_mouse{-1.0f, -1.0f};
    bool m_down = false;
    ImVec2 m_lastMouse{-1.0f, -1.0f};
    bool m_lastDown = false;
    std::vector<std::string> m_drawn;  // the strings the last frame drew
};

}  // namespace testing_support
