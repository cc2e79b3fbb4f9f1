// Petitions received on paper at the server, through the real district-server program: the
// record it makes, its deadlines under the kiosks' rules, its receipt code (never a kiosk's), its
// sealed identity, the officers' list and the report.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <set>

#include "core/deadlines.h"
#include "core/receipt_code.h"
#include "district/office/keys.h"
#include "tests/support/district_support.h"
#include "tests/support/e2e_support.h"

using district_test::district;
using district_test::districtOk;
using testing_support::TempDir;

namespace {

// A district database with one kiosk of 02374 and one officer "cb01".
std::string districtWithOfficer(TempDir& dir) {
    const std::string db = dir.file("district.db");
    e2e::enroll(db, "02374");
    districtOk({"officer", "add", "--db", db, "--id", "cb01", "--name", "Phạm Văn Giang", "--role", "officer",
                "--password-stdin"},
               "mat-khau-dai-du\n");
    return db;
}

kiosk::Date today() { return kiosk::localFromUnix(int64_t(kiosk::wallClockMillis() / 1000)).date; }

}  // namespace

TEST_CASE(
    "district intake: a paper petition becomes a record with the kiosks' deadlines and counts in the "
    "report") {
    TempDir dir;
    const std::string db = districtWithOfficer(dir);
    // A working Monday, and the Saturday before it: that one counts as received on the Monday.
    const kiosk::Date monday = [] {
        kiosk::Date d = today().plusDays(-30);
        while (d.weekday() != 1) d = d.plusDays(-1);
        return d;
    }();
    const auto rules = district_test::reference().deadlineRules();
    for (const kiosk::Date& given : {monday, monday.plusDays(-2)}) {
        auto out = nlohmann::json::parse(districtOk({"intake",
                                                     "--db",
                                                     db,
                                                     "--officer",
                                                     "cb01",
                                                     "--kind",
                                                     "khieu-nai",
                                                     "--channel",
                                                     "post",
                                                     "--received",
                                                     given.iso(),
                                                     "--commune",
                                                     "02374",
                                                     "--name",
                                                     "Nguyễn Thị Lan",
                                                     "--cccd",
                                                     "008190001234",
                                                     "--phone",
                                                     "0912345678",
                                                     "--address",
                                                     "Thôn Khuôn Khoai",
                                                     "--summary",
                                                     "Khiếu nại việc thu hồi đất ruộng.",
                                                     "--json"}));
        const std::string code = out["code"];
        INFO(code);
        CHECK(code.substr(0, 7) == "0000000");
        CHECK(kiosk::parseReceiptCode(code));
        const kiosk::Date expectedOn = rules.calendar.nextWorkingDayOnOrAfter(given);
        CHECK(out["received_on"] == expectedOn.iso());
        kiosk::Record r;
        r.kind = kiosk::RecordKind::Petition;
        r.petitionKind = kiosk::PetitionKind::Complaint;
        r.commune = "00000";
        CHECK(out["due"] == kiosk::dueFor(rules, r, kiosk::RecordStatus::Received, expectedOn).iso());
    }
    // The plain text printed is the code alone.
    const std::string plain = districtOk({"intake", "--db", db, "--officer", "cb01", "--kind", "kien-nghi",
                                          "--channel", "in-person", "--received", today().iso()});
    CHECK(plain.size() == 16);

    // In the officers' list, and no check-codes complaint about the server's own series.
    const auto records = nlohmann::json::parse(districtOk({"records", "--db", db, "--json"}));
    REQUIRE(records.size() == 3);
    for (const auto& rec : records) CHECK(rec["status"] == "received");
    CHECK(district({"check-codes", "--db", db}).exitCode == 0);

    // The report counts them as received and to be resolved, at the server's own unit.
    const kiosk::Date from = std::min(monday.plusDays(-2), kiosk::Date{today().year, 1, 1});
    // (One came today: on a day off it counts as received on the next working day.)
    const auto report = nlohmann::json::parse(districtOk(
        {"report", "--db", db, "--from", from.iso(), "--to", today().plusDays(10).iso(), "--json"}));
    INFO(report.dump());
    CHECK(report["petitions_received"] == 3);
    CHECK(report["district_office"]["petitions_received"] == 3);

    // The identity and summary exist only sealed: not in the database file, yet the server opens them.
    const std::string bytes = testing_support::fileBytes(db) + testing_support::fileBytes(db + "-wal");
    CHECK(bytes.find("Nguyễn Thị Lan") == std::string::npos);
    CHECK(bytes.find("008190001234") == std::string::npos);
    CHECK(bytes.find("thu hồi đất") == std::string::npos);
    auto store = kiosk::district::DistrictStore::open(db, false);
    REQUIRE(store);
    auto sealed = kiosk::district::sealedPrivatePart(**store, records[0]["code"].get<std::string>());
    REQUIRE(sealed);
    REQUIRE(*sealed);
    auto opened = kiosk::district::openSealedPrivatePart(**store, **sealed);
    REQUIRE(opened);
    CHECK(opened->identity.name == "Nguyễn Thị Lan");
    CHECK(opened->content == "Khiếu nại việc thu hồi đất ruộng.");
}

