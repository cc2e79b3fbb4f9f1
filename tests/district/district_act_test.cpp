// District officers and their decisions, end to end through the real programs: district-server
// (serve on a loopback port 0, officer, act, records, import, report) and kioskctl (init, submit,
// register, sync --once, status, reception). A decision taken at the district reaches the commune's
// kiosk on its next pull, and both the receipt code and the official code find the record there.
#include <catch2/catch.hpp>

#include <fstream>

#include "district/office/officers.h"
#include "tests/support/district_support.h"
#include "tests/support/e2e_support.h"

using district_test::district;
using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::binPath;
using testing_support::runProgram;
using testing_support::TempDir;

TEST_CASE(
    "district act: a decision and an official code reach the kiosk and its status (real server, real sync)") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const e2e::Enrolled enrolled = e2e::enroll(db, "02374");
    ServerProcess server(db);
    e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
    kiosk.ok({"init", "--commune", "02374", "--server", server.url(), "--token", enrolled.token, "--slot",
              enrolled.slot});
    kiosk.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Thị Dung", "--pin-stdin"}, "2468101214\n");

    const std::string petition = kiosk.ok({"submit-petition", "--type", "kien-nghi", "--phone", "0912345678",
                                           "--content", "Đề nghị sửa cầu treo thôn Khuôn Khoai."});
    std::string procedure;
    for (const auto& p : district_test::reference().procedures)
        if (p.limit) {
            procedure = p.id;
            break;
        }
    const std::string dossier = kiosk.ok(
        {"register-dossier", "--procedure", procedure, "--name", "Trần Văn Em", "--phone", "0987654321"});
    // A reception at the commune, about the petition; and one about a new case.
    kiosk.ok({"reception", "add", "--officer", "cb01", "--pin-stdin", "--people", "2", "--case", petition,
              "--outcome", "hướng dẫn"},
             "2468101214\n");
    kiosk.ok({"reception", "add", "--officer", "cb01", "--pin-stdin", "--people", "1", "--case", "new",
              "--kind", "khieu-nai"},
             "2468101214\n");
    kiosk.ok({"sync", "--once", "--timeout", "30"});

    // District officers: only an officer or inspector may act.
    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role",
                "officer", "--password-stdin"},
               "mot mat khau dai\n");
    districtOk({"officer", "add", "--db", db, "--id", "ld01", "--name", "Vũ Thị Hạnh", "--role", "leader",
                "--password-stdin"},
               "mat khau lanh dao\n");
    {
        auto refused = district({"act", "--db", db, petition, "--officer", "ld01", "accept"});
        CHECK(refused.exitCode == 2);
        CHECK(refused.err.find("không được xử lý hồ sơ") != std::string::npos);
        auto unknown = district({"act", "--db", db, petition, "--officer", "nobody", "accept"});
        CHECK(unknown.exitCode == 2);
        auto wrong = district({"act", "--db", db, petition, "--officer", "hcb01", "deliver"});
        CHECK(wrong.exitCode == 2);  // the state machine refuses it, one line on stderr
        CHECK(std::count(wrong.err.begin(), wrong.err.end(), '\n') == 1);
        auto noNote = district({"act", "--db", db, petition, "--officer", "hcb01", "request-info"});
        CHECK(noNote.exitCode == 2);
        auto badCode = district(
            {"act", "--db", db, dossier, "--officer", "hcb01", "assign-code", "--official-code", "12345"});
        CHECK(badCode.exitCode == 2);
    }

    // The decisions.
    const std::string resolved = districtOk({"act", "--db", db, petition, "--officer", "hcb01", "resolve",
                                             "--note", "Huyện đã bố trí kinh phí sửa cầu."});
    CHECK(resolved.find("\tresolved\t") != std::string::npos);
    auto processing = nlohmann::json::parse(
        districtOk({"act", "--db", db, dossier, "--officer", "hcb01", "process", "--json"}));
    CHECK(processing["status"] == "processing");
    const std::string official = "H58.22-261126-0001";
    auto assigned = nlohmann::json::parse(districtOk({"act", "--db", db, dossier, "--officer", "hcb01",
                                                      "assign-code", "--official-code", official, "--json"}));
    CHECK(assigned["official_code"] == official);
    CHECK(assigned["status"] == "processing");
    // The same code for another record is refused.
    auto twice = district(
        {"act", "--db", db, petition, "--officer", "hcb01", "assign-code", "--official-code", official});
    CHECK(twice.exitCode == 2);
    // The official code finds the record at the district too.
    auto ready = nlohmann::json::parse(
        districtOk({"act", "--db", db, official, "--officer", "hcb01", "ready", "--json"}));
    CHECK(ready["code"] == dossier);
    CHECK(ready["status"] == "result-ready");

    // Before the kiosk pulls, it still shows what it had.
    CHECK(kiosk.json({"status", petition, "--phone-last4", "5678"})["status"] == "received");
    kiosk.ok({"sync", "--once", "--timeout", "30"});

    auto status = kiosk.json({"status", petition, "--phone-last4", "5678"});
    CHECK(status["status"] == "resolved");
    bool districtLine = false;
    for (const auto& h : status["history"])
        if (h["status"] == "resolved" && h["note"] == "Huyện đã bố trí kinh phí sửa cầu.")
            districtLine = true;
    CHECK(districtLine);

    auto byReceipt = kiosk.json({"status", dossier, "--phone-last4", "4321"});
    auto byOfficial = kiosk.json({"status", official, "--phone-last4", "4321"});
    CHECK(byReceipt["status"] == "result-ready");
    CHECK(byOfficial["status"] == "result-ready");
    CHECK(byOfficial["code"] == byReceipt["code"]);

    // The district holds both receptions, under the kiosk's commune, and counts them.
    auto receptions = nlohmann::json::parse(districtOk({"reception", "list", "--db", db, "--json"}));
    REQUIRE(receptions.size() == 2);
    for (const auto& r : receptions) {
        CHECK(r["level"] == "commune");
        CHECK(r["commune"] == "02374");
    }
    // Sent once: a second sync does not send them again.
    kiosk.ok({"sync", "--once", "--timeout", "30"});
    CHECK(nlohmann::json::parse(districtOk({"reception", "list", "--db", db, "--json"})).size() == 2);
    auto listed = kiosk.json({"reception", "list"});
    for (const auto& r : listed) CHECK(r["sent"] == true);

    // Submitted after office hours or on a weekend, a record counts as received on the next working
    // day, which may be after today (and in the next year): the report runs a month past today.
    const kiosk::Date today = kiosk::localFromUnix(int64_t(kiosk::wallClockMillis() / 1000)).date;
    auto report =
        nlohmann::json::parse(districtOk({"report", "--db", db, "--from", today.iso().substr(0, 4) + "-01-01",
                                          "--to", today.plusDays(31).iso(), "--json"}));
    CHECK(report["receptions_visits"] == 2);
    CHECK(report["receptions_people"] == 3);
    CHECK(report["receptions_cases"] == 2);
    CHECK(report["petitions_received"] == 1);
    CHECK(report["petitions_resolved"] == 1);
    CHECK(report["resolved_percent"].get<double>() == Approx(100.0));
    CHECK(report["dossiers_received"] == 1);
    CHECK(report["dossiers_resolved"] == 1);
}

