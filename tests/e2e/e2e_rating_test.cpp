// Satisfaction ratings end to end: citizens rate at two kiosks of two communes (kioskctl rate, the
// same use case as the window's buttons), the kiosks sync to a real district-server, and the
// review report counts them per commune, per value and per criterion. The real programs
// (build/bin/kioskctl, build/bin/district-server), a real socket, the real SQLite files.
#include <sqlite3.h>

#include <ctime>

#include "core/calendar.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

constexpr const char* kTanYen = "02374";    // Thị trấn Tân Yên
constexpr const char* kYenThuan = "02377";  // Xã Yên Thuận
constexpr const char* kPin = "2468101214";

int64_t unsentRatings(const std::string& kioskDb) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(kioskDb.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM ratings WHERE sent_at IS NULL", -1, &st, nullptr) ==
            SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

const nlohmann::json& communeLine(const nlohmann::json& report, const std::string& code) {
    for (const auto& c : report["communes"])
        if (c["code"] == code) return c;
    FAIL("no line for commune " << code);
    return report;
}

KioskCli setUpKiosk(const TempDir& dir, const std::string& name, const std::string& districtDb,
                    const std::string& commune, int port) {
    const Enrolled enrolled = enroll(districtDb, commune);
    KioskCli kiosk{dir.file(name), {}};
    kiosk.ok({"init", "--commune", commune, "--server", "http://127.0.0.1:" + std::to_string(port), "--token",
              enrolled.token, "--slot", enrolled.slot});
    return kiosk;
}

}  // namespace

TEST_CASE("e2e: ratings from two communes' kiosks reach the district's report") {
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    enroll(districtDb, kTanYen);  // creates the database before the server opens it
    DistrictProcess district(districtDb);
    district.start();
    const KioskCli tanYen = setUpKiosk(dir, "tan-yen.db", districtDb, kTanYen, district.port());
    const KioskCli yenThuan = setUpKiosk(dir, "yen-thuan.db", districtDb, kYenThuan, district.port());

    // Tân Yên: two complaints rated on their receipts; a second tap on the first is refused.
    const std::string first = tanYen.submit("Khiếu nại quyết định thu hồi đất số 12.");
    const std::string second = tanYen.submit("Khiếu nại việc bồi thường chưa thoả đáng.");
    tanYen.ok({"rate", first, "--value", "rat-hai-long", "--criteria", "thai-do,huong-dan"});
    tanYen.ok({"rate", second, "--value", "khong-hai-long", "--criteria", "tong-thoi-gian"});
    CHECK(tanYen.run({"rate", first, "--value", "hai-long"}).exitCode == 2);

    // Yên Thuận: a kiến nghị rated at its receipt, resolved by the commune officer, rated again
    // when the citizen checks it finished.
    const std::string request =
        yenThuan.ok({"submit-petition", "--type", "kien-nghi", "--phone", "0987654321", "--content",
                     "Đề nghị làm lại cầu tràn thôn Khuôn Khoai."});
    yenThuan.ok({"rate", request, "--value", "hai-long"});
    yenThuan.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Văn Sơn", "--pin-stdin"}, kPin);
    registerOfficer(yenThuan, districtDb, kYenThuan, "cb01");
    yenThuan.ok(
        {"act", request, "--officer", "cb01", "--pin-stdin", "resolve", "--note", "Đã đưa vào kế hoạch."},
        kPin);
    yenThuan.ok({"rate", request, "--value", "rat-hai-long", "--stage", "finished", "--criteria", "thai-do"});

    tanYen.ok({"sync", "--once", "--timeout", "60"});
    yenThuan.ok({"sync", "--once", "--timeout", "60"});
    CHECK(unsentRatings(tanYen.db) == 0);
    CHECK(unsentRatings(yenThuan.db) == 0);

    const std::string today = kiosk::localFromUnix(int64_t(std::time(nullptr))).date.iso();
    auto r =
        testing_support::runProgram(testing_support::binPath("district-server"),
                                    {"report", "--db", districtDb, "--from", today, "--to", today, "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto report = nlohmann::json::parse(r.out);
    const auto& all = report["satisfaction"];
    CHECK(all["ratings"] == 4);
    CHECK(all["by_value"]["rat-hai-long"] == 2);
    CHECK(all["by_value"]["hai-long"] == 1);
    CHECK(all["by_value"]["khong-hai-long"] == 1);
    CHECK(all["criteria"]["thai-do"] == 2);
    CHECK(all["criteria"]["huong-dan"] == 1);
    CHECK(all["criteria"]["tong-thoi-gian"] == 1);

    const auto& tan = communeLine(report, kTanYen)["satisfaction"];
    CHECK(tan["by_value"] == nlohmann::json{{"rat-hai-long", 1}, {"hai-long", 0}, {"khong-hai-long", 1}});
    CHECK(tan["very_satisfied_percent"] == 50.0);
    const auto& yen = communeLine(report, kYenThuan)["satisfaction"];
    CHECK(yen["by_value"] == nlohmann::json{{"rat-hai-long", 1}, {"hai-long", 1}, {"khong-hai-long", 0}});
    CHECK(yen["criteria"] == nlohmann::json{{"thai-do", 1}});

    // The text report says it in words.
    auto text = testing_support::runProgram(testing_support::binPath("district-server"),
                                            {"report", "--db", districtDb, "--from", today, "--to", today});
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.find("4 lượt đánh giá") != std::string::npos);

    // Synced again: nothing is sent or counted twice.
    tanYen.ok({"sync", "--once", "--timeout", "60"});
    auto again =
        testing_support::runProgram(testing_support::binPath("district-server"),
                                    {"report", "--db", districtDb, "--from", today, "--to", today, "--json"});
    REQUIRE(again.exitCode == 0);
    CHECK(nlohmann::json::parse(again.out)["satisfaction"]["ratings"] == 4);
}
