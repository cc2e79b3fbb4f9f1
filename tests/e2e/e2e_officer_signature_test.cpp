// Commune officers' actions carry the officer's signature, and the district accepts them only
// under a key it registered for that officer in the pushing kiosk's commune. Real programs: kioskctl
// (officer add, act, sync over a real socket) and district-server (serve, commune-officer add,
// records). The forged events are what a holder of the kiosk's token could send: an officer the
// district never registered, a signed event changed after signing, and officer X's signature on an
// event claiming officer Y.
#include <map>

#include "kiosk/store/kiosk_store.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

constexpr const char* kCommune = "02374";

std::string signingKeyOf(const KioskCli& kiosk, const std::string& id) {
    for (const auto& o : kiosk.json({"officer", "list"}))
        if (o["id"] == id) return o["signing_key"].get<std::string>();
    FAIL("no officer " << id);
    return "";
}

void editKioskDb(const std::string& db, const std::string& sql) {
    auto store = kiosk::store::KioskStore::open(db);
    REQUIRE(store.ok());
    REQUIRE((*store)->database().exec(sql).ok());
}

// The district's reason for a kiosk's own event on the record, as the officer console shows it.
std::string kioskRejection(const std::string& db, const std::string& code) {
    auto store = kiosk::store::KioskStore::open(db);
    REQUIRE(store.ok());
    auto history = (*store)->history(code);
    REQUIRE(history.ok());
    std::string reasons;
    for (const auto& h : *history)
        if (h.districtVerdict == "rejected") reasons += h.rejectReason;
    return reasons;
}

}  // namespace

TEST_CASE("e2e: the district accepts a registered officer's signed action and refuses forged ones") {
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    const Enrolled enrolled = enroll(districtDb, kCommune);
    DistrictProcess district(districtDb);
    district.start();
    const KioskCli kiosk{dir.file("kiosk.db"), {}};
    kiosk.ok({"init", "--commune", kCommune, "--server",
              "http://127.0.0.1:" + std::to_string(district.port()), "--token", enrolled.token, "--slot",
              enrolled.slot});
    // cb01 and cb02 are registered at the district; cb03 only exists on the kiosk.
    const std::string added =
        kiosk.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Văn Sơn", "--pin-stdin"}, "2468101214");
    CHECK(added == "cb01\t" + signingKeyOf(kiosk, "cb01"));  // what the installer registers
    kiosk.ok({"officer", "add", "--id", "cb02", "--name", "Lê Thị Mai", "--pin-stdin"}, "1357902468");
    kiosk.ok({"officer", "add", "--id", "cb03", "--name", "Vũ Văn Long", "--pin-stdin"}, "1122334455");
    registerOfficer(kiosk, districtDb, kCommune, "cb01");
    registerOfficer(kiosk, districtDb, kCommune, "cb02");
    auto listed = testing_support::runProgram(testing_support::binPath("district-server"),
                                              {"commune-officer", "list", "--db", districtDb, "--json"});
    REQUIRE(listed.exitCode == 0);
    CHECK(nlohmann::json::parse(listed.out).size() == 2);

    const std::string signedOk = kiosk.submit("Đề nghị sửa cầu treo thôn Khuôn Khoai.");
    const std::string unregistered = kiosk.submit("Phản ánh đèn đường hỏng.");
    const std::string tampered = kiosk.submit("Đề nghị nạo vét kênh mương.");
    const std::string impersonated = kiosk.submit("Đề nghị làm lại biển báo.");
    kiosk.ok({"sync", "--once", "--timeout", "60"});

    kiosk.ok({"act", signedOk, "--officer", "cb01", "--pin-stdin", "accept"}, "2468101214");
    kiosk.ok({"act", unregistered, "--officer", "cb03", "--pin-stdin", "accept"}, "1122334455");
    kiosk.ok({"act", tampered, "--officer", "cb01", "--pin-stdin", "accept"}, "2468101214");
    kiosk.ok({"act", impersonated, "--officer", "cb01", "--pin-stdin", "accept"}, "2468101214");
    // Changed after signing: a note added; and cb01's signed event made to claim cb02 (with cb02's key).
    editKioskDb(kiosk.db,
                "UPDATE events SET payload = json_set(payload, '$.note', 'sửa sau khi ký') "
                "WHERE record_code = '" +
                    tampered + "' AND action = 'accept'");
    editKioskDb(kiosk.db,
                "UPDATE events SET actor_id = 'cb02', payload = json_set(payload, '$.officer_key', '" +
                    signingKeyOf(kiosk, "cb02") + "') WHERE record_code = '" + impersonated +
                    "' AND action = 'accept'");
    kiosk.ok({"sync", "--once", "--timeout", "60"});

    std::map<std::string, std::string> status;
    for (const auto& r : districtRecords(districtDb)) status[r["code"]] = r["status"];
    CHECK(status[signedOk] == "accepted");
    CHECK(status[unregistered] == "received");
    CHECK(status[tampered] == "received");
    CHECK(status[impersonated] == "received");

    // The reasons reach the kiosk and show where the console shows a rejection.
    CHECK(kioskRejection(kiosk.db, signedOk).empty());
    CHECK(kioskRejection(kiosk.db, unregistered).find("officer.unknown") != std::string::npos);
    CHECK(kioskRejection(kiosk.db, tampered).find("officer.signature") != std::string::npos);
    CHECK(kioskRejection(kiosk.db, impersonated).find("officer.signature") != std::string::npos);

    // Disabled at the district: cb01's next action is refused too.
    auto disabled = testing_support::runProgram(
        testing_support::binPath("district-server"),
        {"commune-officer", "disable", "--db", districtDb, "--commune", kCommune, "--id", "cb01"});
    REQUIRE(disabled.exitCode == 0);
    kiosk.ok({"act", signedOk, "--officer", "cb01", "--pin-stdin", "request-info", "--note", "Bổ sung sổ đỏ"},
             "2468101214");
    kiosk.ok({"sync", "--once", "--timeout", "60"});
    for (const auto& r : districtRecords(districtDb)) status[r["code"]] = r["status"];
    CHECK(status[signedOk] == "accepted");
    CHECK(kioskRejection(kiosk.db, signedOk).find("officer.disabled") != std::string::npos);
}
