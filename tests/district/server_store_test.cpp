// The district store on its own: a full disk in the middle of a push (a real SQLITE_FULL, from a
// page limit) leaves nothing half-written and the same push succeeds later; a database written by a
// newer version is refused untouched; enrollment never reuses a kiosk id.
#include <set>

#include "tests/support/server_fixture.h"

using namespace server_test;
using kiosk::district::DistrictStore;

namespace {

int64_t count(DistrictStore& store, const char* table) {
    auto st = store.database().prepare(std::string("SELECT count(*) FROM ") + table);
    REQUIRE(st);
    REQUIRE(st->step());
    return st->integer(0);
}

}  // namespace

TEST_CASE("a push that fills the disk is rolled back whole and succeeds once there is room",
          "[server][store]") {
    testing_support::TempDir dir;
    auto opened = DistrictStore::open(dir.file("district.db"), true);
    REQUIRE(opened);
    DistrictStore& store = **opened;
    auto enrolled = store.enrollKiosk(kCommuneA, 0);
    REQUIRE(enrolled);
    const Kiosk k{enrolled->kioskId, enrolled->commune, enrolled->token};
    const kiosk::district::KioskIdentity identity{k.id, k.commune, false};

    std::vector<kiosk::Event> events;
    for (int i = 1; i <= 300; ++i)
        events.push_back(submitEvent(k, i, "023740000" + std::to_string(70000 + i)));
    auto request = kiosk::protocol::decodePushRequest(pushBody(k, events));
    REQUIRE(request);

    auto pages = store.database().prepare("PRAGMA page_count");
    REQUIRE(pages);
    REQUIRE(pages->step());
    const int64_t used = pages->integer(0);
    pages->reset();
    REQUIRE(store.database().exec("PRAGMA max_page_count = " + std::to_string(used + 20)));
    {
        kiosk::store::Transaction tx(store.database());
        REQUIRE(tx.begun());
        auto answer = applyPush(store, identity, *request, 1, kiosk::DeadlineRules{});
        REQUIRE_FALSE(answer);
        CHECK(answer.error().code == "db.full");
        // The transaction is abandoned: the destructor rolls back whatever part was written.
    }
    CHECK(count(store, "records") == 0);
    CHECK(count(store, "events") == 0);
    CHECK(count(store, "changes") == 0);
    CHECK(count(store, "kiosk_sequence") == 0);
    auto mark = store.ackedSeq(k.id);
    REQUIRE(mark);
    CHECK(*mark == 0);

    REQUIRE(store.database().exec("PRAGMA max_page_count = 1073741823"));
    kiosk::store::Transaction tx(store.database());
    auto answer = applyPush(store, identity, *request, 1, kiosk::DeadlineRules{});
    REQUIRE(answer);
    REQUIRE(tx.commit());
    CHECK(answer->response.ackedSeq == 300);
    CHECK(count(store, "records") == 300);
    CHECK(count(store, "changes") == 300);
}

TEST_CASE("a district database from a newer version is refused and left alone", "[server][store]") {
    testing_support::TempDir dir;
    const std::string path = dir.file("district.db");
    {
        auto store = DistrictStore::open(path, true);
        REQUIRE(store);
        REQUIRE((*store)->database().exec("PRAGMA user_version = 99"));
    }
    auto again = DistrictStore::open(path, false);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == "db.too-new");
    auto db = kiosk::store::Database::open(path, false);
    REQUIRE(db);
    auto version = db->prepare("PRAGMA user_version");
    REQUIRE(version);
    REQUIRE(version->step());
    CHECK(version->integer(0) == 99);
}

TEST_CASE("kiosk ids are never reused and tokens differ", "[server][store]") {
    testing_support::TempDir dir;
    auto store = DistrictStore::open(dir.file("district.db"), true);
    REQUIRE(store);
    std::set<std::string> ids, tokens;
    for (int i = 0; i < 20; ++i) {
        auto e = (*store)->enrollKiosk(i % 2 ? kCommuneA : kCommuneB, i);
        REQUIRE(e);
        ids.insert(e->kioskId);
        tokens.insert(e->token);
        if (i == 5) REQUIRE((*store)->revokeKiosk(e->kioskId, i));
    }
    CHECK(ids.size() == 20);
    CHECK(tokens.size() == 20);
    auto unknown = (*store)->revokeKiosk("k999", 0);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "kiosk.unknown");
    auto found = (*store)->findByToken("not-a-token");
    REQUIRE(found);
    CHECK_FALSE(*found);
}
