// The kiosk's two threads: the UI thread (StoreController on its own connection, as the screens
// use it) and the sync engine's thread behind SyncHook (its own connection), on one database file,
// against a real district server on loopback. These are the kiosk's threading tests: they run in
// the normal suite and under ThreadSanitizer (scripts/test --tsan), where every access the two
// threads share (the engine's snapshot, its wake flag, the UI wake callback, SQLite's locks) is
// checked.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>

#include "kiosk/service/store_controller.h"
#include "kiosk/app/sync_hook.h"
#include "district/office/actions.h"
#include "district/office/officers.h"
#include "tests/support/client_fixture.h"

using namespace std::chrono_literals;
using client_test::eventually;

namespace {

kiosk::PetitionInput petition(int i) {
    kiosk::PetitionInput input;
    input.kind = (i % 2) ? "khieu-nai" : "to-cao";  // kinds an officer accepts (thụ lý)
    input.name = "Hoàng Văn Thụ";
    input.cccd = "008190001234";
    input.phone = "0912345678";
    input.address = "Thôn 5, xã Thái Sơn";
    input.content = "Đường liên thôn số " + std::to_string(i) + " bị sạt lở sau mưa, đề nghị sửa chữa.";
    return input;
}

// The kiosk as `kiosk` runs it: the UI thread's store and controller, and the engine's thread.
struct RunningKiosk {
    RunningKiosk(client_test::TestKiosk& k, std::atomic<int>& uiWakes)
        : controller(k.store(), kiosk::ComposerOptions{}),
          hook(std::make_unique<kiosk::app::SyncHook>(client_test::fastOptions(k.path()), true,
                                                      [&uiWakes] { uiWakes.fetch_add(1); })) {
        hook->attach(controller, k.store());
    }
    kiosk::app::StoreController controller;
    std::unique_ptr<kiosk::app::SyncHook> hook;
};

}  // namespace

TEST_CASE("kiosk threads: petitions stored on the UI thread while the engine syncs all reach the district") {
    server_test::RunningServer server;
    const auto enrolled = server.enroll(server_test::kCommuneA);
    client_test::TestKiosk k(server_test::kCommuneA, enrolled.slot, client_test::url(server.port()),
                             enrolled.token);
    std::atomic<int> uiWakes{0};
    RunningKiosk app(k, uiWakes);

    // The UI thread writes while the engine pushes and pulls on its own connection: no write may
    // fail on a locked database, and the indicator is read (a copy) between every write.
    constexpr int kPetitions = 40;
    std::vector<std::string> codes;
    for (int i = 0; i < kPetitions; ++i) {
        auto stored = app.controller.submitPetition(petition(i));
        INFO((stored ? std::string() : stored.error().en));
        REQUIRE(stored.ok());
        codes.push_back(stored->code);
        (void)app.controller.connectivity();
        if (i % 8 == 0) std::this_thread::sleep_for(10ms);
    }

    REQUIRE(eventually([&] {
        return client_test::districtView(server, server_test::kCommuneA).records.size() == kPetitions;
    }));
    REQUIRE(eventually([&] {
        const auto c = app.controller.connectivity();
        return c.online && c.recordsWaiting == 0 && c.lastSuccessUnix > 0;
    }));
    CHECK(uiWakes.load() > 0);  // the engine woke the UI loop when its state changed
    std::set<std::string> distinct(codes.begin(), codes.end());
    CHECK(distinct.size() == size_t(kPetitions));

    // The district decides while the UI thread keeps reading: the decision reaches the citizen's
    // status check at the kiosk through the engine's pulls.
    auto district = server.store();
    REQUIRE(kiosk::district::addDistrictOfficer(
        *district,
        kiosk::district::DistrictOfficer{"tcd01", "Lê Văn Cường", kiosk::district::OfficerRole::Officer,
                                         false},
        "mat khau du dai", 0));
    for (int i = 0; i < kPetitions; i += 4) {
        kiosk::district::DistrictAction accept{codes[size_t(i)], "tcd01", kiosk::Action::Accept, "", ""};
        auto acted = kiosk::district::actAsDistrict(*district, accept, kiosk::DeadlineRules{},
                                                    int64_t(kiosk::wallClockMillis()));
        INFO((acted ? std::string() : acted.error().en));
        REQUIRE(acted.ok());
    }
    bool allAccepted = eventually([&] {
        for (int i = 0; i < kPetitions; i += 4) {
            auto report = app.controller.checkStatus(codes[size_t(i)], "5678");
            REQUIRE(report.ok());
            REQUIRE(report->report.has_value());
            if (report->report->record.status != kiosk::RecordStatus::Accepted) return false;
        }
        return true;
    });
    CHECK(allAccepted);
}

