// The district on PostgreSQL with Patroni (docs/postgresql.md): build/bin/district-server serves on
// the multi-host URI of a two-node cluster (scripts/ha-cluster: a primary and its synchronous
// standby), three kiosks push through real `kioskctl sync` while citizens keep submitting, and the
// primary's postmaster is SIGKILLed. Patroni promotes the standby; the same district-server process
// (never restarted) must take pushes again, every kiosk's first push begun after the kill must be
// acknowledged within 30 s of it, and in the end the district holds every record the kiosks made
// exactly once and every kiosk's events are acknowledged.
// Runs only with KIOSK_TEST_HA=1 (scripts/test --ha, .ci/run): about a minute, mostly Patroni's.
// Exit 77 (skipped) without it, or without patroni, etcd or PostgreSQL 15.
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "build_paths.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

using Clock = std::chrono::steady_clock;

const std::string kHaCluster = std::string(KIOSK_SOURCE_DIR) + "/scripts/ha-cluster";

// scripts/ha-cluster's cluster, started in a directory of its own under /tmp (the postgres user
// must reach it when the test runs as root) and stopped when the test ends, however it ends.
class HaCluster {
public:
    HaCluster() {
        char name[] = "/tmp/e2e-failover.XXXXXX";
        REQUIRE(mkdtemp(name) != nullptr);
        REQUIRE(::chmod(name, 0755) == 0);  // mkdtemp's 0700 would keep the postgres user out
        m_dir = name;
        auto started = testing_support::runProgram(kHaCluster, {"start", m_dir + "/ha"});
        if (started.exitCode == 77) {
            std::filesystem::remove_all(m_dir);
            WARN("skipped: " << started.err);
            std::exit(77);
        }
        INFO(started.err);
        REQUIRE(started.exitCode == 0);
        const std::string key = "HA_URI='";
        const size_t at = started.out.find(key);
        REQUIRE(at != std::string::npos);
        m_uri =
            started.out.substr(at + key.size(), started.out.find('\'', at + key.size()) - at - key.size());
    }
    ~HaCluster() {
        testing_support::runProgram(kHaCluster, {"stop", m_dir + "/ha"});
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
    const std::string& uri() const { return m_uri; }
    const std::string& dir() const { return m_dir; }
    std::string killPrimary() {
        auto r = testing_support::runProgram(kHaCluster, {"kill-primary", m_dir + "/ha"});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        return r.out.substr(0, r.out.find('\n'));
    }

private:
    std::string m_dir;
    std::string m_uri;
};

// One kiosk's pushes, run on its own thread: submit a petition, `kioskctl sync --once`, again, until
// told to stop. No Catch assertion here (a worker thread): what happened is collected and checked
// by the test afterwards.
struct KioskLoop {
    KioskCli cli;
    std::set<std::string> made;             // receipt codes submitted
    std::vector<std::string> failures;      // a submit that failed (a local error: never expected)
    Clock::time_point firstAckAfterKill{};  // end of the first sync begun after the kill that ended 0

