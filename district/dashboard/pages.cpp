// The dashboard's pages: login, logout and the page shell.
#include <httplib.h>

#include <algorithm>
#include <map>
#include <vector>

#include "core/deadlines.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
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

void Dashboard::Impl::serveLogin(const httplib::Request& req, httplib::Response& res,
                                 const std::string& message) {
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

void Dashboard::Impl::login(const httplib::Request& req, httplib::Response& res) {
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

void Dashboard::Impl::logout(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    if (auto s = store()) (void)endSession(**s, cookie(req, kSessionCookie));
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + cookieAttributes(0));
    sendJson(res, 200, {{"ok", true}});
}

}  // namespace kiosk::district
