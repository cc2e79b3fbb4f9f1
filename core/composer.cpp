// Telex/VNI composition. The rules are documented in composer.h; this file is organized as
//
// [SECTION] Letters: a Vietnamese letter as base + mark + tone + case, and back to NFC
// [SECTION] UTF-8
// [SECTION] Syllables: what counts as a Vietnamese syllable, and where its tone goes
// [SECTION] Modifiers: tone, hat/horn/breve, đ, and their undo
// [SECTION] Composer
#include "core/composer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <iterator>
#include <vector>

namespace kiosk {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Letters
// ---------------------------------------------------------------------------------------------

enum class Mark : uint8_t { None, Breve, Circumflex, Horn, Stroke };

// Tones in VNI digit order: 0 none (thanh ngang), 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
constexpr int kToneCount = 6;

struct Letter {
    char32_t base = 0;       // lower-case ASCII letter: the vowel or consonant without marks
    Mark mark = Mark::None;  // ă â ê ô ơ ư đ
    int tone = 0;            // 0..5, only ever non-zero on a vowel
    bool upper = false;
};

struct VowelRow {
    char32_t base;
    Mark mark;
    std::u32string_view lower;  // the six tones, in kToneCount order
    std::u32string_view upper;
};

// Every string below must hold precomposed (NFC) code points only; the test checks the output
// against utf8proc's NFC.
constexpr std::array<VowelRow, 12> kVowels{{
    {U'a', Mark::None, U"aáàảãạ", U"AÁÀẢÃẠ"},
    {U'a', Mark::Breve, U"ăắằẳẵặ", U"ĂẮẰẲẴẶ"},
    {U'a', Mark::Circumflex, U"âấầẩẫậ", U"ÂẤẦẨẪẬ"},
    {U'e', Mark::None, U"eéèẻẽẹ", U"EÉÈẺẼẸ"},
    {U'e', Mark::Circumflex, U"êếềểễệ", U"ÊẾỀỂỄỆ"},
    {U'i', Mark::None, U"iíìỉĩị", U"IÍÌỈĨỊ"},
    {U'o', Mark::None, U"oóòỏõọ", U"OÓÒỎÕỌ"},
    {U'o', Mark::Circumflex, U"ôốồổỗộ", U"ÔỐỒỔỖỘ"},
    {U'o', Mark::Horn, U"ơớờởỡợ", U"ƠỚỜỞỠỢ"},
    {U'u', Mark::None, U"uúùủũụ", U"UÚÙỦŨỤ"},
    {U'u', Mark::Horn, U"ưứừửữự", U"ƯỨỪỬỮỰ"},
    {U'y', Mark::None, U"yýỳỷỹỵ", U"YÝỲỶỸỴ"},
}};

bool isVowelBase(char32_t base) {
    return base == U'a' || base == U'e' || base == U'i' || base == U'o' || base == U'u' || base == U'y';
}

// The letter a code point spells, or nothing for digits, punctuation and letters foreign to
// Vietnamese composition (those end the current word).
std::optional<Letter> decodeLetter(char32_t c) {
    if (c >= U'a' && c <= U'z') return Letter{c, Mark::None, 0, false};
    if (c >= U'A' && c <= U'Z') return Letter{c - U'A' + U'a', Mark::None, 0, true};
    if (c == U'đ') return Letter{U'd', Mark::Stroke, 0, false};
    if (c == U'Đ') return Letter{U'd', Mark::Stroke, 0, true};
    if (c < 0xC0) return std::nullopt;
    for (const VowelRow& row : kVowels) {
        for (int tone = 0; tone < kToneCount; ++tone) {
            if (row.lower[static_cast<size_t>(tone)] == c) return Letter{row.base, row.mark, tone, false};
            if (row.upper[static_cast<size_t>(tone)] == c) return Letter{row.base, row.mark, tone, true};
        }
    }
    return std::nullopt;
}

char32_t encodeLetter(const Letter& letter) {
    if (letter.base == U'd' && letter.mark == Mark::Stroke) return letter.upper ? U'Đ' : U'đ';
    if (isVowelBase(letter.base)) {
        for (const VowelRow& row : kVowels) {
            if (row.base == letter.base && row.mark == letter.mark) {
                const auto tone = static_cast<size_t>(letter.tone);
                return letter.upper ? row.upper[tone] : row.lower[tone];
            }
        }
    }
    assert(letter.mark == Mark::None && letter.tone == 0 && "a mark or tone on a letter that has none");
    return letter.upper ? letter.base - U'a' + U'A' : letter.base;
}

// The letter as it would be spelled in lower case without tone: the key for spelling tables.
char32_t plainLower(const Letter& letter) {
    Letter plain = letter;
    plain.tone = 0;
    plain.upper = false;
    return encodeLetter(plain);
}

using Word = std::vector<Letter>;

// ---------------------------------------------------------------------------------------------
// [SECTION] UTF-8
// ---------------------------------------------------------------------------------------------

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// The code point starting at text[pos] and its length in bytes; length 0 for an invalid
// sequence (overlong forms, surrogates and values above U+10FFFF are invalid too).
std::pair<char32_t, size_t> decodeUtf8At(std::string_view text, size_t pos) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(pos);
    size_t length = 0;
    char32_t c = 0;
    if (lead < 0x80) return {lead, 1};
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        c = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        c = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        c = lead & 0x07;
    } else {
        return {0, 0};
    }
    if (pos + length > text.size()) return {0, 0};
    for (size_t i = 1; i < length; ++i) {
        if ((byte(pos + i) & 0xC0) != 0x80) return {0, 0};
        c = (c << 6) | (byte(pos + i) & 0x3F);
    }
    const bool overlong = (length == 3 && c < 0x800) || (length == 4 && c < 0x10000);
    if (overlong || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return {0, 0};
    return {c, length};
}

