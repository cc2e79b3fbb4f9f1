// End to end, as the district runs it: the real district-server and 18 kiosks (one database each)
// driven through kioskctl. Citizens submit, commune officers act, every kiosk syncs, the district
// judges, and every kiosk shows the district's status and verdicts.
#include <atomic>
#include <mutex>

#include "kiosk/store/kiosk_store.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::RunResult;
using testing_support::TempDir;

namespace {

constexpr const char* kPin = "2468135790";

// Runs fn(i) for i in [0, n) on `workers` threads. fn must not use Catch assertions (not
// thread-safe): it records what happened and the test checks afterwards.
template <class Fn>
void inParallel(size_t n, size_t workers, Fn fn) {
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (size_t w = 0; w < workers; ++w)
        threads.emplace_back([&] {
            for (size_t i = next++; i < n; i = next++) fn(i);
        });
    for (auto& t : threads) t.join();
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

}  // namespace

TEST_CASE("e2e: 18 kiosks submit, officers act, the district judges, every kiosk shows its status") {
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    // Enrol before serving, as an installer would.
    std::vector<Enrolled> tokens;
    for (const std::string& commune : communes()) tokens.push_back(enroll(districtDb, commune));
    DistrictProcess district(districtDb);
    district.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(district.port());

    struct Kiosk {
        KioskCli cli;
        std::vector<RunResult> steps;  // every kioskctl run, for the checks below
        std::string acted;             // the record an officer accepted
        std::string waiting;           // the record left as received
    };
    std::vector<Kiosk> kiosks(communes().size());
    for (size_t i = 0; i < kiosks.size(); ++i) kiosks[i].cli.db = dir.file("kiosk-" + communes()[i] + ".db");

    inParallel(kiosks.size(), 4, [&](size_t i) {
        Kiosk& k = kiosks[i];
        k.steps.push_back(k.cli.run({"init", "--commune", communes()[i], "--server", url, "--token",
                                     tokens[i].token, "--slot", tokens[i].slot}));
        k.steps.push_back(
            k.cli.run({"officer", "add", "--id", "cb01", "--name", "Hoàng Văn Sơn", "--pin-stdin"}, kPin));
        k.steps.push_back(registerOfficerRun(k.cli, districtDb, communes()[i], "cb01"));
        // A complaint, the kind an officer accepts (thụ lý).
        auto first = k.cli.run({"submit-petition", "--type", "khieu-nai", "--name", "Nguyễn Văn An", "--cccd",
                                "008090001234", "--address", "Thôn 2", "--phone", "0912345678", "--content",
                                "Khiếu nại việc thu phí cầu tràn thôn " + std::to_string(i + 1) + "."});
        auto second =
            k.cli.run({"submit-petition", "--type", "phan-anh", "--phone", "0987654321", "--content",
                       "Phản ánh đèn đường hỏng ở xã số " + std::to_string(i + 1) + "."});
        k.acted = trimmed(first.out);
        k.waiting = trimmed(second.out);
        k.steps.push_back(first);
        k.steps.push_back(second);
        k.steps.push_back(k.cli.run({"act", k.acted, "--officer", "cb01", "--pin-stdin", "accept"}, kPin));
        k.steps.push_back(k.cli.run({"sync", "--once", "--timeout", "60"}));
    });
    for (Kiosk& k : kiosks)
        for (const RunResult& step : k.steps) {
            INFO(k.cli.db << ": " << step.err);
            REQUIRE(step.exitCode == 0);
        }

    // The district holds each record exactly once, with the officers' decisions.
    const nlohmann::json records = districtRecords(districtDb);
    REQUIRE(records.size() == 2 * kiosks.size());
    std::map<std::string, nlohmann::json> byCode;
    for (const auto& r : records) byCode[r["code"].get<std::string>()] = r;
    CHECK(byCode.size() == records.size());
    for (size_t i = 0; i < kiosks.size(); ++i) {
        INFO("commune " << communes()[i]);
        REQUIRE(byCode.count(kiosks[i].acted) == 1);
        REQUIRE(byCode.count(kiosks[i].waiting) == 1);
        CHECK(byCode[kiosks[i].acted]["status"] == "accepted");
        CHECK(byCode[kiosks[i].acted]["events"] == 2);
        CHECK(byCode[kiosks[i].acted]["commune"] == communes()[i]);
        CHECK(byCode[kiosks[i].waiting]["status"] == "received");
        CHECK(byCode[kiosks[i].waiting]["events"] == 1);
    }

    // Every kiosk shows the district's status, when it last heard, and the district's verdicts.
    std::vector<RunResult> states(kiosks.size()), statuses(kiosks.size());
    inParallel(kiosks.size(), 4, [&](size_t i) {
        statuses[i] = kiosks[i].cli.run({"status", kiosks[i].acted, "--phone-last4", "5678", "--json"});
        states[i] = kiosks[i].cli.run({"sync", "--state", "--json"});
    });
    for (size_t i = 0; i < kiosks.size(); ++i) {
        INFO("commune " << communes()[i] << ": " << statuses[i].err << states[i].err);
        REQUIRE(statuses[i].exitCode == 0);
        REQUIRE(states[i].exitCode == 0);
        auto status = nlohmann::json::parse(statuses[i].out);
        CHECK(status["status"] == "accepted");
        CHECK_FALSE(status["synced_at"].is_null());
        auto state = nlohmann::json::parse(states[i].out);
        CHECK(state["online"] == true);
        CHECK(state["events_waiting"] == 0);
        CHECK(state["rejected_events"] == 0);
        CHECK(state["last_error"].is_null());
        CHECK(state["clock_wrong"] == false);

        auto store = kiosk::store::KioskStore::open(kiosks[i].cli.db);
        REQUIRE(store.ok());
        auto history = (*store)->history(kiosks[i].acted);
        REQUIRE(history.ok());
        REQUIRE(history->size() == 2);
        for (const auto& h : *history) CHECK(h.districtVerdict == "accepted");
        // Only its own commune's records reach a kiosk.
        CHECK((*store)->countRecords().value() == 2);
    }
    CHECK(district.kill(SIGTERM) == 0);
}
