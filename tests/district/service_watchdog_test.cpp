// `district-server serve` under systemd's notify protocol, as the Type=notify unit runs it
// (packaging/district/commune-district.service): the test is systemd's side — a unix datagram socket
// named by NOTIFY_SOCKET, and WATCHDOG_USEC — against the real program. READY=1 comes once the
// socket listens, WATCHDOG=1 pings follow while the server is healthy, and they stop while the
// committer's writer is held by the libfiu fault point "district/committer/hang" (enabled from
// outside with fiu-ctrl, as a hung disk would hold it), then come back when it is released.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

using testing_support::binPath;
using testing_support::runProgram;
using testing_support::TempDir;
using namespace std::chrono_literals;

namespace {

constexpr const char* kFiuRun = "/usr/bin/fiu-run";
constexpr const char* kFiuCtrl = "/usr/bin/fiu-ctrl";
constexpr const char* kHangPoint = "district/committer/hang";

// systemd's end of the notify protocol: a datagram socket that collects what the service sends.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& path) : m_path(path) {
        m_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        REQUIRE(path.size() < sizeof addr.sun_path);
        path.copy(addr.sun_path, path.size());
        REQUIRE(bind(m_fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~NotifySocket() { close(m_fd); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // Every line the service sent within `during` ("READY=1", "WATCHDOG=1", "STATUS=…").
    std::vector<std::string> receive(std::chrono::milliseconds during) {
        std::vector<std::string> lines;
        const auto deadline = std::chrono::steady_clock::now() + during;
        while (true) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            pollfd p{m_fd, POLLIN, 0};
            if (poll(&p, 1, int(left.count())) <= 0) continue;
            char buffer[4096];
            const ssize_t n = recv(m_fd, buffer, sizeof buffer, 0);
            if (n <= 0) continue;
            std::string text(buffer, size_t(n));
            for (size_t at = 0; at <= text.size();) {
                const size_t end = std::min(text.find('\n', at), text.size());
                if (end > at) lines.push_back(text.substr(at, end - at));
                at = end + 1;
            }
        }
        return lines;
    }
    // Waits up to `limit` for a line; true when it came.
    bool waitFor(const std::string& wanted, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline)
            for (const auto& line : receive(100ms))
                if (line == wanted) return true;
        return false;
    }
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    int m_fd = -1;
};

size_t count(const std::vector<std::string>& lines, const std::string& wanted) {
    return size_t(std::count(lines.begin(), lines.end(), wanted));
}

// district-server serve with systemd's variables set, started directly or through fiu-run (whose
// preload opens libfiu's control FIFO <dir>/fiu-<pid>); killed when the test ends.
class NotifiedServe {
public:
    NotifiedServe(const TempDir& dir, const std::string& notifySocket, const std::string& watchdogUsec,
                  bool underFiu) {
        m_pid = fork();
        REQUIRE(m_pid >= 0);
        if (m_pid != 0) return;
        const int err = open(dir.file("serve.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (err >= 0) dup2(err, 2);
        const int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 1);
        setenv("NOTIFY_SOCKET", notifySocket.c_str(), 1);
        setenv("WATCHDOG_USEC", watchdogUsec.c_str(), 1);
        unsetenv("WATCHDOG_PID");
        // Under the sanitizer build fiu-run's LD_PRELOAD comes before the ASan runtime.
        const char* inherited = std::getenv("ASAN_OPTIONS");
        const std::string asan = std::string(inherited && *inherited ? std::string(inherited) + ":" : "") +
                                 "verify_asan_link_order=0";
        setenv("ASAN_OPTIONS", asan.c_str(), 1);
        std::vector<std::string> all{binPath("district-server"), "serve",    "--db",
                                     dir.file("district.db"),    "--listen", "127.0.0.1:0"};
        if (underFiu) all.insert(all.begin(), {kFiuRun, "-f", dir.file("fiu")});
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    ~NotifiedServe() {
        if (m_pid <= 0) return;
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    NotifiedServe(const NotifiedServe&) = delete;
    NotifiedServe& operator=(const NotifiedServe&) = delete;

    // Runs a libfiu remote-control command in the server ("enable name=…", "disable name=…").
    void fault(const TempDir& dir, const std::string& command) {
        auto r = runProgram(kFiuCtrl, {"-f", dir.file("fiu"), "-c", command, std::to_string(m_pid)});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }
    // SIGTERM, then the exit status within 10 s (-1 if still running).
    int stop() {
        kill(m_pid, SIGTERM);
        for (int i = 0; i < 500; ++i) {
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(20ms);
        }
        return -1;
    }

private:
    pid_t m_pid = -1;
};

}  // namespace

TEST_CASE("serve tells systemd READY=1 when it listens, pings WATCHDOG=1 and says STOPPING=1 at the end",
          "[server][service]") {
#if !defined(KIOSK_TEST_HAVE_SYSTEMD)
    WARN("skipped: this build has no libsystemd (CMakeLists.txt KIOSK_SYSTEMD)");
    std::exit(77);
#endif
    TempDir dir;
    NotifySocket notify(dir.file("notify"));
    // WatchdogSec=1 s: a check every 0.5 s; the unit uses 30 s.
    NotifiedServe serve(dir, notify.path(), "1000000", false);

    REQUIRE(notify.waitFor("READY=1", 20s));
    const auto healthy = notify.receive(2s);
    INFO("lines in 2 s: " << healthy.size());
    CHECK(count(healthy, "WATCHDOG=1") >= 2);
    CHECK(serve.stop() == 0);
    CHECK(count(notify.receive(500ms), "STOPPING=1") == 1);
}

TEST_CASE("serve stops its watchdog pings while its committer hangs, and pings again when it answers",
          "[server][service]") {
#if !defined(KIOSK_TEST_HAVE_SYSTEMD) || !defined(KIOSK_TEST_FAULT_POINTS)
    WARN("skipped: this build has no libsystemd or no libfiu fault points (CMakeLists.txt)");
    std::exit(77);
#endif
    if (!std::filesystem::exists(kFiuRun) || !std::filesystem::exists(kFiuCtrl)) {
        WARN("skipped: fiu-run or fiu-ctrl missing (apt install fiu-utils)");
        std::exit(77);
    }
    TempDir dir;
    NotifySocket notify(dir.file("notify"));
    NotifiedServe serve(dir, notify.path(), "1000000", true);

    REQUIRE(notify.waitFor("READY=1", 20s));
    CHECK(count(notify.receive(2s), "WATCHDOG=1") >= 2);

    // The writer stands still: the pings stop within one check (one may be on its way).
    serve.fault(dir, std::string("enable name=") + kHangPoint);
    notify.receive(1s);
    CHECK(count(notify.receive(2s), "WATCHDOG=1") == 0);

    // Released, it answers again, and the pings come back. (The server is then killed: fiu-run's
    // control thread does not block SIGTERM as serve's own threads do, so a SIGTERM would end the
    // process before serve sees it; the test above checks the clean stop.)
    serve.fault(dir, std::string("disable name=") + kHangPoint);
    CHECK(notify.waitFor("WATCHDOG=1", 3s));
    const std::string log = testing_support::fileBytes(dir.file("serve.log"));
    CHECK(log.find("watchdog: the committer or the listener did not answer") != std::string::npos);
    CHECK(log.find("watchdog: the server answers again") != std::string::npos);
}
