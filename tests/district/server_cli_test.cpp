// The district-server program as installers and scripts use it (docs/ARCHITECTURE.md command-line
// contract): enroll prints a token alone, JSON keys, exit codes, --help, languages, and `serve`
// started as a real process that prints "listening on HOST:PORT" and stops cleanly on SIGTERM.
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <set>

#include "tests/support/server_fixture.h"

using namespace server_test;
using testing_support::binPath;
using testing_support::runProgram;
using testing_support::TempDir;

namespace {

testing_support::RunResult cli(const std::vector<std::string>& args) {
    return runProgram(binPath("district-server"), args);
}

// `district-server serve` as a child process; stderr goes to a file so its log never fills a pipe.
class ServeProcess {
public:
    pid_t pid() const { return m_pid; }
    ServeProcess(const std::vector<std::string>& args, const std::string& errFile) {
        int out[2];
        REQUIRE(pipe2(out, O_CLOEXEC) == 0);
        m_pid = fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            dup2(out[1], 1);
            const int err = open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (err >= 0) dup2(err, 2);
            std::vector<std::string> all{binPath("district-server")};
            all.insert(all.end(), args.begin(), args.end());
            std::vector<char*> argv;
            for (auto& a : all) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        close(out[1]);
        m_out = out[0];
    }
    ~ServeProcess() {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, nullptr, 0);
        }
        if (m_out >= 0) close(m_out);
    }

    // The first stdout line, waiting at most 10 s.
    std::string firstLine() {
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{m_out, POLLIN, 0};
            if (poll(&p, 1, 100) <= 0) continue;
            char c;
            if (read(m_out, &c, 1) != 1) break;
            if (c == '\n') return line;
            line.push_back(c);
        }
        return line;
    }

    // Sends signal (0: none) and waits up to 10 s for the exit status; -1 if it is still running.
    int stop(int signal = SIGTERM) {
        if (signal) kill(m_pid, signal);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1;
    }

private:
    pid_t m_pid = -1;
    int m_out = -1;
};

}  // namespace

TEST_CASE("enroll-kiosk prints a token alone - each enrollment is a new kiosk", "[server][cli]") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    auto first = cli({"enroll-kiosk", "--db", db, "--commune", kCommuneA});
    INFO(first.err);
    REQUIRE(first.exitCode == 0);
    CHECK(std::regex_match(first.out, std::regex("[0-9a-f]{64}\n")));
    auto second = cli({"--db", db, "enroll-kiosk", "--commune", kCommuneA});  // --db before the command
    REQUIRE(second.exitCode == 0);
    CHECK(second.out != first.out);

    auto json = cli({"enroll-kiosk", "--db", db, "--commune", kCommuneB, "--json"});
    REQUIRE(json.exitCode == 0);
    auto enrolled = nlohmann::json::parse(json.out);
    CHECK(enrolled["kiosk"] == "k3");
    CHECK(enrolled["commune"] == kCommuneB);
    CHECK(enrolled["token"].get<std::string>().size() == 64);

    auto list = cli({"kiosks", "--db", db, "--json"});
    REQUIRE(list.exitCode == 0);
    auto kiosks = nlohmann::json::parse(list.out);
    REQUIRE(kiosks.size() == 3);
    std::set<std::string> ids;
    for (const auto& k : kiosks) {
        for (const char* key : {"kiosk", "commune", "last_seen", "revoked", "clock_skew_ms"})
            CHECK(k.contains(key));
        CHECK(k["revoked"] == false);
        CHECK(k["last_seen"].is_null());
        ids.insert(k["kiosk"].get<std::string>());
    }
    CHECK(ids == std::set<std::string>{"k1", "k2", "k3"});

    // The token is stored only as its hash.
    auto store = kiosk::district::DistrictStore::open(db, false);
    REQUIRE(store);
    auto found = (*store)->findByToken(first.out.substr(0, 64));
    REQUIRE(found);
    REQUIRE(*found);
    CHECK((*found)->kioskId == "k1");
    auto raw = (*store)->database().prepare("SELECT count(*) FROM kiosks WHERE token_sha256 = ?");
    REQUIRE(raw);
    raw->bind(1, first.out.substr(0, 64));
    REQUIRE(raw->step());
    CHECK(raw->integer(0) == 0);
}

