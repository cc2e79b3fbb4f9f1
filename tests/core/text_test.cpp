// Vietnamese text: strict UTF-8, NFC, field cleanup and search folding. The source file is UTF-8
// NFC; decomposed (NFD) and broken input is spelled with escapes (split where a hex digit follows).
#include <catch2/catch.hpp>

#include "core/text.h"

using kiosk::codepointCount;
using kiosk::foldForSearch;
using kiosk::isValidUtf8;
using kiosk::normalizeText;
using kiosk::toNfc;

namespace {

// "Nguyễn" and "Việt" decomposed: base letter + combining marks.
const std::string kNguyenNfd = "Nguye\xCC\x82\xCC\x83n";
const std::string kVietNfd = "Vie\xCC\xA3\xCC\x82t";

bool isAscii(const std::string& s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("isValidUtf8 accepts well-formed text", "[text]") {
    CHECK(isValidUtf8(""));
    CHECK(isValidUtf8("abc"));
    CHECK(isValidUtf8("Tiếng Việt có dấu: Đăng ký khai sinh"));
    CHECK(isValidUtf8(kNguyenNfd));
    CHECK(isValidUtf8("\xF0\x9F\x98\x80"));      // U+1F600
    CHECK(isValidUtf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF, the last code point
    CHECK(isValidUtf8("\xED\x9F\xBF"));          // U+D7FF, just below the surrogates
    CHECK(isValidUtf8("\xEE\x80\x80"));          // U+E000, just above them
    CHECK(isValidUtf8(std::string("a\0b", 3)));  // NUL is UTF-8 (and a control character)
}

TEST_CASE("isValidUtf8 refuses overlong forms, surrogates, truncation and stray bytes", "[text]") {
    for (const std::string bad : {
             "\xC0\xAF",
             "\xC1\xBF",
             "\xE0\x80\xAF",
             "\xE0\x9F\xBF",
             "\xF0\x80\x80\xAF",
             "\xF0\x8F\xBF\xBF",  // overlong
             "\xED\xA0\x80",
             "\xED\xBF\xBF",
             "\xED\xA0\xBD\xED\xB8\x80",  // surrogates (CESU)
             "\xF4\x90\x80\x80",
             "\xF5\x80\x80\x80",
             "\xF8\x88\x80\x80\x80",  // beyond U+10FFFF
             "\xFE",
             "\xFF",
             "\x80",
             "a\xBF"
             "b",  // stray bytes
             "\xE1\xBB",
             "Vi\xE1\xBB",
             "\xF0\x9F\x98",
             "\xC3",  // truncated
             "\xE1\x41\x80",
             "\xC3\xC3\xA9",  // bad continuation
         }) {
        INFO("bytes: " << bad.size());
        CHECK_FALSE(isValidUtf8(bad));
        CHECK(normalizeText(bad, 100, true).error().code == "text.utf8");
    }
}

TEST_CASE("isValidUtf8 agrees with the encoder over every code point", "[text]") {
    // Every scalar value encodes to something valid that decodes back to itself...
    for (char32_t c = 0; c <= 0x10FFFF; ++c) {
        if (c >= 0xD800 && c <= 0xDFFF) continue;
        std::string encoded;
        kiosk::appendUtf8(encoded, c);
        REQUIRE(isValidUtf8(encoded));
        REQUIRE(kiosk::toCodepoints(encoded) == std::u32string(1, c));
    }
    // ...and among all two- and three-byte strings exactly the encodings of U+0080..U+07FF and of
    // U+0800..U+FFFF minus the surrogates are valid (one-byte prefixes counted apart).
    size_t validTwo = 0;
    for (int a = 0x80; a < 0x100; ++a) {
        for (int b = 0; b < 0x100; ++b) {
            const char s[] = {static_cast<char>(a), static_cast<char>(b)};
            if (isValidUtf8(std::string_view(s, 2))) ++validTwo;
        }
    }
    CHECK(validTwo == 0x800 - 0x80);
    size_t validThree = 0;
    for (int a = 0xE0; a < 0xF0; ++a) {
        for (int b = 0x80; b < 0xC0; ++b) {
            for (int c = 0; c < 0x100; ++c) {
                const char s[] = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
                if (isValidUtf8(std::string_view(s, 3))) ++validThree;
            }
        }
    }
    CHECK(validThree == 0x10000 - 0x800 - 0x800);
}

TEST_CASE("codepointCount counts code points, not bytes", "[text]") {
    CHECK(codepointCount("") == 0);
    CHECK(codepointCount("Việt") == 4);
    CHECK(codepointCount(kVietNfd) == 6);
    CHECK(codepointCount("\xF0\x9F\x98\x80") == 1);
    CHECK(codepointCount("Đăng ký") == 7);
}

TEST_CASE("toNfc composes decomposed Vietnamese", "[text]") {
    CHECK(toNfc(kNguyenNfd) == "Nguyễn");
    CHECK(toNfc(kVietNfd) == "Việt");
    CHECK(toNfc("Việt") == "Việt");
    // Marks in a non-canonical order still compose: dot below (ccc 220) before circumflex (230).
    CHECK(toNfc("Vie\xCC\x82\xCC\xA3t") == "Việt");
    CHECK(toNfc("e\xCC\x82\xCC\x81") == "ế");
}

TEST_CASE("normalizeText: NFC, spaces collapsed, outer whitespace trimmed", "[text]") {
    auto r = normalizeText("  " + kNguyenNfd + "   Văn\u00A0\u00A0A  ", 100, false);
    REQUIRE(r.ok());
    CHECK(*r == "Nguyễn Văn A");
    CHECK(normalizeText("\u3000Tân\u2002Yên\u3000", 100, false).value() == "Tân Yên");
    CHECK(normalizeText("", 100, false).value().empty());
    CHECK(normalizeText("    ", 100, false).value().empty());
    CHECK(normalizeText(kVietNfd, 100, false).value() == "Việt");
}

TEST_CASE("normalizeText refuses control characters and tabs", "[text]") {
    for (const std::string& bad : {std::string("a\0b", 3),
                                   std::string("a\x01"
                                               "b"),
                                   std::string("a\tb"), std::string("a\x1B[31mb"),
                                   std::string("a\x7F"
                                               "b"),
                                   std::string("a\xC2\x85"
                                               "b"),
                                   std::string("a\xC2\x9F"
                                               "b"),
                                   std::string("12\xE2\x80\xAE"
                                               "34"),  // RLO
                                   std::string("a\xE2\x81\xA6"
                                               "b"),
                                   std::string("a\xE2\x80\xA8"
                                               "b")}) {
        auto r = normalizeText(bad, 100, true);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "text.control");
        CHECK_FALSE(r.error().vi.empty());
        CHECK_FALSE(r.error().en.empty());
    }
}

TEST_CASE("normalizeText: line breaks only where allowed, tidied", "[text]") {
    CHECK(normalizeText("a\nb", 100, false).error().code == "text.newline");
    CHECK(normalizeText("a\r\nb", 100, false).error().code == "text.newline");
    CHECK(normalizeText("a\rb", 100, false).error().code == "text.newline");
    CHECK(normalizeText("a \r\n  b\r\rc\n\n\n\nd  ", 100, true).value() == "a\nb\n\nc\n\nd");
    CHECK(normalizeText("\n\n  Kính gửi UBND xã  \n\n", 100, true).value() == "Kính gửi UBND xã");
    CHECK(normalizeText("dòng 1  \n   dòng 2", 100, true).value() == "dòng 1\ndòng 2");
}

TEST_CASE("normalizeText limits code points after composition", "[text]") {
    CHECK(normalizeText("Việt", 4, false).ok());
    CHECK(normalizeText(kVietNfd, 4, false).ok());  // 6 code points typed, 4 stored
    auto r = normalizeText("Việt Nam", 4, false);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "text.too-long");
    CHECK(r.error().vi.find("4") != std::string::npos);
    CHECK(normalizeText("  abcd  ", 4, false).ok());  // trimmed before counting
    CHECK(normalizeText("a     b", 3, false).ok());   // collapsed before counting
}

TEST_CASE("foldForSearch: lowercase ASCII without diacritics, đ -> d", "[text]") {
    CHECK(foldForSearch("Đăng ký khai sinh") == "dang ky khai sinh");
    CHECK(foldForSearch("ĐẶNG KÝ KẾT HÔN") == "dang ky ket hon");
    CHECK(foldForSearch("  Phường\tTân \n Yên  ") == "phuong tan yen");
    CHECK(foldForSearch(kNguyenNfd) == foldForSearch("Nguyễn"));
    CHECK(foldForSearch("Nguyễn") == "nguyen");
    CHECK(foldForSearch("ＡＢＣ１２３") == "abc123");  // full-width forms
    CHECK(foldForSearch("dang ky") == "dang ky");
    CHECK(foldForSearch("") == "");
    // Every vowel with every tone, both cases, and đ.
    const std::string lower = "àáảãạ ằắẳẵặ ầấẩẫậ èéẻẽẹ ềếểễệ ìíỉĩị òóỏõọ ồốổỗộ ờớởỡợ ùúủũụ ừứửữự ỳýỷỹỵ đ";
    const std::string upper = "ÀÁẢÃẠ ẰẮẲẴẶ ẦẤẨẪẬ ÈÉẺẼẸ ỀẾỂỄỆ ÌÍỈĨỊ ÒÓỎÕỌ ỒỐỔỖỘ ỜỚỞỠỢ ÙÚỦŨỤ ỪỨỬỮỰ ỲÝỶỸỴ Đ";
    const std::string expected = "aaaaa aaaaa aaaaa eeeee eeeee iiiii ooooo ooooo ooooo uuuuu uuuuu yyyyy d";
    CHECK(foldForSearch(lower) == expected);
    CHECK(foldForSearch(upper) == expected);
    CHECK(foldForSearch("ăâêôơư ĂÂÊÔƠƯ") == "aaeoou aaeoou");
    CHECK(isAscii(foldForSearch(lower + upper)));
}

TEST_CASE("foldForSearch survives broken UTF-8", "[text]") {
    const std::string folded = foldForSearch(
        "Đ\xFF"
        "ông \xE1\xBB");
    CHECK(isValidUtf8(folded));
    CHECK(folded.rfind("d", 0) == 0);
    CHECK(folded.find("ong") != std::string::npos);
}
