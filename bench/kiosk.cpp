// bench_kiosk: kiosk.first_frame_ms, kiosk.idle_cpu_percent, kiosk.pss_mb, kiosk.ui_cpu_p99_ms,
// kiosk.frame_p99_ms — the real `kiosk` program under an Xvfb of its own (1920x1080x24, Mesa
// llvmpipe, LIBGL_ALWAYS_SOFTWARE=1), measured from outside through /proc and through the kiosk's
// measurement hooks (KIOSK_BENCH_FRAMES / _OFFICER / _SCROLL, see kiosk/app/main.cpp).
//
//   bench_kiosk [--quick] [--dir DIR] [--display N] [--no-chromium] [--keep]
//
// Peers, in the same run and the same Xvfb:
//   empty-window   — bench_empty_window (bench/empty_window.cpp): GLFW + OpenGL 3 + Dear ImGui 1.86,
//                    an empty full-screen ImGui window in ImGui's example loop; measured the same way.
//   chromium-kiosk — Debian's /usr/bin/chromium --kiosk showing a static HTML page of the home screen;
//                    PSS and CPU summed over all its processes (idle_cpu_percent and pss_mb only).
// How each figure is taken:
//   first_frame_ms   CLOCK_MONOTONIC just before fork() to the "first_frame_ns" line the program
//                    writes after its first glfwSwapBuffers (kiosk on Home; 5 runs, --quick 3).
//   idle_cpu_percent utime+stime of the process (all threads) over 60 s (--quick 10 s) on Home with
//                    no input, starting 3 s after the first frame.
//   pss_mb           /proc/PID/smaps_rollup Pss, 3 s after the first frame of the officer console
//                    opened on a queue of 10,000 records (KIOSK_BENCH_OFFICER).
//   ui_cpu_p99_ms    per-frame thread CPU time from ImGui::NewFrame to ImGui::Render while a synthetic
//                    finger drags that queue (KIOSK_BENCH_SCROLL, 1,000 frames; --quick 200; the first
//                    10 frames, which upload the font atlas and load the queue, are left out).
//   frame_p99_ms     the wall time of those same frames, poll to after the swap, at 1920x1080.
// Not a test: it reports. Exit 1 only when something could not run at all.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "core/reference_data.h"
#include "core/validation.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/officers.h"

using namespace kiosk;

namespace {

constexpr const char* kOfficer = "cb01:2468101214";

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_kiosk: %s\n", what.c_str());
    std::exit(1);
}

