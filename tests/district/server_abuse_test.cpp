// The district server under abuse while a good kiosk works: 10 MB bodies,
// slow-loris connections, 10,000 requests with bad tokens, JSON nested 10,000 deep — each on its
// own and then all at once. For each: the abuser gets a clear refusal (or is dropped), the server
// stays up, and a good kiosk's push succeeds while the abuse is still going on (asserted by order
// of events, never by timing). The whole file runs in well under a minute on two shared cores;
// KIOSK_ABUSE_SOAK=<seconds> stretches the combined test into a soak.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>

#include "sync/protocol/safe_json.h"
#include "tests/support/client_fixture.h"
#include "tests/support/raw_socket.h"

using namespace server_test;
using namespace std::chrono_literals;
using testing_support::closedByServer;
using testing_support::sendAll;
using testing_support::waitUntil;

namespace {

using SteadyClock = std::chrono::steady_clock;

// What the server sends back on fd until it closes or `limit` passes.
std::string readAnswer(int fd, std::chrono::milliseconds limit = 5s) {
    std::string answer;
    char buffer[4096];
    const auto until = SteadyClock::now() + limit;
    while (SteadyClock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now());
        if (::poll(&p, 1, int(std::max<int64_t>(1, left.count()))) <= 0) break;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        answer.append(buffer, size_t(n));
        // One response is enough: the status line and, when it has one, its whole body.
        const size_t headerEnd = answer.find("\r\n\r\n");
        if (headerEnd == std::string::npos) continue;
        const size_t lengthAt = answer.find("Content-Length: ");
        if (lengthAt == std::string::npos || lengthAt > headerEnd) continue;  // until it closes
        const size_t length = std::strtoul(answer.c_str() + lengthAt + 16, nullptr, 10);
        if (answer.size() >= headerEnd + 4 + length) break;
    }
    return answer;
}

void checkAlive(RunningServer& server) {
    auto r = server.client()->Get("/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
}

// A good kiosk's push of one new petition, accepted (the fixture's push() fails the test otherwise).
void goodPush(RunningServer& server, const Kiosk& k, int64_t& seq) {
    ++seq;
    auto answer = push(server, k, {submitEvent(k, seq, codeFor(k, uint64_t(seq)))});
    CHECK(answer.ackedSeq == seq);
}

// Slow-loris: `count` connections that each start a request and then send one more header byte
// every `interval`, never finishing. Runs on its own thread until stop().
class SlowLoris {
public:
    SlowLoris(int port, int count, std::chrono::milliseconds interval) {
        for (int i = 0; i < count; ++i) {
            const int fd = testing_support::connectLoopback(port);
            if (fd < 0) continue;
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            m_fds.push_back(fd);
            ::send(fd, "POST /api/v1/push HTTP/1.1\r\nHost: x\r\n", 37, MSG_NOSIGNAL);
        }
        m_thread = std::thread([this, interval] {
            const std::string header = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaa\r\n";
            size_t at = 0;
            while (!m_stop) {
                std::this_thread::sleep_for(interval);
                for (int fd : m_fds) {
                    const ssize_t n = ::send(fd, header.data() + at, 1, MSG_NOSIGNAL);
                    if (n < 0 && errno != EAGAIN) ++m_sendFailures;
                }
                at = (at + 1) % header.size();
                ++m_rounds;
            }
        });
    }
    ~SlowLoris() {
        stop();
        for (int fd : m_fds) ::close(fd);
    }
    void stop() {
        m_stop = true;
        if (m_thread.joinable()) m_thread.join();
    }
    int connected() const { return int(m_fds.size()); }
    int rounds() const { return m_rounds; }
    // Connections the server has closed so far.
    int closedByServerCount() {
        int closed = 0;
        char buffer[256];
        for (int fd : m_fds) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) ++closed;
        }
        return closed;
    }

private:
    std::vector<int> m_fds;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_rounds{0};
    std::atomic<int> m_sendFailures{0};
};