TEST_CASE("district intake: refusals leave nothing, in the command-line contract's way") {
    TempDir dir;
    const std::string db = districtWithOfficer(dir);
    const std::vector<std::string> base{"intake",    "--db", db,           "--officer",  "cb01",
                                        "--channel", "post", "--received", today().iso()};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return district(args);
    };
    // A denunciation needs the denouncer's name, as at a kiosk.
    CHECK(with({"--kind", "to-cao"}).exitCode == 2);
    CHECK(with({"--kind", "gop-y"}).exitCode == 2);
    CHECK(with({"--kind", "kien-nghi", "--commune", "99999"}).exitCode == 2);
    CHECK(with({"--kind", "kien-nghi", "--phone", "12"}).exitCode == 2);
    auto future = district({"intake", "--db", db, "--officer", "cb01", "--channel", "post", "--kind",
                            "phan-anh", "--received", today().plusDays(2).iso(), "--lang", "en"});
    CHECK(future.exitCode == 2);
    CHECK(future.err.find("future") != std::string::npos);
    CHECK(district({"intake", "--db", db, "--officer", "nobody", "--channel", "post", "--kind", "phan-anh",
                    "--received", today().iso()})
              .exitCode == 2);
    CHECK(nlohmann::json::parse(districtOk({"records", "--db", db, "--json"})).empty());
    CHECK(district({"intake", "--help"}).exitCode == 0);
}

TEST_CASE("district intake: the server's codes never collide with a kiosk's") {
    TempDir dir;
    const std::string db = districtWithOfficer(dir);
    // No commune carries the server's prefix, so no kiosk is ever enrolled for it.
    for (const auto& c : district_test::reference().communes) CHECK(c.code != "00000");
    CHECK(district({"enroll-kiosk", "--db", db, "--commune", "00000"}).exitCode == 2);
    // Many intakes within one 6-second unit still get distinct codes of the server's series.
    std::set<std::string> codes;
    for (int i = 0; i < 12; ++i)
        codes.insert(districtOk({"intake", "--db", db, "--officer", "cb01", "--kind", "phan-anh", "--channel",
                                 "post", "--received", today().iso()}));
    CHECK(codes.size() == 12);
    for (const std::string& code : codes) {
        auto parsed = kiosk::parseReceiptCode(code);
        REQUIRE(parsed);
        CHECK(parsed->commune == "00000");
        CHECK(parsed->slot == 0);
    }
    // A kiosk's code of every commune and slot differs in its first five digits.
    for (const auto& c : district_test::reference().communes)
        for (int slot = 0; slot <= 99; ++slot)
            CHECK(kiosk::makeReceiptCode(c.code, slot, 12345).substr(0, 5) != "00000");
}
