// The real build/bin/kiosk in a real X server (Xvfb, OpenGL through Mesa llvmpipe), tapped with
// xdotool, with screenshots in build/test-artifacts/ and results checked with kioskctl.
// Where to tap comes from a headless twin: the harness runs the same screens at the same size on a
// copy of the same database, and every touch it makes is replayed on the real program, so the
// positions are exact and the two stay on the same screen. Exits 77 (skipped) when Xvfb, xdotool
// or import are missing. Nothing waits a guessed time for the real program: its frame log
// (KIOSK_BENCH_FRAMES) says when it has taken every press and release sent and gone to sleep.
// The voice's test taps "Nghe" where there may be no sound card and measures that frames go on.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/database.h"
#include "core/receipt_code.h"
#include "core/reference_data.h"
#include "kiosk/voice/speaker.h"
#include "tests/support/cups_fixture.h"
#include "tests/support/e2e_support.h"
#include "tests/support/temp_dir.h"
#include "tests/kiosk/ui/ui_harness.h"
#include "tests/kiosk/ui/x11_close.h"

namespace fs = std::filesystem;
using kiosk::ui::ScreenId;
using testing_support::binPath;
using testing_support::runProgram;
using testing_support::UiHarness;

namespace {

std::string findTool(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const fs::path candidate = fs::path(dir) / name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return "";
}

void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// A child process that runs until stopped (SIGTERM, then SIGKILL); output goes to a log file.
class Child {
public:
    Child(const std::vector<std::string>& argv, const std::string& log) {
        m_pid = fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
            }
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            execv(args[0], args.data());
            _exit(127);
        }
    }
    ~Child() { stop(); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    pid_t pid() const { return m_pid; }
    bool running() {
        if (m_pid <= 0) return false;
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return false;
        }
        return true;
    }
    void stop() {
        if (!running()) return;
        kill(m_pid, SIGTERM);
        for (int i = 0; i < 50 && running(); ++i) sleepMs(20);
        if (running()) kill(m_pid, SIGKILL);
        if (m_pid > 0) waitpid(m_pid, nullptr, 0);
        m_pid = -1;
    }

private:
    pid_t m_pid = -1;
};

// CPU seconds (user + system) a process has used, from /proc/PID/stat.
double cpuSeconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) utime = std::stol(f);
        if (i == 15) stime = std::stol(f);
    }
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

// Xvfb on a free display, the kiosk on it, xdotool to touch it, import to photograph it.
class RealKiosk {
public:
    explicit RealKiosk(const std::string& commune = "02374") {
        m_xvfb = findTool("Xvfb");
        m_xdotool = findTool("xdotool");
        m_import = findTool("import");
        if (m_xvfb.empty() || m_xdotool.empty() || m_import.empty()) {
            std::cerr << "SKIPPED: the end-to-end kiosk test needs Xvfb, xdotool and imagemagick's import "
                         "(apt-get install xvfb xdotool imagemagick; scripts/setup installs them)\n";
            std::exit(77);
        }
        m_artifacts = KIOSK_ARTIFACT_DIR;
        fs::create_directories(m_artifacts);
        m_db = m_dir.file("kiosk.db");
        ctl({"init", "--commune", commune});
    }

    const std::string& db() const { return m_db; }
    std::string file(const std::string& name) const { return m_dir.file(name); }
    const fs::path& artifacts() const { return m_artifacts; }

    testing_support::RunResult ctl(const std::vector<std::string>& args, const std::string& input = "") {
        std::vector<std::string> all{"--db", m_db};
        all.insert(all.end(), args.begin(), args.end());
        auto r = runProgram(binPath("kioskctl"), all, input);
        INFO("kioskctl " << args.front() << ": " << r.err);
        REQUIRE(r.exitCode == 0);
        return r;
    }

