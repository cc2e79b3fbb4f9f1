// The district dashboard in a real browser: headless Chromium (Debian's `chromium`) driven over the
// DevTools protocol on a pipe (--remote-debugging-pipe: file descriptors 3 and 4, NUL-separated
// JSON — no WebSocket library, no npm). Against a real `district-server serve` on loopback: without
// a session the pages redirect to the login; the officer logs in, opens the overdue list, resolves
// a record, sees the change; a fetch without the CSRF token is refused. Screenshots at 1366×768 and
// on a tablet go to build/test-artifacts/. Exits 77 (skipped) when chromium is not installed.
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

#include "tests/sync/district_support.h"

using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

std::string chromiumPath() {
    if (const char* env = std::getenv("KIOSK_CHROMIUM"); env && *env) return env;
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
        if (access(p, X_OK) == 0) return p;
    return {};
}

// One headless Chromium with the DevTools protocol on a pipe.
class Browser {
public:
    Browser(const std::string& executable, const std::string& profile) {
        int commands[2], answers[2];
        REQUIRE(pipe2(commands, O_CLOEXEC) == 0);
        REQUIRE(pipe2(answers, O_CLOEXEC) == 0);
        m_pid = fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            // Out of the way first, so dup2 onto 3 and 4 cannot close a pipe end still needed.
            const int in = fcntl(commands[0], F_DUPFD, 10);
            const int out = fcntl(answers[1], F_DUPFD, 10);
            dup2(in, 3);
            dup2(out, 4);
            const int log = ::open((profile + "/chromium.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            if (log >= 0) {
                dup2(log, 1);
                dup2(log, 2);
            }
            const std::string profileFlag = "--user-data-dir=" + profile;
            execl(executable.c_str(), executable.c_str(), "--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                  "--remote-debugging-pipe", "--window-size=1366,768", profileFlag.c_str(), "about:blank",
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        close(commands[0]);
        close(answers[1]);
        m_write = commands[1];
        m_read = answers[0];
    }
    ~Browser() {
        if (m_write >= 0) close(m_write);
        if (m_read >= 0) close(m_read);
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
    }
    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;

    // One command; returns its "result". Events that arrive meanwhile are dropped.
    nlohmann::json call(const std::string& method, nlohmann::json params = nlohmann::json::object(),
                        const std::string& session = "", std::chrono::seconds limit = std::chrono::seconds(30)) {
        const int id = ++m_id;
        nlohmann::json message{{"id", id}, {"method", method}, {"params", params}};
        if (!session.empty()) message["sessionId"] = session;
        const std::string text = message.dump() + std::string(1, '\0');
        size_t sent = 0;
        while (sent < text.size()) {
            const ssize_t n = write(m_write, text.data() + sent, text.size() - sent);
            REQUIRE(n > 0);
            sent += size_t(n);
        }
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            const size_t end = m_buffer.find('\0');
            if (end == std::string::npos) {
                pollfd p{m_read, POLLIN, 0};
                if (poll(&p, 1, 100) <= 0) continue;
                char chunk[65536];
                const ssize_t n = read(m_read, chunk, sizeof chunk);
                INFO("chromium closed its pipe; see its log in the profile directory");
                REQUIRE(n > 0);
                m_buffer.append(chunk, size_t(n));
                continue;
            }
            auto reply = nlohmann::json::parse(m_buffer.substr(0, end), nullptr, false);
            m_buffer.erase(0, end + 1);
            if (!reply.is_object() || reply.value("id", -1) != id) continue;
            INFO(method << " -> " << reply.dump().substr(0, 500));
            REQUIRE_FALSE(reply.contains("error"));
            return reply["result"];
        }
        FAIL("no answer from chromium to " << method);
        return {};
    }

    // A page of its own (a tab) and the session to drive it.
    std::string openPage(const std::string& url) {
        const std::string target = call("Target.createTarget", {{"url", url}})["targetId"];
        const std::string session = call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}})["sessionId"];
        call("Page.enable", {}, session);
        call("Runtime.enable", {}, session);
        return session;
    }

    nlohmann::json evaluate(const std::string& session, const std::string& expression) {
        auto r = call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}}, session);
        INFO(expression << " -> " << r.dump().substr(0, 500));
        REQUIRE_FALSE(r.contains("exceptionDetails"));
        return r["result"].value("value", nlohmann::json());
    }

    // Polls a JS condition (navigation may be under way: a failed evaluation just tries again).
    void waitFor(const std::string& session, const std::string& condition, std::chrono::seconds limit = std::chrono::seconds(30)) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            auto r = call("Runtime.evaluate", {{"expression", "(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()"},
                                               {"returnByValue", true}}, session);
            if (r.contains("result") && r["result"].value("value", false) == true) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        auto where = call("Runtime.evaluate", {{"expression", "location.href + ' | ' + document.body.innerText.slice(0, 400)"},
                                               {"returnByValue", true}}, session);
        FAIL("timed out waiting for " << condition << " on " << where.dump());
    }

    void navigate(const std::string& session, const std::string& url) { call("Page.navigate", {{"url", url}}, session); }

    void viewport(const std::string& session, int width, int height, bool mobile) {
        call("Emulation.setDeviceMetricsOverride",
             {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", mobile}}, session);
    }

    void screenshot(const std::string& session, const std::string& name) {
        const std::string data = call("Page.captureScreenshot", {{"format", "png"}}, session)["data"];
        std::vector<unsigned char> png(data.size());
        size_t length = 0;
        REQUIRE(sodium_base642bin(png.data(), png.size(), data.c_str(), data.size(), nullptr, &length, nullptr,
                                  sodium_base64_VARIANT_ORIGINAL) == 0);
        std::filesystem::create_directories(KIOSK_ARTIFACT_DIR);
        std::ofstream out(std::string(KIOSK_ARTIFACT_DIR) + "/" + name, std::ios::binary);
        out.write(reinterpret_cast<const char*>(png.data()), std::streamsize(length));
        REQUIRE(out.good());
        REQUIRE(length > 1000);
    }

private:
    pid_t m_pid = -1;
    int m_write = -1;
    int m_read = -1;
    int m_id = 0;
    std::string m_buffer;
};

std::string jsString(const std::string& text) { return nlohmann::json(text).dump(); }

}  // namespace

