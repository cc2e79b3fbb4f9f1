// The district dashboard over plain HTTP (the browser test is district_browser_test.cpp): every page
// but the login redirects without a session, the API answers 401, an action without the session's
// CSRF token is refused and changes nothing, the login form has a token of its own, the session
// cookie is HttpOnly and SameSite=Strict, sessions end (logout, idle), the CSV starts with a BOM.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <regex>

#include "tests/support/district_support.h"

using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

// A push of one kiến nghị submitted on 5 January 2026 (long overdue by now), straight to the API.
std::string seedOverduePetition(const ServerProcess& server, const std::string& db) {
    auto enrolled =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02380", "--json"}));
    kiosk::Record r;
    r.code = kiosk::makeReceiptCode("02380", enrolled["slot"].get<int>(), 77);
    r.kind = kiosk::RecordKind::Petition;
    r.petitionKind = kiosk::PetitionKind::Recommendation;
    r.commune = "02380";
    r.submittedAt = district_test::localUnix(kiosk::Date{2026, 1, 5}, 9);
    r.content = "Đề nghị sửa đường.";
    r.identity.phone = "0912345678";
    kiosk::Event e;
    e.uuid = kiosk::newUuid();
    e.recordCode = r.code;
    e.recordKind = r.kind;
    e.action = kiosk::Action::Submit;
    e.actor = {kiosk::Role::Kiosk, enrolled["kiosk"]};
    e.hlc = kiosk::Hlc::make(uint64_t(r.submittedAt) * 1000, 0);
    e.at = r.submittedAt;
    e.payload = kiosk::publicPayload(r);
    e.kioskId = enrolled["kiosk"];
    e.seq = 1;
    httplib::Client c("127.0.0.1", server.port());
    auto res = c.Post("/api/v1/push", {{"Authorization", "Bearer " + enrolled["token"].get<std::string>()}},
                      kiosk::protocol::encodePushRequest(enrolled["kiosk"], {e}), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    return r.code;
}

std::string cookieValue(const httplib::Result& res, const std::string& name) {
    for (const auto& [key, value] : res->headers) {
        if (key != "Set-Cookie" || value.rfind(name + "=", 0) != 0) continue;
        return value.substr(name.size() + 1, value.find(';') - name.size() - 1);
    }
    return {};
}

std::string setCookieHeader(const httplib::Result& res, const std::string& name) {
    for (const auto& [key, value] : res->headers)
        if (key == "Set-Cookie" && value.rfind(name + "=", 0) == 0) return value;
    return {};
}

struct Login {
    std::string session;
    std::string csrf;
};

Login login(httplib::Client& c, const std::string& user, const std::string& password) {
    auto page = c.Get("/login");
    REQUIRE(page);
    REQUIRE(page->status == 200);
    std::smatch m;
    REQUIRE(std::regex_search(page->body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")));
    const std::string formToken = m[1];
    const std::string loginCookie = cookieValue(page, "ds_login");
    REQUIRE(loginCookie == formToken);
    auto res = c.Post("/login", {{"Cookie", "ds_login=" + loginCookie}},
                      "csrf=" + formToken + "&next=%2F&username=" + user + "&password=" + password,
                      "application/x-www-form-urlencoded");
    REQUIRE(res);
    Login out;
    if (res->status != 303) return out;
    CHECK(res->get_header_value("Location") == "/");
    const std::string header = setCookieHeader(res, "ds_session");
    CHECK(header.find("HttpOnly") != std::string::npos);
    CHECK(header.find("SameSite=Strict") != std::string::npos);
    out.session = cookieValue(res, "ds_session");
    auto session = c.Get("/dash/api/session", {{"Cookie", "ds_session=" + out.session}});
    REQUIRE(session);
    REQUIRE(session->status == 200);
    out.csrf = nlohmann::json::parse(session->body)["csrf"];
    return out;
}

}  // namespace

TEST_CASE("dashboard: without a session every page but the login redirects, the API answers 401") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    districtOk({"enroll-kiosk", "--db", db, "--commune", "02374"});
    ServerProcess server(db);
    httplib::Client c("127.0.0.1", server.port());
    for (const char* page : {"/", "/records", "/record?code=0237400000000000", "/report?from=2026-01-01",
                             "/receptions", "/admin"}) {
        auto res = c.Get(page);
        REQUIRE(res);
        INFO(page);
        CHECK(res->status == 302);
        CHECK(res->get_header_value("Location").rfind("/login?next=", 0) == 0);
    }
    for (const char* api :
         {"/dash/api/overview", "/dash/api/session", "/dash/api/records", "/dash/api/record?code=1",
          "/dash/api/report", "/dash/report.csv", "/dash/api/receptions"}) {
        auto res = c.Get(api);
        REQUIRE(res);
        INFO(api);
        CHECK(res->status == 401);
    }
    auto posted = c.Post("/dash/api/act", "{\"code\":\"x\",\"action\":\"resolve\"}", "application/json");
    REQUIRE(posted);
    CHECK(posted->status == 401);
    auto page = c.Get("/login");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(page->body.find("Đăng nhập") != std::string::npos);
    CHECK(page->get_header_value("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
    // The static files the login page needs are there, from this server.
    auto css = c.Get("/assets/style.css");
    REQUIRE(css);
    CHECK(css->status == 200);
}

TEST_CASE("dashboard: login, CSRF on every action, sessions end") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    districtOk({"enroll-kiosk", "--db", db, "--commune", "02374"});
    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role",
                "officer", "--password-stdin"},
               "mat-khau-cua-giang\n");
    ServerProcess server(db);
    const std::string code = seedOverduePetition(server, db);
    httplib::Client c("127.0.0.1", server.port());

    // The login form's own token: a post without it (or with another) is refused.
    {
        auto res = c.Post("/login", "username=hcb01&password=mat-khau-cua-giang&csrf=abc",
                          "application/x-www-form-urlencoded");
        REQUIRE(res);
        CHECK(res->status == 403);
        CHECK(cookieValue(res, "ds_session").empty());
    }
    CHECK(login(c, "hcb01", "sai-mat-khau").session.empty());
    const Login session = login(c, "hcb01", "mat-khau-cua-giang");
    REQUIRE(!session.session.empty());
    REQUIRE(!session.csrf.empty());
    const httplib::Headers cookie{{"Cookie", "ds_session=" + session.session}};

    auto home = c.Get("/", cookie);
    REQUIRE(home);
    CHECK(home->status == 200);
    CHECK(home->body.find("name=\"csrf-token\" content=\"" + session.csrf + "\"") != std::string::npos);
    auto overview = c.Get("/dash/api/overview", cookie);
    REQUIRE(overview);
    REQUIRE(overview->status == 200);
    auto data = nlohmann::json::parse(overview->body);
    REQUIRE(data["overdue"].size() == 1);
    CHECK(data["overdue"][0]["code"] == code);
    CHECK(data["communes"].size() == 18);

    auto statusOf = [&] {
        auto res = c.Get(("/dash/api/record?code=" + code).c_str(), cookie);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return nlohmann::json::parse(res->body)["status"].get<std::string>();
    };
    const std::string body =
        nlohmann::json{{"code", code}, {"action", "resolve"}, {"note", "Đã trả lời."}}.dump();
    // No token, a wrong token: 403 and nothing changes.
    auto noToken = c.Post("/dash/api/act", cookie, body, "application/json");
    REQUIRE(noToken);
    CHECK(noToken->status == 403);
    CHECK(nlohmann::json::parse(noToken->body)["error"] == "csrf");
    httplib::Headers wrong = cookie;
    wrong.emplace("X-CSRF-Token", std::string(session.csrf.size(), '0'));
    auto wrongToken = c.Post("/dash/api/act", wrong, body, "application/json");
    REQUIRE(wrongToken);
    CHECK(wrongToken->status == 403);
    CHECK(statusOf() == "received");
    // Another session's token is not this one's.
    const Login other = login(c, "hcb01", "mat-khau-cua-giang");
    httplib::Headers crossed = cookie;
    crossed.emplace("X-CSRF-Token", other.csrf);
    auto crossedToken = c.Post("/dash/api/act", crossed, body, "application/json");
    REQUIRE(crossedToken);
    CHECK(crossedToken->status == 403);
    CHECK(statusOf() == "received");

    httplib::Headers right = cookie;
    right.emplace("X-CSRF-Token", session.csrf);
    auto acted = c.Post("/dash/api/act", right, body, "application/json");
    REQUIRE(acted);
    INFO(acted->body);
    CHECK(acted->status == 200);
    CHECK(statusOf() == "resolved");
    // The state machine still decides: a second resolve is refused with a reason for people.
    auto again = c.Post("/dash/api/act", right, body, "application/json");
    REQUIRE(again);
    CHECK(again->status == 409);
    CHECK(nlohmann::json::parse(again->body)["message_vi"].get<std::string>().size() > 0);

    auto csv = c.Get("/dash/report.csv?from=2026-01-01&to=2026-12-31", cookie);
    REQUIRE(csv);
    CHECK(csv->status == 200);
    CHECK(csv->body.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(csv->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
    auto csvVi = c.Get("/dash/report.csv?from=2026-01-01&to=2026-12-31&sep=semicolon&decimal=comma", cookie);
    REQUIRE(csvVi);
    CHECK(csvVi->body.find("Đơn vị;Mã;") != std::string::npos);
    auto xlsx = c.Get("/dash/report.xlsx?from=2026-01-01&to=2026-12-31", cookie);
    REQUIRE(xlsx);
    CHECK(xlsx->status == 200);
    CHECK(xlsx->body.rfind("PK", 0) == 0);
    CHECK(xlsx->get_header_value("Content-Disposition").find(".xlsx") != std::string::npos);
    // An impossible date is refused with a message, never replaced by a default.
    for (const char* bad :
         {"from=2026-02-30&to=2026-12-31", "from=2026-13-01&to=2026-12-31", "from=&to=2026-12-31"}) {
        auto refused = c.Get(std::string("/dash/api/report?") + bad, cookie);
        REQUIRE(refused);
        INFO(bad << " -> " << refused->body);
        CHECK(refused->status == 400);
        CHECK(nlohmann::json::parse(refused->body)["error"] == "report.date");
    }

    // Logout is an action too: without the token it does nothing.
    auto badLogout = c.Post("/logout", cookie, "", "application/json");
    REQUIRE(badLogout);
    CHECK(badLogout->status == 403);
    auto logout = c.Post("/logout", right, "", "application/json");
    REQUIRE(logout);
    CHECK(logout->status == 200);
    auto after = c.Get("/", cookie);
    REQUIRE(after);
    CHECK(after->status == 302);

    // The other session expires when left idle (its last use moved back in time).
    {
        auto store = kiosk::district::DistrictStore::open(db, false);
        REQUIRE(store);
        REQUIRE((*store)->database().exec("UPDATE sessions SET last_used = last_used - 31 * 60 * 1000"));
    }
    auto idle = c.Get("/", {{"Cookie", "ds_session=" + other.session}});
    REQUIRE(idle);
    CHECK(idle->status == 302);
}

TEST_CASE("dashboard: roles — a leader reads but does not act, only an inspector reads a denouncer") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    districtOk({"enroll-kiosk", "--db", db, "--commune", "02374"});
    districtOk({"officer", "add", "--db", db, "--id", "ld01", "--name", "Vũ Thị Hạnh", "--role", "leader",
                "--password-stdin"},
               "mat-khau-lanh-dao\n");
    districtOk({"officer", "add", "--db", db, "--id", "tt01", "--name", "Đỗ Văn Ích", "--role", "inspector",
                "--password-stdin"},
               "mat-khau-thanh-tra\n");
    std::string code;
    {
        district_test::Seeder seeder(db);
        code = seeder.petition("02374", kiosk::PetitionKind::Denunciation,
                               district_test::localUnix(kiosk::Date{2026, 3, 2}, 9));
        seeder.flush();
    }
    ServerProcess server(db);
    httplib::Client c("127.0.0.1", server.port());
    const Login leader = login(c, "ld01", "mat-khau-lanh-dao");
    httplib::Headers headers{{"Cookie", "ds_session=" + leader.session}, {"X-CSRF-Token", leader.csrf}};
    auto record = c.Get(("/dash/api/record?code=" + code).c_str(), headers);
    REQUIRE(record);
    auto r = nlohmann::json::parse(record->body);
    CHECK(r["actions"].empty());
    CHECK(r["identity"].is_null());
    CHECK(r["identity_hidden"] == true);
    auto acted = c.Post("/dash/api/act", headers, nlohmann::json{{"code", code}, {"action", "accept"}}.dump(),
                        "application/json");
    REQUIRE(acted);
    CHECK(acted->status == 403);
    auto reveal =
        c.Post("/dash/api/identity", headers, nlohmann::json{{"code", code}}.dump(), "application/json");
    REQUIRE(reveal);
    CHECK(reveal->status == 403);

    const Login inspector = login(c, "tt01", "mat-khau-thanh-tra");
    httplib::Headers ih{{"Cookie", "ds_session=" + inspector.session}, {"X-CSRF-Token", inspector.csrf}};
    auto seen = c.Post("/dash/api/identity", ih, nlohmann::json{{"code", code}}.dump(), "application/json");
    REQUIRE(seen);
    REQUIRE(seen->status == 200);
    CHECK(nlohmann::json::parse(seen->body)["identity"]["name"] == "Nguyễn Văn An");
    // Every reading is recorded: who and which record.
    auto store = kiosk::district::DistrictStore::open(db, false);
    REQUIRE(store);
    auto st = (*store)->database().prepare("SELECT officer_id, record_code FROM identity_reads");
    REQUIRE(st);
    REQUIRE(st->step().value());
    CHECK(st->text(0) == "tt01");
    CHECK(st->text(1) == code);
}
