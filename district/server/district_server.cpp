#include "district/server/district_server.h"

#include <httplib.h>
#include <netinet/tcp.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <thread>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "common/log_text.h"
#include "core/calendar.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "sync/protocol/messages.h"
#include "district/dashboard/client_address.h"
#include "district/dashboard/dashboard.h"
#include "district/office/identity_index.h"
#include "district/office/keys.h"
#include "district/server/connection_guard.h"
#include "district/sync/sync_routes.h"

// [SECTION] index
//   request           beginRequest (the thread's RequestContext, sync_routes.h), error codes
//   state             Impl: the listener, the sync routes, the dashboard, the log
//   helpers           the worker pool, limits
//   routes            healthz, the sync routes (sync_routes.h), header limits, errors, logging
//   lifecycle         create, bind, run (and its checkpointer), stop

namespace kiosk::district {
namespace {

using Clock = std::chrono::steady_clock;

using api::sendError;

// The worker thread's request begins: its start time and arrival, for the log line and the sync
// routes (sync_routes.h RequestContext).
void beginRequest() {
    connection::headReceived();
    RequestContext& request = currentRequest();
    if (request.active) return;
    request.active = true;
    request.start = Clock::now();
    request.arrivalMs = int64_t(wallClockMillis());
    request.kiosk.reset();
}

const char* defaultCode(int status) {
    switch (status) {
        case 400:
            return "bad-request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not-found";
        case 405:
            return "method-not-allowed";
        case 408:
            return "timeout";
        case 411:
            return "length-required";
        case 413:
            return "payload-too-large";
        case 414:
            return "uri-too-long";
        case 415:
            return "unsupported-media-type";
        case 429:
            return "too-many-requests";
        case 503:
            return "unavailable";
        default:
            return status >= 500 ? "internal" : "error";
    }
}

// The header healthy()'s probe carries its secret in (Impl::probeSecret).
constexpr const char* kProbeHeader = "X-District-Watchdog";

bool startsWith(const std::string& text, std::string_view prefix) {
    return text.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), text.begin());
}

}  // namespace

// [SECTION] state

struct DistrictServer::Impl {
    std::unique_ptr<httplib::Server> http;

    std::mutex logMutex;
    std::function<void(const std::string&)> log;

    std::atomic<int> listenSocket{-1};     // the socket cpp-httplib listens on, once bound
    std::unique_ptr<SyncRoutes> sync;      // push, pull, whoami and the kiosk token check
    std::unique_ptr<Dashboard> dashboard;  // the officers' pages (dashboard.h)
    TrustedProxies trustedProxies;         // whose X-Forwarded-* headers are believed

    std::atomic<bool> running{false};        // run() was entered
    std::atomic<bool> runDone{false};        // run() is leaving
    std::atomic<bool> stopRequested{false};  // stop() was called (once is enough)
    // Sent by healthy()'s own /healthz probe, so the log leaves it out; random per process so a
    // client cannot hide its requests from the log with it.
    std::string probeSecret;

    void writeLog(const std::string& line) {
        std::lock_guard lock(logMutex);
        if (log) {
            log(line);
        } else {
            std::fprintf(stderr, "%s\n", line.c_str());
            std::fflush(stderr);
        }
    }
};

// [SECTION] helpers

