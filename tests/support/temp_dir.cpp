#include "tests/support/temp_dir.h"
#include "tests/support/beside_database.h"
#include "build_paths.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <cstdlib>
#include <stdexcept>

namespace testing_support {

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/kiosk-test-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

namespace {

std::string testDatabaseBase() {
    const char* base = std::getenv("KIOSK_TEST_DB");
    return base && *base ? base : "";
}

// Runs one statement on the cluster's maintenance database; exits 77 when the cluster is not
// there (the PostgreSQL binaries are missing: pg_cluster.sh started nothing).
void onCluster(const std::string& sql, bool skipWhenAbsent = true) {
    PGconn* conn = PQconnectdb(testDatabaseBase().c_str());
    if (PQstatus(conn) != CONNECTION_OK && !skipWhenAbsent) {
        PQfinish(conn);
        return;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        std::fprintf(stderr, "skipped: no PostgreSQL test cluster at %s (%s)\n", testDatabaseBase().c_str(),
                     PQerrorMessage(conn));
        PQfinish(conn);
        std::exit(77);
    }
    PGresult* r = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    const std::string why = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
    if (!ok) throw std::runtime_error("test cluster: " + sql + ": " + why);
}

}  // namespace

bool usesPostgres() { return testDatabaseBase().starts_with("postgres"); }

void sqliteOnly(const char* why) {
    if (!usesPostgres()) return;
    std::fprintf(stderr, "skipped on PostgreSQL: %s\n", why);
    std::exit(77);
}

void postgresOnly(const char* why) {
    if (usesPostgres()) return;
    std::fprintf(stderr, "skipped on SQLite (see the \"district/pg:\" variant): %s\n", why);
    std::exit(77);
}

std::string besideDatabase(const std::string& db, const std::string& suffix) {
    if (!db.starts_with("postgres")) return db + suffix;
    std::string name = "district";
    if (PQconninfoOption* options = PQconninfoParse(db.c_str(), nullptr)) {
        for (PQconninfoOption* o = options; o->keyword; ++o)
            if (std::string(o->keyword) == "dbname" && o->val) name = o->val;
        PQconninfoFree(options);
    }
    const char* dir = std::getenv("STATE_DIRECTORY");
    return std::string(dir && *dir ? dir : "/tmp") + "/" + name + suffix;
}

std::string TempDir::file(const std::string& name) const {
    if (!usesPostgres() || (name != "district.db" && name != "district.db.keys"))
        return (m_path / name).string();
    if (m_database.empty()) {
        // Lowercase letters, digits and _ only: a name PostgreSQL takes unquoted.
        std::string db = "kiosk_test_";
        for (char c : m_path.filename().string())
            db += (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c
                  : (c >= 'A' && c <= 'Z')                         ? char(c + 32)
                                                                   : '_';
        onCluster("CREATE DATABASE " + db);
        m_database = db;
        // The key file of a district on PostgreSQL defaults to $STATE_DIRECTORY/<database>.keys
        // (keys.h); a test's belongs in its directory.
        ::setenv("STATE_DIRECTORY", m_path.c_str(), 1);
    }
    if (name == "district.db.keys") return (m_path / (m_database + ".keys")).string();
    // The cluster's URI names the maintenance database "postgres": this directory's in its place.
    std::string uri = testDatabaseBase();
    const size_t at = uri.find("/postgres?");
    if (at == std::string::npos) throw std::runtime_error("KIOSK_TEST_DB must name the database postgres");
    return uri.replace(at + 1, 8, m_database);
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
    if (!m_database.empty()) {
        try {
            onCluster("DROP DATABASE IF EXISTS " + m_database + " WITH (FORCE)", false);
        } catch (const std::exception&) {
            // A database left behind goes with the cluster at the end of the run.
        }
    }
}

std::string binPath(const std::string& name) {
    const char* other = std::getenv("KIOSK_TEST_BIN_DIR");
    return std::string(other && *other ? other : KIOSK_BIN_DIR) + "/" + name;
}

RunResult runProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::string& stdinText) {
    // A program may exit before reading its stdin (a bad argument refused at once): the write then
    // fails with EPIPE, handled below, instead of SIGPIPE ending the test.
    static const bool pipeSignalIgnored = std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;
    (void)pipeSignalIgnored;
    int inPipe[2], outPipe[2], errPipe[2];
    if (pipe2(inPipe, O_CLOEXEC) || pipe2(outPipe, O_CLOEXEC) || pipe2(errPipe, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(inPipe[0], 0);
        dup2(outPipe[1], 1);
        dup2(errPipe[1], 2);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(program.c_str()));
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(program.c_str(), argv.data());
        _exit(127);
    }
    close(inPipe[0]);
    close(outPipe[1]);
    close(errPipe[1]);
    // Write stdin and read both outputs together so a chatty child cannot deadlock us.
    RunResult result;
    size_t written = 0;
    if (stdinText.empty()) {
        close(inPipe[1]);
        inPipe[1] = -1;
    }
    bool outOpen = true, errOpen = true;
    while (outOpen || errOpen) {
        pollfd fds[3];
        int n = 0;
        if (outOpen) fds[n++] = {outPipe[0], POLLIN, 0};
        if (errOpen) fds[n++] = {errPipe[0], POLLIN, 0};
        if (inPipe[1] >= 0) fds[n++] = {inPipe[1], POLLOUT, 0};
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < n; ++i) {
            if (!fds[i].revents) continue;
            if (fds[i].fd == inPipe[1]) {
                ssize_t w = write(inPipe[1], stdinText.data() + written, stdinText.size() - written);
                if (w > 0) written += size_t(w);
                if (w < 0 || written == stdinText.size()) {
                    close(inPipe[1]);
                    inPipe[1] = -1;
                }
                continue;
            }
            char buf[4096];
            ssize_t r = read(fds[i].fd, buf, sizeof buf);
            bool isOut = fds[i].fd == outPipe[0];
            if (r <= 0) {
                (isOut ? outOpen : errOpen) = false;
            } else {
                (isOut ? result.out : result.err).append(buf, size_t(r));
            }
        }
    }
    if (inPipe[1] >= 0) close(inPipe[1]);
    close(outPipe[0]);
    close(errPipe[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace testing_support
