// What a hostile or broken client can send: oversized bodies (plain and gzip bombs), malformed JSON,
// broken UTF-8, unknown versions, missing fields, absurd nesting, garbage on the socket. Each gets a
// 4xx with a reason, and the server keeps serving.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/server_fixture.h"

using namespace server_test;

namespace {

void checkAlive(RunningServer& server) {
    auto r = server.client()->Get("/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
}

// Sends raw bytes on a fresh connection and returns what comes back (until close or 5 s).
// halfClose ends our side after sending, so an incomplete request cannot keep the server waiting;
// cpp-httplib then sees the connection as gone and answers nothing, which is fine for garbage.
std::string rawExchange(int port, const std::string& bytes, bool halfClose = true) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += size_t(n);
    }
    if (halfClose) ::shutdown(fd, SHUT_WR);
    std::string answer;
    char buffer[4096];
    while (true) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) break;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        answer.append(buffer, size_t(n));
    }
    ::close(fd);
    return answer;
}

}  // namespace

TEST_CASE("a body over 1 MB is refused with 413 before it is read", "[server][limits]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    std::string big = pushBody(k, {});
    big.insert(big.size() - 1, ",\"padding\":\"" + std::string(1100 * 1024, 'x') + "\"");
    auto r = post(server, k.token, big);
    CHECK(r->status == 413);
    CHECK(errorCode(r) == "payload-too-large");
    checkAlive(server);
}

TEST_CASE("a gzip body that inflates past the cap is refused with 413", "[server][limits][gzip]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    std::string bomb = pushBody(k, {});
    bomb.insert(bomb.size() - 1, ",\"padding\":\"" + std::string(20 * 1024 * 1024, 'x') + "\"");
    const std::string compressed = kiosk::protocol::gzipCompress(bomb, 9);
    REQUIRE(compressed.size() < kiosk::protocol::kMaxBodyBytes);
    httplib::Headers headers = auth(k.token);
    headers.emplace("Content-Encoding", "gzip");
    auto r = server.client()->Post("/api/v1/push", headers, compressed, "application/json");
    REQUIRE(r);
    CHECK(r->status == 413);
    checkAlive(server);
}

