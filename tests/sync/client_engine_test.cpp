// The sync engine against the real district server on loopback: push, pull, the district's
// verdicts coming back, refusals, an unreachable server, a restored kiosk reusing numbers, a
// district that cannot serve the cursor, the engine's own thread and its connections.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kiosk/store/help_request.h"
#include "tests/support/client_fixture.h"

using namespace kiosk;
using namespace client_test;
using client::PassEnd;
using server_test::RunningServer;

namespace {

// A loopback port nothing listens on (it was free a moment ago).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// TCP connections of this process (client and server run in it) in state ESTABLISHED whose remote
// end is 127.0.0.1:port, from /proc/self/net/tcp ("0100007F:1F90" addresses, state "01").
int establishedTo(int port) {
    std::ifstream in("/proc/self/net/tcp");
    REQUIRE(in);
    std::string line;
    std::getline(in, line);  // the header
    char remote[32];
    std::snprintf(remote, sizeof remote, "0100007F:%04X", port);
    int count = 0;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, local, rem, state;
        fields >> slot >> local >> rem >> state;
        if (rem == remote && state == "01") ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("client: one pass pushes the outbox, learns the kiosk id and pulls the district's view") {
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(server.port()), enrolled.token);
    const Record a = k.submit("khieu-nai");
    const Record b = k.submit("kien-nghi");
    k.act(a.code, Action::Accept);
    REQUIRE(k.waiting() == 3);

    auto r = k.syncOnce();
    INFO(describe(r));
    REQUIRE(r.end == PassEnd::Done);
    CHECK(r.pushed == 3);
    CHECK(r.rejected == 0);
    CHECK(r.eventsWaiting == 0);
    CHECK(k.waiting() == 0);
    CHECK(store::readMeta(k.store().database(), "kiosk_id") == enrolled.id);

    auto view = districtView(server, server_test::kCommuneA);
    REQUIRE(view.records.size() == 2);
    CHECK(view.records[a.code].first == RecordStatus::Accepted);
    CHECK(view.records[a.code].second == 2);
    CHECK(view.records[b.code].second == 1);
    // The pull confirmed our events and recorded when the district's view arrived.
    CHECK(k.verdict(a.code) == "accepted,accepted");
    CHECK(store::recordSyncedAt(k.store(), a.code).has_value());
    auto state = store::readSyncStatus(k.store()).value();
    CHECK(state.online);
    CHECK(state.lastSuccessMs > 0);
    CHECK_FALSE(state.lastError.has_value());
    REQUIRE(state.clockOffsetMs.has_value());
    CHECK_FALSE(state.clockWrong());

    // Nothing new: a second pass sends nothing and changes nothing at the district.
    auto again = k.syncOnce();
    REQUIRE(again.end == PassEnd::Done);
    CHECK(again.pushed == 0);
    CHECK(districtView(server, server_test::kCommuneA).records == view.records);
}

TEST_CASE("client: two kiosks of one commune disagree, the district decides and both end the same") {
    RunningServer server;
    auto e1 = server.enroll(server_test::kCommuneA);
    auto e2 = server.enroll(server_test::kCommuneA);
    TestKiosk k1(server_test::kCommuneA, e1.slot, url(server.port()), e1.token);
    TestKiosk k2(server_test::kCommuneA, e2.slot, url(server.port()), e2.token);
    const Record r = k1.submit("khieu-nai");
    REQUIRE(k1.syncOnce().end == PassEnd::Done);
    REQUIRE(k2.syncOnce().end == PassEnd::Done);  // k2 now holds the record too
    REQUIRE(k2.status(r.code) == RecordStatus::Received);

    // Offline, both officers act: one refuses the complaint, the other accepts it.
    k1.act(r.code, Action::Reject, "Không thuộc thẩm quyền.");
    k2.act(r.code, Action::Accept);
    REQUIRE(k1.syncOnce().end == PassEnd::Done);
    auto second = k2.syncOnce();
    INFO(describe(second));
    REQUIRE(second.end == PassEnd::Done);  // a rejection is an answer, not a failure
    CHECK(second.rejected == 1);
    CHECK(k2.waiting() == 0);  // and it never blocks the queue
    REQUIRE(k1.syncOnce().end == PassEnd::Done);

    CHECK(districtView(server, server_test::kCommuneA).records[r.code].first == RecordStatus::NotAccepted);
    CHECK(k1.status(r.code) == RecordStatus::NotAccepted);
    CHECK(k2.status(r.code) == RecordStatus::NotAccepted);
    auto history = k2.store().history(r.code).value();
    bool sawRejection = false;
    for (const auto& h : history)
        if (h.districtVerdict == "rejected") {
            sawRejection = true;
            CHECK_FALSE(store::decodeRejectReason(h.rejectReason).vi.empty());
        }
    CHECK(sawRejection);
}

TEST_CASE("client: the district refusing this kiosk ends the pass as refused, with the reason") {
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);

