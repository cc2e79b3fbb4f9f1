// A kiosk the district finds too old (its version below protocol::kMinimumKioskVersion) keeps what
// the district said, so `kioskctl sync --state` shows it, and forgets it at the first answer that no
// longer says it (the kiosk was updated). The engine is today's, told to call itself 0.1.1: its
// User-Agent and heartbeat then name a version below the minimum, to the real server.
#include "tests/support/client_fixture.h"

using namespace kiosk;
using namespace client_test;
using client::PassEnd;
using server_test::RunningServer;

TEST_CASE("e2e: a kiosk told it is too old shows the message until the district stops saying it") {
    RunningServer server;
    auto enrolled = server.enroll(server_test::kCommuneA);
    TestKiosk k(server_test::kCommuneA, enrolled.slot, url(server.port()), enrolled.token);
    k.submit("kien-nghi");
    client::SyncOptions old = fastOptions(k.path());
    old.appVersion = "0.1.1";  // below the minimum ("0.1.0" names no release)
    auto r = k.syncOnce(30s, old);
    INFO(describe(r));
    REQUIRE(r.end == PassEnd::Done);  // told, not refused: its records still go up
    CHECK(r.pushed == 1);
    auto status = store::readSyncStatus(k.store());
    REQUIRE(status.ok());
    REQUIRE(status->tooOld.has_value());
    CHECK(status->tooOld->code == "kiosk.too-old");
    const std::string minimum(protocol::kMinimumKioskVersion);
    CHECK(status->tooOld->vi ==
          "Phần mềm máy kiosk quá cũ, cần cập nhật (phiên bản tối thiểu " + minimum + ").");

    // kioskctl sync --state says it, in the kiosk's language and in JSON.
    auto text = testing_support::runProgram(testing_support::binPath("kioskctl"),
                                            {"--db", k.path(), "sync", "--state"});
    INFO(text.err);
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.find(status->tooOld->vi) != std::string::npos);
    auto json = testing_support::runProgram(testing_support::binPath("kioskctl"),
                                            {"--db", k.path(), "sync", "--state", "--json", "--lang", "en"});
    REQUIRE(json.exitCode == 0);
    const auto state = nlohmann::json::parse(json.out);
    CHECK(state["too_old"]["code"] == "kiosk.too-old");
    CHECK(state["too_old"]["message"] == status->tooOld->en);

    // Updated: the next answer does not say it, and the kiosk forgets it.
    k.submit("kien-nghi");
    r = k.syncOnce();
    REQUIRE(r.end == PassEnd::Done);
    status = store::readSyncStatus(k.store());
    REQUIRE(status.ok());
    CHECK_FALSE(status->tooOld.has_value());
}
