// Two things an officer's browser meets on every visit, on a real DistrictServer on loopback: the
// identity search opens every candidate's seal with the key file read once for the whole search
// (not once per record), and the static files (app.js, chart.umd.js …) carry an ETag, answer a
// matching If-None-Match with 304 and no body, and get a new tag when the file changes (an upgrade).
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

// KIOSK_ASSETS set for this scope (the server reads its assets at start), restored after.
class AssetsDirectory {
public:
    explicit AssetsDirectory(const std::string& dir) {
        if (const char* before = std::getenv("KIOSK_ASSETS")) m_before = before;
        ::setenv("KIOSK_ASSETS", dir.c_str(), 1);
    }
    ~AssetsDirectory() {
        if (m_before)
            ::setenv("KIOSK_ASSETS", m_before->c_str(), 1);
        else
            ::unsetenv("KIOSK_ASSETS");
    }
    AssetsDirectory(const AssetsDirectory&) = delete;
    AssetsDirectory& operator=(const AssetsDirectory&) = delete;

private:
    std::optional<std::string> m_before;
};

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    REQUIRE(out.good());
}

}  // namespace

TEST_CASE("dashboard: an identity search reads the key file once and finds the sealed name") {
    // No indexer: the search opens all 30 seals itself (and the indexer's own readings of the key
    // file would count).
    kiosk::district::ServerOptions options;
    options.identityIndexIntervalMs = 0;
    RunningServer server(options);
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
    CHECK(body["opened"] == 30);
    CHECK(reads == 1);  // 30 seals opened with one reading of the key file
}

TEST_CASE("dashboard: static files carry an ETag, a matching If-None-Match is a 304, a new file a new tag") {
    testing_support::TempDir dir;
    const fs::path assets = dir.file("assets");
    fs::copy(kiosk::assetsDir(), assets, fs::copy_options::recursive);
    // The chart library is installed by scripts/setup, not by the tree: a stand-in of its size.
    writeFile(assets / "dashboard" / "chart.umd.js", "/* chart */" + std::string(200000, ' '));
    AssetsDirectory chosen(assets.string());

    std::map<std::string, std::string> firstTags;
    {
        RunningServer server;
        auto c = server.client();
        for (const std::string url : {"/assets/app.js", "/assets/chart.umd.js", "/assets/style.css"}) {
            INFO(url);
            auto first = c->Get(url.c_str());
            REQUIRE(first);
            REQUIRE(first->status == 200);
            const std::string tag = first->get_header_value("ETag");
            CHECK(tag.size() == 34);                                        // a quoted 128-bit hash
            CHECK(first->get_header_value("Cache-Control") == "no-cache");  // asked again on each load
            firstTags[url] = tag;
            auto again = c->Get(url.c_str(), {{"If-None-Match", tag}});
            REQUIRE(again);
            CHECK(again->status == 304);
            CHECK(again->body.empty());
            CHECK(again->get_header_value("ETag") == tag);
            auto weakInList = c->Get(url.c_str(), {{"If-None-Match", "\"0000\", W/" + tag}});
            REQUIRE(weakInList);
            CHECK(weakInList->status == 304);
            auto other = c->Get(url.c_str(), {{"If-None-Match", "\"0000\""}});
            REQUIRE(other);
            CHECK(other->status == 200);
            CHECK(other->body == first->body);
        }
        // Pages that carry data are never kept.
        auto page = c->Get("/login");
        REQUIRE(page);
        CHECK(page->get_header_value("ETag").empty());
        CHECK(page->get_header_value("Cache-Control") == "no-store");
    }
    // An upgrade brings a new app.js: the tag the browser kept no longer matches, the new file comes.
    { std::ofstream(assets / "dashboard" / "app.js", std::ios::app) << "\n// 0.5.1\n"; }
    RunningServer upgraded;
    auto c = upgraded.client();
    auto changed = c->Get("/assets/app.js", {{"If-None-Match", firstTags["/assets/app.js"]}});
    REQUIRE(changed);
    CHECK(changed->status == 200);
    CHECK(changed->body.find("// 0.5.1") != std::string::npos);
    CHECK(changed->get_header_value("ETag") != firstTags["/assets/app.js"]);
    auto same = c->Get("/assets/chart.umd.js", {{"If-None-Match", firstTags["/assets/chart.umd.js"]}});
    REQUIRE(same);
    CHECK(same->status == 304);  // an unchanged file keeps its tag across restarts
}
