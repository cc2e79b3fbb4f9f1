#pragma once
// What the fuzz targets share: the libFuzzer entry point's declaration, a check that aborts in
// every build type (assert() vanishes under NDEBUG, and the replay programs are built RelWithDebInfo),
// and small helpers to cut one input into parts. Used only by fuzz/*_fuzz.cpp, on libFuzzer's single
// thread (or replay_main's).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace kiosk::fuzz {

// A property that must hold for every input. A failure is a finding: it aborts, so libFuzzer saves
// the input and the replay test fails.
inline void require(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
}

inline void requireNfc(std::string_view text, const char* what) {
    require(isValidUtf8(text), what);
    require(toNfc(text) == text, what);
}

inline std::string_view asText(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits at every `separator` byte (0xFF by default: it never occurs in UTF-8, so the parts can hold
// any valid text and still every kind of invalid byte but one).
inline std::vector<std::string_view> split(std::string_view text, char separator = '\xff') {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (;;) {
        const size_t at = text.find(separator, start);
        if (at == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, at - start));
        start = at + 1;
    }
}

}  // namespace kiosk::fuzz
