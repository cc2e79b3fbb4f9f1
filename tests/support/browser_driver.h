#pragma once
// Headless Chromium (Debian's `chromium`) driven over the DevTools protocol on a pipe
// (--remote-debugging-pipe: file descriptors 3 and 4, NUL-separated JSON; no WebSocket library, no
// npm), for the dashboard tests in a real browser (district_browser_test.cpp,
// identity_browser_test.cpp). Test code only; one Browser per test, used from its thread.
#include <fcntl.h>
#include "build_paths.h"
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
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace browser_test {

inline std::string chromiumPath() {
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
                        const std::string& session = "",
                        std::chrono::seconds limit = std::chrono::seconds(30)) {
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
        const std::string session =
            call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}})["sessionId"];
        call("Page.enable", {}, session);
        call("Runtime.enable", {}, session);
        return session;
    }

    nlohmann::json evaluate(const std::string& session, const std::string& expression) {
        auto r = call("Runtime.evaluate",
                      {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}}, session);
        INFO(expression << " -> " << r.dump().substr(0, 500));
        REQUIRE_FALSE(r.contains("exceptionDetails"));
        return r["result"].value("value", nlohmann::json());
    }

    // Polls a JS condition (navigation may be under way: a failed evaluation just tries again).
    void waitFor(const std::string& session, const std::string& condition,
                 std::chrono::seconds limit = std::chrono::seconds(30)) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            auto r = call("Runtime.evaluate",
                          {{"expression", "(() => { try { return !!(" + condition +
                                              "); } catch (e) { return false; } })()"},
                           {"returnByValue", true}},
                          session);
            if (r.contains("result") && r["result"].value("value", false) == true) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        auto where = call("Runtime.evaluate",
                          {{"expression", "location.href + ' | ' + document.body.innerText.slice(0, 400)"},
                           {"returnByValue", true}},
                          session);
        FAIL("timed out waiting for " << condition << " on " << where.dump());
    }

    void navigate(const std::string& session, const std::string& url) {
        call("Page.navigate", {{"url", url}}, session);
    }

    void viewport(const std::string& session, int width, int height, bool mobile) {
        call("Emulation.setDeviceMetricsOverride",
             {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", mobile}}, session);
    }

    void screenshot(const std::string& session, const std::string& name) {
        const std::string data = call("Page.captureScreenshot", {{"format", "png"}}, session)["data"];
        std::vector<unsigned char> png(data.size());
        size_t length = 0;
        REQUIRE(sodium_base642bin(png.data(), png.size(), data.c_str(), data.size(), nullptr, &length,
                                  nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
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

inline std::string jsString(const std::string& text) { return nlohmann::json(text).dump(); }

}  // namespace browser_test