// Requests with bad tokens from `clients` keep-alive connections until at least `minimum` were
// answered and stop() was called (or `hardLimit` requests were made). Counts the statuses.
class BadTokenFlood {
public:
    BadTokenFlood(int port, int clients, int minimum, int hardLimit) : m_minimum(minimum) {
        for (int c = 0; c < clients; ++c) {
            m_threads.emplace_back([this, port, c, hardLimit] {
                httplib::Client client("127.0.0.1", port);
                client.set_keep_alive(true);
                client.set_tcp_nodelay(true);  // a flood, not a polite client
                client.set_connection_timeout(5, 0);
                client.set_read_timeout(5, 0);
                const std::string smallPush = "{\"version\":1,\"kiosk\":\"x\",\"events\":[]}";
                for (int i = 0; m_done < hardLimit; ++i) {
                    if (m_stop && m_done >= m_minimum) break;
                    // Unknown tokens of every shape, a missing header, another scheme.
                    httplib::Headers headers;
                    switch ((i + c) % 5) {
                        case 0:
                            headers = auth("bad-" + std::to_string(c) + "-" + std::to_string(i));
                            break;
                        case 1:
                            headers = auth(std::string(200, 'z'));
                            break;
                        case 2:
                            break;
                        case 3:
                            headers = {{"Authorization", "Basic YWRtaW46YWRtaW4="}};
                            break;
                        default:
                            headers = auth("x");
                            break;
                    }
                    httplib::Result r =
                        (i % 3 == 0)   ? client.Post("/api/v1/push", headers, smallPush, "application/json")
                        : (i % 3 == 1) ? client.Get("/api/v1/pull?since=0", headers)
                                       : client.Get("/api/v1/whoami", headers);
                    std::lock_guard lock(m_mutex);
                    if (!r) {
                        ++m_statuses[-1];
                        if (m_firstFailure.empty())
                            m_firstFailure = "request " + std::to_string(i) + " kind " +
                                             std::to_string(i % 3) + " auth " + std::to_string((i + c) % 5) +
                                             ": " + httplib::to_string(r.error());
                    } else {
                        ++m_statuses[r->status];
                        if (r->status == 401 && m_sampleBody.empty()) m_sampleBody = r->body;
                    }
                    ++m_done;
                }
            });
        }
    }
    ~BadTokenFlood() { stop(); }
    void stop() {
        m_stop = true;
        for (auto& t : m_threads)
            if (t.joinable()) t.join();
    }
    int done() const { return m_done; }
    std::map<int, int> statuses() {
        std::lock_guard lock(m_mutex);
        return m_statuses;
    }
    std::string sampleBody() {
        std::lock_guard lock(m_mutex);
        return m_sampleBody;
    }
    std::string firstFailure() {
        std::lock_guard lock(m_mutex);
        return m_firstFailure;
    }

private:
    int m_minimum;
    std::vector<std::thread> m_threads;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_done{0};
    std::mutex m_mutex;
    std::map<int, int> m_statuses;
    std::string m_sampleBody;
    std::string m_firstFailure;
};

std::string tenMegabytePush(const Kiosk& k) {
    std::string body = pushBody(k, {});
    body.insert(body.size() - 1, ",\"padding\":\"" + std::string(10 * 1024 * 1024, 'x') + "\"");
    return body;
}

std::string deepPush(const Kiosk& k, int depth, char open) {
    const char close = open == '[' ? ']' : '}';
    std::string nested;
    nested.reserve(size_t(depth) * 6);
    for (int i = 0; i < depth; ++i) nested += open == '[' ? "[" : "{\"a\":";
    nested += "1";
    nested += std::string(size_t(depth), close);
    return "{\"version\":1,\"kiosk\":\"" + k.id + "\",\"events\":[" + nested + "]}";
}

}  // namespace

