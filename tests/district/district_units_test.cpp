// The district's unit map as data: `district-server import units|succession` (refusals naming the
// line or the codes, nothing half-stored), the lists that follow a succession (`records --commune`),
// and the review report grouped under the units of its end date. Real SQLite files, the real
// district-server. The succession rows here are a test fixture, not a claim about the 2025 merger.
#include <httplib.h>

#include <fstream>

#include "core/unit_map_json.h"
#include "district/office/reference_import.h"
#include "district/review/report.h"
#include "kiosk/store/kiosk_store.h"
#include "tests/support/district_support.h"
#include "tests/support/dashboard_session.h"
#include "tests/support/e2e_support.h"

using district_test::district;
using district_test::districtOk;
using district_test::localUnix;
using district_test::Seeder;
using kiosk::Date;
using kiosk::PetitionKind;
using testing_support::TempDir;

namespace {

// The 2025 map as shipped (assets/maps/tuyen-quang-2025/units.tsv).
std::string map2025Path() {
    return (kiosk::assetsDir() / "maps" / "tuyen-quang-2025" / "units.tsv").string();
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// Test fixture: two former communes merged into 02374 on 1 July 2025.
const char* kSuccessionFixture =
    "# test fixture\n"
    "old_code\tnew_code\teffective_date\n"
    "02377\t02374\t2025-07-01\n"
    "02383\t02374\t2025-07-01\n";

// The shipped reference data with the 2025 map and the fixture's successions.
kiosk::ReferenceData reference2025() {
    kiosk::ReferenceData ref = district_test::reference();
    auto units = kiosk::parseUnits(readAll(map2025Path()));
    REQUIRE(units);
    auto successions = kiosk::parseSuccessions(kSuccessionFixture, kiosk::UnitMap(*units, {}));
    REQUIRE(successions);
    ref.units = kiosk::UnitMap(*units, *successions);
    ref.communes = kiosk::communesOf(ref.units);
    return ref;
}

int64_t count(kiosk::store::Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    REQUIRE(st);
    REQUIRE(st->step().value());
    return st->integer(0);
}

}  // namespace

TEST_CASE("district import units: bad rows are refused by line, codes in use are kept, nothing stored") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    {
        Seeder seeder(db);
        seeder.petition("02377", PetitionKind::Recommendation, localUnix(Date{2025, 3, 3}, 9));
        seeder.flush();
    }
    // A unit of an unknown level on line 4 (the comment and the header come first).
    const std::string bad = dir.file("bad.tsv");
    write(bad,
          "# units\ncode\tname\tlevel\tparent\tvalid_from\tvalid_to\n08\tTỉnh Tuyên Quang\tprovince\t\t\t\n"
          "02374\tXã Hàm Yên\tvillage\t08\t\t\n");
    auto refused = district({"import", "units", bad, "--db", db});
    CHECK(refused.exitCode == 2);
    CHECK(refused.err.find("Dòng 4") != std::string::npos);
    // A table without 02377, which has a record: refused, naming it.
    const std::string without = dir.file("without.tsv");
    write(without,
          "code\tname\tlevel\tparent\tvalid_from\tvalid_to\n08\tTỉnh Tuyên Quang\tprovince\t\t\t\n"
          "02374\tXã Hàm Yên\tcommune\t08\t\t\n");
    auto missing = district({"import", "units", without, "--db", db});
    CHECK(missing.exitCode == 2);
    CHECK(missing.err.find("02377") != std::string::npos);
    // A succession naming a code the units in force do not know, on line 3.
    const std::string chain = dir.file("succession.tsv");
    write(chain, "old_code\tnew_code\teffective_date\n02377\t02374\t2025-07-01\n99999\t02374\t2025-07-01\n");
    auto unknown = district({"import", "succession", chain, "--db", db});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err.find("Dòng 2") != std::string::npos);  // the default map: 02374 still exists then

    auto opened = kiosk::store::Database::open(db, false);
    REQUIRE(opened);
    CHECK(count(*opened, "SELECT count(*) FROM reference_imports WHERE kind IN ('units','succession')") == 0);
    CHECK(count(*opened, "SELECT count(*) FROM changes WHERE type = 'units'") == 0);
}