TEST_CASE("a gzip-compressed push is accepted - corrupt gzip is a 400", "[server][limits][gzip]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    httplib::Headers headers = auth(k.token);
    headers.emplace("Content-Encoding", "gzip");
    const std::string body = pushBody(k, {submitEvent(k, 1, codeFor(k, 10001))});
    auto ok = server.client()->Post("/api/v1/push", headers, kiosk::protocol::gzipCompress(body),
                                    "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    auto decoded = kiosk::protocol::decodePushResponse(ok->body);
    REQUIRE(decoded);
    CHECK(decoded->ackedSeq == 1);

    std::string corrupt = kiosk::protocol::gzipCompress(body);
    corrupt.resize(corrupt.size() / 2);
    auto bad = server.client()->Post("/api/v1/push", headers, corrupt, "application/json");
    REQUIRE(bad);
    CHECK(bad->status == 400);
    checkAlive(server);
}

TEST_CASE("malformed pushes are 400s with a reason", "[server][limits]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    const std::string uuid = kiosk::newUuid();
    struct Case {
        const char* name;
        std::string body;
        const char* error;
    };
    const std::vector<Case> cases{
        {"not JSON", "{\"version\":1,", "malformed-json"},
        {"empty", "", "malformed-json"},
        {"an array", "[1,2,3]", "malformed-json"},
        {"broken UTF-8", std::string("{\"version\":1,\"kiosk\":\"\xc3\x28\",\"events\":[]}"), "invalid-utf8"},
        {"overlong UTF-8", std::string("{\"version\":1,\"kiosk\":\"\xc0\xaf\",\"events\":[]}"),
         "invalid-utf8"},
        {"unknown version", "{\"version\":2,\"kiosk\":\"" + k.id + "\",\"events\":[]}",
         "unsupported-version"},
        {"version as text", "{\"version\":\"1\",\"kiosk\":\"" + k.id + "\",\"events\":[]}",
         "unsupported-version"},
        {"no version", "{\"kiosk\":\"" + k.id + "\",\"events\":[]}", "missing-field"},
        {"no events", "{\"version\":1,\"kiosk\":\"" + k.id + "\"}", "missing-field"},
        {"no kiosk", "{\"version\":1,\"events\":[]}", "missing-field"},
        {"events not an array", "{\"version\":1,\"kiosk\":\"" + k.id + "\",\"events\":{}}", "invalid-field"},
        {"event without seq",
         "{\"version\":1,\"kiosk\":\"" + k.id + "\",\"events\":[{\"uuid\":\"" + uuid + "\"}]}",
         "missing-field"},
        {"negative seq",
         "{\"version\":1,\"kiosk\":\"" + k.id + "\",\"events\":[{\"seq\":-4,\"uuid\":\"" + uuid + "\"}]}",
         "invalid-field"},
        {"seq past int64",
         "{\"version\":1,\"kiosk\":\"" + k.id + "\",\"events\":[{\"seq\":18446744073709551615,\"uuid\":\"" +
             uuid + "\"}]}",
         "invalid-field"},
        {"nested 10,000 deep",
         "{\"version\":1,\"kiosk\":\"" + k.id + "\",\"events\":" + std::string(10000, '[') +
             std::string(10000, ']') + "}",
         "too-deep"},
        {"nested 10,000 deep, unclosed", std::string(10000, '{'), "too-deep"},
        {"bad heartbeat",
         "{\"version\":1,\"kiosk\":\"" + k.id + "\",\"events\":[],\"heartbeat\":{\"clock_ms\":\"now\"}}",
         "invalid-field"},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        auto r = post(server, k.token, c.body);
        CHECK(r->status == 400);
        CHECK(errorCode(r) == c.error);
        auto e = kiosk::protocol::decodeError(r->body);
        REQUIRE(e);
        CHECK_FALSE(e->message.empty());
        CHECK_FALSE(e->messageVi.empty());
    }
    // More than 500 events in one push.
    std::vector<kiosk::Event> many;
    for (int i = 1; i <= 501; ++i) many.push_back(submitEvent(k, i, codeFor(k, uint64_t(i))));
    auto tooMany = post(server, k.token, pushBody(k, many));
    CHECK(tooMany->status == 400);
    CHECK(errorCode(tooMany) == "too-many-events");

    auto acked = server.store()->ackedSeq(k.id);
    REQUIRE(acked);
    CHECK(*acked == 0);
    checkAlive(server);
}

TEST_CASE("a push without Content-Length is refused with 411", "[server][limits]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    const std::string body = pushBody(k, {});
    char size[16];
    std::snprintf(size, sizeof size, "%zx", body.size());
    const std::string request = "POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + k.token +
                                "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                                "Connection: close\r\n\r\n" +
                                size + "\r\n" + body + "\r\n0\r\n\r\n";
    const std::string answer = rawExchange(server.port(), request, false);
    CHECK(answer.rfind("HTTP/1.1 411", 0) == 0);
    checkAlive(server);
}

TEST_CASE("garbage on the socket never brings the server down", "[server][limits]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    const std::vector<std::string> garbage{
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11),  // a TLS hello to a plain port
        "GET / HTTP/1.1\r\n\r\n",
        "NOT A REQUEST\r\n\r\n",
        "POST /api/v1/push HTTP/1.1\r\nContent-Length: 99999999999999999999\r\nAuthorization: Bearer " +
            k.token + "\r\n\r\n",
        "POST /api/v1/push HTTP/1.1\r\nContent-Length: 10\r\nAuthorization: Bearer " + k.token +
            "\r\n\r\nabc",  // shorter than announced
        "POST /api/v1/push HTTP/1.1\r\nContent-Length: 5\r\nContent-Encoding: gzip\r\nAuthorization: "
        "Bearer " +
            k.token + "\r\n\r\n\x1f\x8b\x08\x00\x00",
        "POST /api/v1/push HTTP/1.1\r\nContent-Length: 5\r\nContent-Encoding: compress\r\nAuthorization: "
        "Bearer " +
            k.token + "\r\n\r\nhello",
        "POST /api/v1/push HTTP/1.1\r\nContent-Length: 5\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        "Authorization: Bearer " +
            k.token + "\r\n\r\nhello",
        "GET /api/v1/pull?since=" + std::string(20000, '9') + " HTTP/1.1\r\nAuthorization: Bearer " +
            k.token + "\r\n\r\n",
        "GET /" + std::string(100000, 'a') + " HTTP/1.1\r\n\r\n",
        std::string(70000, '\0'),
    };
    for (const std::string& bytes : garbage) {
        const std::string answer = rawExchange(server.port(), bytes);
        INFO(answer.substr(0, 80));
        if (!answer.empty()) CHECK(answer.rfind("HTTP/1.1 ", 0) == 0);
        checkAlive(server);
    }
    // A random stream of bytes, deterministic.
    uint32_t state = 12345;
    for (int round = 0; round < 20; ++round) {
        std::string bytes = "POST /api/v1/push HTTP/1.1\r\nAuthorization: Bearer " + k.token + "\r\n";
        const size_t length = 50 + (state % 2000);
        for (size_t i = 0; i < length; ++i) {
            state = state * 1103515245u + 12345u;
            bytes.push_back(char(state >> 16));
        }
        rawExchange(server.port(), bytes);
    }
    checkAlive(server);
}
