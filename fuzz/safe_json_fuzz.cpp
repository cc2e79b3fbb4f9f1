// Fuzzes the gate every network body passes before any decoder sees it (sync/protocol/safe_json.h):
// the UTF-8 check, the linear nesting pre-scan and the parse. Properties: the protocol's UTF-8
// check agrees with the core's; accepted JSON nests no deeper than the limit, dumps without
// throwing and parses back to the same value; a refusal is one of the three documented codes.
#include "fuzz/fuzz_check.h"
#include "sync/protocol/safe_json.h"

using namespace kiosk;
using namespace kiosk::protocol;
using fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::asText(data, size);
    require(protocol::isValidUtf8(text) == kiosk::isValidUtf8(text), "protocol and core agree on UTF-8");
    const int depth = jsonNestingDepth(text, 8);
    require(depth >= 0 && depth <= 9, "the depth scan stops at limit + 1");

    auto parsed = parseJsonSafely(text, 8);
    if (!parsed) {
        const std::string& code = parsed.error().code;
        require(code == "invalid-utf8" || code == "too-deep" || code == "malformed-json",
                "a refusal is invalid-utf8, too-deep or malformed-json");
        return 0;
    }
    require(depth <= 8, "accepted JSON is within the depth limit");
    const std::string dumped = dumpJson(*parsed);
    require(kiosk::isValidUtf8(dumped), "a dump is valid UTF-8");
    auto again = parseJsonSafely(dumped, 8);
    require(again.ok(), "a dump parses again");
    require(dumpJson(*again) == dumped, "a dump is stable");
    return 0;
}
