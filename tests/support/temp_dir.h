#pragma once
// Test support: a fresh directory under $TMPDIR removed when the object goes out of scope, and
// helpers to run the project's programs and capture what they print.
#include <filesystem>
#include <string>
#include <vector>

namespace testing_support {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    // A file in the directory. Under the PostgreSQL variant of the tests (KIOSK_TEST_DB set, see
    // usesPostgres) "district.db" is instead a fresh PostgreSQL database of this directory's own
    // (its connection URI; dropped with the directory) and "district.db.keys" the key file the
    // district keeps for it (keys.h), so tests written for the SQLite file run unchanged on both.
    std::string file(const std::string& name) const;

private:
    std::filesystem::path m_path;
    mutable std::string m_database;  // the PostgreSQL database's name, once made
};

// Whether this run of the tests puts the district on PostgreSQL (ctest's "district/pg:" and
// "e2e/pg:" variants set KIOSK_TEST_DB to the test cluster's URI, tests/support/pg_cluster.sh).
bool usesPostgres();
// For a test that is about SQLite by nature (its files, its VFS, the backup API): under the
// PostgreSQL variant, says why on stderr and exits 77 (skipped). The list is in docs/postgresql.md.
void sqliteOnly(const char* why);
// The other way round: a test of the PostgreSQL engine itself exits 77 under the SQLite variant.
void postgresOnly(const char* why);

struct RunResult {
    int exitCode = -1;  // the program's exit status, or 128+signal
    std::string out;    // standard output
    std::string err;    // standard error
};

// Runs program (a path) with args, feeding stdinText on standard input; waits for it.
RunResult runProgram(const std::string& program, const std::vector<std::string>& args,
                     const std::string& stdinText = "");

// build/bin/<name>, or $KIOSK_TEST_BIN_DIR/<name> to run the tests against other builds of the
// programs (e.g. to see a new end-to-end test fail on the code before a change).
std::string binPath(const std::string& name);

// The bytes of a file, "" when it does not exist (a WAL or journal that was never made).
std::string fileBytes(const std::string& path);

}  // namespace testing_support
