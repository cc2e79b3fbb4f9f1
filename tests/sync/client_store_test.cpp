// The kiosk-store side of sync (kiosk/store/sync_store.h) on real SQLite files: outbox batches,
// acknowledgements, renumbering, pulled pages (twice), held snapshots, the clock, the state.
#include <catch2/catch.hpp>

#include "core/state_machine.h"
#include "kiosk/store/sync_store.h"
#include "sync/client/wire.h"
#include "tests/support/officer_fixture.h"
#include "tests/support/store_fixture.h"

using namespace kiosk;
using namespace kiosk::store;
using namespace testing_support;

namespace {

constexpr int64_t kMonday = 1764554400;  // 2025-12-01 09:00 +07:00

struct Kiosk {
    explicit Kiosk(int slot = 1) : store(makeKioskStore(dir.file("kiosk.db"), "02374", slot)) {}
    TempDir dir;
    std::unique_ptr<KioskStore> store;

    Record submit(const std::string& kind = "kien-nghi") {
        auto r = store->createRecord(petitionDraft(*store, kind), Actor{Role::Kiosk, ""}, kMonday);
        REQUIRE(r.ok());
        return *r;
    }
    int64_t count(const std::string& sql) {
        auto st = store->database().prepare(sql);
        REQUIRE(st.ok());
        REQUIRE(st->step().ok());
        return st->integer(0);
    }
    std::string text(const std::string& sql, const std::string& arg) {
        auto st = store->database().prepare(sql);
        REQUIRE(st.ok());
        st->bind(1, arg);
        auto row = st->step();
        REQUIRE(row.ok());
        return *row ? st->text(0) : std::string("<none>");
    }
    std::vector<OutboxEntry> batch(int max = 500) {
        OutboxBatchLimits limits;
        limits.maxEvents = max;
        auto b = readOutboxBatch(*store, limits);
        REQUIRE(b.ok());
        return *b;
    }
    // Everything a pull may touch, as text, to compare before and after.
    std::string dump() {
        std::string out;
        for (const char* sql :
             {"SELECT group_concat(code || status || due || IFNULL(official_code,'') || result_note, ';') "
              "FROM "
              "(SELECT * FROM records ORDER BY code)",
              "SELECT group_concat(uuid || origin || verdict || status_after, ';') FROM (SELECT * FROM "
              "events ORDER BY uuid)",
              "SELECT group_concat(record_code || change_seq || applied, ';') FROM district_records",
              "SELECT value FROM meta WHERE key = 'sync_cursor'"}) {
            auto st = store->database().prepare(sql);
            REQUIRE(st.ok());
            REQUIRE(st->step().ok());
            out += st->text(0) + "\n";
        }
        return out;
    }
};

// A district officer's event on a record, stamped by the district's clock.
Event districtEvent(const std::string& code, Action action, uint64_t hlc, const std::string& note = "") {
    Event e;
    e.uuid = newUuid();
    e.recordCode = code;
    e.recordKind = RecordKind::Petition;
    e.action = action;
    e.actor = Actor{Role::DistrictOfficer, "huyen01"};
    e.hlc = hlc;
    e.at = int64_t(Hlc::physicalMillis(hlc) / 1000);
    if (!note.empty()) e.payload["note"] = note;
    return e;
}

PulledChange recordChange(int64_t seq, const std::string& code, const std::string& status,
                          std::vector<Event> events = {}, const std::string& due = "2025-12-15") {
    PulledChange c;
    c.seq = seq;
    c.type = PulledChange::Type::Record;
    c.record.code = code;
    c.record.kind = "petition";
    c.record.status = status;
    c.record.due = due;
    c.events = std::move(events);
    return c;
}

}  // namespace

