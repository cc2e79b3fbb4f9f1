#pragma once
// The district server's own connection loop, in place of cpp-httplib 0.11's: what that version
// leaves open to a client that never finishes its request.
//   - A deadline for the request head (the request line and headers, and on HTTPS the handshake
//     before them): counted from the connection's first byte wait (or, on a kept-alive connection,
//     from the next request's first byte), whatever the per-recv read timeout. A client trickling one
//     byte a second is cut when it passes.
//   - A cap on the bytes of a request head. cpp-httplib reads a line into a buffer that grows
//     without bound and keeps any number of header lines; here a head over the cap fails the read
//     and the connection is closed.
//   - A cap on the connections served at once. A new connection over the cap takes the place of the
//     oldest connection that is only waiting (for its head, or idle between kept-alive requests);
//     when every connection is busy with a request, the new one is answered 503 and closed at once.
//   - A refusal made from the headers (connection::closeAfterResponse) closes the connection after
//     its answer, so a body the server did not want is never read as the next request.
// The handlers see none of this except the two calls in namespace connection, made on the worker
// thread that serves the request.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

namespace kiosk::district {

struct GuardLimits {
    std::chrono::milliseconds headDeadline{10000};
    size_t maxHeadBytes = 64 * 1024;
    size_t maxConnections = 256;
};

namespace connection {
// The request's head has been read (called from the pre-routing handler): its deadline is off, the
// body is read under the read timeout and the routes' own caps.
void headReceived();
// The request's body must have arrived within `allowance` from now (or the connection is closed).
void bodyDeadline(std::chrono::milliseconds allowance);
// The connection ends once the current response is written (the rest of its input is discarded).
void closeAfterResponse();
}  // namespace connection

class GuardedStream;

// The connections being served, shared by the server's workers.
class ConnectionRegistry {
public:
    explicit ConnectionRegistry(GuardLimits limits) : m_limits(limits) {}
    const GuardLimits& limits() const { return m_limits; }
    // Admits a new connection: false when it must be refused (every other one is busy).
    bool admit(GuardedStream& stream);
    void leave(GuardedStream& stream);
    size_t active() const;

private:
    GuardLimits m_limits;
    mutable std::mutex m_mutex;
    std::list<GuardedStream*> m_streams;  // oldest first
};

// Serves one accepted socket (plain or, with ctx, TLS) until it is done, then closes it.
// `serveRequest` is cpp-httplib's Server::process_request for one request on the stream (and the
// connection's TLS session, nullptr on plain HTTP).
using RequestServer =
    std::function<bool(httplib::Stream&, SSL* ssl, bool closeConnection, bool& connectionClosed)>;
struct ConnectionSettings {  // the server's own keep-alive and timeouts, as set on cpp-httplib
    size_t keepAliveMaxCount = 5;
    int keepAliveTimeoutSec = 5;
    int readTimeoutSec = 5;
    int writeTimeoutSec = 5;
};
void serveGuarded(ConnectionRegistry& registry, const std::atomic<socket_t>& listenSocket, socket_t sock,
                  SSL_CTX* ctx, const ConnectionSettings& settings, const RequestServer& serveRequest);

// cpp-httplib's servers with the loop above.
class GuardedServer final : public httplib::Server {
public:
    explicit GuardedServer(GuardLimits limits) : m_registry(limits) {}
    size_t activeConnections() const { return m_registry.active(); }

private:
    bool process_and_close_socket(socket_t sock) override;
    ConnectionRegistry m_registry;
};

class GuardedSslServer final : public httplib::SSLServer {
public:
    // Also sets TLS 1.2 as the least version the server accepts.
    GuardedSslServer(const char* cert, const char* key, GuardLimits limits);
    size_t activeConnections() const { return m_registry.active(); }

private:
    bool process_and_close_socket(socket_t sock) override;
    ConnectionRegistry m_registry;
};

}  // namespace kiosk::district
