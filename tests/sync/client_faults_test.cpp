// The sync engine through the fault proxy: every way a rural link or an overloaded district
// misbehaves, then the faults stop and everything converges — nothing lost, nothing doubled.
#include "tests/support/client_fixture.h"

using namespace kiosk;
using namespace client_test;
using client::PassEnd;
using server_test::RunningServer;
using testing_support::FaultProxy;
using Mode = FaultProxy::Mode;

namespace {

// Every record the kiosk holds is at the district exactly once, with exactly its events.
void requireConverged(server_test::RunningServer& server, TestKiosk& k, const std::vector<Record>& records,
                      int64_t eventsEach = 1) {
    CHECK(k.waiting() == 0);
    auto view = districtView(server, server_test::kCommuneA);
    CHECK(view.records.size() == records.size());
    for (const Record& r : records) {
        INFO(r.code);
        REQUIRE(view.records.count(r.code) == 1);
        CHECK(view.records[r.code].second == eventsEach);
    }
}

int64_t maxAttempts(TestKiosk& k) {
    auto st = k.store().database().prepare("SELECT MAX(attempts) FROM outbox");
    REQUIRE(st.ok());
    REQUIRE(st->step().ok());
    return st->integer(0);
}

}  // namespace

TEST_CASE("client faults: each fault, a few times over, then the district takes everything once") {
    const Mode mode = GENERATE(Mode::Refuse, Mode::Status500, Mode::Status503, Mode::Status429, Mode::Cut,
                               Mode::Reset, Mode::ResetAfter, Mode::Stall, Mode::Delay);
    INFO("fault: " << FaultProxy::name(mode));
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    FaultProxy proxy(server.port());
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(proxy.port()), enrolled.token);
    std::vector<Record> records;
    for (int i = 0; i < 6; ++i)
        records.push_back(k.submit(i % 2 ? "kien-nghi" : "phan-anh", kMonday + i * 60));
    proxy.setMode(mode, mode == Mode::Refuse ? -1 : 3);

    if (mode == Mode::Refuse) {
        auto r = k.syncOnce(1s);
        CHECK(r.end == PassEnd::Unreachable);
        CHECK(k.waiting() == 6);
        proxy.setMode(Mode::Pass);
    }
    auto r = k.syncOnce(60s);
    INFO(describe(r));
    REQUIRE(r.end == PassEnd::Done);
    if (mode != Mode::Delay && mode != Mode::Refuse) CHECK(proxy.faultCount() == 3);
    requireConverged(server, k, records);
    // Answers lost after the district committed came back as duplicates and were then confirmed.
    for (const Record& rec : records) CHECK(k.verdict(rec.code) == "accepted");
    if (mode == Mode::Stall) {
        auto state = store::readSyncStatus(k.store()).value();
        CHECK_FALSE(state.lastError.has_value());  // cleared by the success that followed
    }
}

TEST_CASE("client faults: a stalled link is detected as a stall, not waited on forever") {
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    FaultProxy proxy(server.port());
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(proxy.port()), enrolled.token);
    k.submit();
    proxy.setMode(Mode::Stall);
    auto options = fastOptions(k.path());
    options.lowSpeedSeconds = 1;
    auto r = k.syncOnce(2500ms, options);
    CHECK(r.end == PassEnd::Failed);
    REQUIRE(r.error.has_value());
    CHECK(r.error->code == "net.stalled");
    CHECK(k.waiting() == 1);
}

TEST_CASE("client faults: a slow but healthy link is not a stall") {
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    FaultProxy proxy(server.port());
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(proxy.port()), enrolled.token);
    std::vector<Record> records;
    for (int i = 0; i < 40; ++i) records.push_back(k.submit("kien-nghi", kMonday + i * 60));
    proxy.setBytesPerSecond(1500);
    proxy.setMode(Mode::Throttle);
    auto options = fastOptions(k.path());
    options.lowSpeedSeconds = 2;  // each transfer takes longer than this, but keeps moving
    auto r = k.syncOnce(60s, options);
    INFO(describe(r));
    REQUIRE(r.end == PassEnd::Done);
    requireConverged(server, k, records);
    CHECK(maxAttempts(k) == 1);  // sent once: never given up on and resent
}

TEST_CASE("client faults: Retry-After is the floor of the wait") {
    const Mode mode = GENERATE(Mode::Status503, Mode::Status429);
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    FaultProxy proxy(server.port());
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(proxy.port()), enrolled.token);
    const Record rec = k.submit();
    REQUIRE(k.syncOnce().end == PassEnd::Done);  // learns the kiosk id first: one request to fault
    k.submit("phan-anh", kMonday + 60);
    proxy.setRetryAfterSeconds(2);
    proxy.setMode(mode, 1);
    const auto start = std::chrono::steady_clock::now();
    auto r = k.syncOnce(30s);
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(r.end == PassEnd::Done);
    CHECK(proxy.faultCount() == 1);
    // The backoff alone would retry within 50 ms here; the server asked for 2 s.
    CHECK(took >= 2s);
    CHECK(k.waiting() == 0);
    (void)rec;
}

TEST_CASE("client faults: a burst of random faults from several kiosks converges, nothing lost or doubled") {
    RunningServer server;
    FaultProxy proxy(server.port());
    std::vector<std::unique_ptr<TestKiosk>> kiosks;
    std::vector<std::vector<Record>> made;
    for (int i = 0; i < 4; ++i) {
        auto enrolled = server.enroll(server_test::kCommuneA);
        kiosks.push_back(std::make_unique<TestKiosk>(server_test::kCommuneA, enrolled.slot, url(proxy.port()),
                                                     enrolled.token));
        made.emplace_back();
    }
    proxy.setChaos(0.5,
                   {Mode::Status500, Mode::Status503, Mode::Status429, Mode::Cut, Mode::Reset,
                    Mode::ResetAfter, Mode::Delay},
                   20251201);
    proxy.setRetryAfterSeconds(0);
    // Rounds of work and sync while the link misbehaves; each sync may fail.
    for (int round = 0; round < 4; ++round) {
        for (size_t i = 0; i < kiosks.size(); ++i) {
            for (int n = 0; n < 3; ++n)
                made[i].push_back(kiosks[i]->submit("kien-nghi", kMonday + round * 3600 + n * 60 + int(i)));
            kiosks[i]->syncOnce(800ms);
        }
    }
    CHECK(proxy.faultCount() > 0);
    proxy.setMode(Mode::Pass);
    for (auto& k : kiosks) {
        auto r = k->syncOnce(30s);
        INFO(describe(r));
        REQUIRE(r.end == PassEnd::Done);
    }
    auto view = districtView(server, server_test::kCommuneA);
    size_t total = 0;
    for (size_t i = 0; i < kiosks.size(); ++i) {
        CHECK(kiosks[i]->waiting() == 0);
        for (const Record& r : made[i]) {
            REQUIRE(view.records.count(r.code) == 1);
            CHECK(view.records[r.code].second == 1);
        }
        total += made[i].size();
    }
    CHECK(view.records.size() == total);
    // Every kiosk of the commune ends up holding every record of the commune.
    for (auto& k : kiosks) CHECK(k->store().countRecords().value() == int64_t(total));
}