TEST_CASE("sync store: outbox batches come in seq order, bounded, with the kiosk id and seq") {
    Kiosk k;
    for (int i = 0; i < 7; ++i) k.submit();
    auto all = k.batch();
    REQUIRE(all.size() == 7);
    for (size_t i = 0; i < all.size(); ++i) {
        CHECK(all[i].seq == int64_t(i + 1));
        CHECK(all[i].event.seq == all[i].seq);
        CHECK(all[i].event.kioskId == "k-test");
        CHECK(all[i].event.actor.id == "k-test");
        CHECK(all[i].event.payload.value("code", "") == all[i].event.recordCode);
    }
    CHECK(k.batch(3).size() == 3);

    OutboxBatchLimits tiny;
    tiny.maxBytes = 10;  // smaller than one event: still one, never none
    CHECK(readOutboxBatch(*k.store, tiny)->size() == 1);

    REQUIRE(countPushAttempt(*k.store, 1, 3).ok());
    CHECK(k.batch()[0].attempts == 1);
    CHECK(k.batch()[3].attempts == 0);

    // Each entry's wire text is the event's own JSON, byte for byte (it is spliced into the push).
    for (const OutboxEntry& entry : all) CHECK(entry.json == toJson(entry.event).dump());

    // The batch after one in flight: only the rows above it.
    OutboxBatchLimits after;
    after.afterSeq = 5;
    auto rest = readOutboxBatch(*k.store, after);
    REQUIRE(rest.ok());
    REQUIRE(rest->size() == 2);
    CHECK(rest->front().seq == 6);
    CHECK(rest->back().seq == 7);
}

TEST_CASE("sync wire: a push spliced from the outbox rows' JSON is the push encoded from the events") {
    Kiosk k;
    for (int i = 0; i < 4; ++i) k.submit(i % 2 ? "kien-nghi" : "phan-anh");
    auto spliced = k.batch();
    auto plain = spliced;
    for (OutboxEntry& entry : plain) entry.json.clear();  // forces the event-by-event encoding
    protocol::Heartbeat hb;
    hb.appVersion = "9.9";
    hb.queueDepth = 4;
    hb.clockMs = 1795724939510;
    const auto a = nlohmann::json::parse(client::encodePushRequest("k-test", spliced, hb));
    const auto b = nlohmann::json::parse(client::encodePushRequest("k-test", plain, hb));
    CHECK(a == b);
    CHECK(a["events"].size() == 4);
    // Under another kiosk id than the rows were read with, the events are encoded with that id.
    const auto other = nlohmann::json::parse(client::encodePushRequest("k-other", spliced, std::nullopt));
    CHECK(other["events"][0]["kiosk"] == "k-other");
    CHECK(client::encodePushRequest("k-test", {}, std::nullopt).find("\"events\":[]") != std::string::npos);
}

TEST_CASE("sync store: an outbox row with an unreadable payload or odd text still goes out as valid JSON") {
    Kiosk k;
    const Record r = k.submit();
    REQUIRE(k.store->database()
                .exec("UPDATE events SET payload = 'not json', actor_id = 'a\"b\\c\x01' "
                      "WHERE origin = 'local'")
                .ok());
    auto b = k.batch();
    REQUIRE(b.size() == 1);
    CHECK(b[0].event.payload == nlohmann::json::object());
    auto parsed = nlohmann::json::parse(b[0].json, nullptr, false);
    REQUIRE(parsed.is_object());
    CHECK(parsed == toJson(b[0].event));
    CHECK(parsed["record"] == r.code);
}

TEST_CASE("sync store: the district's answer marks verdicts and the acknowledged mark together") {
    Kiosk k;
    std::vector<Record> records;
    for (int i = 0; i < 4; ++i) records.push_back(k.submit());
    auto b = k.batch();
    std::vector<protocol::EventResult> results{
        {b[0].event.uuid, 1, protocol::Verdict::Accepted, {}},
        {b[1].event.uuid, 2, protocol::Verdict::Duplicate, {}},
        {b[2].event.uuid, 3, protocol::Verdict::Rejected,
         makeError("record.foreign-commune", "Không thuộc xã.", "Foreign.")},
    };
    auto ack = recordPushOutcome(*k.store, 3, results, kMonday);
    REQUIRE(ack.ok());
    CHECK(ack->newlyAcked == 3);
    CHECK(ack->accepted == 1);
    CHECK(ack->duplicate == 1);
    CHECK(ack->rejected == 1);
    CHECK(k.store->outboxPending().value() == 1);
    CHECK(k.text("SELECT verdict FROM events WHERE uuid = ?", b[0].event.uuid) == "accepted");
    CHECK(k.text("SELECT verdict FROM events WHERE uuid = ?", b[1].event.uuid) == "duplicate");
    CHECK(k.text("SELECT verdict FROM events WHERE uuid = ?", b[2].event.uuid) == "rejected");
    const Error reason =
        decodeRejectReason(k.text("SELECT reject_reason FROM events WHERE uuid = ?", b[2].event.uuid));
    CHECK(reason.code == "record.foreign-commune");
    CHECK(reason.vi == "Không thuộc xã.");
    auto history = k.store->history(records[2].code).value();
    REQUIRE(history.size() == 1);
    CHECK(history[0].districtVerdict == "rejected");

    // The same answer again (a retry after a lost connection) changes nothing.
    auto again = recordPushOutcome(*k.store, 3, results, kMonday);
    REQUIRE(again.ok());
    CHECK(again->newlyAcked == 0);
    CHECK(k.store->outboxPending().value() == 1);

    // A district restored from a backup answers with a lower mark: rows above it go out again.
    auto lower = recordPushOutcome(*k.store, 1, {}, kMonday);
    REQUIRE(lower.ok());
    CHECK(lower->reopened == 2);
    CHECK(k.store->outboxPending().value() == 3);
    CHECK(k.batch()[0].seq == 2);

    auto status = readSyncStatus(*k.store).value();
    CHECK(status.eventsWaiting == 3);
    CHECK(status.recordsWaiting == 3);
    CHECK(status.rejectedEvents == 1);
}

