#include "kiosk/ui/widgets/fonts.h"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

#include "core/text.h"

namespace kiosk::ui {
namespace {

std::vector<std::filesystem::path> fontDirs() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("KIOSK_FONT_DIR"); env && *env) dirs.emplace_back(env);
    dirs.emplace_back("/usr/share/fonts/truetype/noto");
    dirs.emplace_back("/usr/share/fonts/noto");
    dirs.emplace_back("/usr/local/share/fonts/truetype/noto");
    dirs.emplace_back("/usr/local/share/fonts");
    return dirs;
}

// Characters every screen may draw besides the strings file: typographic punctuation, the đồng
// sign, and what the program composes itself (separators, bullets, the PIN mask).
constexpr const char* kExtraCharacters = "—–…“”‘’•·₫№°×÷«»‹›©®±²³→←↑↓≤≥";

// What a citizen or an officer can type or the district can send (names, addresses, content):
// printable ASCII and every precomposed Vietnamese letter, in both cases — the Latin-1 and Latin
// Extended-A/B ones listed here, and Latin Extended Additional U+1EA0–U+1EF9. ImGui's
// GetGlyphRangesVietnamese() takes the whole of U+0020–U+00FF instead: some 60 characters no screen
// draws (German, French and Spanish letters, currency and paragraph signs), each rasterised at
// every size before the first frame. Characters of the texts the screens draw are added to these
// (textsToDraw), so a label may use any of them.
constexpr ImWchar kTypedRanges[] = {0x0020, 0x007E, 0x1EA0, 0x1EF9, 0};
constexpr const char* kVietnameseLetters = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư";

using FontData = std::vector<unsigned char>;  // a whole font file

// The whole file, or nothing when it cannot be read.
FontData readFontFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    FontData data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return {};
    return data;
}

void addFont(ImFontAtlas& atlas, const FontData& data, float size, const ImWchar* ranges, ImFont** out,
             bool merge = false) {
    ImFontConfig config;
    config.MergeMode = merge;
    // At these sizes horizontal oversampling buys nothing visible and triples the atlas.
    config.OversampleH = 1;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    // ImGui 1.86 copies data it does not own (ImFontAtlas::AddFont): read once, copied per size.
    config.FontDataOwnedByAtlas = false;
    ImFont* font = atlas.AddFontFromMemoryTTF(const_cast<unsigned char*>(data.data()), int(data.size()), size,
                                              &config, ranges);
    if (out) *out = font;
}

}  // namespace

Result<FontFiles> findFontFiles() {
    std::error_code ec;
    for (const auto& dir : fontDirs()) {
        FontFiles files{dir / "NotoSans-Regular.ttf", dir / "NotoSans-Bold.ttf"};
        if (std::filesystem::is_regular_file(files.regular, ec) &&
            std::filesystem::is_regular_file(files.bold, ec)) {
            if (std::filesystem::is_regular_file(dir / "NotoSansMath-Regular.ttf", ec))
                files.symbols = dir / "NotoSansMath-Regular.ttf";
            return files;
        }
    }
    return makeError("fonts.missing",
                     "Không tìm thấy phông chữ NotoSans (NotoSans-Regular.ttf, NotoSans-Bold.ttf). "
                     "Cài gói fonts-noto-core hoặc đặt KIOSK_FONT_DIR.",
                     "NotoSans fonts (NotoSans-Regular.ttf, NotoSans-Bold.ttf) not found. Install "
                     "the fonts-noto-core package or set KIOSK_FONT_DIR.");
}