    SECTION("unknown token") {
        TestKiosk k(server_test::kCommuneA, 1, url(server.port()), "not-a-token");
        k.submit();
        auto r = k.syncOnce(10s);
        CHECK(r.end == PassEnd::Refused);
        REQUIRE(r.error.has_value());
        CHECK(r.error->code == "sync.refused");
        CHECK(k.waiting() == 1);
    }
    SECTION("revoked token") {
        TestKiosk k(server_test::kCommuneA, enrolled.slot, url(server.port()), enrolled.token);
        k.submit();
        REQUIRE(k.syncOnce().end == PassEnd::Done);
        server.revoke(enrolled);
        k.submit();
        auto r = k.syncOnce(10s);
        CHECK(r.end == PassEnd::Refused);
        CHECK(k.waiting() == 1);
        auto state = store::readSyncStatus(k.store()).value();
        REQUIRE(state.lastError.has_value());
        CHECK(state.lastError->code == "sync.refused");
    }
    SECTION("a token of another commune") {
        TestKiosk k(server_test::kCommuneB, 1, url(server.port()), enrolled.token);
        k.submit();
        auto r = k.syncOnce(10s);
        CHECK(r.end == PassEnd::Refused);
        REQUIRE(r.error.has_value());
        CHECK(r.error->code == "sync.foreign-token");
        CHECK(districtView(server, server_test::kCommuneB).records.empty());
    }
    SECTION("a kiosk id that is not the token's") {
        TestKiosk k(server_test::kCommuneA, enrolled.slot, url(server.port()), enrolled.token);
        REQUIRE(store::recordKioskId(k.store(), "k-someone-else").ok());
        k.submit();
        auto r = k.syncOnce(10s);
        CHECK(r.end == PassEnd::Refused);
    }
}

TEST_CASE("client: an unreachable district is retried until the deadline, then reported") {
    const int closedPort = freePort();
    TestKiosk k(server_test::kCommuneA, 1, url(closedPort), "token");
    k.submit();
    auto r = k.syncOnce(1500ms);
    CHECK(r.end == PassEnd::Unreachable);
    REQUIRE(r.error.has_value());
    CHECK(r.error->code == "net.unreachable");
    CHECK(k.waiting() == 1);
    auto state = store::readSyncStatus(k.store()).value();
    CHECK_FALSE(state.online);
    REQUIRE(state.lastError.has_value());
    CHECK(state.lastError->code == "net.unreachable");
}

TEST_CASE("client: a kiosk restored from a backup renumbers after sequence-reused and loses nothing") {
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(server.port()), enrolled.token);
    k.submit();
    REQUIRE(k.syncOnce().end == PassEnd::Done);
    // The backup is taken here...
    const std::string backup = k.dir().file("backup.db");
    REQUIRE(k.store().database().exec("VACUUM INTO '" + backup + "'").ok());
    // The token is not in the database (docs/security.md): it is restored beside it.
    std::filesystem::copy_file(k.store().database().path() + ".token", backup + ".token");
    // ...the kiosk works on and syncs...
    const Record lost1 = k.submit("kien-nghi", kMonday + 60);
    const Record lost2 = k.submit("phan-anh", kMonday + 120);
    REQUIRE(k.syncOnce().end == PassEnd::Done);
    // ...then the disk dies and the backup is restored; new work reuses sequence numbers 2 and 3.
    {
        auto restored = store::KioskStore::open(backup);
        REQUIRE(restored.ok());
        auto fresh = (*restored)->createRecord(testing_support::petitionDraft(**restored, "kien-nghi"),
                                               Actor{Role::Kiosk, ""}, kMonday + 600);
        REQUIRE(fresh.ok());
        REQUIRE((*restored)->outboxPending().value() == 1);
        client::SyncEngine engine(fastOptions(backup));
        auto r = engine.runOnce(30s);
        INFO(describe(r));
        REQUIRE(r.end == PassEnd::Done);
        CHECK((*restored)->outboxPending().value() == 0);
        auto view = districtView(server, server_test::kCommuneA);
        CHECK(view.records.size() == 4);
        CHECK(view.records.count(fresh->code) == 1);
        // The restored kiosk gets back what it had lost from the district.
        CHECK((*restored)->find(lost1.code).value().has_value());
        CHECK((*restored)->find(lost2.code).value().has_value());
    }
}

TEST_CASE("client: a cursor the district cannot serve starts the pull over, once") {
    RunningServer first;
    auto e1 = first.enroll(server_test::kCommuneA);
    TestKiosk k(server_test::kCommuneA, e1.slot, url(first.port()), e1.token);
    const Record r = k.submit();
    REQUIRE(k.syncOnce().end == PassEnd::Done);
    const std::string oldCursor = store::pullCursor(k.store());
    REQUIRE(oldCursor != "0");

    // The district is rebuilt (a new database): our cursor names the old one.
    RunningServer rebuilt;
    auto e2 = rebuilt.enroll(server_test::kCommuneA);
    store::KioskConfig config = k.store().config().value();
    config.serverUrl = url(rebuilt.port());
    config.kioskId.clear();
    REQUIRE(k.store().configure(config, testing_support::realReference()).ok());
    REQUIRE(k.store().setToken(e2.token).ok());
    k.submit("phan-anh", kMonday + 60);
    auto out = k.syncOnce();
    INFO(describe(out));
    REQUIRE(out.end == PassEnd::Done);
    CHECK(store::pullCursor(k.store()) != oldCursor);
    CHECK(k.status(r.code) == RecordStatus::Received);
}