TEST_CASE("sync store: sequence-reused renumbers the waiting rows after the district's mark") {
    Kiosk k;
    for (int i = 0; i < 5; ++i) k.submit();
    auto b = k.batch();
    REQUIRE(recordPushOutcome(*k.store, 2,
                              {{b[0].event.uuid, 1, protocol::Verdict::Accepted, {}},
                               {b[1].event.uuid, 2, protocol::Verdict::Accepted, {}}},
                              kMonday)
                .ok());
    // The district holds 1..9 from this kiosk's earlier life (a backup was restored here).
    auto renumbered = renumberOutbox(*k.store, 9);
    REQUIRE(renumbered.ok());
    CHECK(*renumbered == 3);
    auto after = k.batch();
    REQUIRE(after.size() == 3);
    CHECK(after[0].seq == 10);
    CHECK(after[1].seq == 11);
    CHECK(after[2].seq == 12);
    CHECK(after[0].event.uuid == b[2].event.uuid);  // same events, same order
    CHECK(after[2].event.uuid == b[4].event.uuid);
    CHECK(k.count("SELECT COUNT(*) FROM outbox WHERE acked = 1 AND seq <= 2") == 2);
    // New local writes continue after the renumbered rows.
    k.submit();
    CHECK(k.batch().back().seq == 13);
}

TEST_CASE("sync store: a pulled page is applied once, with its cursor, and a second time changes nothing") {
    Kiosk k;
    const Record r = k.submit("khieu-nai");
    auto b = k.batch();
    REQUIRE(recordPushOutcome(*k.store, 1, {{b[0].event.uuid, 1, protocol::Verdict::Accepted, {}}}, kMonday)
                .ok());

    Event submitted = b[0].event;  // the district sends the record's events back, ours included
    const uint64_t districtClock = submitted.hlc + (uint64_t(3 * 86400 * 1000) << 16);  // 3 days on
    Event accept = districtEvent(r.code, Action::Accept, districtClock);
    std::vector<PulledChange> page{recordChange(41, r.code, "accepted", {submitted, accept}, "2026-01-05")};
    auto applied = applyPullPage(*k.store, page, "41.abc", kMonday + 90000);
    REQUIRE(applied.ok());
    CHECK(applied->records == 1);
    CHECK(applied->newEvents == 1);
    CHECK(pullCursor(*k.store) == "41.abc");
    auto record = k.store->find(r.code).value().value();
    CHECK(record.status == RecordStatus::Accepted);
    CHECK(record.due.iso() == "2026-01-05");
    auto history = k.store->history(r.code).value();
    REQUIRE(history.size() == 2);
    CHECK(history[1].fromDistrict);
    CHECK(history[1].status == RecordStatus::Accepted);
    CHECK(recordSyncedAt(*k.store, r.code) == kMonday + 90000);

    const std::string before = k.dump();
    auto twice = applyPullPage(*k.store, page, "41.abc", kMonday + 90000);
    REQUIRE(twice.ok());
    CHECK(twice->newEvents == 0);
    CHECK(k.dump() == before);

    // An older change for the record (a replay) never rolls it back.
    auto older = applyPullPage(*k.store, {recordChange(12, r.code, "received")}, "41.abc", kMonday + 90001);
    REQUIRE(older.ok());
    CHECK(k.store->find(r.code).value()->status == RecordStatus::Accepted);

    // The kiosk's clock follows the district's: a local event made now orders after the pulled one,
    // even though this kiosk's wall clock may be days behind.
    CHECK(std::stoull(readMeta(k.store->database(), "hlc")) > districtClock);
}

