// The district report (district/review/report.h): figures over a generated dataset spanning two years
// checked against an independent count made here from what the generator did; the Vietnamese
// sentence for a known dataset; the JSON keys and the CSV's BOM.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "district/office/officers.h"
#include "district/office/receptions.h"
#include "district/review/report.h"
#include "district/review/report_table.h"
#include "tests/support/district_support.h"

using namespace kiosk;
using namespace kiosk::district;
using district_test::localUnix;
using district_test::Seeder;

namespace {

const std::vector<std::string>& communeCodes() {
    static const std::vector<std::string> codes = [] {
        std::vector<std::string> out;
        for (const Commune& c : district_test::reference().communes) out.push_back(c.code);
        return out;
    }();
    return codes;
}

// What the generator did to one record, for the independent count.
struct Truth {
    std::string commune;
    bool petition = true;
    int petitionKind = 0;
    Date received;
    std::optional<Date> finished;  // closing (or result-ready) date
    RecordStatus status = RecordStatus::Received;
    std::optional<Date> delivered;
    bool post = false;
    std::string rating;
    Date due;  // read back from the district after the pushes
};

struct ReceptionTruth {
    std::string commune;  // "" = district office
    Date on;
    int people = 1;
    std::string caseKey;
};

// The independent count: plain loops over what was generated, nothing shared with report.cpp.
PeriodFigures expected(const std::vector<Truth>& records, const std::vector<ReceptionTruth>& receptions,
                       const std::string& commune, const Date& from, const Date& to, const Date* today,
                       const WorkingCalendar& calendar) {
    PeriodFigures f;
    auto in = [&](const std::optional<Date>& d) { return d && *d >= from && *d <= to; };
    for (const Truth& t : records) {
        if (!commune.empty() && t.commune != commune) continue;
        const bool received = t.received >= from && t.received <= to;
        const bool carried = t.received < from && (!t.finished || *t.finished >= from);
        if (t.petition) {
            if (received) {
                ++f.petitionsReceived;
                ++f.petitionsReceivedByKind[size_t(t.petitionKind)];
            }
            if (carried) ++f.petitionsCarriedOver;
            if (in(t.finished)) {
                if (t.status == RecordStatus::Resolved) {
                    ++f.petitionsResolved;
                    f.resolveWorkingDays += calendar.workingDaysBetween(t.received, *t.finished);
                    if (*t.finished < t.due)
                        ++f.petitionsResolvedEarly;
                    else if (*t.finished == t.due)
                        ++f.petitionsResolvedOnTime;
                    else
                        ++f.petitionsResolvedLate;
                }
                if (t.status == RecordStatus::NotAccepted) ++f.petitionsNotAccepted;
                if (t.status == RecordStatus::Withdrawn) ++f.petitionsWithdrawn;
            }
        } else {
            if (received) ++f.dossiersReceived;
            if (carried) ++f.dossiersCarriedOver;
            if (in(t.finished)) {
                if (t.status == RecordStatus::ResultReady || t.status == RecordStatus::Delivered) {
                    ++f.dossiersResolved;
                    if (*t.finished < t.due)
                        ++f.dossiersEarly;
                    else if (*t.finished == t.due)
                        ++f.dossiersOnTime;
                    else
                        ++f.dossiersLate;
                }
                if (t.status == RecordStatus::Refused) ++f.dossiersRefused;
            }
            if (t.post && in(t.delivered)) ++f.dossiersByPost;
        }
        if (!t.rating.empty() && (in(t.delivered) || (!t.delivered && in(t.finished)))) {
            if (t.rating == "very-satisfied") ++f.ratingVerySatisfied;
            if (t.rating == "satisfied") ++f.ratingSatisfied;
            if (t.rating == "unsatisfied") ++f.ratingUnsatisfied;
        }
        if (today) {
            const bool running = t.status == RecordStatus::Received || t.status == RecordStatus::Accepted ||
                                 t.status == RecordStatus::Processing;
            if (running && t.due < *today) {
                auto& overdue = t.petition ? f.petitionsOverdueNow : f.dossiersOverdueNow;
                overdue = overdue.value_or(0) + 1;
            }
        }
    }
    if (today) {
        f.petitionsOverdueNow = f.petitionsOverdueNow.value_or(0);
        f.dossiersOverdueNow = f.dossiersOverdueNow.value_or(0);
    }
    std::set<std::string> cases;
    for (const ReceptionTruth& r : receptions) {
        if (commune == "-office-" ? !r.commune.empty() : (!commune.empty() && r.commune != commune)) continue;
        if (r.on < from || r.on > to) continue;
        ++f.receptionVisits;
        f.receptionPeople += r.people;
        cases.insert(r.caseKey);
    }
    f.receptionCases = int64_t(cases.size());
    return f;
}

void requireSame(const PeriodFigures& got, const PeriodFigures& want, const std::string& what) {
    INFO(what);
    CHECK(got.receptionVisits == want.receptionVisits);
    CHECK(got.receptionPeople == want.receptionPeople);
    CHECK(got.receptionCases == want.receptionCases);
    CHECK(got.petitionsReceived == want.petitionsReceived);
    CHECK(got.petitionsReceivedByKind == want.petitionsReceivedByKind);
    CHECK(got.petitionsCarriedOver == want.petitionsCarriedOver);
    CHECK(got.petitionsResolved == want.petitionsResolved);
    CHECK(got.petitionsResolvedEarly == want.petitionsResolvedEarly);
    CHECK(got.petitionsResolvedOnTime == want.petitionsResolvedOnTime);
    CHECK(got.petitionsResolvedLate == want.petitionsResolvedLate);
    CHECK(got.petitionsNotAccepted == want.petitionsNotAccepted);
    CHECK(got.petitionsWithdrawn == want.petitionsWithdrawn);
    CHECK(got.resolveWorkingDays == want.resolveWorkingDays);
    CHECK(got.petitionsOverdueNow == want.petitionsOverdueNow);
    CHECK(got.dossiersReceived == want.dossiersReceived);
    CHECK(got.dossiersCarriedOver == want.dossiersCarriedOver);
    CHECK(got.dossiersResolved == want.dossiersResolved);
    CHECK(got.dossiersEarly == want.dossiersEarly);
    CHECK(got.dossiersOnTime == want.dossiersOnTime);
    CHECK(got.dossiersLate == want.dossiersLate);
    CHECK(got.dossiersByPost == want.dossiersByPost);
    CHECK(got.dossiersRefused == want.dossiersRefused);
    CHECK(got.dossiersOverdueNow == want.dossiersOverdueNow);
    CHECK(got.ratingVerySatisfied == want.ratingVerySatisfied);
    CHECK(got.ratingSatisfied == want.ratingSatisfied);
    CHECK(got.ratingUnsatisfied == want.ratingUnsatisfied);
}

}  // namespace

