#pragma once
// SyncRoutes: the kiosk-facing half of the district's HTTP API (docs/sync-protocol.md), mounted by
// DistrictServer on its listener:
//   POST /api/v1/push      a kiosk's events, judged in its sequence order (push_committer.h)
//   GET  /api/v1/pull      the change feed for the kiosk's commune, by cursor
//   GET  /api/v1/whoami    the kiosk id, commune and acknowledged mark a token stands for
// and the kiosk token check every /api/ request passes (authenticate: 401/403). A push whose token
// pushed before is let in from memory; a revocation since is refused by the committer, still 403
// and before anything is stored.
// It is not: the listener, its limits on headers and connections, TLS or logging
// (district/server/district_server.h), nor the judgment of a push (push_judgement.h).
// Threads: the handlers and authenticate run on the server's worker threads, any number at once.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/result.h"
#include "core/holdings.h"
#include "district/store/reader_pool.h"
#include "district/sync/push_committer.h"

namespace httplib {
class Server;
struct Request;
struct Response;
class ContentReader;
}  // namespace httplib

namespace kiosk::district {

// What is known of the request a worker thread is serving, from the server's first look at it to
// its log line. cpp-httplib runs each connection's requests one after another on one worker
// thread, so it can wait in a thread_local.
struct RequestContext {
    bool active = false;
    std::chrono::steady_clock::time_point start;
    int64_t arrivalMs = 0;
    std::optional<KioskIdentity> kiosk;  // set by SyncRoutes::authenticate
};
// The calling thread's request.
RequestContext& currentRequest();

// The API's answers: JSON bodies, errors in the shape of protocol::ErrorBody.
namespace api {
void sendJson(httplib::Response& res, int status, const std::string& body);
void sendError(httplib::Response& res, int status, const std::string& code, const std::string& en,
               const std::string& vi, std::optional<int64_t> ackedSeq = std::nullopt);
void sendError(httplib::Response& res, int status, const Error& error);
// The database could not be read or written: transient, the kiosk tries again later (503).
void sendStorageError(httplib::Response& res, const Error& error);
}  // namespace api

struct SyncLimits {
    size_t maxBodyBytes = 0;      // a push body on the wire
    size_t maxInflatedBytes = 0;  // a push body once a gzip Content-Encoding is undone
};

class SyncRoutes {
public:
    // committer: judges the pushes and records last_seen; it must outlive the routes.
    SyncRoutes(std::string dbPath, PushCommitter& committer, SyncLimits limits);
    SyncRoutes(const SyncRoutes&) = delete;
    SyncRoutes& operator=(const SyncRoutes&) = delete;

    // Adds push, pull and whoami. Call before the server starts listening.
    void install(httplib::Server& http);

    // The token of an /api/ request: true when it belongs to a kiosk that is not revoked (then
    // currentRequest().kiosk is that kiosk); otherwise res holds the 401/403 (or 503 when the
    // database cannot be read). A push may be authenticated from memory (the committer checks
    // revocation again); every other request reads the database.
    bool authenticate(const httplib::Request& req, httplib::Response& res);

private:
    // The communes whose records the kiosk's commune holds today (core/holdings.h).
    CommuneHoldings holdingsToday(const KioskIdentity& kiosk) const;
    void push(const httplib::Request& req, httplib::Response& res,
              const httplib::ContentReader& contentReader);
    // The body of a push, or nullopt with res holding the refusal (400/413/415).
    std::optional<std::string> readPushBody(const httplib::Request& req, httplib::Response& res,
                                            const httplib::ContentReader& contentReader);
    void answerPush(httplib::Response& res, const KioskIdentity& kiosk, const Result<PushAnswer>& answer);
    void pull(const httplib::Request& req, httplib::Response& res);
    void whoami(const httplib::Request& req, httplib::Response& res);

    // Kiosks that pushed with a token, by the token's SHA-256, while not revoked: a push is then
    // authenticated without a database read. Only pushes use it, because the committer reads the
    // kiosk's revoked flag again inside the write transaction: a kiosk revoked since (by
    // district-server revoke-kiosk, another process) is still refused (403) before anything of its
    // push is stored, and forgotten here. Unknown and revoked tokens are never kept.
    std::optional<KioskIdentity> knownPusher(const std::string& hash);
    void rememberPusher(const std::string& hash, const KioskIdentity& kiosk);
    void forgetPusher(const std::string& kioskId);

    ReaderPool m_readers;
    PushCommitter& m_committer;
    const SyncLimits m_limits;

    std::mutex m_pushersMutex;
    std::unordered_map<std::string, KioskIdentity> m_pushers;
    static constexpr size_t kMaxPushers = 10000;  // far above the district's kiosks; then start over
};

}  // namespace kiosk::district