namespace {

bool isApiPath(const std::string& path) { return startsWith(path, "/api/"); }

// A refused body up to this size is read and thrown away so the client hears the refusal; a bigger
// one is refused at once and its connection closed.
constexpr size_t kDrainLimitBytes = 16 * 1024 * 1024;

// Pending connections the kernel holds while every worker is busy (cpp-httplib's own is 5).
constexpr int kListenBacklog = 1024;

// Workers the pool may grow to while every resident one is busy (see GrowingPool). Each is a thread
// holding one connection; 512 fit comfortably in memory and under a 1024 open-file limit.
constexpr size_t kMaxWorkers = 512;
// An extra worker that found nothing to do for this long leaves.
constexpr auto kExtraWorkerIdle = std::chrono::seconds(30);

// cpp-httplib 0.11 serves each connection on one worker until the connection ends, and its
// ThreadPool has a fixed number of workers in front of an unbounded queue: as many slow-loris
// connections as workers (each trickling a header byte before the read timeout, which counts from
// the last byte, not from the start of the request) would leave every kiosk waiting in the queue.
// This pool keeps `resident` workers and starts another whenever a connection arrives and none is
// free, up to `cap`; past the cap connections wait in the queue as before. Trickling connections
// are cut by the connection loop's head deadline, and the connections served at once are capped
// below the workers' cap (connection_guard.h, guardLimits), so a worker is always free to turn an
// excess connection away.
class GrowingPool final : public httplib::TaskQueue {
public:
    GrowingPool(size_t resident, size_t cap) : m_cap(std::max(resident, cap)) {
        std::lock_guard lock(m_mutex);
        for (size_t i = 0; i < resident; ++i) startWorker(true);
    }
    ~GrowingPool() override { shutdown(); }
    GrowingPool(const GrowingPool&) = delete;
    GrowingPool& operator=(const GrowingPool&) = delete;

    void enqueue(std::function<void()> fn) override {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(fn));
        // Workers that are idle but not yet woken still count as idle until they take a job.
        if (m_jobs.size() > m_idle && m_workers < m_cap) startWorker(false);
        m_wakeup.notify_one();
    }

    // Lets the workers finish the connections they hold (cpp-httplib closes the listening socket
    // first, so those end within a read timeout) and waits for every worker to leave.
    void shutdown() override {
        std::unique_lock lock(m_mutex);
        m_stopping = true;
        m_wakeup.notify_all();
        m_gone.wait(lock, [this] { return m_workers == 0; });
    }

private:
    // Called with m_mutex held. Workers are detached and counted: shutdown() waits for the count.
    // When the system refuses another thread, the connection waits for one of the others.
    void startWorker(bool resident) {
        ++m_workers;
        try {
            std::thread([this, resident] { work(resident); }).detach();
        } catch (const std::system_error&) {
            --m_workers;
        }
    }

    void work(bool resident) {
        std::unique_lock lock(m_mutex);
        while (true) {
            ++m_idle;
            const bool woken =
                m_wakeup.wait_for(lock, kExtraWorkerIdle, [this] { return m_stopping || !m_jobs.empty(); });
            --m_idle;
            if (m_jobs.empty()) {
                if (m_stopping || (!woken && !resident)) break;
                continue;
            }
            std::function<void()> job = std::move(m_jobs.front());
            m_jobs.pop_front();
            lock.unlock();
            job();
            lock.lock();
        }
        --m_workers;
        // Still under the lock: the pool outlives this notification (shutdown() needs the lock).
        m_gone.notify_all();
    }

    const size_t m_cap;
    std::mutex m_mutex;
    std::condition_variable m_wakeup;
    std::condition_variable m_gone;
    std::deque<std::function<void()>> m_jobs;
    size_t m_workers = 0;
    size_t m_idle = 0;
    bool m_stopping = false;
};

}  // namespace

// [SECTION] routes

