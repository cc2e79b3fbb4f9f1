// A year whose days off are not confirmed: the dashboard's overview names it until the official
// table is imported, through a real `district-server serve` and its dashboard API (admin import,
// live) and the `import holidays` command.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "tests/support/district_support.h"
#include "tests/support/e2e_support.h"

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

// The headers of a logged-in officer's API calls.
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

nlohmann::json provisionalYears(httplib::Client& c, const httplib::Headers& who) {
    auto res = c.Get("/dash/api/overview", who);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return nlohmann::json::parse(res->body)["provisional_holiday_years"];
}

// A table for `year` with 1/1 and five Tết days around `tet`, marked provisional or not.
std::string table(int year, const kiosk::Date& tet, bool provisional) {
    std::string text = provisional ? "# status: provisional\n" : "";
    text += "date\tkind\tname\n" + std::to_string(year) + "-01-01\tholiday\tTết Dương lịch\n";
    for (int i = -1; i < 4; ++i) text += tet.plusDays(i).iso() + "\tholiday\tTết Nguyên Đán\n";
    return text;
}

}  // namespace

TEST_CASE("holidays: the overview names a provisional year until its official table is imported") {
    const kiosk::Date today = kiosk::localFromUnix(int64_t(kiosk::wallClockMillis() / 1000)).date;
    const int year = today.year + 1;
    const auto& lunar = district_test::reference().lunarNewYear;
    if (!lunar.count(year)) {
        WARN("lunar_new_year.tsv has no row for " << year << ": skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("district.db");
    e2e::enroll(db, "02374");
    districtOk({"officer", "add", "--db", db, "--id", "qt01", "--name", "Quản Trị", "--role", "admin",
                "--password-stdin"},
               "mat-khau-quan-tri\n");
    // Next year's table, marked provisional (as the shipped 2027 table is).
    const std::string provisionalFile = dir.file("provisional.tsv");
    std::ofstream(provisionalFile) << table(year, lunar.at(year), true);
    districtOk({"import", "holidays", provisionalFile, "--db", db, "--officer", "qt01"});

    ServerProcess server(db);
    httplib::Client c("127.0.0.1", server.port());
    const auto admin = logIn(c, "qt01", "mat-khau-quan-tri");
    const nlohmann::json before = provisionalYears(c, admin);
    INFO(before.dump());
    CHECK(std::find(before.begin(), before.end(), year) != before.end());

    // The official table, imported from the dashboard, clears the warning at once.
    auto imported =
        c.Post("/dash/api/import", admin,
               nlohmann::json{{"kind", "holidays"}, {"text", table(year, lunar.at(year), false)}}.dump(),
               "application/json");
    REQUIRE(imported);
    INFO(imported->body);
    REQUIRE(imported->status == 200);
    const nlohmann::json after = provisionalYears(c, admin);
    CHECK(std::find(after.begin(), after.end(), year) == after.end());
}
