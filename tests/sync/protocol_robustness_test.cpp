// Every decoder takes untrusted bytes: a bounded, deterministic mutation run over valid messages
// and plain random bytes. The check is that nothing throws, crashes or hangs (run it under
// -DKIOSK_SANITIZE=ON to catch memory errors too); the long, coverage-guided runs belong to the
// libFuzzer targets.
#include <catch2/catch.hpp>

#include <random>

#include "core/state_machine.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/safe_json.h"

using namespace kiosk;
using namespace kiosk::protocol;

namespace {

std::vector<std::string> seeds() {
    Record r;
    r.code = "0237400000042";
    r.commune = "02374";
    r.submittedAt = 1767232800;
    r.content = "Phản ánh tình trạng đường hỏng";
    r.petitionKind = PetitionKind::Feedback;
    r.identity.phone = "0912345678";
    Event e;
    e.uuid = newUuid();
    e.recordCode = r.code;
    e.actor = {Role::Kiosk, "k1"};
    e.hlc = 12345;
    e.at = r.submittedAt;
    e.payload = recordToPayload(r);
    e.kioskId = "k1";
    e.seq = 1;
    Heartbeat hb;
    hb.clockMs = 5;
    PushResponse pr;
    pr.ackedSeq = 1;
    pr.results.push_back({e.uuid, 1, Verdict::Rejected, makeError("x", "ý", "y"), r.code, ""});
    PullResponse pull;
    Change c;
    c.seq = 1;
    c.record = snapshotOf(r);
    c.events = {e};
    Change rej;
    rej.seq = 2;
    rej.type = ChangeType::Rejection;
    rej.uuid = e.uuid;
    rej.reason = makeError("x", "ý", "y");
    pull.changes = {c, rej};
    pull.next = "2.abcdef01";
    return {encodePushRequest("k1", {e}, hb), encodePushResponse(pr), encodePullResponse(pull),
            encodeWhoAmI({"k1", "02374", 1, 2}), encodeError(ErrorBody{"reset", "a", "b", 3})};
}

void decodeEverything(const std::string& bytes) {
    (void)decodePushRequest(bytes);
    (void)decodePushResponse(bytes);
    (void)decodePullResponse(bytes);
    (void)decodeWhoAmI(bytes);
    (void)decodeError(bytes);
    (void)decodeCursor(bytes);
    (void)decodePullQuery(bytes, bytes);
    (void)gzipDecompress(bytes, 1 << 20);
}

std::string mutate(std::string s, std::mt19937& rng) {
    static const char* tokens[] = {"{",       "}",       "[",    "]",    "\"",    ":",
                                   ",",       "null",    "true", "-1",   "1e999", "18446744073709551616",
                                   "\\u0000", "\\ud800", "\xc3", "\xff", "0.5"};
    const int edits = 1 + int(rng() % 4);
    for (int i = 0; i < edits && !s.empty(); ++i) {
        const size_t at = rng() % s.size();
        switch (rng() % 5) {
            case 0:
                s[at] = char(rng());
                break;
            case 1:
                s.erase(at, 1 + rng() % 8);
                break;
            case 2:
                s.insert(at, tokens[rng() % (sizeof tokens / sizeof *tokens)]);
                break;
            case 3:
                s.insert(at, s.substr(rng() % s.size(), rng() % 64));
                break;
            case 4:
                s.resize(at);
                break;
        }
    }
    return s;
}

}  // namespace

TEST_CASE("decoders survive mutated messages and random bytes", "[protocol][robustness]") {
    std::mt19937 rng(20260101);
    const auto base = seeds();
    for (const std::string& s : base) REQUIRE_NOTHROW(decodeEverything(s));
    for (int i = 0; i < 20000; ++i) {
        const std::string input = mutate(base[size_t(i) % base.size()], rng);
        REQUIRE_NOTHROW(decodeEverything(input));
    }
    for (int i = 0; i < 2000; ++i) {
        std::string bytes(rng() % 512, '\0');
        for (char& c : bytes) c = char(rng());
        REQUIRE_NOTHROW(decodeEverything(bytes));
    }
    // Gzip of mutated messages, and mutated gzip.
    for (int i = 0; i < 500; ++i) {
        std::string packed = gzipCompress(base[size_t(i) % base.size()]);
        REQUIRE_NOTHROW(decodeEverything(mutate(packed, rng)));
    }
}

TEST_CASE("deep nesting anywhere in a message is refused never parsed", "[protocol][robustness]") {
    for (const std::string& inner : {std::string(100000, '['), std::string(100000, '{'),
                                     std::string(50000, '[') + std::string(50000, ']')}) {
        const std::string body =
            "{\"version\":1,\"kiosk\":\"k1\",\"events\":[{\"seq\":1,\"uuid\":\"u\",\"payload\":" + inner +
            "}]}";
        auto r = decodePushRequest(body);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "too-deep");
    }
}
