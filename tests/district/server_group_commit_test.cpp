// The committer's group commit (push_committer.h) judges a group without savepoints first and, when
// one push of it fails, rolls the group back and judges it again with a savepoint per push. These
// tests put pushes that fail (a 409, a revoked kiosk) in the same group as good ones, by holding
// the database's write lock while they queue, and check that each is answered as if it had been
// alone: the good ones committed, the failed ones leaving nothing behind. Also: a new record judged
// ahead on the caller's thread is stored exactly as the writer would have judged it.
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "common/database.h"
#include "district/sync/push_committer.h"
#include "tests/support/server_fixture.h"

using namespace server_test;
using kiosk::district::DistrictStore;
using kiosk::district::KioskIdentity;
using kiosk::district::PushCommitter;

namespace {

int64_t scalar(kiosk::store::Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    REQUIRE(st);
    REQUIRE(st->step());
    return st->integer(0);
}

kiosk::protocol::PushRequest request(const Kiosk& k, const std::vector<kiosk::Event>& events) {
    auto decoded = kiosk::protocol::decodePushRequest(pushBody(k, events));
    REQUIRE(decoded);
    return std::move(*decoded);
}

// A new district database in a temporary directory.
struct District {
    testing_support::TempDir dir;
    std::string path = dir.file("district.db");
    std::unique_ptr<DistrictStore> store = open(path);

    static std::unique_ptr<DistrictStore> open(const std::string& path) {
        auto opened = DistrictStore::open(path, true);
        REQUIRE(opened);
        return std::move(*opened);
    }
};

// pc.push on another thread. The request is made by the caller, on the test's thread: Catch's
// assertions (request() has some) are for that thread only.
std::future<kiosk::Result<kiosk::district::PushAnswer>> pushLater(PushCommitter& pc, const KioskIdentity& who,
                                                                  kiosk::protocol::PushRequest r) {
    return std::async(std::launch::async,
                      [&pc, who, r = std::move(r)]() mutable { return pc.push(who, std::move(r), 2); });
}

}  // namespace

