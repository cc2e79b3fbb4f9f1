// Fuzzes what a kiosk reads from a pull and the other small messages: the first byte picks
//   0 decodePullResponse  1 decodeWhoAmI  2 decodeError  3 decodeCursor
//   4 decodePullQuery (since and limit separated by a 0xFF byte; bits 4 and 5 of the first byte say
//     whether each parameter is present at all)
// and the rest is the body. Properties: every decoder is a fixed point of its encoder (encode,
// decode, encode gives the same text); a pull's changes have positive seqs; decodePullResponse
// (its direct reader, falling back to the tree) answers as decodePullResponseFromTree does; a
// query's limit is within 1..kMaxPullLimit and its since is a cursor; a refusal has a code and
// both messages.
#include "fuzz/fuzz_check.h"
#include "sync/protocol/messages.h"

using namespace kiosk;
using namespace kiosk::protocol;
using fuzz::require;

namespace {

void checkError(const Error& error) {
    require(!error.code.empty() && !error.vi.empty() && !error.en.empty(),
            "a refusal has a code and both messages");
}

// decode(text) either fails or encode(decode(encode(decode(text)))) == encode(decode(text)).
template <class Decode, class Encode>
void roundTrip(std::string_view text, Decode decode, Encode encode, const char* what) {
    auto decoded = decode(text);
    if (!decoded) return checkError(decoded.error());
    const std::string encoded = encode(*decoded);
    auto again = decode(encoded);
    require(again.ok(), what);
    require(encode(*again) == encoded, what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string_view body = fuzz::asText(data + 1, size - 1);
    switch (data[0] % 5) {
        case 0: {
            auto page = decodePullResponse(body);
            if (page)
                for (const Change& c : page->changes) require(c.seq >= 1, "change seqs are positive");
            // The direct reader is a fast path of the tree decoder: the same answer, or the same error.
            auto tree = decodePullResponseFromTree(body);
            require(page.ok() == tree.ok(), "the direct and the tree decoder accept the same pages");
            if (page)
                require(encodePullResponse(*page) == encodePullResponse(*tree),
                        "the direct and the tree decoder read a page the same");
            else
                require(page.error().code == tree.error().code && page.error().en == tree.error().en,
                        "the direct and the tree decoder refuse a page with the same error");
            roundTrip(
                body, decodePullResponse, [](const PullResponse& r) { return encodePullResponse(r); },
                "a pull page round-trips");
            break;
        }
        case 1:
            roundTrip(body, decodeWhoAmI, encodeWhoAmI, "whoami round-trips");
            break;
        case 2:
            roundTrip(
                body, decodeError, [](const ErrorBody& e) { return encodeError(e); },
                "an error body round-trips");
            break;
        case 3: {
            auto cursor = decodeCursor(body);
            if (!cursor) break;
            require(cursor->seq >= 0, "a cursor's seq is not negative");
            auto again = decodeCursor(encodeCursor(*cursor));
            require(again && again->seq == cursor->seq && again->storeId == cursor->storeId,
                    "a cursor round-trips");
            break;
        }
        default: {
            const auto parts = fuzz::split(body);
            std::optional<std::string> since, limit;
            if (data[0] & 0x10) since = std::string(parts[0]);
            if ((data[0] & 0x20) && parts.size() > 1) limit = std::string(parts[1]);
            auto query = decodePullQuery(since, limit);
            if (!query) {
                checkError(query.error());
                break;
            }
            require(query->limit >= 1 && query->limit <= kMaxPullLimit, "limit within 1..1000");
            require(decodeCursor(query->since).has_value(), "since is a cursor");
            break;
        }
    }
    return 0;
}
