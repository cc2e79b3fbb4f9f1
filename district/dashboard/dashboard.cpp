#include "district/dashboard/dashboard.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <httplib.h>
#include <sodium.h>

#include <algorithm>
#include <map>
#include <vector>

#include "core/deadlines.h"
#include "core/receipt_code.h"
#include "core/event.h"
#include "core/deployment_words.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
#include "district/office/actions.h"
#include "district/office/keys.h"
#include "district/office/receptions.h"
#include "district/office/denouncer_readers.h"
#include "district/office/reference_import.h"
#include "district/review/report.h"
#include "district/store/district_store.h"
#include "sync/protocol/safe_json.h"

// [SECTION] index
//   session        readers, reference data, the request's session
//   create, install
// The pages are in pages.cpp, the read API in overview.cpp and records.cpp, the write API in
// office_api.cpp; the helpers they share in dashboard_http.h.

namespace kiosk::district {

using namespace dash;

// [SECTION] session

Result<ReaderPool::Lease> Dashboard::Impl::store() { return readers->lease(); }

namespace {

// {{name}} of a page -> the word `name` in Vietnamese (the dashboard's language), HTML-escaped.
std::string fillPageWords(std::string page, const Strings::WordMap& words) {
    for (const auto& [name, word] : words)
        page = replaceAll(std::move(page), "{{" + name + "}}", htmlEscape(word.vi));
    return page;
}

}  // namespace

std::shared_ptr<const ReferenceData> Dashboard::Impl::ref() {
    // An import stored by another process (`district-server import`) counts from the next request.
    // A failed read keeps what is in force; the next request tries again.
    if (auto s = store()) (void)imported->follow(**s);
    auto current = imported->reference();
    std::lock_guard lock(referenceMutex);
    if (current != reference) {
        // The pages name the unit above the communes and the desk as the data words them.
        auto made = std::make_shared<PageWords>();
        made->words = deploymentWords(*current, deploymentToday());
        made->loginPage = fillPageWords(loginTemplate, made->words);
        made->appPage = fillPageWords(appTemplate, made->words);
        reference = current;
        pageWords = std::move(made);
    }
    return reference;
}

std::shared_ptr<const Dashboard::Impl::PageWords> Dashboard::Impl::words() {
    (void)ref();
    std::lock_guard lock(referenceMutex);
    return pageWords;
}

std::set<std::string> Dashboard::Impl::denouncerRolesToday() const {
    return denouncerReaderRoles(denouncerReaders, localFromUnix(nowMs() / 1000).date);
}

std::string Dashboard::Impl::communeName(const std::string& code) {
    auto r = ref();
    const Commune* c = r->commune(code);
    // Petitions received on paper at the server carry the server's own series (intake.h).
    if (!c && code == kServerIntakeCommune) return "Đơn giấy nhận tại cơ quan";
    return c ? c->name : code;
}

// The live session of the request, or nullopt (res untouched).
std::optional<Session> Dashboard::Impl::session(const httplib::Request& req) {
    const std::string token = cookie(req, kSessionCookie);
    if (token.empty()) return std::nullopt;
    auto s = store();
    if (!s) return std::nullopt;
    auto found = findSession(**s, token, nowMs(), options.sessions);
    if (!found || !*found) return std::nullopt;
    return **found;
}

ClientView Dashboard::Impl::client(const httplib::Request& req) const {
    return clientView(req, options.trustedProxies, options.tls);
}

std::string Dashboard::Impl::cookieAttributes(const httplib::Request& req, int64_t maxAgeSeconds) const {
    return "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(maxAgeSeconds) +
           (client(req).https ? "; Secure" : "");
}

void Dashboard::Impl::writeLog(const std::string& line) const {
    if (options.log) {
        options.log(line);
    } else {
        std::fprintf(stderr, "%s\n", line.c_str());
        std::fflush(stderr);
    }
}

bool Dashboard::Impl::acquireVerification() {
    std::unique_lock lock(verifyMutex);
    const bool free =
        verifyFreed.wait_for(lock, std::chrono::milliseconds(options.verificationWaitMs),
                             [this] { return verifying < std::max(1, options.maxVerifications); });
    if (free) ++verifying;
    return free;
}

void Dashboard::Impl::releaseVerification() {
    {
        std::lock_guard lock(verifyMutex);
        --verifying;
    }
    verifyFreed.notify_one();
}

// For /dash/api/: the session, or a 401 answer.
std::optional<Session> Dashboard::Impl::apiSession(const httplib::Request& req, httplib::Response& res) {
    auto s = session(req);
    if (!s)
        sendError(res, 401, "unauthorized", "Phiên làm việc đã hết hạn; hãy đăng nhập lại.",
                  "The session has expired; log in again.");
    return s;
}

// For state-changing requests: the session and its CSRF token, or a 401/403 answer.
std::optional<Session> Dashboard::Impl::actionSession(const httplib::Request& req, httplib::Response& res) {
    auto s = apiSession(req, res);
    if (!s) return std::nullopt;
    if (!sameToken(req.get_header_value("X-CSRF-Token"), s->csrf)) {
        sendError(res, 403, "csrf", "Thiếu hoặc sai mã chống giả mạo (CSRF); tải lại trang rồi thử lại.",
                  "Missing or wrong CSRF token; reload the page and try again.");
        return std::nullopt;
    }
    return s;
}

namespace {

using json = nlohmann::json;

// {"unit.top": {"vi": …, "en": …}, …}
json wordsJson(const Strings::WordMap& words) {
    json out = json::object();
    for (const auto& [name, word] : words) out[name] = {{"vi", word.vi}, {"en", word.en}};
    return out;
}

Dashboard::Impl::StaticFile staticFile(std::string type, std::string body) {
    unsigned char hash[16];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                       nullptr, 0);
    char hex[2 * sizeof hash + 1];
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return {std::move(type), std::move(body), std::string("\"") + hex + "\""};
}

// Whether an If-None-Match header ("\"a\", W/\"b\"" or "*") names `etag`. The comparison is the weak
// one RFC 9110 asks of If-None-Match: a W/ prefix is ignored.
bool etagMatches(std::string_view header, std::string_view etag) {
    while (!header.empty()) {
        const size_t comma = header.find(',');
        std::string_view tag = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) return true;
    }
    return false;
}

}  // namespace