TEST_CASE("dashboard in Chromium: log in, overdue list, resolve a record, see the change") {
    const std::string chromium = chromiumPath();
    if (chromium.empty()) {
        WARN("chromium is not installed (apt install chromium; scripts/setup installs it): skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("district.db");
    std::string overdueCode, otherCode;
    {
        // Two petitions from the spring, long overdue now; and work over the last months for the charts.
        district_test::Seeder seeder(db);
        overdueCode = seeder.petition("02380", kiosk::PetitionKind::Recommendation,
                                      district_test::localUnix(kiosk::Date{2026, 3, 2}, 9));
        otherCode = seeder.petition("02395", kiosk::PetitionKind::Feedback,
                                    district_test::localUnix(kiosk::Date{2026, 4, 6}, 9));
        const kiosk::Date today = kiosk::localFromUnix(int64_t(kiosk::wallClockMillis() / 1000)).date;
        for (int i = 0; i < 60; ++i) {
            const kiosk::Date day = today.plusDays(-25 - 5 * i);
            const std::string code = seeder.petition(i % 2 ? "02374" : "02401", kiosk::PetitionKind::Feedback,
                                                     district_test::localUnix(day, 9));
            seeder.act(code, kiosk::Action::Resolve, district_test::localUnix(day.plusDays(1 + i % 20), 10), "Đã trả lời.");
        }
        seeder.flush();
    }
    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role", "officer",
                "--password-stdin"}, "mat-khau-cua-giang\n");
    ServerProcess server(db);
    const std::string profile = dir.file("chromium-profile");
    std::filesystem::create_directories(profile);
    Browser browser(chromium, profile);
    const std::string page = browser.openPage("about:blank");
    browser.viewport(page, 1366, 768, false);

    // No session: every page sends the browser to the login.
    for (const std::string& path : std::vector<std::string>{"/", "/report", "/record?code=" + overdueCode}) {
        browser.navigate(page, server.url() + path);
        browser.waitFor(page, "location.pathname === '/login' && document.readyState === 'complete'");
    }

    browser.evaluate(page, "document.getElementById('username').value = 'hcb01'; "
                           "document.getElementById('password').value = 'mat-khau-cua-giang'; "
                           "document.getElementById('login-submit').click(); true");
    // The login remembered where it was going.
    browser.waitFor(page, "location.pathname === '/record' && document.body.dataset.ready === '/record'");
    browser.navigate(page, server.url() + "/");
    browser.waitFor(page, "location.pathname === '/' && document.body.dataset.ready === '/'");
    browser.waitFor(page, "document.querySelector('#overdue-table tr[data-code=" + jsString(overdueCode) + "]')");
    CHECK(browser.evaluate(page, "document.querySelectorAll('#overdue-table tbody tr').length").get<int>() == 2);
    CHECK(browser.evaluate(page, "document.querySelectorAll('#fleet-table tbody tr').length").get<int>() == 18);
    CHECK(browser.evaluate(page, "document.querySelectorAll('.chart svg rect').length").get<int>() > 0);
    // The overdue list comes first on the page.
    CHECK(browser.evaluate(page, "document.getElementById('overdue').compareDocumentPosition("
                                 "document.getElementById('fleet')) & Node.DOCUMENT_POSITION_FOLLOWING").get<int>() != 0);
    browser.screenshot(page, "dashboard-overview-1366x768.png");

    // A request without the CSRF token is refused, from inside the logged-in page.
    const int refused = browser.evaluate(page,
        "fetch('/dash/api/act', {method: 'POST', headers: {'Content-Type': 'application/json'}, "
        "body: JSON.stringify({code: " + jsString(overdueCode) + ", action: 'resolve', note: 'x'})}).then(r => r.status)").get<int>();
    CHECK(refused == 403);

    browser.evaluate(page, "document.querySelector('#overdue-table a.record-link[data-code=" + jsString(overdueCode) + "]').click(); true");
    browser.waitFor(page, "location.pathname === '/record' && document.body.dataset.ready === '/record' && "
                          "document.getElementById('action-select')");
    CHECK(browser.evaluate(page, "document.getElementById('record-status').dataset.status").get<std::string>() == "received");
    browser.evaluate(page, "const s = document.getElementById('action-select'); s.value = 'resolve'; "
                           "s.dispatchEvent(new Event('change')); "
                           "document.getElementById('action-note').value = 'Đã trả lời công dân bằng văn bản.'; "
                           "document.getElementById('action-submit').click(); true");
    browser.waitFor(page, "document.getElementById('record-status').dataset.status === 'resolved'");
    CHECK(browser.evaluate(page, "document.getElementById('record-history').innerText").get<std::string>().find(
              "Đã trả lời công dân bằng văn bản.") != std::string::npos);
    browser.screenshot(page, "dashboard-record-resolved.png");

    // Back on the overview, the record has left the overdue list.
    browser.navigate(page, server.url() + "/");
    browser.waitFor(page, "location.pathname === '/' && document.body.dataset.ready === '/'");
    CHECK(browser.evaluate(page, "!document.querySelector('#overdue-table tr[data-code=" + jsString(overdueCode) + "]')").get<bool>());
    CHECK(browser.evaluate(page, "!!document.querySelector('#overdue-table tr[data-code=" + jsString(otherCode) + "]')").get<bool>());

    // The report for a period, with its CSV link.
    browser.navigate(page, server.url() + "/report?from=2026-01-01&to=2026-12-31");
    browser.waitFor(page, "document.getElementById('report-sentence')");
    CHECK(browser.evaluate(page, "document.getElementById('report-sentence').innerText").get<std::string>().rfind("Tiếp nhận", 0) == 0);
    CHECK(browser.evaluate(page, "document.getElementById('report-csv').getAttribute('href')").get<std::string>().find(
              "/dash/report.csv?from=2026-01-01") != std::string::npos);

    // A tablet held upright: the page fits its width (wide tables scroll inside their box).
    browser.viewport(page, 800, 1280, true);
    browser.navigate(page, server.url() + "/");
    browser.waitFor(page, "document.body.dataset.ready === '/'");
    CHECK(browser.evaluate(page, "document.documentElement.scrollWidth <= window.innerWidth + 1").get<bool>());
    browser.screenshot(page, "dashboard-overview-tablet.png");

    // The district's own records say the same as the page did.
    auto records = nlohmann::json::parse(districtOk({"records", "--db", db, "--json"}));
    bool resolved = false;
    for (const auto& r : records)
        if (r["code"] == overdueCode) resolved = r["status"] == "resolved";
    CHECK(resolved);
}