TEST_CASE("district report: figures over two generated years match an independent count") {
    testing_support::TempDir dir;
    Seeder seeder(dir.file("district.db"));
    const WorkingCalendar calendar = district_test::reference().calendar();
    const Date first{2025, 1, 2};
    const Date last{2026, 10, 15};
    const Date today = last;
    std::mt19937 random(20261126);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };

    // A procedure whose processing time the catalog knows, so dossiers have real due dates.
    std::string procedure;
    for (const Procedure& p : district_test::reference().procedures)
        if (p.limit && p.limit->days > 0) {
            procedure = p.id;
            break;
        }
    REQUIRE(!procedure.empty());

    std::vector<std::string> codes;
    std::vector<Truth> truth;
    const int64_t span = last.toDays() - first.toDays();
    for (int i = 0; i < 1800; ++i) {
        Truth t;
        t.commune = communeCodes()[size_t(pick(0, int(communeCodes().size()) - 1))];
        Date day = first.plusDays(pick(0, int(span)));
        while (!calendar.isWorkingDay(day)) day = day.plusDays(1);
        if (day > last) continue;
        t.received = day;
        t.petition = pick(0, 9) < 6;
        // Each later step happens on a working day at least one day after the previous one, unless
        // it would fall after the last day of the data.
        auto later = [&](const Date& from, int lo, int hi) -> std::optional<Date> {
            Date d = from.plusDays(pick(lo, hi));
            while (!calendar.isWorkingDay(d)) d = d.plusDays(1);
            if (d > last) return std::nullopt;
            return d;
        };
        std::string code;
        if (t.petition) {
            t.petitionKind = pick(0, 3);
            code = seeder.petition(t.commune, PetitionKind(t.petitionKind), localUnix(day, 9));
            const int path = pick(0, 19);
            if (path < 3) {
                // left received
            } else if (path < 5) {
                if (auto d = later(day, 1, 3)) {
                    // A kiến nghị or phản ánh is never refused acceptance (it has none): it is answered.
                    const bool reply = PetitionKind(t.petitionKind) == PetitionKind::Recommendation ||
                                       PetitionKind(t.petitionKind) == PetitionKind::Feedback;
                    seeder.act(code, reply ? Action::Resolve : Action::Reject, localUnix(*d, 10),
                               "Không thuộc thẩm quyền.");
                    t.status = reply ? RecordStatus::Resolved : RecordStatus::NotAccepted;
                    t.finished = d;
                }
            } else if (path < 6) {
                if (auto d = later(day, 1, 20)) {
                    seeder.act(code, Action::Withdraw, localUnix(*d, 10));
                    t.status = RecordStatus::Withdrawn;
                    t.finished = d;
                }
            } else if (auto accepted = later(day, 1, 8)) {
                // A kiến nghị or phản ánh has no acceptance: it stays received until answered.
                const bool reply = PetitionKind(t.petitionKind) == PetitionKind::Recommendation ||
                                   PetitionKind(t.petitionKind) == PetitionKind::Feedback;
                if (!reply) seeder.act(code, Action::Accept, localUnix(*accepted, 10));
                t.status = reply ? RecordStatus::Received : RecordStatus::Accepted;
                if (path >= 8) {
                    if (auto resolved = later(*accepted, 1, 55)) {
                        seeder.act(code, Action::Resolve, localUnix(*resolved, 15), "Đã trả lời công dân.");
                        t.status = RecordStatus::Resolved;
                        t.finished = resolved;
                    }
                }
            }
        } else {
            t.post = pick(0, 9) < 3;
            code = seeder.dossier(t.commune, procedure, localUnix(day, 9),
                                  t.post ? Delivery::Post : Delivery::Counter);
            if (auto processing = later(day, 1, 2); processing && pick(0, 9) > 0) {
                seeder.act(code, Action::Process, localUnix(*processing, 10));
                t.status = RecordStatus::Processing;
                if (pick(0, 9) < 1) {
                    if (auto d = later(*processing, 1, 3)) {
                        seeder.act(code, Action::Reject, localUnix(*d, 11), "Hồ sơ không hợp lệ.");
                        t.status = RecordStatus::Refused;
                        t.finished = d;
                    }
                } else if (auto ready = later(*processing, 0, 12)) {
                    seeder.act(code, Action::Ready, localUnix(*ready, 14));
                    t.status = RecordStatus::ResultReady;
                    t.finished = ready;
                    if (auto delivered = later(*ready, 0, 4); delivered && pick(0, 3) > 0) {
                        nlohmann::json payload = nlohmann::json::object();
                        const int rating = pick(0, 4);
                        if (rating > 0) {
                            t.rating = rating == 1   ? "unsatisfied"
                                       : rating == 2 ? "satisfied"
                                                     : "very-satisfied";
                            payload["rating"] = t.rating;
                        }
                        seeder.act(code, Action::Deliver, localUnix(*delivered, 16), "", payload);
                        t.status = RecordStatus::Delivered;
                        t.delivered = delivered;
                    }
                }
            }
        }
        codes.push_back(code);
        truth.push_back(t);
    }
    seeder.flush();
    for (size_t i = 0; i < truth.size(); ++i) {
        auto r = seeder.store().record(codes[i]);
        REQUIRE(r);
        REQUIRE(r->has_value());
        REQUIRE((*r)->status == truth[i].status);  // the state machine did what the generator meant
        truth[i].due = (*r)->due;
    }

    // Receptions: at the communes (sent by their kiosks) and at the district office; some about
    // existing records, several about the same one, the rest new cases.
    std::vector<ReceptionTruth> receptions;
    std::map<std::string, std::vector<Reception>> fromKiosks;
    REQUIRE(addDistrictOfficer(seeder.store(),
                               DistrictOfficer{"tcd01", "Lê Văn Cường", OfficerRole::Officer, false},
                               "mat-khau-dai-1", 0));
    for (int i = 0; i < 300; ++i) {
        ReceptionTruth t;
        t.on = first.plusDays(pick(0, int(span)));
        t.people = pick(1, 6) == 6 ? pick(2, 12) : 1;
        const bool existing = pick(0, 2) == 0;
        const size_t which = size_t(pick(0, 40));  // a few records, so cases repeat
        const bool atDistrict = pick(0, 4) == 0;
        if (atDistrict) {
            DistrictReceptionInput input;
            input.officerId = "tcd01";
            input.date = t.on;
            input.people = t.people;
            input.caseCode = existing ? codes[which] : "new";
            auto added =
                addDistrictReception(seeder.store(), input, communeCodes(), localUnix(last, 12) * 1000);
            REQUIRE(added);
            t.commune = "";
            t.caseKey = existing ? codes[which] : added->uuid;
        } else {
            Reception r;
            r.uuid = newUuid();
            r.at = localUnix(t.on, 10);
            r.people = t.people;
            r.officerId = "cb01";
            t.commune = communeCodes()[size_t(pick(0, int(communeCodes().size()) - 1))];
            if (existing) r.caseCode = codes[which];
            t.caseKey = existing ? codes[which] : r.uuid;
            fromKiosks[t.commune].push_back(r);
        }
        receptions.push_back(t);
    }
    for (const auto& [commune, list] : fromKiosks) {
        auto& db = seeder.store().database();
        REQUIRE(db.exec("BEGIN IMMEDIATE"));
        auto stored = storeKioskReceptions(seeder.store(), seeder.kiosk(commune), list, 0);
        REQUIRE(stored);
        CHECK(stored->stored == int(list.size()));
        // A resend (the kiosk never heard the answer) is not counted twice.
        auto again = storeKioskReceptions(seeder.store(), seeder.kiosk(commune), list, 0);
        REQUIRE(again);
        CHECK(again->duplicate == int(list.size()));
        REQUIRE(db.exec("COMMIT"));
    }

    for (const auto& [from, to] :
         {std::pair{Date{2026, 1, 1}, Date{2026, 9, 30}}, std::pair{Date{2026, 3, 15}, Date{2026, 8, 1}},
          std::pair{Date{2025, 12, 1}, Date{2026, 2, 28}}}) {
        INFO("period " << from.iso() << " .. " << to.iso());
        auto report = computeReport(seeder.store(), from, to, district_test::reference(), calendar, today);
        REQUIRE(report);
        CHECK(report->previousFrom == sameDayPreviousYear(from));
        requireSame(report->district.current, expected(truth, receptions, "", from, to, &today, calendar),
                    "district");
        requireSame(
            report->district.previous,
            expected(truth, receptions, "", report->previousFrom, report->previousTo, nullptr, calendar),
            "district, previous year");
        requireSame(report->districtOffice.current,
                    expected({}, receptions, "-office-", from, to, nullptr, calendar), "district office");
        REQUIRE(report->communes.size() == communeCodes().size());
        for (const UnitReport& unit : report->communes) {
            requireSame(unit.current, expected(truth, receptions, unit.code, from, to, &today, calendar),
                        unit.code);
            requireSame(unit.previous,
                        expected(truth, receptions, unit.code, report->previousFrom, report->previousTo,
                                 nullptr, calendar),
                        unit.code + ", previous year");
        }
        // The dataset is meant to exercise every branch; a silent zero would make the check hollow.
        CHECK(report->district.current.petitionsCarriedOver > 0);
        CHECK(report->district.current.petitionsResolved > 0);
        CHECK(report->district.previous.petitionsReceived > 0);
        CHECK(report->district.current.dossiersByPost > 0);
        CHECK(report->district.current.receptionCases < report->district.current.receptionVisits);

        const nlohmann::json j = reportJson(*report);
        const PeriodFigures& c = report->district.current;
        CHECK(j["petitions_received"] == c.petitionsReceived);
        CHECK(j["petitions_carried_over"] == c.petitionsCarriedOver);
        CHECK(j["petitions_resolved"] == c.petitionsResolved);
        const double percent = std::round(1000.0 * double(c.petitionsResolved) /
                                          double(c.petitionsCarriedOver + c.petitionsReceived)) /
                               10.0;
        CHECK(j["resolved_percent"].get<double>() == Approx(percent));
        CHECK(j["resolved_percent"].get<double>() > 1.0);  // a percentage, not a fraction
        CHECK(j["previous_period"]["petitions_received"] == report->district.previous.petitionsReceived);
        CHECK_FALSE(j["previous_period"].contains("previous_period"));
        REQUIRE(j["communes"].size() == communeCodes().size());
        for (const auto& unit : j["communes"]) {
            CHECK(unit.contains("code"));
            CHECK(unit.contains("petitions_received"));
            CHECK(unit.contains("resolved_percent"));
            CHECK(unit["previous_period"].contains("petitions_carried_over"));
        }
        const std::string csv = reportCsv(*report);
        CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
        CHECK(std::count(csv.begin(), csv.end(), '\n') == long(communeCodes().size()) + 3);
    }
}

