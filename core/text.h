#pragma once
// Vietnamese text as the product stores and searches it (docs/domain.md "Validating what citizens
// type"): strict UTF-8 checking, NFC (Vietnamese is written precomposed), the cleanup every typed
// or imported field goes through, and the folded form search matches on (no diacritics, đ -> d).
// It is not field validation (validation.h decides what a name or a CCCD may contain) and knows
// nothing of fonts or input methods. Called by validation, the store's search index and imports;
// pure functions over utf8proc, safe from any thread.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk {

// Strict UTF-8: rejects overlong forms, UTF-16 surrogates (U+D800..U+DFFF), code points above
// U+10FFFF, stray continuation bytes and truncated sequences. A NUL byte is valid UTF-8 (it is a
// control character; normalizeText rejects it).
bool isValidUtf8(std::string_view text);

// Canonical composition (NFC). The input must be valid UTF-8 (check with isValidUtf8); invalid
// input is returned unchanged.
std::string toNfc(std::string_view text);

// The cleanup every field of free text goes through before it is stored:
// - refuses invalid UTF-8 ("text.utf8"), control characters — C0, DEL, C1, tab, bidirectional
//   overrides and isolates, line/paragraph separators ("text.control") — and line breaks when
//   !allowNewlines ("text.newline");
// - with allowNewlines, CR LF and lone CR become LF, each line is trimmed and at most one blank
//   line is kept between paragraphs;
// - every space character (U+0020, no-break space, ideographic space, ...) becomes U+0020, runs
//   collapse to one and the outer whitespace is trimmed;
// - composes to NFC, then refuses more than maxCodepoints code points ("text.too-long").
// An empty result is not an error: whether the field is required is the caller's business.
Result<std::string> normalizeText(std::string_view input, size_t maxCodepoints, bool allowNewlines);

// The form search compares: lowercase, compatibility forms unified, every diacritic removed
// (decompose, drop combining marks), đ/Đ -> d (no Unicode decomposition does that), whitespace
// runs to one space, trimmed. Vietnamese text comes out as plain ASCII: "Đăng ký khai sinh" ->
// "dang ky khai sinh". Index and query must both go through it. Invalid UTF-8 bytes become U+FFFD
// rather than failing, so a damaged row is still indexed.
std::string foldForSearch(std::string_view text);

// Code points in valid UTF-8 (for invalid input: bytes that are not continuation bytes).
size_t codepointCount(std::string_view text);

// The code points of valid UTF-8 (invalid sequences become U+FFFD), and the way back.
std::u32string toCodepoints(std::string_view text);
void appendUtf8(std::string& out, char32_t codepoint);

// A unit's name as written inside a sentence: the data write names as they stand at the start of a
// line ("Xã Bạch Xa", "Thị trấn Tân Yên", "Tỉnh Tuyên Quang"); after other words the level word is
// lower-case and the proper name keeps its capitals ("Ủy ban nhân dân xã Bạch Xa", "gồm cả thị
// trấn Tân Yên"). Only the first letter changes (Vietnamese capitals included); the level words
// themselves stay in the data.
std::string unitNameMidSentence(std::string_view name);

}  // namespace kiosk
