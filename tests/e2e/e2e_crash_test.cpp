// Crashes at every step (docs/sync-rules.md "How the best of them test it"): `kioskctl sync` is SIGKILLed at
// random moments at least 200 times — mid-push, between the answer and marking sent, mid-pull,
// between applying a page and saving the cursor — while the district server is SIGKILLed and
// restarted at least 50 times, some of them mid-batch. Citizens keep submitting meanwhile. In the
// end the district holds every record exactly once and every outbox is empty.
#include <random>

#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/sync_store.h"
#include "tests/support/store_fixture.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

// Opens the kiosk's file the way a second process would and adds records (the citizens).
std::vector<std::string> submitDirect(const std::string& db, int count, int64_t at) {
    auto store = kiosk::store::KioskStore::open(db);
    REQUIRE(store.ok());
    std::vector<std::string> codes;
    for (int i = 0; i < count; ++i) {
        auto r = (*store)->createRecord(testing_support::petitionDraft(**store, "kien-nghi"),
                                        kiosk::Actor{kiosk::Role::Kiosk, ""}, at + i);
        INFO((r.ok() ? std::string() : r.error().en));
        REQUIRE(r.ok());
        codes.push_back(r->code);
    }
    return codes;
}

std::string integrity(const std::string& db) {
    auto opened = kiosk::store::Database::open(db, false);
    REQUIRE(opened.ok());
    kiosk::store::Database conn = std::move(opened.value());
    auto st = conn.prepare("PRAGMA integrity_check");
    REQUIRE(st.ok());
    REQUIRE(st->step().ok());
    return st->text(0);
}

}  // namespace

TEST_CASE("e2e crash: kioskctl sync and the district server killed at random, nothing lost or doubled") {
    const uint64_t seed = std::random_device{}();
    INFO("seed " << seed);
    std::mt19937_64 random(seed);
    auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };

    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    const std::vector<std::string> chosen{"02374", "02395", "02425"};
    std::vector<Enrolled> tokens;
    for (const auto& c : chosen) tokens.push_back(enroll(districtDb, c));
    DistrictProcess district(districtDb);
    district.start();
    // Kiosks talk to a fixed port; the proxy follows the server across restarts.
    testing_support::FaultProxy proxy(district.port());
    const std::string url = "http://127.0.0.1:" + std::to_string(proxy.port());

    std::vector<KioskCli> kiosks;
    std::vector<std::set<std::string>> made(chosen.size());
    int64_t clock = 1764554400;  // 2025-12-01 09:00 +07:00; every record a minute apart
    for (size_t i = 0; i < chosen.size(); ++i) {
        kiosks.push_back(KioskCli{dir.file("kiosk-" + chosen[i] + ".db"), {}});
        kiosks[i].ok({"init", "--commune", chosen[i], "--server", url, "--token", tokens[i].token, "--slot",
                      tokens[i].slot});
        for (const auto& code : submitDirect(kiosks[i].db, 60, clock)) made[i].insert(code);
        clock += 3600;
    }

    int kioskKills = 0, serverKills = 0, finishedRuns = 0;
    for (int round = 0; round < 800 && (kioskKills < 200 || serverKills < 50); ++round) {
        const size_t k = size_t(round) % kiosks.size();
        if (round % 3 == 0) {
            for (const auto& code : submitDirect(kiosks[k].db, pick(1, 4), clock)) made[k].insert(code);
            clock += 600;
        }
        // Small batches and pages: many checkpoints for the kill to fall between.
        std::vector<std::string> args{"--db", kiosks[k].db, "sync", "--limit", std::to_string(pick(1, 9))};
        if (round % 2 == 0) {
            args.push_back("--once");
            args.push_back("--timeout");
            args.push_back("20");
        }
        Child sync(testing_support::binPath("kioskctl"), args, dir.file("kioskctl.log"));
        if (round % 4 == 1) {
            // The district dies with the kiosk's batch in flight, and comes back.
            std::this_thread::sleep_for(std::chrono::milliseconds(pick(5, 120)));
            district.kill(SIGKILL);
            ++serverKills;
            district.start();
            proxy.setTarget(district.port());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(pick(0, 250)));
        const int code = sync.stop(SIGKILL);
        if (code == 128 + SIGKILL) {
            ++kioskKills;
        } else {
            ++finishedRuns;  // it finished first: done (0) or gave up for now (3)
            INFO("kioskctl sync ended by itself with " << code);
            CHECK((code == 0 || code == 3));
        }
    }
    CHECK(kioskKills >= 200);
    CHECK(serverKills >= 50);

    // The faults stop: every kiosk finishes.
    for (auto& k : kiosks) k.ok({"sync", "--once", "--timeout", "60"});
    for (auto& k : kiosks)
        k.ok({"sync", "--once", "--timeout", "60"});  // pulls what others' last pushes made

    const nlohmann::json records = districtRecords(districtDb);
    std::map<std::string, nlohmann::json> byCode;
    for (const auto& r : records) byCode[r["code"].get<std::string>()] = r;
    CHECK(byCode.size() == records.size());  // nothing doubled
    size_t total = 0;
    for (size_t i = 0; i < kiosks.size(); ++i) {
        total += made[i].size();
        for (const auto& code : made[i]) {
            INFO("record " << code << " of " << chosen[i]);
            REQUIRE(byCode.count(code) == 1);  // nothing lost
            CHECK(byCode[code]["events"] == 1);
            CHECK(byCode[code]["commune"] == chosen[i]);
        }
        auto state = kiosks[i].json({"sync", "--state"});
        CHECK(state["events_waiting"] == 0);
        CHECK(state["rejected_events"] == 0);
        CHECK(integrity(kiosks[i].db) == "ok");
        auto store = kiosk::store::KioskStore::open(kiosks[i].db);
        REQUIRE(store.ok());
        CHECK((*store)->countRecords().value() == int64_t(made[i].size()));
        // Every event came back confirmed by the district.
        auto st = (*store)->database().prepare("SELECT COUNT(*) FROM events WHERE verdict <> 'accepted'");
        REQUIRE(st.ok());
        REQUIRE(st->step().ok());
        CHECK(st->integer(0) == 0);
    }
    CHECK(records.size() == total);
    district.kill(SIGTERM);
    // SQLite's own check of the file; PostgreSQL's WAL recovery is the server's (the counts above
    // are what this test can see of it).
    if (!testing_support::usesPostgres()) CHECK(integrity(districtDb) == "ok");
    WARN("kioskctl killed " << kioskKills << " times (" << finishedRuns
                            << " runs finished first), server killed " << serverKills << " times, " << total
                            << " records");
}