Result<std::unique_ptr<Dashboard>> Dashboard::create(DashboardOptions options) {
    std::unique_ptr<Dashboard> dashboard(new Dashboard());
    dashboard->m_impl = std::make_unique<Impl>();
    Impl& impl = *dashboard->m_impl;
    const std::filesystem::path dir = options.assetsDir / "dashboard";
    auto read = [&](const std::string& name) -> std::optional<std::string> {
        std::ifstream in(dir / name, std::ios::binary);
        if (!in) return std::nullopt;
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    };
    const std::vector<std::pair<std::string, std::string>> statics{
        {"app.js", "text/javascript; charset=utf-8"},
        {"charts.js", "text/javascript; charset=utf-8"},
        {"phone.js", "text/javascript; charset=utf-8"},
        {"style.css", "text/css; charset=utf-8"},
        {"favicon.svg", "image/svg+xml"}};
    auto login = read("login.html");
    auto app = read("app.html");
    if (!login || !app)
        return makeError("dashboard.assets", "Thiếu trang bảng điều khiển trong " + dir.string() + ".",
                         "The dashboard pages are missing from " + dir.string() + ".");
    for (const auto& [name, type] : statics) {
        auto body = read(name);
        if (!body)
            return makeError("dashboard.assets", "Thiếu tệp " + (dir / name).string() + ".",
                             "Missing file " + (dir / name).string() + ".");
        impl.files["/assets/" + name] = staticFile(type, std::move(*body));
    }
    // The chart library: installed beside app.js by the package, in node_modules in a source tree
    // (scripts/setup). Without it the pages work and say the charts are unavailable (charts.js).
    for (const char* chart : {"chart.umd.js", "node_modules/chart.js/dist/chart.umd.js"})
        if (auto body = read(chart)) {
            impl.files["/assets/chart.umd.js"] =
                staticFile("text/javascript; charset=utf-8", std::move(*body));
            break;
        }
    auto reference = loadReferenceData(options.assetsDir);
    if (!reference) return reference.error();
    {
        // Made here when missing, so the readers below find the schema.
        auto store = DistrictStore::open(options.dbPath, true);
        if (!store) return store.error();
        impl.imported = std::make_unique<ImportedReference>(std::move(*reference));
        if (auto ok = impl.imported->follow(**store); !ok) return ok.error();
    }
    impl.loginTemplate = std::move(*login);
    impl.appTemplate = std::move(*app);
    auto readers = loadDenouncerReaders(options.assetsDir);
    if (!readers) return readers.error();
    impl.denouncerReaders = std::move(*readers);
    // Reads by mapping the file rather than a read() per page (the overview scans indexes).
    impl.readers = std::make_unique<ReaderPool>(options.dbPath, [](DistrictStore& s) {
        if (!s.database().isPostgres()) (void)s.database().exec("PRAGMA mmap_size = 4294967296");
    });
    impl.options = std::move(options);
    return dashboard;
}

Dashboard::~Dashboard() = default;

// [SECTION] install

