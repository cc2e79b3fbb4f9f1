// The dashboard's lists and fleet table in a real browser (headless Chromium over the DevTools pipe,
// as district_browser_test.cpp), against a real `district-server serve` on loopback and a district
// database seeded through its own push path: every list has its true total and pages counted on
// the server (over 230 overdue records, more than any one page), filters, a "due within N working days"
// list beside the overdue one; the kiosk table puts kiosks that need looking at first, says "chưa
// đồng bộ" of a kiosk enrolled that never synced, shows the queue and the clock of a heartbeat; a
// transferred record is not counted as being handled in its commune; records show the procedure's
// name and the officers' names. Screenshots go to build/test-artifacts/ (dashboard-lists-*.png).
// Exits 77 (skipped) when chromium is not installed.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <filesystem>
#include <set>

#include "core/deadlines.h"
#include "tests/support/browser_driver.h"
#include "tests/support/district_support.h"

using district_test::districtOk;
using district_test::localUnix;
using district_test::ServerProcess;
using testing_support::TempDir;

using browser_test::Browser;
using browser_test::jsString;
using kiosk::Action;
using kiosk::Date;
using kiosk::PetitionKind;

namespace {

// A push with no event: only the heartbeat, as a kiosk with nothing to send makes it.
void pushHeartbeat(const ServerProcess& server, const nlohmann::json& enrolled, int queueDepth,
                   int64_t clockMs) {
    nlohmann::json body{
        {"version", 1},
        {"kiosk", enrolled["kiosk"]},
        {"events", nlohmann::json::array()},
        {"heartbeat", {{"app_version", "0.1.0"}, {"queue_depth", queueDepth}, {"clock_ms", clockMs}}}};
    httplib::Client c("127.0.0.1", server.port());
    auto res = c.Post("/api/v1/push", {{"Authorization", "Bearer " + enrolled["token"].get<std::string>()}},
                      body.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
}

// GET of the dashboard's API from inside the logged-in page: the status and the body.
nlohmann::json apiGet(Browser& browser, const std::string& page, const std::string& path) {
    return browser.evaluate(
        page, "fetch(" + jsString(path) +
                  ").then(async r => ({status: r.status, body: await r.json().catch(() => null)}))");
}

}  // namespace

TEST_CASE("dashboard lists in Chromium: totals, pages, filters, due soon, the kiosk table") {
    const std::string chromium = browser_test::chromiumPath();
    if (chromium.empty()) {
        WARN("chromium is not installed (apt install chromium; scripts/setup installs it): skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("district.db");
    const Date today = kiosk::localFromUnix(int64_t(kiosk::wallClockMillis() / 1000)).date;
    std::string dossierCode, transferredCode, firstOverdue;
    {
        district_test::Seeder seeder(db);
        // 230 overdue petitions in one commune: more than the 200 the overview once stopped at.
        for (int i = 0; i < 230; ++i) {
            const std::string code = seeder.petition("02380", PetitionKind::Recommendation,
                                                     localUnix(Date{2026, 3, 2}.plusDays(i % 20), 9, i % 50));
            if (i == 0) firstOverdue = code;
        }
        // Work received over the last weeks: some of it due within days.
        for (int i = 0; i < 40; ++i)
            seeder.petition("02401", PetitionKind::Feedback, localUnix(today.plusDays(-i), 8));
        // One petition transferred away: it has left 02395's pool.
        transferredCode =
            seeder.petition("02395", PetitionKind::Recommendation, localUnix(today.plusDays(-3), 9));
        seeder.act(transferredCode, Action::Transfer, localUnix(today.plusDays(-2), 10), "",
                   {{"agency", "thanh-tra-tinh"}});
        dossierCode = seeder.dossier("02374", "1.001193", localUnix(today.plusDays(-1), 9));
        seeder.flush();
    }
    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role",
                "officer", "--password-stdin"},
               "mat-khau-cua-giang\n");
    districtOk({"officer", "add", "--db", db, "--id", "ld01", "--name", "Lê Thị Hoa", "--role", "leader",
                "--password-stdin"},
               "mat-khau-lanh-dao\n");
    districtOk({"officer", "add", "--db", db, "--id", "qt01", "--name", "Đỗ Minh Quân", "--role", "admin",
                "--password-stdin"},
               "mat-khau-quan-tri\n");
    // Enrolled today, never synced; and one whose heartbeat says 7 waiting and a clock 10 min ahead.
    districtOk({"enroll-kiosk", "--db", db, "--commune", "02404", "--json"});
    const auto drifting =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02425", "--json"}));

    // What the lists must say, from the district's own records.
    const kiosk::DeadlineRules rules = district_test::reference().deadlineRules();
    int dueSoon = 0, overdueTotal = 0;
    for (const auto& r : nlohmann::json::parse(districtOk({"records", "--db", db, "--json"}))) {
        if (r["due"].is_null()) continue;
        kiosk::Record shape;
        shape.status = kiosk::statusFromSlug(r["status"].get<std::string>()).value();
        shape.due = Date::parse(r["due"].get<std::string>()).value();
        if (kiosk::isDueSoon(rules, shape, today, 3)) ++dueSoon;
        if (kiosk::isOverdue(shape, today)) ++overdueTotal;
    }
    REQUIRE(dueSoon > 0);
    // Every overdue record, more than one page: the 230 and the oldest of the last weeks' work.
    REQUIRE(overdueTotal > 230);
    const int lastPage = (overdueTotal + 49) / 50;
    const int lastRows = overdueTotal - 50 * (lastPage - 1);

    ServerProcess server(db);
    pushHeartbeat(server, drifting, 7, int64_t(kiosk::wallClockMillis()) + 10 * 60 * 1000);
    const std::string profile = dir.file("chromium-profile");
    std::filesystem::create_directories(profile);
    Browser browser(chromium, profile);
    const std::string page = browser.openPage("about:blank");
    browser.viewport(page, 1366, 900, false);
    browser.navigate(page, server.url() + "/login");
    browser.waitFor(page, "document.readyState === 'complete' && document.getElementById('username')");
    browser.evaluate(page,
                     "document.getElementById('username').value = 'hcb01'; "
                     "document.getElementById('password').value = 'mat-khau-cua-giang'; "
                     "document.getElementById('login-submit').click(); true");
    browser.waitFor(page, "location.pathname === '/' && document.body.dataset.ready === '/'");
    const auto login = [&](const std::string& id, const std::string& password) {
        browser.navigate(page, server.url() + "/login");
        browser.waitFor(page, "document.readyState === 'complete' && document.getElementById('username')");
        browser.evaluate(page, "document.getElementById('username').value = " + jsString(id) +
                                   "; document.getElementById('password').value = " + jsString(password) +
                                   "; document.getElementById('login-submit').click(); true");
        browser.waitFor(page, "location.pathname === '/' && document.body.dataset.ready === '/'");
    };
    const auto post = [&](const std::string& path, const nlohmann::json& body) {
        return browser.evaluate(
            page, "fetch(" + jsString(path) +
                      ", {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': "
                      "document.querySelector('meta[name=csrf-token]').content}, body: " +
                      jsString(body.dump()) +
                      "}).then(async r => ({status: r.status, body: await r.json().catch(() => null)}))");
    };
    const auto search = [&](const std::string& query, bool token) {
        return browser.evaluate(
            page,
            "fetch('/dash/api/identity-search', {method: 'POST', headers: {'Content-Type': "
            "'application/json'" +
                std::string(token ? ", 'X-CSRF-Token': document.querySelector('meta[name=csrf-token]')"
                                    ".content"
                                  : "") +
                "}, body: JSON.stringify({query: " + jsString(query) +
                "})}).then(async r => ({status: r.status, body: await r.json().catch(() => null)}))");
    };

    {  // The API: totals, pages, filters.
        auto overdue =
            apiGet(browser, page, "/dash/api/records?overdue=1&per_page=50&page=" + std::to_string(lastPage));
        INFO(overdue.dump().substr(0, 400));
        CHECK(overdue["status"] == 200);
        CHECK(overdue["body"]["total"] == overdueTotal);
        CHECK(overdue["body"]["records"].size() == size_t(lastRows));
        auto overview = apiGet(browser, page, "/dash/api/overview");
        CHECK(overview["body"]["overdue_total"] == overdueTotal);
        CHECK(overview["body"]["due_soon_total"] == dueSoon);
        CHECK(overview["body"]["due_soon_days"] == 3);
        auto soon = apiGet(browser, page, "/dash/api/records?due_soon=3");
        CHECK(soon["body"]["total"] == dueSoon);
        auto dossier = apiGet(browser, page, "/dash/api/records?kind=dossier");
        REQUIRE(dossier["body"]["records"].size() == 1);
        CHECK(dossier["body"]["records"][0]["procedure_name"] == "Thủ tục đăng ký khai sinh");
        auto feedback = apiGet(browser, page, "/dash/api/records?petition_kind=phan-anh&per_page=200");
        CHECK(feedback["body"]["total"] == 40);
        auto byCode = apiGet(browser, page, "/dash/api/records?q=" + firstOverdue.substr(0, 14));
        CHECK(byCode["body"]["total"].get<int>() >= 1);
        CHECK(apiGet(browser, page, "/dash/api/records?per_page=0")["status"] == 400);
        CHECK(apiGet(browser, page, "/dash/api/records?page=x")["status"] == 400);
    }

    {  // The pages.
        // The overdue card says its true total and links to every page of it; due soon beside it.
        CHECK(
            browser.evaluate(page, "document.getElementById('overdue-total').innerText").get<std::string>() ==
            std::to_string(overdueTotal));
        CHECK(browser.evaluate(page, "document.getElementById('due-soon-total').innerText")
                  .get<std::string>() == std::to_string(dueSoon));
        CHECK(browser.evaluate(page, "document.querySelectorAll('#due-soon-table tbody tr').length")
                  .get<int>() == std::min(dueSoon, 20));

        const auto fleetRow = [&](const std::string& commune) {
            return "document.querySelector('#fleet-table tr[data-commune=\"" + commune + "\"]')";
        };
        // Enrolled, never synced: said so, not "silent for 24 h".
        const std::string fresh = browser.evaluate(page, fleetRow("02404") + ".innerText").get<std::string>();
        INFO(fresh);
        CHECK(fresh.find("chưa đồng bộ") != std::string::npos);
        CHECK(fresh.find("im lặng") == std::string::npos);
        // The heartbeat's queue and clock; the drifting kiosk's commune comes before the quiet ones.
        CHECK(browser.evaluate(page, fleetRow("02425") + ".cells[2].innerText").get<std::string>() == "7");
        CHECK(browser.evaluate(page, fleetRow("02425") + ".className").get<std::string>() == "flagged");
        CHECK(browser
                  .evaluate(page, fleetRow("02425") + ".compareDocumentPosition(" + fleetRow("02374") +
                                      ") & Node.DOCUMENT_POSITION_FOLLOWING")
                  .get<int>() != 0);
        // A transferred record is not "being handled" in the commune it left.
        CHECK(browser.evaluate(page, fleetRow("02395") + ".cells[3].innerText").get<std::string>() == "0");
        browser.screenshot(page, "dashboard-lists-overview.png");

        browser.evaluate(page, "document.getElementById('overdue-all').click(); true");
        browser.waitFor(page, "location.pathname === '/records' && document.getElementById('records-total')");
        CHECK(browser.evaluate(page, "document.getElementById('records-total').innerText")
                  .get<std::string>()
                  .find(std::to_string(overdueTotal)) != std::string::npos);
        CHECK(browser.evaluate(page, "document.querySelectorAll('#records-table tbody tr').length")
                  .get<int>() == 50);
        browser.evaluate(page, "document.getElementById('page-last').click(); true");
        browser.waitFor(page, "document.querySelectorAll('#records-table tbody tr').length === " +
                                  std::to_string(lastRows));
        CHECK(browser.evaluate(page, "new URLSearchParams(location.search).get('page')").get<std::string>() ==
              std::to_string(lastPage));
        browser.screenshot(page, "dashboard-lists-records.png");

        // The dossier's procedure by name, in the list and on its page; no stray "null".
        browser.navigate(page, server.url() + "/records?kind=dossier");
        browser.waitFor(page, "document.querySelectorAll('#records-table tbody tr').length === 1");
        CHECK(browser.evaluate(page, "document.getElementById('records-table').innerText")
                  .get<std::string>()
                  .find("Thủ tục đăng ký khai sinh") != std::string::npos);
        browser.navigate(page, server.url() + "/record?code=" + dossierCode);
        browser.waitFor(page, "document.body.dataset.ready === '/record'");
        CHECK(browser.evaluate(page, "document.getElementById('record-procedure').innerText")
                  .get<std::string>() == "Thủ tục đăng ký khai sinh");
        const std::string recordText =
            browser.evaluate(page, "document.getElementById('main').innerText").get<std::string>();
        INFO(recordText);
        CHECK(recordText.find("null") == std::string::npos);
        browser.screenshot(page, "dashboard-lists-dossier.png");

        // The history names the officer who acted.
        browser.navigate(page, server.url() + "/record?code=" + firstOverdue);
        browser.waitFor(
            page, "document.body.dataset.ready === '/record' && document.getElementById('action-select')");
        browser.evaluate(page,
                         "const s = document.getElementById('action-select'); s.value = 'resolve'; "
                         "s.dispatchEvent(new Event('change')); "
                         "document.getElementById('action-note').value = 'Đã trả lời.'; "
                         "document.getElementById('action-submit').click(); true");
        browser.waitFor(page, "document.getElementById('record-status').dataset.status === 'resolved'");
        const std::string history =
            browser.evaluate(page, "document.getElementById('record-history').innerText").get<std::string>();
        INFO(history);
        CHECK(history.find("Phạm Văn Giang") != std::string::npos);
        CHECK(history.find("hcb01") == std::string::npos);
        browser.screenshot(page, "dashboard-lists-record.png");
    }

    {  // Finding a record by the citizen's name or phone: opened on the server, logged as readings.
        browser.navigate(page, server.url() + "/records");
        browser.waitFor(
            page, "document.body.dataset.ready === '/records' && document.getElementById('identity-q')");
        browser.evaluate(page,
                         "document.getElementById('identity-q').value = 'tran thi binh'; "
                         "document.getElementById('identity-submit').click(); true");
        browser.waitFor(page, "document.querySelector('#identity-table tbody tr')");
        CHECK(browser.evaluate(page, "document.querySelectorAll('#identity-table tbody tr').length")
                  .get<int>() == 1);
        CHECK(browser.evaluate(page, "document.querySelector('#identity-table tbody tr').dataset.code")
                  .get<std::string>() == dossierCode);
        browser.screenshot(page, "dashboard-lists-identity-search.png");
        auto byPhone = search("0987 654 321", true);
        CHECK(byPhone["status"] == 200);
        CHECK(byPhone["body"]["records"].size() == 1);
        CHECK(search("0987654321", false)["status"] == 403);
        CHECK(search("12", true)["status"] == 400);
        // Two searches and the record each showed, in the log of readings, before anything else.
        int searches = 0, dossierReads = 0;
        for (const auto& r : nlohmann::json::parse(districtOk({"identity-reads", "--db", db, "--json"}))) {
            CHECK(r["officer"] == "hcb01");
            if (r["record"] == "") ++searches;
            if (r["record"] == dossierCode) ++dossierReads;
        }
        CHECK(searches == 2);
        CHECK(dossierReads == 2);
    }

    {  // The overview refreshes itself, without a reload.
        browser.navigate(page, server.url() + "/?refresh=5");
        browser.waitFor(page, "document.body.dataset.ready === '/'");
        browser.evaluate(page, "window.notReloaded = true; true");
        pushHeartbeat(server, drifting, 9, int64_t(kiosk::wallClockMillis()));
        browser.waitFor(
            page,
            "window.notReloaded && document.querySelector('#fleet-table tr[data-commune=\"02425\"]')"
            ".cells[2].innerText === '9'",
            std::chrono::seconds(20));
    }

    {  // A leader reads no identity: no search by name, and the API refuses one.
        browser.evaluate(page, "document.getElementById('logout').click(); true");
        browser.waitFor(page, "location.pathname === '/login' && document.getElementById('username')");
        browser.evaluate(page,
                         "document.getElementById('username').value = 'ld01'; "
                         "document.getElementById('password').value = 'mat-khau-lanh-dao'; "
                         "document.getElementById('login-submit').click(); true");
        browser.waitFor(page, "location.pathname === '/' && document.body.dataset.ready === '/'");
        browser.navigate(page, server.url() + "/records");
        browser.waitFor(page, "document.body.dataset.ready === '/records'");
        CHECK_FALSE(browser.evaluate(page, "!!document.getElementById('identity-q')").get<bool>());
        CHECK(search("Trần Thị Bình", true)["status"] == 403);
        // A leader gives the dossier to an officer: stored, shown, listed by officer.
        browser.navigate(page, server.url() + "/record?code=" + dossierCode);
        browser.waitFor(
            page, "document.body.dataset.ready === '/record' && document.getElementById('assign-officer')");
        browser.evaluate(page,
                         "document.getElementById('assign-officer').value = 'hcb01'; "
                         "document.getElementById('assign-submit').click(); true");
        browser.waitFor(page, "document.getElementById('record-assigned').innerText === 'Phạm Văn Giang'");
        CHECK(apiGet(browser, page, "/dash/api/records?assigned=hcb01")["body"]["total"] == 1);
        // Nor does anyone but an administrator enrol a kiosk or see the officers' log.
        CHECK(post("/dash/api/admin/kiosk-enroll", {{"commune", "02407"}})["status"] == 403);
        CHECK(apiGet(browser, page, "/dash/api/admin/log")["status"] == 403);
    }

    {  // An administrator enrols, names and revokes a kiosk, adds and disables an officer, reads the log.
        browser.evaluate(page, "document.getElementById('logout').click(); true");
        browser.waitFor(page, "location.pathname === '/login'");
        login("qt01", "mat-khau-quan-tri");
        browser.navigate(page, server.url() + "/admin");
        browser.waitFor(page,
                        "document.body.dataset.ready === '/admin' && "
                        "document.querySelector('#enroll-commune option[value=\"02407\"]')");
        browser.evaluate(page,
                         "document.getElementById('enroll-commune').value = '02407'; "
                         "document.getElementById('enroll-submit').click(); true");
        browser.waitFor(page, "document.getElementById('enroll-token')");
        const std::string token =
            browser.evaluate(page, "document.getElementById('enroll-token').innerText").get<std::string>();
        CHECK(token.size() >= 32);
        browser.screenshot(page, "dashboard-lists-admin-enrolled.png");
        std::string enrolledId;
        for (const auto& k : nlohmann::json::parse(districtOk({"kiosks", "--db", db, "--json"})))
            if (k["commune"] == "02407") enrolledId = k["kiosk"];
        REQUIRE_FALSE(enrolledId.empty());
        // The token works, once, for the sync API: the kiosk says who it is.
        {
            httplib::Client c("127.0.0.1", server.port());
            auto whoami = c.Get("/api/v1/whoami", {{"Authorization", "Bearer " + token}});
            REQUIRE(whoami);
            CHECK(whoami->status == 200);
        }
        const std::string row =
            "document.querySelector('#admin-kiosks-table tr[data-kiosk=" + jsString(enrolledId) + "]')";
        browser.waitFor(page, row);
        browser.evaluate(page, row + ".querySelector('.kiosk-name').value = 'Máy bộ phận một cửa'; " + row +
                                   ".querySelector('.kiosk-name-save').click(); true");
        browser.waitFor(page, "document.getElementById('kiosk-feedback').innerText.includes('Đã đặt tên')");
        browser.evaluate(
            page, "window.confirm = () => true; " + row + ".querySelector('.kiosk-revoke').click(); true");
        browser.waitFor(page, "document.getElementById('kiosk-feedback').innerText.includes('Đã thu hồi')");
        bool revoked = false;
        for (const auto& k : nlohmann::json::parse(districtOk({"kiosks", "--db", db, "--json"})))
            if (k["kiosk"] == enrolledId) revoked = k["revoked"].get<bool>();
        CHECK(revoked);

        browser.evaluate(page,
                         "document.getElementById('officer-id').value = 'cb02'; "
                         "document.getElementById('officer-name').value = 'Vũ Thị Lan'; "
                         "document.getElementById('officer-role').value = 'officer'; "
                         "document.getElementById('officer-password').value = 'mat-khau-cua-lan'; "
                         "document.getElementById('officer-submit').click(); true");
        browser.waitFor(page, "document.querySelector('#admin-officers-table tr[data-officer=\"cb02\"]')");
        browser.evaluate(page,
                         "window.confirm = () => true; document.querySelector("
                         "'#admin-officers-table tr[data-officer=\"cb02\"] .officer-disable').click(); true");
        browser.waitFor(page, "document.getElementById('officer-feedback').innerText.includes('Đã khoá')");
        bool disabled = false;
        for (const auto& o : nlohmann::json::parse(districtOk({"officer", "list", "--db", db, "--json"})))
            if (o["id"] == "cb02") disabled = o["disabled"].get<bool>();
        CHECK(disabled);
        // The same form without the session's token changes nothing.
        CHECK(browser
                  .evaluate(page,
                            "fetch('/dash/api/admin/officer-add', {method: 'POST', headers: {'Content-Type': "
                            "'application/json'}, body: JSON.stringify({id: 'cb03', name: 'X', role: "
                            "'officer', password: 'mat-khau-dai-du'})}).then(r => r.status)")
                  .get<int>() == 403);

        // The log: who did what, newest first — this admin's changes, the officer's action on a
        // record and identity readings, the logins.
        browser.navigate(page, server.url() + "/admin");
        browser.waitFor(page, "document.querySelector('#officer-log-table tbody tr')");
        auto log = apiGet(browser, page, "/dash/api/admin/log?per_page=200");
        std::set<std::string> seen;
        for (const auto& e : log["body"]["entries"])
            seen.insert(e["officer"].get<std::string>() + " " + e["action"].get<std::string>());
        INFO(log.dump().substr(0, 2000));
        for (const char* expected :
             {"qt01 login", "qt01 kiosk.enroll", "qt01 kiosk.name", "qt01 kiosk.revoke", "qt01 officer.add",
              "qt01 officer.disable", "hcb01 login", "hcb01 record.resolve", "hcb01 identity.read",
              "ld01 login", "ld01 record.assign"})
            CHECK(seen.count(expected) == 1);
        CHECK(log["body"]["entries"][0]["action"] == "officer.disable");
        CHECK(log["body"]["total"] == log["body"]["entries"].size());
        // No password and no token in it.
        CHECK(log.dump().find("mat-khau") == std::string::npos);
        CHECK(log.dump().find(token) == std::string::npos);
        browser.screenshot(page, "dashboard-lists-admin.png");
    }

    {  // The officer finds the records given to them; an officer gives no record to anyone.
        browser.evaluate(page, "document.getElementById('logout').click(); true");
        browser.waitFor(page, "location.pathname === '/login'");
        login("hcb01", "mat-khau-cua-giang");
        browser.navigate(page, server.url() + "/records?mine=1");
        browser.waitFor(
            page, "document.body.dataset.ready === '/records' && document.getElementById('records-table')");
        CHECK(browser.evaluate(page, "document.querySelectorAll('#records-table tbody tr').length")
                  .get<int>() == 1);
        CHECK(browser.evaluate(page, "document.getElementById('filter-mine').checked").get<bool>());
        CHECK(post("/dash/api/assign", {{"code", dossierCode}, {"officer", "hcb01"}})["status"] == 403);
    }
}
