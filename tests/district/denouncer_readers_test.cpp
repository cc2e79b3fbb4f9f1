// Who may read a denouncer's identity is named in data (assets/denouncer_readers.tsv), through the
// real programs: `district-server intake` takes a tố cáo on paper, `serve` answers the dashboard's
// reveal. With the default data inspectors read it and officers do not; with data naming another
// role (and the inspector's row ended), that role's account reads it and the inspector no longer
// does. Every reading is logged.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/district_support.h"
#include "tests/support/e2e_support.h"

using district_test::district;
using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

std::string cookieOf(const httplib::Result& res, const std::string& name) {
    for (const auto& [key, value] : res->headers)
        if (key == "Set-Cookie" && value.rfind(name + "=", 0) == 0)
            return value.substr(name.size() + 1, value.find(';') - name.size() - 1);
    return {};
}

httplib::Headers logIn(httplib::Client& c, const std::string& user, const std::string& password) {
    auto page = c.Get("/login");
    REQUIRE(page);
    std::smatch m;
    REQUIRE(std::regex_search(page->body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")));
    auto res = c.Post("/login", {{"Cookie", "ds_login=" + cookieOf(page, "ds_login")}},
                      "csrf=" + std::string(m[1]) + "&next=%2F&username=" + user + "&password=" + password,
                      "application/x-www-form-urlencoded");
    REQUIRE(res);
    REQUIRE(res->status == 303);
    const std::string session = cookieOf(res, "ds_session");
    auto info = c.Get("/dash/api/session", {{"Cookie", "ds_session=" + session}});
    REQUIRE(info);
    return {{"Cookie", "ds_session=" + session}, {"X-CSRF-Token", nlohmann::json::parse(info->body)["csrf"]}};
}

// The status of the dashboard's reveal of `code` for this officer (the name checked when 200).
int reveal(const ServerProcess& server, const std::string& user, const std::string& code) {
    httplib::Client c("127.0.0.1", server.port());
    const auto who = logIn(c, user, "mat-khau-" + user);
    auto res = c.Post("/dash/api/identity", who, nlohmann::json{{"code", code}}.dump(), "application/json");
    REQUIRE(res);
    if (res->status == 200) CHECK(nlohmann::json::parse(res->body)["identity"]["name"] == "Đỗ Văn Ích");
    return res->status;
}

void addOfficer(const std::string& db, const std::string& id, const std::string& role) {
    districtOk(
        {"officer", "add", "--db", db, "--id", id, "--name", "Cán Bộ", "--role", role, "--password-stdin"},
        "mat-khau-" + id + "\n");
}

// KIOSK_ASSETS for this scope (the test's programs inherit it).
struct AssetsScope {
    explicit AssetsScope(const std::string& dir) { setenv("KIOSK_ASSETS", dir.c_str(), 1); }
    ~AssetsScope() { unsetenv("KIOSK_ASSETS"); }
};

std::vector<std::string> readers(const std::string& db, const std::string& code) {
    std::vector<std::string> out;
    for (const auto& r :
         nlohmann::json::parse(districtOk({"identity-reads", "--db", db, "--record", code, "--json"})))
        out.push_back(r["officer"]);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("denouncer identity: the role named in data reads it, another does not, and the data decides") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    e2e::enroll(db, "02374");
    addOfficer(db, "tt01", "inspector");
    addOfficer(db, "cb01", "officer");
    // Not a role of the default data.
    CHECK(district({"officer", "add", "--db", db, "--id", "ct01", "--name", "Chủ Tịch", "--role", "chu-tich",
                    "--password-stdin"},
                   "mat-khau-ct01\n")
              .exitCode == 2);
    const std::string today = kiosk::localFromUnix(int64_t(kiosk::wallClockMillis() / 1000)).date.iso();
    const std::string code =
        districtOk({"intake", "--db", db, "--officer", "cb01", "--kind", "to-cao", "--channel", "in-person",
                    "--received", today, "--name", "Đỗ Văn Ích", "--cccd", "008190001234"});
    {
        ServerProcess server(db);
        CHECK(reveal(server, "tt01", code) == 200);
        CHECK(reveal(server, "cb01", code) == 403);
    }
    CHECK(readers(db, code) == std::vector<std::string>{"tt01"});

    // Another deployment's data: the inspector's row ended, the commune chair's in force.
    const std::string assets = dir.file("assets");
    std::filesystem::copy(kiosk::assetsDir(), assets, std::filesystem::copy_options::recursive);
    std::ofstream(assets + "/denouncer_readers.tsv")
        << "role\tname_vi\tname_en\tvalid_from\tvalid_to\tsource\n"
           "inspector\tThanh tra\tinspector\t\t2025-06-30\tbefore the reform\n"
           "chu-tich\tChủ tịch UBND xã\tcommune chair\t2025-07-01\t\tafter the reform\n";
    AssetsScope scope(assets);
    addOfficer(db, "ct01", "chu-tich");
    for (const auto& o : nlohmann::json::parse(districtOk({"officer", "list", "--db", db, "--json"})))
        if (o["id"] == "ct01") CHECK(o["role"] == "chu-tich");
    {
        ServerProcess server(db);
        CHECK(reveal(server, "ct01", code) == 200);
        CHECK(reveal(server, "tt01", code) == 403);
        CHECK(reveal(server, "cb01", code) == 403);
    }
    CHECK(readers(db, code) == std::vector<std::string>{"ct01", "tt01"});
}