TEST_CASE("district officers: accounts from the command line, argon2id, disable and reset") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    e2e::enroll(db, "02377");  // creates the database
    CHECK(district(
              {"officer", "add", "--db", db, "--id", "tt01", "--name", "Đỗ Văn Ích", "--role", "inspector"})
              .exitCode == 2);
    CHECK(district({"officer", "add", "--db", db, "--id", "tt01", "--name", "Đỗ Văn Ích", "--role", "boss",
                    "--password-stdin"},
                   "mat khau thanh tra\n")
              .exitCode == 2);
    CHECK(district({"officer", "add", "--db", db, "--id", "tt01", "--name", "Đỗ Văn Ích", "--role",
                    "inspector", "--password-stdin"},
                   "short\n")
              .exitCode == 2);
    districtOk({"officer", "add", "--db", db, "--id", "tt01", "--name", "Đỗ Văn Ích", "--role", "inspector",
                "--password-stdin"},
               "mat khau thanh tra\n");
    CHECK(district({"officer", "add", "--db", db, "--id", "tt01", "--name", "Khác", "--role", "officer",
                    "--password-stdin"},
                   "mat khau khac nua\n")
              .exitCode == 2);

    auto store = kiosk::district::DistrictStore::open(db, false);
    REQUIRE(store);
    {
        // Only the hash is stored, and it is argon2id.
        auto st = (*store)->database().prepare("SELECT password_hash FROM officers WHERE id = 'tt01'");
        REQUIRE(st);
        REQUIRE(st->step().value());
        CHECK(st->text(0).rfind("$argon2id$", 0) == 0);
        CHECK(st->text(0).find("mat khau thanh tra") == std::string::npos);
    }
    const int64_t now = int64_t(kiosk::wallClockMillis());
    CHECK(kiosk::district::verifyDistrictOfficer(**store, "tt01", "mat khau thanh tra", now));
    CHECK(kiosk::district::verifyDistrictOfficer(**store, "tt01", "sai", now).error().code == "login.failed");
    CHECK(kiosk::district::verifyDistrictOfficer(**store, "nobody", "x", now).error().code == "login.failed");

    districtOk({"officer", "reset-password", "--db", db, "--id", "tt01", "--password-stdin"},
               "mat khau moi day\n");
    CHECK_FALSE(kiosk::district::verifyDistrictOfficer(**store, "tt01", "mat khau thanh tra", now));
    CHECK(kiosk::district::verifyDistrictOfficer(**store, "tt01", "mat khau moi day", now));
    districtOk({"officer", "disable", "--db", db, "--id", "tt01"});
    CHECK(kiosk::district::verifyDistrictOfficer(**store, "tt01", "mat khau moi day", now).error().code ==
          "login.failed");
    CHECK(district({"officer", "disable", "--db", db, "--id", "nobody"}).exitCode == 2);

    auto list = nlohmann::json::parse(districtOk({"officer", "list", "--db", db, "--json"}));
    REQUIRE(list.size() == 1);
    CHECK(list[0]["role"] == "inspector");
    CHECK(list[0]["disabled"] == true);
}