namespace {

bool isPushPath(const std::string& path) { return path == "/api/v1/push"; }

// Methods whose body cpp-httplib reads (a DELETE only with a Content-Length).
bool carriesBody(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "PRI";
}

void refuseTooLarge(httplib::Response& res, size_t named) {
    sendError(res, 413, "payload-too-large", "The body is larger than " + std::to_string(named) + " bytes.",
              "Dữ liệu gửi lên vượt quá " + std::to_string(named) + " byte.");
}

// What can be refused from the headers alone, on any route, before a byte of the body is read:
// a body without a Content-Length (chunked, or up to the close: its size could only be counted by
// reading it), a Content-Encoding but on a push (which caps what it inflates itself), a declared size
// over `limit`, a multipart body to the API. `named` is the limit the refusal names.
bool checkHeaders(const httplib::Request& req, httplib::Response& res, size_t limit, size_t named) {
    const bool hasLength = req.has_header("Content-Length");
    if (req.has_header("Transfer-Encoding") || (carriesBody(req.method) && !hasLength)) {
        sendError(res, 411, "length-required", "A Content-Length is required.", "Cần có Content-Length.");
        return false;
    }
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!encoding.empty() && encoding != "identity" && !(req.method == "POST" && isPushPath(req.path))) {
        sendError(res, 415, "unsupported-encoding", "Unsupported Content-Encoding.",
                  "Kiểu nén dữ liệu không được hỗ trợ.");
        return false;
    }
    if (hasLength) {
        const std::string declared = req.get_header_value("Content-Length");
        char* end = nullptr;
        const unsigned long long length = std::strtoull(declared.c_str(), &end, 10);
        if (end == declared.c_str() || *end != '\0' || length > limit) {
            refuseTooLarge(res, named);
            return false;
        }
    }
    if (isApiPath(req.path) && startsWith(req.get_header_value("Content-Type"), "multipart/")) {
        sendError(res, 415, "unsupported-media-type", "The body must be JSON.", "Dữ liệu phải ở dạng JSON.");
        return false;
    }
    return true;
}

// The body a route may carry: a push (and a dashboard import) up to maxBodyBytes, anything else up
// to maxFormBytes.
size_t bodyLimit(const std::string& path, const ServerOptions& options) {
    if (isPushPath(path) || path == "/dash/api/import") return options.maxBodyBytes;
    return options.maxFormBytes;
}

}  // namespace

void DistrictServer::installRoutes() {
    httplib::Server& http = *m_impl->http;
    installLimits();
    http.Get("/healthz",
             [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    m_impl->sync->install(http);
    installFallbacks();
}

// The refusals made before a handler runs: an /api/ request's token and headers.
void DistrictServer::installLimits() {
    httplib::Server& http = *m_impl->http;
    SyncRoutes& sync = *m_impl->sync;
    const ServerOptions& options = m_options;

    // A client that asks first ("Expect: 100-continue", as curl does for big bodies) is refused
    // before it sends the body at all.
    http.set_expect_100_continue_handler([&sync, &options](const httplib::Request& req,
                                                           httplib::Response& res) {
        beginRequest();
        const size_t limit = bodyLimit(req.path, options);
        if ((isApiPath(req.path) && !sync.authenticate(req, res)) || !checkHeaders(req, res, limit, limit)) {
            res.set_header("Connection", "close");
            connection::closeAfterResponse();
            return res.status;
        }
        return 100;
    });

    // Every request passes here once its headers are read, before its body is. A body the route
    // would not take is refused from the headers and its connection closed (connection_guard.h).
    // An oversized push is the exception: up to kDrainLimitBytes it is read and thrown away (by
    // cpp-httplib's payload limit, which answers 413), so a kiosk that sends everything before it
    // reads gets its answer instead of a reset connection.
    http.set_pre_routing_handler([&options](const httplib::Request& req, httplib::Response& res) {
        beginRequest();
        const size_t limit = bodyLimit(req.path, options);
        const bool push = isPushPath(req.path);
        if (checkHeaders(req, res, push ? kDrainLimitBytes : limit, limit)) {
            const auto length = std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
            // Not a push's: a kiosk on a poor link may send slower than any rate worth setting.
            if (length > 0 && !push)
                connection::bodyDeadline(
                    std::chrono::seconds(std::max(1, options.headerTimeoutSec)) +
                    std::chrono::milliseconds(length * 1000 /
                                              std::max<size_t>(1, options.minBodyBytesPerSec)));
            return httplib::Server::HandlerResponse::Unhandled;
        }
        res.set_header("Connection", "close");
        connection::closeAfterResponse();
        return httplib::Server::HandlerResponse::Handled;
    });
}

// What every request gets whatever its route: JSON errors, the exception handler, the log line.
void DistrictServer::installFallbacks() {
    httplib::Server& http = *m_impl->http;
    Impl& impl = *m_impl;

    // Any refusal without a body of its own (404, 400 from the HTTP parser, 413 from its payload
    // limit...) still answers in the API's JSON shape.
    http.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            sendError(res, res.status, defaultCode(res.status), "HTTP " + std::to_string(res.status) + ".",
                      "HTTP " + std::to_string(res.status) + ".");
            return httplib::Server::HandlerResponse::Handled;
        }));

    // A browser that reached us over HTTPS (ours, or a trusted proxy's) is told to keep to it. A
    // year, the usual figure; not for subdomains, which the district may run apart.
    http.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (clientView(req, m_impl->trustedProxies, tls()).https)
            res.set_header("Strict-Transport-Security", "max-age=31536000");
    });

    // The server's one top-level exception handler: nothing a client sends may bring it down.
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        sendError(res, 500, "internal", "Internal server error.", "Lỗi nội bộ của máy chủ.");
    });

    http.set_logger([&impl](const httplib::Request& req, const httplib::Response& res) {
        RequestContext& request = currentRequest();
        long long ms = 0;
        if (request.active)
            ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - request.start).count();
        const bool probe = req.path == "/healthz" && req.get_header_value(kProbeHeader) == impl.probeSecret;
        const std::string kioskId = request.kiosk ? request.kiosk->kioskId : "-";
        if (probe) {
            request.active = false;
            return;
        }
        impl.writeLog(isoLocalTime(int64_t(wallClockMillis() / 1000)) + " " +
                      common::escapeForLog(req.method) + " " + common::escapeForLog(req.path) + " " +
                      std::to_string(res.status) + " " + std::to_string(ms) + "ms " + kioskId);
        request.active = false;
        request.kiosk.reset();
    });
}