TEST_CASE("sync store: a record with local events waiting keeps them, the district's view waits aside") {
    Kiosk k;
    const Record r = k.submit("khieu-nai");
    // Accepted at the kiosk, not yet pushed.
    k.store->unlock(testing_support::fixtureOfficerSecret("cb01"));
    REQUIRE(k.store->act(r.code, Action::Accept, Actor{Role::CommuneOfficer, "cb01"}, {}, kMonday + 60).ok());
    auto b = k.batch();
    REQUIRE(b.size() == 2);
    // The district has only the submit so far.
    REQUIRE(recordPushOutcome(*k.store, 1, {{b[0].event.uuid, 1, protocol::Verdict::Accepted, {}}}, kMonday)
                .ok());
    auto applied =
        applyPullPage(*k.store, {recordChange(5, r.code, "received", {b[0].event})}, "5.x", kMonday + 61);
    REQUIRE(applied.ok());
    CHECK(applied->held == 1);
    CHECK(k.store->find(r.code).value()->status == RecordStatus::Accepted);  // not overwritten
    CHECK(k.count("SELECT COUNT(*) FROM district_records WHERE applied = 0") == 1);

    // The push that acknowledges the accept applies the district's view (here: a later one with the
    // accept in it arrives by pull afterwards too; either order ends the same).
    auto ack =
        recordPushOutcome(*k.store, 2, {{b[1].event.uuid, 2, protocol::Verdict::Accepted, {}}}, kMonday + 62);
    REQUIRE(ack.ok());
    CHECK(ack->snapshotsApplied == 1);
    CHECK(k.store->find(r.code).value()->status ==
          RecordStatus::Received);  // the district's last word so far
    auto later =
        applyPullPage(*k.store, {recordChange(6, r.code, "accepted", {b[1].event})}, "6.x", kMonday + 63);
    REQUIRE(later.ok());
    CHECK(later->records == 1);
    CHECK(k.store->find(r.code).value()->status == RecordStatus::Accepted);
    CHECK(k.count("SELECT COUNT(*) FROM district_records WHERE applied = 0") == 0);
}

TEST_CASE("sync store: rejections reach the officer's event, records from elsewhere arrive whole") {
    Kiosk k;
    const Record r = k.submit();
    auto b = k.batch();
    PulledChange rejection;
    rejection.seq = 3;
    rejection.type = PulledChange::Type::Rejection;
    rejection.uuid = b[0].event.uuid;
    rejection.recordCode = r.code;
    rejection.reason = makeError("transition", "Không được phép.", "Not allowed.");

    // A record this kiosk never had (made on the commune's other kiosk): created from its submit
    // event (without identity: that travels sealed to the district); a district event for it that
    // came first waits for it.
    Kiosk other(2);
    const Record foreign = other.submit("khieu-nai");
    const Event foreignSubmit = other.batch()[0].event;
    const uint64_t later = foreignSubmit.hlc + (uint64_t(3600000) << 16);
    Event accept = districtEvent(foreign.code, Action::Accept, later);
    auto first = applyPullPage(*k.store, {rejection, recordChange(4, foreign.code, "accepted", {accept})},
                               "4.x", kMonday + 100);
    REQUIRE(first.ok());
    CHECK(first->rejections == 1);
    CHECK(k.text("SELECT verdict FROM events WHERE uuid = ?", b[0].event.uuid) == "rejected");
    CHECK_FALSE(k.store->find(foreign.code).value().has_value());
    CHECK(k.count("SELECT COUNT(*) FROM held_events") == 1);

    auto second = applyPullPage(*k.store, {recordChange(5, foreign.code, "accepted", {foreignSubmit})}, "5.x",
                                kMonday + 101);
    INFO((second.ok() ? std::string() : second.error().en));
    REQUIRE(second.ok());
    auto arrived = k.store->find(foreign.code).value();
    REQUIRE(arrived.has_value());
    CHECK(arrived->status == RecordStatus::Accepted);
    CHECK(arrived->identity.name.empty());
    // The citizen's status check travels with the record (payload "status_check", kiosk_store.h):
    // another kiosk that holds it, its commune's or a successor's, answers it.
    CHECK(k.store->phoneMatches(*arrived, "5678").value());
    CHECK_FALSE(k.store->phoneMatches(*arrived, "0000").value());
    auto history = k.store->history(foreign.code).value();
    REQUIRE(history.size() == 2);
    CHECK(history[0].action == Action::Submit);
    CHECK(history[1].action == Action::Accept);
    CHECK(history[1].status == RecordStatus::Accepted);
    CHECK(k.count("SELECT COUNT(*) FROM held_events") == 0);
    // None of this is local work: nothing to push.
    CHECK(k.store->outboxPending().value() == 1);
}

