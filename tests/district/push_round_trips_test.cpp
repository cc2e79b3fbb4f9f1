// The push judgment (push_judgement.h) reads what a push needs in a few statements and writes it
// with multi-row INSERTs, because on PostgreSQL every statement is a round trip to the server. These
// tests hold it to that — a push of 50 new petitions costs a bounded number of statements, not
// several per event — and check that batching changed no verdict: one push mixing resends, a reused
// event UUID, an unreadable event, a record created and then acted on, refusals and a gap is judged
// event by event exactly as the statements one by one judged it, with the same rows stored. And the
// statements a push's rows go out with (Database::runAll, one round trip on PostgreSQL) stop at the
// first error, which they return, and the connection goes on afterwards.
#include <string>
#include <vector>

#include "common/database.h"
#include "district/sync/push_judgement.h"
#include "tests/support/server_fixture.h"

using namespace server_test;
using kiosk::district::DistrictStore;
using kiosk::district::KioskIdentity;
using kiosk::protocol::PushRequest;

namespace {

PushRequest request(const Kiosk& k, const std::vector<kiosk::Event>& events) {
    auto decoded = kiosk::protocol::decodePushRequest(pushBody(k, events));
    REQUIRE(decoded);
    return std::move(*decoded);
}

// applyPush in a transaction of its own, committed; with the statements it started.
struct Judged {
    kiosk::district::PushAnswer answer;
    uint64_t statements = 0;
};

Judged judge(DistrictStore& store, const KioskIdentity& kiosk, const PushRequest& push) {
    kiosk::store::Transaction tx(store.database());
    REQUIRE(tx.begun());
    const uint64_t before = kiosk::store::statementsStarted();
    auto answer = kiosk::district::applyPush(store, kiosk, push, 1767405600000, kiosk::DeadlineRules{});
    const uint64_t statements = kiosk::store::statementsStarted() - before;
    REQUIRE(answer);
    REQUIRE(tx.commit());
    return {std::move(*answer), statements};
}

std::vector<std::string> column(DistrictStore& store, const std::string& sql) {
    auto st = store.database().prepare(sql);
    REQUIRE(st);
    std::vector<std::string> out;
    while (true) {
        auto row = st->step();
        REQUIRE(row);
        if (!*row) break;
        out.push_back(st->text(0));
    }
    return out;
}

// "seq verdict[ reason][ status]" per result, in the answer's order.
std::vector<std::string> verdicts(const kiosk::protocol::PushResponse& response) {
    std::vector<std::string> out;
    for (const auto& r : response.results) {
        std::string line = std::to_string(r.seq) + " " + std::string(kiosk::protocol::toSlug(r.verdict));
        if (r.reason) line += " " + r.reason->code;
        if (!r.status.empty()) line += " " + r.status;
        out.push_back(line);
    }
    return out;
}

}  // namespace

TEST_CASE("a push of 50 new petitions costs a few statements, not several per event", "[server][store]") {
    testing_support::TempDir dir;
    auto opened = DistrictStore::open(dir.file("district.db"), true);
    REQUIRE(opened);
    DistrictStore& store = **opened;
    const Enrolled a = enroll(store, kCommuneA);
    auto pushOf = [&](int64_t firstSeq, uint64_t firstSerial) {
        std::vector<kiosk::Event> events;
        for (int i = 0; i < 50; ++i)
            events.push_back(submitEvent(a.kiosk, firstSeq + i, codeFor(a.kiosk, firstSerial + i)));
        return request(a.kiosk, events);
    };
    // The first push prepares the statements (not counted); the second is the steady state.
    judge(store, a.identity, pushOf(1, 1000));
    const Judged second = judge(store, a.identity, pushOf(51, 2000));
    CHECK(second.answer.response.ackedSeq == 100);
    REQUIRE(second.answer.response.results.size() == 50);
    for (const auto& r : second.answer.response.results)
        CHECK(r.verdict == kiosk::protocol::Verdict::Accepted);
    // One by one it took 7 statements an event (353 here). Now 6: the kiosk's mark, the push's
    // UUIDs and its records (two statements each: 32 values at a time), every row written at once.
    INFO("statements for 50 events: " << second.statements);
    CHECK(second.statements <= 8);
    CHECK(column(store, "SELECT count(*) FROM records")[0] == "100");
    CHECK(column(store, "SELECT count(*) FROM events")[0] == "100");
    CHECK(column(store, "SELECT count(*) FROM kiosk_sequence")[0] == "100");
    // The change feed keeps the events' order.
    const auto fed = column(store, "SELECT body FROM changes ORDER BY seq");
    REQUIRE(fed.size() == 100);
    for (size_t i = 0; i < fed.size(); ++i) {
        const uint64_t serial = i < 50 ? 1000 + i : 2000 + (i - 50);
        CHECK(fed[i].find(codeFor(a.kiosk, serial)) != std::string::npos);
    }
}

