// A commune's day played by the kioskctl under test against the current district-server: set up,
// an officer registered, petitions taken, one accepted, all synced. In the suite the kioskctl is
// today's. `scripts/test --upgrade` runs the tests tagged [upgrade] with KIOSK_TEST_BIN_DIR holding
// the previous release's kioskctl (built from its tag) beside today's district-server, and
// KIOSK_UPGRADE_FROM naming that release: what a commune meets when its district is upgraded
// first. A release below protocol::kMinimumKioskVersion (0.1.0) signs no officer action, so its
// accept is refused (officer.signature) on purpose while its petitions arrive.
#include <cstdlib>
#include <map>

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
    std::vector<std::string> init{
        "init",    "--commune",   kTanYen, "--server", "http://127.0.0.1:" + std::to_string(district.port()),
        "--token", enrolled.token};
    // Options a release may not know yet (0.1.0 had no slots).
    if (kiosk.run({"init", "--help"}).out.find("--slot") != std::string::npos)
        init.insert(init.end(), {"--slot", enrolled.slot});
    kiosk.ok(init);
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