TEST_CASE("district report: the Vietnamese sentence for a known dataset (the district's 2020 review)") {
    testing_support::TempDir dir;
    Seeder seeder(dir.file("district.db"));
    const std::string commune = "02374";
    // 2019: 71 petitions received in January–September; 15 of the 2019 ones still open on 1/1/2020.
    std::vector<std::string> open2019;
    for (int i = 0; i < 71; ++i) {
        const Date day = Date{2019, 3, 4}.plusDays(i % 5);  // Monday to Friday
        const std::string code = seeder.petition(commune, PetitionKind::Recommendation, localUnix(day, 9));
        if (i < 15) {
            open2019.push_back(code);
        } else {
            seeder.act(code, Action::Resolve, localUnix(Date{2019, 5, 6}, 10), "Đã trả lời.");
        }
    }
    // 2020: 103 received; 96 resolved in the period — the 15 carried over and 81 of the new ones.
    for (const std::string& code : open2019)
        seeder.act(code, Action::Resolve, localUnix(Date{2020, 2, 3}, 10), "Đã trả lời.");
    for (int i = 0; i < 103; ++i) {
        const Date day = Date{2020, 6, 1}.plusDays(i % 5);
        const std::string code = seeder.petition(commune, PetitionKind(i % 4), localUnix(day, 9));
        if (i < 81) {
            if (PetitionKind(i % 4) == PetitionKind::Complaint ||
                PetitionKind(i % 4) == PetitionKind::Denunciation)
                seeder.act(code, Action::Accept, localUnix(Date{2020, 6, 8}, 10));
            seeder.act(code, Action::Resolve, localUnix(Date{2020, 7, 1}, 10), "Đã giải quyết.");
        }
    }
    seeder.flush();
    auto report =
        computeReport(seeder.store(), Date{2020, 1, 1}, Date{2020, 9, 30}, district_test::reference(),
                      district_test::reference().calendar(), Date{2020, 9, 30});
    REQUIRE(report);
    CHECK(petitionSentence(report->district, *report, Lang::Vi) ==
          "Tiếp nhận 103 đơn, tăng 32 đơn so với cùng kỳ năm 2019; tổng số đơn phải giải quyết 118 (kỳ trước "
          "chuyển sang 15); đã giải quyết 96 đơn, đạt 81,4%");
    CHECK(petitionSentence(report->district, *report, Lang::En) ==
          "Received 103 petitions, 32 petitions more than in the same period of 2019; 118 to be resolved in "
          "all "
          "(15 carried over); resolved 96 petitions, 81.4%");
    const std::string text = reportText(*report, Lang::Vi);
    CHECK(text.find("Tiếp nhận 103 đơn, tăng 32 đơn so với cùng kỳ năm 2019; tổng số đơn phải giải quyết 118 "
                    "(kỳ trước chuyển sang 15); đã giải quyết 96 đơn, đạt 81,4%.") != std::string::npos);
    CHECK(text.find("+45,1%") != std::string::npos);  // 32 ÷ 71
    const nlohmann::json j = reportJson(*report);
    CHECK(j["resolved_percent"].get<double>() == Approx(81.4));
    CHECK(j["change"]["petitions_received"]["count"] == 32);
    CHECK(j["change"]["petitions_received"]["percent"].get<double>() == Approx(45.1));

    // A period with nothing the year before: a change in count but no percentage.
    auto empty =
        computeReport(seeder.store(), Date{2019, 1, 1}, Date{2019, 9, 30}, district_test::reference(),
                      district_test::reference().calendar(), Date{2020, 9, 30});
    REQUIRE(empty);
    const nlohmann::json e = reportJson(*empty);
    CHECK(e["change"]["petitions_received"]["count"] == 71);
    CHECK(e["change"]["petitions_received"]["percent"].is_null());
    CHECK(petitionSentence(empty->district, *empty, Lang::Vi).find("tăng 71 đơn so với cùng kỳ năm 2018") !=
          std::string::npos);
}

