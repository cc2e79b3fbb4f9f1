#include "district/server/connection_guard.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "sync/protocol/messages.h"

// [SECTION] index
//   stream       GuardedStream: cpp-httplib's Stream over the socket (or TLS), with the head's
//                deadline and byte cap, and the eviction flag
//   registry     admit (the connection cap, evicting the oldest waiting connection), leave
//   loop         serveGuarded: TLS handshake, the kept-alive requests, the close
//   servers      GuardedServer, GuardedSslServer

namespace kiosk::district {

using Clock = std::chrono::steady_clock;

// [SECTION] stream

class GuardedStream final : public httplib::Stream {
public:
    GuardedStream(socket_t sock, const std::atomic<socket_t>& listenSocket, size_t maxHeadBytes,
                  time_t readTimeoutSec, time_t writeTimeoutSec)
        : m_sock(sock),
          m_listen(listenSocket),
          m_maxHeadBytes(maxHeadBytes),
          m_readTimeout(std::chrono::seconds(std::max<time_t>(1, readTimeoutSec))),
          m_writeTimeout(std::chrono::seconds(std::max<time_t>(1, writeTimeoutSec))) {}

    bool is_readable() const override {
        if (m_pos < m_len || (m_ssl && SSL_pending(m_ssl) > 0)) return true;
        return waitFor(POLLIN, std::min(Clock::now() + m_readTimeout, m_deadline));
    }
    bool is_writable() const override { return waitFor(POLLOUT, Clock::now() + m_writeTimeout); }

    ssize_t read(char* ptr, size_t size) override {
        if (m_failed) return -1;
        if (m_pos == m_len && !fill()) {
            m_failed = true;
            return -1;
        }
        const size_t n = std::min(size, m_len - m_pos);
        std::memcpy(ptr, m_buffer + m_pos, n);
        m_pos += n;
        if (m_waiting) {
            m_headBytes += n;
            if (m_headBytes > m_maxHeadBytes) {
                m_failed = true;
                return -1;
            }
        }
        return ssize_t(n);
    }

