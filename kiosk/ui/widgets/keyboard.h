#pragma once
// The on-screen keyboards: a letter keyboard (QWERTY with Telex/VNI composition through the focused
// TextField's Composer, a row of tone and vowel keys for people who do not know Telex, a page of
// digits and punctuation, shift/caps, space, backspace) and a numeric pad for CCCD, phone numbers,
// codes and PINs. Keys are buttons with ids "kb.<letter>", "kb.space", "kb.shift", "kb.back",
// "kb.page", "kb.enter", "kb.done", "kb.tone.<s|f|r|x|j|z>", "kb.v.<â ă ê ô ơ ư đ>"; pad keys
// "pad.<0-9>", "pad.back", "pad.clear", "pad.done".
// Neither keyboard fakes keystrokes into ImGui: keys go straight to the TextField.
// UI thread only, inside a frame.
#include "imgui.h"
#include "core/composer.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/ui_context.h"

namespace kiosk::ui {

// The keyboard's height at the current scale, for screens laying out above it.
float keyboardHeight(const UiContext& ui);

class OnScreenKeyboard {
public:
    // Draws the keyboard filling the bottom `height` of the current window and sends keys to
    // `field`. Returns true when "Xong" (done) was tapped: the screen hides the keyboard.
    bool draw(UiContext& ui, TextField& field, bool allowEnter);
    // Letters page, shift off (after a privacy reset or when another field is focused).
    void reset();

private:
    enum class Page { Letters, Symbols };
    enum class Shift { Off, Once, Locked };
    void press(UiContext& ui, TextField& field, char32_t key);
    void toneKey(TextField& field, const ComposerOptions& options, int tone);

    Page m_page = Page::Letters;
    Shift m_shift = Shift::Off;
};

// A 3×4 telephone-style pad centred in the bottom `height` of the window. `extraLabel`, when not
// empty, adds a key under the pad (id "pad.extra") — the status check's switch to the letter
// keyboard. Returns what was tapped besides digits.
enum class PadResult { None, Done, Extra };
PadResult numericPad(UiContext& ui, TextField& field, std::string_view extraLabel = {});

}  // namespace kiosk::ui
