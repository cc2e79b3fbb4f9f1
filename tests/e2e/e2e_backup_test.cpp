// Backups and restores of the district (district/office/backup.h), as a technician runs them: the
// real district-server serving real kioskctl kiosks over a socket, `district-server backup` taken
// while they push, the database lost, `district-server restore`, and the kiosks syncing again until
// the district holds every petition. Also the refusals: a damaged file, another district's backup,
// a file that is no district database, a target a running server holds.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "common/database.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::runProgram;
using testing_support::TempDir;

namespace {

namespace fs = std::filesystem;

constexpr const char* kTanYen = "02374";
constexpr const char* kBachXa = "02380";

testing_support::RunResult district(const std::vector<std::string>& args) {
    return runProgram(testing_support::binPath("district-server"), args);
}

KioskCli installKiosk(const TempDir& dir, const std::string& name, const DistrictProcess& server,
                      const std::string& commune) {
    const Enrolled e = enroll(server.db(), commune);
    const KioskCli kiosk{dir.file(name), {}};
    kiosk.ok({"init", "--commune", commune, "--server", "http://127.0.0.1:" + std::to_string(server.port()),
              "--token", e.token, "--slot", e.slot});
    return kiosk;
}

std::set<std::string> districtCodes(const std::string& db) {
    std::set<std::string> codes;
    for (const auto& r : districtRecords(db)) codes.insert(r["code"].get<std::string>());
    return codes;
}

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The first line of `district-server backup` is the database copy.
std::string backupOk(const std::string& db, const std::string& out, const std::string& keep = "7") {
    auto r = district({"backup", "--db", db, "--out", out, "--keep", keep});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return r.out.substr(0, r.out.find('\n'));
}

}  // namespace

TEST_CASE("e2e backup: taken while kiosks push, restored after the database is lost, nothing lost") {
    testing_support::sqliteOnly("backup and restore copy an SQLite file (pgBackRest on PostgreSQL)");
    TempDir dir;
    DistrictProcess server(dir.file("district.db"));
    (void)district({"keygen", "--db", server.db()});
    server.start();
    const KioskCli a = installKiosk(dir, "a.db", server, kTanYen);
    const KioskCli b = installKiosk(dir, "b.db", server, kBachXa);
    std::set<std::string> submitted;
    for (int i = 0; i < 5; ++i) {
        submitted.insert(a.submit("Kiến nghị trước sao lưu " + std::to_string(i)));
        submitted.insert(b.submit("Kiến nghị trước sao lưu " + std::to_string(i)));
    }
    a.ok({"sync", "--once", "--timeout", "30"});
    b.ok({"sync", "--once", "--timeout", "30"});

    // Kiosk b keeps pushing while the backup runs.
    std::atomic<bool> stop{false};
    std::atomic<int> pushedDuring{0};
    std::vector<std::string> duringCodes;
    std::thread pusher([&] {
        for (int i = 0; i < 40 && !stop; ++i) {
            auto r = b.run({"submit-petition", "--type", "kien-nghi", "--phone", "0912345678", "--content",
                            "Kiến nghị trong lúc sao lưu " + std::to_string(i)});
            if (r.exitCode == 0) duringCodes.push_back(r.out.substr(0, r.out.find('\n')));
            if (b.run({"sync", "--once", "--timeout", "30"}).exitCode == 0) ++pushedDuring;
        }
    });
    const std::string backupDir = dir.file("backups");
    std::string copy;
    for (int i = 0; i < 3; ++i) copy = backupOk(server.db(), backupDir, "2");
    stop = true;
    pusher.join();
    submitted.insert(duringCodes.begin(), duringCodes.end());
    CHECK(pushedDuring > 0);
    // Rotation kept the newest two sets, each a database with its key file.
    int sets = 0;
    for (const auto& entry : fs::directory_iterator(backupDir)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() == ".db") {
            ++sets;
            CHECK(fs::exists(entry.path().string() + ".keys"));
            CHECK((fs::status(entry.path()).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
                  fs::perms::none);
        }
        CHECK(name.find("partial") == std::string::npos);
    }
    CHECK(sets == 2);

    // After the backup the district acknowledges more, then loses its database and its WAL.
    for (int i = 0; i < 3; ++i) submitted.insert(a.submit("Kiến nghị sau sao lưu " + std::to_string(i)));
    a.ok({"sync", "--once", "--timeout", "30"});
    REQUIRE(districtCodes(server.db()) == submitted);
    const int port = server.port();
    server.kill(SIGKILL);
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(server.db() + suffix);

    auto restored = district({"restore", "--from", copy, "--db", server.db(), "--json"});
    INFO(restored.err);
    REQUIRE(restored.exitCode == 0);
    auto j = nlohmann::json::parse(restored.out, nullptr, false);
    CHECK(j["key_file_kept"] == true);  // the key file beside the database was never lost

    // The restored district is behind; the kiosks resend what it no longer holds.
    server.start(port);
    for (int pass = 0; pass < 3; ++pass) {
        a.ok({"sync", "--once", "--timeout", "30"});
        b.ok({"sync", "--once", "--timeout", "30"});
    }
    server.kill(SIGTERM);
    const std::set<std::string> held = districtCodes(server.db());
    for (const std::string& code : submitted)
        if (!held.count(code)) {
            UNSCOPED_INFO("missing " << code << ": " << b.run({"sync", "--state", "--json"}).out
                                     << b.run({"records", "--json"}).out.substr(0, 3000));
        }
    CHECK(held == submitted);
}

