#pragma once
// The kiosk's fonts: NotoSans Regular and Bold (Debian fonts-noto-core), found at run time, built
// into ImGui's atlas at the sizes the screens use, in a normal and a large-text set.
// ImGui only rasterises the characters it is given ranges for, and each costs time before the first
// frame: the ranges here are what can be typed (printable ASCII and the Vietnamese letters) plus
// every character of the texts passed in (all UI strings in every language, commune names, the
// procedure catalog) and the punctuation the program composes (— … “ ” ₫).
// A character outside the ranges draws as "?" — the font-coverage test walks every UI string.
// Not the theme (theme.h). Called once at start-up on the UI thread, before the first frame.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "imgui.h"
#include "core/reference_data.h"
#include "common/result.h"
#include "core/strings.h"

namespace kiosk::ui {

// "Chữ to hơn": every text size times this. 1.5 is the least that reads as a clear step up for
// eyes that need it (body text 34 → 51 px at 1080p); every screen is laid out for it.
constexpr float kLargeTextFactor = 1.5f;

// One size family. Every pointer is owned by the ImGui font atlas.
struct FontSet {
    ImFont* body = nullptr;     // running text, 34 px at 1080p (≥ 28 required)
    ImFont* bold = nullptr;     // labels, buttons
    ImFont* heading = nullptr;  // screen headings
    ImFont* title = nullptr;    // the commune name, big buttons
    ImFont* input = nullptr;    // what a citizen types, in the fields (42 px: easy to check)
    ImFont* code = nullptr;     // receipt codes, the check PIN, the countdown: digits, - . / space only
};

struct FontFiles {
    std::filesystem::path regular;
    std::filesystem::path bold;
    std::filesystem::path symbols;  // NotoSansMath-Regular.ttf, merged in for ≤ ≥ → and the like
                                    // NotoSans lacks; empty when not installed
};

// NotoSans-Regular.ttf and NotoSans-Bold.ttf (and NotoSansMath-Regular.ttf when present) from
// $KIOSK_FONT_DIR, then the Debian and usual system font folders. The error says to install
// fonts-noto-core.
Result<FontFiles> findFontFiles();

struct Fonts {
    FontSet normal;
    FontSet large;             // the large-text switch: every size × kLargeTextFactor (= normal until built)
    bool largeBuilt = false;   // false: `large` points at the normal fonts (loadFonts withLarge)
    ImVector<ImWchar> ranges;  // what the text fonts were built with (kept for the coverage check)
    ImVector<ImWchar> codeRanges;
    float scale = 1.0f;

    const FontSet& set(bool largeText) const { return largeText ? large : normal; }
};

// Adds both font families to `atlas` (cleared first) at sizes × scale and builds it. `texts` are
// scanned for characters beyond the Vietnamese ranges. The Fonts object must outlive the atlas's
// use of the ranges (it keeps them). Each file is read once; the atlas keeps its own copy of it per
// size until ImFontAtlas::ClearInputData (the program calls it once the texture is made).
// withLarge = false leaves the large family out (about half the atlas and of the time to build
// it): the program builds it on the first use of the large-text switch, by calling this again.
Result<Fonts> loadFonts(ImFontAtlas& atlas, const FontFiles& files, float scale,
                        const std::vector<std::string>& texts, bool withLarge = true);

// Characters the program draws itself (separators, the PIN mask, punctuation in composed lines).
const char* extraCharacters();

// Every text the kiosk may draw besides what citizens type: all UI strings in both languages, the
// commune names and the procedure catalog. loadFonts builds its ranges from these.
std::vector<std::string> textsToDraw(const Strings& strings, const ReferenceData& reference);

// The code points of `text` that the built font cannot draw (neither in its ranges nor in the
// file); empty when it can draw all of them. Line breaks are ignored.
std::u32string missingGlyphs(const ImFont& font, std::string_view text);

// A check for tests and debugging: while enabled, every string the widgets draw is looked up
// character by character (missingGlyphs) in the font it is drawn with, and a string the font cannot
// draw in full — "Mã kiểm tra" in the digits-only code font shows as "M  ki m tra" — is counted.
// Off in service: the lookups would cost every frame for a mistake the tests catch. UI thread.
struct GlyphCheck {
    bool enabled = false;
    int misses = 0;                  // strings drawn with a font lacking some of their characters
    std::vector<std::string> found;  // the first few of them, with the font's size and what it lacks
    std::vector<std::string> drawn;  // every string checked, in order (the caller clears it)
};
GlyphCheck& glyphCheck();
// Every text primitive calls this before drawing `text` with `font`.
void checkGlyphs(const ImFont* font, std::string_view text);

}  // namespace kiosk::ui
