#pragma once
// Parsing JSON that came from the network, safely: the text must be valid UTF-8 and nest no deeper
// than a fixed limit, checked by a linear pre-scan before nlohmann's parser sees it (that parser
// builds values recursively, so 100,000 opening brackets would otherwise exhaust the stack when the
// value is destroyed or walked). Never throws for bad input; the caller gets an Error it can turn
// into a 400. Also the matching safe dump, which cannot throw on strings that are not UTF-8.
// Pure functions, any thread. Called by sync/protocol's decoders (and only through them by the
// client and the server).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace kiosk::protocol {

// Deeper than this is refused: the deepest real message (pull page -> change -> event -> payload ->
// identity) is 6; 64 leaves room for any honest payload.
constexpr int kMaxJsonDepth = 64;

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool isValidUtf8(std::string_view text);

// The deepest bracket nesting in text (brackets inside strings do not count); stops counting and
// returns limit + 1 as soon as it is exceeded, so the scan is linear and bounded.
int jsonNestingDepth(std::string_view text, int limit = kMaxJsonDepth);

// Error codes: "invalid-utf8", "too-deep", "malformed-json".
Result<nlohmann::json> parseJsonSafely(std::string_view text, int maxDepth = kMaxJsonDepth);

// Compact dump that replaces invalid UTF-8 instead of throwing.
std::string dumpJson(const nlohmann::json& value);

}  // namespace kiosk::protocol