TEST_CASE("district import units then succession: records --commune 02374 lists a 02377 record") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    std::string former, own;
    {
        Seeder seeder(db);
        former = seeder.petition("02377", PetitionKind::Recommendation, localUnix(Date{2025, 3, 3}, 9));
        own = seeder.petition("02374", PetitionKind::Recommendation, localUnix(Date{2025, 3, 4}, 9));
        seeder.petition("02380", PetitionKind::Recommendation, localUnix(Date{2025, 3, 4}, 9));
        seeder.flush();
    }
    const std::string chain = dir.file("succession.tsv");
    write(chain, kSuccessionFixture);
    // Against the default map the succession is refused: 02377 still exists on 2025-07-01.
    CHECK(district({"import", "succession", chain, "--db", db}).exitCode == 2);
    auto units = nlohmann::json::parse(districtOk({"import", "units", map2025Path(), "--db", db, "--json"}));
    CHECK(units["kind"] == "units");
    districtOk({"import", "succession", chain, "--db", db});

    auto list = nlohmann::json::parse(districtOk({"records", "--db", db, "--commune", "02374", "--json"}));
    std::map<std::string, nlohmann::json> byCode;
    for (const auto& r : list) byCode[r["code"].get<std::string>()] = r;
    REQUIRE(byCode.size() == 2);
    REQUIRE(byCode.count(former) == 1);
    CHECK(byCode[former]["commune"] == "02377");
    CHECK(byCode[former]["former_unit"] == "Xã Yên Thuận");
    CHECK(byCode[own]["former_unit"].is_null());
    const std::string text = districtOk({"records", "--db", db, "--commune", "02374"});
    CHECK(text.find(former) != std::string::npos);
    CHECK(text.find("Xã Yên Thuận") != std::string::npos);

    // Both imports published the whole map to every kiosk.
    auto opened = kiosk::store::Database::open(db, false);
    REQUIRE(opened);
    CHECK(count(*opened, "SELECT count(*) FROM changes WHERE type = 'units' AND commune = ''") == 2);
    auto st = opened->prepare("SELECT body FROM changes WHERE type = 'units' ORDER BY seq DESC LIMIT 1");
    REQUIRE(st);
    REQUIRE(st->step().value());
    const auto body = nlohmann::json::parse(st->text(0));
    CHECK(body["successions"].size() == 2);
    CHECK(body["units"].size() == 28);
}

