#pragma once
// A private CUPS scheduler for tests: cupsd -f on its own configuration, spool and state under a
// temp dir, listening on a Unix socket there; CUPS_SERVER points this process (and the programs it
// starts) at it. Printers are Debian's cups-pdf virtual printer: its backend writes each job as a
// PDF into ${HOME}/PDF of the job's user (it reads /etc/cups/cups-pdf.conf only, which tests do not
// edit), so takeOutput() moves the new file from there into the test's directory. cups-pdf takes
// PostScript: CUPS turns the PDF into PostScript with poppler's pdftops (set on each queue: the
// default, Ghostscript, leaves no text at all) and cups-pdf back into PDF with Ghostscript, which
// keeps the text of Latin-1 letters and digits (the receipt code) but not of ắ, ộ, ư …: tests read
// the code from the printed copy and the Vietnamese words from the PDF the kiosk sent.
// Prerequisites (else the test exits 77, skipped): cupsd, lpadmin, cupsdisable, the cups-pdf backend
// and its PPD, and root (cupsd runs cups-pdf only as root; it then runs filters as user lp).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pwd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "tests/support/temp_dir.h"

namespace testing_support {

class PrivateCups {
public:
    // Skips the test (exit 77) when a prerequisite is missing.
    static void requirePrerequisites() {
        const char* needed[] = {"/usr/sbin/cupsd", "/usr/sbin/lpadmin", "/usr/sbin/cupsdisable",
                                "/usr/lib/cups/backend/cups-pdf",
                                "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd"};
        for (const char* path : needed)
            if (!std::filesystem::exists(path)) {
                WARN(std::string(path) + " is missing: skipped");
                std::exit(77);
            }
        if (geteuid() != 0) {
            WARN("cupsd runs the cups-pdf backend only as root: skipped");
            std::exit(77);
        }
    }

    // The scheduler's files go under /tmp/kiosk-cups-<pid>, the same path for every fixture of one
    // process: libcups reads CUPS_SERVER once per thread and keeps it, so a second fixture on another
    // socket would not be reached. The directory is open to user lp (cupsd's filters run as lp), so
    // it is not under the test's own 0700 temp dir; it is removed when the fixture ends.
    PrivateCups() : m_root("/tmp/kiosk-cups-" + std::to_string(::getpid())) {
        requirePrerequisites();
        std::filesystem::remove_all(m_root);
        for (const char* d : {"spool", "cache", "state", "log", "tmp", "ppd"})
            std::filesystem::create_directories(m_root / d);
        // cupsd's filters run as lp: they must reach the spool and temp dirs.
        ::chmod(m_root.c_str(), 0755);
        ::chmod((m_root / "tmp").c_str(), 01777);
        ::chmod((m_root / "spool").c_str(), 0755);
        m_socket = (m_root / "cups.sock").string();
        std::ofstream(m_root / "cupsd.conf")
            << "Listen " << m_socket
            << "\nLogLevel info\nErrorPolicy abort-job\nPreserveJobFiles No\nBrowsing No\n"
               "WebInterface No\n<Location />\n  Order allow,deny\n  Allow all\n"
               "</Location>\n";
        const std::string r = m_root.string();
        std::ofstream(m_root / "cups-files.conf")
            << "ServerRoot " << r << "\nRequestRoot " << r << "/spool\nCacheDir " << r << "/cache\nStateDir "
            << r << "/state\nTempDir " << r << "/tmp\nErrorLog " << r << "/log/error_log\nAccessLog " << r
            << "/log/access_log\nPageLog " << r << "/log/page_log\nUser lp\nGroup lp\n";
        ::setenv("CUPS_SERVER", m_socket.c_str(), 1);
        start();
    }
    ~PrivateCups() {
        stop();
        std::error_code ignored;
        std::filesystem::remove_all(m_root, ignored);
    }
    PrivateCups(const PrivateCups&) = delete;
    PrivateCups& operator=(const PrivateCups&) = delete;

    void start() {
        m_pid = ::fork();
        if (m_pid == 0) {
            const std::string conf = (m_root / "cupsd.conf").string();
            const std::string files = (m_root / "cups-files.conf").string();
            ::execl("/usr/sbin/cupsd", "cupsd", "-f", "-c", conf.c_str(), "-s", files.c_str(), nullptr);
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !std::filesystem::exists(m_socket); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        REQUIRE(std::filesystem::exists(m_socket));
    }
    // Stops cupsd (the "CUPS is not running" fault); start() brings it back with its printers.
    void stop() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        std::filesystem::remove(m_socket);
    }

    // A cups-pdf queue named `name`, enabled and accepting jobs.
    void addPdfPrinter(const std::string& name) {
        REQUIRE(run("/usr/sbin/lpadmin -p " + name +
                    " -E -v cups-pdf:/ -P /usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd"
                    " -o pdftops-renderer-default=pdftops") == 0);
    }
    void setDefault(const std::string& name) { REQUIRE(run("/usr/sbin/lpadmin -d " + name) == 0); }
    // cupsdisable: the printer stopped, as an officer or a fault would leave it.
    void disable(const std::string& name) { REQUIRE(run("/usr/sbin/cupsdisable " + name) == 0); }
    void enable(const std::string& name) { REQUIRE(run("/usr/sbin/cupsenable " + name) == 0); }

    // The PDFs cups-pdf wrote since the fixture started whose text has `needle`, moved into `dir`;
    // waits up to `seconds` for one.
    std::vector<std::string> takeOutput(const std::filesystem::path& dir, const std::string& needle,
                                        double seconds = 20) {
        std::vector<std::string> out;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (out.empty() && std::chrono::steady_clock::now() < deadline) {
            if (std::filesystem::is_directory(outputDir()))
                for (const auto& entry : std::filesystem::directory_iterator(outputDir())) {
                    if (m_seen.count(entry.path().string()) || entry.path().extension() != ".pdf") continue;
                    const std::string txt = (dir / "probe.txt").string();
                    if (run("pdftotext '" + entry.path().string() + "' '" + txt + "' 2>/dev/null") != 0)
                        continue;
                    if (fileBytes(txt).find(needle) == std::string::npos) continue;
                    const std::filesystem::path target =
                        dir / ("printed-" + std::to_string(out.size()) + ".pdf");
                    std::filesystem::copy_file(entry.path(), target);
                    std::filesystem::remove(entry.path());
                    out.push_back(target.string());
                }
            if (out.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return out;
    }

    const std::string& socket() const { return m_socket; }

private:
    static int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }
    static std::filesystem::path outputDir() {
        const passwd* pw = ::getpwuid(::geteuid());
        return std::filesystem::path(pw ? pw->pw_dir : "/root") / "PDF";
    }

    std::filesystem::path m_root;
    std::string m_socket;
    pid_t m_pid = -1;
    std::set<std::string> m_seen;
};

}  // namespace testing_support
