// The officer's "Đã ký/điểm chỉ" on a printed petition, end to end: kioskctl act … mark-signed at one
// kiosk, its sync to a real district-server, the district's record history as the dashboard serves
// it, and another kiosk of the commune that pulls the event and shows it in its own history. The
// status, the due date and the district's counts do not move.
#include <httplib.h>

#include "tests/support/dashboard_session.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

constexpr const char* kTanYen = "02374";

std::string districtOk(const std::vector<std::string>& args, const std::string& input = "") {
    auto r = testing_support::runProgram(testing_support::binPath("district-server"), args, input);
    INFO("district-server " << nlohmann::json(args).dump() << " -> " << r.exitCode << ": " << r.err);
    REQUIRE(r.exitCode == 0);
    return r.out;
}

std::vector<std::string> actionsOf(const nlohmann::json& history) {
    std::vector<std::string> out;
    for (const auto& h : history) out.push_back(h.value("action", ""));
    return out;
}

}  // namespace

TEST_CASE("e2e: a petition marked signed at the kiosk reaches the district's history and not its counts") {
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    const Enrolled first = enroll(districtDb, kTanYen);
    const Enrolled second = enroll(districtDb, kTanYen);
    districtOk({"officer", "add", "--db", districtDb, "--id", "qt01", "--name", "Lê Văn Quản", "--role",
                "admin", "--password-stdin"},
               "mat-khau-quan-tri\n");
    DistrictProcess district(districtDb);
    district.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(district.port());
    const KioskCli taker{dir.file("taker.db"), {}};
    const KioskCli other{dir.file("other.db"), {}};
    taker.ok({"init", "--commune", kTanYen, "--server", url, "--token", first.token, "--slot", first.slot});
    other.ok({"init", "--commune", kTanYen, "--server", url, "--token", second.token, "--slot", second.slot});
    taker.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Văn Sơn", "--pin-stdin"}, "2468101214");
    registerOfficer(taker, districtDb, kTanYen, "cb01");

    const std::string code = taker.submit("Tôi khiếu nại việc thu hồi đất thôn Khuôn Khoai.");
    const std::string pdf = dir.file("don.pdf");
    taker.ok({"print", code, "--paper", "petition", "--pdf", pdf});
    taker.ok({"sync", "--once", "--timeout", "60"});
    const auto before = districtRecords(districtDb);
    httplib::Client web("127.0.0.1", district.port());
    const httplib::Headers session = testing_support::dashboardSession(web, "qt01", "mat-khau-quan-tri");
    auto overview = [&] {
        auto got = web.Get("/dash/api/overview", session);
        REQUIRE(got);
        REQUIRE(got->status == 200);
        const auto j = nlohmann::json::parse(got->body);
        return nlohmann::json{{"monthly", j["monthly"]}, {"overdue", j["overdue"]}};
    };
    const auto countsBefore = overview();
    taker.ok({"act", code, "--officer", "cb01", "--pin-stdin", "mark-signed", "--note", "điểm chỉ"},
             "2468101214");
    const auto pushed = taker.json({"sync", "--once", "--timeout", "60"});
    CHECK(pushed["pushed"] == 1);
    CHECK(pushed["rejected"] == 0);

    // The district's record: the same status and due date; its history names the officer's mark.
    const auto after = districtRecords(districtDb);
    REQUIRE(after.size() == 1);
    CHECK(after[0]["status"] == "received");
    CHECK(after[0]["due"] == before[0]["due"]);
    CHECK(overview() == countsBefore);  // the monthly counts and the overdue ones
    auto shown = web.Get("/dash/api/record?code=" + code, session);
    REQUIRE(shown);
    REQUIRE(shown->status == 200);
    const auto record = nlohmann::json::parse(shown->body);
    INFO(record.dump());
    const auto& history = record["history"];
    REQUIRE(actionsOf(history) == std::vector<std::string>{"submit", "mark-signed"});
    CHECK(history[1]["action_name"] == "Đã ký/điểm chỉ");
    CHECK(history[1]["actor"] == "cb01");
    CHECK(history[1]["note"] == "điểm chỉ");
    // The dashboard offers no such action to the district's own officers.
    for (const auto& a : record["actions"]) CHECK(a["action"] != "mark-signed");

    // Another kiosk of the commune pulls the event and shows it in the record's history.
    other.ok({"sync", "--once", "--timeout", "60"});
    const auto elsewhere = other.json({"status", code, "--phone-last4", "5678"});
    CHECK(elsewhere["status"] == "received");
    CHECK(actionsOf(elsewhere["history"]) == std::vector<std::string>{"submit", "mark-signed"});
}
