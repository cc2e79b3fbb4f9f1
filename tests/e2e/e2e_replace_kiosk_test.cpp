// A kiosk whose disk died, restored from the district alone: a new kiosk enrolled for the commune
// (a new token and slot), or the same kiosk's identity on a wiped disk (`kioskctl init` again with
// the token and slot it had). In its first pull it gets every record of its commune that is still
// open, answers the citizen's status check for them, and the receipt codes it then gives are new —
// never one the district already holds. Real district-server, real kioskctl, loopback.
#include <filesystem>
#include <set>

#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

namespace fs = std::filesystem;

constexpr const char* kTanYen = "02374";
constexpr const char* kBachXa = "02380";
constexpr const char* kPin = "2468135790";

std::string serverUrl(const DistrictProcess& server) {
    return "http://127.0.0.1:" + std::to_string(server.port());
}

KioskCli initKiosk(const TempDir& dir, const std::string& name, const DistrictProcess& server,
                   const std::string& commune, const Enrolled& e) {
    const KioskCli kiosk{dir.file(name), {}};
    kiosk.ok(
        {"init", "--commune", commune, "--server", serverUrl(server), "--token", e.token, "--slot", e.slot});
    return kiosk;
}

void syncOnce(const KioskCli& kiosk) { kiosk.ok({"sync", "--once", "--timeout", "60"}); }

std::set<std::string> localCodes(const KioskCli& kiosk) {
    std::set<std::string> codes;
    for (const auto& r : kiosk.json({"list"})) codes.insert(r["code"].get<std::string>());
    return codes;
}

std::set<std::string> districtCodes(const std::string& db) {
    std::set<std::string> codes;
    for (const auto& r : districtRecords(db)) codes.insert(r["code"].get<std::string>());
    return codes;
}

void removeDatabase(const std::string& db) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(db + suffix);
}

// The commune's kiosk before its disk dies: three complaints (one finished, one accepted, one just
// received) and a neighbouring commune's petition, all at the district.
struct Before {
    Enrolled enrolled;
    std::string finished, accepted, received, neighbours;
};

Before workBeforeTheDiskDies(const TempDir& dir, const DistrictProcess& server) {
    Before b{enroll(server.db(), kTanYen), {}, {}, {}, {}};
    const KioskCli kiosk = initKiosk(dir, "old.db", server, kTanYen, b.enrolled);
    b.finished = kiosk.submit("Khiếu nại việc đo đạc lại thửa đất số 112.");
    b.accepted = kiosk.submit("Khiếu nại việc thu phí chợ phiên.");
    b.received = kiosk.submit("Khiếu nại quyết định xử phạt hành chính.");
    kiosk.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Văn Tùng", "--pin-stdin"}, kPin);
    registerOfficer(kiosk, server.db(), kTanYen, "cb01");
    for (const std::string& code : {b.finished, b.accepted})
        kiosk.ok({"act", code, "--officer", "cb01", "--pin-stdin", "accept"}, kPin);
    kiosk.ok({"act", b.finished, "--officer", "cb01", "--pin-stdin", "resolve", "--note", "Đã đo lại."},
             kPin);
    syncOnce(kiosk);
    const KioskCli neighbour = initKiosk(dir, "neighbour.db", server, kBachXa, enroll(server.db(), kBachXa));
    b.neighbours = neighbour.submit("Khiếu nại việc chia đất rừng.");
    syncOnce(neighbour);
    REQUIRE(districtCodes(server.db()).size() == 4);
    removeDatabase(dir.file("old.db"));
    return b;
}

// What the restored kiosk must show and do: the open records in its first pull, the status check,
// and new codes that the district has never held.
void checkRestored(const KioskCli& kiosk, const Before& b, const DistrictProcess& server,
                   const std::string& slot) {
    syncOnce(kiosk);
    const std::set<std::string> local = localCodes(kiosk);
    CHECK(local.count(b.accepted) == 1);
    CHECK(local.count(b.received) == 1);
    CHECK(local.count(b.finished) == 1);
    CHECK(local.count(b.neighbours) == 0);
    CHECK(kiosk.json({"status", b.received, "--phone-last4", "5678"})["status"] == "received");
    CHECK(kiosk.json({"status", b.accepted, "--phone-last4", "5678"})["status"] == "accepted");

    const std::set<std::string> before = districtCodes(server.db());
    std::set<std::string> fresh;
    for (int i = 0; i < 3; ++i)
        fresh.insert(kiosk.submit("Khiếu nại số " + std::to_string(i) + " sau khi thay máy."));
    CHECK(fresh.size() == 3);
    for (const std::string& code : fresh) {
        CHECK(before.count(code) == 0);
        CHECK(code.substr(5, 2) == (slot.size() == 1 ? "0" + slot : slot));
    }
    syncOnce(kiosk);
    const auto state = kiosk.json({"sync", "--state"});
    CHECK(state["events_waiting"] == 0);
    const std::set<std::string> after = districtCodes(server.db());
    CHECK(after.size() == before.size() + 3);
    for (const std::string& code : fresh) CHECK(after.count(code) == 1);
}

}  // namespace

TEST_CASE("e2e replace: a new kiosk for the commune gets its open records and gives codes of a new slot") {
    TempDir dir;
    DistrictProcess server(dir.file("district.db"));
    server.start();
    const Before b = workBeforeTheDiskDies(dir, server);

    const Enrolled replacement = enroll(server.db(), kTanYen);
    CHECK(replacement.slot != b.enrolled.slot);
    const KioskCli kiosk = initKiosk(dir, "new.db", server, kTanYen, replacement);
    checkRestored(kiosk, b, server, replacement.slot);
}

TEST_CASE("e2e replace: the same kiosk on a wiped disk gets its open records and never reuses a code") {
    TempDir dir;
    DistrictProcess server(dir.file("district.db"));
    server.start();
    const Before b = workBeforeTheDiskDies(dir, server);

    const KioskCli kiosk = initKiosk(dir, "wiped.db", server, kTanYen, b.enrolled);
    checkRestored(kiosk, b, server, b.enrolled.slot);
}
