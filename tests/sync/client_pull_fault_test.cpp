// Disk faults while the kiosk applies a pulled page: writes or syncs of the
// kiosk's SQLite file fail (EIO, or ENOSPC for a full disk) through the VFS shim. The kiosk keeps its
// previous state (cursor, records, events unchanged; integrity_check ok), reports the failure, and
// once the disk recovers the next pass applies the page and moves on. Nothing committed is lost.
//
// The shim is process-wide and the district server runs in this process: the server's writer and a
// warm reader are opened before the shim is installed, so the faults land on the kiosk's file only.
#include "common/database.h"
#include "tests/support/faulty_vfs.h"
#include "tests/support/client_fixture.h"

using namespace kiosk;
using namespace client_test;
using client::PassEnd;
using server_test::RunningServer;
using testing_support::diskFaults;
using testing_support::FaultyVfsScope;

namespace {

struct KioskState {
    std::string cursor;
    int64_t records = 0;
    int64_t events = 0;
    int64_t outbox = 0;
    std::string integrity;
};

int64_t scalar(store::Database& db, const char* sql) {
    auto st = db.prepare(sql);
    REQUIRE(st.ok());
    REQUIRE(st->step().value());
    return st->integer(0);
}

// Read on a connection of its own, as a restarted kiosk would see the file.
KioskState readState(const std::string& path) {
    auto db = store::Database::open(path, false);
    REQUIRE(db.ok());
    KioskState s;
    auto cursor = db->prepare("SELECT value FROM meta WHERE key = 'sync_cursor'");
    REQUIRE(cursor.ok());
    if (cursor->step().value()) s.cursor = cursor->text(0);
    s.records = scalar(*db, "SELECT COUNT(*) FROM records");
    s.events = scalar(*db, "SELECT COUNT(*) FROM events");
    s.outbox = scalar(*db, "SELECT COUNT(*) FROM outbox");
    auto check = db->prepare("PRAGMA integrity_check");
    REQUIRE(check.ok());
    REQUIRE(check->step().value());
    s.integrity = check->text(0);
    return s;
}

enum class Fault { WriteEio, WriteFull, SyncEio };

const char* name(Fault f) {
    switch (f) {
        case Fault::WriteEio:
            return "write EIO";
        case Fault::WriteFull:
            return "write ENOSPC";
        case Fault::SyncEio:
            return "sync EIO";
    }
    return "?";
}

// From now on every write (or sync) of the shim's files fails, until clear().
void breakDisk(Fault f) {
    diskFaults().sticky = true;
    diskFaults().diskFull = f == Fault::WriteFull;
    (f == Fault::SyncEio ? diskFaults().syncsUntilFailure : diskFaults().writesUntilFailure) = 0;
}

// A district with kiosk A of commune A already synced, its server's SQLite connections opened before
// the shim, and kiosk B of the same commune (through the shim) holding the first page of A's
// records and one committed petition of its own.
struct Setup {
    RunningServer server;
    server_test::Kiosk enrolledA = server.enroll(server_test::kCommuneA);
    server_test::Kiosk enrolledB = server.enroll(server_test::kCommuneA);
    TestKiosk a{server_test::kCommuneA, enrolledA.slot, url(server.port()), enrolledA.token};
    std::vector<Record> made;

    Setup() {
        for (int i = 0; i < 3; ++i) made.push_back(a.submit("kien-nghi", kMonday + i * 60));
        auto r = a.syncOnce();
        INFO(describe(r));
        REQUIRE(r.end == PassEnd::Done);
    }
    // More records at the district: the page kiosk B has yet to pull.
    void moreFromA(int count) {
        for (int i = 0; i < count; ++i)
            made.push_back(a.submit("phan-anh", kMonday + 3600 + int64_t(made.size()) * 60));
        auto r = a.syncOnce();
        INFO(describe(r));
        REQUIRE(r.end == PassEnd::Done);
    }
};

}  // namespace

