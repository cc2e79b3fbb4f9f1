#pragma once
// Test support for end-to-end sync tests that drive the real programs: build/bin/district-server
// (started, killed with SIGKILL, restarted) and build/bin/kioskctl (one database file per kiosk),
// as an installer or an officer's script would. Loopback only; every wait is bounded.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/beside_database.h"
#include "tests/support/temp_dir.h"

namespace e2e {

// The 18 communes of Hàm Yên (docs/domain.md).
inline const std::vector<std::string>& communes() {
    static const std::vector<std::string> codes{"02374", "02377", "02380", "02383", "02386", "02389",
                                                "02392", "02395", "02398", "02401", "02404", "02407",
                                                "02410", "02413", "02416", "02419", "02422", "02425"};
    return codes;
}

// A child process with its standard output on a pipe (stderr goes to a file, for diagnosis).
class Child {
public:
    Child() = default;
    Child(const std::string& program, const std::vector<std::string>& args, const std::string& errFile) {
        int out[2];
        REQUIRE(pipe2(out, O_CLOEXEC) == 0);
        m_pid = fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            dup2(out[1], 1);
            const int err = ::open(errFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            if (err >= 0) dup2(err, 2);
            const int devNull = ::open("/dev/null", O_RDONLY);
            if (devNull >= 0) dup2(devNull, 0);
            std::vector<char*> argv{const_cast<char*>(program.c_str())};
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            execv(program.c_str(), argv.data());
            _exit(127);
        }
        close(out[1]);
        m_out = out[0];
    }
    Child(Child&& other) noexcept { *this = std::move(other); }
    Child& operator=(Child&& other) noexcept {
        std::swap(m_pid, other.m_pid);
        std::swap(m_out, other.m_out);
        return *this;
    }
    ~Child() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
        if (m_out >= 0) close(m_out);
    }
    pid_t pid() const { return m_pid; }
    bool running() const { return m_pid > 0; }

