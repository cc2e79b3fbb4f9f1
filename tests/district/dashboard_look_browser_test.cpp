// How the dashboard looks, in a real browser (headless Chromium over the DevTools pipe,
// tests/support/browser_driver.h) against a real `district-server serve`:
// - the month charts are Chart.js's (assets/dashboard/charts.js): a canvas with something drawn, a
//   legend of the series' names with small swatches, integer "nice" ticks (steps of 1, 2 or 5 × 10^n)
//   on the count axis, Vietnamese month labels; without the library (its URL blocked) the page still
//   loads and says the charts are unavailable;
// - on a phone (390×844) every page fits the screen's width, every table's cells carry their column's
//   header (phone.js) and show as cards, and the menu folds behind one button;
// - the report page offers the PDF, which the server answers as a PDF.
// Screenshots go to build/test-artifacts/ (dashboard-look-*.png), to be looked at. Exits 77 (skipped)
// without chromium, or without the chart library (scripts/setup installs both).
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/reference_data.h"
#include "tests/support/browser_driver.h"
#include "tests/support/district_support.h"

using browser_test::Browser;
using browser_test::chromiumPath;
using browser_test::jsString;
using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

// The chart's facts as the page holds them: its legend, its y ticks, its x labels, and how many of
// its canvas's pixels are drawn.
constexpr const char* kChartFacts = R"js(
Array.from(document.querySelectorAll('.chart canvas')).map((canvas) => {
  const chart = Chart.getChart(canvas);
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn++;
  return {
    legend: chart.legend.legendItems.map((item) => item.text),
    legendBoxes: chart.legend.legendHitBoxes.map((box) => [box.width, box.height]),
    ticks: chart.scales.y.ticks.map((t) => t.value),
    labels: chart.data.labels,
    drawn: drawn, width: canvas.width, height: canvas.height,
  };
}))js";

bool niceStep(double step) {
    if (step < 1 || step != double(int64_t(step))) return false;
    double scale = 1;
    while (step >= scale * 10) scale *= 10;
    const double leading = step / scale;
    return leading == 1 || leading == 2 || leading == 5;
}

}  // namespace