// Start of the last code point of a non-empty valid UTF-8 string.
size_t lastCodePointStart(std::string_view text) {
    size_t pos = text.size() - 1;
    while (pos > 0 && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
    return pos;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Syllables
// ---------------------------------------------------------------------------------------------

// Besides the national initials and finals, "kr" and final "k" spell official place names
// from minority languages (Krông Búk, Đắk Lắk). The lists stay strict otherwise, so that
// English words keep their letters ("class" is not "clás").
constexpr std::u32string_view kInitials[] = {
    U"",  U"b",  U"c",   U"ch", U"d", U"đ",  U"g",  U"gh", U"gi", U"h", U"k",  U"kh", U"kr", U"l", U"m",
    U"n", U"ng", U"ngh", U"nh", U"p", U"ph", U"qu", U"r",  U"s",  U"t", U"th", U"tr", U"v",  U"x"};

constexpr std::u32string_view kFinals[] = {U"", U"c", U"ch", U"k", U"m", U"n", U"ng", U"nh", U"p", U"t"};

// Vowel clusters by base letters, marks ignored: what a syllable may hold while being typed
// ("tieng" is on its way to "tiêng").
constexpr std::u32string_view kBaseClusters[] = {
    U"a",   U"e",   U"i",   U"o",   U"u",   U"y",                                    //
    U"ai",  U"ao",  U"au",  U"ay",  U"eo",  U"eu",  U"ia",  U"ie",  U"iu",  U"oa",   //
    U"oe",  U"oi",  U"oo",  U"ua",  U"ue",  U"ui",  U"uo",  U"uu",  U"uy",  U"ye",   //
    U"ieu", U"oai", U"oao", U"oay", U"oeo", U"uay", U"uoi", U"uou", U"uya", U"uye",  //
    U"uyu", U"yeu"};

// Clusters that end in a glide or are complete diphthongs: no final consonant may follow.
constexpr std::u32string_view kBaseClustersWithoutFinal[] = {
    U"ai",  U"ao",  U"au",  U"ay",  U"eo",  U"eu",  U"ia",  U"iu",  U"oi",  U"ui",  U"uu",
    U"ieu", U"oai", U"oao", U"oay", U"oeo", U"uay", U"uoi", U"uou", U"uya", U"uyu", U"yeu"};

// Vowel clusters as written, marks included: what a hat, horn or breve key may produce.
constexpr std::u32string_view kMarkedClusters[] = {
    U"a",   U"ă",   U"â",   U"e",   U"ê",   U"i",   U"o",   U"ô",   U"ơ",   U"u",   U"ư",
    U"y",   U"ai",  U"ao",  U"au",  U"ay",  U"âu",  U"ây",  U"eo",  U"êu",  U"ia",  U"iê",
    U"iu",  U"oa",  U"oă",  U"oe",  U"oi",  U"oo",  U"ôi",  U"ơi",  U"ua",  U"uâ",  U"uê",
    U"ui",  U"uô",  U"uơ",  U"uy",  U"ưa",  U"ưi",  U"ưu",  U"ươ",  U"yê",  U"iêu", U"oai",
    U"oao", U"oay", U"oeo", U"uây", U"uôi", U"uya", U"uyê", U"uyu", U"ươi", U"ươu", U"yêu"};

// Marked clusters that are open although their base letters may take a final (ua -> uân).
constexpr std::u32string_view kMarkedClustersWithoutFinal[] = {U"ưa", U"uơ"};

template <size_t N>
bool contains(const std::u32string_view (&table)[N], std::u32string_view value) {
    return std::find(std::begin(table), std::end(table), value) != std::end(table);
}

struct Syllable {
    bool valid = false;
    size_t nucleusBegin = 0;  // the vowel cluster [nucleusBegin, nucleusEnd); the u of qu and
    size_t nucleusEnd = 0;    // the i of gi belong to the initial when another vowel follows
    std::u32string final;     // "" or one of kFinals
    int tone = 0;             // the syllable's tone, wherever it currently sits

    bool hasNucleus() const { return nucleusEnd > nucleusBegin; }
    bool hasFinal() const { return !final.empty(); }
};

std::u32string baseString(const Word& word, size_t begin, size_t end) {
    std::u32string out;
    for (size_t i = begin; i < end; ++i) out += word[i].base;
    return out;
}

std::u32string plainString(const Word& word, size_t begin, size_t end) {
    std::u32string out;
    for (size_t i = begin; i < end; ++i) out += plainLower(word[i]);
    return out;
}

Syllable parseSyllable(const Word& word) {
    Syllable syllable;
    const size_t n = word.size();
    int toned = 0;
    for (const Letter& letter : word) {
        if (letter.tone != 0) {
            ++toned;
            syllable.tone = letter.tone;
        }
    }
    if (toned > 1) return syllable;

    size_t i = 0;
    while (i < n && !isVowelBase(word[i].base)) ++i;
    std::u32string initial = plainString(word, 0, i);
    size_t nucleusBegin = i;
    const bool vowelFollows = i + 1 < n && isVowelBase(word[i + 1].base);
    if (initial == U"g" && i < n && word[i].base == U'i' && word[i].mark == Mark::None && vowelFollows) {
        initial = U"gi";
        nucleusBegin = i + 1;
    } else if (initial == U"q") {
        if (i >= n || word[i].base != U'u' || word[i].mark != Mark::None) return syllable;
        initial = U"qu";
        nucleusBegin = vowelFollows ? i + 1 : i;
    }
    if (!contains(kInitials, initial)) return syllable;

    size_t nucleusEnd = nucleusBegin;
    while (nucleusEnd < n && isVowelBase(word[nucleusEnd].base)) ++nucleusEnd;
    for (size_t k = nucleusEnd; k < n; ++k) {
        if (isVowelBase(word[k].base)) return syllable;  // vowel after a consonant: two syllables
    }
    syllable.final = plainString(word, nucleusEnd, n);
    if (!contains(kFinals, syllable.final)) return syllable;
    if (nucleusEnd > nucleusBegin) {
        const std::u32string cluster = baseString(word, nucleusBegin, nucleusEnd);
        if (!contains(kBaseClusters, cluster)) return syllable;
        if (syllable.hasFinal() && contains(kBaseClustersWithoutFinal, cluster)) return syllable;
    }
    syllable.nucleusBegin = nucleusBegin;
    syllable.nucleusEnd = nucleusEnd;
    syllable.valid = true;
    return syllable;
}

bool isValidMarkedCluster(std::u32string_view cluster, bool hasFinal) {
    if (!contains(kMarkedClusters, cluster)) return false;
    if (!hasFinal) return true;
    const std::u32string base = [&] {
        std::u32string out;
        for (char32_t c : cluster) out += decodeLetter(c)->base;
        return out;
    }();
    return !contains(kBaseClustersWithoutFinal, base) && !contains(kMarkedClustersWithoutFinal, cluster);
}

// Where the tone goes (both styles agree except for open oa, oe, uy):
// 1. a single vowel takes it;
// 2. else the last vowel with a hat, horn or breve (ươ -> ơ, iê -> ê, ưa -> ư);
// 3. else, with a final consonant, the last vowel (hoàn, thuýt, khuỳnh);
// 4. else, open: the middle of three (ngoài, khuỷu), the first of two (mía, múa, cái), except
//    that the new style puts it on the second of oa, oe, uy (hoà, hoè, thuỷ).
size_t tonePosition(const Word& word, const Syllable& syllable, ToneStyle style) {
    const size_t begin = syllable.nucleusBegin;
    const size_t end = syllable.nucleusEnd;
    const size_t count = end - begin;
    if (count == 1) return begin;
    std::optional<size_t> lastMarked;
    for (size_t k = begin; k < end; ++k) {
        if (word[k].mark != Mark::None) lastMarked = k;
    }
    if (lastMarked) return *lastMarked;
    if (syllable.hasFinal()) return end - 1;
    if (count == 2) {
        const std::u32string cluster = baseString(word, begin, end);
        const bool secondInNewStyle = cluster == U"oa" || cluster == U"oe" || cluster == U"uy";
        return style == ToneStyle::New && secondInNewStyle ? begin + 1 : begin;
    }
    return begin + 1;
}

// Moves the syllable's tone to where it belongs now (or sets a new one). Needs a valid parse.
void placeTone(Word& word, const Syllable& syllable, int tone, ToneStyle style) {
    for (Letter& letter : word) letter.tone = 0;
    if (tone != 0 && syllable.hasNucleus()) word[tonePosition(word, syllable, style)].tone = tone;
}

// The u of a "uo" pair in the nucleus, if any (never the u of qu: that is the initial's).
std::optional<size_t> findUoPair(const Word& word, const Syllable& syllable) {
    for (size_t k = syllable.nucleusBegin; k + 1 < syllable.nucleusEnd; ++k) {
        if (word[k].base == U'u' && word[k + 1].base == U'o') return k;
    }
    return std::nullopt;
}

// After the shape of the word changed: "uơ" or "ưo" followed by a final or a glide becomes
// "ươ" (thuơ + ng = thương), and the tone moves to its place for the new shape.
void normalizeWord(Word& word, ToneStyle style) {
    const Syllable syllable = parseSyllable(word);
    if (!syllable.valid) return;
    if (const auto u = findUoPair(word, syllable)) {
        const bool halfHorned = (word[*u].mark == Mark::Horn) != (word[*u + 1].mark == Mark::Horn);
        const bool closed = syllable.hasFinal() || syllable.nucleusEnd > *u + 2;
        if (halfHorned && closed && word[*u + 1].mark != Mark::Circumflex) {
            word[*u].mark = Mark::Horn;
            word[*u + 1].mark = Mark::Horn;
        }
    }
    placeTone(word, syllable, syllable.tone, style);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Modifiers
// ---------------------------------------------------------------------------------------------

enum class Applied { No, Yes, Undone };

struct MarkTarget {
    char32_t base;
    Mark mark;
};

Applied applyTone(Word& word, int tone, ToneStyle style) {
    const Syllable syllable = parseSyllable(word);
    if (!syllable.valid || !syllable.hasNucleus()) return Applied::No;
    const bool stopFinal = syllable.final == U"c" || syllable.final == U"ch" || syllable.final == U"k" ||
                           syllable.final == U"p" || syllable.final == U"t";
    if (stopFinal && tone != 1 && tone != 5) return Applied::No;  // only sắc, nặng before c ch p t
    if (syllable.tone == tone) {
        placeTone(word, syllable, 0, style);
        return Applied::Undone;
    }
    placeTone(word, syllable, tone, style);
    return Applied::Yes;
}

Applied removeTone(Word& word, ToneStyle style) {
    const Syllable syllable = parseSyllable(word);
    if (!syllable.valid || syllable.tone == 0) return Applied::No;
    placeTone(word, syllable, 0, style);
    return Applied::Yes;
}

// Hat, horn or breve: the rightmost vowel among targets that yields a real cluster. With
// uoRule (Telex w, VNI 7) a "uo" pair takes the horn on both, or on the o alone while open.
Applied applyMark(Word& word, std::initializer_list<MarkTarget> targets, bool uoRule, ToneStyle style) {
    const Syllable syllable = parseSyllable(word);
    if (!syllable.valid || !syllable.hasNucleus()) return Applied::No;
    const size_t begin = syllable.nucleusBegin;
    const size_t end = syllable.nucleusEnd;

    if (uoRule) {
        if (const auto u = findUoPair(word, syllable)) {
            if (word[*u + 1].mark == Mark::Horn) {
                word[*u].mark = Mark::None;
                word[*u + 1].mark = Mark::None;
                placeTone(word, syllable, syllable.tone, style);
                return Applied::Undone;
            }
            const bool closed = syllable.hasFinal() || end > *u + 2;
            if (closed) word[*u].mark = Mark::Horn;  // an explicit ư stays ư either way
            word[*u + 1].mark = Mark::Horn;
            placeTone(word, syllable, syllable.tone, style);
            return Applied::Yes;
        }
    }
    for (size_t k = end; k-- > begin;) {
        for (const MarkTarget& target : targets) {
            if (word[k].base != target.base) continue;
            if (word[k].mark == target.mark) {
                word[k].mark = Mark::None;
                placeTone(word, syllable, syllable.tone, style);
                return Applied::Undone;
            }
            Word candidate = word;
            candidate[k].mark = target.mark;
            // ươ + o = uô: the hat on the o takes the horn off the u as well
            if (target.mark == Mark::Circumflex && target.base == U'o' && k > begin &&
                candidate[k - 1].base == U'u') {
                candidate[k - 1].mark = Mark::None;
            }
            if (isValidMarkedCluster(plainString(candidate, begin, end), syllable.hasFinal())) {
                word = std::move(candidate);
                placeTone(word, syllable, syllable.tone, style);
                return Applied::Yes;
            }
        }
    }
    return Applied::No;
}

Applied applyStroke(Word& word) {
    if (word.empty() || word[0].base != U'd') return Applied::No;
    const Syllable syllable = parseSyllable(word);
    if (!syllable.valid) return Applied::No;
    if (word[0].mark == Mark::Stroke) {
        word[0].mark = Mark::None;
        return Applied::Undone;
    }
    word[0].mark = Mark::Stroke;
    return Applied::Yes;
}

// Telex w where there is no vowel to put a horn on: after nothing or an initial consonant
// (or "gi") it is the vowel ư itself.
bool acceptsBareW(const Word& word) {
    const Syllable syllable = parseSyllable(word);
    if (!syllable.valid) return false;
    if (!syllable.hasNucleus()) return true;
    return word.size() == 2 && word[0].base == U'g' && word[1].base == U'i' && word[1].mark == Mark::None;
}

bool isCombining(char32_t c) {
    const utf8proc_property_t* property = utf8proc_get_property(static_cast<utf8proc_int32_t>(c));
    return property->combining_class != 0;
}

// NFC of valid UTF-8, or nothing when the input is not valid UTF-8.
std::optional<std::string> toNfc(std::string_view utf8) {
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t length = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()), static_cast<utf8proc_ssize_t>(utf8.size()),
        &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (length < 0) return std::nullopt;
    std::string result(reinterpret_cast<const char*>(out), static_cast<size_t>(length));
    std::free(out);
    return result;
}

char asciiLower(char32_t c) {
    if (c >= U'A' && c <= U'Z') return static_cast<char>(c - U'A' + U'a');
    if (c < 0x80) return static_cast<char>(c);
    return 0;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Composer
// ---------------------------------------------------------------------------------------------

// The longest syllable is 7 letters (nghiêng); a longer run of letters is no syllable, and
// capping the scan keeps each key O(1) however long a run someone types.
constexpr size_t kMaxWordLetters = 12;

// The current word: the trailing run of letters of the text, decoded.
struct WordAtEnd {
    size_t start = 0;  // byte offset in the text
    Word letters;
    bool tooLong = false;  // more than kMaxWordLetters: never composed, letters not decoded
};

WordAtEnd wordAtEnd(std::string_view text) {
    WordAtEnd word;
    word.start = text.size();
    while (word.start > 0) {
        const size_t pos = lastCodePointStart(text.substr(0, word.start));
        const auto [c, length] = decodeUtf8At(text, pos);
        const std::optional<Letter> letter = length > 0 ? decodeLetter(c) : std::nullopt;
        if (!letter) break;
        if (word.letters.size() == kMaxWordLetters) {
            return WordAtEnd{text.size(), {}, true};
        }
        word.letters.push_back(*letter);
        word.start = pos;
    }
    std::reverse(word.letters.begin(), word.letters.end());
    return word;
}

void replaceWord(std::string& text, const WordAtEnd& word) {
    text.resize(word.start);
    for (const Letter& letter : word.letters) appendUtf8(text, encodeLetter(letter));
}

}  // namespace

std::optional<InputMethod> parseInputMethod(std::string_view name) {
    std::string lower;
    for (char c : name) lower += asciiLower(static_cast<unsigned char>(c));
    if (lower == "telex") return InputMethod::Telex;
    if (lower == "vni") return InputMethod::Vni;
    return std::nullopt;
}

std::optional<ToneStyle> parseToneStyle(std::string_view name) {
    std::string lower;
    for (char c : name) lower += asciiLower(static_cast<unsigned char>(c));
    if (lower == "old") return ToneStyle::Old;
    if (lower == "new") return ToneStyle::New;
    return std::nullopt;
}

void Composer::type(char32_t key) {
    if (key > 0x10FFFF || (key >= 0xD800 && key <= 0xDFFF)) return;
    if (key == 0x08 || key == 0x7F) {
        backspace();
        return;
    }
    if (m_options.method == InputMethod::Telex && m_options.bracketVowels) {
        switch (key) {
            case U'[':
                key = U'ơ';
                break;
            case U']':
                key = U'ư';
                break;
            case U'{':
                key = U'Ơ';
                break;
            case U'}':
                key = U'Ư';
                break;
            default:
                break;
        }
    }
    const bool wasBareW = m_lastWasBareW;
    m_lastWasBareW = false;
    if (!m_wordIsLiteral) {
        // "ww": the second w takes back the ư of the first and stands for itself
        if (wasBareW && m_options.method == InputMethod::Telex && asciiLower(key) == 'w') {
            WordAtEnd word = wordAtEnd(m_text);
            const bool endsInU = !word.letters.empty() && word.letters.back().base == U'u' &&
                                 word.letters.back().mark == Mark::Horn;
            if (endsInU) {
                word.letters.back() = Letter{U'w', Mark::None, 0, word.letters.back().upper};
                replaceWord(m_text, word);
                m_wordIsLiteral = true;
                return;
            }
        }
        if (handleModifier(key)) return;
    }
    appendRaw(key);
}

bool Composer::handleModifier(char32_t key) {
    const char k = asciiLower(key);
    if (k == 0) return false;
    const ToneStyle style = m_options.toneStyle;
    WordAtEnd word = wordAtEnd(m_text);
    if (word.tooLong) return false;
    Applied applied = Applied::No;
    if (m_options.method == InputMethod::Telex) {
        switch (k) {
            case 's':
                applied = applyTone(word.letters, 1, style);
                break;
            case 'f':
                applied = applyTone(word.letters, 2, style);
                break;
            case 'r':
                applied = applyTone(word.letters, 3, style);
                break;
            case 'x':
                applied = applyTone(word.letters, 4, style);
                break;
            case 'j':
                applied = applyTone(word.letters, 5, style);
                break;
            case 'z':
                applied = removeTone(word.letters, style);
                break;
            case 'a':
                applied = applyMark(word.letters, {{U'a', Mark::Circumflex}}, false, style);
                break;
            case 'e':
                applied = applyMark(word.letters, {{U'e', Mark::Circumflex}}, false, style);
                break;
            case 'o':
                applied = applyMark(word.letters, {{U'o', Mark::Circumflex}}, false, style);
                break;
            case 'w':
                applied = applyMark(
                    word.letters, {{U'a', Mark::Breve}, {U'o', Mark::Horn}, {U'u', Mark::Horn}}, true, style);
                if (applied == Applied::No && acceptsBareW(word.letters)) {
                    word.letters.push_back(Letter{U'u', Mark::Horn, 0, key == U'W'});
                    normalizeWord(word.letters, style);
                    replaceWord(m_text, word);
                    m_lastWasBareW = true;
                    return true;
                }
                break;
            case 'd':
                applied = applyStroke(word.letters);
                break;
            default:
                return false;
        }
    } else {
        switch (k) {
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
                applied = applyTone(word.letters, k - '0', style);
                break;
            case '0':
                applied = removeTone(word.letters, style);
                break;
            case '6':
                applied =
                    applyMark(word.letters,
                              {{U'a', Mark::Circumflex}, {U'e', Mark::Circumflex}, {U'o', Mark::Circumflex}},
                              false, style);
                break;
            case '7':
                applied = applyMark(word.letters, {{U'o', Mark::Horn}, {U'u', Mark::Horn}}, true, style);
                break;
            case '8':
                applied = applyMark(word.letters, {{U'a', Mark::Breve}}, false, style);
                break;
            case '9':
                applied = applyStroke(word.letters);
                break;
            default:
                return false;
        }
    }
    if (applied == Applied::No) return false;
    replaceWord(m_text, word);
    if (applied == Applied::Undone) {
        // The key stands for itself now, and so does the rest of this word.
        appendRaw(key);
        m_wordIsLiteral = decodeLetter(key).has_value();
    }
    return true;
}

void Composer::appendRaw(char32_t key) {
    const std::optional<Letter> letter = decodeLetter(key);
    if (!letter) {
        appendUtf8(m_text, key);
        m_wordIsLiteral = false;  // the word has ended
        if (key >= 0x300 && isCombining(key)) {
            if (std::optional<std::string> nfc = toNfc(m_text)) m_text = std::move(*nfc);
        }
        return;
    }
    WordAtEnd word = wordAtEnd(m_text);
    if (word.tooLong) {
        appendUtf8(m_text, key);
        return;
    }
    word.letters.push_back(*letter);
    if (!m_wordIsLiteral) normalizeWord(word.letters, m_options.toneStyle);
    replaceWord(m_text, word);
}

void Composer::backspace() {
    m_wordIsLiteral = false;
    m_lastWasBareW = false;
    if (m_text.empty()) return;
    m_text.resize(lastCodePointStart(m_text));
    WordAtEnd word = wordAtEnd(m_text);
    if (word.tooLong || word.letters.empty()) return;
    normalizeWord(word.letters, m_options.toneStyle);
    replaceWord(m_text, word);
}

bool Composer::toggleTone(Tone tone) {
    m_lastWasBareW = false;
    WordAtEnd word = wordAtEnd(m_text);
    if (word.tooLong) return false;
    const ToneStyle style = m_options.toneStyle;
    const Applied applied = tone == Tone::None ? removeTone(word.letters, style)
                                               : applyTone(word.letters, static_cast<int>(tone), style);
    if (applied == Applied::No) return false;
    replaceWord(m_text, word);
    return true;
}

void Composer::clear() {
    m_text.clear();
    m_wordIsLiteral = false;
    m_lastWasBareW = false;
}

Outcome Composer::setText(std::string_view utf8) {
    std::optional<std::string> nfc = toNfc(utf8);
    if (!nfc) {
        return makeError("composer.utf8", "Văn bản không phải UTF-8 hợp lệ.", "The text is not valid UTF-8.");
    }
    m_text = std::move(*nfc);
    m_wordIsLiteral = false;
    m_lastWasBareW = false;
    return {};
}

void Composer::type(std::string_view utf8Keys) {
    size_t pos = 0;
    while (pos < utf8Keys.size()) {
        const auto [c, length] = decodeUtf8At(utf8Keys, pos);
        if (length == 0) {
            ++pos;  // skip the invalid byte
            continue;
        }
        type(c);
        pos += length;
    }
}

std::string composeKeys(std::string_view utf8Keys, ComposerOptions options) {
    Composer composer(options);
    composer.type(utf8Keys);
    return composer.text();
}

std::string composeKeys(std::string_view utf8Keys, InputMethod method, ToneStyle style) {
    return composeKeys(utf8Keys, ComposerOptions{method, style, false});
}

}  // namespace kiosk
