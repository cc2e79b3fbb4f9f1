// district-server migrate-store (docs/postgresql.md "Moving a district to PostgreSQL"), as a
// technician runs it: a real SQLite district with kiosks, pushes and a key file copied into a real,
// empty PostgreSQL database; the copy answers the same, keeps its store id (kiosks' cursors stay
// valid) and continues the change feed's numbers; a second run into the same database and a key
// file that is not the district's are refused in Vietnamese and English.
#include <nlohmann/json.hpp>

#include "district/office/keys.h"
#include "district/sync/push_judgement.h"
#include "tests/support/server_fixture.h"

using namespace server_test;
using kiosk::district::DistrictStore;
using testing_support::binPath;
using testing_support::runProgram;

namespace {

testing_support::RunResult district(const std::vector<std::string>& args) {
    return runProgram(binPath("district-server"), args);
}

// An SQLite district with one kiosk, `records` pushed records and a key pair.
void makeSource(const std::string& file, int records) {
    REQUIRE(district({"keygen", "--db", file}).exitCode == 0);
    auto opened = DistrictStore::open(file, false);
    REQUIRE(opened);
    DistrictStore& store = **opened;
    auto enrolled = store.enrollKiosk(kCommuneA, 0);
    REQUIRE(enrolled);
    const Kiosk k{enrolled->kioskId, enrolled->commune, enrolled->token, enrolled->slot};
    std::vector<kiosk::Event> events;
    for (int i = 1; i <= records; ++i) events.push_back(submitEvent(k, i, codeFor(k, 80000 + i)));
    auto request = kiosk::protocol::decodePushRequest(pushBody(k, events));
    REQUIRE(request);
    kiosk::store::Transaction tx(store.database());
    auto answer = kiosk::district::applyPush(store, {k.id, k.commune, false, k.slot}, *request, 1,
                                             kiosk::DeadlineRules{});
    REQUIRE(answer);
    REQUIRE(tx.commit());
}

}  // namespace

TEST_CASE("migrate-store copies an SQLite district into an empty PostgreSQL database, checked",
          "[server][migrate]") {
    testing_support::postgresOnly("migrate-store copies into PostgreSQL");
    testing_support::TempDir dir;
    const std::string source = dir.file("source.db");
    makeSource(source, 40);
    const std::string target = dir.file("district.db");  // a fresh PostgreSQL database

    auto copied = district({"migrate-store", "--from", source, "--to", target, "--json"});
    INFO(copied.err);
    REQUIRE(copied.exitCode == 0);
    const auto tables = nlohmann::json::parse(copied.out)["tables"];
    CHECK(tables["records"] == 40);
    CHECK(tables["events"] == 40);
    CHECK(tables["changes"] == 40);
    CHECK(tables["kiosks"] == 1);
    CHECK(copied.err.find("events") != std::string::npos);  // progress, table by table

    // The copy answers as the file does, under the same store id, with the same key file.
    for (const char* command : {"records", "kiosks"}) {
        std::vector<std::string> args{command, "--db", source, "--json"};
        const auto fromFile = district(args);
        args[args.size() - 2] = target;
        const auto fromCopy = district(args);
        REQUIRE(fromFile.exitCode == 0);
        REQUIRE(fromCopy.exitCode == 0);
        CHECK(fromCopy.out == fromFile.out);
    }
    {
        auto file = DistrictStore::open(source, false);
        auto copy = DistrictStore::open(target, false);
        REQUIRE(file);
        REQUIRE(copy);
        CHECK((*copy)->storeId() == (*file)->storeId());
        CHECK(kiosk::district::districtKeyFile(**copy) ==
              std::filesystem::absolute(source + ".keys").string());
        CHECK(kiosk::district::districtPublicKey(**copy) == kiosk::district::districtPublicKey(**file));
        // The change feed goes on after the copied numbers.
        kiosk::store::Transaction tx((*copy)->database());
        auto seq = (*copy)->appendChange(kCommuneA, kiosk::protocol::ChangeType::Holidays, "{}", 1);
        REQUIRE(seq);
        CHECK(*seq == 41);
    }

    // Into a database that holds a district: refused, nothing changed.
    auto again = district({"migrate-store", "--from", source, "--to", target});
    CHECK(again.exitCode == 2);
    CHECK(again.err.find("trống") != std::string::npos);
    auto againEn = district({"migrate-store", "--from", source, "--to", target, "--lang", "en"});
    CHECK(againEn.err.find("empty database") != std::string::npos);

    // With a key file that is not the district's: refused (another database, another district's key).
    testing_support::TempDir other;
    const std::string stranger = other.file("stranger.db");
    REQUIRE(district({"keygen", "--db", stranger}).exitCode == 0);
    auto wrongKey = district({"migrate-store", "--from", source, "--to", other.file("district.db"),
                              "--key-file", stranger + ".keys", "--lang", "en"});
    CHECK(wrongKey.exitCode == 2);
    CHECK(wrongKey.err.find("does not open") != std::string::npos);

    // backup and restore are SQLite's: on PostgreSQL they say what to use instead.
    auto backup = district({"backup", "--db", target, "--out", dir.file("backups"), "--lang", "en"});
    CHECK(backup.exitCode == 2);
    CHECK(backup.err.find("pgBackRest") != std::string::npos);
    auto restore = district({"restore", "--from", source, "--db", target});
    CHECK(restore.exitCode == 2);
    CHECK(restore.err.find("pgBackRest") != std::string::npos);
}
