// A succession taking effect, end to end: kiosk A of Xã Yên Thuận (02377) and kiosk B of Thị trấn
// Tân Yên (02374) work under the 18-commune map; the district restarts with the 2025 map and a
// TEST FIXTURE succession 02377 -> 02374 (not a fact: no source confirms where 02377 went). From
// then B's feed brings A's records, B's officer decides one of them and the district accepts it,
// A keeps taking petitions under its old code, A is told its commune changed, and once moved to
// 02374 A issues codes of 02374. Nothing is lost: the district's counts match the kiosks'.
// The real programs: build/bin/district-server and build/bin/kioskctl, the district on a socket.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/reference_data.h"
#include "kiosk/store/kiosk_store.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::runProgram;
using testing_support::TempDir;

namespace {

constexpr const char* kPin = "2468135790";
constexpr const char* kTanYen = "02374";
constexpr const char* kYenThuan = "02377";

// The repository's assets with the 2025 map and the fixture succession, for KIOSK_ASSETS.
std::string assets2025(const TempDir& dir) {
    namespace fs = std::filesystem;
    const fs::path source = kiosk::assetsDir();
    const fs::path target = dir.path() / "assets-2025";
    fs::copy(source, target, fs::copy_options::recursive);
    fs::copy_file(source / "maps" / "tuyen-quang-2025" / "units.tsv", target / "units.tsv",
                  fs::copy_options::overwrite_existing);
    std::ofstream(target / "succession.tsv") << "old_code\tnew_code\teffective_date\n"
                                             << "02377\t02374\t2025-07-01\n";
    return target.string();
}

testing_support::RunResult district(const std::vector<std::string>& args) {
    return runProgram(testing_support::binPath("district-server"), args);
}

nlohmann::json recordsOf(const nlohmann::json& records, const std::string& code) {
    for (const auto& r : records)
        if (r.value("code", "") == code) return r;
    return nullptr;
}

struct ScopedEnv {
    explicit ScopedEnv(const std::string& value) { setenv("KIOSK_ASSETS", value.c_str(), 1); }
    ~ScopedEnv() { unsetenv("KIOSK_ASSETS"); }
};

}  // namespace