TEST_CASE("kiosk threads: closing the kiosk while the engine is mid-pass loses nothing") {
    server_test::RunningServer server;
    const auto enrolled = server.enroll(server_test::kCommuneA);
    client_test::TestKiosk k(server_test::kCommuneA, enrolled.slot, client_test::url(server.port()),
                             enrolled.token);
    std::atomic<int> uiWakes{0};
    int stored = 0;
    // Three short runs of the program: each stores petitions and is closed at once, whatever the
    // engine is doing (the destructor stops and joins it, a transfer in flight is aborted).
    for (int run = 0; run < 3; ++run) {
        RunningKiosk app(k, uiWakes);
        for (int i = 0; i < 30; ++i, ++stored) REQUIRE(app.controller.submitPetition(petition(stored)).ok());
        std::this_thread::sleep_for(std::chrono::milliseconds(run * 30));
    }
    RunningKiosk app(k, uiWakes);
    REQUIRE(eventually([&] { return k.waiting() == 0; }));
    const auto view = client_test::districtView(server, server_test::kCommuneA);
    CHECK(view.records.size() == size_t(stored));
    for (const auto& [code, state] : view.records) CHECK(state.second == 1);  // each submit exactly once
}

TEST_CASE(
    "kiosk threads: when a pass ends the indicator shows it at the engine's notice, not a second later") {
    // The UI copies the indicator for a second (the home screen asks every frame) and sleeps until
    // a touch or the engine's notice; a copy taken during the pass must not outlive the notice, or
    // an idle kiosk shows "sending" until someone touches it.
    server_test::RunningServer server;
    const auto enrolled = server.enroll(server_test::kCommuneA);
    testing_support::FaultProxy proxy(server.port());
    proxy.setMode(testing_support::FaultProxy::Mode::Stall);
    client_test::TestKiosk k(server_test::kCommuneA, enrolled.slot, client_test::url(proxy.port()),
                             enrolled.token);
    auto options = client_test::fastOptions(k.path());
    options.lowSpeedSeconds = 60;                    // the stall is not given up on by itself
    options.backoffBase = std::chrono::seconds(30);  // after the failure it waits, not syncing
    options.backoffCap = std::chrono::seconds(60);
    kiosk::app::StoreController controller(k.store(), kiosk::ComposerOptions{});
    std::atomic<int> uiWakes{0};
    kiosk::app::SyncHook hook(options, true, [&uiWakes] { uiWakes.fetch_add(1); });
    hook.attach(controller, k.store());

    // The first pass hangs on the stalled district: the indicator says "sending", and is copied.
    REQUIRE(eventually([&] { return controller.connectivity().syncing; }));
    const int wakes = uiWakes.load();
    // The district lets go of the connection: the pass fails and the engine, backing off, says so.
    proxy.setMode(testing_support::FaultProxy::Mode::Pass);
    REQUIRE(eventually([&] { return uiWakes.load() > wakes; }, 10s));
    // At once, not from the copy (which would last until a second after it was taken). Within
    // 400 ms rather than on the first read: the backoff's full jitter may start a new pass at once.
    CHECK(eventually([&] { return !controller.connectivity().syncing; }, 400ms));
}

TEST_CASE(
    "kiosk threads: a kiosk without a district server never shows 'sending', even during the engine's first "
    "pass") {
    kiosk::client::SyncSnapshot snapshot;
    snapshot.phase = kiosk::client::SyncPhase::Syncing;
    CHECK_FALSE(kiosk::app::connectivityFromSnapshot(snapshot, false).syncing);
    CHECK(kiosk::app::connectivityFromSnapshot(snapshot, true).syncing);
    snapshot.phase = kiosk::client::SyncPhase::NotConfigured;
    CHECK_FALSE(kiosk::app::connectivityFromSnapshot(snapshot, true).serverConfigured);
}

TEST_CASE("kiosk threads: the district's word that the kiosk is too old reaches the screens' state") {
    // The engine reports a version below the minimum; the screens read the answer from its
    // snapshot, and from the store when no engine runs (the first frame, or kioskctl's database).
    server_test::RunningServer server;
    const auto enrolled = server.enroll(server_test::kCommuneA);
    client_test::TestKiosk k(server_test::kCommuneA, enrolled.slot, client_test::url(server.port()),
                             enrolled.token);
    auto options = client_test::fastOptions(k.path());
    options.appVersion = "0.1.1";  // below the minimum ("0.1.0" names no release)
    kiosk::app::StoreController controller(k.store(), kiosk::ComposerOptions{});
    kiosk::app::SyncHook hook(options, true, [] {});
    hook.attach(controller, k.store());
    REQUIRE(eventually([&] { return controller.connectivity().tooOld.has_value(); }));
    CHECK(controller.connectivity().tooOld->code == "kiosk.too-old");
    const auto stored = kiosk::app::connectivityFromStore(k.store()).tooOld;
    REQUIRE(stored.has_value());
    CHECK(stored->vi == controller.connectivity().tooOld->vi);
}