TEST_CASE("district officers: wrong passwords slow an id and an address down, for a while only") {
    TempDir dir;
    auto store = kiosk::district::DistrictStore::open(dir.file("district.db"), true);
    REQUIRE(store);
    using namespace kiosk::district;
    REQUIRE(addDistrictOfficer(**store, DistrictOfficer{"cb02", "Ngô Văn Khoa", OfficerRole::Officer, false},
                               "dung mat khau", 0));
    int64_t t = 1'800'000'000'000;
    for (int i = 0; i < kFreeLoginFailures; ++i) {
        CHECK(loginWaitMs(**store, "cb02", "192.0.2.1", t).value() == 0);
        CHECK(verifyDistrictOfficer(**store, "cb02", "sai roi", t, "192.0.2.1").error().code ==
              "login.failed");
    }
    // 2^5 s for the id (from any address) and for the address (for any id).
    CHECK(loginWaitMs(**store, "cb02", "198.51.100.7", t).value() == 32'000);
    CHECK(loginWaitMs(**store, "khac", "192.0.2.1", t + 2000).value() == 30'000);
    CHECK(loginWaitMs(**store, "khac", "198.51.100.7", t).value() == 0);
    // The wait is up after it; the right password clears the id's count, not the address's.
    CHECK(loginWaitMs(**store, "cb02", "198.51.100.7", t + 32'000).value() == 0);
    CHECK(verifyDistrictOfficer(**store, "cb02", "dung mat khau", t + 32'000, "198.51.100.7"));
    CHECK(loginWaitMs(**store, "cb02", "198.51.100.7", t + 32'001).value() == 0);
    CHECK(loginWaitMs(**store, "cb02", "192.0.2.1", t + 31'000).value() == 1'000);
    // The caps: 15 minutes for an id, an hour for an address; a day without failures forgets.
    CHECK(loginDelayAfter(4, kiosk::district::LoginThrottlePolicy{}.idCapMs) == 0);
    CHECK(loginDelayAfter(9, LoginThrottlePolicy{}.idCapMs) == 512'000);
    CHECK(loginDelayAfter(10, LoginThrottlePolicy{}.idCapMs) == 15 * 60 * 1000);
    CHECK(loginDelayAfter(1000, LoginThrottlePolicy{}.addressCapMs) == 60 * 60 * 1000);
    CHECK(loginWaitMs(**store, "x", "192.0.2.1", t + 24 * 3600 * 1000 + 1).value() == 0);
    // An IPv6 client is counted by its /64.
    for (int i = 0; i < kFreeLoginFailures; ++i)
        CHECK(verifyDistrictOfficer(**store, "id-" + std::to_string(i), "sai roi", t,
                                    "2001:db8:1:2::" + std::to_string(i + 1))
                  .error()
                  .code == "login.failed");
    CHECK(loginWaitMs(**store, "moi", "2001:db8:1:2:ffff::9", t).value() == 32'000);
    CHECK(loginWaitMs(**store, "moi", "2001:db8:1:3::1", t).value() == 0);
}

TEST_CASE("district import: a holiday table and a catalog reach the kiosk on its next pull") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const e2e::Enrolled enrolled = e2e::enroll(db, "02374");
    ServerProcess server(db);
    e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
    kiosk.ok({"init", "--commune", "02374", "--server", server.url(), "--token", enrolled.token, "--slot",
              enrolled.slot});
    kiosk.ok({"sync", "--once", "--timeout", "30"});

    // A catalog with one new procedure; kiosks search it afterwards.
    const std::string catalog = dir.file("catalog.tsv");
    {
        std::ofstream out(catalog);
        out << "id\tcode\tname\tfield\tprocessing_time\tlimit_days\tlimit_working\tfee\tdocuments\tpostal\t"
               "where\tlegal_basis\n"
               "thu-tuc-moi\t\tThủ tục cấp giấy xác nhận thử nghiệm\tThử nghiệm\t3 ngày làm "
               "việc\t3\t1\tKhông\t"
               "Tờ khai\t\tUBND xã\tQuyết định thử nghiệm\n";
    }
    auto imported = district({"import", "catalog", catalog, "--db", db});
    INFO(imported.err);
    REQUIRE(imported.exitCode == 0);
    // A holiday table for a new year.
    const std::string holidays = dir.file("2031.tsv");
    {
        std::ofstream out(holidays);
        out << "date\tkind\tname\n2031-01-01\tholiday\tTết Dương lịch\n2031-09-02\tholiday\tQuốc khánh\n";
    }
    REQUIRE(district({"import", "holidays", holidays, "--db", db}).exitCode == 0);
    // A broken file changes nothing and says which line.
    const std::string broken = dir.file("broken.tsv");
    {
        std::ofstream out(broken);
        out << "date\tkind\tname\n2031-02-30\tholiday\tNgày không có\n";
    }
    auto refused = district({"import", "holidays", broken, "--db", db});
    CHECK(refused.exitCode == 2);
    CHECK(refused.err.find("2") != std::string::npos);

    kiosk.ok({"sync", "--once", "--timeout", "30"});
    auto found = kiosk.json({"search", "giấy xác nhận thử nghiệm"});
    REQUIRE(found.size() >= 1);
    CHECK(found[0]["name"] == "Thủ tục cấp giấy xác nhận thử nghiệm");
    // The kiosk keeps the older years' holidays beside the new one.
    kiosk::store::Database check = [&] {
        auto opened = kiosk::store::Database::open(dir.file("kiosk.db"), false);
        REQUIRE(opened);
        return std::move(*opened);
    }();
    auto st =
        check.prepare("SELECT count(*), sum(date LIKE '2031-%'), sum(date LIKE '2026-%') FROM holidays");
    REQUIRE(st);
    REQUIRE(st->step().value());
    CHECK(st->integer(1) == 2);
    CHECK(st->integer(2) > 0);
}

TEST_CASE("district act: a tố cáo's class sets its extensions, a kiến nghị has no acceptance") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const e2e::Enrolled enrolled = e2e::enroll(db, "02374");
    ServerProcess server(db);
    e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
    kiosk.ok({"init", "--commune", "02374", "--server", server.url(), "--token", enrolled.token, "--slot",
              enrolled.slot});
    const std::string denunciation = kiosk.ok(
        {"submit-petition", "--type", "to-cao", "--name", "Nguyễn Văn An", "--cccd", "008090001234",
         "--address", "Thôn 2", "--phone", "0912345678", "--content", "Tố cáo việc lấn chiếm đất công."});
    const std::string recommendation = kiosk.ok({"submit-petition", "--type", "kien-nghi", "--phone",
                                                 "0912345678", "--content", "Đề nghị sửa đường thôn."});
    kiosk.ok({"sync", "--once", "--timeout", "30"});
    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role",
                "inspector", "--password-stdin"},
               "mot mat khau dai\n");
    auto act = [&](const std::string& code, std::vector<std::string> action) {
        std::vector<std::string> args{"act", "--db", db, code, "--officer", "hcb01"};
        args.insert(args.end(), action.begin(), action.end());
        return district(args);
    };
    auto noAccept = act(recommendation, {"accept"});
    CHECK(noAccept.exitCode == 2);
    CHECK(noAccept.err.find("thụ lý") != std::string::npos);
    CHECK(act(recommendation, {"resolve", "--note", "Đã trả lời."}).exitCode == 0);

    REQUIRE(act(denunciation, {"accept"}).exitCode == 0);
    CHECK(act(denunciation, {"extend", "--note", "Cần thêm thời gian"}).exitCode == 2);
    auto once = act(denunciation, {"extend", "--note", "Phức tạp", "--complexity", "complex"});
    INFO(once.err);
    CHECK(once.exitCode == 0);
    CHECK(act(denunciation, {"extend", "--note", "Lần hai"}).exitCode == 2);
    CHECK(act(denunciation, {"extend", "--note", "Lần hai", "--complexity", "especially-complex"}).exitCode ==
          0);
    CHECK(act(denunciation, {"extend", "--note", "Lần ba"}).exitCode == 2);
}

TEST_CASE("district act: a transfer names its agency, a complaint is withdrawn in part, suspended, resumed") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const e2e::Enrolled enrolled = e2e::enroll(db, "02374");
    ServerProcess server(db);
    e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
    kiosk.ok({"init", "--commune", "02374", "--server", server.url(), "--token", enrolled.token, "--slot",
              enrolled.slot});
    kiosk.ok({"officer", "add", "--id", "cb01", "--name", "Hoàng Thị Dung", "--pin-stdin"}, "2468101214\n");
    e2e::registerOfficer(kiosk, db, "02374", "cb01");
    const std::string pin = "2468101214\n";
    // Received today (after 1 July 2026, the date petition_kinds.tsv gives): the new actions apply.
    const std::string complaint = kiosk.submit("Khiếu nại quyết định thu hồi đất và yêu cầu bồi thường.");
    const std::string recommendation = kiosk.ok({"submit-petition", "--type", "kien-nghi", "--phone",
                                                 "0912345678", "--content", "Đề nghị xử lý xe quá tải."});

    // At the commune: a transfer names an agency of the data; none or an unknown one is refused,
    // listing the choices in both languages.
    auto none = kiosk.run({"act", recommendation, "--officer", "cb01", "--pin-stdin", "transfer"}, pin);
    CHECK(none.exitCode != 0);
    CHECK(none.err.find("thanh-tra-tinh") != std::string::npos);
    auto unknown = kiosk.run(
        {"act", recommendation, "--officer", "cb01", "--pin-stdin", "transfer", "--agency", "cap-huyen"},
        pin);
    CHECK(unknown.exitCode != 0);
    CHECK(unknown.err.find("cap-huyen") != std::string::npos);
    CHECK(unknown.err.find("ubnd-tinh") != std::string::npos);
    kiosk.ok(
        {"act", recommendation, "--officer", "cb01", "--pin-stdin", "transfer", "--agency", "cong-an-tinh"},
        pin);
    auto passed = kiosk.json({"status", recommendation, "--phone-last4", "5678"});
    CHECK(passed["status"] == "transferred");
    CHECK(passed["overdue"] == false);
    CHECK(passed["agency"]["slug"] == "cong-an-tinh");
    CHECK(passed["agency"]["name"] == "Công an tỉnh Tuyên Quang");
    kiosk.ok({"sync", "--once", "--timeout", "30"});

    districtOk({"officer", "add", "--db", db, "--id", "hcb01", "--name", "Phạm Văn Giang", "--role",
                "officer", "--password-stdin"},
               "mot mat khau dai\n");
    auto act = [&](const std::string& code, std::vector<std::string> action) {
        std::vector<std::string> args{"act", "--db", db, code, "--officer", "hcb01", "--json"};
        args.insert(args.end(), action.begin(), action.end());
        return district(args);
    };
    auto json = [&](const testing_support::RunResult& r) {
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        return nlohmann::json::parse(r.out);
    };
    CHECK(json(act(complaint, {"accept"}))["status"] == "accepted");
    CHECK(act(complaint, {"withdraw-part"}).exitCode == 2);  // the part must be written
    CHECK(json(act(complaint, {"withdraw-part", "--note", "Yêu cầu bồi thường"}))["status"] == "accepted");
    CHECK(act(complaint, {"suspend"}).exitCode == 2);  // a reason is needed
    auto suspended = json(act(complaint, {"suspend", "--note", "Chờ kết quả giải quyết vụ án liên quan"}));
    CHECK(suspended["status"] == "suspended");
    CHECK(json(act(complaint, {"resume"}))["status"] == "accepted");
    auto badAgency = act(complaint, {"transfer", "--agency", "ubnd-huyen"});  // ended on 30 June 2025
    CHECK(badAgency.exitCode == 2);
    CHECK(badAgency.err.find("thanh-tra-tinh") != std::string::npos);
    CHECK(json(act(complaint, {"transfer", "--agency", "thanh-tra-tinh"}))["status"] == "transferred");

    kiosk.ok({"sync", "--once", "--timeout", "30"});
    auto status = kiosk.json({"status", complaint, "--phone-last4", "5678"});
    CHECK(status["status"] == "transferred");
    CHECK(status["agency"]["slug"] == "thanh-tra-tinh");
    CHECK(status["agency"]["name"] == "Thanh tra tỉnh Tuyên Quang");
    CHECK(status["withdrawn_parts"] == "Yêu cầu bồi thường");
    const std::string text = kiosk.ok({"status", complaint, "--phone-last4", "5678"});
    CHECK(text.find("Thanh tra tỉnh Tuyên Quang") != std::string::npos);
}