TEST_CASE("a push mixing resends, reused UUIDs, refusals and a gap gets the verdicts it always got",
          "[server][store]") {
    testing_support::TempDir dir;
    auto opened = DistrictStore::open(dir.file("district.db"), true);
    REQUIRE(opened);
    DistrictStore& store = **opened;
    const Enrolled a = enroll(store, kCommuneA);
    const Enrolled b = enroll(store, kCommuneB);
    const std::string codeA = codeFor(a.kiosk, 1), codeB = codeFor(a.kiosk, 2), codeD = codeFor(a.kiosk, 4);
    const std::vector<kiosk::Event> first{submitEvent(a.kiosk, 1, codeA), submitEvent(a.kiosk, 2, codeB),
                                          submitEvent(a.kiosk, 3, codeFor(a.kiosk, 3))};
    CHECK(judge(store, a.identity, request(a.kiosk, first)).answer.response.ackedSeq == 3);
    const kiosk::Event otherKiosks = submitEvent(b.kiosk, 1, codeFor(b.kiosk, 1));
    CHECK(judge(store, b.identity, request(b.kiosk, {otherKiosks})).answer.response.ackedSeq == 1);

    kiosk::Event takenUuid = submitEvent(a.kiosk, 6, codeFor(a.kiosk, 6));
    takenUuid.uuid = otherKiosks.uuid;  // stored already, by another kiosk
    const kiosk::Event submitD = submitEvent(a.kiosk, 7, codeD);
    kiosk::Event againD = submitD;  // the same UUID at a new number: a renumbered resend
    againD.seq = 9;
    std::vector<kiosk::Event> events{
        first[1],                                                             // 2: resent
        first[2],                                                             // 3: resent
        submitEvent(a.kiosk, 4, codeFor(a.kiosk, 5)),                         // 4: unreadable (below)
        submitEvent(a.kiosk, 5, codeA),                                       // 5: its record exists
        takenUuid,                                                            // 6
        submitD,                                                              // 7: new record D
        actionEvent(a.kiosk, 8, codeD, kiosk::Action::Accept, "Đã thụ lý"),   // 8: D, in the same push
        againD,                                                               // 9
        submitEvent(a.kiosk, 10, codeFor(b.kiosk, 7)),                        // 10: another commune's code
        actionEvent(a.kiosk, 11, codeB, kiosk::Action::Accept, "Đã thụ lý"),  // 11: B, stored before
        actionEvent(a.kiosk, 12, codeD, kiosk::Action::Accept, "Lần nữa"),    // 12: D, accepted already
        submitEvent(a.kiosk, 15, codeFor(a.kiosk, 8)),                        // 15: after a gap
    };
    PushRequest push = request(a.kiosk, events);
    push.events[2].event.reset();
    push.events[2].problem = kiosk::makeError("event.invalid", "Sự kiện hỏng.", "A broken event.");
    // 13: another event whose UUID this push has just stored (as D's submission), under a new one.
    kiosk::protocol::PushedEvent reused = push.events[5];
    reused.seq = 13;
    reused.uuid = kiosk::newUuid();
    reused.event->seq = 13;
    push.events.insert(push.events.end() - 1, reused);

    const Judged judged = judge(store, a.identity, push);
    // Written from the statements one by one (the judgment before it read and wrote per push).
    const std::vector<std::string> expected{
        "2 duplicate",
        "3 duplicate",
        "4 rejected event.invalid",
        "5 rejected record.exists",
        "6 rejected event.uuid-taken",
        "7 accepted received",
        "8 accepted accepted",
        "9 duplicate",
        "10 rejected record.code-foreign",
        "11 accepted accepted",
        "12 rejected transition.not-allowed",
        "13 rejected event.uuid-taken",
    };
    CHECK(verdicts(judged.answer.response) == expected);
    CHECK(judged.answer.response.ackedSeq == 13);
    const std::string where = " WHERE kiosk = '" + a.kiosk.id + "'";
    CHECK(column(store, "SELECT outcome FROM kiosk_sequence" + where + " ORDER BY seq") ==
          std::vector<std::string>{"accepted", "accepted", "accepted", "rejected", "rejected", "rejected",
                                   "accepted", "accepted", "duplicate", "rejected", "accepted", "rejected",
                                   "rejected"});
    CHECK(column(store, "SELECT seq || ' ' || verdict FROM events" + where + " ORDER BY seq") ==
          std::vector<std::string>{"1 accepted", "2 accepted", "3 accepted", "5 rejected", "7 accepted",
                                   "8 accepted", "10 rejected", "11 accepted", "12 rejected"});
    CHECK(column(store, "SELECT status || ' ' || event_count FROM records WHERE code IN ('" + codeA + "', '" +
                            codeB + "', '" + codeD + "') ORDER BY code") ==
          std::vector<std::string>{"received 1", "accepted 2", "accepted 2"});
    CHECK(column(store,
                 "SELECT type FROM changes WHERE commune = '" + std::string(kCommuneA) + "' ORDER BY seq") ==
          std::vector<std::string>{"record", "record", "record", "rejection", "rejection", "rejection",
                                   "record", "record", "rejection", "record", "rejection", "rejection"});

    // A number at or below the mark under a UUID the kiosk never sent: reused numbers, 409.
    kiosk::Event reusedNumber = submitEvent(a.kiosk, 3, codeFor(a.kiosk, 9));
    const Judged refused = judge(store, a.identity, request(a.kiosk, {reusedNumber}));
    CHECK_FALSE(refused.answer.sequenceOk);
    CHECK(refused.answer.ackedSeq == 13);
}

