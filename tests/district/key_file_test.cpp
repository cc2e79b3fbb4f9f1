// The district's key file kept apart from what an attacker is likely to copy: encrypted under a
// passphrase that lives elsewhere (DISTRICT_KEY_PASSPHRASE_FILE or a systemd credential), and
// refused when others on the machine may read it. Run through the real district-server.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <fstream>

#include "tests/support/temp_dir.h"

using testing_support::binPath;
using testing_support::fileBytes;
using testing_support::runProgram;
using testing_support::RunResult;
using testing_support::TempDir;

namespace {

RunResult districtServer(const std::string& passphraseFile, const std::vector<std::string>& args) {
    std::vector<std::string> full;
    if (!passphraseFile.empty()) full.push_back("DISTRICT_KEY_PASSPHRASE_FILE=" + passphraseFile);
    full.push_back(binPath("district-server"));
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("--lang");
    full.push_back("en");
    return runProgram("/usr/bin/env", full);
}

void writeSecret(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
    REQUIRE(::chmod(path.c_str(), 0600) == 0);
}

}  // namespace

TEST_CASE("district key file: encrypted under a passphrase kept elsewhere, refused when loose") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const std::string keys = dir.file("district.db.keys");
    const std::string passphrase = dir.file("passphrase");
    writeSecret(passphrase, "correct horse battery staple 2026\n");

    auto made = districtServer(passphrase, {"keygen", "--db", db});
    INFO(made.err);
    REQUIRE(made.exitCode == 0);
    REQUIRE(made.out.rfind("ckd1.", 0) == 0);
    // The secret keys are not in the file in any readable form.
    CHECK(fileBytes(keys).find("encrypted") != std::string::npos);
    CHECK(fileBytes(keys).find("secret_key") == std::string::npos);
    // Opened again with the passphrase: the same district; a rotation reads and writes it.
    CHECK(districtServer(passphrase, {"keygen", "--db", db}).out == made.out);
    auto rotated = districtServer(passphrase, {"rotate-key", "--db", db});
    INFO(rotated.err);
    CHECK(rotated.exitCode == 0);
    CHECK(fileBytes(keys).find("secret_key") == std::string::npos);

    // Without the passphrase, or with another one, nothing opens.
    auto without = districtServer("", {"keygen", "--db", db});
    CHECK(without.exitCode != 0);
    CHECK(without.err.find("DISTRICT_KEY_PASSPHRASE_FILE") != std::string::npos);
    const std::string other = dir.file("other");
    writeSecret(other, "another passphrase, long enough\n");
    auto wrong = districtServer(other, {"keygen", "--db", db});
    CHECK(wrong.exitCode != 0);
    CHECK(wrong.err.find("does not open") != std::string::npos);
    // A passphrase file others may read is refused, and so is a short passphrase.
    REQUIRE(::chmod(passphrase.c_str(), 0644) == 0);
    CHECK(districtServer(passphrase, {"keygen", "--db", db}).err.find("chmod 600") != std::string::npos);
    writeSecret(other, "short\n");
    CHECK(districtServer(other, {"keygen", "--db", db}).err.find("at least 16") != std::string::npos);
}

TEST_CASE(
    "district key file: a plain key file is encrypted once a passphrase is given, others may not read it") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const std::string keys = dir.file("district.db.keys");
    auto plain = districtServer("", {"keygen", "--db", db});
    REQUIRE(plain.exitCode == 0);
    CHECK(fileBytes(keys).find("secret_key") != std::string::npos);
    struct stat st {};
    REQUIRE(::stat(keys.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    const std::string passphrase = dir.file("passphrase");
    writeSecret(passphrase, "correct horse battery staple 2026\n");
    auto encrypted = districtServer(passphrase, {"keygen", "--db", db});
    INFO(encrypted.err);
    CHECK(encrypted.out == plain.out);
    CHECK(fileBytes(keys).find("secret_key") == std::string::npos);

    // A key file anyone on the machine could have copied is not treated as the district's secret.
    REQUIRE(::chmod(keys.c_str(), 0644) == 0);
    auto loose = districtServer(passphrase, {"keygen", "--db", db});
    CHECK(loose.exitCode != 0);
    CHECK(loose.err.find("chmod 600") != std::string::npos);
}
