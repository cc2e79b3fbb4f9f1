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
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

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
