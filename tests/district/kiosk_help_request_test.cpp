// A citizen pressing "Gọi cán bộ" at a kiosk: the kiosk's heartbeat carries when they asked
// (help_requested_ms), the district keeps it with the kiosk's other heartbeat columns and lists it
// (`district-server kiosks --json`, the dashboard's kiosk rows); a later heartbeat without it says
// the officer came, and a push with no heartbeat leaves it as it was.
#include <catch2/catch.hpp>

#include <httplib.h>

#include "tests/support/district_support.h"

using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

void push(const ServerProcess& server, const nlohmann::json& enrolled, const nlohmann::json& heartbeat) {
    nlohmann::json body{{"version", 1}, {"kiosk", enrolled["kiosk"]}, {"events", nlohmann::json::array()}};
    if (!heartbeat.is_null()) body["heartbeat"] = heartbeat;
    httplib::Client c("127.0.0.1", server.port());
    auto res = c.Post("/api/v1/push", {{"Authorization", "Bearer " + enrolled["token"].get<std::string>()}},
                      body.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
}

nlohmann::json helpRequested(const std::string& db) {
    auto kiosks = nlohmann::json::parse(districtOk({"kiosks", "--db", db, "--json"}));
    REQUIRE(kiosks.size() == 1);
    return kiosks[0]["help_requested_ms"];
}

}  // namespace

TEST_CASE("district: a kiosk's call for an officer is kept from its heartbeat until answered") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    auto enrolled =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", "02374", "--json"}));
    ServerProcess server(db);
    push(server, enrolled, {{"app_version", "0.1.0"}, {"queue_depth", 0}});
    CHECK(helpRequested(db).is_null());
    push(server, enrolled, {{"queue_depth", 0}, {"help_requested_ms", 1764900000000}});
    CHECK(helpRequested(db) == 1764900000000);
    push(server, enrolled, nullptr);  // no heartbeat: nothing known about it, so it stays
    CHECK(helpRequested(db) == 1764900000000);
    push(server, enrolled, {{"queue_depth", 0}});  // an officer came
    CHECK(helpRequested(db).is_null());
}
