#include "district/dashboard/dashboard.h"

#include <httplib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include "core/deadlines.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "sync/protocol/safe_json.h"
#include "district/office/actions.h"
#include "district/office/keys.h"
#include "district/office/receptions.h"
#include "district/store/district_store.h"
#include "district/office/reference_import.h"
#include "district/review/report.h"

// [SECTION] index
//   plumbing       connection pool, reference data, cookies, forms, headers
//   pages          login, logout, the page shell, static files
//   api: read      session, overview (fleet, overdue, months), records, record, report, receptions
//   api: write     act, identity (reveal, and the admins' log of readings), reception, import
//   install        the routes

namespace kiosk::district {

using json = nlohmann::json;

namespace {

constexpr const char* kSessionCookie = "ds_session";
constexpr const char* kLoginCookie = "ds_login";

int64_t nowMs() { return int64_t(wallClockMillis()); }
Date todayLocal() { return localFromUnix(nowMs() / 1000).date; }

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The value of one cookie of the request, or "".
std::string cookie(const httplib::Request& req, std::string_view name) {
    const std::string header = req.get_header_value("Cookie");
    size_t at = 0;
    while (at < header.size()) {
        size_t end = header.find(';', at);
        if (end == std::string::npos) end = header.size();
        std::string_view part(header.data() + at, end - at);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
        at = end + 1;
    }
    return {};
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string urlDecode(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 &&
                   hexValue(text[i + 2]) >= 0) {
            out += char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::map<std::string, std::string> parseForm(std::string_view body) {
    std::map<std::string, std::string> out;
    size_t at = 0;
    while (at <= body.size()) {
        size_t end = body.find('&', at);
        if (end == std::string_view::npos) end = body.size();
        std::string_view pair = body.substr(at, end - at);
        const size_t eq = pair.find('=');
        if (!pair.empty())
            out[urlDecode(pair.substr(0, eq))] =
                eq == std::string_view::npos ? "" : urlDecode(pair.substr(eq + 1));
        at = end + 1;
    }
    return out;
}

std::string urlEncode(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~' || c == '/') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// Only a path of this site may follow a login (no "//host" or "http:").
std::string safeNext(const std::string& next) {
    if (next.size() < 1 || next.size() > 512 || next[0] != '/' ||
        (next.size() > 1 && (next[1] == '/' || next[1] == '\\')))
        return "/";
    for (char c : next)
        if (c < 0x20 || c == 0x7f) return "/";
    return next;
}

void securityHeaders(httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                   "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "same-origin");
    res.set_header("X-Frame-Options", "DENY");
}

void sendJson(httplib::Response& res, int status, const json& body) {
    res.status = status;
    securityHeaders(res);
    res.set_header("Cache-Control", "no-store");
    res.set_content(protocol::dumpJson(body), "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& code, const std::string& vi,
               const std::string& en) {
    sendJson(res, status, {{"error", code}, {"message_vi", vi}, {"message", en}});
}

void sendError(httplib::Response& res, int status, const Error& e) {
    sendError(res, status, e.code, e.vi, e.en);
}

json optionalInt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

std::string actionLabel(Action a) {
    switch (a) {
        case Action::Submit:
            return "Gửi đơn";
        case Action::Register:
            return "Tiếp nhận hồ sơ";
        case Action::Accept:
            return "Thụ lý";
        case Action::Reject:
            return "Từ chối / không thụ lý";
        case Action::RequestInfo:
            return "Yêu cầu bổ sung";
        case Action::Resolve:
            return "Giải quyết";
        case Action::Transfer:
            return "Chuyển cấp huyện";
        case Action::Extend:
            return "Gia hạn";
        case Action::Withdraw:
            return "Rút đơn";
        case Action::Process:
            return "Xử lý";
        case Action::Ready:
            return "Có kết quả";
        case Action::Deliver:
            return "Trả kết quả";
        case Action::Suspend:
            return "Dừng xử lý";
        case Action::AssignCode:
            return "Cấp mã hồ sơ";
    }
    return std::string(toSlug(a));
}

}  // namespace

// [SECTION] plumbing

struct Dashboard::Impl {
    DashboardOptions options;
    std::string loginPage;
    std::string appPage;
    std::map<std::string, std::pair<std::string, std::string>> files;  // url -> (content type, body)

    std::mutex referenceMutex;
    std::shared_ptr<const ReferenceData> reference;

    std::mutex poolMutex;
    std::vector<std::unique_ptr<DistrictStore>> idle;

    class Lease {
    public:
        Lease(Impl& impl, std::unique_ptr<DistrictStore> store) : m_impl(&impl), m_store(std::move(store)) {}
        Lease(Lease&& other) noexcept : m_impl(other.m_impl), m_store(std::move(other.m_store)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() {
            if (!m_store) return;
            std::lock_guard lock(m_impl->poolMutex);
            m_impl->idle.push_back(std::move(m_store));
        }
        DistrictStore& operator*() const { return *m_store; }
        DistrictStore* operator->() const { return m_store.get(); }

    private:
        Impl* m_impl;
        std::unique_ptr<DistrictStore> m_store;
    };

    Result<Lease> store() {
        {
            std::lock_guard lock(poolMutex);
            if (!idle.empty()) {
                auto s = std::move(idle.back());
                idle.pop_back();
                return Lease(*this, std::move(s));
            }
        }
        auto s = DistrictStore::open(options.dbPath, false);
        if (!s) return s.error();
        // Reads by mapping the file rather than a read() per page (the overview scans indexes).
        (void)(*s)->database().exec("PRAGMA mmap_size = 4294967296");
        return Lease(*this, std::move(*s));
    }

    std::shared_ptr<const ReferenceData> ref() {
        std::lock_guard lock(referenceMutex);
        return reference;
    }

    std::string communeName(const std::string& code) {
        auto r = ref();
        const Commune* c = r->commune(code);
        return c ? c->name : code;
    }

    // The live session of the request, or nullopt (res untouched).
    std::optional<Session> session(const httplib::Request& req) {
        const std::string token = cookie(req, kSessionCookie);
        if (token.empty()) return std::nullopt;
        auto s = store();
        if (!s) return std::nullopt;
        auto found = findSession(**s, token, nowMs(), options.sessions);
        if (!found || !*found) return std::nullopt;
        return **found;
    }

    std::string cookieAttributes(int64_t maxAgeSeconds) const {
        return "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(maxAgeSeconds) +
               (options.secureCookies ? "; Secure" : "");
    }

    // For /dash/api/: the session, or a 401 answer.
    std::optional<Session> apiSession(const httplib::Request& req, httplib::Response& res) {
        auto s = session(req);
        if (!s)
            sendError(res, 401, "unauthorized", "Phiên làm việc đã hết hạn; hãy đăng nhập lại.",
                      "The session has expired; log in again.");
        return s;
    }

    // For state-changing requests: the session and its CSRF token, or a 401/403 answer.
    std::optional<Session> actionSession(const httplib::Request& req, httplib::Response& res) {
        auto s = apiSession(req, res);
        if (!s) return std::nullopt;
        if (!sameToken(req.get_header_value("X-CSRF-Token"), s->csrf)) {
            sendError(res, 403, "csrf", "Thiếu hoặc sai mã chống giả mạo (CSRF); tải lại trang rồi thử lại.",
                      "Missing or wrong CSRF token; reload the page and try again.");
            return std::nullopt;
        }
        return s;
    }

    // [SECTION] pages

    void servePage(const httplib::Request& req, httplib::Response& res) {
        auto s = session(req);
        if (!s) {
            std::string target = req.path;
            if (!req.params.empty()) {
                std::string query;
                for (const auto& [k, v] : req.params)
                    query += (query.empty() ? "?" : "&") + urlEncode(k) + "=" + urlEncode(v);
                target += query;
            }
            res.set_redirect("/login?next=" + urlEncode(target), 302);
            securityHeaders(res);
            return;
        }
        std::string page = appPage;
        page = replaceAll(page, "{{csrf}}", htmlEscape(s->csrf));
        page = replaceAll(page, "{{officer_id}}", htmlEscape(s->officer.id));
        page = replaceAll(page, "{{officer_name}}", htmlEscape(s->officer.name));
        page = replaceAll(page, "{{officer_role}}", htmlEscape(toSlug(s->officer.role)));
        page = replaceAll(page, "{{officer_role_name}}", htmlEscape(displayName(s->officer.role)));
        securityHeaders(res);
        res.set_header("Cache-Control", "no-store");
        res.set_content(page, "text/html; charset=utf-8");
    }

    void serveLogin(const httplib::Request& req, httplib::Response& res, const std::string& message = "") {
        const std::string nonce = newToken();
        std::string page = loginPage;
        page = replaceAll(page, "{{csrf}}", nonce);
        page = replaceAll(page, "{{next}}",
                          htmlEscape(safeNext(req.has_param("next") ? req.get_param_value("next") : "/")));
        page = replaceAll(page, "{{error}}", htmlEscape(message));
        page = replaceAll(page, "{{error_class}}", message.empty() ? "error hidden" : "error");
        res.set_header("Set-Cookie", std::string(kLoginCookie) + "=" + nonce + cookieAttributes(15 * 60));
        securityHeaders(res);
        res.set_header("Cache-Control", "no-store");
        res.set_content(page, "text/html; charset=utf-8");
    }

    void login(const httplib::Request& req, httplib::Response& res) {
        const auto form = parseForm(req.body);
        auto field = [&](const char* name) {
            auto it = form.find(name);
            return it == form.end() ? std::string() : it->second;
        };
        securityHeaders(res);
        if (!sameToken(field("csrf"), cookie(req, kLoginCookie))) {
            res.status = 403;
            return serveLogin(req, res,
                              "Phiên đăng nhập đã hết hạn; hãy thử lại. (Login form expired; try again.)");
        }
        auto s = store();
        if (!s) {
            res.status = 503;
            return serveLogin(req, res, s.error().vi);
        }
        auto officer = verifyDistrictOfficer(**s, field("username"), field("password"), nowMs());
        if (!officer) {
            res.status = officer.error().code.rfind("login.", 0) == 0 ? 401 : 503;
            return serveLogin(req, res, officer.error().vi + " (" + officer.error().en + ")");
        }
        auto created = createSession(**s, officer->id, nowMs(), options.sessions);
        if (!created) {
            res.status = 503;
            return serveLogin(req, res, created.error().vi);
        }
        res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + created->token +
                                         cookieAttributes(options.sessions.lifetimeMs / 1000));
        res.set_header("Set-Cookie", std::string(kLoginCookie) + "=" + cookieAttributes(0));
        res.set_redirect(safeNext(field("next")), 303);
    }

    void logout(const httplib::Request& req, httplib::Response& res) {
        auto session = actionSession(req, res);
        if (!session) return;
        if (auto s = store()) (void)endSession(**s, cookie(req, kSessionCookie));
        res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + cookieAttributes(0));
        sendJson(res, 200, {{"ok", true}});
    }

    // [SECTION] api: read

    // A record list's row: columns code, official code, kind, commune, status, due, in that order.
    static RecordSummary summaryFromRow(const store::Statement& st, const Date& today) {
        RecordSummary r;
        r.code = st.text(0);
        r.officialCode = st.text(1);
        r.kind = recordKindFromSlug(st.text(2)).value_or(RecordKind::Petition);
        r.commune = st.text(3);
        r.status = statusFromSlug(st.text(4)).value_or(RecordStatus::Received);
        r.due = Date::parse(st.text(5)).value_or(today);
        return r;
    }

    json recordRow(const RecordSummary& r, const Date& today) {
        Record shape;
        shape.status = r.status;
        shape.due = r.due;
        const bool overdue = isOverdue(shape, today);
        return {{"code", r.code},
                {"official_code", r.officialCode},
                {"kind", toSlug(r.kind)},
                {"commune", r.commune},
                {"commune_name", communeName(r.commune)},
                {"status", toSlug(r.status)},
                {"status_name", displayName(r.status, r.kind)},
                {"due", r.due.iso()},
                {"overdue", overdue},
                {"days_overdue", overdue ? today.toDays() - r.due.toDays() : 0}};
    }

    void overview(const httplib::Request& req, httplib::Response& res) {
        auto session = apiSession(req, res);
        if (!session) return;
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        const Date today = todayLocal();
        const int64_t now = nowMs();
        store::Database& db = (*s)->database();

        // Overdue first: the clock runs and the due date has passed, oldest due first.
        json overdue = json::array();
        {
            auto st = db.prepare(
                "SELECT code, coalesce(official_code, ''), kind, commune, status, due, petition_kind FROM "
                "records "
                "WHERE status IN ('received', 'accepted', 'transferred', 'processing') AND due < ? "
                "ORDER BY due, code LIMIT 200");
            if (!st) return sendError(res, 503, st.error());
            st->bind(1, today.iso());
            while (true) {
                auto row = st->step();
                if (!row) return sendError(res, 503, row.error());
                if (!*row) break;
                json row_ = recordRow(summaryFromRow(*st, today), today);
                row_["petition_kind"] = st->text(6);
                overdue.push_back(std::move(row_));
            }
        }
        // Per-commune counts.
        std::map<std::string, std::pair<int64_t, int64_t>> counts;  // commune -> (open, overdue)
        {
            // The open statuses named one by one, so the records_open index answers it alone. Named
            // too: left to itself SQLite walks all of records_by_commune for the GROUP BY (1.6 s
            // against 0.4 s on a million records, a third of them open).
            auto st = db.prepare(
                "SELECT commune, count(*), sum(status IN ('received', 'accepted', 'transferred', "
                "'processing') "
                "AND due < ?) FROM records INDEXED BY records_open WHERE status IN ('received', 'accepted', "
                "'info-requested', "
                "'transferred', 'processing', 'supplement-requested', 'result-ready', 'suspended') GROUP BY "
                "commune");
            if (!st) return sendError(res, 503, st.error());
            st->bind(1, today.iso());
            while (true) {
                auto row = st->step();
                if (!row) return sendError(res, 503, row.error());
                if (!*row) break;
                counts[st->text(0)] = {st->integer(1), st->integer(2)};
            }
        }
        auto kiosks = (*s)->kiosks();
        if (!kiosks) return sendError(res, 503, kiosks.error());
        json communes = json::array();
        int flagged = 0;
        for (const Commune& c : ref()->communes) {
            json list = json::array();
            std::optional<int64_t> lastSeen;
            int64_t waiting = 0;
            bool silent = true, drift = false;
            std::optional<int64_t> skew;
            std::string version;
            for (const KioskInfo& k : *kiosks) {
                if (k.commune != c.code || k.revoked) continue;
                const bool kSilent = !k.lastSeenMs || now - *k.lastSeenMs > options.silentAfterMs;
                const bool kDrift = k.clockSkewMs && std::llabs(*k.clockSkewMs) > options.clockDriftMs;
                list.push_back(
                    {{"kiosk", k.kioskId},
                     {"last_seen_ms", optionalInt(k.lastSeenMs)},
                     {"last_seen", k.lastSeenMs ? json(isoLocalTime(*k.lastSeenMs / 1000)) : json(nullptr)},
                     {"queue_depth", optionalInt(k.queueDepth)},
                     {"clock_skew_ms", optionalInt(k.clockSkewMs)},
                     {"app_version", k.appVersion},
                     {"free_disk_mb", optionalInt(k.freeDiskMb)},
                     {"silent", kSilent},
                     {"clock_drift", kDrift}});
                if (k.lastSeenMs && (!lastSeen || *k.lastSeenMs > *lastSeen)) lastSeen = k.lastSeenMs;
                waiting += k.queueDepth.value_or(0);
                silent = silent && kSilent;
                drift = drift || kDrift;
                if (k.clockSkewMs && (!skew || std::llabs(*k.clockSkewMs) > std::llabs(*skew)))
                    skew = k.clockSkewMs;
                if (!k.appVersion.empty()) version = k.appVersion;
            }
            // A commune with no kiosk enrolled is not "silent": it has nothing to hear from yet.
            if (list.empty()) silent = false;
            if (silent || drift) ++flagged;
            const auto count = counts[c.code];
            communes.push_back(
                {{"code", c.code},
                 {"name", c.name},
                 {"kiosks", list},
                 {"last_sync_ms", optionalInt(lastSeen)},
                 {"last_sync", lastSeen ? json(isoLocalTime(*lastSeen / 1000)) : json(nullptr)},
                 {"records_waiting", waiting},
                 {"open", count.first},
                 {"overdue", count.second},
                 {"clock_skew_ms", optionalInt(skew)},
                 {"app_version", version},
                 {"silent", silent},
                 {"no_kiosk", list.empty()},
                 {"clock_drift", drift}});
        }
        auto months = monthlyFigures(**s, today, 12);
        if (!months) return sendError(res, 503, months.error());
        json monthly = json::array();
        for (const MonthFigures& m : *months)
            monthly.push_back({{"month", m.month},
                               {"petitions_received", m.petitionsReceived},
                               {"petitions_resolved", m.petitionsResolved},
                               {"dossiers_received", m.dossiersReceived},
                               {"dossiers_resolved", m.dossiersResolved}});
        sendJson(res, 200,
                 {{"today", today.iso()},
                  {"server_time_ms", now},
                  {"overdue", overdue},
                  {"communes", communes},
                  {"flagged_communes", flagged},
                  {"monthly", monthly},
                  {"silent_after_hours", options.silentAfterMs / 3600000},
                  {"clock_drift_minutes", options.clockDriftMs / 60000}});
    }

    void records(const httplib::Request& req, httplib::Response& res) {
        auto session = apiSession(req, res);
        if (!session) return;
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        const Date today = todayLocal();
        const std::string commune = req.has_param("commune") ? req.get_param_value("commune") : "";
        const std::string status = req.has_param("status") ? req.get_param_value("status") : "";
        const std::string kind = req.has_param("kind") ? req.get_param_value("kind") : "";
        const std::string q = req.has_param("q") ? req.get_param_value("q") : "";
        const bool overdueOnly = req.has_param("overdue") && req.get_param_value("overdue") == "1";
        auto st = (*s)->database().prepare(
            "SELECT code, coalesce(official_code, ''), kind, commune, status, due FROM records "
            "WHERE (?1 = '' OR commune = ?1) AND (?2 = '' OR status = ?2) AND (?3 = '' OR kind = ?3) "
            "AND (?4 = '' OR code LIKE ?4 || '%' OR official_code LIKE ?4 || '%') "
            "AND (?5 = 0 OR (status IN ('received', 'accepted', 'transferred', 'processing') AND due < ?6)) "
            "ORDER BY due, code LIMIT 500");
        if (!st) return sendError(res, 503, st.error());
        std::string digits;
        for (char c : q)
            if (c != ' ') digits += c;
        st->bind(1, commune)
            .bind(2, status)
            .bind(3, kind)
            .bind(4, digits)
            .bind(5, int64_t(overdueOnly ? 1 : 0))
            .bind(6, today.iso());
        json out = json::array();
        while (true) {
            auto row = st->step();
            if (!row) return sendError(res, 503, row.error());
            if (!*row) break;
            out.push_back(recordRow(summaryFromRow(*st, today), today));
        }
        sendJson(res, 200, {{"records", out}});
    }

    json recordJson(DistrictStore& store, const Record& r, const Session& session, bool revealed) {
        const Date today = todayLocal();
        json history = json::array();
        if (auto h = districtHistory(store, r.code)) {
            for (const DistrictHistoryEntry& e : *h)
                history.push_back({{"uuid", e.uuid},
                                   {"action", toSlug(e.action)},
                                   {"action_name", actionLabel(e.action)},
                                   {"actor_role", toSlug(e.actor.role)},
                                   {"actor", e.actor.id},
                                   {"kiosk", e.kioskId},
                                   {"at", isoLocalTime(e.at)},
                                   {"note", e.note}});
        }
        json actions = json::array();
        if (mayActOnRecords(session.officer.role)) {
            for (Action a : allowedActions(r, Role::DistrictOfficer)) {
                const bool needsNote = a == Action::Reject || a == Action::Extend || a == Action::RequestInfo;
                actions.push_back(
                    {{"action", toSlug(a)}, {"label", actionLabel(a)}, {"note_required", needsNote}});
            }
        }
        const bool denunciation = isDenunciation(r);
        // The identity and the content are shown only after a recorded reading (revealIdentity); every
        // other answer — the copy of a tố cáo handed to whoever verifies it above all — carries none.
        json identity = nullptr;
        if (revealed)
            identity = {{"name", r.identity.name},
                        {"cccd", r.identity.cccd},
                        {"phone", r.identity.phone},
                        {"address", r.identity.address}};
        return {
            {"code", r.code},
            {"official_code", r.officialCode},
            {"kind", toSlug(r.kind)},
            {"kind_name", r.kind == RecordKind::Dossier ? std::string("Hồ sơ thủ tục hành chính")
                                                        : std::string(displayName(r.petitionKind))},
            {"petition_kind", r.kind == RecordKind::Petition ? json(toSlug(r.petitionKind)) : json(nullptr)},
            {"procedure", r.procedureCode},
            {"commune", r.commune},
            {"commune_name", communeName(r.commune)},
            {"status", toSlug(r.status)},
            {"status_name", displayName(r.status, r.kind)},
            {"received_on", r.receivedOn.iso()},
            {"due", r.due.iso()},
            {"overdue", isOverdue(r, today)},
            {"delivery", toSlug(r.delivery)},
            {"result_note", r.resultNote},
            {"complex", r.complex},
            {"extensions", r.extensions},
            {"history", history},
            {"actions", actions},
            {"identity", identity},
            {"content", revealed ? json(r.content) : json(nullptr)},
            {"denunciation", denunciation},
            {"identity_hidden", !revealed},
            {"may_reveal_identity", !revealed && mayReadIdentity(session.officer.role, denunciation)}};
    }

    void record(const httplib::Request& req, httplib::Response& res) {
        auto session = apiSession(req, res);
        if (!session) return;
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        const std::string code = req.has_param("code") ? req.get_param_value("code") : "";
        auto found = findRecordByAnyCode(**s, code);
        if (!found) return sendError(res, 503, found.error());
        if (!*found)
            return sendError(res, 404, "record.unknown", "Không tìm thấy hồ sơ " + code + ".",
                             "No record " + code + ".");
        sendJson(res, 200, recordJson(**s, **found, *session, false));
    }

    std::optional<std::pair<Date, Date>> period(const httplib::Request& req, httplib::Response& res) {
        const Date today = todayLocal();
        auto from = Date::parse(req.has_param("from") ? req.get_param_value("from") : "");
        auto to = Date::parse(req.has_param("to") ? req.get_param_value("to") : "");
        if (!from) from = Date{today.year, 1, 1};
        if (!to) to = today;
        if (*to < *from) {
            sendError(res, 400, "report.period", "Ngày bắt đầu phải trước ngày kết thúc.",
                      "The start date must not be after the end date.");
            return std::nullopt;
        }
        return std::pair{*from, *to};
    }

    void report(const httplib::Request& req, httplib::Response& res, bool csv) {
        auto session = apiSession(req, res);
        if (!session) return;
        auto dates = period(req, res);
        if (!dates) return;
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        auto r = ref();
        auto computed = computeReport(**s, dates->first, dates->second, *r, r->calendar(), todayLocal());
        if (!computed) return sendError(res, 400, computed.error());
        if (csv) {
            securityHeaders(res);
            res.set_header("Cache-Control", "no-store");
            res.set_header("Content-Disposition", "attachment; filename=\"bao-cao-" + dates->first.iso() +
                                                      "-" + dates->second.iso() + ".csv\"");
            res.set_content(reportCsv(*computed), "text/csv; charset=utf-8");
            return;
        }
        json j = reportJson(*computed);
        j["text"] = reportText(*computed, Lang::Vi);
        sendJson(res, 200, j);
    }

    void receptions(const httplib::Request& req, httplib::Response& res) {
        auto session = apiSession(req, res);
        if (!session) return;
        auto dates = period(req, res);
        if (!dates) return;
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        auto list = listReceptions(**s, dates->first, dates->second);
        if (!list) return sendError(res, 503, list.error());
        json out = json::array();
        for (auto it = list->rbegin(); it != list->rend(); ++it) {
            const Reception& r = *it;
            out.push_back({{"uuid", r.uuid},
                           {"level", toSlug(r.level)},
                           {"commune", r.commune},
                           {"commune_name", r.commune.empty() ? std::string() : communeName(r.commune)},
                           {"officer", r.officerId},
                           {"date", r.receivedOn.iso()},
                           {"people", r.people},
                           {"case", r.caseCode.empty() ? json("new") : json(r.caseCode)},
                           {"kind", r.kind},
                           {"outcome", r.outcome},
                           {"note", r.note}});
        }
        sendJson(res, 200, {{"receptions", out}});
    }

    // [SECTION] api: write

    std::optional<json> jsonBody(const httplib::Request& req, httplib::Response& res) {
        auto parsed = protocol::parseJsonSafely(req.body);
        if (!parsed || !parsed->is_object()) {
            sendError(res, 400, "bad-request", "Dữ liệu gửi lên không hợp lệ.",
                      "The request body is not valid JSON.");
            return std::nullopt;
        }
        return *parsed;
    }

    void act(const httplib::Request& req, httplib::Response& res) {
        auto session = actionSession(req, res);
        if (!session) return;
        auto body = jsonBody(req, res);
        if (!body) return;
        const auto action = actionFromSlug(body->value("action", ""));
        if (!action || *action == Action::Submit || *action == Action::Register)
            return sendError(res, 400, "action.unknown", "Thao tác không hợp lệ.", "Unknown action.");
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        DistrictAction request;
        request.code = body->value("code", "");
        request.officerId = session->officer.id;
        request.action = *action;
        request.note = body->value("note", "");
        request.officialCode = body->value("official_code", "");
        auto r = ref();
        auto done = actAsDistrict(**s, request, r->deadlineRules(), nowMs());
        if (!done) {
            const bool storage = done.error().code.rfind("db.", 0) == 0;
            return sendError(res, storage ? 503 : (done.error().code == "officer.role" ? 403 : 409),
                             done.error());
        }
        sendJson(res, 200, recordJson(**s, done->record, *session, false));
    }

    // The one path by which an identity is read at the district: the role is checked, the reading
    // recorded, and only then is the record's seal opened (with the district's key file) — in memory,
    // for this answer only; nothing opened is written to the database or the log.
    void revealIdentity(const httplib::Request& req, httplib::Response& res) {
        auto session = actionSession(req, res);
        if (!session) return;
        auto body = jsonBody(req, res);
        if (!body) return;
        if (!mayActOnRecords(session->officer.role))
            return sendError(res, 403, "officer.role",
                             "Chỉ cán bộ xử lý và thanh tra được xem thông tin người gửi.",
                             "Only officers and inspectors may read a citizen's identity.");
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        auto found = findRecordByAnyCode(**s, body->value("code", ""));
        if (!found) return sendError(res, 503, found.error());
        if (!*found) return sendError(res, 404, "record.unknown", "Không tìm thấy hồ sơ.", "No such record.");
        Record r = **found;
        const bool denunciation = isDenunciation(r);
        if (!mayReadIdentity(session->officer.role, denunciation))
            return sendError(res, 403, "officer.role", "Chỉ thanh tra được xem danh tính người tố cáo.",
                             "Only inspectors may read a denouncer's identity.");
        auto sealed = sealedPrivatePart(**s, r.code);
        if (!sealed) return sendError(res, 503, sealed.error());
        const bool legacy = !r.identity.name.empty() || !r.identity.cccd.empty() ||
                            !r.identity.phone.empty() || !r.identity.address.empty();
        if (!*sealed && !legacy)
            return sendError(
                res, 404, "identity.none",
                "Máy kiosk chưa có khoá của huyện khi nhận hồ sơ này nên không gửi thông tin người gửi; "
                "chỉ cán bộ xã đọc được.",
                "The kiosk did not have the district's key when it took this record, so it sent no "
                "identity; only the commune's officers can read it.");
        // Recorded before it is shown: a reading that cannot be logged does not happen.
        if (auto ok = recordIdentityRead(**s, session->officer.id, r.code, nowMs()); !ok)
            return sendError(res, 503, ok.error());
        if (*sealed) {
            auto part = openSealedPrivatePart(**s, **sealed);
            if (!part) return sendError(res, 500, part.error());
            r.identity = part->identity;
            r.content = part->content;
        }
        sendJson(res, 200, recordJson(**s, r, *session, true));
    }

    // Admins: who read which identity, when (the newest first).
    void identityReadsApi(const httplib::Request& req, httplib::Response& res) {
        auto session = apiSession(req, res);
        if (!session) return;
        if (!mayAdminister(session->officer.role))
            return sendError(res, 403, "officer.role", "Chỉ quản trị viên được xem nhật ký xem danh tính.",
                             "Only administrators may see the log of identity readings.");
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        const std::string code = req.has_param("code") ? req.get_param_value("code") : "";
        auto reads = listIdentityReads(**s, code, 500);
        if (!reads) return sendError(res, 503, reads.error());
        json out = json::array();
        for (const IdentityRead& read : *reads) {
            auto officer = findDistrictOfficer(**s, read.officerId);
            out.push_back({{"officer", read.officerId},
                           {"officer_name", officer && *officer ? (*officer)->name : std::string()},
                           {"record", read.recordCode},
                           {"at", isoLocalTime(read.atMs / 1000)},
                           {"at_ms", read.atMs}});
        }
        sendJson(res, 200, {{"reads", out}});
    }

    void addReception(const httplib::Request& req, httplib::Response& res) {
        auto session = actionSession(req, res);
        if (!session) return;
        auto body = jsonBody(req, res);
        if (!body) return;
        DistrictReceptionInput input;
        input.officerId = session->officer.id;
        if (auto d = body->find("date");
            d != body->end() && d->is_string() && !d->get<std::string>().empty()) {
            input.date = Date::parse(d->get<std::string>());
            if (!input.date)
                return sendError(res, 400, "reception.date", "Ngày không hợp lệ.", "Invalid date.");
        }
        auto people = body->find("people");
        if (people == body->end() || !people->is_number_integer())
            return sendError(res, 400, "reception.people", "Cần số người.",
                             "The number of people is required.");
        input.people = int(std::clamp<int64_t>(people->get<int64_t>(), -1, 100000));
        input.caseCode = body->value("case", "new");
        input.kind = body->value("kind", "");
        input.outcome = body->value("outcome", "");
        input.note = body->value("note", "");
        input.commune = body->value("commune", "");
        std::vector<std::string> codes;
        for (const Commune& c : ref()->communes) codes.push_back(c.code);
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        auto added = addDistrictReception(**s, input, codes, nowMs());
        if (!added) return sendError(res, added.error().code.rfind("db.", 0) == 0 ? 503 : 400, added.error());
        sendJson(res, 200, {{"uuid", added->uuid}, {"date", added->receivedOn.iso()}});
    }

    void import(const httplib::Request& req, httplib::Response& res) {
        auto session = actionSession(req, res);
        if (!session) return;
        if (!mayAdminister(session->officer.role))
            return sendError(res, 403, "officer.role", "Chỉ quản trị viên được nhập dữ liệu.",
                             "Only administrators may import data.");
        auto body = jsonBody(req, res);
        if (!body) return;
        const auto kind = importKindFromSlug(body->value("kind", ""));
        if (!kind)
            return sendError(res, 400, "import.kind", "Chọn holidays hoặc catalog.",
                             "Choose holidays or catalog.");
        auto s = store();
        if (!s) return sendError(res, 503, s.error());
        auto current = ref();
        auto done =
            importReference(**s, *kind, body->value("text", ""), *current, session->officer.id, nowMs());
        if (!done) return sendError(res, done.error().code.rfind("db.", 0) == 0 ? 503 : 400, done.error());
        auto updated = std::make_shared<ReferenceData>(*current);
        if (auto ok = applyImportedReference(**s, *updated); ok) {
            std::lock_guard lock(referenceMutex);
            reference = std::move(updated);
        }
        sendJson(res, 200, {{"items", done->items}, {"years", done->years}, {"change", done->changeSeq}});
    }
};

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
        {"style.css", "text/css; charset=utf-8"},
        {"favicon.svg", "image/svg+xml"}};
    auto login = read("login.html");
    auto app = read("app.html");
    if (!login || !app)
        return makeError("dashboard.assets", "Thiếu trang bảng điều khiển trong " + dir.string() + ".",
                         "The dashboard pages are missing from " + dir.string() + ".");
    impl.loginPage = *login;
    impl.appPage = *app;
    for (const auto& [name, type] : statics) {
        auto body = read(name);
        if (!body)
            return makeError("dashboard.assets", "Thiếu tệp " + (dir / name).string() + ".",
                             "Missing file " + (dir / name).string() + ".");
        impl.files["/assets/" + name] = {type, *body};
    }
    auto reference = loadReferenceData(options.assetsDir);
    if (!reference) return reference.error();
    {
        auto store = DistrictStore::open(options.dbPath, true);
        if (!store) return store.error();
        if (auto ok = applyImportedReference(**store, *reference); !ok) return ok.error();
    }
    impl.reference = std::make_shared<const ReferenceData>(std::move(*reference));
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
        http.Get(url, [entry](const httplib::Request&, httplib::Response& res) {
            securityHeaders(res);
            res.set_header("Cache-Control", "no-cache");
            res.set_content(entry->second, entry->first);
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
                  {"may_administer", mayAdminister(s->officer.role)}});
    });
    http.Get("/dash/api/overview",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.overview(req, res); });
    http.Get("/dash/api/records",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.records(req, res); });
    http.Get("/dash/api/record",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.record(req, res); });
    http.Get("/dash/api/report",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.report(req, res, false); });
    http.Get("/dash/report.csv",
             [&impl](const httplib::Request& req, httplib::Response& res) { impl.report(req, res, true); });
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
    http.Post("/dash/api/reception",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.addReception(req, res); });
    http.Post("/dash/api/import",
              [&impl](const httplib::Request& req, httplib::Response& res) { impl.import(req, res); });
}

}  // namespace kiosk::district