TEST_CASE("e2e: a succession takes effect in sync and at the kiosks and nothing is lost") {
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    const Enrolled tokenA = enroll(districtDb, kYenThuan);
    const Enrolled tokenB = enroll(districtDb, kTanYen);
    DistrictProcess server(districtDb);
    server.start();
    const int port = server.port();
    const std::string url = "http://127.0.0.1:" + std::to_string(port);

    KioskCli a{dir.file("kiosk-a.db"), {}};
    KioskCli b{dir.file("kiosk-b.db"), {}};
    a.ok({"init", "--commune", kYenThuan, "--server", url, "--token", tokenA.token, "--slot", tokenA.slot});
    b.ok({"init", "--commune", kTanYen, "--server", url, "--token", tokenB.token, "--slot", tokenB.slot});
    b.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Văn Sơn", "--pin-stdin"}, kPin);
    registerOfficer(b, districtDb, kTanYen, "cb01");

    const std::string codeA = a.submit("Đề nghị sửa cầu tràn thôn 3.", "0912345678");
    const std::string codeB = b.submit("Phản ánh đèn đường hỏng.", "0987654321");
    REQUIRE(codeA.rfind(kYenThuan, 0) == 0);
    a.ok({"sync", "--once", "--timeout", "60"});
    b.ok({"sync", "--once", "--timeout", "60"});
    {
        // Under the 18-commune map each kiosk sees its own commune's records only.
        auto store = kiosk::store::KioskStore::open(b.db);
        REQUIRE(store.ok());
        CHECK((*store)->countRecords().value() == 1);
    }

    // The district moves to the 2025 map with the succession 02377 -> 02374.
    CHECK(server.kill(SIGTERM) == 0);
    ScopedEnv env(assets2025(dir));
    server.start(port);

    // (a) B's next pull brings A's record, changed before the succession took effect.
    b.ok({"sync", "--once", "--timeout", "60"});
    {
        auto store = kiosk::store::KioskStore::open(b.db);
        REQUIRE(store.ok());
        auto found = (*store)->find(codeA);
        REQUIRE(found.ok());
        CHECK(found->has_value());
        CHECK((*store)->countRecords().value() == 2);
    }
    // (b) The status check at B finds A's receipt code.
    {
        auto status = b.run({"status", codeA, "--phone-last4", "5678", "--json"});
        INFO(status.err);
        CHECK(status.exitCode == 0);
    }
    // B's officer decides A's record; the district accepts it.
    b.ok({"act", codeA, "--officer", "cb01", "--pin-stdin", "accept"}, kPin);
    b.ok({"sync", "--once", "--timeout", "60"});
    CHECK(b.json({"sync", "--state"})["rejected_events"] == 0);
    auto records = districtRecords(districtDb);
    CHECK(recordsOf(records, codeA).value("status", "") == "accepted");
    // (c) records --commune of the successor: extended elsewhere; said here when it is not yet.
    {
        auto listed = district({"records", "--db", districtDb, "--commune", kTanYen, "--json"});
        auto j = nlohmann::json::parse(listed.out, nullptr, false);
        if (!j.is_array() || recordsOf(j, codeA).is_null())
            WARN("district-server records --commune 02374 does not list 02377's records yet");
    }

    // (e), (f) A, still enrolled under the dissolved 02377, takes a petition and pushes it: accepted,
    // under its old code; it is told its commune changed; its feed still holds its own records.
    const std::string codeA2 = a.submit("Đề nghị làm đường vào thôn 5.", "0911222333");
    REQUIRE(codeA2.rfind(kYenThuan, 0) == 0);
    a.ok({"sync", "--once", "--timeout", "60"});
    auto stateA = a.json({"sync", "--state"});
    CHECK(stateA["rejected_events"] == 0);
    CHECK(stateA["events_waiting"] == 0);
    REQUIRE(stateA.contains("successor"));
    CHECK(stateA["successor"]["code"] == kTanYen);
    CHECK(stateA["successor"]["name"] == "Xã Hàm Yên");
    records = districtRecords(districtDb);
    CHECK(recordsOf(records, codeA2).value("commune", "") == kYenThuan);
    {
        auto store = kiosk::store::KioskStore::open(a.db);
        REQUIRE(store.ok());
        auto decided = (*store)->find(codeA);
        REQUIRE(decided.ok());
        REQUIRE(decided->has_value());
        CHECK((**decided).status == kiosk::RecordStatus::Accepted);
    }

    // Moved to the successor: the same token, a slot of 02374; its next codes carry 02374, and the
    // petition it took before the move, not sent yet, is accepted under its old code.
    const std::string third = a.submit("Phản ánh nước sinh hoạt yếu.", "0933444555");
    auto moved = district({"move-kiosk", "--db", districtDb, "--kiosk", stateA.value("kiosk", ""),
                           "--commune", kTanYen, "--json"});
    INFO(moved.err);
    REQUIRE(moved.exitCode == 0);
    const auto movedJson = nlohmann::json::parse(moved.out, nullptr, false);
    REQUIRE(movedJson.contains("slot"));
    const std::string newSlot = std::to_string(movedJson["slot"].get<int>());
    a.ok({"init", "--commune", kTanYen, "--slot", newSlot});
    CHECK_FALSE(a.json({"sync", "--state"}).contains("successor"));
    const std::string codeA4 = a.submit("Đề nghị hỗ trợ giống lúa.", "0944555666");
    CHECK(codeA4.rfind(kTanYen, 0) == 0);
    a.ok({"sync", "--once", "--timeout", "60"});
    stateA = a.json({"sync", "--state"});
    CHECK(stateA["rejected_events"] == 0);
    CHECK(stateA["events_waiting"] == 0);
    CHECK_FALSE(stateA.contains("successor"));
    CHECK(recordsOf(districtRecords(districtDb), third).value("commune", "") == kYenThuan);

    // Nothing lost: every petition is at the district once, and both kiosks hold all of them.
    b.ok({"sync", "--once", "--timeout", "60"});
    records = districtRecords(districtDb);
    CHECK(records.size() == 5);
    for (const std::string& code : {codeA, codeB, codeA2, third, codeA4})
        CHECK_FALSE(recordsOf(records, code).is_null());
    for (const KioskCli* k : {&a, &b}) {
        auto store = kiosk::store::KioskStore::open(k->db);
        REQUIRE(store.ok());
        CHECK((*store)->countRecords().value() == 5);
    }
    auto codes = district({"check-codes", "--db", districtDb, "--json"});
    INFO(codes.out << codes.err);
    CHECK(codes.exitCode == 0);
    CHECK(server.kill(SIGTERM) == 0);
}
