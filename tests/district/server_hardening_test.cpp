// The real district-server process against clients that never finish, or send more than any route
// takes: bodies without a length, chunked, compressed bombs, endless header lines, trickled headers,
// more connections than it serves. Each is refused or cut, the process's memory (VmRSS, VmHWM from
// /proc) does not grow by what was sent, and a kiosk keeps pushing and syncing meanwhile.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "tests/support/client_fixture.h"
#include "tests/support/district_support.h"
#include "tests/support/raw_socket.h"

using namespace server_test;
using namespace std::chrono_literals;
using testing_support::closedByServer;
using testing_support::readUntilClose;
using testing_support::sendAll;
using testing_support::waitUntil;

namespace {

using SteadyClock = std::chrono::steady_clock;

// A "Name:" line of /proc/PID/status, in kB (-1 when missing).
long statusKb(pid_t pid, const std::string& name) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(name + ":", 0) == 0) return std::atol(line.c_str() + name.size() + 1);
    return -1;
}

// One attack: `head`, then up to `total` bytes of `piece` (until the server stops reading), while
// the connection stays open. Returns what the server answered; `peakRss` is VmRSS right after sending.
std::string attack(int port, pid_t pid, const std::string& head, const std::string& piece, size_t total,
                   long& rssAfterSending) {
    const int fd = testing_support::connectLoopback(port, 5s);
    REQUIRE(fd >= 0);
    bool sending = sendAll(fd, head);
    for (size_t sent = 0; sending && sent < total; sent += piece.size()) sending = sendAll(fd, piece);
    std::this_thread::sleep_for(200ms);  // what was sent has been read, if it is read at all
    rssAfterSending = statusKb(pid, "VmRSS");
    ::shutdown(fd, SHUT_WR);
    std::string answer = readUntilClose(fd);
    ::close(fd);
    return answer;
}

// A kiosk pushing one petition at a time on its own connection until stopped.
class Pusher {
public:
    Pusher(int port, const Kiosk& kiosk) {
        m_thread = std::thread([this, port, kiosk] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(20, 0);
            for (int64_t seq = 1; !m_stop && seq <= 10000; ++seq) {
                const auto body = pushBody(kiosk, {submitEvent(kiosk, seq, codeFor(kiosk, uint64_t(seq)))});
                auto r = client.Post("/api/v1/push", auth(kiosk.token), body, "application/json");
                (r && r->status == 200 ? m_ok : m_failed)++;
                std::this_thread::sleep_for(50ms);
            }
        });
    }
    ~Pusher() { stop(); }
    void stop() {
        m_stop = true;
        if (m_thread.joinable()) m_thread.join();
    }
    int ok() const { return m_ok; }
    int failed() const { return m_failed; }

private:
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_ok{0};
    std::atomic<int> m_failed{0};
};

Kiosk enrollKiosk(const std::string& db) {
    const auto enrolled = nlohmann::json::parse(
        district_test::districtOk({"enroll-kiosk", "--db", db, "--commune", kCommuneA, "--json"}));
    return Kiosk{enrolled["kiosk"].get<std::string>(), kCommuneA, enrolled["token"].get<std::string>(),
                 enrolled["slot"].get<int>()};
}

}  // namespace