TEST_CASE("dashboard look in Chromium: Chart.js charts and phone cards on every page and the report PDF") {
    const std::string chromium = chromiumPath();
    if (chromium.empty()) {
        WARN("chromium is not installed (apt install chromium; scripts/setup installs it): skipped");
        std::exit(77);
    }
    const auto dashboard = kiosk::assetsDir() / "dashboard";
    if (!std::filesystem::exists(dashboard / "chart.umd.js") &&
        !std::filesystem::exists(dashboard / "node_modules" / "chart.js" / "dist" / "chart.umd.js")) {
        WARN("the chart library is not installed (scripts/setup runs npm ci in assets/dashboard): skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("district.db");
    std::string code;
    {
        // 30 petitions two months ago and a few each month before: the count axis reaches 30, where
        // ticks at quarters of the top made 0, 8, 15, 23, 30.
        district_test::Seeder seeder(db);
        const kiosk::Date today = kiosk::localFromUnix(int64_t(kiosk::wallClockMillis() / 1000)).date;
        const kiosk::Date busy = today.plusDays(-60);
        for (int i = 0; i < 30; ++i)
            code = seeder.petition(i % 2 ? "02374" : "02401", kiosk::PetitionKind::Feedback,
                                   district_test::localUnix(busy.plusDays(-(i % 5)), 9));
        for (int i = 0; i < 12; ++i) {
            const kiosk::Date day = today.plusDays(-100 - 12 * i);
            const std::string c = seeder.petition("02380", kiosk::PetitionKind::Recommendation,
                                                  district_test::localUnix(day, 9));
            seeder.act(c, kiosk::Action::Resolve, district_test::localUnix(day.plusDays(3), 10),
                       "Đã trả lời.");
        }
        seeder.flush();
    }
    districtOk({"officer", "add", "--db", db, "--id", "qt01", "--name", "Lê Văn Quản", "--role", "admin",
                "--password-stdin"},
               "mat-khau-quan-tri\n");
    districtOk({"officer", "add", "--db", db, "--id", "cb01", "--name", "Phạm Văn Giang", "--role", "officer",
                "--password-stdin"},
               "mat-khau-can-bo\n");
    districtOk({"reception", "add", "--db", db, "--officer", "cb01", "--people", "2", "--case", "new"});
    ServerProcess server(db);
    const std::string profile = dir.file("chromium-profile");
    std::filesystem::create_directories(profile);
    Browser browser(chromium, profile);
    const std::string page = browser.openPage("about:blank");
    browser.viewport(page, 1366, 768, false);
    browser.navigate(page, server.url() + "/login");
    browser.waitFor(page, "document.readyState === 'complete' && document.getElementById('username')");
    browser.evaluate(page,
                     "document.getElementById('username').value = 'qt01'; "
                     "document.getElementById('password').value = 'mat-khau-quan-tri'; "
                     "document.getElementById('login-submit').click(); true");
    browser.waitFor(page, "location.pathname === '/' && document.body.dataset.ready === '/'");

    // [the charts]
    const auto charts = browser.evaluate(page, kChartFacts);
    INFO(charts.dump());
    REQUIRE(charts.size() == 2);
    CHECK(charts[0]["legend"] == nlohmann::json({"Đơn tiếp nhận", "Đơn đã giải quyết"}));
    CHECK(charts[1]["legend"] == nlohmann::json({"Hồ sơ tiếp nhận", "Hồ sơ có kết quả"}));
    for (const auto& chart : charts) {
        CHECK(chart["drawn"].get<int>() > chart["width"].get<int>() * chart["height"].get<int>() / 50);
        for (const auto& box : chart["legendBoxes"])
            CHECK(box[1].get<double>() < 30);  // one line, not a block
        const auto ticks = chart["ticks"].get<std::vector<double>>();
        REQUIRE(ticks.size() >= 3);
        CHECK(ticks.front() == 0);
        const double step = ticks[1] - ticks[0];
        CHECK(niceStep(step));
        for (size_t i = 1; i < ticks.size(); ++i) CHECK(ticks[i] - ticks[i - 1] == step);
        CHECK(chart["labels"][0].get<std::string>().rfind("T", 0) == 0);  // "T3/2026": tháng
    }
    CHECK(charts[0]["ticks"].back().get<double>() >= 30);
    browser.evaluate(page, "document.querySelector('.chart').scrollIntoView(); true");
    browser.screenshot(page, "dashboard-look-charts-1366x768.png");

    // [the report's PDF]
    browser.navigate(page, server.url() + "/report?from=2026-01-01&to=2026-12-31");
    browser.waitFor(
        page, "document.body.dataset.ready === '/report' && document.getElementById('report-sentence')");
    const std::string pdfUrl =
        browser.evaluate(page, "document.getElementById('report-pdf').getAttribute('href')")
            .get<std::string>();
    CHECK(pdfUrl.rfind("/dash/report.pdf?from=2026-01-01", 0) == 0);
    CHECK(
        browser
            .evaluate(page, "fetch(" + jsString(pdfUrl) +
                                ").then(async (r) => r.status + ' ' + r.headers.get('content-type') + ' ' + "
                                "(await r.text()).slice(0, 5))")
            .get<std::string>() == "200 application/pdf %PDF-");

    // [the phone] Every page at 390×844: no sideways scrolling, tables as labelled cards, the menu
    // folded until its button opens it.
    browser.viewport(page, 390, 844, true);
    const std::vector<std::pair<std::string, std::string>> pages{
        {"/", "/"},
        {"/records", "/records"},
        {"/record?code=" + code, "/record"},
        {"/report?from=2026-01-01&to=2026-12-31", "/report"},
        {"/receptions", "/receptions"},
        {"/admin", "/admin"}};
    for (const auto& [url, ready] : pages) {
        INFO(url);
        browser.navigate(page, server.url() + url);
        browser.waitFor(page, "document.body.dataset.ready === " + jsString(ready));
        // Lists and the report load after the page is ready; the record and admin pages have no rows.
        const bool rows = ready != "/record" && ready != "/admin";
        if (rows) browser.waitFor(page, "document.querySelector('main tbody td[data-label]')");
        // The tables a page fills after it is ready (lists, the report) are labelled as they come.
        browser.waitFor(page,
                        "Array.from(document.querySelectorAll('main tbody td')).every((td) => "
                        "td.hasAttribute('data-label'))");
        CHECK(
            browser.evaluate(page, "document.documentElement.scrollWidth <= window.innerWidth").get<bool>());
        CHECK(browser.evaluate(page, "window.innerWidth").get<int>() == 390);
        // No one-word button squeezed into a letter a line ("L / ư / u" beside a field).
        CHECK(browser
                  .evaluate(
                      page,
                      "Array.from(document.querySelectorAll('main button')).filter((b) => "
                      "b.offsetParent && !/\\s/.test(b.textContent.trim())).every((b) => "
                      "b.getBoundingClientRect().height < 3.2 * parseFloat(getComputedStyle(b).fontSize))")
                  .get<bool>());
        const auto cells =
            browser.evaluate(page,
                             "Array.from(document.querySelectorAll('main tbody td')).filter((td) => "
                             "td.getAttribute('data-label'))"
                             ".map((td) => [getComputedStyle(td).display, td.getAttribute('data-label'), "
                             "getComputedStyle(td, '::before').content])");
        if (rows) CHECK(cells.size() > 0);
        for (const auto& cell : cells) {
            CHECK(cell[0] != "table-cell");
            CHECK(cell[2].get<std::string>() == nlohmann::json(cell[1].get<std::string>()).dump());
        }
        CHECK(browser.evaluate(page, "getComputedStyle(document.getElementById('nav')).display")
                  .get<std::string>() == "none");
        std::string name = ready == "/" ? "overview" : ready.substr(1);
        browser.screenshot(page, "dashboard-look-phone-" + name + ".png");
    }
    browser.evaluate(page, "document.getElementById('menu-toggle').click(); true");
    CHECK(browser.evaluate(page, "getComputedStyle(document.getElementById('nav')).display")
              .get<std::string>() != "none");
    CHECK(browser.evaluate(page, "document.documentElement.scrollWidth <= window.innerWidth").get<bool>());
    browser.screenshot(page, "dashboard-look-phone-menu.png");

    // [no chart library] Its URL refused: the overview still loads and says so, with the figures.
    browser.viewport(page, 1366, 768, false);
    browser.call("Network.enable", {}, page);
    browser.call("Network.setBlockedURLs", {{"urls", {"*chart.umd.js*"}}}, page);
    browser.navigate(page, server.url() + "/");
    browser.waitFor(page, "document.body.dataset.ready === '/'");
    CHECK(browser.evaluate(page, "document.querySelectorAll('.chart-unavailable').length").get<int>() == 2);
    CHECK(browser.evaluate(page, "document.querySelectorAll('.chart canvas').length").get<int>() == 0);
    CHECK(browser.evaluate(page, "document.querySelectorAll('.chart table.chart-fallback tbody tr').length")
              .get<int>() > 0);
    browser.evaluate(page, "document.querySelector('.chart').scrollIntoView(); true");
    browser.screenshot(page, "dashboard-look-no-chart-library.png");
}