    ssize_t write(const char* ptr, size_t size) override {
        const auto until = Clock::now() + m_writeTimeout;
        while (true) {
            if (m_ssl) {
                const int n = SSL_write(m_ssl, ptr, int(std::min<size_t>(size, INT32_MAX)));
                if (n > 0) return n;
                const int err = SSL_get_error(m_ssl, n);
                const short events = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
                if ((err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) || !waitFor(events, until))
                    return -1;
                continue;
            }
            const ssize_t n = ::send(m_sock, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n >= 0) return n;
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
            if (!waitFor(POLLOUT, until)) return -1;
        }
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
    socket_t socket() const override { return m_sock; }

    // Waiting for a request head, which must be complete by `deadline`.
    void beginHead(Clock::time_point deadline) {
        m_deadline = deadline;
        m_headBytes = 0;
        m_waiting = true;
    }
    void headReceived() {
        m_waiting = false;
        m_deadline = Clock::time_point::max();
    }
    // Reads (of the body: the head is in) fail once `deadline` passes.
    void readDeadline(Clock::time_point deadline) { m_deadline = deadline; }
    // Between kept-alive requests: true when the next request's first byte arrives within `idle`.
    bool awaitNextRequest(std::chrono::seconds idle) {
        m_waiting = true;
        m_deadline = Clock::now() + idle;
        return m_pos < m_len || (m_ssl && SSL_pending(m_ssl) > 0) || waitFor(POLLIN, m_deadline);
    }
    bool waiting() const { return m_waiting; }
    void evict() { m_evicted = true; }
    bool evicted() const { return m_evicted; }
    bool failed() const { return m_failed; }
    void setSsl(SSL* ssl) { m_ssl = ssl; }

    // Waits until the socket is ready for `events`, `until` passes, the connection is evicted, or
    // (while waiting for a request) the server stops. Polls in short slices to notice the last two.
    bool waitFor(short events, Clock::time_point until) const {
        while (true) {
            if (m_evicted || (m_waiting && m_listen == INVALID_SOCKET)) return false;
            const auto now = Clock::now();
            if (now >= until) return false;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count();
            pollfd p{m_sock, events, 0};
            const int ready = ::poll(&p, 1, int(std::clamp<int64_t>(left, 1, 200)));
            if (ready > 0) return true;
            if (ready < 0 && errno != EINTR) return false;
        }
    }

    bool closeAfter = false;

private:
    // Reads what has arrived into the buffer; false at the end of the stream, on an error, or when
    // the read timeout or the head's deadline passes first.
    bool fill() {
        m_pos = m_len = 0;
        const auto until = std::min(Clock::now() + m_readTimeout, m_deadline);
        while (true) {
            if (m_ssl) {
                const int n = SSL_read(m_ssl, m_buffer, int(sizeof m_buffer));
                if (n > 0) {
                    m_len = size_t(n);
                    return true;
                }
                const int err = SSL_get_error(m_ssl, n);
                if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return false;
                if (!waitFor(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until)) return false;
                continue;
            }
            const ssize_t n = ::recv(m_sock, m_buffer, sizeof m_buffer, MSG_DONTWAIT);
            if (n > 0) {
                m_len = size_t(n);
                return true;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return false;
            if (!waitFor(POLLIN, until)) return false;
        }
    }

    void address(bool remote, std::string& ip, int& port) const {
        sockaddr_storage addr{};
        socklen_t length = sizeof addr;
        auto* raw = reinterpret_cast<sockaddr*>(&addr);
        if ((remote ? ::getpeername(m_sock, raw, &length) : ::getsockname(m_sock, raw, &length)) != 0) return;
        char host[NI_MAXHOST];
        char service[NI_MAXSERV];
        if (::getnameinfo(raw, length, host, sizeof host, service, sizeof service,
                          NI_NUMERICHOST | NI_NUMERICSERV) != 0)
            return;
        ip = host;
        port = std::atoi(service);
    }

    const socket_t m_sock;
    const std::atomic<socket_t>& m_listen;
    const size_t m_maxHeadBytes;
    const std::chrono::seconds m_readTimeout;
    const std::chrono::seconds m_writeTimeout;
    SSL* m_ssl = nullptr;
    char m_buffer[4096];
    size_t m_pos = 0;
    size_t m_len = 0;
    size_t m_headBytes = 0;
    Clock::time_point m_deadline = Clock::time_point::max();
    std::atomic<bool> m_waiting{true};
    std::atomic<bool> m_evicted{false};
    bool m_failed = false;
};

namespace {
thread_local GuardedStream* t_stream = nullptr;
}  // namespace

namespace connection {
void headReceived() {
    if (t_stream) t_stream->headReceived();
}
void bodyDeadline(std::chrono::milliseconds allowance) {
    if (t_stream) t_stream->readDeadline(Clock::now() + allowance);
}
void closeAfterResponse() {
    if (t_stream) t_stream->closeAfter = true;
}
}  // namespace connection

// [SECTION] registry

bool ConnectionRegistry::admit(GuardedStream& stream) {
    std::lock_guard lock(m_mutex);
    if (m_streams.size() >= m_limits.maxConnections) {
        auto victim = std::find_if(m_streams.begin(), m_streams.end(),
                                   [](GuardedStream* s) { return s->waiting() && !s->evicted(); });
        if (victim == m_streams.end()) return false;
        (*victim)->evict();
    }
    m_streams.push_back(&stream);
    return true;
}

void ConnectionRegistry::leave(GuardedStream& stream) {
    std::lock_guard lock(m_mutex);
    m_streams.remove(&stream);
}

size_t ConnectionRegistry::active() const {
    std::lock_guard lock(m_mutex);
    return m_streams.size();
}

// [SECTION] loop

namespace {

// Every connection is busy with a request: a plain-HTTP client hears why before the close.
void refuseBusy(socket_t sock, bool tls) {
    if (tls) return;
    const std::string body = protocol::encodeError(
        protocol::ErrorBody{"busy", "The server is serving as many connections as it can; try again shortly.",
                            "Máy chủ đang bận; hãy thử lại sau ít phút.", std::nullopt});
    const std::string answer =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 2\r\n"
        "Connection: close\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    (void)::send(sock, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// After a refusal the client may still be sending the body the server did not want: stop writing,
// discard what arrives for a moment (bounded), so the answer is not lost to a reset.
void lingerClose(socket_t sock) {
    ::shutdown(sock, SHUT_WR);
    char buffer[4096];
    size_t discarded = 0;
    const auto until = Clock::now() + std::chrono::milliseconds(500);
    while (discarded < 256 * 1024 && Clock::now() < until) {
        pollfd p{sock, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        const ssize_t n = ::recv(sock, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n <= 0) break;
        discarded += size_t(n);
    }
}

// The TLS handshake, within the head's deadline (the stream's wait).
SSL* acceptTls(GuardedStream& stream, SSL_CTX* ctx, socket_t sock, Clock::time_point deadline) {
    SSL* ssl = SSL_new(ctx);
    if (!ssl) return nullptr;
    SSL_set_fd(ssl, int(sock));
    while (true) {
        const int rc = SSL_accept(ssl);
        if (rc == 1) return ssl;
        const int err = SSL_get_error(ssl, rc);
        if ((err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) ||
            !stream.waitFor(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
            SSL_free(ssl);
            return nullptr;
        }
    }
}

}  // namespace

void serveGuarded(ConnectionRegistry& registry, const std::atomic<socket_t>& listenSocket, socket_t sock,
                  SSL_CTX* ctx, const ConnectionSettings& settings, const RequestServer& serveRequest) {
    const GuardLimits& limits = registry.limits();
    ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL) | O_NONBLOCK);
    GuardedStream stream(sock, listenSocket, limits.maxHeadBytes, settings.readTimeoutSec,
                         settings.writeTimeoutSec);
    const auto firstDeadline = Clock::now() + limits.headDeadline;
    stream.beginHead(firstDeadline);
    const bool admitted = registry.admit(stream);
    SSL* ssl = nullptr;
    if (!admitted) {
        refuseBusy(sock, ctx != nullptr);
    } else {
        t_stream = &stream;
        if (ctx) stream.setSsl(ssl = acceptTls(stream, ctx, sock, firstDeadline));
        size_t count = std::max<size_t>(1, settings.keepAliveMaxCount);
        bool first = true;
        while ((!ctx || ssl) && listenSocket != INVALID_SOCKET && count > 0) {
            if (!first) {
                if (!stream.awaitNextRequest(std::chrono::seconds(std::max(1, settings.keepAliveTimeoutSec))))
                    break;
                stream.beginHead(Clock::now() + limits.headDeadline);
            }
            first = false;
            bool closed = false;
            const bool served = serveRequest(stream, ssl, count == 1, closed);
            if (!served || closed || stream.closeAfter || stream.failed()) break;
            --count;
        }
        t_stream = nullptr;
        registry.leave(stream);
    }
    if (ssl) {
        if (!stream.failed() && !stream.evicted()) SSL_shutdown(ssl);
        SSL_free(ssl);
    }
    if (stream.closeAfter) lingerClose(sock);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
}

// [SECTION] servers

namespace {
ConnectionSettings settingsOf(size_t keepAliveMax, time_t keepAlive, time_t read, time_t write) {
    return ConnectionSettings{keepAliveMax, int(keepAlive), int(read), int(write)};
}
}  // namespace

bool GuardedServer::process_and_close_socket(socket_t sock) {
    const ConnectionSettings settings =
        settingsOf(keep_alive_max_count_, keep_alive_timeout_sec_, read_timeout_sec_, write_timeout_sec_);
    serveGuarded(m_registry, svr_sock_, sock, nullptr, settings,
                 [this](httplib::Stream& strm, SSL*, bool closeConnection, bool& connectionClosed) {
                     return process_request(strm, closeConnection, connectionClosed, nullptr);
                 });
    return true;
}

GuardedSslServer::GuardedSslServer(const char* cert, const char* key, GuardLimits limits)
    : httplib::SSLServer(cert, key), m_registry(limits) {
    // TLS 1.0 and 1.1 are refused whatever the system's OpenSSL configuration allows.
    if (ssl_context()) SSL_CTX_set_min_proto_version(ssl_context(), TLS1_2_VERSION);
}

bool GuardedSslServer::process_and_close_socket(socket_t sock) {
    const ConnectionSettings settings =
        settingsOf(keep_alive_max_count_, keep_alive_timeout_sec_, read_timeout_sec_, write_timeout_sec_);
    serveGuarded(m_registry, svr_sock_, sock, ssl_context(), settings,
                 [this](httplib::Stream& strm, SSL* ssl, bool closeConnection, bool& connectionClosed) {
                     return process_request(strm, closeConnection, connectionClosed,
                                            [ssl](httplib::Request& req) { req.ssl = ssl; });
                 });
    return true;
}

}  // namespace kiosk::district
