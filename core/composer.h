#pragma once
// Vietnamese input composer (bộ gõ tiếng Việt) for the on-screen keyboard: turns Telex or VNI
// keystrokes into NFC text, one key at a time. It is pure text processing: it knows no widget,
// no font and no clipboard. The keyboard widget in kiosk/ui owns one Composer per text field and
// calls it from the UI thread; `kioskctl telex` calls composeKeys once per input line. A Composer
// is not shared between threads; separate instances are independent.
//
// How a key is handled
//   The composer only ever edits the *current word*: the trailing run of letters (ASCII letters
//   and Vietnamese letters) at the end of text(). Anything else (space, punctuation, and digits
//   that are not VNI modifiers) is appended as is and ends the word, so words compose
//   independently. The current word is re-read from text() on every key; the only state kept
//   between keys is "this word was undone, type the rest literally" and "the last key was a
//   lone Telex w" (both forgotten on backspace, on a word boundary, on clear and setText).
//
//   A modifier key (tone, hat, horn, breve, đ) applies only when the word is a plausible
//   Vietnamese syllable: a known initial (b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r
//   s t th tr v x), a known vowel cluster and a known final (c ch m n ng nh p t). Otherwise the
//   key is inserted as the letter or digit it is, so "sa", "xin", "fast" and "0912345678" are
//   not garbled. ("kr" and final "k" are accepted too, for place names: Krông Búk, Đắk Lắk.)
//   There is deliberately no "restore the keys of an invalid word" at the end of a word:
//   names in Tày, Dao or Cao Lan may be spelled in ways a checker calls invalid, and restoring
//   would mangle them. A mark that should not be there is removed by pressing its key again
//   ("Gooogle" = "Google"). Modifiers may come anywhere after the vowel ("tieesng" = "tieengs" = "tiếng");
//   the tone is a property of the syllable and is re-placed after every change (the old/new
//   tone style only differs for open oa, oe, uy: "hòa, hòe, thủy" versus "hoà, hoè, thuỷ").
//   Syllables ending in c ch k p t accept only sắc and nặng.
//
//   Pressing a modifier a second time undoes it and types the key itself ("ass" -> "as",
//   "aaa" -> "aa", "ddd" -> "dd", "a11" -> "a1"); the rest of that word is then literal
//   ("tesst" -> "test").
//
// Telex: s f r x j = sắc huyền hỏi ngã nặng, z removes the tone; aa ee oo = â ê ô;
//   aw ow uw = ă ơ ư; dd = đ (the d must start the word: "did" = "đi").
//   w on "uo" gives "ươ" when the syllable goes on (a final consonant or i/u follows:
//   "truowngf" = "trường") and "uơ" when it is open ("thuowr" = "thuở", "huow" = "huơ");
//   a "uơ" or "ưo" that gets a final or a glide later becomes "ươ". w with no vowel to act on
//   after nothing or an initial consonant is "ư" ("w" = "ư", "nhw" = "như"), and "ww" = "w".
//   Optional ComposerOptions::bracketVowels: [ ] = ơ ư, { } = Ơ Ư. Digits are always literal.
// VNI: 1 2 3 4 5 = sắc huyền hỏi ngã nặng, 0 removes the tone; 6 = â ê ô, 7 = ơ ư (with the
//   same uo rule as Telex w), 8 = ă, 9 = đ. A digit that cannot apply is a literal digit.
//
// Backspace removes the last character of text() (a whole precomposed letter, "ế" at once),
// then the word that remains is re-derived from the text: its tone is re-placed for the new
// shape ("hoàn" -> backspace -> old style "hòa") and further keys keep composing
// ("tiếng" -> backspace -> "tiến" -> "g" -> "tiếng"). U+0008 and U+007F as keys act as backspace,
// so a key sequence can contain edits.
//
// Output is always NFC (precomposed). Upper case follows the letter being modified
// ("DDaij" = "Đại", "TOOI" = "TÔI").
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk {

enum class InputMethod { Telex, Vni };
// Where the tone goes on open "oa", "oe", "uy": Old "hòa, thủy" (default; the orthography of
// most official documents), New "hoà, thuỷ".
enum class ToneStyle { Old, New };

// The six tones (thanh), in VNI digit order.
enum class Tone { None, Acute, Grave, Hook, Tilde, Dot };  // ngang, sắc, huyền, hỏi, ngã, nặng

struct ComposerOptions {
    InputMethod method = InputMethod::Telex;
    ToneStyle toneStyle = ToneStyle::Old;
    bool bracketVowels = false;  // Telex only: [ ] { } type ơ ư Ơ Ư instead of themselves
};

// "telex"/"vni" and "old"/"new" (ASCII, case-insensitive), for command lines and settings files.
std::optional<InputMethod> parseInputMethod(std::string_view name);
std::optional<ToneStyle> parseToneStyle(std::string_view name);

class Composer {
public:
    Composer() = default;
    explicit Composer(ComposerOptions options) : m_options(options) {}
    explicit Composer(InputMethod method, ToneStyle style = ToneStyle::Old)
        : m_options{method, style, false} {}

    // One keystroke. Any Unicode scalar is accepted: letters compose, U+0008/U+007F delete,
    // everything else is inserted as is. Surrogates and values above U+10FFFF are ignored.
    void type(char32_t key);
    // Each code point of a UTF-8 string, in order, as if typed one by one. Invalid UTF-8 bytes
    // are skipped (keys come from our own keyboard or a test, never from an untrusted file).
    void type(std::string_view utf8Keys);
    void backspace();
    // For a tone button (people who know neither Telex nor VNI): puts the tone on the current
    // syllable where it belongs, or takes it off when it is already there; Tone::None takes
    // any tone off. Never inserts a letter: returns false and changes nothing when the text
    // does not end in a syllable that can take the tone.
    bool toggleTone(Tone tone);

    // The composed text, valid UTF-8 in NFC.
    const std::string& text() const { return m_text; }
    void clear();
    // Replaces the text (e.g. when the keyboard focuses a field that already has content);
    // typing continues on its last word. Refuses invalid UTF-8 and keeps the old text;
    // otherwise stores the text normalized to NFC.
    Outcome setText(std::string_view utf8);

    const ComposerOptions& options() const { return m_options; }
    void setOptions(ComposerOptions options) { m_options = options; }

private:
    void appendRaw(char32_t c);
    bool handleModifier(char32_t key);

    ComposerOptions m_options;
    std::string m_text;
    bool m_wordIsLiteral = false;  // a modifier was undone in the current word: no more composing
    bool m_lastWasBareW = false;   // the last key was a Telex w that produced "ư" on its own
};

// A whole key sequence from an empty text: what `kioskctl telex` prints for one input line.
std::string composeKeys(std::string_view utf8Keys, ComposerOptions options);
std::string composeKeys(std::string_view utf8Keys, InputMethod method, ToneStyle style = ToneStyle::Old);

}  // namespace kiosk
