// On a real DistrictServer on loopback: the identity search opens every candidate's seal with the
// key file read once for the whole search (not once per record).
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/sealing.h"
#include "core/private_part.h"
#include "district/office/keys.h"
#include "district/office/officers.h"
#include "tests/support/dashboard_session.h"
#include "tests/support/server_fixture.h"

using namespace server_test;

namespace {

namespace fs = std::filesystem;

}  // namespace

TEST_CASE("dashboard: an identity search reads the key file once and finds the sealed name") {
    RunningServer server;
    const Kiosk k = server.enroll(kCommuneA);
    const int64_t now = int64_t(kiosk::wallClockMillis());
    std::string publicKey;
    {
        auto store = server.store();
        auto made = kiosk::district::ensureDistrictKey(*store, "", now);
        REQUIRE(made);
        publicKey = *made;
        REQUIRE(kiosk::district::addDistrictOfficer(
            *store, {"cb01", "Cán bộ tìm", kiosk::district::OfficerRole::Officer, false}, "mat-khau-can-bo",
            now));
    }
    // 30 petitions sealed to the district as kiosks seal them; one citizen is the one looked for.
    const auto recipient = kiosk::common::publicKeyFromBase64(publicKey);
    REQUIRE(recipient);
    std::vector<kiosk::Event> events;
    for (int i = 1; i <= 30; ++i) {
        kiosk::Event e = submitEvent(k, i, codeFor(k, 500 + i));
        kiosk::PrivatePart part;
        part.identity.name = i == 17 ? "Hoàng Thị Tìm Thấy" : "Người Gửi Số " + std::to_string(i);
        part.identity.phone = "09120000" + std::to_string(10 + i);
        part.content = "Kiến nghị số " + std::to_string(i);
        e.payload["sealed"] = kiosk::common::seal(kiosk::privatePartToJson(part), *recipient);
        events.push_back(std::move(e));
    }
    push(server, k, events);

    auto c = server.client();
    const httplib::Headers officer = testing_support::dashboardActionSession(*c, "cb01", "mat-khau-can-bo");
    const uint64_t before = kiosk::district::districtKeyFileReads();
    auto res = c->Post("/dash/api/identity-search", officer, R"({"query": "tìm thấy"})", "application/json");
    const uint64_t reads = kiosk::district::districtKeyFileReads() - before;
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    const auto body = nlohmann::json::parse(res->body);
    CHECK(body["searched"] == 30);
    REQUIRE(body["records"].size() == 1);
    CHECK(body["records"][0]["code"] == codeFor(k, 517));
    CHECK(body["records"][0]["name"] == "Hoàng Thị Tìm Thấy");
    CHECK(reads == 1);  // 30 seals opened with one reading of the key file
}
