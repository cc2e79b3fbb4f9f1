// Disk faults during a citizen's submit: every write or sync of the change
// transaction in turn fails with EIO or ENOSPC. The store must report the failure (so the kiosk can
// tell the citizen the petition was NOT saved), keep nothing half-written, lose nothing committed
// before, and carry on once the disk recovers.
#include <catch2/catch.hpp>

#include "tests/support/faulty_vfs.h"
#include "tests/support/store_fixture.h"

using namespace kiosk;
using namespace testing_support;

namespace {

int64_t scalar(store::Database& db, const char* sql) {
    auto st = db.prepare(sql);
    REQUIRE(st.ok());
    REQUIRE(st->step().value());
    return st->integer(0);
}

void checkConsistent(const std::string& path, int64_t expectedRecords) {
    auto db = store::Database::open(path, false);
    REQUIRE(db.ok());
    auto check = db->prepare("PRAGMA integrity_check");
    REQUIRE(check->step().value());
    CHECK(check->text(0) == "ok");
    CHECK(scalar(*db, "SELECT COUNT(*) FROM records") == expectedRecords);
    CHECK(scalar(*db, "SELECT COUNT(*) FROM events") == expectedRecords);
    CHECK(scalar(*db, "SELECT COUNT(*) FROM outbox") == expectedRecords);
}

}  // namespace

TEST_CASE("a failing write or sync during submit keeps nothing half-written and loses nothing") {
    FaultyVfsScope vfs;
    int hits = 0, attempts = 0;
    for (bool full : {false, true}) {
        for (bool onSync : {false, true}) {
            const int points = onSync ? 3 : 12;
            for (int point = 0; point < points; ++point) {
                TempDir dir;
                const std::string path = dir.file("kiosk.db");
                auto store = makeKioskStore(path);
                const Record draft = petitionDraft(*store);
                REQUIRE(store->createRecord(draft, Actor{Role::Kiosk, ""}, 1764122400).ok());

                diskFaults().diskFull = full;
                (onSync ? diskFaults().syncsUntilFailure : diskFaults().writesUntilFailure) = point;
                const int failuresBefore = diskFaults().failures;
                auto attempt = store->createRecord(draft, Actor{Role::Kiosk, ""}, 1764122460);
                const bool faultHit = diskFaults().failures > failuresBefore;
                diskFaults().clear();
                ++attempts;
                hits += faultHit ? 1 : 0;
                INFO((full ? "ENOSPC" : "EIO")
                     << " on " << (onSync ? "sync " : "write ") << point
                     << (attempt.ok() ? " (submit succeeded)" : " (submit failed)"));
                if (faultHit) {
                    REQUIRE_FALSE(attempt.ok());
                    CHECK((attempt.error().code == "db.io" || attempt.error().code == "db.full"));
                    CHECK_FALSE(attempt.error().vi.empty());
                }
                // What the kiosk reported is what the disk holds: the failed submit is not there,
                // the earlier one is.
                checkConsistent(path, attempt.ok() ? 2 : 1);
                // The disk recovered: the same store carries on.
                auto after = store->createRecord(draft, Actor{Role::Kiosk, ""}, 1764122520);
                INFO((after.ok() ? std::string() : after.error().en));
                REQUIRE(after.ok());
                checkConsistent(path, attempt.ok() ? 3 : 2);
            }
        }
    }
    // The fault points really fell inside the submit transaction (not all after it).
    CHECK(hits * 2 > attempts);
}
