// A commune's day played by the kioskctl under test against the current district-server: set up,
// an officer registered, petitions taken, one accepted, all synced. In the suite the kioskctl is
// today's. `scripts/test --upgrade` runs the tests tagged [upgrade] with KIOSK_TEST_BIN_DIR holding
// the previous release's kioskctl (built from its tag) beside today's district-server, and
// KIOSK_UPGRADE_FROM naming that release: what a commune meets when its district is upgraded
// first. A release below protocol::kMinimumKioskVersion (0.1.0) signs no officer action, so its
// accept is refused (officer.signature) on purpose while its petitions arrive.
#include <cstdlib>
#include <map>

#include "build_paths.h"
#include "common/database.h"
#include "sync/protocol/kiosk_version.h"
#include "sync/protocol/messages.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

// The release on the kiosk's side: KIOSK_UPGRADE_FROM under scripts/test --upgrade, else today's.
std::string kioskVersion() {
    const char* from = std::getenv("KIOSK_UPGRADE_FROM");
    return from && *from ? from : KIOSK_APP_VERSION;
}

// The actions of a record's events in a kiosk's database, read without a kioskctl (today's would
// migrate a released kiosk's file on opening it).
std::vector<std::string> actionsAt(const std::string& kioskDb, const std::string& code) {
    auto db = kiosk::store::Database::open(kioskDb, false);
    REQUIRE(db);
    auto st = db->prepare("SELECT action FROM events WHERE record_code = ? ORDER BY rowid");
    REQUIRE(st);
    st->bind(1, code);
    std::vector<std::string> out;
    while (st->step().value()) out.push_back(st->text(0));
    return out;
}

// A kioskctl of this build whatever KIOSK_TEST_BIN_DIR says: KioskCli runs its prefix with the
// kioskctl it would run appended, and the shell puts this build's in its place.
KioskCli todaysKioskctl(const std::string& db) {
    return KioskCli{
        db, {"/bin/sh", "-c", std::string("shift; exec '") + KIOSK_BIN_DIR + "/kioskctl' \"$@\"", "sh"}};
}

// `kioskctl init` for the commune, with the options the kiosk's release knows (0.1.0 had no slots).
void initKiosk(const KioskCli& kiosk, const std::string& commune, int port, const Enrolled& enrolled) {
    std::vector<std::string> init{
        "init",    "--commune",   commune, "--server", "http://127.0.0.1:" + std::to_string(port),
        "--token", enrolled.token};
    if (kiosk.run({"init", "--help"}).out.find("--slot") != std::string::npos)
        init.insert(init.end(), {"--slot", enrolled.slot});
    kiosk.ok(init);
}

}  // namespace

TEST_CASE("e2e upgrade: the kiosk's kioskctl syncs its day with the current server", "[upgrade]") {
    constexpr const char* kTanYen = "02374";
    const std::string version = kioskVersion();
    const bool tooOld = kiosk::protocol::versionBelow(version);
    INFO("kiosk version " << version);
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    const Enrolled enrolled = enroll(districtDb, kTanYen);
    DistrictProcess district(districtDb);
    district.start();
    const KioskCli kiosk{dir.file("kiosk.db"), {}};
    initKiosk(kiosk, kTanYen, district.port(), enrolled);
    kiosk.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Văn Sơn", "--pin-stdin"}, "2468101214");
    const bool registered = registerOfficerRun(kiosk, districtDb, kTanYen, "cb01").exitCode == 0;
    CHECK(registered == !tooOld);  // 0.1.0 officers have no signing key to register

    const std::string accepted = kiosk.submit("Khiếu nại việc thu hồi đất thửa số 112.");
    const std::string waiting = kiosk.submit("Khiếu nại việc cấp phép xây dựng sai.");
    kiosk.ok({"act", accepted, "--officer", "cb01", "--pin-stdin", "accept"}, "2468101214");
    kiosk.ok({"sync", "--once", "--timeout", "60"});

    std::map<std::string, std::string> status;
    for (const auto& r : districtRecords(districtDb)) status[r["code"]] = r["status"];
    CHECK(status.size() == 2);
    CHECK(status[waiting] == "received");
    CHECK(status[accepted] == (tooOld ? "received" : "accepted"));
    const auto kiosks =
        nlohmann::json::parse(testing_support::runProgram(testing_support::binPath("district-server"),
                                                          {"kiosks", "--db", districtDb, "--json"})
                                  .out);
    REQUIRE(kiosks.size() == 1);
    // What it says it is: releases before 0.4.0 all said "0.1.0".
    const bool saysAmbiguous = kiosk::protocol::versionBelow(version, "0.4.0");
    CHECK(kiosks[0]["app_version"] ==
          (saysAmbiguous ? std::string(kiosk::protocol::kAmbiguousKioskVersion) : version));
    // Today's kioskctl says what the district told it; a release before that cannot.
    if (version == KIOSK_APP_VERSION) CHECK_FALSE(kiosk.json({"sync", "--state"}).contains("too_old"));
}

TEST_CASE("e2e upgrade: the kiosk keeps pulling while today's kiosk marks a petition signed", "[upgrade]") {
    constexpr const char* kTanYen = "02374";
    const std::string version = kioskVersion();
    INFO("kiosk version " << version);
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    const Enrolled olderToken = enroll(districtDb, kTanYen);
    const Enrolled newerToken = enroll(districtDb, kTanYen);
    DistrictProcess district(districtDb);
    district.start();
    const KioskCli older{dir.file("older.db"), {}};  // the release under test
    const KioskCli newer = todaysKioskctl(dir.file("newer.db"));
    initKiosk(older, kTanYen, district.port(), olderToken);
    initKiosk(newer, kTanYen, district.port(), newerToken);
    newer.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Văn Sơn", "--pin-stdin"}, "2468101214");
    registerOfficer(newer, districtDb, kTanYen, "cb01");

    const std::string code = newer.submit("Khiếu nại việc thu hồi đất thửa số 112.");
    newer.ok({"sync", "--once", "--timeout", "60"});
    older.ok({"sync", "--once", "--timeout", "60"});
    newer.ok({"act", code, "--officer", "cb01", "--pin-stdin", "mark-signed", "--note", "điểm chỉ"},
             "2468101214");
    const std::string later = newer.submit("Khiếu nại việc cấp phép xây dựng sai.");
    newer.ok({"sync", "--once", "--timeout", "60"});

    // The older kiosk's pull goes on: the petition taken after the mark reaches it; the mark, an
    // action its release does not read, only from the release that reads it.
    older.ok({"sync", "--once", "--timeout", "60"});
    CHECK(actionsAt(older.db, later) == std::vector<std::string>{"submit"});
    const bool readsMark = !kiosk::protocol::versionBelow(version, "0.5.0");
    CHECK(actionsAt(older.db, code) == (readsMark ? std::vector<std::string>{"submit", "mark-signed"}
                                                  : std::vector<std::string>{"submit"}));

    // Upgraded in place: today's kioskctl on the same database and token receives the mark it missed.
    const KioskCli upgraded = todaysKioskctl(older.db);
    upgraded.ok({"sync", "--once", "--timeout", "60"});
    CHECK(actionsAt(older.db, code) == std::vector<std::string>{"submit", "mark-signed"});
    const auto status = upgraded.json({"status", code, "--phone-last4", "5678"});
    std::vector<std::string> history;
    for (const auto& h : status["history"]) history.push_back(h.value("action", ""));
    CHECK(history == std::vector<std::string>{"submit", "mark-signed"});
    CHECK(upgraded.json({"sync", "--state"})["events_waiting"] == 0);
}
