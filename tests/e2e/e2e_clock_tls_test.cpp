// Clocks lie and certificates matter (docs/sync-rules.md rule 9, docs/testing.md "Clocks"): over HTTPS with a
// throwaway CA made by openssl (certificates valid from a year back, as deployments issue them), a
// kiosk whose clock is 3 days behind and one an hour ahead both sync; the district orders their
// events on one record correctly; `kioskctl sync --state` says each clock is wrong. A kiosk refuses
// a server whose certificate its CA did not sign. Needs openssl and faketime (Debian packages);
// without them the test exits 77 (skipped).
#include <unistd.h>

#include <cstdlib>

#include "common/database.h"
#include "tests/support/e2e_support.h"
#include "tests/support/test_certificates.h"

using namespace e2e;
using testing_support::kEnv;
using testing_support::kFaketime;
using testing_support::kOpenssl;
using testing_support::makeCertificates;
using testing_support::runProgram;
using testing_support::TempDir;

namespace {

// ASan's options for a child that faketime's LD_PRELOAD puts in front of the ASan runtime (the
// sanitizer build): the link-order check would abort it; the interception itself works.
std::string asanOptionsForPreload() {
    const char* inherited = std::getenv("ASAN_OPTIONS");
    std::string options = inherited && *inherited ? std::string(inherited) + ":" : std::string();
    return "ASAN_OPTIONS=" + options + "verify_asan_link_order=0";
}

// kioskctl for a kiosk living `offset` away from the real time (faketime's -f syntax).
KioskCli kioskAt(const std::string& db, const std::string& offset) {
    return KioskCli{
        db, {kEnv, asanOptionsForPreload(), "FAKETIME_DONT_FAKE_MONOTONIC=1", kFaketime, "-f", offset}};
}

}  // namespace

TEST_CASE("e2e clock: kiosks 3 days behind and 1 hour ahead sync over HTTPS, in the right order") {
    if (access(kOpenssl, X_OK) != 0 || access(kFaketime, X_OK) != 0) {
        WARN("openssl or faketime missing (apt install openssl faketime): skipped");
        std::exit(77);
    }
    TempDir dir;
    makeCertificates(dir, "");
    makeCertificates(dir, "rogue-");
    const std::string districtDb = dir.file("district.db");
    const Enrolled behindKiosk = enroll(districtDb, "02374");
    const Enrolled aheadKiosk = enroll(districtDb, "02374");
    DistrictProcess district(districtDb,
                             {"--tls-cert", dir.file("server.pem"), "--tls-key", dir.file("server.key")});
    district.start();
    const std::string url = "https://127.0.0.1:" + std::to_string(district.port());

    const KioskCli behind = kioskAt(dir.file("behind.db"), "-3d");
    const KioskCli ahead = kioskAt(dir.file("ahead.db"), "+1h");
    behind.ok({"init", "--commune", "02374", "--server", url, "--token", behindKiosk.token, "--slot",
               behindKiosk.slot, "--ca", dir.file("ca.pem")});
    ahead.ok({"init", "--commune", "02374", "--server", url, "--token", aheadKiosk.token, "--slot",
              aheadKiosk.slot, "--ca", dir.file("ca.pem")});

    // The kiosk an hour ahead takes a petition; the one 3 days behind learns of it and an officer
    // there accepts it. By wall clocks the acceptance came first; by the hybrid clock it comes after.
    const std::string code = ahead.submit("Đề nghị sửa cầu treo bản Nà Khá.");
    ahead.ok({"sync", "--once", "--timeout", "60"});
    behind.ok({"sync", "--once", "--timeout", "60"});
    behind.ok({"officer", "add", "--id", "cb07", "--name", "Triệu Thị Mai", "--pin-stdin"}, "9753108642");
    registerOfficer(behind, districtDb, "02374", "cb07");
    behind.ok({"act", code, "--officer", "cb07", "--pin-stdin", "accept"}, "9753108642");
    const std::string own = behind.submit("Phản ánh nước sinh hoạt bị đục.");
    behind.ok({"sync", "--once", "--timeout", "60"});
    ahead.ok({"sync", "--once", "--timeout", "60"});

    // The district: both records, the accepted one with submit before accept.
    std::map<std::string, nlohmann::json> byCode;
    for (const auto& r : districtRecords(districtDb)) byCode[r["code"].get<std::string>()] = r;
    REQUIRE(byCode.size() == 2);
    CHECK(byCode[code]["status"] == "accepted");
    CHECK(byCode[own]["status"] == "received");
    {
        auto db = kiosk::store::Database::open(districtDb, false);
        REQUIRE(db.ok());
        auto st = db->prepare(
            "SELECT action, at FROM events WHERE record = ? AND verdict = 'accepted' ORDER BY hlc");
        REQUIRE(st.ok());
        st->bind(1, code);
        std::vector<std::string> actions;
        std::vector<int64_t> wallClocks;
        while (st->step().value()) {
            actions.push_back(st->text(0));
            wallClocks.push_back(st->integer(1));
        }
        REQUIRE(actions == std::vector<std::string>{"submit", "accept"});
        CHECK(wallClocks[1] < wallClocks[0]);  // the wall clocks alone would have had it backwards
    }
    // Both kiosks show the district's status for the record.
    CHECK(ahead.json({"status", code, "--phone-last4", "5678"})["status"] == "accepted");
    CHECK(behind.json({"list"}).size() == 2);

    // Each kiosk says its clock is wrong, and which way.
    auto stateBehind = behind.json({"sync", "--state"});
    auto stateAhead = ahead.json({"sync", "--state"});
    CHECK(stateBehind["clock_wrong"] == true);
    CHECK(stateAhead["clock_wrong"] == true);
    CHECK(stateBehind["clock_offset_ms"].get<int64_t>() > 2 * 86400 * 1000LL);  // district minus kiosk
    CHECK(stateAhead["clock_offset_ms"].get<int64_t>() < -50 * 60 * 1000LL);
    CHECK(stateBehind["events_waiting"] == 0);
    CHECK(stateAhead["events_waiting"] == 0);
    const std::string words = behind.ok({"sync", "--state", "--lang", "en"});
    CHECK(words.find("WRONG") != std::string::npos);
    CHECK(words.find("behind the server") != std::string::npos);
    const std::string vietnamese = ahead.ok({"sync", "--state"});
    CHECK(vietnamese.find("SAI") != std::string::npos);
    CHECK(vietnamese.find("nhanh hơn máy chủ") != std::string::npos);
    district.kill(SIGTERM);
}