int64_t monotonicNs() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return int64_t(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

void sleepS(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

std::string binDir() { return std::filesystem::read_symlink("/proc/self/exe").parent_path().string(); }

// fork + exec with extra environment variables; stdout/stderr to `log`.
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const std::string& log) {
    const pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        setpgid(0, 0);  // its own group: chromium's helpers are stopped with it
        // If bench_kiosk itself is killed (collect.py's time limit), nothing it started stays behind.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
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
    setpgid(pid, pid);
    return pid;
}

// Stops the process group `pid` leads (only processes this program started) and reaps the leader.
void stop(pid_t pid) {
    if (pid <= 0) return;
    kill(-pid, SIGTERM);
    for (int i = 0; i < 100; ++i) {
        const pid_t reaped = waitpid(pid, nullptr, WNOHANG);
        if (reaped == pid || (reaped < 0 && errno == ECHILD)) {
            kill(-pid, SIGKILL);  // helpers left behind
            return;
        }
        sleepS(0.05);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

// Waits for the program's "first_frame_ns" line; returns it, or 0 after `limitS`.
int64_t waitFirstFrame(const std::string& file, pid_t pid, double limitS) {
    const double until = bench::nowMs() + limitS * 1000;
    while (bench::nowMs() < until) {
        std::ifstream in(file);
        std::string word;
        int64_t ns = 0;
        while (in >> word)
            if (word == "first_frame_ns" && (in >> ns)) return ns;
        if (waitpid(pid, nullptr, WNOHANG) == pid) return 0;
        sleepS(0.005);
    }
    return 0;
}

struct FrameTimes {
    std::vector<double> uiCpu, frame;
};

FrameTimes readFrames(const std::string& file, size_t skip) {
    FrameTimes t;
    std::ifstream in(file);
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
        std::istringstream l(line);
        std::string word;
        double cpu = 0, wall = 0;
        if (!(l >> word) || word != "frame" || !(l >> cpu >> wall)) continue;
        if (n++ < skip) continue;
        t.uiCpu.push_back(cpu);
        t.frame.push_back(wall);
    }
    return t;
}

pid_t parentOf(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close = all.rfind(')');
    if (close == std::string::npos || close + 4 >= all.size()) return 0;
    return std::atoi(all.c_str() + close + 4);  // ") S PPID"
}

// The leader and every process in its group or below it (chromium forks helpers, some of which
// leave the group).
std::vector<pid_t> group(pid_t leader) {
    std::map<pid_t, pid_t> parents;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const pid_t pid = std::atoi(name.c_str());
        parents[pid] = parentOf(pid);
    }
    std::vector<pid_t> pids;
    for (const auto& [pid, parent] : parents) {
        bool mine = getpgid(pid) == leader;
        for (pid_t p = pid; !mine && p > 1; p = parents.count(p) ? parents[p] : 0) mine = p == leader;
        if (mine) pids.push_back(pid);
    }
    return pids;
}

double pssMb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string key;
    double kb = 0;
    while (in >> key) {
        if (key == "Pss:") {
            in >> kb;
            return kb / 1024;
        }
    }
    return 0;
}

double groupPssMb(pid_t pgid) {
    double sum = 0;
    for (pid_t p : group(pgid)) sum += pssMb(p);
    return sum;
}

// utime + stime in clock ticks (fields 14 and 15 of /proc/PID/stat).
int64_t cpuTicks(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close = all.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream rest(all.substr(close + 2));
    std::string field;
    int64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::atoll(field.c_str());
        if (i == 15) stime = std::atoll(field.c_str());
    }
    return utime + stime;
}

int64_t groupTicks(pid_t pgid) {
    int64_t sum = 0;
    for (pid_t p : group(pgid)) sum += cpuTicks(p);
    return sum;
}

double idlePercent(pid_t pgid, double seconds) {
    const int64_t t0 = groupTicks(pgid);
    const double w0 = bench::nowMs();
    sleepS(seconds);
    const int64_t t1 = groupTicks(pgid);
    const double wall = (bench::nowMs() - w0) / 1000;
    return 100.0 * double(t1 - t0) / double(sysconf(_SC_CLK_TCK)) / wall;
}

// A kiosk database of commune 02374 with one officer and n open petitions in its queue.
void makeKioskDb(const std::string& path, int n) {
    std::filesystem::remove(path);
    auto ref = loadReferenceData(assetsDir());
    if (!ref) die(ref.error().en);
    auto s = store::KioskStore::open(path, true);
    if (!s) die(s.error().en);
    store::KioskConfig c;
    c.commune = "02374";
    c.slot = 1;
    if (auto ok = (*s)->configure(c, *ref); !ok) die(ok.error().en);
    const std::string officer = kOfficer;
    const size_t colon = officer.find(':');
    if (auto ok = store::addOfficer(**s, {officer.substr(0, colon), "Nguyễn Văn Bình", "officer", false},
                                    officer.substr(colon + 1));
        !ok)
        die(ok.error().en);
    // How the queue got there is not measured: no fsync per record while filling.
    (*s)->database().exec("PRAGMA synchronous=OFF");
    const char* kinds[] = {"khieu-nai", "to-cao", "kien-nghi", "phan-anh"};
    const int64_t now = int64_t(time(nullptr));
    for (int i = 0; i < n; ++i) {
        PetitionInput in{
            kinds[i % 4],
            "Nguyễn Thị Hoa",
            "008190001234",
            "0912 345 678",
            "Thôn 3, xã Yên Thuận",
            "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất, hồ sơ số " + std::to_string(i)};
        Validation v =
            validatePetition(in, (*s)->reference().cccdProvinces, (*s)->reference().mobilePrefixes);
        if (!v.ok()) die("petition did not validate");
        // Spread over the last 60 days so the queue has overdue, soon-due and later records.
        auto r = (*s)->createRecord(v.record, Actor{Role::Kiosk, ""}, now - int64_t(i % 60) * 86400);
        if (!r) die(r.error().en);
    }
}

