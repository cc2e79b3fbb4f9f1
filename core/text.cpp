// Vietnamese text: UTF-8 checking, NFC, field cleanup and search folding (text.h).
//
// [SECTION] UTF-8 decoding
// [SECTION] NFC and cleanup
// [SECTION] Search folding
#include "core/text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace kiosk {

// [SECTION] UTF-8 decoding ----------------------------------------------------------------------
//
// Our own decoder rather than utf8proc_iterate: the rules of what is refused are the product's
// (and the tests pin them), and it lets foldForSearch replace bad bytes instead of failing.

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one sequence at text[at]; returns its length, or 0 when the bytes there are not valid
// UTF-8 (Unicode 15, table 3-7: well-formed byte sequences).
size_t decodeOne(std::string_view text, size_t at, char32_t& codepoint) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) {
        codepoint = lead;
        return 1;
    }
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        codepoint = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        codepoint = lead & 0x0F;
        if (lead == 0xE0) low = 0xA0;   // overlong below U+0800
        if (lead == 0xED) high = 0x9F;  // surrogates U+D800..U+DFFF
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        codepoint = lead & 0x07;
        if (lead == 0xF0) low = 0x90;   // overlong below U+10000
        if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
        return 0;  // continuation byte, C0/C1 (always overlong) or F5..FF
    }
    if (at + length > text.size()) return 0;
    for (size_t i = 1; i < length; ++i) {
        const unsigned char next = byte(at + i);
        if (i == 1 ? (next < low || next > high) : (next < 0x80 || next > 0xBF)) return 0;
        codepoint = (codepoint << 6) | (next & 0x3F);
    }
    return length;
}

// Frees what utf8proc allocated.
struct FreeDeleter {
    void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// Runs utf8proc_map; false when utf8proc refuses the input.
bool mapWith(std::string_view text, utf8proc_option_t options, std::string& out) {
    utf8proc_uint8_t* mapped = nullptr;
    const utf8proc_ssize_t length =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                     static_cast<utf8proc_ssize_t>(text.size()), &mapped, options);
    std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owner(mapped);
    if (length < 0) return false;
    out.assign(reinterpret_cast<const char*>(mapped), static_cast<size_t>(length));
    return true;
}

bool isSpace(char32_t c) {
    return c == U' ' || utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_ZS;
}

// Characters that have no business in a petition: they are invisible or reorder what an officer
// reads (a bidirectional override can make "12" display as "21").
bool isForbiddenControl(char32_t c) {
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return true;
    if (c >= 0x202A && c <= 0x202E) return true;  // LRE, RLE, PDF, LRO, RLO
    if (c >= 0x2066 && c <= 0x2069) return true;  // LRI, RLI, FSI, PDI
    return c == 0x2028 || c == 0x2029;            // line and paragraph separators
}

}  // namespace

bool isValidUtf8(std::string_view text) {
    char32_t ignored = 0;
    for (size_t at = 0; at < text.size();) {
        const size_t length = decodeOne(text, at, ignored);
        if (length == 0) return false;
        at += length;
    }
    return true;
}

size_t codepointCount(std::string_view text) {
    size_t count = 0;
    for (char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
    }
    return count;
}

std::u32string toCodepoints(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (size_t at = 0; at < text.size();) {
        char32_t codepoint = 0;
        const size_t length = decodeOne(text, at, codepoint);
        out.push_back(length == 0 ? kReplacement : codepoint);
        at += length == 0 ? 1 : length;
    }
    return out;
}

void appendUtf8(std::string& out, char32_t c) {
    if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = kReplacement;
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

// [SECTION] NFC and cleanup ---------------------------------------------------------------------

std::string toNfc(std::string_view text) {
    std::string out;
    if (!mapWith(text, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE), out)) {
        return std::string(text);
    }
    return out;
}

Result<std::string> normalizeText(std::string_view input, size_t maxCodepoints, bool allowNewlines) {
    if (!isValidUtf8(input)) {
        return makeError("text.utf8", "Văn bản có ký tự không đọc được (không phải UTF-8 hợp lệ).",
                         "The text contains unreadable characters (not valid UTF-8).");
    }
    const std::u32string codepoints = toCodepoints(toNfc(input));

    // One pass: line endings, refusals, spaces. `pendingSpace` and `pendingBreaks` hold whitespace
    // until something visible follows, which trims lines and the whole text for free.
    std::string out;
    out.reserve(input.size());
    bool pendingSpace = false;
    int pendingBreaks = 0;
    for (size_t i = 0; i < codepoints.size(); ++i) {
        char32_t c = codepoints[i];
        if (c == U'\r') {
            if (i + 1 < codepoints.size() && codepoints[i + 1] == U'\n') continue;  // CR LF
            c = U'\n';
        }
        if (c == U'\n') {
            if (!allowNewlines) {
                return makeError("text.newline", "Ô này chỉ được viết trên một dòng.",
                                 "This field must fit on a single line.");
            }
            pendingSpace = false;  // trailing spaces of a line go
            if (!out.empty()) ++pendingBreaks;
            continue;
        }
        if (isForbiddenControl(c)) {
            return makeError("text.control", "Văn bản có ký tự điều khiển không được phép (ví dụ ký tự tab).",
                             "The text contains control characters that are not allowed (a tab, "
                             "for example).");
        }
        if (isSpace(c)) {
            // Leading spaces of the text and of each line go.
            if (!out.empty() && pendingBreaks == 0) pendingSpace = true;
            continue;
        }
        if (pendingBreaks > 0) {
            out.append(pendingBreaks >= 2 ? "\n\n" : "\n");
        } else if (pendingSpace) {
            out.push_back(' ');
        }
        pendingBreaks = 0;
        pendingSpace = false;
        appendUtf8(out, c);
    }

    const size_t count = codepointCount(out);
    if (count > maxCodepoints) {
        const std::string limit = std::to_string(maxCodepoints);
        const std::string actual = std::to_string(count);
        return makeError("text.too-long",
                         "Văn bản dài quá: tối đa " + limit + " ký tự, hiện có " + actual + ".",
                         "The text is too long: at most " + limit + " characters, now " + actual + ".");
    }
    return out;
}

// [SECTION] Search folding ----------------------------------------------------------------------

std::string foldForSearch(std::string_view text) {
    std::string valid;
    if (!isValidUtf8(text)) {
        for (char32_t c : toCodepoints(text)) appendUtf8(valid, c);
        text = valid;
    }
    std::string folded;
    const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
                                                        UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                        UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_LUMP);
    if (!mapWith(text, options, folded)) return std::string();  // unreachable: input is valid

    std::string out;
    out.reserve(folded.size());
    bool pendingSpace = false;
    for (char32_t c : toCodepoints(folded)) {
        // Controls and every kind of space separate words; nothing else does.
        if (isSpace(c) || c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) out.push_back(' ');
        pendingSpace = false;
        // đ has no decomposition (it is a letter of its own, not d + a mark), and case folding
        // has already turned Đ into đ.
        appendUtf8(out, c == 0x0111 ? U'd' : c);
    }
    return out;
}

std::string unitNameMidSentence(std::string_view name) {
    std::u32string cps = toCodepoints(name);
    if (cps.empty()) return std::string(name);
    cps[0] = char32_t(utf8proc_tolower(utf8proc_int32_t(cps[0])));
    std::string out;
    for (char32_t cp : cps) appendUtf8(out, cp);
    return out;
}

}  // namespace kiosk