TEST_CASE("bad input exits 2 with one line on stderr and changes nothing", "[server][cli]") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    auto badCommune = cli({"enroll-kiosk", "--db", db, "--commune", "99999"});
    CHECK(badCommune.exitCode == 2);
    CHECK(badCommune.out.empty());
    CHECK(std::count(badCommune.err.begin(), badCommune.err.end(), '\n') == 1);
    CHECK(badCommune.err.find("xã") != std::string::npos);  // Vietnamese by default
    CHECK_FALSE(std::filesystem::exists(db));

    auto english = cli({"enroll-kiosk", "--db", db, "--commune", "99999", "--lang", "en"});
    CHECK(english.exitCode == 2);
    CHECK(english.err.find("There is no commune") != std::string::npos);

    CHECK(cli({"enroll-kiosk", "--db", db}).exitCode == 2);  // no --commune
    // No such database: a file; a PostgreSQL database is made by its administrator, and is there.
    if (!testing_support::usesPostgres()) CHECK(cli({"kiosks", "--db", db}).exitCode == 2);
    CHECK(cli({"frobnicate", "--db", db}).exitCode == 2);
    CHECK(cli({"kiosks", "--db", db, "--colour"}).exitCode == 2);
    CHECK(cli({"serve", "--db", db, "--listen", "nowhere"}).exitCode == 2);
    CHECK(cli({"serve", "--db", db, "--listen", "127.0.0.1:99999"}).exitCode == 2);

    REQUIRE(cli({"enroll-kiosk", "--db", db, "--commune", kCommuneA}).exitCode == 0);
    CHECK(cli({"revoke-kiosk", "--db", db, "--kiosk", "k99"}).exitCode == 2);
    CHECK(cli({"records", "--db", db, "--commune", "123"}).exitCode == 2);
    auto revoked = cli({"revoke-kiosk", "--db", db, "--kiosk", "k1"});
    CHECK(revoked.exitCode == 0);
    CHECK(revoked.out.empty());
    CHECK(cli({"revoke-kiosk", "--db", db, "--kiosk", "k1"}).exitCode == 0);  // idempotent
    auto list = nlohmann::json::parse(cli({"kiosks", "--db", db, "--json"}).out);
    REQUIRE(list.size() == 1);
    CHECK(list[0]["revoked"] == true);
}

TEST_CASE("the help option works for every command in both languages", "[server][cli]") {
    for (const char* command : {"serve", "enroll-kiosk", "revoke-kiosk", "kiosks", "records"}) {
        INFO(command);
        auto vi = cli({command, "--help"});
        CHECK(vi.exitCode == 0);
        CHECK(vi.out.find("Cách dùng") != std::string::npos);
        auto en = cli({command, "--help", "--lang", "en"});
        CHECK(en.exitCode == 0);
        CHECK(en.out.find("Usage") != std::string::npos);
    }
    auto top = cli({"--help"});
    CHECK(top.exitCode == 0);
    CHECK(top.out.find("enroll-kiosk") != std::string::npos);
}

