// Telex/VNI composer: tables of keystrokes and the text they must give, in both tone styles,
// plus a round trip over generated Vietnamese syllables whose expected spelling is built
// independently of the composer (base letters + a combining tone mark, composed by utf8proc).
#include <catch2/catch.hpp>
#include <utf8proc.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/composer.h"

using kiosk::composeKeys;
using kiosk::Composer;
using kiosk::ComposerOptions;
using kiosk::InputMethod;
using kiosk::ToneStyle;

namespace {

struct Case {
    const char* keys;
    const char* oldStyle;  // expected text, old tone style (the default)
    const char* newStyle;  // expected text in the new style; nullptr when it is the same
};

std::string nfc(const std::string& text) {
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
        &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    REQUIRE(n >= 0);
    std::string result(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
    std::free(out);
    return result;
}

void checkTable(const std::vector<Case>& cases, InputMethod method) {
    for (const Case& c : cases) {
        const std::string oldText = composeKeys(c.keys, method, ToneStyle::Old);
        const std::string newText = composeKeys(c.keys, method, ToneStyle::New);
        INFO("keys: " << c.keys);
        CHECK(oldText == c.oldStyle);
        CHECK(newText == (c.newStyle ? c.newStyle : c.oldStyle));
        CHECK(nfc(oldText) == oldText);
        CHECK(nfc(newText) == newText);
    }
}

}  // namespace

TEST_CASE("Telex composes Vietnamese as typists expect", "[composer]") {
    // \b in keys is a backspace key.
    const std::vector<Case> cases{
        // tones, anywhere after the vowel
        {"as", "á", nullptr},
        {"af", "à", nullptr},
        {"ar", "ả", nullptr},
        {"ax", "ã", nullptr},
        {"aj", "ạ", nullptr},
        {"asf", "à", nullptr},
        {"asz", "a", nullptr},
        {"tieesng", "tiếng", nullptr},
        {"tieengs", "tiếng", nullptr},
        {"tiesnge", "tiếng", nullptr},
        {"hoafn", "hoàn", nullptr},
        // tone placement, old versus new style
        {"hoaf", "hòa", "hoà"},
        {"hoef", "hòe", "hoè"},
        {"thuyr", "thủy", "thuỷ"},
        {"Thuyr", "Thủy", "Thuỷ"},
        {"HOAF", "HÒA", "HOÀ"},
        {"hoanf", "hoàn", nullptr},
        {"toasn", "toán", nullptr},
        {"huyfnh", "huỳnh", nullptr},
        {"quas", "quá", nullptr},
        {"quys", "quý", nullptr},
        {"quyeenf", "quyền", nullptr},
        {"gias", "giá", nullptr},
        {"gif", "gì", nullptr},
        {"gifn", "gìn", nullptr},
        {"giuwax", "giữa", nullptr},
        {"nguyeenx", "nguyễn", nullptr},
        {"khuyeen", "khuyên", nullptr},
        {"khuyur", "khuỷu", nullptr},
        {"mias", "mía", nullptr},
        {"muaf", "mùa", nullptr},
        {"muwa", "mưa", nullptr},
        {"ngoaif", "ngoài", nullptr},
        {"xoays", "xoáy", nullptr},
        {"yeeus", "yếu", nullptr},
        {"hatj", "hạt", nullptr},
        {"hatf", "hatf", nullptr},  // c ch p t take only sắc and nặng
        {"gisa", "giá", nullptr},   // the tone leaves the i of gi once the real vowel comes
        {"qusa", "quá", nullptr},
        {"Ddawsk Lawsk", "Đắk Lắk", nullptr},
        {"Kroong Buks", "Krông Búk", nullptr},
        // hats, horns, breve, đ
        {"tooi", "tôi", nullptr},
        {"aw", "ă", nullptr},
        {"awn", "ăn", nullptr},
        {"ow", "ơ", nullptr},
        {"uw", "ư", nullptr},
        {"sowr", "sở", nullptr},
        {"cuoocj", "cuộc", nullptr},
        {"bieets", "biết", nullptr},
        {"ddaauf", "đầu", nullptr},
        {"ddi", "đi", nullptr},
        {"hoawcj", "hoặc", nullptr},
        {"tuaanf", "tuần", nullptr},
        {"aaw", "ă", nullptr},  // â then w switches to ă
        // ư and ơ together
        {"truwowngf", "trường", nullptr},
        {"truowngf", "trường", nullptr},
        {"truongwf", "trường", nullptr},
        {"dduwongf", "đường", nullptr},
        {"nguwowif", "người", nullptr},
        {"nguoiwf", "người", nullptr},
        {"ruwowuj", "rượu", nullptr},
        {"thuowr", "thuở", nullptr},
        {"thuowngr", "thưởng", nullptr},
        {"huow", "huơ", nullptr},
        {"quowr", "quở", nullptr},
        {"uow", "uơ", nullptr},
        {"uwowo", "uô", nullptr},
        // w on its own
        {"w", "ư", nullptr},
        {"ww", "w", nullptr},
        {"nhw", "như", nullptr},
        {"thwf", "thừ", nullptr},
        {"giwx", "giữ", nullptr},
        {"Wf", "Ừ", nullptr},
        // double key undoes, and the word stays literal
        {"ass", "as", nullptr},
        {"aaa", "aa", nullptr},
        {"eee", "ee", nullptr},
        {"ooo", "oo", nullptr},
        {"xooong", "xoong", nullptr},
        {"aww", "aw", nullptr},
        {"uww", "uw", nullptr},
        {"ddd", "dd", nullptr},
        {"uoww", "uow", nullptr},
        {"tesst", "test", nullptr},
        {"bosss", "boss", nullptr},
        // upper case follows the letter being changed
        {"DDaij", "Đại", nullptr},
        {"Ddaij", "Đại", nullptr},
        {"dDaij", "đại", nullptr},
        {"TOOI", "TÔI", nullptr},
        {"TRUWOWNGF", "TRƯỜNG", nullptr},
        {"NGuyeenx", "NGuyễn", nullptr},
        // not Vietnamese, not garbled
        {"sa", "sa", nullptr},
        {"xin", "xin", nullptr},
        {"z", "z", nullptr},
        {"fast", "fast", nullptr},
        {"class", "class", nullptr},
        {"email", "email", nullptr},
        {"Gooogle", "Google", nullptr},
        {"ddc", "đc", nullptr},  // the usual abbreviation of "được"
        {"0912345678", "0912345678", nullptr},
        {"abc123", "abc123", nullptr},
        {"as1s", "á1s", nullptr},  // digits are literal and end the word
        // words compose independently
        {"as as", "á á", nullptr},
        {"as,as.", "á,á.", nullptr},
        {"Tooi xin khieeus naij veef vieecj ddaats ddai", "Tôi xin khiếu nại về việc đất đai", nullptr},
        {"Xax Thais Hoaf, huyeenj Hamf Yeen, tirnh Tuyeen Quang",
         "Xã Thái Hòa, huyện Hàm Yên, tỉnh Tuyên Quang", "Xã Thái Hoà, huyện Hàm Yên, tỉnh Tuyên Quang"},
        {"Ddeef nghij xuwr lys thuyr lowij", "Đề nghị xử lý thủy lợi", "Đề nghị xử lý thuỷ lợi"},
        // backspace removes the last character and the word is re-derived
        {"tieengs\b", "tiến", nullptr},
        {"tieengs\bg", "tiếng", nullptr},
        {"hoanf\b", "hòa", "hoà"},
        {"hoaf\bn", "hòn", "hon"},  // the new style deletes the toned à itself
        {"ass\bs", "á", nullptr},
        {"aaa\ba", "â", nullptr},
        {"ww\bw", "ư", nullptr},
        {"truowng\b\b", "trươ", nullptr},
        {"ddi\b\b", "", nullptr},
        {"\b\bas", "á", nullptr},
        {"as \bs", "as", nullptr},  // back in the word "á", s is the same tone again: undo
    };
    checkTable(cases, InputMethod::Telex);
}

TEST_CASE("VNI composes with digits and leaves other digits alone", "[composer]") {
    const std::vector<Case> cases{
        {"a1", "á", nullptr},
        {"a2", "à", nullptr},
        {"a3", "ả", nullptr},
        {"a4", "ã", nullptr},
        {"a5", "ạ", nullptr},
        {"a10", "a", nullptr},
        {"a12", "à", nullptr},
        {"a6", "â", nullptr},
        {"a8", "ă", nullptr},
        {"o7", "ơ", nullptr},
        {"u7", "ư", nullptr},
        {"d9", "đ", nullptr},
        {"tie6ng1", "tiếng", nullptr},
        {"tie61ng", "tiếng", nullptr},
        {"tie1ng6", "tiếng", nullptr},
        {"hoa2", "hòa", "hoà"},
        {"thuy3", "thủy", "thuỷ"},
        {"hoa2n", "hoàn", nullptr},
        {"qua1", "quá", nullptr},
        {"gia1", "giá", nullptr},
        {"Nguye6n4", "Nguyễn", nullptr},
        {"tru7o7ng2", "trường", nullptr},
        {"truo7ng2", "trường", nullptr},
        {"ngu7o72i", "người", nullptr},
        {"thuo73", "thuở", nullptr},
        {"mu7a", "mưa", nullptr},
        {"hoa8c5", "hoặc", nullptr},
        {"khuyu3", "khuỷu", nullptr},
        {"D9a5i", "Đại", nullptr},
        {"A1", "Á", nullptr},
        {"ba1n", "bán", nullptr},
        // double digit undoes, and is then an ordinary digit
        {"a11", "a1", nullptr},
        {"a66", "a6", nullptr},
        {"a88", "a8", nullptr},
        {"d99", "d9", nullptr},
        {"u77", "u7", nullptr},
        // digits that cannot apply are digits
        {"0912345678", "0912345678", nullptr},
        {"a0", "a0", nullptr},
        {"1a", "1a", nullptr},
        {"b6", "b6", nullptr},
        {"hat2", "hat2", nullptr},
        {"So61 0912 345 678", "Số 0912 345 678", nullptr},
        {"w", "w", nullptr},
        {"ass", "ass", nullptr},  // Telex keys are plain letters in VNI
        {"To6i xin khie6u1 na5i ve62 vie65c d9a6t1 d9ai", "Tôi xin khiếu nại về việc đất đai", nullptr},
        {"ba2n\b", "bà", nullptr},
        {"hoa2n\b", "hòa", "hoà"},
    };
    checkTable(cases, InputMethod::Vni);
}

namespace {

// A syllable shape for the round trip: a nucleus as written (no tone) and the index, among its
// code points, of the vowel that carries the tone. Independent of the composer's own rules.
struct Nucleus {
    const char32_t* vowels;
    bool open;        // may end the syllable
    bool closed;      // may take a final consonant
    int toneOldOpen;  // open syllable, old style
    int toneNewOpen;  // open syllable, new style
    int toneClosed;   // before a final consonant (both styles)
};

const std::vector<Nucleus>& nuclei() {
    static const std::vector<Nucleus> table{
        {U"a", true, true, 0, 0, 0},    {U"ă", false, true, 0, 0, 0},   {U"â", false, true, 0, 0, 0},
        {U"e", true, true, 0, 0, 0},    {U"ê", true, true, 0, 0, 0},    {U"i", true, true, 0, 0, 0},
        {U"o", true, true, 0, 0, 0},    {U"ô", true, true, 0, 0, 0},    {U"ơ", true, true, 0, 0, 0},
        {U"u", true, true, 0, 0, 0},    {U"ư", true, true, 0, 0, 0},    {U"y", true, false, 0, 0, 0},
        {U"ai", true, false, 0, 0, 0},  {U"ao", true, false, 0, 0, 0},  {U"au", true, false, 0, 0, 0},
        {U"ay", true, false, 0, 0, 0},  {U"âu", true, false, 0, 0, 0},  {U"ây", true, false, 0, 0, 0},
        {U"eo", true, false, 0, 0, 0},  {U"êu", true, false, 0, 0, 0},  {U"ia", true, false, 0, 0, 0},
        {U"iu", true, false, 0, 0, 0},  {U"oi", true, false, 0, 0, 0},  {U"ôi", true, false, 0, 0, 0},
        {U"ơi", true, false, 0, 0, 0},  {U"ui", true, false, 0, 0, 0},  {U"ưi", true, false, 0, 0, 0},
        {U"ưu", true, false, 0, 0, 0},  {U"ưa", true, false, 0, 0, 0},  {U"ua", true, false, 0, 0, 0},
        {U"oa", true, true, 0, 1, 1},   {U"oe", true, true, 0, 1, 1},   {U"uy", true, true, 0, 1, 1},
        {U"oă", false, true, 1, 1, 1},  {U"uâ", false, true, 1, 1, 1},  {U"uê", true, true, 1, 1, 1},
        {U"iê", false, true, 1, 1, 1},  {U"yê", false, true, 1, 1, 1},  {U"uô", false, true, 1, 1, 1},
        {U"ươ", false, true, 1, 1, 1},  {U"uơ", true, false, 1, 1, 1},  {U"iêu", true, false, 1, 1, 1},
        {U"yêu", true, false, 1, 1, 1}, {U"oai", true, false, 1, 1, 1}, {U"oay", true, false, 1, 1, 1},
        {U"uôi", true, false, 1, 1, 1}, {U"ươi", true, false, 1, 1, 1}, {U"ươu", true, false, 1, 1, 1},
        {U"uya", true, false, 1, 1, 1}, {U"uyu", true, false, 1, 1, 1}, {U"uây", true, false, 1, 1, 1},
        {U"oeo", true, false, 1, 1, 1}, {U"uyê", false, true, 2, 2, 2},
    };
    return table;
}

void appendUtf8(std::string& out, char32_t c) {
    utf8proc_uint8_t buffer[4];
    const utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buffer);
    out.append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
}

// Telex keys for one letter without tone.
std::string telexKeys(char32_t c) {
    switch (c) {
        case U'ă':
            return "aw";
        case U'â':
            return "aa";
        case U'ê':
            return "ee";
        case U'ô':
            return "oo";
        case U'ơ':
            return "ow";
        case U'ư':
            return "uw";
        case U'đ':
            return "dd";
        default:
            return std::string(1, static_cast<char>(c));
    }
}

std::string upperAscii(std::string text) {
    for (char& c : text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return text;
}

struct Syllable {
    std::string text;           // expected NFC spelling
    std::string keysToneLast;   // tone key typed last
    std::string keysToneEarly;  // tone key typed right after the vowels, before the final
    std::string final;
};

// Every combination of a few initials, all nuclei, finals and tones, as the language allows.
std::vector<Syllable> generateSyllables(ToneStyle style) {
    const std::vector<std::u32string> initials{U"",   U"b", U"ch", U"đ", U"kh", U"ng", U"nh", U"th",
                                               U"tr", U"x", U"h",  U"l", U"m",  U"gi", U"qu", U"s"};
    const std::vector<std::string> finals{"c", "ch", "m", "n", "ng", "nh", "p", "t"};
    const char* toneKeys = " sfrxj";
    // combining marks for sắc huyền hỏi ngã nặng
    const char32_t toneMarks[] = {0, 0x0301, 0x0300, 0x0309, 0x0303, 0x0323};
    std::vector<Syllable> out;
    for (const std::u32string& initial : initials) {
        for (const Nucleus& nucleus : nuclei()) {
            const std::u32string vowels = nucleus.vowels;
            const char32_t first = vowels[0];
            if (initial == U"gi" && (first == U'i' || first == U'y')) continue;
            if (initial == U"qu" && (first == U'o' || first == U'u' || first == U'ư' || first == U'i'))
                continue;
            std::vector<std::string> endings;
            if (nucleus.open) endings.push_back("");
            if (nucleus.closed) endings.insert(endings.end(), finals.begin(), finals.end());
            for (const std::string& final : endings) {
                const bool stop = final == "c" || final == "ch" || final == "p" || final == "t";
                for (int tone = 0; tone < 6; ++tone) {
                    if (stop && tone != 1 && tone != 5) continue;
                    const int at = !final.empty()            ? nucleus.toneClosed
                                   : style == ToneStyle::Old ? nucleus.toneOldOpen
                                                             : nucleus.toneNewOpen;
                    Syllable s;
                    std::string decomposed;
                    std::string initialKeys;
                    std::string vowelKeys;
                    for (char32_t c : initial) {
                        appendUtf8(decomposed, c);
                        initialKeys += telexKeys(c);
                    }
                    for (size_t i = 0; i < vowels.size(); ++i) {
                        appendUtf8(decomposed, vowels[i]);
                        if (tone != 0 && static_cast<int>(i) == at) appendUtf8(decomposed, toneMarks[tone]);
                        vowelKeys += telexKeys(vowels[i]);
                    }
                    decomposed += final;
                    s.text = nfc(decomposed);
                    const std::string toneKey = tone == 0 ? "" : std::string(1, toneKeys[tone]);
                    s.keysToneLast = initialKeys + vowelKeys + final + toneKey;
                    s.keysToneEarly = initialKeys + vowelKeys + toneKey + final;
                    s.final = final;
                    out.push_back(std::move(s));
                }
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("Telex round trip: every generated syllable types as itself", "[composer]") {
    for (ToneStyle style : {ToneStyle::Old, ToneStyle::New}) {
        const std::vector<Syllable> syllables = generateSyllables(style);
        REQUIRE(syllables.size() > 5000);
        size_t failures = 0;
        for (const Syllable& s : syllables) {
            INFO("style " << (style == ToneStyle::Old ? "old" : "new") << ", keys " << s.keysToneLast);
            const std::string typed = composeKeys(s.keysToneLast, InputMethod::Telex, style);
            const std::string early = composeKeys(s.keysToneEarly, InputMethod::Telex, style);
            // Title case and all capitals: only the case changes.
            std::string capitalKeys = upperAscii(s.keysToneLast);
            const std::string capitals = composeKeys(capitalKeys, InputMethod::Telex, style);
            std::string expectedCapitals;
            {
                utf8proc_uint8_t* out = nullptr;
                utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.text.data()),
                             static_cast<utf8proc_ssize_t>(s.text.size()), &out,
                             static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
                std::string lower(reinterpret_cast<const char*>(out));
                std::free(out);
                // upper-case code point by code point
                utf8proc_int32_t c = 0;
                for (size_t i = 0; i < lower.size();) {
                    const utf8proc_ssize_t n =
                        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(lower.data() + i),
                                         static_cast<utf8proc_ssize_t>(lower.size() - i), &c);
                    appendUtf8(expectedCapitals, static_cast<char32_t>(utf8proc_toupper(c)));
                    i += static_cast<size_t>(n);
                }
            }
            // Backspace then retyping the last final letter gives the syllable back.
            std::string retyped;
            if (!s.final.empty()) {
                retyped = composeKeys(s.keysToneLast + "\b" + s.final.back(), InputMethod::Telex, style);
            }
            const bool ok = typed == s.text && early == s.text && capitals == expectedCapitals &&
                            (s.final.empty() || retyped == s.text);
            if (!ok && ++failures <= 20) {
                CHECK(typed == s.text);
                CHECK(early == s.text);
                CHECK(capitals == expectedCapitals);
                if (!s.final.empty()) CHECK(retyped == s.text);
            }
        }
        CHECK(failures == 0);
    }
}

TEST_CASE("Composer edits text it was given and keeps it NFC", "[composer]") {
    Composer composer(InputMethod::Telex, ToneStyle::Old);
    // decomposed "Hoà" (o + a + combining grave) is stored precomposed
    REQUIRE(composer.setText("Ho\x61\xCC\x80").ok());
    CHECK(composer.text() == "Hoà");
    composer.type("n");  // the tone moves to its place for the new shape
    CHECK(composer.text() == "Hoàn");
    composer.backspace();
    CHECK(composer.text() == "Hòa");  // re-derived in this composer's (old) style

    REQUIRE(composer.setText("Xã Thái Hoa").ok());
    composer.type(U'f');
    CHECK(composer.text() == "Xã Thái Hòa");

    const kiosk::Outcome bad = composer.setText("abc\xC3");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "composer.utf8");
    CHECK_FALSE(bad.error().vi.empty());
    CHECK(composer.text() == "Xã Thái Hòa");  // unchanged

    composer.clear();
    CHECK(composer.text().empty());
    composer.backspace();  // nothing to delete is not an error
    CHECK(composer.text().empty());

    // keys given as UTF-8 strings: letters from the keyboard's own ư ơ keys compose too
    composer.type("tr");
    composer.type("ư");
    composer.type("ơngf");
    CHECK(composer.text() == "trường");
    // a combining mark typed after a letter is composed into it
    composer.clear();
    composer.type("e");
    composer.type(U'\u0301');
    CHECK(composer.text() == "é");
    // invalid bytes in a key string are skipped
    composer.clear();
    composer.type("a\xFFs");
    CHECK(composer.text() == "á");
}

TEST_CASE("Composer backspaces a whole sentence one character at a time", "[composer]") {
    Composer composer(InputMethod::Telex, ToneStyle::Old);
    composer.type("Tooi xin khieeus naij veef vieecj ddaats ddai");
    const std::string sentence = composer.text();
    REQUIRE(sentence == "Tôi xin khiếu nại về việc đất đai");
    size_t steps = 0;
    while (!composer.text().empty()) {
        composer.backspace();
        ++steps;
        CHECK(nfc(composer.text()) == composer.text());
    }
    CHECK(steps == 33);  // code points in the sentence, not bytes
}

TEST_CASE("Tone buttons toggle the tone without typing letters", "[composer]") {
    using kiosk::Tone;
    for (InputMethod method : {InputMethod::Telex, InputMethod::Vni}) {
        Composer composer(method, ToneStyle::New);
        CHECK_FALSE(composer.toggleTone(Tone::Acute));  // nothing to put it on
        CHECK(composer.text().empty());
        composer.type("hoa");
        REQUIRE(composer.toggleTone(Tone::Grave));
        CHECK(composer.text() == "hoà");
        REQUIRE(composer.toggleTone(Tone::Hook));  // another tone replaces it
        CHECK(composer.text() == "hoả");
        REQUIRE(composer.toggleTone(Tone::Hook));  // the same tone again takes it off
        CHECK(composer.text() == "hoa");
        CHECK_FALSE(composer.toggleTone(Tone::None));  // no tone to take off
        composer.type("t");
        CHECK_FALSE(composer.toggleTone(Tone::Grave));  // huyền cannot go before t
        REQUIRE(composer.toggleTone(Tone::Dot));
        CHECK(composer.text() == "hoạt");
        REQUIRE(composer.toggleTone(Tone::None));
        CHECK(composer.text() == "hoat");
        composer.type(" ");
        CHECK_FALSE(composer.toggleTone(Tone::Acute));  // the word has ended
        CHECK(composer.text() == "hoat ");
    }
}

TEST_CASE("Composer treats a very long run of letters as no syllable", "[composer]") {
    const std::string run(5000, 'x');
    CHECK(composeKeys(run + "as", InputMethod::Telex) == run + "as");
    CHECK(composeKeys(run + " as", InputMethod::Telex) == run + " á");
    Composer composer(InputMethod::Telex);
    composer.type(run + "\b\b");
    CHECK(composer.text() == std::string(4998, 'x'));
}

TEST_CASE("Composer options: methods, styles, bracket keys", "[composer]") {
    CHECK(kiosk::parseInputMethod("telex") == InputMethod::Telex);
    CHECK(kiosk::parseInputMethod("VNI") == InputMethod::Vni);
    CHECK_FALSE(kiosk::parseInputMethod("viqr").has_value());
    CHECK(kiosk::parseToneStyle("old") == ToneStyle::Old);
    CHECK(kiosk::parseToneStyle("New") == ToneStyle::New);
    CHECK_FALSE(kiosk::parseToneStyle("").has_value());

    CHECK(Composer().options().method == InputMethod::Telex);
    CHECK(Composer().options().toneStyle == ToneStyle::Old);
    CHECK(composeKeys("hoaf", ComposerOptions{}) == "hòa");

    ComposerOptions brackets;
    brackets.bracketVowels = true;
    CHECK(composeKeys("tr][ngf", brackets) == "trường");
    CHECK(composeKeys("{}", brackets) == "ƠƯ");
    CHECK(composeKeys("[a]", ComposerOptions{}) == "[a]");  // off by default: punctuation
    brackets.method = InputMethod::Vni;
    CHECK(composeKeys("[a]", brackets) == "[a]");  // Telex only

    Composer switching;
    switching.type("as ");
    switching.setOptions(ComposerOptions{InputMethod::Vni, ToneStyle::New, false});
    switching.type("hoa2");
    CHECK(switching.text() == "á hoà");
}
