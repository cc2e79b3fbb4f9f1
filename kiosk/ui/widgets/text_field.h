#pragma once
// TextField: the text model behind one form field that a citizen types into with the on-screen
// keyboard. Letters go through a kiosk::Composer (Telex or VNI), so the text is always NFC; digit
// fields (CCCD, phone, codes, PIN) take digits only and never compose.
// We draw the text ourselves (widgets.h) instead of using ImGui::InputText: no keystrokes are faked
// into ImGui, and no copy of what a citizen typed lives in ImGui's text-edit state.
// wipe() overwrites the text before clearing it (privacy reset). Limitation: buffers the
// standard library freed while the text grew are not overwritten.
// UI thread only.
#include <cstddef>
#include <string>

#include "core/composer.h"

namespace kiosk::ui {

class TextField {
public:
    enum class Kind {
        Text,       // one line, composed letters, digits, punctuation
        Multiline,  // the petition content: Enter makes a line break
        Digits,     // 0-9 only (CCCD, phone, receipt code, PIN)
        Code,       // an official dossier code: letters, digits, - . / without composition, upper case
        Plain,      // an officer id: printable ASCII as typed, no composition
    };

    explicit TextField(Kind kind = Kind::Text, size_t maxCodepoints = 200);

    Kind kind() const { return m_kind; }
    bool composes() const { return m_kind == Kind::Text || m_kind == Kind::Multiline; }
    // One key from the keyboard: a letter, digit, punctuation, '\n' (Multiline only) or U+0008
    // (backspace). Keys this field does not take are ignored; nothing is added past the limit.
    void type(char32_t key);
    void backspace();
    const std::string& text() const { return m_composer.text(); }
    bool empty() const { return m_composer.text().empty(); }
    size_t codepoints() const;
    size_t maxCodepoints() const { return m_max; }

    // Input method for composing fields; digit and code fields ignore it.
    void setComposerOptions(const ComposerOptions& options);
    // Replaces the text (officer tools, tests); NFC, cut at the limit.
    void setText(const std::string& text);
    // Overwrites the composer's buffer and clears it; the field is empty afterwards.
    void wipe();

private:
    Kind m_kind;
    size_t m_max;
    Composer m_composer;
};

// Overwrites a string's bytes before clearing it (privacy resets of copies the UI holds).
void wipeString(std::string& s);

}  // namespace kiosk::ui