TEST_CASE("a failing push in a group is answered alone and the others are committed", "[server][committer]") {
    District district;
    const std::string& path = district.path;
    DistrictStore& store = *district.store;
    const Enrolled a = enroll(store, kCommuneA);
    const Enrolled b = enroll(store, kCommuneA);
    const Enrolled c = enroll(store, kCommuneB);
    const Enrolled d = enroll(store, kCommuneB);

    auto committer = PushCommitter::start(path, false, kiosk::DeadlineRules{});
    REQUIRE(committer);
    PushCommitter& pc = **committer;

    // Kiosk a has seq 1 committed; later it comes back (restored) with a new UUID at seq 1: a 409.
    const kiosk::Event first = submitEvent(a.kiosk, 1, codeFor(a.kiosk, 1));
    auto answered = pc.push(a.identity, request(a.kiosk, {first}), 1);
    REQUIRE(answered);
    REQUIRE(answered->sequenceOk);

    // Hold the write lock so that the next pushes queue up and are taken as one group.
    auto blocker = kiosk::store::Database::open(path, false);
    REQUIRE(blocker);
    REQUIRE(blocker->exec("BEGIN IMMEDIATE"));
    const auto before = pc.stats();

    auto pushAsync = [&](const KioskIdentity& who, kiosk::protocol::PushRequest r) {
        return pushLater(pc, who, std::move(r));
    };
    // The first push of the wait is taken alone (the writer waits on the lock with it); the rest
    // queue behind it and form the next group.
    auto lone = pushAsync(b.identity, request(b.kiosk, {submitEvent(b.kiosk, 1, codeFor(b.kiosk, 2))}));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto good1 = pushAsync(b.identity, request(b.kiosk, {submitEvent(b.kiosk, 2, codeFor(b.kiosk, 3)),
                                                         submitEvent(b.kiosk, 3, codeFor(b.kiosk, 4))}));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto reused = pushAsync(a.identity, request(a.kiosk, {submitEvent(a.kiosk, 1, codeFor(a.kiosk, 5)),
                                                          submitEvent(a.kiosk, 2, codeFor(a.kiosk, 6))}));
    auto other = pushAsync(d.identity, request(d.kiosk, {submitEvent(d.kiosk, 1, codeFor(d.kiosk, 1))}));
    auto good2 = pushAsync(c.identity, request(c.kiosk, {submitEvent(c.kiosk, 1, codeFor(c.kiosk, 2))}));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    REQUIRE(blocker->exec("COMMIT"));

    auto r1 = lone.get();
    auto r2 = good1.get();
    auto r3 = reused.get();
    auto r4 = other.get();
    auto r5 = good2.get();
    REQUIRE(r1);
    CHECK(r1->response.ackedSeq == 1);
    REQUIRE(r2);
    REQUIRE(r2->sequenceOk);
    CHECK(r2->response.ackedSeq == 3);
    REQUIRE(r2->response.results.size() == 2);
    CHECK(r2->response.results[0].verdict == kiosk::protocol::Verdict::Accepted);
    REQUIRE(r3);
    CHECK_FALSE(r3->sequenceOk);
    CHECK(r3->ackedSeq == 1);
    REQUIRE(r4);
    CHECK(r4->response.ackedSeq == 1);
    REQUIRE(r5);
    CHECK(r5->response.ackedSeq == 1);
    const auto after = pc.stats();
    CHECK(after.pushes - before.pushes == 5);
    CHECK(after.commits - before.commits <= 3);  // the lone push, then (usually) one group

    // The 409 left nothing: kiosk a still has its one event and its mark.
    kiosk::store::Database& db = store.database();
    CHECK(scalar(db, "SELECT count(*) FROM events WHERE kiosk = '" + a.identity.kioskId + "'") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM records WHERE code = '0237401000000052'") == 0);
    CHECK(scalar(db, "SELECT acked_seq FROM kiosks WHERE id = '" + a.identity.kioskId + "'") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM records") == 6);
    CHECK(scalar(db, "SELECT count(*) FROM kiosk_sequence") == 6);
}

TEST_CASE("a revoked kiosk's push in a group is refused and the others are committed",
          "[server][committer]") {
    District district;
    const std::string& path = district.path;
    DistrictStore& store = *district.store;
    const Enrolled a = enroll(store, kCommuneA);
    const Enrolled gone = enroll(store, kCommuneB);
    REQUIRE(store.revokeKiosk(gone.identity.kioskId, 1));

    auto committer = PushCommitter::start(path, false, kiosk::DeadlineRules{});
    REQUIRE(committer);
    PushCommitter& pc = **committer;
    auto blocker = kiosk::store::Database::open(path, false);
    REQUIRE(blocker);
    REQUIRE(blocker->exec("BEGIN IMMEDIATE"));
    auto pushAsync = [&](const KioskIdentity& who, kiosk::protocol::PushRequest r) {
        return pushLater(pc, who, std::move(r));
    };
    auto lone = pushAsync(a.identity, request(a.kiosk, {submitEvent(a.kiosk, 1, codeFor(a.kiosk, 1))}));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto before = pushAsync(a.identity, request(a.kiosk, {submitEvent(a.kiosk, 2, codeFor(a.kiosk, 2))}));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // The token was checked before the revocation (the identity says not revoked); the committer
    // reads the flag inside its transaction.
    auto refused =
        pushAsync(gone.identity, request(gone.kiosk, {submitEvent(gone.kiosk, 1, codeFor(gone.kiosk, 1))}));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    REQUIRE(blocker->exec("COMMIT"));

    REQUIRE(lone.get());
    auto ok = before.get();
    REQUIRE(ok);
    CHECK(ok->response.ackedSeq == 2);
    auto no = refused.get();
    REQUIRE_FALSE(no);
    CHECK(no.error().code == "kiosk.revoked");
    kiosk::store::Database& db = store.database();
    CHECK(scalar(db, "SELECT count(*) FROM records") == 2);
    CHECK(scalar(db, "SELECT count(*) FROM events WHERE kiosk = '" + gone.identity.kioskId + "'") == 0);
    CHECK(scalar(db, "SELECT count(*) FROM changes") == 2);
}

TEST_CASE("a new record judged ahead is stored as the writer judges it", "[server][committer]") {
    // The same pushes through applyPush alone (judged in the transaction) and through the committer
    // (a Submit judged ahead on the caller's thread) leave the same records and change bodies,
    // including a rejected one (another commune's record) and a record code already taken.
    testing_support::TempDir dir;
    auto run = [&](const std::string& name, bool viaCommitter) {
        const std::string path = dir.file(name);
        auto opened = DistrictStore::open(path, true);
        REQUIRE(opened);
        DistrictStore& store = **opened;
        const Enrolled a = enroll(store, kCommuneA);
        std::vector<kiosk::Event> events = {
            submitEvent(a.kiosk, 1, codeFor(a.kiosk, 1)),
            submitEvent(a.kiosk, 2, codeFor(a.kiosk, 2), kCommuneB),
            submitEvent(a.kiosk, 3, codeFor(a.kiosk, 1)),
            actionEvent(a.kiosk, 4, codeFor(a.kiosk, 1), kiosk::Action::Accept, "Đã thụ lý")};
        // Fixed UUIDs, so that the two databases can be compared text for text.
        for (size_t i = 0; i < events.size(); ++i)
            events[i].uuid = "00000000-0000-4000-8000-00000000000" + std::to_string(i);
        testing_support::signAsFixtureOfficer(events[3]);  // signed again: its UUID changed
        events[0].kioskId = "";  // made before enrollment: stored as the token's kiosk
        if (viaCommitter) {
            auto committer = PushCommitter::start(path, false, kiosk::DeadlineRules{});
            REQUIRE(committer);
            auto answer = (*committer)->push(a.identity, request(a.kiosk, events), 5);
            REQUIRE(answer);
            return answer->response;
        }
        kiosk::store::Transaction tx(store.database());
        auto answer = applyPush(store, a.identity, request(a.kiosk, events), 5, kiosk::DeadlineRules{});
        REQUIRE(answer);
        REQUIRE(tx.commit());
        return answer->response;
    };
    const auto alone = run("alone.db", false);
    const auto grouped = run("grouped.db", true);
    CHECK(kiosk::protocol::encodePushResponse(alone) == kiosk::protocol::encodePushResponse(grouped));
    REQUIRE(grouped.results.size() == 4);
    CHECK(grouped.results[0].verdict == kiosk::protocol::Verdict::Accepted);
    CHECK(grouped.results[1].verdict == kiosk::protocol::Verdict::Rejected);
    CHECK(grouped.results[2].verdict == kiosk::protocol::Verdict::Rejected);
    CHECK(grouped.results[3].verdict == kiosk::protocol::Verdict::Accepted);
    auto dump = [&](const std::string& name) {
        auto db = kiosk::store::Database::open(dir.file(name), false);
        REQUIRE(db);
        std::string out;
        for (const char* sql :
             {"SELECT code || status || due || received_on || commune FROM records ORDER BY code",
              "SELECT type || commune || body FROM changes ORDER BY seq",
              "SELECT uuid || kiosk || seq || record || verdict || reason || payload FROM events "
              "ORDER BY uuid"}) {
            auto st = db->prepare(sql);
            REQUIRE(st);
            while (true) {
                auto row = st->step();
                REQUIRE(row);
                if (!*row) break;
                out += st->text(0) + "\n";
            }
        }
        return out;
    };
    CHECK(dump("alone.db") == dump("grouped.db"));
}

TEST_CASE("a push that overtook the one before it waits for it, and both are taken once",
          "[server][committer]") {
    District district;
    const std::string& path = district.path;
    DistrictStore& store = *district.store;
    const Enrolled a = enroll(store, kCommuneA);
    kiosk::district::CommitterOptions options;
    options.parkMs = 600'000;  // however slow the machine, the wait ends only when the first comes
    auto committer = PushCommitter::start(path, false, kiosk::DeadlineRules{}, options);
    REQUIRE(committer);
    PushCommitter& pc = **committer;
    auto pushAsync = [&](kiosk::protocol::PushRequest r) { return pushLater(pc, a.identity, std::move(r)); };
    const auto first = request(a.kiosk, {submitEvent(a.kiosk, 1, codeFor(a.kiosk, 1)),
                                         submitEvent(a.kiosk, 2, codeFor(a.kiosk, 2))});
    const auto second = request(a.kiosk, {submitEvent(a.kiosk, 3, codeFor(a.kiosk, 3)),
                                          submitEvent(a.kiosk, 4, codeFor(a.kiosk, 4))});
    kiosk::store::Database& db = store.database();

    SECTION("the second arrives first and is judged alone: it waits, then is taken after the first") {
        auto later = pushAsync(second);
        std::this_thread::sleep_for(std::chrono::milliseconds(150));  // judged and set aside
        CHECK(scalar(db, "SELECT count(*) FROM events") == 0);
        CHECK(later.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);
        auto earlier = pushAsync(first);
        auto r1 = earlier.get();
        auto r2 = later.get();
        REQUIRE(r1);
        CHECK(r1->response.ackedSeq == 2);
        CHECK(r1->response.results.size() == 2);
        REQUIRE(r2);
        CHECK(r2->response.ackedSeq == 4);
        REQUIRE(r2->response.results.size() == 2);
        CHECK(r2->response.results[0].verdict == kiosk::protocol::Verdict::Accepted);
        CHECK(r2->response.results[1].verdict == kiosk::protocol::Verdict::Accepted);
    }
    SECTION("both in one group, the second first: judged in sequence order") {
        auto blocker = kiosk::store::Database::open(path, false);
        REQUIRE(blocker);
        // A lone push takes the writer to the lock; the two queue behind it as one group.
        const Enrolled b = enroll(store, kCommuneA);
        REQUIRE(blocker->exec("BEGIN IMMEDIATE"));
        auto lone =
            pushLater(pc, b.identity, request(b.kiosk, {submitEvent(b.kiosk, 1, codeFor(b.kiosk, 5))}));
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        auto later = pushAsync(second);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        auto earlier = pushAsync(first);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        REQUIRE(blocker->exec("COMMIT"));
        REQUIRE(lone.get());
        auto r1 = earlier.get();
        auto r2 = later.get();
        REQUIRE(r1);
        CHECK(r1->response.ackedSeq == 2);
        REQUIRE(r2);
        CHECK(r2->response.ackedSeq == 4);
        CHECK(r2->response.results.size() == 2);
    }
    CHECK(scalar(db, "SELECT count(*) FROM events WHERE kiosk = '" + a.identity.kioskId + "'") == 4);
    CHECK(scalar(db, "SELECT count(DISTINCT uuid) FROM kiosk_sequence WHERE kiosk = '" + a.identity.kioskId +
                         "'") == 4);
    CHECK(scalar(db, "SELECT acked_seq FROM kiosks WHERE id = '" + a.identity.kioskId + "'") == 4);
}

TEST_CASE("a push whose predecessor never comes is answered after the wait with nothing taken",
          "[server][committer]") {
    District district;
    const std::string& path = district.path;
    DistrictStore& store = *district.store;
    const Enrolled a = enroll(store, kCommuneA);
    kiosk::district::CommitterOptions options;
    options.parkMs = 200;
    auto committer = PushCommitter::start(path, false, kiosk::DeadlineRules{}, options);
    REQUIRE(committer);
    PushCommitter& pc = **committer;
    const auto first = request(a.kiosk, {submitEvent(a.kiosk, 1, codeFor(a.kiosk, 1)),
                                         submitEvent(a.kiosk, 2, codeFor(a.kiosk, 2))});
    const auto second = request(a.kiosk, {submitEvent(a.kiosk, 3, codeFor(a.kiosk, 3)),
                                          submitEvent(a.kiosk, 4, codeFor(a.kiosk, 4))});
    {
        const auto t0 = std::chrono::steady_clock::now();
        auto r2 = pc.push(a.identity, second, 2);
        const auto waited = std::chrono::steady_clock::now() - t0;
        REQUIRE(r2);
        CHECK(r2->sequenceOk);
        CHECK(r2->response.ackedSeq == 0);
        CHECK(r2->response.results.empty());
        CHECK(waited >= std::chrono::milliseconds(options.parkMs));
        // Then the kiosk starts again from its mark: everything taken once.
        auto r1 = pc.push(a.identity, first, 3);
        REQUIRE(r1);
        auto again = pc.push(a.identity, second, 4);
        REQUIRE(again);
        CHECK(again->response.ackedSeq == 4);
    }
    kiosk::store::Database& db = store.database();
    CHECK(scalar(db, "SELECT count(*) FROM events") == 4);
    CHECK(scalar(db, "SELECT acked_seq FROM kiosks WHERE id = '" + a.identity.kioskId + "'") == 4);
}

TEST_CASE("stopping answers a push that waits for the one before it", "[server][committer]") {
    District district;
    const Enrolled a = enroll(*district.store, kCommuneA);
    kiosk::district::CommitterOptions options;
    options.parkMs = 600'000;  // longer than the test may take: only stop() can answer it
    auto committer = PushCommitter::start(district.path, false, kiosk::DeadlineRules{}, options);
    REQUIRE(committer);
    auto later =
        pushLater(**committer, a.identity, request(a.kiosk, {submitEvent(a.kiosk, 2, codeFor(a.kiosk, 1))}));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    CHECK(later.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);
    (*committer)->stop();
    REQUIRE(later.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    auto r = later.get();
    REQUIRE(r);
    CHECK(r->response.ackedSeq == 0);
    CHECK(r->response.results.empty());
}