// The web kiosk a district would otherwise buy: the home screen as a static page.
void writeHomePage(const std::string& path) {
    std::ofstream out(path);
    out << R"(<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Ki-ốt dịch vụ công</title>
<style>body{margin:0;font-family:"Noto Sans",sans-serif;background:#fafaf6;color:#1b1b1b}
header{display:flex;justify-content:space-between;padding:32px 48px;font-size:28px}
h1{font-size:48px;text-align:center;margin:40px 0}
.b{display:block;width:60%;margin:28px auto;padding:40px;font-size:40px;border-radius:16px;border:0;
background:#1f5f99;color:#fff}.s{font-size:22px;color:#555}footer{position:fixed;bottom:24px;left:48px;font-size:24px}
</style></head><body><header><span>Tiếng Việt | English</span><span>Chữ lớn</span></header>
<h1>Thị trấn Tân Yên — Ki-ốt dịch vụ công</h1>
<button class="b">Gửi đơn thư<br><span class="s">Khiếu nại, tố cáo, kiến nghị, phản ánh</span></button>
<button class="b">Tra cứu hồ sơ<br><span class="s">Nhập mã biên nhận</span></button>
<button class="b">Thủ tục hành chính<br><span class="s">Giấy tờ cần có, thời hạn, lệ phí</span></button>
<footer>● Ngoại tuyến — lần đồng bộ cuối: chưa có · 0 hồ sơ đang chờ gửi</footer></body></html>)";
}

struct Xvfb {
    pid_t pid = 0;
    std::string display;
    Xvfb(int preferred, const std::string& log) {
        for (int n = preferred; n < preferred + 40; ++n) {
            const std::string lock = "/tmp/.X" + std::to_string(n) + "-lock";
            const std::string sock = "/tmp/.X11-unix/X" + std::to_string(n);
            if (std::filesystem::exists(lock) || std::filesystem::exists(sock)) continue;
            display = ":" + std::to_string(n);
            pid = spawn({"/usr/bin/Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"}, {},
                        log);
            for (int i = 0; i < 200; ++i) {
                if (std::filesystem::exists(sock)) return;
                if (waitpid(pid, nullptr, WNOHANG) == pid) break;
                sleepS(0.05);
            }
            stop(pid);
            pid = 0;
        }
        die("could not start Xvfb (is the xvfb package installed? scripts/setup installs it)");
    }
    ~Xvfb() { stop(pid); }
};

}  // namespace