TEST_CASE(
    "sync store: a pulled event that carries a citizen's identity in the clear, or the district's seal, is "
    "stored without it") {
    // A kiosk from before the sealing sent the identity and the content plain; the district passes
    // its payload on as sent. The district's accept arrives first (held aside), then the submit.
    Kiosk k;
    Kiosk other(2);
    const Record foreign = other.submit("khieu-nai");
    Event plainSubmit = other.batch()[0].event;
    plainSubmit.payload["identity"] = {{"name", "Quàng Thị Xuyếnhh"},
                                       {"cccd", "008195987654"},
                                       {"phone", "0386420917"},
                                       {"address", "Bản Khuổi Vạc"}};
    plainSubmit.payload["content"] = "Nội dung riêng tư Zyxwv về tranh chấp đất rừng";
    // A district from before 2026-11-27 also forwarded the seal to the district, which no kiosk
    // can open: not kept either.
    plainSubmit.payload["sealed"] = "U2VhbGVkRm9yVGhlRGlzdHJpY3RRcXE";
    const uint64_t later = plainSubmit.hlc + (uint64_t(3600000) << 16);
    const Event accept = districtEvent(foreign.code, Action::Accept, later);
    REQUIRE(
        applyPullPage(*k.store, {recordChange(1, foreign.code, "accepted", {accept})}, "1.x", kMonday + 100)
            .ok());
    REQUIRE(k.count("SELECT COUNT(*) FROM held_events") == 1);
    REQUIRE(applyPullPage(*k.store, {recordChange(2, foreign.code, "accepted", {plainSubmit})}, "2.x",
                          kMonday + 101)
                .ok());
    auto arrived = k.store->find(foreign.code).value();
    REQUIRE(arrived.has_value());
    CHECK(arrived->status == RecordStatus::Accepted);
    CHECK(k.count("SELECT COUNT(*) FROM events WHERE record_code = '" + foreign.code + "'") == 2);

    const std::string path = k.dir.file("kiosk.db");
    const std::string files = fileBytes(path) + fileBytes(path + "-wal") + fileBytes(path + "-journal");
    REQUIRE(files.size() > 4096);
    for (const std::string needle :
         {"Xuyếnhh", "008195987654", "0386420917", "Khuổi Vạc", "Zyxwv", "U2VhbGVkRm9yVGhlRGlzdHJpY3RRcXE"}) {
        INFO(needle);
        CHECK(files.find(needle) == std::string::npos);
    }
}

TEST_CASE("sync store: catalog and holidays from the district replace the kiosk's and are reloaded") {
    Kiosk k;
    PulledChange catalog;
    catalog.seq = 1;
    catalog.type = PulledChange::Type::Catalog;
    Procedure p;
    p.id = "1.000001";
    p.code = "1.000001";
    p.name = "Thủ tục thử nghiệm đăng ký đường dây nóng";
    p.field = "Thử nghiệm";
    p.limit = Limit{3, true};
    catalog.procedures = {p};
    PulledChange holidays;
    holidays.seq = 2;
    holidays.type = PulledChange::Type::Holidays;
    holidays.holidays = {HolidayEntry{Date{2026, 9, 2}, false, "Quốc khánh"}};
    auto applied = applyPullPage(*k.store, {catalog, holidays}, "2.x", kMonday);
    REQUIRE(applied.ok());
    CHECK(applied->referenceChanged);
    CHECK(k.store->reference().procedures.size() == 1);
    auto hits = k.store->searchCatalog("duong day nong");
    REQUIRE(hits.ok());
    REQUIRE(hits->size() == 1);
    CHECK(k.store->reference().holidays.size() == 1);
}

