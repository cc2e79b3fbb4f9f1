// Property tests (docs/sync-rules.md "How the best of them test it"): random work from several kiosks of one
// commune — citizens submitting, officers acting on whatever their kiosk shows, often in conflict —
// synced in random order through a link that cuts answers (so pushes arrive twice), converges to
// one state everywhere: the district's. And the district's change feed, delivered to a new kiosk in
// any order with duplicates, builds the same kiosk state as delivered once in order.
#include <algorithm>
#include <random>

#include "core/state_machine.h"
#include "sync/client/wire.h"
#include "tests/support/client_fixture.h"

using namespace kiosk;
using namespace client_test;
using client::PassEnd;
using server_test::RunningServer;
using testing_support::FaultProxy;

namespace {

using Mode = FaultProxy::Mode;

std::vector<std::string> column(store::KioskStore& s, const std::string& sql, const std::string& arg = "") {
    auto st = s.database().prepare(sql);
    REQUIRE(st.ok());
    if (!arg.empty()) st->bind(1, arg);
    std::vector<std::string> out;
    while (st->step().value()) out.push_back(st->text(0));
    return out;
}

// What a kiosk knows, minus bookkeeping that may differ by delivery order (the cursor, the
// clock, the history's per-event status).
std::string kioskState(store::KioskStore& s) {
    std::string out;
    for (const auto& row :
         column(s,
                "SELECT code || '|' || status || '|' || due || '|' || IFNULL(official_code,'') || '|' || "
                "result_note || '|' || complex || '|' || extensions FROM records ORDER BY code"))
        out += row + "\n";
    for (const auto& row : column(s,
                                  "SELECT uuid || '|' || record_code || '|' || origin || '|' || verdict FROM "
                                  "events ORDER BY uuid"))
        out += row + "\n";
    for (const auto& row :
         column(s,
                "SELECT record_code || '|' || change_seq || '|' || applied FROM district_records "
                "ORDER BY record_code"))
        out += row + "\n";
    out += "held " + column(s, "SELECT COUNT(*) FROM held_events")[0] + "\n";
    return out;
}

std::vector<std::string> districtEvents(RunningServer& server, const std::string& code) {
    auto store = server.store();
    auto st = store->database().prepare(
        "SELECT uuid FROM events WHERE record = ? AND verdict = 'accepted' ORDER BY uuid");
    REQUIRE(st.ok());
    st->bind(1, code);
    std::vector<std::string> out;
    while (st->step().value()) out.push_back(st->text(0));
    return out;
}

}  // namespace

TEST_CASE("client property: random work from kiosks in conflict, synced in random order, converges") {
    const uint64_t seed = GENERATE(take(3, random(uint64_t(1), uint64_t(1) << 40)));
    INFO("seed " << seed);
    std::mt19937_64 random(seed);
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(random) < p; };
    auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };

    RunningServer server;
    FaultProxy proxy(server.port());
    // Lost answers make pushes arrive twice; resets and 503s make them arrive late.
    proxy.setChaos(0.3, {Mode::Cut, Mode::ResetAfter, Mode::Reset, Mode::Status503}, seed);
    proxy.setRetryAfterSeconds(0);
    std::vector<std::unique_ptr<TestKiosk>> kiosks;
    for (int i = 0; i < 3; ++i) {
        auto e = server.enroll(server_test::kCommuneA);
        kiosks.push_back(
            std::make_unique<TestKiosk>(server_test::kCommuneA, e.slot, url(proxy.port()), e.token));
    }
    const char* kinds[] = {"khieu-nai", "kien-nghi", "phan-anh"};
    int64_t clock = kMonday;
    for (int step = 0; step < 60; ++step) {
        TestKiosk& k = *kiosks[pick(kiosks.size())];
        if (chance(0.3)) {
            k.submit(kinds[pick(3)], clock += 60);
        } else if (chance(0.6)) {
            // An officer acts on something this kiosk shows, by what this kiosk believes.
            auto records = k.store().list(store::ListFilter{}, Date{2025, 12, 1});
            REQUIRE(records.ok());
            if (records->empty()) continue;
            const Record& r = (*records)[pick(records->size())];
            auto allowed = allowedActions(r, Role::CommuneOfficer);
            if (allowed.empty()) continue;
            const Action a = allowed[pick(allowed.size())];
            nlohmann::json payload{{"note", "Ghi chú thử nghiệm " + std::to_string(step) + "."}};
            auto acted = k.store().act(r.code, a, Actor{Role::CommuneOfficer, "cb01"}, payload, clock += 60);
            (void)acted;  // some actions need more than a note (a result, a code): refused locally, fine
        } else {
            k.syncOnce(1500ms);  // may fail: the link is bad
        }
    }
    proxy.setMode(Mode::Pass);
    for (int round = 0; round < 2; ++round)
        for (auto& k : kiosks) {
            auto r = k->syncOnce(30s);
            INFO(describe(r));
            REQUIRE(r.end == PassEnd::Done);
        }

    auto view = districtView(server, server_test::kCommuneA);
    REQUIRE_FALSE(view.records.empty());
    for (auto& k : kiosks) {
        CHECK(k->waiting() == 0);
        CHECK(k->store().countRecords().value() == int64_t(view.records.size()));
        for (const auto& [code, district] : view.records) {
            INFO("record " << code);
            CHECK(k->status(code) == district.first);  // the district decides, everywhere
            // The kiosk holds every event the district accepted; its own others were rejected.
            const auto accepted = districtEvents(server, code);
            const auto held = column(k->store(),
                                     "SELECT uuid FROM events WHERE record_code = ? AND verdict = 'accepted' "
                                     "ORDER BY uuid",
                                     code);
            CHECK(held == accepted);
            CHECK(column(k->store(),
                         "SELECT COUNT(*) FROM events WHERE record_code = ? AND verdict NOT IN "
                         "('accepted','rejected')",
                         code)[0] == "0");
        }
    }
}