TEST_CASE("district report: numbers written the Vietnamese way") {
    CHECK(viNumber(0) == "0");
    CHECK(viNumber(999) == "999");
    CHECK(viNumber(1000) == "1.000");
    CHECK(viNumber(1234567) == "1.234.567");
    CHECK(viDecimal(81.355) == "81,4");
    CHECK(viDecimal(5) == "5,0");
    CHECK(changePercent(103, 71).value() == Approx(45.1));
    CHECK_FALSE(changePercent(5, 0).has_value());
    CHECK(sameDayPreviousYear(Date{2024, 2, 29}) == Date{2023, 2, 28});
}

TEST_CASE("district report CSV: text cells cannot start a formula, negative numbers stay numbers") {
    DistrictReport r;
    r.from = Date{2026, 1, 1};
    r.to = Date{2026, 3, 31};
    r.district.code = "074";
    r.district.name = "Huyện Tân Yên";
    r.district.current.petitionsReceived = 2;
    r.district.previous.petitionsReceived = 5;  // change: -3 and -60.0 %
    for (const char* name : {"=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"}) {
        UnitReport u;
        u.code = name;
        u.name = name;
        r.communes.push_back(u);
    }
    const std::string csv = reportCsv(r);
    INFO(csv);
    CHECK(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\",\"'=HYPERLINK(") != std::string::npos);
    CHECK(csv.find("\n'+1,'+1,") != std::string::npos);
    CHECK(csv.find("\n'-2+3,'-2+3,") != std::string::npos);
    CHECK(csv.find("\n'@SUM(A1),'@SUM(A1),") != std::string::npos);
    CHECK(csv.find("\n'\tTab,") != std::string::npos);
    CHECK(csv.find("\n\"'\rCR\",") != std::string::npos);
    // The district's row: the negative change is a number a spreadsheet can add up.
    CHECK(csv.find(",2,5,-3,-60.0,") != std::string::npos);
}