TEST_CASE("bodies and headers no route takes are refused from the headers, memory stays flat",
          "[server][hardening][hardening-bodies]") {
    testing_support::TempDir dir;
    const std::string db = dir.file("district.db");
    const Kiosk kiosk = enrollKiosk(db);
    district_test::ServerProcess server(db);
    const pid_t pid = server.pid();
    const int port = server.port();

    Pusher pusher(port, kiosk);
    REQUIRE(waitUntil([&] { return pusher.ok() >= 2; }, 30s));
    const long rssBefore = statusKb(pid, "VmRSS");
    const long peakBefore = statusKb(pid, "VmHWM");
    REQUIRE(rssBefore > 0);

    constexpr size_t kSent = 96u << 20;  // per attack; the server must keep none of it
    const std::string mebibyte(1u << 20, 'a');
    const std::string chunk = "100000\r\n" + mebibyte + "\r\n";
    const std::string bomb = kiosk::protocol::gzipCompress(std::string(kSent, '\0'), 9);
    struct Case {
        const char* name;
        std::string head;
        const std::string* piece;
        size_t total;
        const char* status;  // the answer's status line, or "" when only the close is expected
    };
    const std::vector<Case> cases = {
        {"chunked login",
         "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
         "Transfer-Encoding: chunked\r\n\r\n",
         &chunk, kSent, "HTTP/1.1 411"},
        {"no length, unknown path", "POST /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", &mebibyte, kSent,
         "HTTP/1.1 411"},
        {"chunked to the API",
         "POST /api/v1/whoami HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", &chunk, kSent,
         "HTTP/1.1 411"},
        {"gzip bomb to logout",
         "POST /logout HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " +
             std::to_string(bomb.size()) + "\r\n\r\n" + bomb,
         &mebibyte, 0, "HTTP/1.1 415"},
        {"endless header line", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: ", &mebibyte, kSent, ""},
        {"endless request line", "GET /", &mebibyte, kSent, ""},
    };
    for (const Case& c : cases) {
        long rssAfterSending = 0;
        const std::string answer = attack(port, pid, c.head, *c.piece, c.total, rssAfterSending);
        INFO(c.name << ": answered \"" << answer.substr(0, 200) << "\"; VmRSS " << rssBefore << " kB before, "
                    << rssAfterSending << " kB after sending, VmHWM " << statusKb(pid, "VmHWM") << " kB (was "
                    << peakBefore << ")");
        CHECK(answer.rfind(c.status, 0) == 0);
        CHECK(rssAfterSending - rssBefore < 16 * 1024);
        CHECK(statusKb(pid, "VmHWM") - peakBefore < 24 * 1024);
        const int okBefore = pusher.ok();
        CHECK(waitUntil([&] { return pusher.ok() > okBefore; }, 30s));  // the kiosk still pushes
    }
    pusher.stop();
    CHECK(pusher.failed() == 0);
    CHECK(pusher.ok() >= int(cases.size()));
}

TEST_CASE("trickled headers are cut at their deadline, connections are capped, a kiosk still syncs",
          "[server][hardening][hardening-loris]") {
    testing_support::TempDir dir;
    const std::string db = dir.file("district.db");
    const Kiosk enrolled = enrollKiosk(db);
    district_test::ServerProcess server(db);
    const int port = server.port();
    // The program's defaults (ServerOptions): 256 connections, 10 s for a request's head, 30 s read
    // timeout per recv.
    constexpr int kMaxConnections = 256;
    constexpr int kHeadDeadlineSec = 10;

    // More trickling connections than the server serves at once, each sending one header byte a
    // second: well within the read timeout (30 s), so only a deadline on the whole head cuts them.
    const int count = kMaxConnections + 64;
    std::vector<int> fds;
    for (int i = 0; i < count; ++i) {
        const int fd = testing_support::connectLoopback(port, 5s);
        if (fd < 0) break;
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        ::send(fd, "GET /api/v1/whoami HTTP/1.1\r\nHost: x\r\n", 39, MSG_NOSIGNAL);
        fds.push_back(fd);
    }
    REQUIRE(int(fds.size()) == count);
    // And a few whose head is in but whose small body trickles (a login form of 1000 bytes): cut at
    // the head deadline plus the body's length at 4 KB/s.
    for (int i = 0; i < 16; ++i) {
        const int fd = testing_support::connectLoopback(port, 5s);
        REQUIRE(fd >= 0);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        const std::string head =
            "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 1000\r\n\r\nuser=";
        ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
        fds.push_back(fd);
    }
    const auto started = SteadyClock::now();
    std::atomic<bool> stop{false};
    std::thread trickle([&] {
        for (int round = 0; !stop && round < 120; ++round) {
            for (int fd : fds) ::send(fd, "a", 1, MSG_NOSIGNAL);
            for (int i = 0; i < 10 && !stop; ++i) std::this_thread::sleep_for(100ms);
        }
    });

    // Past the cap, each new connection pushed an older waiting one out.
    std::this_thread::sleep_for(2s);
    int open = 0;
    for (int fd : fds) open += closedByServer(fd) ? 0 : 1;
    INFO(open << " of " << fds.size() << " trickling connections still open");
    CHECK(open <= kMaxConnections);

    // A real kiosk syncs meanwhile.
    client_test::TestKiosk kiosk(kCommuneA, enrolled.slot, server.url(), enrolled.token);
    kiosk.submit("kien-nghi", client_test::kMonday);
    auto r = kiosk.syncOnce(30s);
    INFO(client_test::describe(r));
    CHECK(r.end == kiosk::client::PassEnd::Done);

    // Every trickling connection is closed after the head deadline, still trickling.
    const bool allClosed = waitUntil(
        [&] {
            for (int fd : fds)
                if (!closedByServer(fd)) return false;
            return true;
        },
        std::chrono::seconds(kHeadDeadlineSec + 1 + 15));
    const auto took = std::chrono::duration_cast<std::chrono::seconds>(SteadyClock::now() - started).count();
    stop = true;
    trickle.join();
    for (int fd : fds) ::close(fd);
    INFO("closed after " << took << " s");
    CHECK(allClosed);
    kiosk.submit("kien-nghi", client_test::kMonday + 60);
    auto again = kiosk.syncOnce(30s);
    INFO(client_test::describe(again));
    CHECK(again.end == kiosk::client::PassEnd::Done);
    CHECK(kiosk.waiting() == 0);
}

TEST_CASE("a request path cannot forge a log line", "[server][hardening]") {
    RunningServer server;
    auto c = server.client();
    auto r = c->Get("/x%0A2026-01-01T00:00:00+07:00%20GET%20/forged%20200%200ms%20k1%0D");
    REQUIRE(r);
    CHECK(r->status == 404);
    REQUIRE(waitUntil(
        [&] {
            for (const auto& line : server.log())
                if (line.find("/x") != std::string::npos) return true;
            return false;
        },
        5s));
    for (const auto& line : server.log()) {
        INFO(line);
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.find('\r') == std::string::npos);
        if (line.find("/x") != std::string::npos) CHECK(line.find("/x\\x0a2026") != std::string::npos);
    }
}

