// The dashboard's admin pages: kiosks (enrol, revoke, name), district officers (add, disable, new
// password) and the officers' action log. Administrators only; every change is a POST with the
// session's CSRF token, made by the same district/office functions district-server's commands
// call, and written to the officers' action log (officer_log.h) with what was done — never a
// password or a kiosk's token.
#include <httplib.h>

#include <string>

#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
#include "district/office/actions.h"
#include "district/office/administration.h"
#include "district/office/assignments.h"
#include "district/office/officer_log.h"

namespace kiosk::district {

using namespace dash;

namespace {

void notAdmin(httplib::Response& res) {
    sendError(res, 403, "officer.role", "Chỉ quản trị viên được làm việc này.",
              "Only administrators may do this.");
}

// The HTTP status of an office error: the officer's mistake (400, 404 for an unknown id) or the
// server's (503).
int statusOf(const Error& e) {
    if (e.code.rfind("db.", 0) == 0 || e.code == "keys.write") return 503;
    if (e.code.find("unknown") != std::string::npos) return 404;
    return 400;
}

}  // namespace

std::optional<Session> Dashboard::Impl::adminSession(const httplib::Request& req, httplib::Response& res,
                                                     bool change) {
    auto session = change ? actionSession(req, res) : apiSession(req, res);
    if (!session) return std::nullopt;
    if (!mayAdminister(session->officer.role)) {
        notAdmin(res);
        return std::nullopt;
    }
    return session;
}

void Dashboard::Impl::adminKiosks(const httplib::Request& req, httplib::Response& res) {
    auto session = adminSession(req, res, false);
    if (!session) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto kiosks = (*s)->kiosks();
    if (!kiosks) return sendError(res, 503, kiosks.error());
    auto names = kioskNames(**s);
    if (!names) return sendError(res, 503, names.error());
    json out = json::array();
    for (const KioskInfo& k : *kiosks) {
        const auto named = names->find(k.kioskId);
        out.push_back({{"kiosk", k.kioskId},
                       {"name", named == names->end() ? std::string() : named->second},
                       {"commune", k.commune},
                       {"commune_name", communeName(k.commune)},
                       {"slot", optionalInt(k.slot ? std::optional<int64_t>(*k.slot) : std::nullopt)},
                       {"enrolled", isoLocalTime(k.createdAtMs / 1000)},
                       {"last_seen", k.lastSeenMs ? json(isoLocalTime(*k.lastSeenMs / 1000)) : json(nullptr)},
                       {"revoked", k.revoked}});
    }
    sendJson(res, 200, {{"kiosks", out}});
}

void Dashboard::Impl::adminKioskChange(const httplib::Request& req, httplib::Response& res,
                                       const std::string& what) {
    auto session = adminSession(req, res, true);
    if (!session) return;
    auto body = jsonBody(req, res);
    if (!body) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const int64_t now = nowMs();
    if (what == "enroll") {
        const std::string commune = body->value("commune", "");
        auto enrolled = enrollDistrictKiosk(**s, *ref(), commune, "", now);
        if (!enrolled) return sendError(res, statusOf(enrolled.error()), enrolled.error());
        const Enrollment& e = enrolled->enrollment;
        if (auto ok = logOfficerAction(**s, session->officer.id, "kiosk.enroll", e.kioskId, commune, now);
            !ok)
            return sendError(res, 503, ok.error());
        // The token leaves the server this once; the page shows it and forgets it.
        return sendJson(res, 200,
                        {{"kiosk", e.kioskId},
                         {"commune", e.commune},
                         {"commune_name", enrolled->communeName},
                         {"slot", e.slot},
                         {"token", e.token},
                         {"district_public_key", enrolled->districtPublicKey}});
    }
    const std::string kioskId = body->value("kiosk", "");
    if (what == "revoke") {
        auto revoked = (*s)->revokeKiosk(kioskId, now);
        if (!revoked) return sendError(res, statusOf(revoked.error()), revoked.error());
        if (auto ok = logOfficerAction(**s, session->officer.id, "kiosk.revoke", kioskId, "", now); !ok)
            return sendError(res, 503, ok.error());
        return sendJson(res, 200, {{"kiosk", kioskId}, {"revoked", true}, {"already", !*revoked}});
    }
    const std::string name = body->value("name", "");
    if (auto ok = nameKiosk(**s, kioskId, name); !ok) return sendError(res, statusOf(ok.error()), ok.error());
    if (auto ok = logOfficerAction(**s, session->officer.id, "kiosk.name", kioskId, name, now); !ok)
        return sendError(res, 503, ok.error());
    sendJson(res, 200, {{"kiosk", kioskId}, {"name", name}});
}

void Dashboard::Impl::adminOfficers(const httplib::Request& req, httplib::Response& res) {
    auto session = adminSession(req, res, false);
    if (!session) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto list = listDistrictOfficers(**s);
    if (!list) return sendError(res, 503, list.error());
    json out = json::array();
    for (const DistrictOfficer& o : *list)
        out.push_back({{"id", o.id}, {"name", o.name}, {"role", o.slug()}, {"disabled", o.disabled}});
    json roles = json::array();
    for (OfficerRole r :
         {OfficerRole::Officer, OfficerRole::Inspector, OfficerRole::Leader, OfficerRole::Admin})
        roles.push_back({{"slug", toSlug(r)}, {"name", displayName(r)}});
    for (const DenouncerReaderRole& r : denouncerReaders)
        if (!officerRoleFromSlug(r.role)) roles.push_back({{"slug", r.role}, {"name", r.nameVi}});
    sendJson(res, 200, {{"officers", out}, {"roles", roles}});
}

void Dashboard::Impl::adminOfficerChange(const httplib::Request& req, httplib::Response& res,
                                         const std::string& what) {
    auto session = adminSession(req, res, true);
    if (!session) return;
    auto body = jsonBody(req, res);
    if (!body) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const std::string id = body->value("id", "");
    const std::string password = body->value("password", "");
    std::string detail;
    Outcome done;
    if (what == "add") {
        const std::string roleSlug = body->value("role", "");
        auto role = officerRoleForAccount(roleSlug, denouncerReaders);
        if (!role) return sendError(res, 400, role.error());
        detail = roleSlug;
        done = addDistrictOfficer(**s, DistrictOfficer{id, body->value("name", ""), *role, false, roleSlug},
                                  password, nowMs());
    } else if (what == "disable") {
        if (id == session->officer.id)
            return sendError(res, 400, "officer.self", "Không thể tự khoá tài khoản đang dùng.",
                             "You cannot disable the account you are using.");
        done = disableDistrictOfficer(**s, id);
    } else {
        done = resetDistrictOfficerPassword(**s, id, password);
    }
    if (!done) return sendError(res, statusOf(done.error()), done.error());
    const std::string action = what == "reset" ? "officer.reset-password" : "officer." + what;
    if (auto ok = logOfficerAction(**s, session->officer.id, action, id, detail, nowMs()); !ok)
        return sendError(res, 503, ok.error());
    sendJson(res, 200, {{"id", id}, {"done", what}});
}

void Dashboard::Impl::adminLog(const httplib::Request& req, httplib::Response& res) {
    auto session = adminSession(req, res, false);
    if (!session) return;
    auto pages = paging(req, res, 50);
    if (!pages) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const std::string officer = req.has_param("officer") ? req.get_param_value("officer") : "";
    auto log = officerLog(**s, officer, (pages->first - 1) * pages->second, pages->second);
    if (!log) return sendError(res, 503, log.error());
    std::map<std::string, std::string> names;
    if (auto list = listDistrictOfficers(**s))
        for (const DistrictOfficer& o : *list) names[o.id] = o.name;
    json out = json::array();
    for (const OfficerLogEntry& e : log->entries) {
        const auto named = names.find(e.officerId);
        out.push_back({{"at", isoLocalTime(e.atMs / 1000)},
                       {"officer", e.officerId},
                       {"officer_name", named == names.end() ? e.officerId : named->second},
                       {"action", e.action},
                       {"subject", e.subject},
                       {"detail", e.detail}});
    }
    sendJson(res, 200,
             {{"entries", out}, {"total", log->total}, {"page", pages->first}, {"per_page", pages->second}});
}

void Dashboard::Impl::assign(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    if (!mayAssign(session->officer.role))
        return sendError(res, 403, "officer.role", "Chỉ lãnh đạo và quản trị viên được giao hồ sơ.",
                         "Only leaders and administrators give records to officers.");
    auto body = jsonBody(req, res);
    if (!body) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto found = findRecordByAnyCode(**s, body->value("code", ""));
    if (!found) return sendError(res, 503, found.error());
    if (!*found) return sendError(res, 404, "record.unknown", "Không tìm thấy hồ sơ.", "No such record.");
    const std::string officer = body->value("officer", "");
    const int64_t now = nowMs();
    if (auto ok = assignRecord(**s, (*found)->code, officer, session->officer.id, now); !ok)
        return sendError(res, statusOf(ok.error()), ok.error());
    if (auto ok = logOfficerAction(**s, session->officer.id, "record.assign", (*found)->code, officer, now);
        !ok)
        return sendError(res, 503, ok.error());
    sendJson(res, 200, recordJson(**s, **found, *session, false));
}

}  // namespace kiosk::district
