// bench_print — print.slip_ms: from the citizen's "Gửi" (StoreController::submitPetition, the call
// the petition screen makes) to CUPS accepting the slip's job: the journal row, the paper drawn
// with Pango and Cairo, the printer's state read, the PDF sent (kiosk/printing/paper_service.h,
// the work of the window's printer thread, here on the calling thread so the time is the work's
// and not a poll's). Everything real: a kiosk database file, a private cupsd on a Unix socket with
// Debian's cups-pdf printer (as tests/support/cups_fixture.h sets up). Needs root and cupsd; else it
// reports nothing and says why. Peer: render-only (the paper drawn to PDF, no CUPS).
#include <sys/stat.h>
#include <sys/wait.h>
#include <pwd.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "bench/bench_util.h"
#include "core/reference_data.h"
#include "kiosk/printing/paper_service.h"
#include "kiosk/service/store_controller.h"
#include "kiosk/store/print_journal.h"

namespace fs = std::filesystem;
using namespace kiosk;

namespace {

// cupsd -f on its own files under `root`, listening on root/cups.sock; its pid, or -1.
pid_t startCupsd(const fs::path& root) {
    for (const char* d : {"spool", "cache", "state", "log", "tmp", "ppd"}) fs::create_directories(root / d);
    ::chmod(root.c_str(), 0755);
    ::chmod((root / "tmp").c_str(), 01777);
    const std::string r = root.string();
    std::ofstream(root / "cupsd.conf") << "Listen " << r << "/cups.sock\nLogLevel warn\nPreserveJobFiles No\n"
                                       << "Browsing No\nWebInterface No\n<Location />\n  Order allow,deny\n"
                                       << "  Allow all\n</Location>\n";
    std::ofstream(root / "cups-files.conf")
        << "ServerRoot " << r << "\nRequestRoot " << r << "/spool\nCacheDir " << r << "/cache\nStateDir " << r
        << "/state\nTempDir " << r << "/tmp\nErrorLog " << r << "/log/error_log\nUser lp\nGroup lp\n";
    ::setenv("CUPS_SERVER", (r + "/cups.sock").c_str(), 1);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const std::string conf = r + "/cupsd.conf", files = r + "/cups-files.conf";
        ::execl("/usr/sbin/cupsd", "cupsd", "-f", "-c", conf.c_str(), "-s", files.c_str(), nullptr);
        ::_exit(127);
    }
    for (int i = 0; i < 200 && !fs::exists(root / "cups.sock"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    return fs::exists(root / "cups.sock") ? pid : -1;
}

PetitionInput petition() {
    PetitionInput in;
    in.kind = "kien-nghi";
    in.phone = "0912345678";
    in.content = "Đề nghị sửa đường liên thôn bị sạt lở sau mưa lũ.";
    return in;
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = bench::quickMode(argc, argv) ? 15 : 60;
    if (::geteuid() != 0 || !fs::exists("/usr/sbin/cupsd") || !fs::exists("/usr/lib/cups/backend/cups-pdf")) {
        std::fprintf(stderr, "bench_print: needs root, cupsd and cups-pdf; nothing measured\n");
        return 0;
    }
    const fs::path dir = fs::temp_directory_path() / ("bench-print-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const pid_t cupsd = startCupsd(dir / "cups");
    if (cupsd < 0 || std::system("/usr/sbin/lpadmin -p bench -E -v cups-pdf:/ -P "
                                 "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd >/dev/null 2>&1") != 0) {
        std::fprintf(stderr, "bench_print: the private cupsd did not start\n");
        return 1;
    }
    auto reference = loadReferenceData(assetsDir());
    auto resources = printing::loadPaperResources(assetsDir());
    auto store = store::KioskStore::open((dir / "kiosk.db").string(), true);
    if (!reference || !resources || !store) return 1;
    store::KioskConfig config;
    config.commune = "02374";
    config.slot = 7;
    if (!(*store)->configure(config, *reference) || !store::savePrintSettings(**store, {"bench", "roll80"}))
        return 1;
    app::StoreController controller(**store, ComposerOptions{});
    const passwd* pw = ::getpwuid(::geteuid());  // cups-pdf writes into the job user's home
    const fs::path pdfDir = fs::path(pw ? pw->pw_dir : "/root") / "PDF";
    std::set<std::string> before;
    if (fs::is_directory(pdfDir))
        for (const auto& e : fs::directory_iterator(pdfDir)) before.insert(e.path().string());

    std::vector<double> slip, render;
    for (int i = 0; i < runs; ++i) {
        const double t0 = bench::nowMs();
        auto record = controller.submitPetition(petition());
        if (!record) return 1;
        auto entry = store::journalPaper(**store, record->code, "slip", std::time(nullptr));
        if (!entry) return 1;
        printing::PaperRequest request;
        request.code = record->code;
        auto printed = printing::printEntry(**store, *resources, entry->id, request, std::time(nullptr));
        const double t1 = bench::nowMs();
        if (!printed || printed->status != store::PaperStatus::Printed) {
            std::fprintf(stderr, "bench_print: not printed: %s\n",
                         printed ? printed->reasonMessageEn.c_str() : "");
            return 1;
        }
        slip.push_back(t1 - t0);
        const double r0 = bench::nowMs();
        auto paper = printing::makePaper(**store, *resources, request, std::time(nullptr));
        if (paper) (void)papers::renderPdf(*paper);
        render.push_back(bench::nowMs() - r0);
    }
    const bench::Stats renderStats = bench::stats(render);
    bench::report("print.slip_ms", bench::stats(slip), "ms", {{"render-only", renderStats.median}},
                  "submit + journal + draw + printer state + job accepted by a private cupsd (cups-pdf)");
    ::kill(cupsd, SIGTERM);
    ::waitpid(cupsd, nullptr, 0);
    // cups-pdf wrote each slip into ~/PDF: the files that were not there before are the bench's.
    // Its backend may still be writing the last ones: give it a moment.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    if (fs::is_directory(pdfDir))
        for (const auto& e : fs::directory_iterator(pdfDir))
            if (!before.count(e.path().string())) fs::remove(e.path());
    fs::remove_all(dir);
    return 0;
}
