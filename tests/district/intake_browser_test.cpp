// The dashboard's form for petitions received on paper, in headless Chromium against a real
// `district-server serve`: an officer registers a letter, gets its receipt code, and finds it in the
// records list; a leader (who takes no action on records) is refused, and so is a request without
// the session's CSRF token. Exits 77 (skipped) when chromium is not installed.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "tests/support/browser_driver.h"
#include "tests/support/district_support.h"

using browser_test::Browser;
using browser_test::chromiumPath;
using browser_test::jsString;
using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

TEST_CASE("dashboard intake in Chromium: a letter registered through the form becomes a listed record") {
    const std::string chromium = chromiumPath();
    if (chromium.empty()) {
        WARN("chromium is not installed (apt install chromium; scripts/setup installs it): skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("district.db");
    {
        auto r = testing_support::runProgram(testing_support::binPath("district-server"),
                                             {"enroll-kiosk", "--db", db, "--commune", "02374"});
        REQUIRE(r.exitCode == 0);
    }
    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role",
                "officer", "--password-stdin"},
               "mat-khau-cua-giang\n");
    districtOk({"officer", "add", "--db", db, "--id", "ld01", "--name", "Vũ Thị Hạnh", "--role", "leader",
                "--password-stdin"},
               "mat-khau-lanh-dao\n");
    ServerProcess server(db);
    const std::string profile = dir.file("chromium-profile");
    std::filesystem::create_directories(profile);
    Browser browser(chromium, profile);
    const std::string page = browser.openPage("about:blank");
    browser.viewport(page, 1366, 768, false);
    auto logIn = [&](const std::string& user, const std::string& password) {
        browser.navigate(page, server.url() + "/receptions");
        browser.waitFor(page, "location.pathname === '/login' && document.readyState === 'complete'");
        browser.evaluate(page, "document.getElementById('username').value = " + jsString(user) +
                                   "; document.getElementById('password').value = " + jsString(password) +
                                   "; document.getElementById('login-submit').click(); true");
        browser.waitFor(
            page, "document.body.dataset.ready === '/receptions' && document.getElementById('intake-form')");
    };

    logIn("hcb01", "mat-khau-cua-giang");
    const kiosk::Date today = kiosk::localFromUnix(int64_t(kiosk::wallClockMillis() / 1000)).date;
    browser.evaluate(
        page,
        "const v = (id, x) => { document.getElementById(id).value = x; }; "
        "v('intake-kind', 'khieu-nai'); v('intake-channel', 'post'); v('intake-received', " +
            jsString(today.plusDays(-3).iso()) +
            "); v('intake-commune', '02374'); v('intake-name', 'Nguyễn Thị Lan'); "
            "v('intake-cccd', '008190001234'); v('intake-summary', 'Khiếu nại việc thu hồi đất ruộng.'); "
            "document.getElementById('intake-submit').click(); true");
    browser.waitFor(page, "document.getElementById('intake-feedback').innerText.includes('Mã biên nhận')");
    const std::string feedback =
        browser.evaluate(page, "document.getElementById('intake-feedback').innerText").get<std::string>();
    INFO(feedback);
    CHECK(feedback.find("0000 000") != std::string::npos);
    browser.screenshot(page, "dashboard-intake.png");

    const auto records = nlohmann::json::parse(districtOk({"records", "--db", db, "--json"}));
    REQUIRE(records.size() == 1);
    const std::string code = records[0]["code"];
    CHECK(code.substr(0, 5) == "00000");
    browser.navigate(page, server.url() + "/records");
    browser.waitFor(page, "document.body.dataset.ready === '/records'");
    browser.waitFor(page, "document.body.innerText.includes(" +
                              jsString(code.substr(0, 4) + " " + code.substr(4, 4)) + ")");

    // Without the CSRF token: refused.
    const std::string body =
        "JSON.stringify({kind: 'phan-anh', channel: 'post', received: " + jsString(today.iso()) + "})";
    CHECK(browser
              .evaluate(page,
                        "fetch('/dash/api/intake', {method: 'POST', headers: {'Content-Type': "
                        "'application/json'}, body: " +
                            body + "}).then(r => r.status)")
              .get<int>() == 403);
    // A leader, with the token, is refused by role.
    browser.evaluate(page, "document.getElementById('logout').click(); true");
    browser.waitFor(page, "location.pathname === '/login'");
    logIn("ld01", "mat-khau-lanh-dao");
    CHECK(browser
              .evaluate(
                  page,
                  "fetch('/dash/api/intake', {method: 'POST', headers: {'Content-Type': 'application/json', "
                  "'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content}, body: " +
                      body + "}).then(r => r.status)")
              .get<int>() == 403);
    CHECK(nlohmann::json::parse(districtOk({"records", "--db", db, "--json"})).size() == 1);
}