TEST_CASE("district report: before the merger the old units, after it the successor with its predecessors") {
    TempDir dir;
    Seeder seeder(dir.file("district.db"));
    // The year before: 02374 one, 02377 two. The half-year before the merger: 02374 two, 02377
    // three, 02383 one. After it, one more under the former code 02377 (a kiosk not yet re-enrolled).
    seeder.petition("02374", PetitionKind::Recommendation, localUnix(Date{2024, 3, 4}, 9));
    for (int i = 0; i < 2; ++i)
        seeder.petition("02377", PetitionKind::Recommendation, localUnix(Date{2024, 3, 5}, 9));
    for (int i = 0; i < 2; ++i)
        seeder.petition("02374", PetitionKind::Recommendation, localUnix(Date{2025, 3, 4}, 9));
    for (int i = 0; i < 3; ++i)
        seeder.petition("02377", PetitionKind::Recommendation, localUnix(Date{2025, 3, 5}, 9));
    seeder.petition("02383", PetitionKind::Recommendation, localUnix(Date{2025, 3, 6}, 9));
    seeder.petition("02377", PetitionKind::Recommendation, localUnix(Date{2025, 8, 5}, 9));
    seeder.flush();
    const kiosk::ReferenceData ref = reference2025();
    const auto line = [](const kiosk::district::DistrictReport& r, const std::string& code) {
        for (const auto& u : r.communes)
            if (u.code == code) return &u;
        return static_cast<const kiosk::district::UnitReport*>(nullptr);
    };

    // Ends the day before the merger: the 18 old communes, each with its own figures.
    auto before = kiosk::district::computeReport(seeder.store(), Date{2025, 1, 1}, Date{2025, 6, 30}, ref,
                                                 ref.calendar(), Date{2025, 6, 30});
    REQUIRE(before);
    CHECK(before->district.name == "Huyện Hàm Yên");
    CHECK(before->communes.size() == 18);
    REQUIRE(line(*before, "02377"));
    CHECK(line(*before, "02377")->current.petitionsReceived == 3);
    CHECK(line(*before, "02377")->previous.petitionsReceived == 2);
    CHECK(line(*before, "02374")->current.petitionsReceived == 2);
    CHECK(line(*before, "02374")->previous.petitionsReceived == 1);
    CHECK(line(*before, "02374")->formerUnits.empty());
    CHECK(line(*before, "02374")->name == "Thị trấn Tân Yên");
    const std::string beforeText = kiosk::district::reportText(*before, kiosk::Lang::Vi);
    CHECK(beforeText.find("Huyện Hàm Yên, từ ngày 01/01/2025") != std::string::npos);
    CHECK(beforeText.find("tại cấp huyện") != std::string::npos);

    // Ends after it: 02377 and 02383 counted under 02374, the previous year aggregated the same way.
    auto after = kiosk::district::computeReport(seeder.store(), Date{2025, 1, 1}, Date{2025, 12, 31}, ref,
                                                ref.calendar(), Date{2025, 12, 31});
    REQUIRE(after);
    CHECK(after->district.code == "08");
    CHECK(after->district.name == "Tỉnh Tuyên Quang");
    CHECK(after->communes.size() == 8);
    CHECK(line(*after, "02377") == nullptr);
    CHECK(line(*after, "02383") == nullptr);
    const auto* merged = line(*after, "02374");
    REQUIRE(merged);
    CHECK(merged->name == "Xã Hàm Yên");
    CHECK(merged->current.petitionsReceived == 2 + 3 + 1 + 1);
    CHECK(merged->previous.petitionsReceived == 1 + 2);
    REQUIRE(merged->formerUnits.size() == 2);
    CHECK(merged->formerUnits[0].code == "02377");
    CHECK(after->district.current.petitionsReceived == 7);
    CHECK(after->district.previous.petitionsReceived == 3);
    const std::string text = kiosk::district::reportText(*after, kiosk::Lang::Vi);
    CHECK(text.find("Tỉnh Tuyên Quang, từ ngày 01/01/2025") != std::string::npos);
    CHECK(text.find("Xã Hàm Yên (02374, gồm cả xã Yên Thuận (02377), xã Minh Khương (02383))") !=
          std::string::npos);
    CHECK(text.find("tại cấp tỉnh") != std::string::npos);
    CHECK(text.find("Huyện Hàm Yên") == std::string::npos);
    const std::string en = kiosk::district::reportText(*after, kiosk::Lang::En);
    CHECK(en.find("Tuyên Quang province, 2025-01-01") != std::string::npos);
    const nlohmann::json j = kiosk::district::reportJson(*after);
    CHECK(j["code"] == "08");
    CHECK(j["name"] == "Tỉnh Tuyên Quang");
    CHECK(j["level"]["vi"] == "tỉnh");
    CHECK(j["district_office"]["name"] == "Cấp tỉnh (UBND tỉnh)");
    bool found = false;
    for (const auto& c : j["communes"])
        if (c["code"] == "02374") {
            found = true;
            CHECK(c["former_units"].size() == 2);
            CHECK(c["former_units"][1]["name"] == "Xã Minh Khương");
        }
    CHECK(found);
}

