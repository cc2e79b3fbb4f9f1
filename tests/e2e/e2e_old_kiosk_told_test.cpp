// A kiosk below the oldest version the district serves in full (protocol::kMinimumKioskVersion) is
// told so in the push and whoami answers ("too_old", Vietnamese and English, naming the minimum),
// and the dashboard's kiosk table shows the same message on its commune's row. The version is the
// one its User-Agent and heartbeat name; "0.1.0", which releases 0.1.0 to 0.3.0 all said, names
// none of them (a 0.1.0 kiosk shows itself by its unsigned officer actions: e2e_upgrade_test.cpp).
#include <catch2/catch.hpp>

#include <httplib.h>

#include "sync/protocol/kiosk_version.h"
#include "sync/protocol/messages.h"
#include "tests/support/dashboard_session.h"
#include "tests/support/district_support.h"

using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

// A push with no event, from a kiosk of `version`: its User-Agent and heartbeat say so.
nlohmann::json pushAs(const ServerProcess& server, const nlohmann::json& enrolled,
                      const std::string& version) {
    const nlohmann::json body{{"version", 1},
                              {"kiosk", enrolled["kiosk"]},
                              {"events", nlohmann::json::array()},
                              {"heartbeat", {{"app_version", version}, {"queue_depth", 0}}}};
    httplib::Client c("127.0.0.1", server.port());
    const httplib::Headers headers{{"Authorization", "Bearer " + enrolled["token"].get<std::string>()},
                                   {"User-Agent", "commune-kiosk/" + version}};
    auto res = c.Post("/api/v1/push", headers, body.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    auto who = c.Get("/api/v1/whoami", headers);
    REQUIRE(who);
    REQUIRE(who->status == 200);
    const auto whoami = nlohmann::json::parse(who->body);
    const auto pushed = nlohmann::json::parse(res->body);
    CHECK(whoami.value("too_old", nlohmann::json()) == pushed.value("too_old", nlohmann::json()));
    return pushed;
}

// The overview as the dashboard's page reads it, after a login through the form.
nlohmann::json overview(const ServerProcess& server, const std::string& user, const std::string& password) {
    httplib::Client c("127.0.0.1", server.port());
    const httplib::Headers session = testing_support::dashboardSession(c, user, password);
    auto got = c.Get("/dash/api/overview", session);
    REQUIRE(got);
    REQUIRE(got->status == 200);
    return nlohmann::json::parse(got->body);
}

}  // namespace

TEST_CASE("e2e: a kiosk too old for the server is told so, and the dashboard row says it") {
    CHECK(kiosk::protocol::versionBelow("0.1.0"));
    CHECK_FALSE(kiosk::protocol::versionBelow("0.2.0"));
    CHECK_FALSE(kiosk::protocol::versionBelow("0.10.0"));
    CHECK_FALSE(kiosk::protocol::versionBelow(""));
    CHECK_FALSE(kiosk::protocol::reportedTooOld("0.1.0"));
    CHECK(kiosk::protocol::reportedTooOld("0.1.1"));
    CHECK(kiosk::protocol::kioskVersionOf("commune-kiosk/0.3.0") == "0.3.0");
    CHECK(kiosk::protocol::kioskVersionOf("curl/7.88.1").empty());

    TempDir dir;
    const std::string db = dir.file("district.db");
    auto old =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02374", "--json"}));
    auto current =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02377", "--json"}));
    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role",
                "officer", "--password-stdin"},
               "mat-khau-cua-giang\n");
    ServerProcess server(db);
    const auto toldOld = pushAs(server, old, "0.1.1");
    const auto toldCurrent = pushAs(server, current, KIOSK_APP_VERSION);
    INFO(toldOld.dump());
    REQUIRE(toldOld.contains("too_old"));
    CHECK(toldOld["too_old"]["code"] == "kiosk.too-old");
    const std::string minimum(kiosk::protocol::kMinimumKioskVersion);
    CHECK(toldOld["too_old"]["vi"] ==
          "Phần mềm máy kiosk quá cũ, cần cập nhật (phiên bản tối thiểu " + minimum + ").");
    CHECK(toldOld["too_old"]["en"].get<std::string>().find(minimum) != std::string::npos);
    CHECK_FALSE(toldCurrent.contains("too_old"));

    const auto fleet = overview(server, "hcb01", "mat-khau-cua-giang");
    for (const auto& c : fleet["communes"]) {
        if (c["code"] != "02374" && c["code"] != "02377") continue;
        INFO(c.dump());
        if (c["code"] == "02374") {
            CHECK(c["too_old"]["vi"] == toldOld["too_old"]["vi"]);
            CHECK(c["kiosks"][0]["too_old"]["vi"] == toldOld["too_old"]["vi"]);
        } else {
            CHECK(c["too_old"].is_null());
        }
    }
}