TEST_CASE("client property: the change feed in any order, with duplicates, builds the same kiosk") {
    const uint64_t seed = GENERATE(take(4, random(uint64_t(1), uint64_t(1) << 40)));
    INFO("seed " << seed);
    std::mt19937_64 random(seed);

    RunningServer server;
    // History with conflicts, made by two kiosks.
    std::vector<std::unique_ptr<TestKiosk>> writers;
    for (int i = 0; i < 2; ++i) {
        auto e = server.enroll(server_test::kCommuneA);
        writers.push_back(
            std::make_unique<TestKiosk>(server_test::kCommuneA, e.slot, url(server.port()), e.token));
    }
    std::vector<Record> records;
    for (int i = 0; i < 6; ++i)
        records.push_back(
            writers[size_t(i) % 2]->submit(i == 2 ? "kien-nghi" : "khieu-nai", kMonday + i * 60));
    for (auto& w : writers) REQUIRE(w->syncOnce().end == PassEnd::Done);
    for (auto& w : writers) REQUIRE(w->syncOnce().end == PassEnd::Done);
    writers[0]->act(records[0].code, Action::Accept);
    writers[1]->act(records[0].code, Action::Reject, "Không đủ điều kiện.");
    writers[1]->act(records[1].code, Action::Accept);
    writers[0]->act(records[2].code, Action::Resolve, "Đã trả lời công dân.");
    for (auto& w : writers) REQUIRE(w->syncOnce().end == PassEnd::Done);
    writers[1]->act(records[1].code, Action::Extend, "Vụ việc phức tạp.");
    for (auto& w : writers) REQUIRE(w->syncOnce().end == PassEnd::Done);

    // A new kiosk of the commune reads the whole feed in pages of 2.
    auto reader = server.enroll(server_test::kCommuneA);
    std::vector<std::pair<std::vector<store::PulledChange>, std::string>> pages;
    std::string cursor = "0";
    for (int guard = 0; guard < 100; ++guard) {
        auto r = server_test::get(server, reader.token, "/api/v1/pull?since=" + cursor + "&limit=2");
        REQUIRE(r->status == 200);
        auto page = client::decodePullReply(r->body);
        REQUIRE(page.ok());
        pages.emplace_back(page->changes, page->next);
        cursor = page->next;
        if (!page->more) break;
    }
    REQUIRE(pages.size() > 3);

    TestKiosk inOrder(server_test::kCommuneA, reader.slot, url(server.port()), reader.token);
    for (const auto& [changes, next] : pages)
        REQUIRE(store::applyPullPage(inOrder.store(), changes, next, kMonday).ok());
    const std::string expected = kioskState(inOrder.store());
    auto view = districtView(server, server_test::kCommuneA);
    for (const auto& [code, district] : view.records) CHECK(inOrder.status(code) == district.first);

    for (int trial = 0; trial < 3; ++trial) {
        std::vector<size_t> deliveries;
        for (size_t i = 0; i < pages.size(); ++i) {
            const size_t copies = 1 + size_t(random() % 3);
            for (size_t c = 0; c < copies; ++c) deliveries.push_back(i);
        }
        std::shuffle(deliveries.begin(), deliveries.end(), random);
        TestKiosk shuffled(server_test::kCommuneA, reader.slot, url(server.port()), reader.token);
        for (size_t i : deliveries)
            REQUIRE(store::applyPullPage(shuffled.store(), pages[i].first, pages[i].second, kMonday).ok());
        CHECK(kioskState(shuffled.store()) == expected);
    }
}