TEST_CASE("client: the engine's thread pushes on wake, goes offline, and resumes when the link returns") {
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    testing_support::FaultProxy proxy(server.port());
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(proxy.port()), enrolled.token);

    client::SyncOptions options = fastOptions(k.path());
    options.pullInterval = 60s;  // only wake() may start a pass while idle
    client::SyncEngine engine(options);
    std::atomic<int> changes{0};
    engine.setOnChange([&] { ++changes; });
    engine.start();
    REQUIRE(eventually([&] { return engine.snapshot().phase == client::SyncPhase::Idle; }));

    const Record first = k.submit();
    engine.wake();
    REQUIRE(eventually([&] { return k.waiting() == 0; }));
    CHECK(eventually([&] { return engine.snapshot().eventsWaiting == 0 && engine.snapshot().online; }));
    CHECK(changes > 0);

    proxy.setMode(testing_support::FaultProxy::Mode::Refuse);
    const Record second = k.submit();
    engine.wake();
    REQUIRE(eventually([&] { return engine.snapshot().phase == client::SyncPhase::Offline; }));
    auto offline = engine.snapshot();
    CHECK_FALSE(offline.online);
    REQUIRE(offline.lastError.has_value());
    CHECK(offline.eventsWaiting == 1);
    CHECK(k.waiting() == 1);

    // The link returns; nobody wakes the engine: its probe finds the district by itself.
    proxy.setMode(testing_support::FaultProxy::Mode::Pass);
    REQUIRE(eventually([&] { return k.waiting() == 0; }, 10s));
    CHECK(eventually([&] { return engine.snapshot().phase == client::SyncPhase::Idle; }));
    engine.stop();
    CHECK(engine.snapshot().phase == client::SyncPhase::Stopped);
    auto view = districtView(server, server_test::kCommuneA);
    CHECK(view.records.count(first.code) == 1);
    CHECK(view.records.count(second.code) == 1);
}

TEST_CASE("client: a pass's exchanges share one connection, and it is closed when the pass ends") {
    RunningServer server([] {
        kiosk::district::ServerOptions o;
        o.keepAliveTimeoutSec = 60;  // the district alone would keep an idle connection for a minute
        return o;
    }());
    auto enrolled = server.enroll(server_test::kCommuneA);
    testing_support::FaultProxy proxy(server.port());
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(proxy.port()), enrolled.token);
    k.submit();

    client::SyncOptions options = fastOptions(k.path());
    options.pullInterval = 60s;  // only wake() starts a pass while idle
    client::SyncEngine engine(options);
    engine.start();
    // The first pass: the kiosk id, the push, the pull and the push after it, on one connection.
    REQUIRE(
        eventually([&] { return k.waiting() == 0 && engine.snapshot().phase == client::SyncPhase::Idle; }));
    CHECK(proxy.connections() == 1);
    // Idle: nothing held open at the district.
    CHECK(eventually([&] { return establishedTo(proxy.port()) == 0; }, 5s));

    k.submit();
    engine.wake();
    REQUIRE(
        eventually([&] { return k.waiting() == 0 && engine.snapshot().phase == client::SyncPhase::Idle; }));
    CHECK(proxy.connections() == 2);
    CHECK(eventually([&] { return establishedTo(proxy.port()) == 0; }, 5s));
    engine.stop();
    CHECK(districtView(server, server_test::kCommuneA).records.size() == 2);
}

TEST_CASE("client: a call for an officer reaches the district with no record to push, and so does its end") {
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(server.port()), enrolled.token);
    const auto helpAtDistrict = [&] {
        auto kiosks = server.store()->kiosks();
        REQUIRE(kiosks.ok());
        REQUIRE(kiosks->size() == 1);
        return kiosks->front().helpRequestedMs;
    };
    REQUIRE(k.syncOnce().end == PassEnd::Done);
    CHECK_FALSE(helpAtDistrict().has_value());
    // "Gọi cán bộ" with an empty outbox: the next pass pushes a heartbeat for it.
    REQUIRE(store::requestHelp(k.store(), 1764900000000).ok());
    auto r = k.syncOnce();
    INFO(describe(r));
    REQUIRE(r.end == PassEnd::Done);
    CHECK(r.pushed == 0);
    CHECK(helpAtDistrict() == 1764900000000);
    CHECK(store::helpReported(k.store()) == "1764900000000");
    CHECK(k.syncOnce().pushed == 0);
    // The officer came: cleared at the kiosk, then at the district.
    REQUIRE(store::clearHelpRequest(k.store()).ok());
    REQUIRE(k.syncOnce().end == PassEnd::Done);
    CHECK_FALSE(helpAtDistrict().has_value());
}
