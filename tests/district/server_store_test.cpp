// The district store on its own: a full disk in the middle of a push (a real SQLITE_FULL, from a
// page limit) leaves nothing half-written and the same push succeeds later; a database written by a
// newer version is refused untouched; enrollment never reuses a kiosk id; kiosks enrolled before
// receipt-code slots get theirs.
#include <map>
#include <set>
#include <span>

#include "common/migrations.h"
#include "district/store/schema.h"
#include "district/sync/push_judgement.h"
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
    testing_support::sqliteOnly("SQLite's max_page_count stands for a full disk");
    testing_support::TempDir dir;
    auto opened = DistrictStore::open(dir.file("district.db"), true);
    REQUIRE(opened);
    DistrictStore& store = **opened;
    auto enrolled = store.enrollKiosk(kCommuneA, 0);
    REQUIRE(enrolled);
    const Kiosk k{enrolled->kioskId, enrolled->commune, enrolled->token, enrolled->slot};
    const kiosk::district::KioskIdentity identity{k.id, k.commune, false};

    std::vector<kiosk::Event> events;
    for (int i = 1; i <= 300; ++i) events.push_back(submitEvent(k, i, codeFor(k, 70000 + i)));
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
        REQUIRE((*store)->database().setUserVersion(99));
    }
    auto again = DistrictStore::open(path, false);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == "db.too-new");
    auto db = kiosk::store::Database::open(path, false);
    REQUIRE(db);
    auto version = db->userVersion();
    REQUIRE(version);
    CHECK(*version == 99);
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

TEST_CASE("kiosks enrolled before slots get the slot their records carry, or their first record's",
          "[server][store][codes]") {
    testing_support::TempDir dir;
    testing_support::sqliteOnly("a district from before slots exists only as an SQLite file");
    const std::string path = dir.file("district.db");
    // A district database as the version before slots wrote it: every migration before the one
    // that adds kiosks.slot, two kiosks of commune A, and one accepted petition of the first.
    size_t slotMigration = 0;
    while (kiosk::district::kDistrictMigrations[slotMigration].find("ADD COLUMN slot") ==
           std::string_view::npos)
        ++slotMigration;
    const std::string legacyCode = kiosk::makeReceiptCode(kCommuneA, 37, 1234);
    {
        auto db = kiosk::store::Database::open(path, true);
        REQUIRE(db);
        REQUIRE(kiosk::store::applyMigrations(
            *db,
            std::span<const std::string_view>(kiosk::district::kDistrictMigrations.data(), slotMigration)));
        REQUIRE(
            db->exec("INSERT INTO meta VALUES('store_id', 'legacy1'), ('next_kiosk_number', '3');"
                     "INSERT INTO kiosks(id, commune, token_sha256, created_at) VALUES"
                     "  ('k1', '" +
                     std::string(kCommuneA) + "', 'h1', 0), ('k2', '" + kCommuneA +
                     "', 'h2', 0);"
                     "INSERT INTO events(uuid, kiosk, seq, record, action, actor_role, actor_id, hlc, at,"
                     "  payload, received_at, verdict) VALUES('u1', 'k1', 1, '" +
                     legacyCode + "', 'submit', 'kiosk', 'k1', 1, 1, '{}', 1, 'accepted');"));
    }
    auto opened = DistrictStore::open(path, false);
    REQUIRE(opened);
    DistrictStore& store = **opened;
    auto slots = [&] {
        std::map<std::string, std::optional<int>> out;
        auto list = store.kiosks();
        REQUIRE(list);
        for (const auto& k : *list) out[k.kioskId] = k.slot;
        return out;
    };
    CHECK(slots()["k1"] == 37);
    CHECK(slots()["k2"] == std::nullopt);

    // k2's first record: 37 is k1's, so refused; 12 is free, so k2 takes it, and keeps it.
    const Kiosk k2{"k2", kCommuneA, "", 0};
    const kiosk::district::KioskIdentity identity{"k2", kCommuneA, false, std::nullopt};
    auto judge = [&](const std::string& code, int64_t seq) {
        auto request = kiosk::protocol::decodePushRequest(pushBody(k2, {submitEvent(k2, seq, code)}));
        REQUIRE(request);
        kiosk::store::Transaction tx(store.database());
        auto answer = applyPush(store, identity, *request, 1, kiosk::DeadlineRules{});
        REQUIRE(answer);
        REQUIRE(tx.commit());
        REQUIRE(answer->response.results.size() == 1);
        const auto& result = answer->response.results[0];
        return result.reason ? result.reason->code : std::string("accepted");
    };
    CHECK(judge(kiosk::makeReceiptCode(kCommuneA, 37, 5000), 1) == "record.code-slot");
    CHECK(judge(kiosk::makeReceiptCode(kCommuneA, 12, 5001), 2) == "accepted");
    CHECK(slots()["k2"] == 12);
    CHECK(judge(kiosk::makeReceiptCode(kCommuneA, 13, 5002), 3) == "record.code-slot");
    CHECK(judge(kiosk::makeReceiptCode(kCommuneA, 12, 5003), 4) == "accepted");
    // A new kiosk of the commune gets the lowest slot neither kiosk has.
    auto enrolled = store.enrollKiosk(kCommuneA, 1);
    REQUIRE(enrolled);
    CHECK(enrolled->slot == 1);
}