// [SECTION] lifecycle

namespace {

// Copies the WAL into the database file every interval on a connection of its own (PASSIVE: it
// never waits for, nor blocks, the committer or the readers), for as long as it lives. The writer
// would otherwise do it after nearly every group commit, while the group's kiosks wait for their
// answers (district_store.cpp, kWriterCheckpointPages).
class Checkpointer {
public:
    template <class Impl>
    Checkpointer(Impl& impl, const std::string& dbPath, int intervalMs) {
        if (store::isPostgresTarget(dbPath)) return;  // SQLite's WAL only: PostgreSQL checkpoints itself
        auto db = store::Database::open(dbPath, false);
        if (!db) {
            impl.writeLog("checkpointer disabled: " + db.error().en);
            return;
        }
        m_db = std::make_unique<store::Database>(std::move(*db));
        const auto interval = std::chrono::milliseconds(std::max(1, intervalMs));
        m_thread = std::thread([this, &impl, interval] {
            int lastError = SQLITE_OK;
            std::unique_lock lock(m_mutex);
            while (!m_wake.wait_for(lock, interval, [this] { return m_stopping; })) {
                lock.unlock();
                const int rc = sqlite3_wal_checkpoint_v2(m_db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                                         nullptr, nullptr);
                // BUSY: another checkpoint (the writer's own) is running. Other errors are logged
                // once each: the writer's own checkpoints still keep the WAL bounded.
                if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != lastError)
                    impl.writeLog(std::string("checkpoint failed: ") + sqlite3_errmsg(m_db->handle()));
                lastError = rc;
                lock.lock();
            }
        });
    }
    ~Checkpointer() {
        if (!m_thread.joinable()) return;
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

private:
    std::unique_ptr<store::Database> m_db;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

GuardLimits guardLimits(const ServerOptions& options) {
    GuardLimits limits;
    limits.headDeadline = std::chrono::seconds(std::max(1, options.headerTimeoutSec));
    limits.maxHeadBytes = std::max<size_t>(1024, options.maxHeadBytes);
    // Below the workers' cap: an excess connection is turned away by a worker of its own.
    limits.maxConnections = std::min(size_t(std::max(1, options.maxConnections)), kMaxWorkers - 32);
    return limits;
}

}  // namespace

Result<std::unique_ptr<DistrictServer>> DistrictServer::create(ServerOptions options, DeadlineRules rules) {
    std::unique_ptr<DistrictServer> server(new DistrictServer());
    server->m_impl = std::make_unique<Impl>();
    Impl& impl = *server->m_impl;
    if (!options.tlsCert.empty() || !options.tlsKey.empty()) {
        if (options.tlsCert.empty() || options.tlsKey.empty())
            return makeError("tls", "Cần cả --tls-cert và --tls-key.",
                             "Both --tls-cert and --tls-key are needed.");
        auto tls = std::make_unique<GuardedSslServer>(options.tlsCert.c_str(), options.tlsKey.c_str(),
                                                      guardLimits(options));
        if (!tls->is_valid())
            return makeError(
                "tls",
                "Không nạp được chứng chỉ TLS " + options.tlsCert + " hoặc khoá " + options.tlsKey + ".",
                "Cannot load the TLS certificate " + options.tlsCert + " or key " + options.tlsKey + ".");
        impl.http = std::move(tls);
    } else {
        impl.http = std::make_unique<GuardedServer>(guardLimits(options));
    }
    auto proxies = TrustedProxies::parse(options.trustedProxies);
    if (!proxies) return proxies.error();
    impl.trustedProxies = std::move(*proxies);
    auto committer = PushCommitter::start(options.dbPath, true, rules, options.committer);
    if (!committer) return committer.error();
    server->m_committer = std::move(*committer);
    if (options.reference) server->m_committer->followImports(options.reference);
    impl.sync = std::make_unique<SyncRoutes>(options.dbPath, *server->m_committer,
                                             SyncLimits{options.maxBodyBytes, options.maxInflatedBytes});
    impl.log = options.log;
    {
        unsigned char secret[16];
        char hex[sizeof secret * 2 + 1];
        randombytes_buf(secret, sizeof secret);
        impl.probeSecret = sodium_bin2hex(hex, sizeof hex, secret, sizeof secret);
    }

    httplib::Server& http = *impl.http;
    const size_t threads = size_t(std::max(1, options.threads));
    http.new_task_queue = [threads] { return new GrowingPool(threads, kMaxWorkers); };
    // cpp-httplib writes a response's headers and body separately: with Nagle on, the body waits for
    // the client's delayed ACK, up to 40 ms per answer on a kept-alive connection. Measured with 4
    // keep-alive clients sending 10,000 small requests: over two minutes; with this, 37 s; 1.4 s when
    // the clients also set it (libcurl, which the kiosks use, does by default).
    http.set_tcp_nodelay(true);
    http.set_keep_alive_max_count(size_t(std::max(1, options.keepAliveMaxCount)));
    http.set_keep_alive_timeout(std::max(1, options.keepAliveTimeoutSec));
    http.set_read_timeout(std::max(1, options.readTimeoutSec), 0);
    http.set_write_timeout(std::max(1, options.writeTimeoutSec), 0);
    // A GET with a body, or anything else that reaches cpp-httplib's own reader, is capped too.
    http.set_payload_max_length(options.maxBodyBytes);
    // cpp-httplib's default also sets SO_REUSEPORT, which would let a second server bind the same
    // port and silently share the kiosks' connections: reuse the address, never the port.
    // The hook also remembers the listening socket: cpp-httplib 0.11 listens with a backlog of 5,
    // which drops connection attempts when many kiosks come back online at once; bind() raises it.
    http.set_socket_options([&impl](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  // inherited by accepted sockets
        impl.listenSocket = sock;
    });

    server->m_options = std::move(options);
    server->m_rules = std::move(rules);
    server->installRoutes();
    // The dashboard shares the listener; without its page files the sync API still runs.
    DashboardOptions dashboardOptions;
    dashboardOptions.dbPath = server->m_options.dbPath;
    dashboardOptions.assetsDir = assetsDir();
    dashboardOptions.tls = server->tls();
    dashboardOptions.trustedProxies = impl.trustedProxies;
    dashboardOptions.log = [&impl](const std::string& line) { impl.writeLog(line); };
    auto dashboard = Dashboard::create(std::move(dashboardOptions));
    if (dashboard) {
        impl.dashboard = std::move(*dashboard);
        impl.dashboard->install(http);
    } else {
        impl.writeLog("dashboard disabled: " + dashboard.error().en);
    }
    return server;
}

DistrictServer::~DistrictServer() {
    stop();
    if (m_committer) m_committer->stop();
}

bool DistrictServer::tls() const { return !m_options.tlsCert.empty(); }

bool DistrictServer::healthy(std::chrono::milliseconds timeout) {
    if (!m_committer->answersWithin(timeout)) return false;
    // The listener is asked as a client would: a connection, a request, an answer.
    std::string host = m_options.host;
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    httplib::Client client(std::string(tls() ? "https://" : "http://") + host + ":" + std::to_string(m_port));
    // Our own certificate, on our own address: there is nothing to verify.
    client.enable_server_certificate_verification(false);
    const long long ms = std::max<long long>(1, timeout.count());
    client.set_connection_timeout(time_t(ms / 1000), long(ms % 1000) * 1000);
    client.set_read_timeout(time_t(ms / 1000), long(ms % 1000) * 1000);
    client.set_write_timeout(time_t(ms / 1000), long(ms % 1000) * 1000);
    return bool(client.Get("/healthz", {{kProbeHeader, m_impl->probeSecret}}));
}

Result<int> DistrictServer::bind() {
    httplib::Server& http = *m_impl->http;
    int port = -1;
    if (m_options.port == 0) {
        port = http.bind_to_any_port(m_options.host);
    } else if (http.bind_to_port(m_options.host, m_options.port)) {
        port = m_options.port;
    }
    if (port <= 0)
        return makeError("listen",
                         "Không mở được cổng " + m_options.host + ":" + std::to_string(m_options.port) +
                             " (đang bị dùng hoặc địa chỉ sai).",
                         "Cannot listen on " + m_options.host + ":" + std::to_string(m_options.port) +
                             " (in use, or not a valid address).");
    if (m_impl->listenSocket >= 0) ::listen(m_impl->listenSocket, kListenBacklog);
    m_port = port;
    return port;
}

Outcome DistrictServer::run() {
    bool ok = true;
    Checkpointer checkpointer(*m_impl, m_options.dbPath, m_options.checkpointIntervalMs);
    // Off the push path: its own connection and thread, short write transactions.
    std::optional<IdentityIndexer> indexer;
    if (m_options.identityIndexIntervalMs > 0)
        indexer.emplace(
            m_options.dbPath,
            IdentityIndexerOptions{m_options.identityIndexIntervalMs, IdentityIndexerOptions{}.keyCheckMs,
                                   IdentityIndexerOptions{}.batch,
                                   [this](const std::string& line) { m_impl->writeLog(line); }});
    m_impl->running = true;
    if (!m_impl->stopRequested) ok = m_impl->http->listen_after_bind();
    m_impl->runDone = true;
    m_committer->stop();
    if (!ok) return makeError("listen", "Máy chủ dừng bất thường.", "The server stopped unexpectedly.");
    return {};
}

void DistrictServer::stop() {
    if (!m_impl || !m_impl->http) return;
    Impl& impl = *m_impl;
    if (impl.stopRequested.exchange(true)) return;
    // run() may be between its start and cpp-httplib's accept loop, where Server::stop() would do
    // nothing: wait until the loop is running (or run() is over) and stop it exactly once.
    while (impl.running && !impl.runDone) {
        if (impl.http->is_running()) {
            impl.http->stop();
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

}  // namespace kiosk::district
