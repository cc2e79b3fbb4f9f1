// The dashboard's pages: login, logout and the page shell.
#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

#include "common/log_text.h"
#include "core/deadlines.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
#include "district/office/officer_log.h"
#include "district/office/actions.h"
#include "district/office/keys.h"
#include "district/office/receptions.h"
#include "district/office/reference_import.h"
#include "district/review/report.h"
#include "district/store/district_store.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {

using namespace dash;

void Dashboard::Impl::servePage(const httplib::Request& req, httplib::Response& res) {
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
    std::string page = words()->appPage;
    page = replaceAll(page, "{{csrf}}", htmlEscape(s->csrf));
    page = replaceAll(page, "{{officer_id}}", htmlEscape(s->officer.id));
    page = replaceAll(page, "{{officer_name}}", htmlEscape(s->officer.name));
    page = replaceAll(page, "{{officer_role}}", htmlEscape(toSlug(s->officer.role)));
    const DenouncerReaderRole* named = findDenouncerReaderRole(denouncerReaders, s->officer.slug());
    const std::string roleName = s->officer.slug() != toSlug(s->officer.role) && named
                                     ? named->nameVi
                                     : std::string(displayName(s->officer.role));
    page = replaceAll(page, "{{officer_role_name}}", htmlEscape(roleName));
    securityHeaders(res);
    res.set_header("Cache-Control", "no-store");
    res.set_content(page, "text/html; charset=utf-8");
}

void Dashboard::Impl::serveLogin(const httplib::Request& req, httplib::Response& res,
                                 const std::string& message, const std::string& token) {
    const std::string nonce = token.empty() ? newToken() : token;
    std::string page = words()->loginPage;
    page = replaceAll(page, "{{csrf}}", nonce);
    page = replaceAll(page, "{{next}}",
                      htmlEscape(safeNext(req.has_param("next") ? req.get_param_value("next") : "/")));
    page = replaceAll(page, "{{error}}", htmlEscape(message));
    page = replaceAll(page, "{{error_class}}", message.empty() ? "error hidden" : "error");
    res.set_header("Set-Cookie", std::string(kLoginCookie) + "=" + nonce + cookieAttributes(req, 15 * 60));
    securityHeaders(res);
    res.set_header("Cache-Control", "no-store");
    res.set_content(page, "text/html; charset=utf-8");
}

void Dashboard::Impl::tooSoon(const httplib::Request& req, httplib::Response& res, int64_t waitMs,
                              const std::string& token) {
    const std::string seconds = std::to_string((waitMs + 999) / 1000);
    res.status = 429;
    res.set_header("Retry-After", seconds);
    serveLogin(req, res,
               "Đăng nhập sai nhiều lần; hãy thử lại sau " + seconds +
                   " giây. (Too many failed logins; try again in " + seconds + " seconds.)",
               token);
}

void Dashboard::Impl::login(const httplib::Request& req, httplib::Response& res) {
    const auto form = parseForm(req.body);
    auto field = [&](const char* name) {
        auto it = form.find(name);
        return it == form.end() ? std::string() : it->second;
    };
    securityHeaders(res);
    const std::string token = field("csrf");
    if (!sameToken(token, cookie(req, kLoginCookie))) {
        res.status = 403;
        return serveLogin(req, res,
                          "Phiên đăng nhập đã hết hạn; hãy thử lại. (Login form expired; try again.)");
    }
    auto unavailable = [&](const Error& e) {
        res.status = 503;
        res.set_header("Retry-After", "2");
        serveLogin(req, res, e.vi + " (" + e.en + ")", token);
    };
    auto s = store();
    if (!s) return unavailable(s.error());
    const std::string id = field("username");
    const std::string address = client(req).address;
    // The delay is checked before waiting for a verification and again once one is free: a burst of
    // guesses sent together is judged no faster than guesses sent one by one.
    auto wait = loginWaitMs(**s, id, address, nowMs(), options.logins);
    if (!wait) return unavailable(wait.error());
    if (*wait > 0) return tooSoon(req, res, *wait, token);
    if (!acquireVerification())
        return unavailable(makeError("login.busy",
                                     "Máy chủ đang bận kiểm tra mật khẩu; hãy thử lại sau giây lát.",
                                     "The server is busy checking passwords; try again in a moment."));
    Result<DistrictOfficer> officer = makeError("login.busy", "", "");  // replaced when verified
    {
        // The slot goes back however the check ends (an exception reaches the server's handler).
        struct Release {
            Impl& impl;
            ~Release() { impl.releaseVerification(); }
        } release{*this};
        wait = loginWaitMs(**s, id, address, nowMs(), options.logins);
        if (wait && *wait == 0) officer = verifyDistrictOfficer(**s, id, field("password"), nowMs(), address);
    }
    if (!wait) return unavailable(wait.error());
    if (*wait > 0) return tooSoon(req, res, *wait, token);
    if (!officer) {
        if (officer.error().code != "login.failed") return unavailable(officer.error());
        writeLog(isoLocalTime(nowMs() / 1000) + " login failed for id " +
                 common::escapeForLog(std::string_view(id).substr(0, 64)) + " from " +
                 common::escapeForLog(address.empty() ? "-" : address));
        res.status = 401;
        return serveLogin(req, res, officer.error().vi + " (" + officer.error().en + ")", token);
    }
    auto created = createSession(**s, officer->id, nowMs(), options.sessions);
    if (!created) return unavailable(created.error());
    // In the officers' action log, with the address it came from; a login that cannot be logged
    // does not happen (the session just made is never sent).
    if (auto logged = logOfficerAction(**s, officer->id, "login", "", address, nowMs()); !logged)
        return unavailable(logged.error());
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + created->token +
                                     cookieAttributes(req, options.sessions.lifetimeMs / 1000));
    res.set_header("Set-Cookie", std::string(kLoginCookie) + "=" + cookieAttributes(req, 0));
    res.set_redirect(safeNext(field("next")), 303);
}

// The session must be gone from the database before the answer says so: a logout that could not
// delete it (the database busy or failing) is a 503 and leaves the cookie, so the officer can try
// again rather than walk away from a live session.
void Dashboard::Impl::logout(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    auto s = store();
    Outcome ended = s ? endSession(**s, cookie(req, kSessionCookie)) : Outcome(s.error());
    if (!ended) {
        res.set_header("Retry-After", "2");
        return sendError(res, 503, "logout.failed",
                         "Chưa đăng xuất được (" + ended.error().vi + "); hãy thử lại.",
                         "Could not log out (" + ended.error().en + "); try again.");
    }
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + cookieAttributes(req, 0));
    sendJson(res, 200, {{"ok", true}});
}

}  // namespace kiosk::district
