// Reading a sealed identity in the dashboard, in headless Chromium (the DevTools-over-a-pipe driver
// is the one of district_browser_test.cpp): a petition typed at a real kiosk and synced to a real
// district-server; the officer's record page shows no identity until the "Xem thông tin người gửi"
// button, which shows the kiosk's name; the admin page lists that reading. Exits 77 (skipped) when
// chromium is not installed.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/browser_driver.h"
#include "tests/support/district_support.h"
#include "tests/support/e2e_support.h"

using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

using browser_test::Browser;
using browser_test::chromiumPath;
using browser_test::jsString;

TEST_CASE("dashboard in Chromium: an officer reveals a sealed identity, the admin page lists the reading") {
    const std::string chromium = chromiumPath();
    if (chromium.empty()) {
        WARN("chromium is not installed (apt install chromium; scripts/setup installs it): skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("district.db");
    const auto enrolled =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02374", "--json"}));
    districtOk({"officer", "add", "--db", db, "--id", "cb01", "--name", "Phạm Văn Giang", "--role", "officer",
                "--password-stdin"},
               "mat-khau-cua-giang\n");
    districtOk({"officer", "add", "--db", db, "--id", "qt01", "--name", "Nông Thị Hoa", "--role", "admin",
                "--password-stdin"},
               "mat-khau-quan-tri\n");
    ServerProcess server(db);
    e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
    REQUIRE(kiosk
                .run({"init", "--commune", "02374", "--server", server.url(), "--token", enrolled["token"],
                      "--slot", enrolled["slot"].dump(), "--district-key", enrolled["district_public_key"]})
                .exitCode == 0);
    const std::string name = "Vi Thị Phượng Khuôn";
    auto submitted = kiosk.run({"submit-petition", "--type", "phan-anh", "--name", name, "--phone",
                                "0983417265", "--content", "Phản ánh đèn đường hỏng ở thôn Khuôn Khoai."});
    INFO(submitted.err);
    REQUIRE(submitted.exitCode == 0);
    std::string code = submitted.out;
    while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.pop_back();
    REQUIRE(kiosk.run({"sync", "--once", "--timeout", "60"}).exitCode == 0);

    const std::string profile = dir.file("chromium-profile");
    std::filesystem::create_directories(profile);
    Browser browser(chromium, profile);
    const std::string page = browser.openPage("about:blank");
    browser.viewport(page, 1366, 768, false);
    auto logIn = [&](const std::string& user, const std::string& password, const std::string& path) {
        browser.navigate(page, server.url() + path);
        browser.waitFor(page, "location.pathname === '/login' && document.readyState === 'complete'");
        browser.evaluate(page, "document.getElementById('username').value = " + jsString(user) +
                                   "; "
                                   "document.getElementById('password').value = " +
                                   jsString(password) +
                                   "; "
                                   "document.getElementById('login-submit').click(); true");
        browser.waitFor(page, "document.body.dataset.ready === " + jsString(path.substr(0, path.find('?'))));
    };

    logIn("cb01", "mat-khau-cua-giang", "/record?code=" + code);
    browser.waitFor(page, "document.getElementById('reveal-identity')");
    CHECK(browser.evaluate(page, "document.body.innerText.includes(" + jsString(name) + ")").get<bool>() ==
          false);
    browser.evaluate(page, "document.getElementById('reveal-identity').click(); true");
    browser.waitFor(page, "document.getElementById('identity-name')");
    CHECK(browser.evaluate(page, "document.getElementById('identity-name').innerText").get<std::string>() ==
          name);
    CHECK(browser.evaluate(page, "document.body.innerText.includes('Phản ánh đèn đường hỏng')").get<bool>());
    browser.screenshot(page, "dashboard-identity-revealed.png");

    browser.evaluate(page, "document.getElementById('logout').click(); true");
    browser.waitFor(page, "location.pathname === '/login'");
    logIn("qt01", "mat-khau-quan-tri", "/admin");
    browser.waitFor(page, "document.querySelectorAll('#identity-reads tbody tr td').length >= 3");
    const std::string log =
        browser.evaluate(page, "document.querySelector('#identity-reads tbody').innerText")
            .get<std::string>();
    CHECK(log.find("cb01") != std::string::npos);
    CHECK(log.find(code.substr(0, 4)) != std::string::npos);
    CHECK(log.find(name) == std::string::npos);
    browser.screenshot(page, "dashboard-identity-reads.png");
}
