// common/migrations.h and common/meta.h: the schema runner and the key/value table both programs use.
#include <catch2/catch.hpp>

#include <array>
#include <string_view>

#include "common/meta.h"
#include "common/migrations.h"
#include "tests/support/temp_dir.h"

using namespace kiosk;
using store::Database;
using testing_support::TempDir;

namespace {

constexpr std::array<std::string_view, 2> kSteps{
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    "CREATE TABLE notes(text TEXT);",
};

int64_t userVersion(Database& db) {
    auto st = db.prepare("PRAGMA user_version");
    REQUIRE(st);
    REQUIRE(st->step());
    return st->integer(0);
}

}  // namespace

TEST_CASE("migrations run once each, in order, with what follows them") {
    TempDir dir;
    auto db = Database::open(dir.file("m.db"), true);
    REQUIRE(db);
    int calls = 0;
    auto after = [&](Database& d, int64_t version) -> Outcome {
        ++calls;
        if (version == 0) return store::writeMeta(d, "made_by", "v0");
        return {};
    };
    REQUIRE(store::applyMigrations(*db, kSteps, after));
    CHECK(userVersion(*db) == 2);
    CHECK(calls == 2);
    CHECK(store::readMeta(*db, "made_by") == "v0");
    REQUIRE(store::applyMigrations(*db, kSteps, after));  // nothing left to do
    CHECK(calls == 2);
}

TEST_CASE("a file newer than the code is refused untouched") {
    TempDir dir;
    auto db = Database::open(dir.file("new.db"), true);
    REQUIRE(db);
    REQUIRE(db->exec("PRAGMA user_version = 3"));
    auto refused = store::applyMigrations(*db, kSteps);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "db.too-new");
    CHECK(userVersion(*db) == 3);
}

TEST_CASE("meta reads a fallback for a missing key and keeps the last value written") {
    TempDir dir;
    auto db = Database::open(dir.file("meta.db"), true);
    REQUIRE(db);
    REQUIRE(store::applyMigrations(*db, kSteps));
    CHECK(store::readMeta(*db, "absent").empty());
    CHECK(store::readMeta(*db, "absent", "0") == "0");
    REQUIRE(store::writeMeta(*db, "cursor", "5"));
    REQUIRE(store::writeMeta(*db, "cursor", "7"));
    CHECK(store::readMeta(*db, "cursor", "0") == "7");
}
