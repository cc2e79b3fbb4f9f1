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

#include "tests/sync/district_support.h"
#include "tests/sync/e2e_support.h"

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

TEST_CASE("dashboard in Chromium: an officer reveals a sealed identity, the admin page lists the reading") {
    const std::string chromium = chromiumPath();
    if (chromium.empty()) {
        WARN("chromium is not installed (apt install chromium; scripts/setup installs it): skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("district.db");
    const auto enrolled = nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02374", "--json"}));
    districtOk({"officer", "add", "--db", db, "--id", "cb01", "--name", "Phạm Văn Giang", "--role", "officer",
                "--password-stdin"}, "mat-khau-cua-giang\n");
    districtOk({"officer", "add", "--db", db, "--id", "qt01", "--name", "Nông Thị Hoa", "--role", "admin",
                "--password-stdin"}, "mat-khau-quan-tri\n");
    ServerProcess server(db);
    e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
    REQUIRE(kiosk.run({"init", "--commune", "02374", "--server", server.url(), "--token", enrolled["token"],
                       "--district-key", enrolled["district_public_key"]}).exitCode == 0);
    const std::string name = "Vi Thị Phượng Khuôn";
    auto submitted = kiosk.run({"submit-petition", "--type", "phan-anh", "--name", name, "--phone", "0983417265",
                                "--content", "Phản ánh đèn đường hỏng ở thôn Khuôn Khoai."});
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
        browser.evaluate(page, "document.getElementById('username').value = " + jsString(user) + "; "
                               "document.getElementById('password').value = " + jsString(password) + "; "
                               "document.getElementById('login-submit').click(); true");
        browser.waitFor(page, "document.body.dataset.ready === " + jsString(path.substr(0, path.find('?'))));
    };

    logIn("cb01", "mat-khau-cua-giang", "/record?code=" + code);
    browser.waitFor(page, "document.getElementById('reveal-identity')");
    CHECK(browser.evaluate(page, "document.body.innerText.includes(" + jsString(name) + ")").get<bool>() == false);
    browser.evaluate(page, "document.getElementById('reveal-identity').click(); true");
    browser.waitFor(page, "document.getElementById('identity-name')");
    CHECK(browser.evaluate(page, "document.getElementById('identity-name').innerText").get<std::string>() == name);
    CHECK(browser.evaluate(page, "document.body.innerText.includes('Phản ánh đèn đường hỏng')").get<bool>());
    browser.screenshot(page, "dashboard-identity-revealed.png");

    browser.evaluate(page, "document.getElementById('logout').click(); true");
    browser.waitFor(page, "location.pathname === '/login'");
    logIn("qt01", "mat-khau-quan-tri", "/admin");
    browser.waitFor(page, "document.querySelectorAll('#identity-reads tbody tr td').length >= 3");
    const std::string log = browser.evaluate(page, "document.querySelector('#identity-reads tbody').innerText").get<std::string>();
    CHECK(log.find("cb01") != std::string::npos);
    CHECK(log.find(code.substr(0, 4)) != std::string::npos);
    CHECK(log.find(name) == std::string::npos);
    browser.screenshot(page, "dashboard-identity-reads.png");
}