    void run(const std::atomic<bool>& stop, const std::atomic<int64_t>& killedAt) {
        while (!stop) {
            auto submitted = cli.run({"submit-petition", "--type", "khieu-nai", "--name", "Nguyễn Văn An",
                                      "--cccd", "008090001234", "--address", "Thôn 2", "--phone",
                                      "0912345678", "--content", "Đường liên thôn sạt lở"});
            if (submitted.exitCode != 0) {
                failures.push_back(submitted.err);
                return;
            }
            std::string code = submitted.out;
            while (!code.empty() && code.back() == '\n') code.pop_back();
            made.insert(code);
            const auto began = Clock::now();
            const int64_t kill = killedAt.load();
            auto synced = cli.run({"sync", "--once", "--timeout", "10"});
            if (synced.exitCode == 0 && kill != 0 && began.time_since_epoch().count() > kill &&
                firstAckAfterKill == Clock::time_point{})
                firstAckAfterKill = Clock::now();
            if (synced.exitCode != 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
};

}  // namespace

TEST_CASE("failover of the PostgreSQL primary, district-server follows without a restart") {
    if (std::getenv("KIOSK_TEST_HA") == nullptr || std::string(std::getenv("KIOSK_TEST_HA")) != "1") {
        WARN("skipped: set KIOSK_TEST_HA=1 (scripts/test --ha)");
        std::exit(77);
    }
    // The test brings its own Patroni cluster: it runs once, under "e2e:", not again under "e2e/pg:"
    // (KIOSK_TEST_DB names the suite's other cluster, which this test never uses).
    if (std::getenv("KIOSK_TEST_DB") != nullptr) {
        WARN("skipped: runs once, as e2e: (its own Patroni cluster, not KIOSK_TEST_DB's)");
        std::exit(77);
    }
    TempDir dir;
    // On PostgreSQL the district's key file is $STATE_DIRECTORY/<database>.keys: the test's own.
    ::setenv("STATE_DIRECTORY", dir.path().c_str(), 1);
    HaCluster cluster;
    const std::vector<std::string> chosen{"02374", "02395", "02425"};
    std::vector<Enrolled> tokens;
    for (const auto& c : chosen) tokens.push_back(enroll(cluster.uri(), c));
    DistrictProcess district(cluster.uri(), {}, dir.file("district.log"));
    district.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(district.port());

    std::vector<KioskLoop> kiosks(chosen.size());
    for (size_t i = 0; i < chosen.size(); ++i) {
        kiosks[i].cli = KioskCli{dir.file("kiosk-" + chosen[i] + ".db"), {}};
        kiosks[i].cli.ok({"init", "--commune", chosen[i], "--server", url, "--token", tokens[i].token,
                          "--slot", tokens[i].slot});
    }
    std::atomic<bool> stop{false};
    std::atomic<int64_t> killedAt{0};
    std::vector<std::thread> threads;
    for (auto& k : kiosks) threads.emplace_back([&] { k.run(stop, killedAt); });
    // Pushes flow before the kill: every kiosk has had records acknowledged.
    const auto warmUntil = Clock::now() + std::chrono::seconds(30);
    auto acked = [&](const KioskCli& k) {
        auto state = k.run({"sync", "--state", "--json"});
        auto j = nlohmann::json::parse(state.out, nullptr, false);
        return j.is_object() && j["last_success_ms"].is_number_integer() &&
               j["last_success_ms"].get<int64_t>() > 0;
    };
    while (Clock::now() < warmUntil &&
           !(acked(kiosks[0].cli) && acked(kiosks[1].cli) && acked(kiosks[2].cli)))
        std::this_thread::sleep_for(std::chrono::milliseconds(200));

    const std::string old = cluster.killPrimary();
    const auto killed = Clock::now();
    killedAt = killed.time_since_epoch().count();
    // Each kiosk is acknowledged again, or 30 s pass (then it fails below).
    const auto giveUp = killed + std::chrono::seconds(30);
    auto allResumed = [&] {
        for (const auto& k : kiosks)
            if (k.firstAckAfterKill == Clock::time_point{}) return false;
        return true;
    };
    while (Clock::now() < giveUp && !allResumed())
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::seconds(2));  // a few more pushes on the new primary
    stop = true;
    for (auto& t : threads) t.join();

    double worstS = 0;
    for (size_t i = 0; i < kiosks.size(); ++i) {
        INFO("kiosk of " << chosen[i]);
        CHECK(kiosks[i].failures.empty());
        REQUIRE(kiosks[i].firstAckAfterKill != Clock::time_point{});
        const double s = std::chrono::duration<double>(kiosks[i].firstAckAfterKill - killed).count();
        worstS = std::max(worstS, s);
        CHECK(s < 30);
    }
    // The same district-server process served throughout: it was never restarted.
    REQUIRE(::kill(district.pid(), 0) == 0);

    for (auto& k : kiosks) k.cli.ok({"sync", "--once", "--timeout", "60"});
    const nlohmann::json records = districtRecords(cluster.uri());
    std::map<std::string, nlohmann::json> byCode;
    for (const auto& r : records) byCode[r["code"].get<std::string>()] = r;
    CHECK(byCode.size() == records.size());  // nothing doubled
    size_t total = 0;
    for (size_t i = 0; i < kiosks.size(); ++i) {
        total += kiosks[i].made.size();
        for (const auto& code : kiosks[i].made) {
            INFO("record " << code << " of " << chosen[i]);
            REQUIRE(byCode.count(code) == 1);  // nothing lost
            CHECK(byCode[code]["events"] == 1);
        }
        auto state = kiosks[i].cli.json({"sync", "--state"});
        CHECK(state["events_waiting"] == 0);
        CHECK(state["rejected_events"] == 0);
    }
    CHECK(records.size() == total);
    // And they are in PostgreSQL, on the new primary: the district did not write elsewhere.
    auto counted =
        testing_support::runProgram("/usr/bin/psql", {"-XAtq", cluster.uri(), "-c",
                                                      "SELECT count(*) FROM records WHERE commune IN "
                                                      "('02374', '02395', '02425')"});
    INFO(counted.err);
    REQUIRE(counted.exitCode == 0);
    CHECK(std::stoul(counted.out) == total);
    district.kill(SIGTERM);
    WARN("primary " << old << " killed; every kiosk acknowledged again within " << worstS << " s; " << total
                    << " records");
}
