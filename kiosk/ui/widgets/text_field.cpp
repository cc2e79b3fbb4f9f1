#include "kiosk/ui/widgets/text_field.h"

#include "core/text.h"

namespace kiosk::ui {
namespace {

bool isAsciiLetter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
bool isDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

}  // namespace

void wipeString(std::string& s) {
    volatile char* p = s.data();
    for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
    s.clear();
}

TextField::TextField(Kind kind, size_t maxCodepoints) : m_kind(kind), m_max(maxCodepoints) {
    // Digit and code fields never compose: Telex leaves digits alone and VNI is never applied to
    // them (in VNI "a1" would become "á").
    m_composer.setOptions(ComposerOptions{InputMethod::Telex, ToneStyle::Old, false});
}

size_t TextField::codepoints() const { return codepointCount(m_composer.text()); }

void TextField::setComposerOptions(const ComposerOptions& options) {
    if (composes()) m_composer.setOptions(options);
}

void TextField::type(char32_t key) {
    if (key == 0x08 || key == 0x7F) {
        backspace();
        return;
    }
    switch (m_kind) {
        case Kind::Digits:
            if (!isDigit(key)) return;
            break;
        case Kind::Code:
            if (!isDigit(key) && !isAsciiLetter(key) && key != U'-' && key != U'.' && key != U'/') return;
            if (key >= U'a' && key <= U'z') key = key - U'a' + U'A';  // official codes are upper case
            break;
        case Kind::Plain:
            if (key < 0x21 || key > 0x7E) return;
            break;
        case Kind::Text:
            if (key == U'\n') return;
            break;
        case Kind::Multiline:
            break;
    }
    if (key < 0x20 && key != U'\n') return;
    // Composition adds at most one code point per key; one that went past the limit is taken back
    // (no copy of the text is made, so none is left behind in freed memory).
    m_composer.type(key);
    if (codepointCount(m_composer.text()) > m_max) m_composer.backspace();
}

void TextField::backspace() { m_composer.backspace(); }

void TextField::setText(const std::string& text) {
    std::u32string cps = toCodepoints(toNfc(text));
    if (cps.size() > m_max) cps.resize(m_max);
    std::string out;
    for (char32_t c : cps) appendUtf8(out, c);
    m_composer.setText(out);
}

void TextField::wipe() {
    const size_t n = m_composer.text().size();
    // clear() keeps the buffer's capacity; spaces typed in are written over the old bytes.
    m_composer.clear();
    for (size_t i = 0; i < n; ++i) m_composer.type(U' ');
    m_composer.clear();
}

}  // namespace kiosk::ui
