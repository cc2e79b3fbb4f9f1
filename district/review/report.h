#pragma once
// The district's periodic report (`district-server report`, the dashboard's report page): what the
// district counts for its review conference (docs/domain.md "What the district counts"), district-wide
// and per commune, for a period and the same period of the previous year.
//
// Definitions (each also in docs/ARCHITECTURE.md's report section):
// - citizens received: lượt = receptions (one person or a group received together counts once),
//   with the number of people; vụ việc = distinct cases (each existing record's code once, each new
//   case once).
// - petitions received: received (legal date of receipt) within the period, by kind.
// - carried over (kỳ trước chuyển sang): received before the period and not closed before it, nor
//   transferred before it (while it stays transferred).
// - transferred (đã chuyển đơn): transferred to another agency within the period and still there;
//   such a petition leaves the pool to be resolved and is never overdue (deadlines.h clockRunning).
// - resolved (đã giải quyết): reached `resolved` within the period (the date of the deciding event,
//   by the actor's clock, UTC+7). Không thụ lý and rút đơn close a petition but are not counted as
//   resolved; they are shown apart.
// - to be resolved = carried over + received − transferred.
// - % resolved = resolved ÷ (carried over + received − transferred), the way Vietnamese reports count it; absent
//   when nothing was to be resolved.
// - overdue now: the legal clock runs and the due date is before today (deadlines.h).
// - average working days to resolve: from receipt to resolution, over those resolved in the period.
// - dossiers resolved: result ready within the period, classed early (before the due date), on time
//   (on it) or late (after it); delivered by post: delivered within the period with postal delivery.
// - satisfaction: the citizens' ratings the kiosks sent (district/office/ratings.h) given within
//   the period (by the kiosk's date, UTC+7), under the record's commune, by value
//   (rat-hai-long|hai-long|khong-hai-long) and by ticked criterion; plus ratings carried by events
//   ("rating": very-satisfied|satisfied|unsatisfied) of records closed or delivered within the period.
// - change: count and % against the same period of the previous year; no % when that was 0.
// It is not: HTTP, or where the numbers are shown. Reads the district store on the caller's thread.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/reference_data.h"
#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

// The figures of one unit (district or commune) for one period.
struct PeriodFigures {
    // tiếp công dân
    int64_t receptionVisits = 0;  // lượt
    int64_t receptionPeople = 0;
    int64_t receptionCases = 0;  // vụ việc
    // đơn thư
    int64_t petitionsReceived = 0;
    std::array<int64_t, 4> petitionsReceivedByKind{};  // indexed by PetitionKind
    int64_t petitionsCarriedOver = 0;
    int64_t petitionsResolved = 0;
    int64_t petitionsResolvedEarly = 0;          // before the due date in force when resolved
    int64_t petitionsResolvedOnTime = 0;         // on it
    int64_t petitionsResolvedLate = 0;           // after it
    int64_t petitionsNotAccepted = 0;            // không thụ lý within the period
    int64_t petitionsWithdrawn = 0;              // rút đơn within the period
    int64_t petitionsTransferred = 0;            // chuyển đơn within the period, still transferred
    int64_t resolveWorkingDays = 0;              // sum over the resolved, for the average
    std::optional<int64_t> petitionsOverdueNow;  // current period only
    // hồ sơ thủ tục hành chính
    int64_t dossiersReceived = 0;
    int64_t dossiersCarriedOver = 0;
    int64_t dossiersResolved = 0;
    int64_t dossiersEarly = 0;
    int64_t dossiersOnTime = 0;
    int64_t dossiersLate = 0;
    int64_t dossiersByPost = 0;
    int64_t dossiersRefused = 0;
    std::optional<int64_t> dossiersOverdueNow;
    // mức độ hài lòng
    int64_t ratingVerySatisfied = 0;
    int64_t ratingSatisfied = 0;
    int64_t ratingUnsatisfied = 0;
    std::map<std::string, int64_t> ratingCriteria;  // criterion id -> ratings that ticked it