TEST_CASE(
    "pull-apply disk faults: the kiosk keeps its state, says so, and applies the page once the disk recovers",
    "[client][faults][disk]") {
    const Fault fault = GENERATE(Fault::WriteEio, Fault::WriteFull, Fault::SyncEio);
    INFO("fault: " << name(fault));
    Setup setup;
    FaultyVfsScope vfs;  // before kiosk B's database is opened: its connections go through the shim
    TestKiosk b(server_test::kCommuneA, setup.enrolledB.slot, url(setup.server.port()),
                setup.enrolledB.token);
    const Record own = b.submit("kien-nghi", kMonday + 30);
    {
        auto r = b.syncOnce();
        INFO(describe(r));
        REQUIRE(r.end == PassEnd::Done);
    }
    setup.moreFromA(4);
    const KioskState before = readState(b.path());
    REQUIRE(before.integrity == "ok");
    REQUIRE(before.records == 4);  // A's first three and its own

    breakDisk(fault);
    const int failuresBefore = diskFaults().failures;
    auto failed = b.syncOnce(10s);
    const bool hit = diskFaults().failures > failuresBefore;
    diskFaults().clear();
    INFO(describe(failed));
    REQUIRE(hit);
    // Reported as the kiosk's own disk failing, in both languages.
    CHECK(failed.end == PassEnd::LocalError);
    REQUIRE(failed.error.has_value());
    CHECK((failed.error->code == "db.io" || failed.error->code == "db.full"));
    if (fault == Fault::WriteFull) CHECK(failed.error->code == "db.full");
    CHECK_FALSE(failed.error->vi.empty());
    CHECK(failed.pulled == 0);

    // Nothing of the page is there, nothing before it is gone, the file is sound.
    const KioskState during = readState(b.path());
    CHECK(during.integrity == "ok");
    CHECK(during.cursor == before.cursor);
    CHECK(during.records == before.records);
    CHECK(during.events == before.events);
    CHECK(during.outbox == before.outbox);
    REQUIRE(b.store().find(own.code).value().has_value());

    // The disk is back: the next pass applies the page and moves the cursor on.
    auto recovered = b.syncOnce();
    INFO(describe(recovered));
    REQUIRE(recovered.end == PassEnd::Done);
    CHECK(recovered.pulled >= 4);
    const KioskState after = readState(b.path());
    CHECK(after.integrity == "ok");
    CHECK(after.cursor != before.cursor);
    CHECK(after.records == before.records + 4);
    for (const Record& r : setup.made) CHECK(b.store().find(r.code).value().has_value());
    CHECK(b.store().find(own.code).value().has_value());
    CHECK(b.waiting() == 0);
    // And the district still has B's own petition exactly once.
    auto view = districtView(setup.server, server_test::kCommuneA);
    CHECK(view.records.count(own.code) == 1);
    CHECK(view.records.size() == setup.made.size() + 1);
}

TEST_CASE("pull-apply disk faults: one failing write at each point of the pass leaves a consistent kiosk",
          "[client][faults][disk]") {
    Setup setup;
    FaultyVfsScope vfs;
    int hits = 0, applyFailures = 0;
    for (int point = 0; point < 8; ++point) {
        INFO("write " << point << " fails");
        TestKiosk b(server_test::kCommuneA, setup.enrolledB.slot, url(setup.server.port()),
                    setup.enrolledB.token);
        {
            auto r = b.syncOnce();
            INFO(describe(r));
            REQUIRE(r.end == PassEnd::Done);
        }
        setup.moreFromA(2);
        const KioskState before = readState(b.path());

        diskFaults().writesUntilFailure = point;
        const int failuresBefore = diskFaults().failures;
        auto attempt = b.syncOnce(10s);
        hits += diskFaults().failures > failuresBefore ? 1 : 0;
        diskFaults().clear();
        INFO(describe(attempt));
        const KioskState during = readState(b.path());
        CHECK(during.integrity == "ok");
        if (attempt.end == PassEnd::Done) {
            // The failure fell on a write the pass does not depend on (the clock offset): the page
            // was applied whole.
            CHECK(during.records == before.records + 2);
            CHECK(during.cursor != before.cursor);
        } else {
            ++applyFailures;
            CHECK(attempt.end == PassEnd::LocalError);
            CHECK(during.records == before.records);
            CHECK(during.cursor == before.cursor);
            CHECK(during.events == before.events);
        }
        auto recovered = b.syncOnce();
        INFO(describe(recovered));
        REQUIRE(recovered.end == PassEnd::Done);
        const KioskState after = readState(b.path());
        CHECK(after.integrity == "ok");
        CHECK(after.records == int64_t(setup.made.size()));
        CHECK(after.cursor != before.cursor);
    }
    CHECK(hits > 0);
    CHECK(applyFailures > 0);  // the points really fell inside the page's transaction
}

TEST_CASE("pull-apply disk faults: the running engine shows the failure, backs off, and catches up",
          "[client][faults][disk]") {
    Setup setup;
    FaultyVfsScope vfs;
    TestKiosk b(server_test::kCommuneA, setup.enrolledB.slot, url(setup.server.port()),
                setup.enrolledB.token);
    REQUIRE(b.syncOnce().end == PassEnd::Done);
    setup.moreFromA(3);
    const KioskState before = readState(b.path());

    breakDisk(Fault::WriteEio);
    client::SyncEngine engine(fastOptions(b.path()));
    engine.start();
    // The screens learn that the kiosk's own disk failed (not the district, not the network).
    const bool shown = eventually(
        [&] {
            const auto s = engine.snapshot();
            return s.phase == client::SyncPhase::Backoff && s.lastError && s.lastError->code == "db.io";
        },
        10s);
    CHECK(shown);
    CHECK(diskFaults().failures > 0);
    const KioskState during = readState(b.path());
    CHECK(during.integrity == "ok");
    CHECK(during.cursor == before.cursor);
    CHECK(during.records == before.records);

    diskFaults().clear();
    const bool caughtUp = eventually([&] { return readState(b.path()).records == before.records + 3; }, 20s);
    CHECK(caughtUp);
    CHECK(eventually([&] { return engine.snapshot().phase == client::SyncPhase::Idle; }, 10s));
    engine.stop();
    const KioskState after = readState(b.path());
    CHECK(after.integrity == "ok");
    CHECK(after.cursor != before.cursor);
    CHECK_FALSE(engine.snapshot().lastError.has_value());
}
