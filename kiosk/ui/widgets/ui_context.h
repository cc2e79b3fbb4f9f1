#pragma once
// UiContext: what every screen and widget of one frame shares — the words (Strings) in the chosen
// language, the theme and font set, the controller, the clock, touch tracking (tap versus drag) and
// the registry of widget rectangles that tests use to tap a button by its id.
// It is not the screens' own state (each screen keeps its own) nor navigation (kiosk_ui.h).
// Owned by KioskUi; used on the UI thread only, between ImGui::NewFrame and ImGui::Render.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "imgui.h"
#include "common/result.h"
#include "core/strings.h"
#include "kiosk/ui/widgets/fonts.h"
#include "kiosk/service/kiosk_controller.h"
#include "kiosk/ui/widgets/theme.h"

namespace kiosk::ui {

// Where each interactive widget was drawn this frame, by a stable id that does not depend on the
// language ("home.submit", "kb.a", "pad.7"). Rectangles are clipped to what is visible.
class WidgetRegistry {
public:
    struct Entry {
        ImVec2 min;
        ImVec2 max;
        bool enabled = true;
        ImVec2 center() const { return ImVec2((min.x + max.x) / 2, (min.y + max.y) / 2); }
    };
    void beginFrame() {
        m_entries.clear();
        m_overflowing.clear();
    }
    void add(const std::string& id, ImVec2 min, ImVec2 max, bool enabled);
    const Entry* find(const std::string& id) const;
    const std::map<std::string, Entry>& all() const { return m_entries; }
    // Text that did not fit where it was drawn this frame (a label cut or spilling out of its
    // button, a table cell cut), by widget id: the large-text and English layouts are tested
    // against it.
    void markOverflow(const std::string& id) { m_overflowing.insert(id); }
    const std::set<std::string>& overflowing() const { return m_overflowing; }

private:
    std::map<std::string, Entry> m_entries;
    std::set<std::string> m_overflowing;
};

// Tap versus drag for the current touch (1.86 has no touch API): a touch that moved further than
// io.MouseDragThreshold (kTapSlop) from where it went down is a drag, and buttons ignore its
// release; so is one that a ScrollArea took for a scroll (a vertical slide of kScrollSlop over a
// list that can scroll).
struct TouchTracker {
    static constexpr float kTapSlop = 56;     // px at 1080p: about 5 mm on a 21.5" screen
    static constexpr float kScrollSlop = 14;  // px at 1080p
    bool down = false;
    ImVec2 pressPos;
    float maxDistance = 0;
    bool dragged = false;  // this touch (or the one just released) went past the threshold
    void update(const ImGuiIO& io);
};

// The "Nghe" button in the top bar: KioskUi says before the screen draws whether it is shown and
// what the speaker is doing, and reads after it whether it was tapped.
struct ListenButton {
    bool shown = false;        // a citizen's screen and a volume above 0
    bool speaking = false;     // the label is "Dừng đọc" (a tap stops)
    bool unavailable = false;  // the last try found no loudspeaker: the label says it cannot speak
    bool tapped = false;       // set by topBar this frame
};

// The "Gọi cán bộ" button in the top bar of the citizens' screens, the same way.
struct HelpButton {
    bool shown = false;   // a citizen's screen
    bool called = false;  // a call is waiting for an officer: the label says so
    bool tapped = false;  // set by topBar this frame
};

class UiContext {
public:
    UiContext(KioskController& controller, const Strings& strings, const Fonts& fonts);

    KioskController& controller;
    const Strings& strings;
    Theme theme;
    WidgetRegistry widgets;
    TouchTracker touch;
    Lang lang = Lang::Vi;
    bool largeText = false;
    ComposerOptions inputOptions;           // Telex/VNI and tone style for composing fields
    int voiceVolume = kVoiceVolumeDefault;  // 0-100, the officer's setting (0: no "Nghe" button)
    ListenButton listen;
    HelpButton help;
    double now = 0;          // seconds, monotonic, from the caller of KioskUi::frame
    bool animating = false;  // set during a frame when the next frame must follow at once

    const FontSet& fonts() const { return m_fonts.set(largeText); }
    const Fonts& allFonts() const { return m_fonts; }
    float px(float at1080) const { return theme.px(at1080); }

    // The text for key in the current language, and with {0} {1} … filled.
    const std::string& tr(const std::string& key) const { return strings.get(key, lang); }
    std::string trf(const std::string& key, std::initializer_list<std::string> args) const {
        return strings.format(key, lang, args);
    }
    const std::string& text(const Error& error) const { return error.text(lang); }

    // Dates for people: "dd/mm/yyyy" and "dd/mm/yyyy lúc HH:MM" (UTC+7).
    std::string date(const Date& d) const;
    std::string dateTime(int64_t unixSeconds) const;
    // "5 ngày" / "5 working days", from the time.* strings.
    std::string limitText(const Limit& limit) const;
    // What the record's due date is the deadline for ("Hạn báo thụ lý hay không", "Hạn giải quyết",
    // …): the one label every screen and paper gives that date (core/deadlines.h DeadlineKind).
    const std::string& deadlineLabel(const Record& record) const;

private:
    const Fonts& m_fonts;
};

}  // namespace kiosk::ui