Result<Fonts> loadFonts(ImFontAtlas& atlas, const FontFiles& files, float scale,
                        const std::vector<std::string>& texts, bool withLarge) {
    Fonts fonts;
    fonts.scale = scale;
    {
        ImFontGlyphRangesBuilder builder;
        builder.AddRanges(kTypedRanges);
        builder.AddText(kVietnameseLetters);
        builder.AddText(kExtraCharacters);
        for (const std::string& text : texts) {
            if (isValidUtf8(text)) builder.AddText(text.data(), text.data() + text.size());
        }
        builder.BuildRanges(&fonts.ranges);
    }
    {
        ImFontGlyphRangesBuilder builder;
        // The code font draws receipt codes, the check PIN and the idle countdown: digits and their
        // separators. Each glyph at 92 px costs as much to rasterise as five body-size ones.
        builder.AddText("0123456789 -./");
        builder.BuildRanges(&fonts.codeRanges);
    }
    const FontData regular = readFontFile(files.regular);
    const FontData bold = readFontFile(files.bold);
    const FontData symbols = files.symbols.empty() ? FontData() : readFontFile(files.symbols);
    for (const auto& [data, file] : {std::pair{&regular, &files.regular}, std::pair{&bold, &files.bold}}) {
        if (data->empty())
            return makeError("fonts.load", "Không đọc được tệp phông chữ " + file->string() + ".",
                             "Cannot read the font file " + file->string() + ".");
    }
    atlas.Clear();
    const ImWchar* ranges = fonts.ranges.Data;
    // Each text font, with the symbol font merged in: ImGui takes from it only the characters the
    // NotoSans file lacks.
    auto add = [&](const FontData& data, float size, ImFont** out) {
        addFont(atlas, data, size, ranges, out);
        if (!symbols.empty()) addFont(atlas, symbols, size, ranges, nullptr, true);
    };
    auto family = [&](FontSet& set, float factor) {
        const float s = scale * factor;
        add(regular, 34 * s, &set.body);
        add(bold, 34 * s, &set.bold);
        add(bold, 44 * s, &set.heading);
        add(bold, 58 * s, &set.title);
        add(regular, 42 * s, &set.input);
    };
    family(fonts.normal, 1.0f);
    if (withLarge) family(fonts.large, kLargeTextFactor);
    addFont(atlas, bold, 92 * scale, fonts.codeRanges.Data, &fonts.normal.code);
    if (!withLarge) fonts.large = fonts.normal;
    fonts.largeBuilt = withLarge;
    fonts.large.code = fonts.normal.code;  // already as large as a screen row allows
    for (ImFont* f : {fonts.normal.body, fonts.normal.bold, fonts.normal.heading, fonts.normal.title,
                      fonts.normal.input, fonts.normal.code, fonts.large.body, fonts.large.bold,
                      fonts.large.heading, fonts.large.title, fonts.large.input}) {
        if (!f)
            return makeError("fonts.load", "Không đọc được tệp phông chữ " + files.regular.string() + ".",
                             "Cannot read the font file " + files.regular.string() + ".");
    }
    if (!atlas.Build())
        return makeError("fonts.build", "Không dựng được bảng chữ.", "Could not build the font atlas.");
    return fonts;
}

const char* extraCharacters() { return kExtraCharacters; }

std::vector<std::string> textsToDraw(const Strings& strings, const ReferenceData& reference) {
    std::vector<std::string> texts = strings.allTexts();
    for (const Commune& c : reference.communes) texts.push_back(c.name);
    for (const Procedure& p : reference.procedures) {
        for (const std::string* s :
             {&p.name, &p.field, &p.processingTime, &p.fee, &p.documents, &p.where, &p.legalBasis})
            texts.push_back(*s);
    }
    return texts;
}

std::u32string missingGlyphs(const ImFont& font, std::string_view text) {
    std::u32string missing;
    for (char32_t c : toCodepoints(text)) {
        if (c == U'\n' || c == U'\r' || c == U'\t') continue;
        if (c > 0xFFFF || font.FindGlyphNoFallback(ImWchar(c)) == nullptr) {
            if (missing.find(c) == std::u32string::npos) missing.push_back(c);
        }
    }
    return missing;
}

GlyphCheck& glyphCheck() {
    static GlyphCheck check;
    return check;
}

void checkGlyphs(const ImFont* font, std::string_view text) {
    GlyphCheck& check = glyphCheck();
    if (!check.enabled || !font || text.empty()) return;
    check.drawn.emplace_back(text);
    const std::u32string missing = missingGlyphs(*font, text);
    if (missing.empty()) return;
    ++check.misses;
    if (check.found.size() >= 10) return;
    std::string lacks;
    for (char32_t c : missing) appendUtf8(lacks, c);
    check.found.push_back("\"" + std::string(text) + "\" in the " + std::to_string(int(font->FontSize)) +
                          " px font, which lacks \"" + lacks + "\"");
}

}  // namespace kiosk::ui