    // One line of standard output, or "" when none came within the limit.
    std::string readLine(std::chrono::milliseconds limit) {
        std::string line;
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            pollfd p{m_out, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            char c;
            if (read(m_out, &c, 1) != 1) break;
            if (c == '\n') return line;
            line += c;
        }
        return line;
    }
    // Sends the signal and reaps the child; returns its exit code (128+signal when killed).
    int stop(int signal) {
        if (m_pid <= 0) return -1;
        ::kill(m_pid, signal);
        return wait();
    }
    int wait() {
        if (m_pid <= 0) return -1;
        int status = 0;
        while (waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {}
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    pid_t m_pid = -1;
    int m_out = -1;
};

// build/bin/district-server serve on 127.0.0.1, restartable on its database.
class DistrictProcess {
public:
    // logFile: its standard error (default: next to the database, <db>.log; give one when the
    // database is a postgresql:// URI).
    explicit DistrictProcess(std::string dbPath, std::vector<std::string> extra = {},
                             std::string logFile = "")
        : m_db(std::move(dbPath)),
          m_extra(std::move(extra)),
          m_log(logFile.empty() ? testing_support::besideDatabase(m_db, ".log") : logFile) {}
    void start(int port = 0) {
        std::vector<std::string> args{"serve", "--db", m_db, "--listen", "127.0.0.1:" + std::to_string(port)};
        args.insert(args.end(), m_extra.begin(), m_extra.end());
        m_child = Child(testing_support::binPath("district-server"), args, m_log);
        const std::string line = m_child.readLine(std::chrono::seconds(20));
        INFO("district-server said: " << line);
        REQUIRE(line.rfind("listening on ", 0) == 0);
        m_port = std::atoi(line.substr(line.rfind(':') + 1).c_str());
        REQUIRE(m_port > 0);
    }
    int port() const { return m_port; }
    int kill(int signal = SIGKILL) { return m_child.stop(signal); }
    const std::string& db() const { return m_db; }
    pid_t pid() const { return m_child.pid(); }

private:
    std::string m_db;
    std::vector<std::string> m_extra;
    std::string m_log;
    Child m_child;
    int m_port = 0;
};

// What enroll-kiosk gives the installer: the token and the receipt-code slot, both for
// `kioskctl init --token T --slot S`.
struct Enrolled {
    std::string token;
    std::string slot;
};

inline Enrolled enroll(const std::string& districtDb, const std::string& commune) {
    auto r =
        testing_support::runProgram(testing_support::binPath("district-server"),
                                    {"enroll-kiosk", "--db", districtDb, "--commune", commune, "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    REQUIRE(j.is_object());
    REQUIRE(j["token"].is_string());
    REQUIRE(j["slot"].is_number_integer());
    return Enrolled{j["token"].get<std::string>(), std::to_string(j["slot"].get<int>())};
}

// district-server records --json, parsed.
inline nlohmann::json districtRecords(const std::string& districtDb) {
    auto r = testing_support::runProgram(testing_support::binPath("district-server"),
                                         {"records", "--db", districtDb, "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    REQUIRE(j.is_array());
    return j;
}

// One kiosk driven through kioskctl, its database a file of its own.
struct KioskCli {
    std::string db;
    std::vector<std::string> prefix;  // e.g. {"/usr/bin/env", "...", "faketime", "-f", "-3d"}

    testing_support::RunResult run(std::vector<std::string> args, const std::string& input = "") const {
        std::vector<std::string> full;
        std::string program = testing_support::binPath("kioskctl");
        if (!prefix.empty()) {
            program = prefix[0];
            full.assign(prefix.begin() + 1, prefix.end());
            full.push_back(testing_support::binPath("kioskctl"));
        }
        full.push_back("--db");
        full.push_back(db);
        full.insert(full.end(), args.begin(), args.end());
        return testing_support::runProgram(program, full, input);
    }
    // Runs and requires exit 0; returns standard output without the trailing newline.
    std::string ok(std::vector<std::string> args, const std::string& input = "") const {
        auto r = run(args, input);
        INFO("kioskctl " << nlohmann::json(args).dump() << " -> " << r.exitCode << ": " << r.err);
        REQUIRE(r.exitCode == 0);
        std::string out = r.out;
        while (!out.empty() && out.back() == '\n') out.pop_back();
        return out;
    }
    nlohmann::json json(std::vector<std::string> args) const {
        args.push_back("--json");
        auto j = nlohmann::json::parse(ok(args), nullptr, false);
        REQUIRE(!j.is_discarded());
        return j;
    }
    // A complaint, the kind officers accept (thụ lý) and reject, with the identity it requires.
    std::string submit(const std::string& content, const std::string& phone = "0912345678") const {
        return ok({"submit-petition", "--type", "khieu-nai", "--name", "Nguyễn Văn An", "--cccd",
                   "008090001234", "--address", "Thôn 2", "--phone", phone, "--content", content});
    }
};

// What an installer does after `kioskctl officer add`: the officer's signing key, read from
// `kioskctl officer list --json`, registered at the district for the kiosk's commune (district-server
// commune-officer add), so the district accepts that officer's actions. No Catch assertion inside
// (callable from worker threads): the result says how it went.
inline testing_support::RunResult registerOfficerRun(const KioskCli& kiosk, const std::string& districtDb,
                                                     const std::string& commune, const std::string& id) {
    auto listed = kiosk.run({"officer", "list", "--json"});
    if (listed.exitCode != 0) return listed;
    std::string key;
    auto officers = nlohmann::json::parse(listed.out, nullptr, false);
    if (officers.is_array())
        for (const auto& o : officers)
            if (o.value("id", "") == id) key = o.value("signing_key", "");
    if (key.empty()) return testing_support::RunResult{2, "", "no signing key for " + id};
    return testing_support::runProgram(testing_support::binPath("district-server"),
                                       {"commune-officer", "add", "--db", districtDb, "--commune", commune,
                                        "--id", id, "--signing-key", key});
}
inline void registerOfficer(const KioskCli& kiosk, const std::string& districtDb, const std::string& commune,
                            const std::string& id) {
    auto r = registerOfficerRun(kiosk, districtDb, commune, id);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
}

}  // namespace e2e