TEST_CASE("district report: a transferred petition leaves the pool to resolve and is never overdue") {
    testing_support::TempDir dir;
    Seeder seeder(dir.file("district.db"));
    const std::string commune = "02374";
    const auto kind = PetitionKind::Recommendation;
    // 2019: one transferred before the period (not carried over), one still open (carried over).
    const std::string gone = seeder.petition(commune, kind, localUnix(Date{2019, 3, 4}, 9));
    seeder.act(gone, Action::Transfer, localUnix(Date{2019, 5, 6}, 10), "", {{"agency", "thanh-tra-tinh"}});
    seeder.petition(commune, kind, localUnix(Date{2019, 3, 5}, 9));
    // 2020: ten received; three transferred, two answered, five open past their date.
    for (int i = 0; i < 10; ++i) {
        const std::string code = seeder.petition(commune, kind, localUnix(Date{2020, 6, 1}, 9));
        if (i < 3)
            seeder.act(code, Action::Transfer, localUnix(Date{2020, 6, 10}, 10), "",
                       {{"agency", "ubnd-tinh"}});
        else if (i < 5)
            seeder.act(code, Action::Resolve, localUnix(Date{2020, 6, 10}, 10), "Đã trả lời.");
    }
    seeder.flush();
    auto report =
        computeReport(seeder.store(), Date{2020, 1, 1}, Date{2020, 9, 30}, district_test::reference(),
                      district_test::reference().calendar(), Date{2020, 9, 30});
    REQUIRE(report);
    const PeriodFigures& f = report->district.current;
    CHECK(f.petitionsReceived == 10);
    CHECK(f.petitionsCarriedOver == 1);
    CHECK(f.petitionsTransferred == 3);
    CHECK(f.petitionsToResolve() == 8);  // 1 carried over + 10 received - 3 passed on
    CHECK(f.petitionsResolved == 2);
    CHECK(f.petitionsOverdueNow == 6);  // the five open and the one carried over; none transferred
    const nlohmann::json j = reportJson(*report);
    CHECK(j["petitions_transferred"] == 3);
    CHECK(j["petitions_to_resolve"] == 8);
}