TEST_CASE("serve as a process prints its address then serves and stops cleanly on SIGTERM",
          "[server][cli][serve]") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    auto enrolled = cli({"enroll-kiosk", "--db", db, "--commune", kCommuneA, "--json"});
    REQUIRE(enrolled.exitCode == 0);
    const auto identity = nlohmann::json::parse(enrolled.out);
    const Kiosk k{identity["kiosk"], identity["commune"], identity["token"], identity["slot"]};
    // The officer whose action is pushed below, registered as an installer does.
    REQUIRE(cli({"commune-officer", "add", "--db", db, "--commune", kCommuneA, "--id", "cb01",
                 "--signing-key", testing_support::fixtureSigningKey("cb01")})
                .exitCode == 0);

    ServeProcess serve({"serve", "--db", db, "--listen", "127.0.0.1:0"}, dir.file("serve.log"));
    const std::string line = serve.firstLine();
    std::smatch m;
    REQUIRE(std::regex_match(line, m, std::regex("listening on 127\\.0\\.0\\.1:([0-9]+)")));
    const int port = std::stoi(m[1]);

    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(10, 0);
    const std::string code = codeFor(k, 12001);
    auto pushed =
        client.Post("/api/v1/push", auth(k.token),
                    pushBody(k, {submitEvent(k, 1, code), actionEvent(k, 2, code, kiosk::Action::Accept)}),
                    "application/json");
    REQUIRE(pushed);
    CHECK(pushed->status == 200);

    // A second server on the same port cannot start: temporarily impossible (3).
    ServeProcess clash(
        {"serve", "--db", dir.file("other.db"), "--listen", "127.0.0.1:" + std::to_string(port)},
        dir.file("clash.log"));
    CHECK(clash.stop(0) == 3);

    CHECK(serve.stop(SIGTERM) == 0);
    std::ifstream log(dir.file("serve.log"));
    std::string logText((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    CHECK(logText.find("POST /api/v1/push 200") != std::string::npos);

    auto records = cli({"records", "--db", db, "--json"});
    REQUIRE(records.exitCode == 0);
    auto list = nlohmann::json::parse(records.out);
    REQUIRE(list.size() == 1);
    for (const char* key : {"code", "official_code", "kind", "commune", "status", "events"})
        CHECK(list[0].contains(key));
    CHECK(list[0]["code"] == code);
    CHECK(list[0]["status"] == "accepted");
    CHECK(list[0]["events"] == 2);
    CHECK(list[0]["kind"] == "petition");
    CHECK(list[0]["commune"] == kCommuneA);
    CHECK(list[0]["official_code"].is_null());

    auto byCommune =
        nlohmann::json::parse(cli({"records", "--db", db, "--commune", kCommuneB, "--json"}).out);
    CHECK(byCommune.empty());

    auto kiosks = nlohmann::json::parse(cli({"kiosks", "--db", db, "--json"}).out);
    REQUIRE(kiosks.size() == 1);
    CHECK(kiosks[0]["last_seen"].is_string());
    CHECK(kiosks[0]["acked_seq"] == 2);

    auto human = cli({"records", "--db", db});
    CHECK(human.exitCode == 0);
    CHECK(human.out.find("Đã thụ lý") != std::string::npos);
}

TEST_CASE("serve stops cleanly on SIGINT too", "[server][cli][serve]") {
    TempDir dir;
    ServeProcess serve({"serve", "--db", dir.file("district.db"), "--listen", "127.0.0.1:0"},
                       dir.file("serve.log"));
    REQUIRE(serve.firstLine().rfind("listening on 127.0.0.1:", 0) == 0);
    CHECK(serve.stop(SIGINT) == 0);
}

TEST_CASE("serve writes no core file: the district's secret keys pass through it", "[server][cli][serve]") {
    TempDir dir;
    // The server inherits a limit it would have to lower itself: unlimited where the test may raise
    // it (root). Elsewhere the hard limit may already be 0, and /proc's ownership below tells.
    rlimit inherited{};
    REQUIRE(::getrlimit(RLIMIT_CORE, &inherited) == 0);
    const rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    const bool raised = ::setrlimit(RLIMIT_CORE, &unlimited) == 0;
    ServeProcess serve({"serve", "--db", dir.file("district.db"), "--listen", "127.0.0.1:0"},
                       dir.file("serve.log"));
    REQUIRE(serve.firstLine().rfind("listening on 127.0.0.1:", 0) == 0);
    std::ifstream limits("/proc/" + std::to_string(serve.pid()) + "/limits");
    REQUIRE(limits);
    std::string line, core;
    while (std::getline(limits, line))
        if (line.rfind("Max core file size", 0) == 0) core = line;
    INFO(core);
    CHECK(std::regex_search(core, std::regex(R"(^Max core file size\s+0\s+0\s)")));
    // PR_SET_DUMPABLE 0: the kernel gives a non-dumpable process's /proc files to root.
    struct stat st {};
    REQUIRE(::stat(("/proc/" + std::to_string(serve.pid()) + "/environ").c_str(), &st) == 0);
    CHECK(st.st_uid == 0);
    if (!raised && ::geteuid() != 0)
        WARN("the core limit could not be raised; only /proc's owner was checked");
    CHECK(serve.stop(SIGTERM) == 0);
    if (raised) ::setrlimit(RLIMIT_CORE, &inherited);
}
