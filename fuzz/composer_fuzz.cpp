// Fuzzes the Telex/VNI composer with arbitrary key streams. The first byte picks the options
// (method, tone style, bracket vowels); every following UTF-8 code point is one key (invalid bytes
// are keys too: they become U+FFFD). A few control keys stand for the other things a keyboard
// does: U+0001..U+0006 press a tone button (Tone None..Dot), U+000E reloads the text with setText
// (a field regaining focus), U+000F clears; U+0008 and U+007F are backspace as in production.
// Properties after every key: the text is valid UTF-8 in NFC; setText of the text keeps it; the
// whole key stream typed as one string gives what composeKeys gives.
#include "fuzz/fuzz_check.h"
#include "core/composer.h"

using namespace kiosk;
using fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0 || size > 2048) return 0;  // longer streams only repeat what shorter ones reach
    ComposerOptions options;
    options.method = (data[0] & 1) ? InputMethod::Vni : InputMethod::Telex;
    options.toneStyle = (data[0] & 2) ? ToneStyle::New : ToneStyle::Old;
    options.bracketVowels = (data[0] & 4) != 0;
    const std::string_view keys = fuzz::asText(data + 1, size - 1);

    Composer composer(options);
    for (char32_t key : toCodepoints(keys)) {
        if (key >= 1 && key <= 6) {
            const std::string before = composer.text();
            if (!composer.toggleTone(static_cast<Tone>(key - 1)))
                require(composer.text() == before, "a refused tone button changes nothing");
        } else if (key == 0x0E) {
            const std::string before = composer.text();
            require(composer.setText(before).ok(), "setText accepts the composer's own text");
            require(composer.text() == before, "setText keeps NFC text as it is");
        } else if (key == 0x0F) {
            composer.clear();
            require(composer.text().empty(), "clear empties the text");
        } else {
            composer.type(key);
        }
        fuzz::requireNfc(composer.text(), "the composed text is valid UTF-8 in NFC");
    }

    // The string overload and composeKeys agree (no control keys of ours involved there).
    Composer whole(options);
    whole.type(keys);
    fuzz::requireNfc(whole.text(), "text typed as one string is valid UTF-8 in NFC");
    require(whole.text() == composeKeys(keys, options), "type(string) equals composeKeys");

    // Arbitrary bytes given to setText: refused when not UTF-8, else stored as NFC.
    Composer loaded(options);
    const bool accepted = loaded.setText(keys).ok();
    require(accepted == isValidUtf8(keys), "setText accepts exactly valid UTF-8");
    fuzz::requireNfc(loaded.text(), "setText stores NFC");
    loaded.type(U'a');
    loaded.backspace();
    fuzz::requireNfc(loaded.text(), "keys after setText keep NFC");
    return 0;
}
