// The authorization matrix: every /api/ endpoint with no token, a wrong token, a revoked token and
// another commune's token. A refusal never changes the district's data.
#include "tests/support/server_fixture.h"

using namespace server_test;

namespace {

struct Endpoint {
    const char* method;
    const char* path;
};
constexpr Endpoint kEndpoints[] = {
    {"POST", "/api/v1/push"},
    {"GET", "/api/v1/pull?since=0"},
    {"GET", "/api/v1/whoami"},
};

httplib::Result call(RunningServer& server, const Endpoint& endpoint, const httplib::Headers& headers,
                     const std::string& body) {
    auto c = server.client();
    httplib::Result r = std::string(endpoint.method) == "POST"
                            ? c->Post(endpoint.path, headers, body, "application/json")
                            : c->Get(endpoint.path, headers);
    REQUIRE(r);
    return r;
}

}  // namespace

TEST_CASE("every API endpoint refuses a missing or wrong or revoked token", "[server][auth][security]") {
    RunningServer server;
    Kiosk a = server.enroll(kCommuneA);
    Kiosk revoked = server.enroll(kCommuneA);
    server.revoke(revoked);
    const std::string body = pushBody(a, {submitEvent(a, 1, codeFor(a, 6001))});

    for (const Endpoint& endpoint : kEndpoints) {
        INFO(endpoint.method << " " << endpoint.path);
        auto none = call(server, endpoint, {}, body);
        CHECK(none->status == 401);
        CHECK(errorCode(none) == "unauthorized");

        auto notBearer = call(server, endpoint, {{"Authorization", "Basic " + a.token}}, body);
        CHECK(notBearer->status == 401);

        std::string wrongToken = a.token;
        wrongToken[0] = wrongToken[0] == 'a' ? 'b' : 'a';
        auto wrong = call(server, endpoint, auth(wrongToken), body);
        CHECK(wrong->status == 401);

        auto junk = call(server, endpoint, {{"Authorization", "Bearer \x01\x02 x"}}, body);
        CHECK(junk->status == 401);

        auto gone = call(server, endpoint, auth(revoked.token), pushBody(revoked, {}));
        CHECK(gone->status == 403);
        CHECK(errorCode(gone) == "revoked");
    }
    auto records = server.store()->records(std::nullopt);
    REQUIRE(records);
    CHECK(records->empty());

    // Health needs no token.
    auto health = server.client()->Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(health->body == "ok");
}

TEST_CASE("another commune's token gets only its own identity and data", "[server][auth][security]") {
    RunningServer server;
    Kiosk a = server.enroll(kCommuneA);
    Kiosk b = server.enroll(kCommuneB);
    push(server, a, {submitEvent(a, 1, codeFor(a, 7001))});

    // push: B's token cannot push as A ...
    auto asA = post(server, b.token, pushBody(a, {submitEvent(a, 2, codeFor(a, 7002))}));
    CHECK(asA->status == 403);
    CHECK(errorCode(asA) == "kiosk-mismatch");
    // ... and as itself cannot act on A's record (rejected, A's record untouched).
    auto own = push(server, b, {actionEvent(b, 1, codeFor(a, 7001), kiosk::Action::Accept)});
    REQUIRE(own.results.size() == 1);
    CHECK(own.results[0].verdict == kiosk::protocol::Verdict::Rejected);
    auto record = server.store()->record(codeFor(a, 7001));
    REQUIRE(record);
    REQUIRE(*record);
    CHECK((*record)->status == kiosk::RecordStatus::Received);
    auto kioskA = server.store()->ackedSeq(a.id);
    REQUIRE(kioskA);
    CHECK(*kioskA == 1);

    // pull: B sees none of A's records.
    auto page = pull(server, b, "0");
    for (const auto& c : page.changes) {
        CHECK(c.type == kiosk::protocol::ChangeType::Rejection);
        CHECK(c.record.commune != kCommuneA);
    }

    // whoami: B's identity.
    auto who = get(server, b.token, "/api/v1/whoami");
    REQUIRE(who->status == 200);
    auto decoded = kiosk::protocol::decodeWhoAmI(who->body);
    REQUIRE(decoded);
    CHECK(decoded->kioskId == b.id);
    CHECK(decoded->commune == kCommuneB);
}

TEST_CASE("revoking a kiosk takes effect on its next request", "[server][auth][security]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    push(server, k, {submitEvent(k, 1, codeFor(k, 8001))});
    server.revoke(k);
    // The server remembers tokens that pushed (district_server.cpp): a revocation by another
    // connection must still refuse the very next push, and every one after it.
    for (int64_t seq : {2, 2, 3}) {
        auto r = post(server, k.token, pushBody(k, {submitEvent(k, seq, codeFor(k, 8000 + uint64_t(seq)))}));
        CHECK(r->status == 403);
        CHECK(errorCode(r) == "revoked");
    }
    auto acked = server.store()->ackedSeq(k.id);
    REQUIRE(acked);
    CHECK(*acked == 1);
}

TEST_CASE("the request log names method and path and status and kiosk but no personal data",
          "[server][log]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    push(server, k, {submitEvent(k, 1, codeFor(k, 9001))});
    get(server, "nope", "/api/v1/whoami");
    std::vector<std::string> lines;
    for (int i = 0; i < 100 && lines.size() < 2; ++i) {
        lines = server.log();
        if (lines.size() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(lines.size() >= 2);
    // A line is written once its answer is sent, so the next request's line may come first.
    auto lineWith = [&](const std::string& text) {
        for (const auto& line : lines)
            if (line.find(text) != std::string::npos) return line;
        return std::string();
    };
    const std::string pushLine = lineWith("POST /api/v1/push 200 ");
    CHECK_FALSE(pushLine.empty());
    CHECK(pushLine.find(" " + k.id) != std::string::npos);
    CHECK_FALSE(lineWith("GET /api/v1/whoami 401 ").empty());
    for (const auto& line : lines) {
        CHECK(line.find("0912345678") == std::string::npos);  // the citizen's phone
        CHECK(line.find(k.token) == std::string::npos);
    }
}