    int64_t petitionsToResolve() const {
        return petitionsCarriedOver + petitionsReceived - petitionsTransferred;
    }
    // resolved ÷ to be resolved × 100, one decimal; nullopt when nothing was to resolve.
    std::optional<double> resolvedPercent() const;
    std::optional<double> averageWorkingDaysToResolve() const;  // one decimal
    int64_t ratings() const { return ratingVerySatisfied + ratingSatisfied + ratingUnsatisfied; }
};

// A unit whose records another now holds (units.h, Succession), as a report line lists it.
struct FormerUnit {
    std::string code;
    std::string name;  // its latest name
};

struct UnitReport {
    std::string code;  // commune code; for the whole, the code of the unit above the communes
    std::string name;
    PeriodFigures current;
    PeriodFigures previous;
    std::vector<FormerUnit> formerUnits;  // gồm cả: predecessors counted in this line, by code
    // Set when the unit ended before the period's last day and no succession names it: its cases
    // stay under its own code, and the report says nobody holds them yet (core/holdings.h).
    std::optional<Date> orphanedSince;
};

struct DistrictReport {
    Date from, to;                  // the period, inclusive
    Date previousFrom, previousTo;  // the same period one year earlier
    Date today;                     // "overdue now" is as of this day
    // Everything, the office's receptions included, named after the unit above the communes on `to`
    // (UnitMap::topOn: "Huyện Hàm Yên" before July 2025, "Tỉnh Tuyên Quang" under the 2025 map).
    UnitReport district;
    std::string districtNameEn;    // its English name
    std::string levelVi, levelEn;  // its level's words (unit_levels.tsv): "huyện"/"district"
    UnitReport districtOffice;     // receptions at that unit itself (tiếp công dân cấp huyện)
    // One line per commune as the map stands on `to`, by code: each code's records are counted
    // under its successor on that day, the previous year's included, so both periods compare the
    // same territory. A dissolved code no succession names keeps its own line while it has figures.
    std::vector<UnitReport> communes;
};

// The same dates one year earlier (29 February becomes 28 February).
Date sameDayPreviousYear(const Date& d);

// Errors: "report.period" (from after to), "db.*".
Result<DistrictReport> computeReport(DistrictStore& store, const Date& from, const Date& to,
                                     const ReferenceData& reference, const WorkingCalendar& calendar,
                                     const Date& today);

// (cur - prev) ÷ prev × 100, one decimal; nullopt when prev is 0.
std::optional<double> changePercent(int64_t current, int64_t previous);

// "Tiếp nhận 103 đơn, tăng 32 đơn so với cùng kỳ năm 2019; tổng số đơn phải giải quyết 118 (kỳ trước
// chuyển sang 15); đã giải quyết 96 đơn, đạt 81,4%" (decimal comma), or its English counterpart.
std::string petitionSentence(const UnitReport& unit, const DistrictReport& report, Lang lang);
// The whole plain-text report, as the district writes it.
std::string reportText(const DistrictReport& report, Lang lang);
// JSON: the district's keys at the top, "previous_period" (same keys), "change", "district_office",
// "communes" (each with "code", "name", "former_units" [{"code", "name"}], the same keys, its own
// "previous_period" and "change"). The whole's "code" and "name" are the unit above the communes;
// "name_en" and "level" {"vi", "en"} name it. The key names "district" and "district_office" stay as
// they were for the readers of earlier reports, whatever level the unit is.
nlohmann::json reportJson(const DistrictReport& report);
// CSV and the .xlsx workbook: district/review/report_table.h.

// Numbers as Vietnamese writes them: 1.234 and 81,4.
std::string viNumber(int64_t n);
std::string viDecimal(double value);

// [SECTION] monthly series (the dashboard's chart)

struct MonthFigures {
    std::string month;  // "YYYY-MM"
    int64_t petitionsReceived = 0;
    int64_t petitionsResolved = 0;
    int64_t dossiersReceived = 0;
    int64_t dossiersResolved = 0;
};
// The `months` months ending with today's, oldest first; commune "" = all.
Result<std::vector<MonthFigures>> monthlyFigures(DistrictStore& store, const Date& today, int months,
                                                 const std::string& commune = "");

}  // namespace kiosk::district
