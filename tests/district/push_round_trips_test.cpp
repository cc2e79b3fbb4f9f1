// Statements run together (Database::runAll: one round trip on PostgreSQL) for the district's
// writer: the first error stops them and is returned, and the connection goes on afterwards.
#include <string>
#include <vector>

#include "common/database.h"
#include "district/sync/push_judgement.h"
#include "tests/support/server_fixture.h"

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