TEST_CASE("sync store: 410 starts the pull over once, never in a loop") {
    Kiosk k;
    const Record r = k.submit();
    REQUIRE(recordPushOutcome(*k.store, 1, {}, kMonday).ok());
    REQUIRE(applyPullPage(*k.store, {recordChange(77, r.code, "received")}, "77.old", kMonday).ok());
    REQUIRE(restartPull(*k.store).ok());
    CHECK(pullCursor(*k.store) == "0");
    // A rebuilt district numbers its changes from 1 again: they still apply.
    REQUIRE(applyPullPage(*k.store, {recordChange(3, r.code, "accepted")}, "3.new", kMonday).ok());
    CHECK(k.store->find(r.code).value()->status == RecordStatus::Accepted);
    REQUIRE(restartPull(*k.store).ok());
    auto loop = restartPull(*k.store);
    REQUIRE_FALSE(loop.ok());
    CHECK(loop.error().code == "sync.reset-loop");
}

TEST_CASE("sync store: the state says online, last success, waiting, last error and a wrong clock") {
    Kiosk k;
    k.submit();
    auto fresh = readSyncStatus(*k.store).value();
    CHECK_FALSE(fresh.online);
    CHECK(fresh.lastSuccessMs == 0);
    CHECK(fresh.eventsWaiting == 1);
    CHECK_FALSE(fresh.clockOffsetMs.has_value());
    CHECK_FALSE(fresh.clockWrong());

    REQUIRE(recordSyncAttempt(*k.store, false,
                              makeError("net.unreachable", "Không kết nối được.", "Cannot connect."), 1000)
                .ok());
    auto offline = readSyncStatus(*k.store).value();
    CHECK_FALSE(offline.online);
    REQUIRE(offline.lastError.has_value());
    CHECK(offline.lastError->code == "net.unreachable");
    CHECK(offline.lastError->vi == "Không kết nối được.");

    REQUIRE(recordSyncSuccess(*k.store, 5000).ok());
    REQUIRE(recordClockOffset(*k.store, 3 * 86400 * 1000LL).ok());  // the kiosk is 3 days behind
    auto online = readSyncStatus(*k.store).value();
    CHECK(online.online);
    CHECK(online.lastSuccessMs == 5000);
    CHECK_FALSE(online.lastError.has_value());
    CHECK(online.clockWrong());
    CHECK(readMeta(k.store->database(), "last_sync_at") == "5");
    REQUIRE(recordClockOffset(*k.store, -4 * 60 * 1000).ok());  // 4 minutes ahead: tolerated
    CHECK_FALSE(readSyncStatus(*k.store).value().clockWrong());
}

TEST_CASE(
    "sync store: a provisional day off keeps its mark in the kiosk's file until a confirmed table comes") {
    Kiosk k;
    // From the shipped assets at init: 2027's table is provisional (docs/domain.md).
    CHECK(k.store->reference().provisionalHolidayYears().count(2027) == 1);
    CHECK_FALSE(k.store->rules().calendar.isWorkingDay(Date{2027, 2, 8}));
    PulledChange holidays;
    holidays.seq = 1;
    holidays.type = PulledChange::Type::Holidays;
    holidays.holidays = {HolidayEntry{Date{2027, 2, 8}, false, "Tết", false},
                         HolidayEntry{Date{2028, 1, 26}, false, "Tết (tạm tính)", true}};
    REQUIRE(applyPullPage(*k.store, {holidays}, "1.x", kMonday).ok());
    CHECK(k.store->reference().provisionalHolidayYears() == std::set<int>{2028});
    const std::string path = k.dir.file("kiosk.db");
    k.store.reset();
    auto reopened = KioskStore::open(path);
    REQUIRE(reopened.ok());
    CHECK((*reopened)->reference().provisionalHolidayYears() == std::set<int>{2028});
}
