// The PostgreSQL engine of common/database.h reads a result row by row (common/pg_engine.h, PgRows):
// the district's report steps through every record, and a million of them must not sit in memory
// at once. Run on the tests' PostgreSQL cluster (the "district/pg:" variant); skipped on SQLite.
#include <catch2/catch.hpp>
#include <malloc.h>

#include <algorithm>
#include <cstddef>

#include "common/database.h"
#include "tests/support/temp_dir.h"

using kiosk::store::Database;

namespace {

// Bytes the C heap holds in use, libpq's results included (they are malloc'ed). Under AddressSanitizer
// the heap is ASan's own and glibc's counters say nothing: the check is left to the plain builds.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kHeapCounted = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kHeapCounted = false;
#else
constexpr bool kHeapCounted = true;
#endif
#else
constexpr bool kHeapCounted = true;
#endif

size_t heapInUse() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

}  // namespace

TEST_CASE("PostgreSQL rows arrive one at a time and other statements run between them", "[pg][database]") {
    testing_support::postgresOnly("the PostgreSQL engine's row-by-row reading");
    testing_support::TempDir dir;
    auto db = Database::open(dir.file("district.db"), true);
    REQUIRE(db);

    // A result that fails at its 150,000th row: its first row is there before the server got that
    // far. A result fetched whole would give only the error.
    {
        auto late = db->prepare("SELECT i, 1 / (i - 150000) FROM generate_series(1, 200000) AS i");
        REQUIRE(late);
        auto first = late->step();
        INFO((first ? std::string() : first.error().en));
        REQUIRE(first);
        CHECK(*first);
        CHECK(late->integer(0) == 1);
        late->reset();  // the rest is thrown away, and the connection is free again
        auto one = db->prepare("SELECT 7");
        REQUIRE(one);
        REQUIRE(one->step());
        CHECK(one->integer(0) == 7);
    }

    // 100,000 rows of 200 bytes (about 20 MB as one result): the heap never grows by more than a
    // few rows' worth while they are stepped through.
    if (kHeapCounted) {
        auto big = db->prepare("SELECT i, repeat('x', 200) FROM generate_series(1, 100000) AS i");
        REQUIRE(big);
        const size_t before = heapInUse();
        size_t peak = before;
        int64_t rows = 0;
        while (true) {
            auto row = big->step();
            REQUIRE(row);
            if (!*row) break;
            rows += 1;
            if (rows % 500 == 0) peak = std::max(peak, heapInUse());
            if (big->view(1).size() != 200) FAIL("row " << rows << " has the wrong text");
        }
        CHECK(rows == 100000);
        CHECK(peak - before < 2 * 1024 * 1024);
    }

    // Another statement run while a result is being read: the unread rows wait in its buffer and
    // both statements read what they would have read alone, inside a transaction too.
    REQUIRE(db->beginRead());
    auto outer = db->prepare("SELECT i FROM generate_series(1, 1000) AS i");
    REQUIRE(outer);
    int64_t seen = 0, sum = 0;
    while (true) {
        auto row = outer->step();
        REQUIRE(row);
        if (!*row) break;
        seen += 1;
        sum += outer->integer(0);
        if (seen == 10) {
            CHECK(db->inTransaction());
            auto inner = db->prepare("SELECT 42, 'bốn hai'");
            REQUIRE(inner);
            auto innerRow = inner->step();
            REQUIRE(innerRow);
            REQUIRE(*innerRow);
            CHECK(inner->integer(0) == 42);
            CHECK(inner->text(1) == "bốn hai");
            CHECK_FALSE(*inner->step());
        }
    }
    CHECK(seen == 1000);
    CHECK(sum == 500500);
    CHECK(outer->columnCount() == 1);
    REQUIRE(db->exec("COMMIT"));
    CHECK_FALSE(db->inTransaction());
}