    void start(const std::vector<std::string>& extraArgs = {}) {
        for (int n = 60 + int(getpid() % 30); n < 140 && m_display < 0; ++n) {
            if (fs::exists("/tmp/.X" + std::to_string(n) + "-lock") ||
                fs::exists("/tmp/.X11-unix/X" + std::to_string(n)))
                continue;
            m_server =
                std::make_unique<Child>(std::vector<std::string>{m_xvfb, ":" + std::to_string(n), "-screen",
                                                                 "0", "1920x1080x24", "-nolisten", "tcp"},
                                        m_dir.file("xvfb.log"));
            for (int i = 0; i < 100 && m_server->running(); ++i) {
                if (fs::exists("/tmp/.X11-unix/X" + std::to_string(n))) {
                    m_display = n;
                    break;
                }
                sleepMs(50);
            }
            if (m_display < 0) m_server.reset();
        }
        REQUIRE(m_display >= 0);
        setenv("DISPLAY", (":" + std::to_string(m_display)).c_str(), 1);
        const std::string first = m_dir.file("first-frame.png");
        std::vector<std::string> argv{binPath("kiosk"), "--db", m_db, "--screenshot", first};
        argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
        // The kiosk's frame log (kiosk/app/bench_hooks.h) says when it has drawn every touch sent
        // and gone to sleep: the test waits for that instead of for a guessed time.
        m_frames = m_dir.file("frames.log");
        setenv("KIOSK_BENCH_FRAMES", m_frames.c_str(), 1);
        m_kiosk = std::make_unique<Child>(argv, m_dir.file("kiosk.log"));
        unsetenv("KIOSK_BENCH_FRAMES");
        // The program saves its third frame: then it is drawing.
        for (int i = 0; i < 600 && !fs::exists(first) && m_kiosk->running(); ++i) sleepMs(25);
        REQUIRE(m_kiosk->running());
        REQUIRE(fs::exists(first));
        REQUIRE(waitSettled());
    }

    // The last line of the kiosk's frame log: whether it went to sleep there, and how many button
    // changes it had handed to ImGui by then.
    struct FrameLine {
        bool idle = false;
        long long buttons = -1;
    };
    FrameLine lastFrameLine() const {
        std::ifstream in(m_frames, std::ios::binary);
        in.seekg(0, std::ios::end);
        const std::streamoff size = in.tellg();
        if (size <= 0) return {};
        const std::streamoff from = std::max<std::streamoff>(0, size - 256);
        in.seekg(from);
        std::string tail(size_t(size - from), '\0');
        in.read(tail.data(), std::streamsize(tail.size()));
        if (tail.empty() || tail.back() != '\n') return {};  // a line being written
        tail.pop_back();
        std::istringstream line(
            tail.substr(tail.rfind('\n') == std::string::npos ? 0 : tail.rfind('\n') + 1));
        std::string word;
        FrameLine out;
        double a = 0, b = 0;
        long long n = 0;
        if (!(line >> word)) return {};
        if (word == "idle" && line >> n >> out.buttons) out.idle = true;
        if (word == "frame" && !(line >> a >> b >> out.buttons)) out.buttons = -1;
        return out;
    }
    // Until the kiosk has taken every touch sent and drawn what they changed, then gone to sleep;
    // false after limitS (it is still drawing: a glide, a countdown, or it hangs).
    bool waitSettled(double limitS = 30) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(limitS);
        while (std::chrono::steady_clock::now() < until) {
            const FrameLine last = lastFrameLine();
            if (last.idle && last.buttons >= m_buttons) return true;
            if (!m_kiosk->running()) return false;
            sleepMs(10);
        }
        return false;
    }
    // The frame log's size: waitRedrawn(mark) waits for a frame drawn after this.
    std::streamoff frameLogSize() const {
        std::error_code ec;
        const auto size = fs::file_size(m_frames, ec);
        return ec ? 0 : std::streamoff(size);
    }
    // Until the kiosk has drawn again after `mark` (something other than a touch woke it: the
    // printer's answer, a timer), then settled; false after limitS.
    bool waitRedrawn(std::streamoff mark, double limitS) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(limitS);
        while (frameLogSize() <= mark && std::chrono::steady_clock::now() < until) sleepMs(10);
        return frameLogSize() > mark && waitSettled();
    }
    // Until the kiosk has handed all but the last `behind` button changes sent to ImGui.
    void waitButtonsTaken(long long behind) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (lastFrameLine().buttons < m_buttons - behind && std::chrono::steady_clock::now() < until)
            sleepMs(5);
    }

    // Replays the twin's touches on the real program.
    void mirror(UiHarness& twin) {
        twin.onPointer = [this](ImVec2 p, bool down) {
            const std::string x = std::to_string(int(p.x));
            const std::string y = std::to_string(int(p.y));
            if (down && !m_down) {
                xdo({"mousemove", x, y, "mousedown", "1"});
                ++m_buttons;
                m_moved = false;
            } else if (down) {
                xdo({"mousemove", x, y});
                m_moved = true;
                sleepMs(15);
            } else if (m_down) {
                // Held still before lifting, as a finger that stops would be (no glide): long
                // enough for the last moves to arrive (moves are not counted in the frame log), then
                // until the slow llvmpipe frames have drawn them.
                if (m_moved) {
                    sleepMs(700);
                    waitSettled(5);
                }
                xdo({"mousemove", x, y, "mouseup", "1"});
                ++m_buttons;
                // The kiosk's pointer queue keeps the order, so the next touches may be sent while it
                // draws these (a tap takes it three frames, ~100 ms each at 1080p): the wait only keeps
                // it within three taps of its twin; shot() and waitSettled() wait for all of them.
                waitButtonsTaken(6);
            } else {
                xdo({"mousemove", x, y});
            }
            m_down = down;
        };
    }

    // A photograph once the kiosk has drawn every touch sent and gone to sleep (llvmpipe needs
    // ~100 ms a frame at 1080p; a tap takes a few).
    void shot(const std::string& name) {
        CHECK(waitSettled());
        const auto r = runProgram(m_import, {"-display", ":" + std::to_string(m_display), "-window", "root",
                                             (m_artifacts / ("e2e-" + name + ".png")).string()});
        CHECK(r.exitCode == 0);
    }

    void xdo(const std::vector<std::string>& args) {
        const auto r = runProgram(m_xdotool, args);
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }

    int display() const { return m_display; }
    Child& kiosk() { return *m_kiosk; }
    const std::string& xdotool() const { return m_xdotool; }