TEST_CASE("over the connection cap a waiting connection makes room - when all are busy, 503 busy",
          "[server][hardening][hardening-cap]") {
    kiosk::district::ServerOptions options;
    options.maxConnections = 4;
    RunningServer server(options);
    const Kiosk k = server.enroll(kCommuneA);

    // A connection busy with a request: its push's headers are in (the server said 100 Continue)
    // and its body is still coming.
    std::vector<int> fds;
    auto openBusy = [&] {
        const int fd = testing_support::connectLoopback(server.port(), 5s);
        REQUIRE(fd >= 0);
        fds.push_back(fd);
        REQUIRE(sendAll(fd, "POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + k.token +
                                "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
                                "Expect: 100-continue\r\n\r\n"));
        std::string answer;
        char buffer[256];
        const auto until = SteadyClock::now() + 10s;
        while (answer.find("\r\n\r\n") == std::string::npos && SteadyClock::now() < until) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            answer.append(buffer, size_t(n));
        }
        REQUIRE(answer.rfind("HTTP/1.1 100", 0) == 0);
        REQUIRE(sendAll(fd, "{"));
    };
    for (int i = 0; i < 3; ++i) openBusy();

    // The fourth slot: a connection that sends nothing. A kiosk's request takes its place.
    const int idle = testing_support::connectLoopback(server.port(), 5s);
    REQUIRE(idle >= 0);
    std::this_thread::sleep_for(500ms);
    auto r = server.client()->Get("/healthz");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(waitUntil([&] { return closedByServer(idle); }, 5s));
    ::close(idle);

    // Every slot busy with a request: a new connection is told so and closed.
    openBusy();
    const int refused = testing_support::connectLoopback(server.port(), 5s);
    REQUIRE(refused >= 0);
    const std::string answer = readUntilClose(refused, 10s);
    ::close(refused);
    INFO(answer);
    CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
    CHECK(answer.find("Retry-After: 2") != std::string::npos);
    CHECK(answer.find("\"busy\"") != std::string::npos);

    for (int fd : fds) ::close(fd);
    CHECK(waitUntil(
        [&] {
            auto alive = server.client()->Get("/healthz");
            return alive && alive->status == 200;
        },
        10s));
}
