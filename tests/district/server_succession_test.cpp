// A succession at the district store and the push judgement: a successor's feed serves its
// predecessors' records, a cursor made before the succession is reset so the older records come
// too, the successor's officers decide a predecessor's records, a kiosk still enrolled under the
// dissolved code keeps pushing under its old code, and a kiosk moved to the successor keeps its
// old slot from being given again. The 2025 map of assets/maps/tuyen-quang-2025 with a TEST
// FIXTURE succession 02377 -> 02374 (no source confirms it).
#include <filesystem>
#include <fstream>
#include <sstream>

#include "build_paths.h"
#include "core/holdings.h"
#include "core/reference_data.h"
#include "district/sync/push_judgement.h"
#include "tests/support/server_fixture.h"

using namespace server_test;
using kiosk::district::DistrictStore;
using kiosk::district::KioskIdentity;

namespace {

constexpr kiosk::Date kToday{2026, 12, 5};

kiosk::UnitMap map2025WithFixtureSuccession() {
    std::ifstream in(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/maps/tuyen-quang-2025/units.tsv");
    std::ostringstream text;
    text << in.rdbuf();
    auto units = kiosk::parseUnits(text.str());
    REQUIRE(units);
    const kiosk::UnitMap bare(*units, {});
    auto rows =
        kiosk::parseSuccessions("old_code\tnew_code\teffective_date\n02377\t02374\t2025-07-01\n", bare);
    REQUIRE(rows);
    return kiosk::UnitMap(*units, *rows);
}

kiosk::protocol::PushResponse pushTo(DistrictStore& store, const Enrolled& k,
                                     const std::vector<kiosk::Event>& events,
                                     const kiosk::DeadlineRules& rules) {
    auto request = kiosk::protocol::decodePushRequest(pushBody(k.kiosk, events));
    REQUIRE(request);
    kiosk::store::Transaction tx(store.database());
    REQUIRE(tx.begun());
    auto answer = applyPush(store, k.identity, *request, int64_t(kiosk::wallClockMillis()), rules);
    REQUIRE(answer);
    REQUIRE(tx.commit());
    return answer->response;
}

std::vector<std::string> recordCodes(const kiosk::district::PullPage& page) {
    std::vector<std::string> codes;
    for (const auto& change : page.changes) {
        auto body = nlohmann::json::parse(change.body, nullptr, false);
        if (body.is_object() && body.contains("record")) codes.push_back(body["record"].value("code", ""));
    }
    return codes;
}

}  // namespace

TEST_CASE("a succession gives the successor the feed and the push and a moved kiosk keeps its slot",
          "[server][succession]") {
    testing_support::TempDir dir;
    auto opened = DistrictStore::open(dir.file("district.db"), true);
    REQUIRE(opened);
    DistrictStore& store = **opened;
    const Enrolled a = enroll(store, kCommuneB);  // 02377, dissolved by the succession
    const Enrolled b = enroll(store, kCommuneA);  // 02374, its successor
    const kiosk::DeadlineRules before;            // the 18-commune deployment: no succession
    const std::string codeA = codeFor(a.kiosk, 9000);
    REQUIRE(pushTo(store, a, {submitEvent(a.kiosk, 1, codeA)}, before).results.at(0).verdict ==
            kiosk::protocol::Verdict::Accepted);

    // Before: B's feed holds its own commune only; its cursor names no holdings.
    auto first = store.pull(b.identity, kiosk::protocol::Cursor{}, 100);
    REQUIRE(first);
    CHECK(recordCodes(*first).empty());
    auto cursor = kiosk::protocol::decodeCursor(first->next);
    REQUIRE(cursor);

    kiosk::DeadlineRules after;
    after.units = map2025WithFixtureSuccession();
    const kiosk::CommuneHoldings holdsB = kiosk::communeHoldings(after.units, kCommuneA, kToday);
    REQUIRE(holdsB.communes == std::vector<std::string>{"02374", "02377"});
    // A kiosk under the dissolved code holds what its successor holds.
    CHECK(kiosk::communeHoldings(after.units, kCommuneB, kToday).communes == holdsB.communes);
    CHECK(kiosk::communeHoldings(after.units, "02380", kToday).fingerprint.empty());

    // After: the cursor from before names other holdings, so it is reset, and from "0" the feed
    // brings A's record, changed before the succession took effect.
    auto stale = store.pull(b.identity, *cursor, 100, &holdsB);
    REQUIRE(stale);
    CHECK(stale->reset);
    auto again = store.pull(b.identity, kiosk::protocol::Cursor{}, 100, &holdsB);
    REQUIRE(again);
    CHECK(recordCodes(*again) == std::vector<std::string>{codeA});
    auto next = kiosk::protocol::decodeCursor(again->next);
    REQUIRE(next);
    CHECK(next->holdings == holdsB.fingerprint);
    auto caughtUp = store.pull(b.identity, *next, 100, &holdsB);
    REQUIRE(caughtUp);
    CHECK_FALSE(caughtUp->reset);

    // B's officer decides A's record: accepted under the succession, refused without it.
    auto refused =
        pushTo(store, b, {actionEvent(b.kiosk, 1, codeA, kiosk::Action::Accept, "Đã thụ lý")}, before);
    CHECK(refused.results.at(0).verdict == kiosk::protocol::Verdict::Rejected);
    auto accepted =
        pushTo(store, b, {actionEvent(b.kiosk, 2, codeA, kiosk::Action::Accept, "Đã thụ lý")}, after);
    REQUIRE(accepted.results.size() == 1);
    INFO((accepted.results[0].reason ? accepted.results[0].reason->en : std::string()));
    CHECK(accepted.results[0].verdict == kiosk::protocol::Verdict::Accepted);

    // A keeps taking petitions under its old code: accepted, old codes are valid forever.
    const std::string codeA2 = codeFor(a.kiosk, 9100);
    CHECK(pushTo(store, a, {submitEvent(a.kiosk, 2, codeA2)}, after).results.at(0).verdict ==
          kiosk::protocol::Verdict::Accepted);

    // Moved to the successor: a new slot there, and its old slot in 02377 is never given again.
    auto moved = store.moveKiosk(a.kiosk.id, kCommuneA, int64_t(kiosk::wallClockMillis()));
    REQUIRE(moved);
    CHECK(moved->slot != b.kiosk.slot);
    auto newcomer = store.enrollKiosk(kCommuneB, 0);
    REQUIRE(newcomer);
    CHECK(newcomer->slot != a.kiosk.slot);
    auto mismatches = store.codeMismatches();
    REQUIRE(mismatches);
    CHECK(mismatches->empty());
    // Pushed with the identity the server remembered from before the move: judged as moved.
    Kiosk movedKiosk = a.kiosk;
    movedKiosk.commune = kCommuneA;
    movedKiosk.slot = moved->slot;
    const std::string codeA3 = codeFor(movedKiosk, 9200);
    auto third = pushTo(store, a, {submitEvent(movedKiosk, 3, codeA3)}, after);
    REQUIRE(third.results.size() == 1);
    INFO((third.results[0].reason ? third.results[0].reason->en : std::string()));
    CHECK(third.results[0].verdict == kiosk::protocol::Verdict::Accepted);
    auto held = store.record(codeA3);
    REQUIRE(held);
    REQUIRE(held->has_value());
    CHECK((*held)->commune == kCommuneA);
}