private:
    testing_support::TempDir m_dir;
    fs::path m_artifacts;
    std::string m_db;
    std::string m_xvfb, m_xdotool, m_import;
    int m_display = -1;
    std::unique_ptr<Child> m_server;
    std::unique_ptr<Child> m_kiosk;
    std::string m_frames;     // KIOSK_BENCH_FRAMES of the kiosk
    long long m_buttons = 0;  // button changes sent with xdotool
    bool m_down = false;
    bool m_moved = false;
};

// The officer cb01 (PIN 2468101214, as every test here registers) logs in from Home.
void logInOfficer(UiHarness& twin) {
    twin.tap("home.officer");
    twin.tap("officer.id");
    twin.typeKeys("cb01");
    twin.tap("kb.done");
    twin.typeDigits("2468101214");
    twin.tap("officer.submit");
    REQUIRE(twin.screen() == ScreenId::Officer);
}

}  // namespace

TEST_CASE("end to end: a petition tapped through the real kiosk under Xvfb is in the database") {
    RealKiosk real;
    // The shortest idle times the settings file takes, so the privacy reset of the real program is
    // seen too.
    std::ofstream(real.file("kiosk.conf")) << "idle_seconds = 5\ncountdown_seconds = 5\n";
    real.start({"--config", real.file("kiosk.conf")});
    // Idle CPU on a quiet Home: reported, not asserted (the machine is shared).
    const double cpu0 = cpuSeconds(real.kiosk().pid());
    sleepMs(2000);
    const double idleCpu = cpuSeconds(real.kiosk().pid()) - cpu0;
    std::ofstream(real.artifacts() / "e2e-idle-cpu.txt")
        << "CPU seconds used by an idle kiosk on Home over 2 s: " << idleCpu << "\n";
    real.shot("home");

    UiHarness twin({}, real.db());
    real.mirror(twin);
    twin.tap("home.submit");
    real.shot("kind");
    twin.tap("petition.kind.kien-nghi");
    twin.tap("petition.name");
    twin.typeKeys("Nguyeenx Vawn An");
    real.shot("identity-keyboard");
    twin.tap("petition.phone");
    twin.typeDigits("0912345678");
    real.shot("identity-numeric-pad");
    twin.tap("pad.done");
    twin.tap("petition.privacy");
    real.shot("identity");
    twin.tap("petition.next");
    twin.tap("petition.content");
    twin.typeKeys("Ddeef nghij suwra dduwowngf thoon 3.");
    real.shot("content");
    twin.tap("kb.done");
    twin.tap("petition.next");
    real.shot("review");
    twin.tap("petition.next");
    real.shot("confirm");
    twin.tap("petition.send");
    REQUIRE(twin.screen() == ScreenId::Receipt);
    real.shot("receipt");
    const auto lastTouch = std::chrono::steady_clock::now();  // the kiosk settled after it
    REQUIRE(real.kiosk().running());

    // The petition is in the real kiosk's database.
    auto list = real.ctl({"list", "--json"});
    const auto records = nlohmann::json::parse(list.out);
    REQUIRE(records.size() == 1);
    CHECK(records[0]["kind"] == "kien-nghi");
    CHECK(records[0]["status"] == "received");
    const std::string code = records[0]["code"];
    real.ctl({"status", code, "--phone-last4", "5678", "--json"});

    // Nobody touches the receipt: the overlay counts down, then Home returns (the loop wakes itself
    // for the idle deadline and each second of the countdown).
    // The clock is the condition here: 5 s without a touch, then 5 s of countdown.
    std::this_thread::sleep_until(lastTouch + std::chrono::milliseconds(6500));
    real.shot("idle-overlay");
    std::this_thread::sleep_until(lastTouch + std::chrono::milliseconds(11500));
    real.shot("after-idle");

    // Kiosk mode: a window manager's close request (Alt+F4) and Escape do not end the program.
    auto found = runProgram(real.xdotool(), {"search", "--name", "dịch vụ"});
    REQUIRE(found.exitCode == 0);
    CHECK(testing_support::askWindowToClose(real.display(), std::stoul(found.out)));
    runProgram(real.xdotool(), {"key", "alt+F4", "Escape"});
    sleepMs(800);
    CHECK(real.kiosk().running());
}

