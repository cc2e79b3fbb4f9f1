#pragma once
// DistrictServer: the district's HTTP(S) listener on cpp-httplib (docs/sync-protocol.md). It mounts
//   GET  /healthz          "ok", no auth
//   /api/v1/push, /api/v1/pull, /api/v1/whoami   the kiosks' sync API (district/sync/sync_routes.h)
//   the officers' dashboard (district/dashboard/dashboard.h)
// Every /api/ request needs "Authorization: Bearer <token>" of a kiosk that is not revoked (401/403,
// checked before the body is read; a push whose token pushed before is let in from memory, and a
// revocation since is refused by the committer, still 403 and before anything is stored). Bodies
// are at most 1 MB on the wire and 8 MB inflated (413), other routes' far less (ServerOptions::
// maxFormBytes); a request's headers have a deadline and a size cap, and the connections served at
// once a cap (connection_guard.h); malformed input is a 400 with a reason; an
// unexpected exception is a 500, never a crash.
// One log line per request on the log sink: time, method, path, status, ms, kiosk id — no personal
// data. The limits that cpp-httplib leaves open by default (worker threads, timeouts, keep-alive,
// payload size) are set here on purpose; see ServerOptions.
// Threads: create, bind and run from one thread; run() blocks serving; stop() may be called from
// any thread (a signal-waiting thread in main, the test thread in tests). While run() serves, a
// checkpointer thread of its own checkpoints the WAL (ServerOptions::checkpointIntervalMs), and an
// indexer thread indexes new records' sealed identities (ServerOptions::identityIndexIntervalMs).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/deadlines.h"
#include "common/result.h"
#include "sync/protocol/gzip.h"
#include "district/sync/push_committer.h"

namespace httplib {
class Server;
}

namespace kiosk::district {

struct ServerOptions {
    std::string dbPath;
    std::string host = "127.0.0.1";
    int port = 0;         // 0: the system picks a free port (see bind())
    std::string tlsCert;  // both set: HTTPS
    std::string tlsKey;
    // Peers (IP addresses or CIDR networks) whose X-Forwarded-For and X-Forwarded-Proto are
    // believed: a TLS-terminating proxy in front (dashboard/client_address.h). Their
    // "X-Forwarded-Proto: https" makes cookies Secure and adds Strict-Transport-Security, as TLS
    // of our own always does.
    std::vector<std::string> trustedProxies;
    // Resident workers. cpp-httplib keeps a connection on its worker for the whole keep-alive; when
    // every worker holds one, the pool starts another for the next connection, up to 512 (extra
    // workers leave after 30 s idle), and only then do connections wait in the accept queue.
    int threads = 64;
    int keepAliveMaxCount = 100;  // requests per connection before it is closed
    int keepAliveTimeoutSec = 5;  // idle time before a kept-alive connection is closed
    int readTimeoutSec = 30;      // a stalled upload (no byte for this long) is dropped
    int writeTimeoutSec = 30;
    size_t maxBodyBytes = protocol::kMaxBodyBytes;          // a push, or a dashboard import
    size_t maxInflatedBytes = protocol::kMaxInflatedBytes;  // a gzip push once inflated
    // Every other request's body (a login form, a dashboard action): a few hundred bytes in use.
    // Bodies are read only with a Content-Length within the route's cap and, but for a push,
    // without a Content-Encoding: anything else is refused from its headers (411/413/415) and
    // its connection closed (docs/security.md).
    size_t maxFormBytes = 64 * 1024;
    // The request line and headers (on HTTPS, the handshake too) must arrive within this, however
    // slowly they trickle, and be at most maxHeadBytes; otherwise the connection is closed.
    int headerTimeoutSec = 10;
    size_t maxHeadBytes = 64 * 1024;
    // A body but a push's must arrive within headerTimeoutSec plus its length at this rate (64 KB:
    // 26 s), however it trickles. A push's is bounded by the read timeout alone: kiosks on poor links
    // are slow.
    size_t minBodyBytesPerSec = 4096;
    // Connections served at once. A new one over the cap takes the place of the oldest connection
    // that is only waiting (for its headers, or idle between requests); when all are busy with a
    // request it is answered 503 and closed.
    int maxConnections = 256;
    // Up to 256 pushes per group commit (the committer's own default, 64, left 200 kiosks pushing
    // at once waiting for three or four fsyncs in turn).
    CommitterOptions committer = {256, CommitterOptions{}.maxWaitingEvents};
    // Set (by `serve`): the rules follow the imports stored while the server runs, instead of
    // staying those given to create() (PushCommitter::followImports).
    std::shared_ptr<ImportedReference> reference;
    // How often the checkpointer thread copies the WAL into the database file, so the committer's
    // writer never does it on the path every push waits for (district_store.cpp kWriter*).
    int checkpointIntervalMs = 20;
    // How often the identity indexer thread looks for records not yet in the keyed index of sealed
    // names and numbers (district/office/identity_index.h); 0: no indexer (searches then open every
    // record's seal themselves, within their bound).
    int identityIndexIntervalMs = 1000;
    // Receives each log line (without newline). Default: standard error.
    std::function<void(const std::string&)> log;
};

class DistrictServer {
public:
    // Opens (creating when needed) the database and prepares the server. Errors: the database
    // ("db.*"), a TLS certificate or key that cannot be loaded ("tls"), a trusted proxy that is
    // not an address or network ("args.trusted-proxy").
    static Result<std::unique_ptr<DistrictServer>> create(ServerOptions options, DeadlineRules rules);
    ~DistrictServer();
    DistrictServer(const DistrictServer&) = delete;
    DistrictServer& operator=(const DistrictServer&) = delete;

    // Binds host:port; returns the port actually bound. Error "listen" when the address is taken
    // or invalid.
    Result<int> bind();
    // Serves until stop(). Then lets the committer answer what it holds, and returns.
    Outcome run();
    void stop();

    // True when the server still serves: the committer's writer comes round its loop
    // (PushCommitter::answersWithin) and a GET /healthz to its own port gets an answer, each within
    // timeout. Any answer counts, a 503 under a flood of connections too: the listener works. For
    // the service watchdog (district/cli/service_notify.h); any thread, while run() serves. The
    // probe's request is not logged.
    bool healthy(std::chrono::milliseconds timeout);

    int port() const { return m_port; }
    bool tls() const;
    CommitterStats stats() const { return m_committer->stats(); }

private:
    DistrictServer() = default;
    void installRoutes();
    void installLimits();
    void installFallbacks();

    struct Impl;
    ServerOptions m_options;
    DeadlineRules m_rules;
    std::unique_ptr<PushCommitter> m_committer;
    std::unique_ptr<Impl> m_impl;
    int m_port = 0;
};

}  // namespace kiosk::district
