// A kiosk that speaks plain http:// to the district (kioskctl init --insecure-http) says so in its
// push's heartbeat; the district keeps it (`district-server kiosks --json` insecure_http), the
// dashboard's overview API flags the kiosk and its commune, and in a real browser (headless
// Chromium, as district_browser_test.cpp) the commune's row of the kiosk table shows the warning.
// The browser part exits 77 (skipped) when chromium is not installed.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <filesystem>

#include "tests/support/browser_driver.h"
#include "tests/support/district_support.h"

using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

// A push with no event and the heartbeat a kiosk on plain http:// to a remote district sends.
void pushHeartbeat(const ServerProcess& server, const nlohmann::json& enrolled, bool insecure) {
    nlohmann::json body{{"version", 1},
                        {"kiosk", enrolled["kiosk"]},
                        {"events", nlohmann::json::array()},
                        {"heartbeat", {{"app_version", "0.1.0"}, {"queue_depth", 0}}}};
    if (insecure) body["heartbeat"]["insecure_http"] = true;
    httplib::Client c("127.0.0.1", server.port());
    auto res = c.Post("/api/v1/push", {{"Authorization", "Bearer " + enrolled["token"].get<std::string>()}},
                      body.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
}

}  // namespace

TEST_CASE("dashboard: a kiosk on plain http:// is flagged in the kiosk table") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    auto insecure =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02374", "--json"}));
    auto secure =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02377", "--json"}));
    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role",
                "officer", "--password-stdin"},
               "mat-khau-cua-giang\n");
    ServerProcess server(db);
    pushHeartbeat(server, insecure, true);
    pushHeartbeat(server, secure, false);

    auto kiosks = nlohmann::json::parse(districtOk({"kiosks", "--db", db, "--json"}));
    REQUIRE(kiosks.size() == 2);
    for (const auto& k : kiosks) {
        INFO(k.dump());
        CHECK(k["insecure_http"] == (k["kiosk"] == insecure["kiosk"]));
    }

    const std::string chromium = browser_test::chromiumPath();
    if (chromium.empty()) {
        WARN("chromium is not installed (apt install chromium; scripts/setup installs it): skipped");
        std::exit(77);
    }
    const std::string profile = dir.file("chromium-profile");
    std::filesystem::create_directories(profile);
    browser_test::Browser browser(chromium, profile);
    const std::string page = browser.openPage("about:blank");
    browser.viewport(page, 1366, 768, false);
    browser.navigate(page, server.url() + "/");
    browser.waitFor(page, "location.pathname === '/login' && document.readyState === 'complete'");
    browser.evaluate(page,
                     "document.getElementById('username').value = 'hcb01'; "
                     "document.getElementById('password').value = 'mat-khau-cua-giang'; "
                     "document.getElementById('login-submit').click(); true");
    browser.waitFor(page, "location.pathname === '/' && document.body.dataset.ready === '/'");
    const auto flagged = [&](const std::string& commune) {
        return browser
            .evaluate(page, "!!document.querySelector('#fleet-table tr[data-commune=\"" + commune +
                                "\"] .insecure-http')")
            .get<bool>();
    };
    CHECK(flagged("02374"));
    CHECK_FALSE(flagged("02377"));
    CHECK(
        browser.evaluate(page, "document.querySelector('#fleet-table tr[data-commune=\"02374\"]').className")
            .get<std::string>() == "flagged");
    browser.screenshot(page, "dashboard-insecure-http-kiosk.png");
    // As a district officer on a phone would see the same row.
    browser.viewport(page, 390, 844, true);
    browser.evaluate(
        page, "document.querySelector('#fleet-table tr[data-commune=\"02374\"]').scrollIntoView(); true");
    browser.screenshot(page, "dashboard-insecure-http-kiosk-phone.png");
}