TEST_CASE("end to end: every screen of the real kiosk, photographed") {
    RealKiosk real;
    real.ctl({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, "2468101214\n");
    auto submitted =
        real.ctl({"submit-petition", "--type", "khieu-nai", "--phone", "0912345678", "--name",
                  "Nguyễn Thị Hoa", "--cccd", "008190001234", "--address", "Thôn 3, xã Yên Thuận",
                  "--content", "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất."});
    std::string code = submitted.out;
    while (!code.empty() && (code.back() == '\n' || code.back() == ' ')) code.pop_back();
    REQUIRE(code.size() == 16);
    real.start({"--config", "/dev/null"});
    UiHarness twin({}, real.db());
    real.mirror(twin);

    twin.tap("text.size");
    real.shot("home-large-text");
    twin.tap("text.size");
    twin.tap("lang.switch");
    real.shot("home-english");
    twin.tap("lang.switch");

    twin.tap("home.check");
    twin.typeDigits(code);
    twin.tap("pad.done");
    twin.typeDigits("5678");
    real.shot("status-input");
    twin.tap("status.submit");
    REQUIRE(twin.ui().statusScreen().showingResult());
    real.shot("status-result");
    twin.tap("status.home");

    twin.tap("home.procedures");
    real.shot("procedures");
    twin.tap("proc.search");
    twin.typeKeys("khai sinh");
    twin.tap("kb.done");
    real.shot("procedures-search");
    REQUIRE_FALSE(twin.ui().proceduresScreen().hits().empty());
    twin.tap("proc.item." + twin.ui().proceduresScreen().hits().front().id);
    real.shot("procedure-detail");
    twin.tap("top.back");
    twin.tap("top.back");

    twin.tap("home.officer");
    twin.tap("officer.id");
    twin.typeKeys("cb01");
    twin.tap("kb.done");
    twin.typeDigits("2468101214");
    real.shot("officer-login");
    twin.tap("officer.submit");
    REQUIRE(twin.screen() == ScreenId::Officer);
    real.shot("officer-queue");  // the real kiosk derives the PIN key too (argon2id)
    twin.tap("queue.row." + code);
    real.shot("officer-record");
    twin.tap("record.action.accept");
    twin.tap("record.confirm");
    real.shot("officer-record-accepted");
    twin.tap("top.back");
    twin.tap("officer.tab.register");
    real.shot("officer-register-dossier");
    twin.tap("officer.tab.settings");
    real.shot("officer-settings");
    twin.tap("officer.exit");
    real.shot("officer-exit-confirm");
    twin.tap("officer.exit_confirm.no");
    twin.tap("officer.logout");
    auto status = real.ctl({"status", code, "--phone-last4", "5678", "--json"});
    CHECK(nlohmann::json::parse(status.out)["status"] == "accepted");

    // The officer ends the program from the console (kiosk mode's only way out).
    logInOfficer(twin);
    REQUIRE(real.waitSettled());  // the real kiosk derives the PIN key too (argon2id)
    twin.tap("officer.exit");
    twin.tap("officer.exit_confirm.yes");
    for (int i = 0; i < 100 && real.kiosk().running(); ++i) sleepMs(50);
    CHECK_FALSE(real.kiosk().running());
}

TEST_CASE("end to end: the desk marks a petition signed and takes a dossier without a phone") {
    RealKiosk real;
    real.ctl({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, "2468101214\n");
    auto submitted = real.ctl({"submit-petition", "--type", "khieu-nai", "--phone", "0912345678", "--name",
                               "Nguyễn Thị Hoa", "--cccd", "008190001234", "--address", "Thôn 3", "--content",
                               "Khiếu nại việc cấp đất."});
    const std::string code = submitted.out.substr(0, 16);
    real.start({"--config", "/dev/null"});
    UiHarness twin({}, real.db());
    real.mirror(twin);
    logInOfficer(twin);
    REQUIRE(real.waitSettled());  // the real kiosk derives the PIN key too (argon2id)
    twin.tap("queue.row." + code);
    twin.tap("record.action.mark-signed");
    twin.tap("record.confirm");
    real.shot("officer-record-marked-signed");
    twin.tap("top.back");
    twin.tap("officer.tab.register");
    twin.tap("dossier.search");
    twin.typeKeys("khai sinh");
    twin.tap("kb.done");
    std::string first;
    for (const auto& [id, entry] : twin.ui().widgets().all())
        if (id.rfind("dossier.proc.", 0) == 0 && (first.empty() || entry.min.y < twin.center(first).y))
            first = id;
    REQUIRE_FALSE(first.empty());
    twin.tap(first);
    twin.tap("dossier.name");
    twin.typeKeys("Ddinh Vawn Tuaans");
    twin.tap("kb.done");
    twin.tap("dossier.no_phone");
    real.shot("dossier-no-phone");
    twin.tap("dossier.submit");
    REQUIRE(twin.screen() == ScreenId::Receipt);
    REQUIRE(twin.ui().receiptScreen().receipt()->checkPin.size() == 4);
    real.shot("dossier-receipt-check-pin");
    twin.tap("receipt.done");
    // What the real program stored: the mark on the petition's history, a dossier with no phone.
    const auto status =
        nlohmann::json::parse(real.ctl({"status", code, "--phone-last4", "5678", "--json"}).out);
    REQUIRE(status["history"].size() == 2);
    CHECK(status["history"][1]["action"] == "mark-signed");
    CHECK(status["status"] == "received");
    int dossiers = 0;
    for (const auto& r : nlohmann::json::parse(real.ctl({"list", "--json"}).out))
        dossiers += r["kind"] == "dossier";
    CHECK(dossiers == 1);
}

TEST_CASE("end to end: a second-time complaint tapped through the real kiosk names the first one") {
    RealKiosk real;
    auto first = real.ctl({"submit-petition", "--type", "khieu-nai", "--phone", "0912345678", "--name",
                           "Nguyễn Văn An", "--cccd", "008190001234", "--address", "Thôn 3", "--content",
                           "Khiếu nại quyết định thu hồi đất."});
    std::string firstCode = first.out;
    while (!firstCode.empty() && (firstCode.back() == '\n' || firstCode.back() == ' ')) firstCode.pop_back();
    const std::string firstDigits = kiosk::parseReceiptCode(firstCode)->digits;
    real.start();
    UiHarness twin({}, real.db());
    real.mirror(twin);
    twin.tap("home.submit");
    twin.tap("petition.kind.khieu-nai");
    twin.tap("petition.name");
    twin.typeKeys("Nguyeenx Vawn An");
    twin.tap("petition.cccd");
    twin.typeDigits("008190001234");
    twin.tap("petition.phone");
    twin.typeDigits("0912345678");
    twin.tap("pad.done");
    twin.tap("petition.privacy");
    REQUIRE(twin.reveal("petition.address"));
    twin.tap("petition.address");
    twin.typeKeys("Thoon 3");
    twin.tap("kb.done");
    REQUIRE(twin.reveal("petition.second_time"));
    twin.tap("petition.second_time");
    REQUIRE(twin.reveal("petition.first_code"));
    twin.tap("petition.first_code");
    twin.typeDigits("0237400000000017");  // a code no complaint here carries
    real.shot("second-time-keypad");
    twin.tap("pad.done");
    twin.tap("petition.next");
    REQUIRE(twin.ui().petitionScreen().step() == kiosk::ui::PetitionScreen::Step::Identity);
    REQUIRE(twin.reveal("petition.first_code"));
    real.shot("second-time-unknown-code");
    twin.tap("petition.first_code");
    twin.tap("pad.clear");
    twin.typeDigits(firstDigits);
    twin.tap("pad.done");
    twin.tap("petition.next");
    REQUIRE(twin.ui().petitionScreen().step() == kiosk::ui::PetitionScreen::Step::Content);
    twin.tap("petition.content");
    twin.typeKeys("Khieeus naij laanf hai.");
    twin.tap("kb.done");
    twin.tap("petition.next");
    real.shot("second-time-review");
    twin.tap("petition.next");
    twin.tap("petition.send");
    REQUIRE(twin.screen() == ScreenId::Receipt);
    real.shot("second-time-receipt");
    REQUIRE(real.kiosk().running());

    // The real kiosk stored it, naming the first complaint.
    const auto records = nlohmann::json::parse(real.ctl({"list", "--json"}).out);
    REQUIRE(records.size() == 2);
    std::string second;
    for (const auto& r : records)
        if (r["code"] != firstDigits) second = r["code"];
    REQUIRE_FALSE(second.empty());
    auto status = nlohmann::json::parse(real.ctl({"status", second, "--phone-last4", "5678", "--json"}).out);
    CHECK(status["first_code"] == firstDigits);
}

namespace {

// A kiến nghị with a phone and a line of content, tapped on the twin (and so on the real kiosk),
// until the real kiosk shows the receipt.
void tapPetition(RealKiosk& real, UiHarness& twin) {
    twin.tap("home.submit");
    twin.tap("petition.kind.kien-nghi");
    twin.tap("petition.phone");
    twin.typeDigits("0912345678");
    twin.tap("pad.done");
    twin.tap("petition.privacy");
    twin.tap("petition.next");
    twin.tap("petition.content");
    twin.typeKeys("Ddeef nghij suwra ddeef.");
    twin.tap("kb.done");
    twin.tap("petition.next");
    twin.tap("petition.next");
    twin.tap("petition.send");
    REQUIRE(twin.screen() == ScreenId::Receipt);
    REQUIRE(real.waitSettled());
}

// The journal's rows as status<TAB>reason code, oldest first.
std::vector<std::string> journal(const std::string& db) {
    auto opened = kiosk::store::Database::open(db, false);
    REQUIRE(opened.ok());
    auto st = opened->prepare("SELECT status, reason FROM papers ORDER BY id");
    REQUIRE(st.ok());
    std::vector<std::string> rows;
    while (*st->step()) rows.push_back(st->text(0) + "\t" + st->text(1).substr(0, st->text(1).find('\t')));
    return rows;
}

// Until the papers journal holds `expected` (the print thread has its printer's answer), at most
// 30 s; the caller checks it.
void waitJournal(const std::string& db, const std::vector<std::string>& expected) {
    for (int i = 0; i < 3000 && journal(db) != expected; ++i) sleepMs(10);
}

}  // namespace

TEST_CASE("end to end: after Gửi đơn the real kiosk prints the slip, and shows a printer fault") {
    RealKiosk real;
    testing_support::TempDir cupsDir;
    testing_support::PrivateCups cups;  // CUPS_SERVER reaches the kiosk it starts
    cups.addPdfPrinter("kiosk_slip");
    real.ctl({"init", "--commune", "02374", "--printer", "kiosk_slip", "--paper", "roll80"});
    real.start();

    UiHarness twin({}, real.db());
    real.mirror(twin);
    tapPetition(real, twin);
    auto list = nlohmann::json::parse(real.ctl({"list", "--json"}).out);
    REQUIRE(list.size() == 1);
    const std::string code = list[0]["code"];
    // The slip comes out of the printer (cups-pdf), and the receipt says so.
    const auto printed = cups.takeOutput(cupsDir.path(), kiosk::formatReceiptCode(code));
    CHECK(printed.size() == 1);
    const std::streamoff mark = real.frameLogSize();
    waitJournal(real.db(), {"printed\t"});
    real.waitRedrawn(mark, 2);  // the answer wakes the loop, maybe before `mark` already
    real.shot("receipt-slip-printed");
    CHECK(journal(real.db()) == std::vector<std::string>{"printed\t"});
    if (!printed.empty())
        runProgram("/usr/bin/pdftoppm", {"-png", "-r", "110", "-singlefile", printed.front(),
                                         (real.artifacts() / "e2e-printed-slip").string()});

    // The printer stops: the next citizen's receipt keeps the code and QR large and says to tell
    // the officer; the slip is journaled as failed with the reason.
    twin.tap("receipt.done");
    cups.disable("kiosk_slip");
    tapPetition(real, twin);
    const std::streamoff failedMark = real.frameLogSize();
    waitJournal(real.db(), {"printed\t", "failed\tprinter.stopped"});
    real.waitRedrawn(failedMark, 2);
    real.shot("receipt-printer-fault");
    CHECK(journal(real.db()) == std::vector<std::string>{"printed\t", "failed\tprinter.stopped"});
    CHECK(real.kiosk().running());
}

namespace {

// The pixels of a rectangle of the real kiosk's screen, as raw RGB (import from imagemagick).
std::string screenPixels(const RealKiosk& real, ImVec2 min, ImVec2 max) {
    const std::string crop = std::to_string(int(max.x - min.x)) + "x" + std::to_string(int(max.y - min.y)) +
                             "+" + std::to_string(int(min.x)) + "+" + std::to_string(int(min.y));
    const auto r = runProgram("/usr/bin/import", {"-display", ":" + std::to_string(real.display()), "-window",
                                                  "root", "-crop", crop, "rgb:-"});
    REQUIRE(r.exitCode == 0);
    return r.out;
}

// Milliseconds until the rectangle shows something else than `before` (-1: not within 10 s).
double msUntilChanged(const RealKiosk& real, ImVec2 min, ImVec2 max, const std::string& before) {
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (screenPixels(real, min, max) != before) return ms;
        if (ms > 10000) return -1;
        sleepMs(20);
    }
}

}  // namespace

TEST_CASE("end to end: Nghe on the real kiosk never hangs it, and the pictograms photographed") {
    RealKiosk real;
    real.start({"--config", "/dev/null"});
    UiHarness twin({}, real.db());
    // The twin needs the same top bar; its speaker has no device, as the real one here may not.
    kiosk::voice::Speaker speaker([] { return kiosk::voice::deviceSink("kiosk-test-no-such-device"); });
    twin.ui().setSpeaker(&speaker);
    twin.frames(2);
    real.mirror(twin);
    REQUIRE(twin.has("voice.listen"));
    const auto* button = twin.ui().widgets().find("voice.listen");
    const ImVec2 min = button->min, max = button->max;
    const std::string before = screenPixels(real, min, max);
    twin.tap("voice.listen");
    // With a loudspeaker the label turns to "Dừng đọc", without one to "Không đọc được": either way
    // the kiosk draws a new frame instead of waiting for the sound.
    const double changedMs = msUntilChanged(real, min, max, before);
    std::cout << "voice: a frame after the tap on Nghe in " << changedMs << " ms\n";
    CHECK(changedMs >= 0);
    CHECK(changedMs < 3000);
    real.shot("voice-after-tap");
    // And it still answers the next touch.
    const auto* lang = twin.ui().widgets().find("lang.switch");
    const ImVec2 langMin = lang->min, langMax = lang->max;
    const std::string vi = screenPixels(real, langMin, langMax);
    twin.tap("lang.switch");
    CHECK(msUntilChanged(real, langMin, langMax, vi) >= 0);
    twin.tap("lang.switch");
    REQUIRE(real.kiosk().running());

    for (const bool large : {false, true}) {
        for (const bool english : {false, true}) {
            const std::string variant = std::string(english ? "en" : "vi") + (large ? "-large" : "");
            // Back Home keeps the visit's language and size: set each as this variant wants.
            if (twin.ui().context().largeText != large) twin.tap("text.size");
            if ((twin.ui().context().lang == kiosk::Lang::En) != english) twin.tap("lang.switch");
            real.shot("pictograms-home-" + variant);
            twin.tap("home.submit");
            real.shot("pictograms-kinds-" + variant);
            twin.tap("top.back");
            REQUIRE(twin.screen() == ScreenId::Home);
        }
    }
    CHECK(real.kiosk().running());
}

// The 2025 map, photographed: a kiosk set up from assets whose unit map and words are those of
// maps/tuyen-quang-2025/, enrolled under 02383 (Xã Minh Khương), which that map ends on 2025-06-30
// with no succession (none is shipped). The home screen names the commune in a sentence ("Ủy ban nhân
// dân xã Minh Khương"); the officer console says nobody holds the unit's records. For looking at:
// build/test-artifacts/e2e-2025-*.png.
TEST_CASE("end to end: the kiosk under the 2025 map, photographed") {
    testing_support::TempDir assets;
    const fs::path map2025 = assets.path() / "assets";
    fs::copy(kiosk::assetsDir(), map2025, fs::copy_options::recursive);
    for (const char* name : {"units.tsv", "words.tsv"})
        fs::copy_file(kiosk::assetsDir() / "maps" / "tuyen-quang-2025" / name, map2025 / name,
                      fs::copy_options::overwrite_existing);
    setenv("KIOSK_ASSETS", map2025.c_str(), 1);
    struct Unset {
        ~Unset() { unsetenv("KIOSK_ASSETS"); }
    } unset;
    RealKiosk real("02383");
    real.ctl({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, "2468101214\n");
    auto state = nlohmann::json::parse(real.ctl({"sync", "--state", "--json"}).out);
    REQUIRE(state.contains("commune_orphaned"));
    CHECK(state["commune_orphaned"]["since"] == "2025-07-01");
    real.start({"--config", "/dev/null"});
    UiHarness twin({}, real.db());
    real.mirror(twin);
    real.shot("2025-home");
    logInOfficer(twin);
    real.shot("2025-officer-queue");
    twin.tap("officer.logout");
}

// The citizen's screens as a villager meets them, on the real program, in both sizes and both
// languages (build/test-artifacts/e2e-walk-<variant>-*.png): the field being typed into above the
// number pad, the banner after "Tiếp tục" with a mistake, a search typed wrong, the status check,
// "Gọi cán bộ" and, once, the officer's console with the call and a due-soon row.
TEST_CASE("end to end: the citizen's screens in large text and in English, photographed") {
    RealKiosk real;
    real.ctl({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, "2468101214\n");
    real.start({"--config", "/dev/null"});
    UiHarness twin({}, real.db());
    // The twin needs the same top bar: a "Nghe" button whose speaker has no device, tapped once so
    // both say "Không đọc được" (the real one may find no loudspeaker either).
    kiosk::voice::Speaker speaker([] { return kiosk::voice::deviceSink("kiosk-test-no-such-device"); });
    twin.ui().setSpeaker(&speaker);
    twin.frames(2);
    real.mirror(twin);
    twin.tap("voice.listen");
    for (int i = 0; i < 100 && !twin.ui().context().listen.unavailable; ++i) {
        sleepMs(20);
        twin.frame();
    }
    for (const bool large : {false, true}) {
        for (const bool english : {false, true}) {
            const std::string variant = std::string(english ? "en" : "vi") + (large ? "-large" : "");
            const auto shot = [&](const std::string& name) { real.shot("walk-" + variant + "-" + name); };
            if (twin.ui().context().largeText != large) twin.tap("text.size");
            if ((twin.ui().context().lang == kiosk::Lang::En) != english) twin.tap("lang.switch");
            shot("home");
            twin.tap("home.procedures");
            twin.tap("proc.search");
            twin.typeKeys("khai xinh");
            twin.tap("kb.done");
            REQUIRE(twin.ui().proceduresScreen().hits().front().id == "1.001193");
            shot("search");
            twin.tap("top.back");
            twin.tap("home.submit");
            shot("kinds");
            twin.tap("petition.kind.khieu-nai");
            twin.tap("petition.cccd");
            shot("cccd-pad");
            twin.tap("pad.done");
            shot("phone-pad");
            twin.tap("pad.done");
            twin.tap("kb.done");
            twin.tap("petition.next");
            CHECK(twin.has("petition.errors"));
            shot("mistakes");
            twin.tap("petition.cancel");
            twin.tap("petition.cancel_confirm.yes");
            twin.tap("home.check");
            shot("status");
            twin.tap("help.call");
            REQUIRE(twin.ui().helpNoticeShown());
            shot("help");
            twin.tap("help.notice.yes");
            twin.tap("top.back");
            REQUIRE(twin.screen() == ScreenId::Home);
            CHECK(twin.ui().context().largeText == large);  // held for the visit
        }
    }
    logInOfficer(twin);
    real.shot("walk-officer-help");
    twin.tap("officer.help.clear");
    twin.tap("officer.logout");
    CHECK(real.kiosk().running());
}

// The district finds the kiosk too old (KIOSK_TEST_REPORT_VERSION makes the real kiosk's engine
// report a version below protocol::kMinimumKioskVersion to a real district-server): the citizen's
// connectivity line says in plain words that the kiosk needs an update and nothing typed is lost,
// and the officer's console shows the district's words, in Vietnamese and in English.
// Photographed: build/test-artifacts/e2e-too-old-*.png.
TEST_CASE("end to end: a kiosk the real district finds too old says so on Home and the console") {
    RealKiosk real;
    testing_support::TempDir districtDir;
    const std::string districtDb = districtDir.file("district.db");
    const e2e::Enrolled enrolled = e2e::enroll(districtDb, "02374");
    e2e::DistrictProcess district(districtDb);
    district.start();
    real.ctl({"init", "--commune", "02374", "--server", "http://127.0.0.1:" + std::to_string(district.port()),
              "--token", enrolled.token, "--slot", enrolled.slot});
    real.ctl({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, "2468101214\n");
    setenv("KIOSK_TEST_REPORT_VERSION", "0.1.1", 1);  // below the minimum ("0.1.0" names no release)
    real.start({"--config", "/dev/null"});
    unsetenv("KIOSK_TEST_REPORT_VERSION");
    // The engine's first pass (once the first frame is up) brings the district's answer.
    nlohmann::json state;
    for (int i = 0; i < 300; ++i) {
        state = nlohmann::json::parse(real.ctl({"sync", "--state", "--json"}).out);
        if (state.contains("too_old")) break;
        sleepMs(50);
    }
    REQUIRE(state.contains("too_old"));
    CHECK(state["too_old"]["code"] == "kiosk.too-old");

    // The twin reads the same state from its copy of the database; the real kiosk from its engine.
    UiHarness twin({}, real.db());
    real.mirror(twin);
    const kiosk::Strings& strings = testing_support::uiStrings();
    const auto told = twin.controller().connectivity().tooOld;
    REQUIRE(told.has_value());
    CHECK(twin.drew(strings.get("home.too_old", kiosk::Lang::Vi)));
    real.shot("too-old-home");
    twin.tap("lang.switch");
    CHECK(twin.drew(strings.get("home.too_old", kiosk::Lang::En)));
    real.shot("too-old-home-english");
    twin.tap("lang.switch");

    logInOfficer(twin);
    CHECK(twin.drew(told->vi));
    real.shot("too-old-officer");
    twin.tap("officer.logout");
    CHECK(real.kiosk().running());
}
