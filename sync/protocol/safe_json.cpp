#include "sync/protocol/safe_json.h"

#include <cstdint>

namespace kiosk::protocol {

bool isValidUtf8(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t length = 0;
        uint32_t code = 0;
        uint32_t minimum = 0;
        if ((c & 0xe0) == 0xc0) {
            length = 2, code = c & 0x1f, minimum = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            length = 3, code = c & 0x0f, minimum = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            length = 4, code = c & 0x07, minimum = 0x10000;
        } else {
            return false;  // a continuation byte where a lead byte belongs, or 0xf8..0xff
        }
        if (n - i < length) return false;
        for (size_t k = 1; k < length; ++k) {
            const unsigned char next = p[i + k];
            if ((next & 0xc0) != 0x80) return false;
            code = (code << 6) | (next & 0x3f);
        }
        if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
        i += length;
    }
    return true;
}

int jsonNestingDepth(std::string_view text, int limit) {
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        switch (c) {
            case '"':
                inString = true;
                break;
            case '[':
            case '{':
                if (++depth > deepest) deepest = depth;
                if (deepest > limit) return limit + 1;
                break;
            case ']':
            case '}':
                // Unbalanced closers are the parser's business; never let depth go negative.
                if (depth > 0) --depth;
                break;
            default:
                break;
        }
    }
    return deepest;
}

Result<nlohmann::json> parseJsonSafely(std::string_view text, int maxDepth) {
    if (!isValidUtf8(text))
        return makeError("invalid-utf8", "Dữ liệu không phải UTF-8 hợp lệ.", "The body is not valid UTF-8.");
    if (jsonNestingDepth(text, maxDepth) > maxDepth)
        return makeError("too-deep", "Dữ liệu JSON lồng quá " + std::to_string(maxDepth) + " cấp.",
                         "The JSON nests deeper than " + std::to_string(maxDepth) + " levels.");
    try {
        nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr,
                                                     /*allow_exceptions=*/false);
        if (value.is_discarded())
            return makeError("malformed-json", "Dữ liệu JSON không hợp lệ.", "The body is not valid JSON.");
        return value;
    } catch (const std::exception&) {
        // Only resource exhaustion gets here (allow_exceptions is off for syntax errors).
        return makeError("malformed-json", "Không đọc được dữ liệu JSON.", "The JSON could not be read.");
    }
}

std::string dumpJson(const nlohmann::json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace kiosk::protocol