void Dashboard::install(httplib::Server& http) {
    Impl& impl = *m_impl;
    for (const char* page : {"/", "/records", "/record", "/report", "/receptions", "/admin"})
        http.Get(page,
                 [&impl](const httplib::Request& req, httplib::Response& res) { impl.servePage(req, res); });
    http.Get("/login", [&impl](const httplib::Request& req, httplib::Response& res) {
        if (impl.session(req)) {
            res.set_redirect("/", 302);
            return;
        }
        impl.serveLogin(req, res);
    });
    http.Post("/login",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.login(req, res); });
    http.Post("/logout",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.logout(req, res); });
    for (const auto& [url, file] : impl.files) {
        const auto* entry = &file;
        http.Get(url, [entry](const httplib::Request& req, httplib::Response& res) {
            securityHeaders(res);
            // "no-cache" is "ask before using": the browser keeps the file and asks with its tag on
            // each page load, so a file the server holds unchanged (chart.umd.js: 200 KB) costs a
            // 304 with no body, and a file changed by an upgrade is fetched at the first load after.
            res.set_header("Cache-Control", "no-cache");
            res.set_header("ETag", entry->etag);
            if (etagMatches(req.get_header_value("If-None-Match"), entry->etag)) {
                res.status = 304;
                return;
            }
            res.set_content(entry->body, entry->type);
        });
    }
    http.Get("/dash/api/session", [&impl](const httplib::Request& req, httplib::Response& res) {
        auto s = impl.apiSession(req, res);
        if (!s) return;
        sendJson(res, 200,
                 {{"officer",
                   {{"id", s->officer.id}, {"name", s->officer.name}, {"role", toSlug(s->officer.role)}}},
                  {"csrf", s->csrf},
                  {"expires_at_ms", s->expiresAtMs},
                  {"may_act", mayActOnRecords(s->officer.role)},
                  {"may_administer", mayAdminister(s->officer.role)},
                  {"words", wordsJson(impl.words()->words)}});
    });
    http.Get("/dash/api/overview",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.overview(req, res); });
    http.Get("/dash/api/records",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.records(req, res); });
    http.Get("/dash/api/record",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.record(req, res); });
    http.Get("/dash/api/report", [&impl](const httplib::Request& req, httplib::Response& res) {
        impl.report(req, res, Dashboard::Impl::ReportFormat::Json);
    });
    // ?sep=semicolon&decimal=comma: the CSV a spreadsheet set to Vietnamese reads.
    http.Get("/dash/report.csv", [&impl](const httplib::Request& req, httplib::Response& res) {
        impl.report(req, res, Dashboard::Impl::ReportFormat::Csv);
    });
    http.Get("/dash/report.xlsx", [&impl](const httplib::Request& req, httplib::Response& res) {
        impl.report(req, res, Dashboard::Impl::ReportFormat::Xlsx);
    });
    http.Get("/dash/report.pdf", [&impl](const httplib::Request& req, httplib::Response& res) {
        impl.report(req, res, Dashboard::Impl::ReportFormat::Pdf);
    });
    http.Get("/dash/api/receptions",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.receptions(req, res); });
    http.Get("/dash/api/communes", [&impl](const httplib::Request& req, httplib::Response& res) {
        if (!impl.apiSession(req, res)) return;
        json out = json::array();
        for (const Commune& c : impl.ref()->communes) out.push_back({{"code", c.code}, {"name", c.name}});
        sendJson(res, 200, {{"communes", out}});
    });
    http.Post("/dash/api/act",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.act(req, res); });
    http.Get("/dash/api/identity-reads", [&impl](const httplib::Request& req, httplib::Response& res) {
        impl.identityReadsApi(req, res);
    });
    http.Post("/dash/api/identity", [&impl](const httplib::Request& req, httplib::Response& res) {
        impl.revealIdentity(req, res);
    });
    http.Post("/dash/api/identity-search", [&impl](const httplib::Request& req, httplib::Response& res) {
        impl.identitySearch(req, res);
    });
    http.Post("/dash/api/assign",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.assign(req, res); });
    http.Get("/dash/api/admin/kiosks",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.adminKiosks(req, res); });
    http.Get("/dash/api/admin/officers",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.adminOfficers(req, res); });
    http.Get("/dash/api/admin/log",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.adminLog(req, res); });
    for (const char* what : {"enroll", "revoke", "name"})
        http.Post(std::string("/dash/api/admin/kiosk-") + what,
                  [&impl, what](const httplib::Request& req, httplib::Response& res) {
                      impl.adminKioskChange(req, res, what);
                  });
    for (const char* what : {"add", "disable", "reset"})
        http.Post(std::string("/dash/api/admin/officer-") + what,
                  [&impl, what](const httplib::Request& req, httplib::Response& res) {
                      impl.adminOfficerChange(req, res, what);
                  });
    http.Post("/dash/api/reception",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.addReception(req, res); });
    http.Post("/dash/api/intake",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.addIntake(req, res); });
    http.Post("/dash/api/import",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.import(req, res); });
}

}  // namespace kiosk::district