TEST_CASE("abuse: 10 MB bodies get a 413 (refused from the headers when the client asks first)",
          "[server][abuse][abuse-big]") {
    RunningServer server;
    const Kiosk k = server.enroll(kCommuneA);
    const Kiosk good = server.enroll(kCommuneA);
    int64_t seq = 0;
    const std::string big = tenMegabytePush(k);

    // Asked first (Expect: 100-continue, as curl does): refused before a byte of the body is sent.
    {
        const int fd = testing_support::connectLoopback(server.port());
        REQUIRE(fd >= 0);
        REQUIRE(sendAll(fd, "POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + k.token +
                                "\r\nContent-Type: application/json\r\nContent-Length: " +
                                std::to_string(big.size()) + "\r\nExpect: 100-continue\r\n\r\n"));
        const std::string answer = readAnswer(fd);
        ::close(fd);
        INFO(answer);
        CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
        CHECK(answer.find("payload-too-large") != std::string::npos);
    }
    // Declared far beyond what is worth draining: refused from the headers, before any body byte.
    // (The connection is closed after this answer, so a client that went on sending would not have
    // its body read as the next request.)
    {
        const int fd = testing_support::connectLoopback(server.port());
        REQUIRE(fd >= 0);
        REQUIRE(sendAll(fd, "POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + k.token +
                                "\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"));
        const std::string answer = readAnswer(fd);
        INFO(answer);
        CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
        CHECK(answer.find("payload-too-large") != std::string::npos);
        ::close(fd);
    }
    // Sent whole, from several clients at once while the good kiosk pushes: each one a 413 (with a
    // bad token, a 401), never buffered: the server's memory does not grow by the bodies.
    std::atomic<int> answered{0}, refusedWell{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> senders;
    for (int t = 0; t < 3; ++t) {
        senders.emplace_back([&, t] {
            auto c = server.client();
            while (!stop) {
                const bool badToken = t == 2;
                auto r = c->Post("/api/v1/push", auth(badToken ? "not-a-token" : k.token), big,
                                 "application/json");
                ++answered;
                if (r && r->status == (badToken ? 401 : 413)) {
                    auto e = kiosk::protocol::decodeError(r->body);
                    if (e && !e->message.empty() && !e->messageVi.empty()) ++refusedWell;
                }
            }
        });
    }
    REQUIRE(waitUntil([&] { return answered >= 3; }, 30s));
    goodPush(server, good, seq);
    goodPush(server, good, seq);
    const int answeredDuring = answered;
    stop = true;
    for (auto& s : senders) s.join();
    CHECK(answeredDuring >= 3);
    CHECK(refusedWell == answered);
    auto acked = server.store()->ackedSeq(k.id);
    REQUIRE(acked);
    CHECK(*acked == 0);
    checkAlive(server);
}

TEST_CASE("abuse: slow-loris connections do not starve kiosks, silent ones are dropped",
          "[server][abuse][abuse-loris]") {
    // The default options, but a short read timeout so the silent connections go within the test.
    kiosk::district::ServerOptions options;
    options.readTimeoutSec = 2;
    RunningServer server(options);
    const Kiosk good = server.enroll(kCommuneA);
    int64_t seq = 0;

    // Silent after a partial request: dropped by the read timeout.
    std::vector<int> silent;
    for (int i = 0; i < 10; ++i) {
        const int fd = testing_support::connectLoopback(server.port());
        REQUIRE(fd >= 0);
        REQUIRE(sendAll(fd, "GET /api/v1/whoami HTTP/1.1\r\nHost: x\r\n"));
        silent.push_back(fd);
    }
    // Three times as many trickling connections as the server keeps workers for (64 by default),
    // each sending a header byte well within the read timeout (they are cut at the head deadline,
    // 10 s, after the good pushes here).
    const int count = 3 * kiosk::district::ServerOptions{}.threads;
    SlowLoris loris(server.port(), count, 500ms);
    REQUIRE(loris.connected() == count);
    REQUIRE(waitUntil([&] { return loris.rounds() >= 4; }, 20s));

    // The good kiosk is served while they trickle (with a fixed pool of 64 it waited behind them).
    goodPush(server, good, seq);
    goodPush(server, good, seq);
    CHECK(loris.closedByServerCount() < count);  // still trickling when the good pushes were answered
    const int roundsAfter = loris.rounds();
    CHECK(waitUntil([&] { return loris.rounds() > roundsAfter; }, 10s));

    for (int fd : silent) {
        CHECK(closedByServer(fd, 10s));
        ::close(fd);
    }
    loris.stop();
    goodPush(server, good, seq);
    checkAlive(server);
}

TEST_CASE("abuse: 10,000 requests with bad tokens are each a 401, and kiosks are served meanwhile",
          "[server][abuse][abuse-tokens]") {
    RunningServer server;
    const Kiosk good = server.enroll(kCommuneA);
    int64_t seq = 0;
    BadTokenFlood flood(server.port(), 4, 10000, 30000);
    REQUIRE(waitUntil([&] { return flood.done() >= 500; }, 30s));
    for (int i = 0; i < 5; ++i) goodPush(server, good, seq);
    const int doneAtPush = flood.done();
    flood.stop();
    INFO("bad-token requests answered before the good pushes ended: " << doneAtPush);
    CHECK(doneAtPush < flood.done());  // the flood went on after the good pushes
    const auto statuses = flood.statuses();
    INFO("first failure: " << flood.firstFailure());
    CHECK(flood.done() >= 10000);
    REQUIRE(statuses.count(401) == 1);
    CHECK(statuses.at(401) == flood.done());  // nothing else: no 5xx, no dropped connection
    auto e = kiosk::protocol::decodeError(flood.sampleBody());
    REQUIRE(e);
    CHECK(e->error == "unauthorized");
    CHECK_FALSE(e->messageVi.empty());
    // The good kiosk's events are all there.
    auto acked = server.store()->ackedSeq(good.id);
    REQUIRE(acked);
    CHECK(*acked == seq);
    checkAlive(server);
}

TEST_CASE("abuse: JSON nested 10,000 deep and more is a 400 too-deep, never a crash",
          "[server][abuse][abuse-deep]") {
    RunningServer server;
    const Kiosk k = server.enroll(kCommuneA);
    const Kiosk good = server.enroll(kCommuneA);
    int64_t seq = 0;
    struct Case {
        std::string name;
        std::string body;
        bool gzip = false;
    };
    std::vector<Case> cases{
        {"arrays 10,000 deep", deepPush(k, 10000, '[')},
        {"objects 10,000 deep", deepPush(k, 10000, '{')},
        {"arrays 400,000 deep", deepPush(k, 400000, '[')},
        {"unclosed 10,000 deep", std::string(10000, '[')},
        {"2,000,000 deep, gzip", deepPush(k, 2000000, '['), true},
    };
    std::atomic<int> rounds{0}, wrong{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::string firstWrong;
    std::vector<std::thread> senders;
    for (int t = 0; t < 2; ++t) {
        senders.emplace_back([&] {
            auto c = server.client();
            while (!stop) {
                for (const Case& one : cases) {
                    httplib::Headers headers = auth(k.token);
                    std::string body = one.body;
                    if (one.gzip) {
                        headers.emplace("Content-Encoding", "gzip");
                        body = kiosk::protocol::gzipCompress(body, 9);
                    }
                    auto r = c->Post("/api/v1/push", headers, body, "application/json");
                    bool right = r && r->status == 400;
                    if (right) {
                        auto e = kiosk::protocol::decodeError(r->body);
                        right = e && e->error == "too-deep" && !e->messageVi.empty();
                    }
                    if (!right) {
                        ++wrong;
                        std::lock_guard lock(mutex);
                        if (firstWrong.empty())
                            firstWrong = one.name + ": " +
                                         (r ? std::to_string(r->status) + " " + r->body : "no answer");
                    }
                }
                ++rounds;
            }
        });
    }
    REQUIRE(waitUntil([&] { return rounds >= 1; }, 30s));
    goodPush(server, good, seq);
    goodPush(server, good, seq);
    const int roundsAtPush = rounds;
    stop = true;
    for (auto& s : senders) s.join();
    INFO(firstWrong);
    CHECK(wrong == 0);
    CHECK(roundsAtPush >= 1);
    auto acked = server.store()->ackedSeq(k.id);
    REQUIRE(acked);
    CHECK(*acked == 0);
    checkAlive(server);
}

TEST_CASE("abuse: everything at once, and a real kiosk's sync pass still completes",
          "[server][abuse][abuse-all]") {
    kiosk::district::ServerOptions options;
    options.readTimeoutSec = 5;
    RunningServer server(options);
    const Kiosk abuser = server.enroll(kCommuneB);
    const Kiosk enrolled = server.enroll(kCommuneA);
    client_test::TestKiosk kiosk(kCommuneA, enrolled.slot, client_test::url(server.port()), enrolled.token);

    const char* soakText = std::getenv("KIOSK_ABUSE_SOAK");
    const auto soak = std::chrono::seconds(soakText ? std::atol(soakText) : 0);

    SlowLoris loris(server.port(), 2 * kiosk::district::ServerOptions{}.threads, 1s);
    // The flood runs until the kiosk's pass has completed (stop() below); the hard limit only bounds a
    // pass that never ends. A fixed count of 30,000 ran out before the pass on a loaded machine.
    BadTokenFlood flood(server.port(), 2, 10000, soak.count() > 0 ? 100000000 : 1000000);
    std::atomic<bool> stop{false};
    std::atomic<int> bigRefused{0}, deepRefused{0}, otherAnswers{0};
    std::thread bodies([&] {
        auto c = server.client();
        const std::string big = tenMegabytePush(abuser);
        const std::string deep = deepPush(abuser, 10000, '[');
        while (!stop) {
            auto r = c->Post("/api/v1/push", auth(abuser.token), big, "application/json");
            (r && r->status == 413 ? bigRefused : otherAnswers)++;
            auto d = c->Post("/api/v1/push", auth(abuser.token), deep, "application/json");
            (d && d->status == 400 && server_test::errorCode(d) == "too-deep" ? deepRefused : otherAnswers)++;
        }
    });
    REQUIRE(waitUntil([&] { return flood.done() >= 500 && bigRefused >= 1 && loris.rounds() >= 2; }, 30s));

    std::vector<kiosk::Record> made;
    const auto soakUntil = SteadyClock::now() + soak;
    int passes = 0;
    do {
        for (int i = 0; i < 3; ++i)
            made.push_back(kiosk.submit("kien-nghi", client_test::kMonday + int64_t(made.size()) * 60));
        auto r = kiosk.syncOnce(30s);
        INFO(client_test::describe(r));
        REQUIRE(r.end == kiosk::client::PassEnd::Done);
        ++passes;
    } while (SteadyClock::now() < soakUntil);
    const int floodAtEnd = flood.done();
    const int bigAtEnd = bigRefused;

    stop = true;
    bodies.join();
    flood.stop();
    loris.stop();
    INFO("first failure: " << flood.firstFailure());
    for (const auto& [status, n] : flood.statuses()) UNSCOPED_INFO("status " << status << ": " << n);
    INFO("passes " << passes << ", bad tokens " << flood.done() << ", 10 MB refused " << bigRefused
                   << ", deep refused " << deepRefused);
    CHECK(floodAtEnd < flood.done());  // the abuse was still going when the pass completed
    CHECK(bigAtEnd >= 1);
    CHECK(otherAnswers == 0);
    const auto statuses = flood.statuses();
    REQUIRE(statuses.count(401) == 1);
    CHECK(statuses.at(401) == flood.done());
    CHECK(kiosk.waiting() == 0);
    auto view = client_test::districtView(server, kCommuneA);
    CHECK(view.records.size() == made.size());
    for (const auto& record : made) CHECK(view.records.count(record.code) == 1);
    checkAlive(server);
}
