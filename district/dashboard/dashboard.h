#pragma once
// The district dashboard, served by district-server beside the sync API: plain HTML, CSS and JS
// from assets/dashboard (no CDN, nothing fetched from outside) over a small JSON API.
//
// Pages (each needs a session; without one the answer is 302 to /login):
//   /             overview: overdue list first and the records due within N working days beside it
//                 (the first rows and the true totals), per-commune fleet table, problem communes
//                 first (last sync, records waiting, overdue, clock drift, app version; kiosks
//                 silent > 24 h, drifting > 5 min, on plain http, low on disk or with a big queue are
//                 flagged; one enrolled that never synced is "chưa đồng bộ"), charts per month;
//                 refreshes itself every 60 s (app.js)
//   /records      records paged on the server, with totals and filters (record_lists.cpp), and the
//                 search by a citizen's name or phone (identity_search.cpp);
//   /record?code=X  history with officers' names and the actions the role allows
//   /report       the report for a chosen period, CSV download;  /receptions  tiếp công dân
//   /admin        admins: imports, kiosks (enrol, name, revoke), officers (add, disable, new
//                 password), the officers' action log (admin_api.cpp, office/officer_log.h)
//   /login        the only page without a session (POST /login, POST /logout)
// JSON API under /dash/api/ (401 without a session). Every state-changing request is a POST that
// must carry the session's CSRF token in "X-CSRF-Token" (403 otherwise, nothing changed); the login
// form carries a token of its own (double submit). The session cookie is HttpOnly, SameSite=Strict,
// Secure under TLS (the server's, or a trusted proxy's: client_address.h), and expires (officers.h
// SessionPolicy). A login waits out the delay its id and address earned by failing (officers.h
// "login attempts": 429 with Retry-After), and at most maxVerifications passwords are checked at
// once. An unknown id is answered byte for byte like a wrong password; each failure is logged with
// the client's address.
// It is not: the sync API (district/sync/sync_routes.h) or the rules (actions.h, report.h).
// Files: dashboard.cpp (create, install, sessions), pages.cpp, overview.cpp, records.cpp and
// office_api.cpp hold Dashboard::Impl (dashboard_impl.h); dashboard_http.h their shared helpers.
// Threads: handlers run on cpp-httplib's worker threads; each borrows a connection from a
// ReaderPool (district/store/reader_pool.h).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "district/dashboard/client_address.h"
#include "district/office/officers.h"

namespace httplib {
class Server;
}

namespace kiosk::district {

struct DashboardOptions {
    std::string dbPath;
    std::filesystem::path assetsDir;  // the assets/ directory (dashboard files under dashboard/)
    bool tls = false;                 // the listener serves HTTPS itself: cookies always Secure
    TrustedProxies trustedProxies;    // whose X-Forwarded-For/-Proto are believed (client_address.h)
    SessionPolicy sessions;
    LoginThrottlePolicy logins;
    // Password verifications running at once (each takes 64 MiB of argon2id memory), and how long
    // a login waits for one before it is answered 503 with Retry-After (docs/security.md
    // "Dashboard login").
    int maxVerifications = 2;
    int verificationWaitMs = 5000;
    // Receives the log line of each failed login (the server's log sink); empty: standard error.
    std::function<void(const std::string&)> log;
    int64_t silentAfterMs = 24 * 60 * 60 * 1000;  // a kiosk not heard from for this long is flagged
    int64_t clockDriftMs = 5 * 60 * 1000;         // a kiosk clock off by more than this is flagged
    int64_t lowDiskMb = 500;                      // a kiosk with less free disk than this (MB) is flagged
    int64_t bigQueue = 50;  // a kiosk with more changes than this waiting to be sent is flagged
};

class Dashboard {
public:
    // Loads the page files and the reference data (assets plus the district's imports). Errors:
    // "dashboard.assets" (a page file missing), "assets.*", "db.*".
    static Result<std::unique_ptr<Dashboard>> create(DashboardOptions options);
    ~Dashboard();
    Dashboard(const Dashboard&) = delete;
    Dashboard& operator=(const Dashboard&) = delete;

    // Adds the dashboard's routes. Call before the server starts listening.
    void install(httplib::Server& http);

    struct Impl;

private:
    Dashboard() = default;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace kiosk::district