int main(int argc, char** argv) {
    const bool quick = bench::quickMode(argc, argv);
    bool chromium = std::filesystem::exists("/usr/bin/chromium");
    std::string dir;
    int displayNumber = 57;
    bool keep = false;  // leave DIR (frame files, logs, the database) for a look afterwards
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else if (a == "--display" && i + 1 < argc)
            displayNumber = std::atoi(argv[++i]);
        else if (a == "--no-chromium")
            chromium = false;
        else if (a == "--keep")
            keep = true;
    }
    if (dir.empty()) {
        char pattern[] = "/var/tmp/kiosk-bench-ui-XXXXXX";
        if (!mkdtemp(pattern)) die("mkdtemp");
        dir = pattern;
    }
    std::filesystem::create_directories(dir);
    const std::string bin = binDir();
    const std::string kioskBin = bin + "/kiosk", emptyBin = bin + "/bench_empty_window";
    if (!std::filesystem::exists(kioskBin) || !std::filesystem::exists(emptyBin))
        die("kiosk or bench_empty_window is not built next to bench_kiosk");
    const std::string q = quick ? "--quick: " : "";
    const int firstFrameRuns = quick ? 3 : 5;
    const double idleSeconds = quick ? 10 : 60;
    const int scrollFrames = quick ? 200 : 1000;
    const int records = 10000;

    const std::string db = dir + "/kiosk.db";
    const double fillStart = bench::nowMs();
    makeKioskDb(db, records);
    std::fprintf(stderr, "bench_kiosk: %d records in the queue (%.1f s)\n", records,
                 (bench::nowMs() - fillStart) / 1000);
    Xvfb x(displayNumber, dir + "/xvfb.log");
    const std::map<std::string, std::string> baseEnv{
        {"DISPLAY", x.display}, {"LIBGL_ALWAYS_SOFTWARE", "1"}, {"XDG_CONFIG_HOME", dir + "/config"}};
    auto env = [&](std::map<std::string, std::string> extra) {
        extra.insert(baseEnv.begin(), baseEnv.end());
        return extra;
    };
    const std::vector<std::string> kioskArgs{kioskBin, "--db", db};
    const std::vector<std::string> emptyArgs{emptyBin};
    int counter = 0;
    auto framesFile = [&] { return dir + "/frames-" + std::to_string(++counter) + ".txt"; };
    const std::string log = dir + "/programs.log";

    // first_frame_ms, and on the last run of each program, idle CPU on that screen.
    std::vector<double> kioskFirst, emptyFirst;
    double kioskIdle = -1, emptyIdle = -1;
    for (int run = 0; run < firstFrameRuns; ++run) {
        for (int which = 0; which < 2; ++which) {
            const std::string f = framesFile();
            const int64_t t0 = monotonicNs();
            const pid_t pid = which == 0 ? spawn(kioskArgs, env({{"KIOSK_BENCH_FRAMES", f}}), log)
                                         : spawn(emptyArgs, env({{"BENCH_FRAMES", f}}), log);
            const int64_t first = waitFirstFrame(f, pid, 30);
            if (!first) {
                stop(pid);
                die(std::string(which == 0 ? "kiosk" : "empty window") + " drew no frame; see " + log);
            }
            (which == 0 ? kioskFirst : emptyFirst).push_back(double(first - t0) / 1e6);
            if (run == firstFrameRuns - 1) {
                sleepS(3);
                (which == 0 ? kioskIdle : emptyIdle) = idlePercent(pid, idleSeconds);
            }
            stop(pid);
        }
    }

    // pss_mb: the officer console on the 10,000-record queue; the empty window; Chromium.
    double kioskPss = 0, emptyPss = 0, chromiumPss = -1, chromiumIdle = -1;
    {
        const std::string f = framesFile();
        const pid_t pid =
            spawn(kioskArgs, env({{"KIOSK_BENCH_FRAMES", f}, {"KIOSK_BENCH_OFFICER", kOfficer}}), log);
        if (!waitFirstFrame(f, pid, 30)) die("kiosk (officer console) drew no frame; see " + log);
        sleepS(3);
        kioskPss = pssMb(pid);
        stop(pid);
    }
    {
        const std::string f = framesFile();
        const pid_t pid = spawn(emptyArgs, env({{"BENCH_FRAMES", f}}), log);
        if (!waitFirstFrame(f, pid, 30)) die("empty window drew no frame");
        sleepS(3);
        emptyPss = pssMb(pid);
        stop(pid);
    }
    if (chromium) {
        const std::string page = dir + "/home.html";
        writeHomePage(page);
        const pid_t pid = spawn({"/usr/bin/chromium", "--kiosk", "--no-sandbox", "--no-first-run",
                                 "--disable-background-networking", "--disable-component-update",
                                 "--disable-sync", "--disable-quic", "--user-data-dir=" + dir + "/chromium",
                                 "--window-size=1920,1080", "file://" + page},
                                env({}), dir + "/chromium.log");
        sleepS(quick ? 8 : 15);  // start, load, paint; no hook to tell when the page is shown
        chromiumPss = groupPssMb(pid);
        chromiumIdle = idlePercent(pid, idleSeconds);
        stop(pid);
    }

    // ui_cpu_p99_ms and frame_p99_ms while the queue scrolls, beside the empty window's frames.
    FrameTimes kioskFrames, emptyFrames;
    for (int which = 0; which < 2; ++which) {
        const std::string f = framesFile();
        const std::string n = std::to_string(scrollFrames);
        const pid_t pid = which == 0 ? spawn(kioskArgs,
                                             env({{"KIOSK_BENCH_FRAMES", f},
                                                  {"KIOSK_BENCH_OFFICER", kOfficer},
                                                  {"KIOSK_BENCH_SCROLL", n}}),
                                             log)
                                     : spawn(emptyArgs, env({{"BENCH_FRAMES", f}, {"BENCH_SCROLL", n}}), log);
        // Bounded: a kiosk that stops drawing must not hold the whole benchmark run.
        const double until = bench::nowMs() + 60000 + 1000.0 * scrollFrames;
        while (waitpid(pid, nullptr, WNOHANG) != pid && bench::nowMs() < until) sleepS(0.05);
        stop(pid);
        (which == 0 ? kioskFrames : emptyFrames) = readFrames(f, 10);
        if ((which == 0 ? kioskFrames : emptyFrames).frame.size() < size_t(scrollFrames / 2))
            die("the scroll run drew too few frames; see " + log);
    }

    const std::string chromiumNote = chromium ? "" : "; chromium-kiosk not measured (no /usr/bin/chromium)";
    std::vector<bench::Peer> pssPeers{{"empty-window", emptyPss}};
    std::vector<bench::Peer> idlePeers{{"empty-window", emptyIdle}};
    if (chromium) {
        pssPeers.push_back({"chromium-kiosk", chromiumPss});
        idlePeers.push_back({"chromium-kiosk", chromiumIdle});
    }
    auto one = [](double v) {
        bench::Stats s;
        s.median = s.min = s.max = s.p99 = v;
        s.n = 1;
        return s;
    };
    bench::report(
        "kiosk.first_frame_ms", bench::stats(kioskFirst), "ms",
        {{"empty-window", bench::stats(emptyFirst).median}},
        q + std::to_string(kioskFirst.size()) + " cold starts on Home, process start to first swap");
    bench::report("kiosk.idle_cpu_percent", one(kioskIdle), "%", idlePeers,
                  q + std::to_string(int(idleSeconds)) +
                      " s on Home, no input; empty-window is ImGui's example loop "
                      "(it redraws continuously)" +
                      chromiumNote);
    bench::report("kiosk.pss_mb", one(kioskPss), "MB", pssPeers,
                  "officer console open on " + std::to_string(records) +
                      " records; chromium-kiosk summed over all its processes" + chromiumNote);
    const bench::Stats ui = bench::stats(kioskFrames.uiCpu), frame = bench::stats(kioskFrames.frame);
    const bench::Stats emptyUi = bench::stats(emptyFrames.uiCpu),
                       emptyFrame = bench::stats(emptyFrames.frame);
    // The table's value is the median; these metrics are p99s, so they go in as the value.
    bench::Stats uiP99 = ui, frameP99 = frame;
    uiP99.median = ui.p99;
    frameP99.median = frame.p99;
    bench::report("kiosk.ui_cpu_p99_ms", uiP99, "ms", {{"empty-window", emptyUi.p99}},
                  q + std::to_string(ui.n) + " frames dragging the " + std::to_string(records) +
                      "-record queue; median " + std::to_string(ui.median) + " ms");
    bench::report("kiosk.frame_p99_ms", frameP99, "ms", {{"empty-window", emptyFrame.p99}},
                  q + std::to_string(frame.n) + " frames at 1920x1080 dragging the queue; median " +
                      std::to_string(frame.median) + " ms (empty window " +
                      std::to_string(emptyFrame.median) + ")");
    if (keep)
        std::fprintf(stderr, "bench_kiosk: files kept in %s\n", dir.c_str());
    else
        std::filesystem::remove_all(dir);
    return 0;
}
