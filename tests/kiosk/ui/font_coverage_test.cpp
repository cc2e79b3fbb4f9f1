// Every character of every UI string, in every language, must be in the loaded font: ImGui draws a
// character outside its glyph ranges as "?", and GetGlyphRangesVietnamese() alone lacks — … “ ” ₫.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <filesystem>
#include <fstream>

#include "core/text.h"
#include "tests/support/store_fixture.h"
#include "tests/kiosk/ui/ui_harness.h"

namespace {

std::string describe(const std::u32string& missing) {
    std::string out;
    for (char32_t c : missing) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "U+%04X ", unsigned(c));
        out += buf;
        kiosk::appendUtf8(out, c);
        out += " ";
    }
    return out;
}

}  // namespace

TEST_CASE("every UI string in every language can be drawn by every text font") {
    const auto& strings = testing_support::uiStrings();
    const auto& fonts = testing_support::sharedFonts().fonts;
    std::vector<std::string> texts = kiosk::ui::textsToDraw(strings, testing_support::realReference());
    texts.push_back(kiosk::ui::extraCharacters());
    REQUIRE(texts.size() > strings.size());
    int checked = 0;
    for (const kiosk::ui::FontSet* set : {&fonts.normal, &fonts.large}) {
        for (ImFont* font : {set->body, set->bold, set->heading, set->title}) {
            REQUIRE(font != nullptr);
            for (const std::string& text : texts) {
                const std::u32string missing = kiosk::ui::missingGlyphs(*font, text);
                INFO("text: " << text);
                CHECK(describe(missing) == "");
                ++checked;
            }
        }
    }
    CHECK(checked > 1000);
}

TEST_CASE("the coverage check fails on characters the font lacks") {
    const auto& fonts = testing_support::sharedFonts().fonts;
    CHECK_FALSE(kiosk::ui::missingGlyphs(*fonts.normal.body, "Hộp thư ☃").empty());
    CHECK(kiosk::ui::missingGlyphs(*fonts.normal.body, "Đề nghị — “phản ánh” … 8.000 ₫").empty());
}

TEST_CASE("every precomposed Vietnamese letter and the receipt code's characters are in the fonts") {
    const auto& fonts = testing_support::sharedFonts().fonts;
    std::string letters;
    for (const char* base : {"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
                             "A", "Ă", "Â", "E", "Ê", "I", "O", "Ô", "Ơ", "U", "Ư", "Y"})
        for (const char* tone : {"", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"})
            letters += kiosk::toNfc(std::string(base) + tone);
    letters += "đĐ";
    REQUIRE(kiosk::codepointCount(letters) == 24 * 6 + 2);
    CHECK(describe(kiosk::ui::missingGlyphs(*fonts.normal.body, letters)) == "");
    CHECK(describe(kiosk::ui::missingGlyphs(*fonts.large.bold, letters)) == "");
    // Every printable ASCII character, as typed on the keyboard's letter and symbol pages.
    std::string ascii;
    for (char c = 0x20; c < 0x7F; ++c) ascii += c;
    for (const kiosk::ui::FontSet* set : {&fonts.normal, &fonts.large})
        for (ImFont* font : {set->body, set->bold, set->heading, set->title, set->input}) {
            CHECK(describe(kiosk::ui::missingGlyphs(*font, ascii)) == "");
            CHECK(describe(kiosk::ui::missingGlyphs(*font, letters)) == "");
        }
    // The code font draws receipt codes, the check PIN and the countdown: digits only.
    CHECK(describe(kiosk::ui::missingGlyphs(*fonts.normal.code, "0123 4567 8901 2345")) == "");
}

TEST_CASE("every UI string is NFC") {
    for (const std::string& text : testing_support::uiStrings().allTexts()) {
        INFO(text);
        CHECK(kiosk::toNfc(text) == text);
    }
}

TEST_CASE("every character the screens' code writes itself can be drawn") {
    // Separators and arrows composed in code ("  ·  ", "→") never pass through strings.tsv.
    const auto& fonts = testing_support::sharedFonts().fonts;
    int files = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::string(KIOSK_SOURCE_DIR) + "/kiosk/ui")) {
        if (entry.path().extension() != ".cpp") continue;
        ++files;
        std::ifstream in(entry.path());
        std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::string nonAscii;
        for (char32_t c : kiosk::toCodepoints(source))
            if (c > 0x7F) kiosk::appendUtf8(nonAscii, c);
        INFO(entry.path().filename().string());
        CHECK(describe(kiosk::ui::missingGlyphs(*fonts.normal.body, nonAscii)) == "");
    }
    CHECK(files > 5);
}
