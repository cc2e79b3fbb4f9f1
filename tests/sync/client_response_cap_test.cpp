// The kiosk reads at most a bounded answer (sync/client/http_transport.h, maxResponseBytes): a
// server that sends a gzip bomb (64 KB on the wire, 64 MiB once curl has inflated it) or a plain
// body larger than the cap gets its transfer cut with net.too-large; the sync pass fails as a
// transient error and the kiosk's outbox is as it was. A raw socket server on loopback sends what
// no district would.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "sync/client/http_transport.h"
#include "sync/protocol/gzip.h"
#include "tests/support/client_fixture.h"

using namespace kiosk;
using namespace client_test;

namespace {

constexpr size_t kInflated = 64u << 20;  // four times the cap

// Answers every request on every connection with the same head and body, until destroyed;
// counts the body bytes the client actually took.
class HostileServer {
public:
    HostileServer(std::string head, std::string body) : m_head(std::move(head)), m_body(std::move(body)) {
        m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_listener >= 0);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(m_listener, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
        REQUIRE(::listen(m_listener, 16) == 0);
        socklen_t size = sizeof at;
        REQUIRE(::getsockname(m_listener, reinterpret_cast<sockaddr*>(&at), &size) == 0);
        m_port = ntohs(at.sin_port);
        m_thread = std::thread([this] { run(); });
    }
    ~HostileServer() {
        m_stop = true;
        m_thread.join();
        ::close(m_listener);
    }
    int port() const { return m_port; }
    int64_t bodyBytesSent() const { return m_sent; }

private:
    void run() {
        while (!m_stop) {
            pollfd p{m_listener, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) continue;
            serve(fd);
            ::close(fd);
        }
    }
    void serve(int fd) {
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 2000) <= 0) return;
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) return;
            request.append(buffer, size_t(n));
        }
        if (::send(fd, m_head.data(), m_head.size(), MSG_NOSIGNAL) < 0) return;
        size_t done = 0;
        while (done < m_body.size() && !m_stop) {
            const ssize_t n =
                ::send(fd, m_body.data() + done, std::min<size_t>(65536, m_body.size() - done), MSG_NOSIGNAL);
            if (n <= 0) return;
            done += size_t(n);
            m_sent += n;
        }
    }

    std::string m_head, m_body;
    int m_listener = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int64_t> m_sent{0};
    std::thread m_thread;
};

std::string head(size_t length, bool gzip) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
           std::string(gzip ? "Content-Encoding: gzip\r\n" : "") +
           "Content-Length: " + std::to_string(length) + "\r\nConnection: close\r\n\r\n";
}

// A JSON string of n bytes' worth of spaces: valid, if curl had kept it all.
std::string hugeJson(size_t n) {
    return "{\"kiosk\":\"k1\",\"commune\":\"02374\",\"pad\":\"" + std::string(n, ' ') + "\"}";
}

}  // namespace

TEST_CASE("client response cap: a gzip bomb or an oversized body is cut off, the pass fails cleanly") {
    const bool gzip = GENERATE(true, false);
    INFO((gzip ? "gzip bomb" : "plain oversized body"));
    const std::string json = hugeJson(kInflated);
    const std::string body = gzip ? protocol::gzipCompress(json, 9) : json;
    if (gzip) CHECK(body.size() < 256 * 1024);
    HostileServer server(head(body.size(), gzip), body);

    {
        client::TransportOptions options;
        options.baseUrl = url(server.port());
        options.token = "t";
        options.lowSpeedSeconds = 5;
        client::HttpTransport http(options);
        const client::HttpExchange ex = http.get("/api/v1/whoami");
        CHECK_FALSE(ex.ok());
        if (ex.ok()) CHECK(ex.reply->body.size() <= (16u << 20));
        CHECK(client::describeFailure(ex).code == "net.too-large");
        if (!gzip) CHECK(server.bodyBytesSent() < int64_t(kInflated));  // the transfer was cut short
    }
    {
        TestKiosk k(server_test::kCommuneA, 1, url(server.port()), "t");
        const Record r = k.submit();
        const auto once = k.syncOnce(std::chrono::milliseconds(1500));
        INFO(describe(once));
        CHECK(once.end == client::PassEnd::Failed);
        REQUIRE(once.error);
        CHECK(once.error->code == "net.too-large");
        CHECK(k.waiting() == 1);
        CHECK(k.verdict(r.code) == "");
        auto state = store::readSyncStatus(k.store());
        REQUIRE(state);
        REQUIRE(state->lastError);
        CHECK(state->lastError->code == "net.too-large");
    }
}