TEST_CASE("e2e tls: a kiosk refuses a server whose certificate its CA did not sign") {
    if (access(kOpenssl, X_OK) != 0 || access(kFaketime, X_OK) != 0) {
        WARN("openssl or faketime missing (apt install openssl faketime): skipped");
        std::exit(77);
    }
    TempDir dir;
    makeCertificates(dir, "");
    makeCertificates(dir, "rogue-");
    const std::string districtDb = dir.file("district.db");
    const Enrolled enrolled = enroll(districtDb, "02377");
    // The server presents the rogue CA's certificate; the kiosk trusts only the district's CA.
    DistrictProcess impostor(
        districtDb, {"--tls-cert", dir.file("rogue-server.pem"), "--tls-key", dir.file("rogue-server.key")});
    impostor.start();
    const KioskCli k{dir.file("kiosk.db"), {}};
    k.ok({"init", "--commune", "02377", "--server", "https://127.0.0.1:" + std::to_string(impostor.port()),
          "--token", enrolled.token, "--slot", enrolled.slot, "--ca", dir.file("ca.pem")});
    k.submit("Đề nghị cấp lại sổ hộ nghèo.");
    // The refusal is at once; the timeout only bounds a hang, with room for a loaded machine.
    auto r = k.run({"sync", "--once", "--timeout", "10", "--lang", "en"});
    CHECK(r.exitCode == 3);
    INFO(r.err);
    CHECK(r.err.find("certificate") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // the reason in one line
    CHECK(k.json({"sync", "--state"})["events_waiting"] == 1);
    CHECK(districtRecords(districtDb).empty());  // nothing went to the impostor's store
    impostor.kill(SIGTERM);

    // The same kiosk and token against the real certificate: it goes through.
    DistrictProcess real(districtDb,
                         {"--tls-cert", dir.file("server.pem"), "--tls-key", dir.file("server.key")});
    real.start();
    k.ok({"init", "--commune", "02377", "--server", "https://127.0.0.1:" + std::to_string(real.port()),
          "--token", enrolled.token, "--slot", enrolled.slot, "--ca", dir.file("ca.pem")});
    k.ok({"sync", "--once", "--timeout", "30"});
    CHECK(districtRecords(districtDb).size() == 1);
    real.kill(SIGTERM);
}
