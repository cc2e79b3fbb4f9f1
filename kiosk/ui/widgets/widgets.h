#pragma once
// The kiosk's touch widgets, drawn with ImGui's draw lists: big buttons that click on release unless
// the touch was a drag, text fields drawn from a TextField (no ImGui::InputText), check boxes,
// option rows, wrapped text, note boxes, the top bar with the language and text-size switches, and
// ScrollArea — a child window scrolled by dragging with inertia (ImGui 1.86 has no drag scrolling).
// Every interactive widget takes a stable id ("home.submit") used for its ImGui ID and recorded in
// the WidgetRegistry with its rectangle, so tests tap widgets by id.
// Nothing here needs hover, double-tap or long press. UI thread only, inside a frame.
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "kiosk/ui/widgets/pictograms.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/ui_context.h"

namespace kiosk::ui {

enum class ButtonKind {
    Primary,     // filled dark blue: the main thing to do on a screen
    Secondary,   // white with a blue border
    Danger,      // filled dark red (cancel everything, reject)
    Selected,    // the chosen option of a group: yellow
    Key,         // a keyboard key
    KeySpecial,  // shift, backspace, page switch
    Quiet,       // a discreet text-like button (the officer entry on Home)
    ListRow,     // a row of a long list (the officer queue): a thin border on the screen's own
                 // background, filled only while held — under software rendering every filled
                 // pixel is shaded each frame, and a screenful of rows is a third of a frame
};

struct ButtonSpec {
    ImVec2 size{0, 0};  // 0 width = all available; 0 height = theme button height
    ButtonKind kind = ButtonKind::Primary;
    ImFont* font = nullptr;  // default: the bold font
    std::string_view hint;   // a second, smaller line under the label
    bool enabled = true;
    bool leftAlign = false;  // label and hint start at the top left (cards with a paragraph)
    // Beside the words, never instead of them: above a centred label and hint, left of a
    // left-aligned card's text (pictogramSide(ui) wide), or left of a one-line label.
    Pictogram icon = Pictogram::None;
    float iconSide = 0;  // above the words: this side (a row of cards alike); 0 = what room allows
};

// The side of a card's pictogram (grows with the large-text mode); a card with one leaves this much
// and a gap of px(20) to the left of its text.
float pictogramSide(const UiContext& ui);

// Lets what is drawn until the end of the scope reach the window's edges (the screen window pads its
// flow by the margin, and ImGui clips at half of it): bars and keyboards span the whole width.
class FullWindowClip {
public:
    FullWindowClip();
    ~FullWindowClip();
    FullWindowClip(const FullWindowClip&) = delete;
    FullWindowClip& operator=(const FullWindowClip&) = delete;
};

// Returns true on the frame the button is tapped (released over it after a press on it, without a
// drag). Advances the layout cursor like an ImGui item.
bool button(UiContext& ui, const std::string& id, std::string_view label, const ButtonSpec& spec = {});

// Text. `wrapWidth` 0 = to the right edge of the current region.
void text(UiContext& ui, std::string_view s, ImFont* font = nullptr, ImU32 color = 0, float wrapWidth = 0);
// Text centred horizontally in the available width.
void centeredText(UiContext& ui, std::string_view s, ImFont* font = nullptr, ImU32 color = 0);
// A framed box of wrapped text (notices, errors, confidentiality notes).
void noteBox(UiContext& ui, std::string_view s, ImU32 background, ImU32 border, ImFont* font = nullptr,
             std::string_view title = {});
void vspace(UiContext& ui, float at1080);

struct FieldSpec {
    std::string_view label;
    std::string_view hint;               // under the label, smaller
    const std::string* error = nullptr;  // shown under the box in red, and the box framed red
    bool focused = false;
    bool masked = false;                   // PINs: dots instead of digits
    int lines = 1;                         // box height in lines of text
    std::string_view placeholder;          // shown when empty
    const std::string* display = nullptr;  // shown instead of the field's text (grouped digits)
    float width = 0;                       // 0 = available width
};
// A labelled box showing `field`'s text with a caret when focused. Returns true when tapped (the
// screen then focuses it and shows the right keyboard).
bool textField(UiContext& ui, const std::string& id, const TextField& field, const FieldSpec& spec);

// A large check box with its label; toggles `value` when tapped. Returns true when toggled.
bool checkBox(UiContext& ui, const std::string& id, std::string_view label, bool& value);

// A row (or grid when they do not fit) of options; `selected` is the index. Returns true when the
// choice changed. ids are "<id>.<index>".
bool optionRow(UiContext& ui, const std::string& id, const std::vector<std::string>& labels, int& selected,
               float height = 0);

// The bar at the top of every screen: a back button (when showBack), the title, an optional step
// ("Bước 2/5"), and on the right the language switch and the large-text switch (visible on every
// screen). Returns true when back was tapped. ids: "top.back", "lang.switch", "text.size".
bool topBar(UiContext& ui, std::string_view title, bool showBack, std::string_view step = {});

// The bar at the bottom of a form: a secondary button on the left (cancel) and the main one on the
// right (next / send). Empty labels leave the side out.
enum class BarChoice { None, Left, Right };
BarChoice bottomBar(UiContext& ui, const std::string& leftId, std::string_view leftLabel,
                    const std::string& rightId, std::string_view rightLabel, bool rightEnabled = true,
                    std::string_view middle = {});

// A question over everything else (its own top window, dimming the screen). Returns Yes, No, or
// None while unanswered. ids "<id>.yes", "<id>.no". An empty noLabel makes it a notice with one
// button (yesLabel).
enum class Answer { None, Yes, No };
Answer confirmDialog(UiContext& ui, const std::string& id, std::string_view question, std::string_view detail,
                     std::string_view yesLabel, std::string_view noLabel, bool dangerous = false);

// A child region scrolled by dragging the content, with inertia after release.
// Usage: if (area.begin(ui, "list", size)) { ...items... } area.end(ui);
class ScrollArea {
public:
    bool begin(UiContext& ui, const char* id, ImVec2 size);
    void end(UiContext& ui);
    void scrollToTop() {
        m_pendingScroll = 0;
        m_velocity = 0;
    }
    // Brings [top, bottom] (content coordinates relative to the area's top) into view next frame.
    void ensureVisible(float top, float bottom);
    float scrollY() const { return m_scrollY; }
    // More content below what is shown (screens then say "drag to see more").
    bool moreBelow() const { return m_scrollMax - m_scrollY > 4; }

private:
    bool m_tracking = false;  // a touch went down inside the area
    float m_lastY = 0;
    float m_velocity = 0;  // px per second, content moving up is positive scroll
    double m_lastMoveTime = 0;
    float m_scrollY = 0;
    float m_scrollMax = 0;
    float m_viewHeight = 0;
    float m_pendingScroll = -1;
    float m_visibleTop = -1;
    float m_visibleBottom = -1;
};

// Draws `s` centred in `rect`, wrapped to its width, line by line.
void drawCenteredText(ImDrawList* draw, ImFont* font, ImVec2 min, ImVec2 max, ImU32 color,
                      std::string_view s);
// The height `s` takes wrapped to `width` in `font`.
float wrappedHeight(ImFont* font, std::string_view s, float width);

}  // namespace kiosk::ui