TEST_CASE("district import units: a kiosk gets the map on its next pull and keeps it after a restart") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const e2e::Enrolled enrolled = e2e::enroll(db, "02374");
    district_test::ServerProcess server(db);
    e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
    kiosk.ok({"init", "--commune", "02374", "--server", server.url(), "--token", enrolled.token, "--slot",
              enrolled.slot});
    kiosk.ok({"sync", "--once", "--timeout", "30"});
    {
        // Before any import the kiosk holds the map it was set up with.
        auto store = kiosk::store::KioskStore::open(dir.file("kiosk.db"));
        REQUIRE(store);
        CHECK((*store)->communeName() == "Thị trấn Tân Yên");
        CHECK((*store)->reference().units.find("02374", Date{2025, 8, 1}) != nullptr);
    }
    const std::string chain = dir.file("succession.tsv");
    write(chain, kSuccessionFixture);
    districtOk({"import", "units", map2025Path(), "--db", db});
    districtOk({"import", "succession", chain, "--db", db});
    kiosk.ok({"sync", "--once", "--timeout", "30"});

    // A new process opens the file, as the kiosk program and kioskctl do at start.
    auto store = kiosk::store::KioskStore::open(dir.file("kiosk.db"));
    REQUIRE(store);
    const kiosk::ReferenceData& ref = (*store)->reference();
    const kiosk::AdminUnit* unit = ref.units.find("02374", Date{2025, 8, 1});
    REQUIRE(unit);
    CHECK(unit->name == "Xã Hàm Yên");
    CHECK(ref.units.find("02377", Date{2025, 8, 1}) == nullptr);
    CHECK(ref.units.successor("02377", Date{2025, 8, 1}) == "02374");
    CHECK(ref.units.holdings("02374", Date{2025, 8, 1}) ==
          std::vector<std::string>{"02374", "02377", "02383"});
    REQUIRE(ref.units.topOn(Date{2025, 8, 1}));
    CHECK(ref.units.topOn(Date{2025, 8, 1})->name == "Tỉnh Tuyên Quang");
    CHECK(ref.levelName(kiosk::UnitLevel::Province, false) == "tỉnh");
    CHECK((*store)->communeName() == "Xã Hàm Yên");
    CHECK(ref.commune("02377") != nullptr);  // a dissolved code keeps its name for old records
}

TEST_CASE("dashboard import units: the running server's lists and report follow the map at once") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    std::string former;
    {
        Seeder seeder(db);
        former = seeder.petition("02377", PetitionKind::Recommendation, localUnix(Date{2025, 3, 3}, 9));
        seeder.petition("02374", PetitionKind::Recommendation, localUnix(Date{2025, 3, 4}, 9));
        seeder.flush();
    }
    districtOk({"officer", "add", "--db", db, "--id", "qt01", "--name", "Lê Văn Quản", "--role", "admin",
                "--password-stdin"},
               "mat-khau-quan-tri\n");
    district_test::ServerProcess server(db);
    httplib::Client c("127.0.0.1", server.port());
    const httplib::Headers headers = testing_support::dashboardActionSession(c, "qt01", "mat-khau-quan-tri");
    const auto get = [&](const std::string& path) {
        auto res = c.Get(path.c_str(), headers);
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 200);
        return nlohmann::json::parse(res->body);
    };
    CHECK(get("/dash/api/records?commune=02374")["records"].size() == 1);

    for (const auto& [kind, text] : {std::pair<std::string, std::string>{"units", readAll(map2025Path())},
                                     {"succession", kSuccessionFixture}}) {
        auto res = c.Post("/dash/api/import", headers, nlohmann::json{{"kind", kind}, {"text", text}}.dump(),
                          "application/json");
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 200);
    }
    const auto list = get("/dash/api/records?commune=02374")["records"];
    REQUIRE(list.size() == 2);
    bool fromFormer = false;
    for (const auto& r : list)
        if (r["code"] == former) fromFormer = r["former_unit"] == "Xã Yên Thuận";
    CHECK(fromFormer);
    const auto report = get("/dash/api/report?from=2025-01-01&to=2025-12-31");
    CHECK(report["name"] == "Tỉnh Tuyên Quang");
    CHECK(report["communes"].size() == 8);
}