TEST_CASE("e2e backup: a damaged, foreign or non-district backup is refused and the target untouched") {
    testing_support::sqliteOnly("backup and restore copy an SQLite file (pgBackRest on PostgreSQL)");
    TempDir dir;
    const std::string db = dir.file("district.db");
    REQUIRE(district({"keygen", "--db", db}).exitCode == 0);
    (void)enroll(db, kTanYen);
    const std::string good = backupOk(db, dir.file("backups"));
    const std::string before = readBytes(db);

    auto refused = [&](const std::string& from, const char* says) {
        auto r = district({"restore", "--from", from, "--db", db, "--lang", "en"});
        INFO(r.err);
        CHECK(r.exitCode == 2);
        CHECK(r.err.find(says) != std::string::npos);
        CHECK(readBytes(db) == before);
        CHECK_FALSE(fs::exists(db + ".restore.partial"));
    };

    // Damaged: bytes overwritten in the middle of the file.
    const std::string damaged = dir.file("damaged.db");
    fs::copy_file(good, damaged);
    fs::copy_file(good + ".keys", damaged + ".keys");
    {
        std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(fs::file_size(damaged) / 2));
        const std::string junk(8192, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    refused(damaged, "damaged");

    // Another district: its own identity key.
    const std::string other = dir.file("other.db");
    REQUIRE(district({"keygen", "--db", other}).exitCode == 0);
    const std::string otherCopy = backupOk(other, dir.file("other-backups"));
    refused(otherCopy, "another district");

    // Not a district database at all.
    const std::string text = dir.file("notes.db");
    std::ofstream(text) << "not a database\n";
    refused(text, "");

    // A restore onto a target a running server holds is refused for now (exit 3).
    DistrictProcess server(db);
    server.start();
    auto busy = district({"restore", "--from", good, "--db", db, "--lang", "en"});
    CHECK(busy.exitCode == 3);
    CHECK(busy.err.find("stop the server") != std::string::npos);
    server.kill(SIGTERM);
}

TEST_CASE("e2e backup: a backup killed half way leaves no backup, and the next one is whole") {
    testing_support::sqliteOnly("backup and restore copy an SQLite file (pgBackRest on PostgreSQL)");
    TempDir dir;
    const std::string db = dir.file("district.db");
    REQUIRE(district({"keygen", "--db", db}).exitCode == 0);
    {
        // About 96 MiB of rows, so the copy and its check take long enough to be killed in the middle.
        auto store = kiosk::store::Database::open(db, false);
        REQUIRE(store.ok());
        REQUIRE(store
                    ->exec("CREATE TABLE ballast(b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                           "SELECT i + 1 FROM n WHERE i < 3072) INSERT INTO ballast SELECT randomblob(32768) "
                           "FROM n")
                    .ok());
    }
    const std::string backups = dir.file("backups");
    fs::create_directories(backups);
    const auto backupDirFiles = [&] {
        std::set<std::string> names;
        for (const auto& entry : fs::directory_iterator(backups))
            names.insert(entry.path().filename().string());
        return names;
    };
    Child backup(testing_support::binPath("district-server"), {"backup", "--db", db, "--out", backups},
                 dir.file("backup.log"));
    // SIGKILL as soon as the copy exists, before it is checked and renamed.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (backupDirFiles().empty() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    REQUIRE_FALSE(backupDirFiles().empty());
    backup.stop(SIGKILL);
    const std::set<std::string> left = backupDirFiles();
    INFO("left by the killed backup: " << nlohmann::json(left).dump());
    for (const auto& name : left) CHECK(name.front() == '.');  // nothing that looks like a backup

    // The database itself is untouched, and the next backup is whole and clears what was left.
    {
        auto store = kiosk::store::Database::open(db, false);
        REQUIRE(store.ok());
        CHECK(store->integrityCheck().value() == "ok");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a set of another name (its second)
    const std::string copy = backupOk(db, backups);
    CHECK(backupDirFiles() == std::set<std::string>{fs::path(copy).filename().string(),
                                                    fs::path(copy).filename().string() + ".keys"});
}