TEST_CASE("statements run together stop at the first error, and the connection goes on", "[server][store]") {
    testing_support::TempDir dir;
    auto db = kiosk::store::Database::open(dir.file("district.db"), true);
    REQUIRE(db);
    REQUIRE(db->exec("CREATE TABLE together(k INTEGER PRIMARY KEY, v TEXT NOT NULL)"));
    auto insert = [&](int64_t k, const std::string& v) {
        auto st = db->prepare("INSERT INTO together(k, v) VALUES(?, ?)");
        REQUIRE(st);
        st->bind(1, k).bind(2, v);
        return std::move(*st);
    };
    auto count = [&] {
        auto st = db->prepare("SELECT count(*) FROM together");
        REQUIRE(st);
        REQUIRE(st->step());
        return st->integer(0);
    };
    kiosk::store::Statement first = insert(1, "a"), clash = insert(1, "again"), after = insert(2, "b");
    {
        kiosk::store::Transaction tx(*db);
        REQUIRE(tx.begun());
        const uint64_t before = kiosk::store::statementsStarted();
        auto run = db->runAll({&first, &clash, &after});
        CHECK(kiosk::store::statementsStarted() - before == 1);  // one request, one round trip
        REQUIRE_FALSE(run);
        CHECK(run.error().code == "db.constraint");
        // SQLite keeps its transaction after a failed statement, PostgreSQL aborts it: on SQLite the
        // statement after the error was not run either.
        if (db->inTransaction()) CHECK(count() == 1);
    }
    CHECK(count() == 0);  // rolled back
    // The statements were reset (bindings cleared): bound again, they run, and so does the rest.
    first.bind(1, int64_t(1)).bind(2, "a");
    after.bind(1, int64_t(2)).bind(2, "b");
    kiosk::store::Transaction tx(*db);
    REQUIRE(db->runAll({&first, &after}));
    REQUIRE(tx.commit());
    CHECK(count() == 2);
}
