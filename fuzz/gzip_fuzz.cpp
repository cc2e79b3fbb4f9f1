// Fuzzes the gzip reader that inflates bodies from the network (sync/protocol/gzip.h) with a small
// output cap, so zip bombs show up as "too-large" quickly. Properties: output never passes the cap;
// a refusal is "too-large" or "bad-gzip"; what inflates compresses and inflates back to itself; and
// the input itself survives a compress/decompress round trip.
#include "fuzz/fuzz_check.h"
#include "sync/protocol/gzip.h"

using namespace kiosk;
using namespace kiosk::protocol;
using fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view bytes = fuzz::asText(data, size);
    constexpr size_t kCap = 64 * 1024;

    auto inflated = gzipDecompress(bytes, kCap);
    if (inflated) {
        require(inflated->size() <= kCap, "inflated output stays within the cap");
        require(looksGzipped(bytes), "only gzip inflates");
        auto back = gzipDecompress(gzipCompress(*inflated, 1), kCap);
        require(back && *back == *inflated, "inflated data round-trips");
    } else {
        const std::string& code = inflated.error().code;
        require(code == "too-large" || code == "bad-gzip", "a refusal is too-large or bad-gzip");
    }

    const std::string packed = gzipCompress(bytes, 1 + int(size % 9));
    require(looksGzipped(packed), "compressed data starts with the gzip magic");
    auto unpacked = gzipDecompress(packed, size);
    require(unpacked && *unpacked == bytes, "the input round-trips at a cap of its own size");
    return 0;
}
