// A year without a confirmed table of days off: the provisional Tết from lunar_new_year.tsv stands
// in (the last day of the old lunar year and mùng 1-4, docs/domain.md "Working days and holidays"),
// the year is known as provisional, and a confirmed table takes its place.
#include <catch2/catch.hpp>

#include "core/deadlines.h"
#include "core/reference_data.h"

using namespace kiosk;

namespace {

const ReferenceData& shipped() {
    static const ReferenceData data = [] {
        auto loaded = loadReferenceData(assetsDir());
        if (!loaded) FAIL(loaded.error().en);
        return *loaded;
    }();
    return data;
}

}  // namespace

TEST_CASE("provisional Tết: a deadline across Tết 2027 skips the provisional days", "[reference]") {
    const ReferenceData& data = shipped();
    REQUIRE(data.lunarNewYear.count(2027) == 1);
    CHECK(data.lunarNewYear.at(2027) == Date{2027, 2, 6});
    const WorkingCalendar calendar = data.calendar();
    // Thursday 4/2/2027 + 3 working days: Fri 5 (last day of the old year), Mon 8 and Tue 9 (mùng
    // 3, 4) are provisional days off; without them the deadline would be Tuesday 9/2.
    CHECK(calendar.addWorkingDays(Date{2027, 2, 4}, 3) == Date{2027, 2, 12});
    for (int day = 5; day <= 9; ++day) CHECK_FALSE(calendar.isWorkingDay(Date{2027, 2, day}));
    CHECK(calendar.isWorkingDay(Date{2027, 2, 10}));
    // The same through the deadline rules every program uses.
    Record r;
    r.kind = RecordKind::Petition;
    r.petitionKind = PetitionKind::Complaint;
    const Date due = dueFor(data.deadlineRules(), r, RecordStatus::Received, Date{2027, 2, 4});
    CHECK(due == calendar.addWorkingDays(Date{2027, 2, 4},
                                         data.petitionLimits.at(PetitionKind::Complaint).accept.days));
    CHECK(due > Date{2027, 2, 19});

    const std::set<int> provisional = data.provisionalHolidayYears();
    CHECK(provisional.count(2027) == 1);
    for (int confirmed : {2024, 2025, 2026}) CHECK(provisional.count(confirmed) == 0);
    // A year with no table at all gets the same provisional Tết (mùng 1 = 13/2/2029).
    CHECK(provisional.count(2029) == 1);
    CHECK_FALSE(calendar.isWorkingDay(Date{2029, 2, 12}));
    CHECK_FALSE(calendar.isWorkingDay(Date{2029, 2, 16}));
    CHECK(calendar.isWorkingDay(Date{2029, 2, 19}));
}

TEST_CASE("provisional Tết: the status line marks a table, a confirmed table replaces the guess",
          "[reference]") {
    const std::string rows =
        "date\tkind\tname\n2027-01-01\tholiday\tTết Dương lịch\n2027-02-05\tholiday\tTết\n"
        "2027-02-08\tholiday\tTết\n2027-02-09\tholiday\tTết\n2027-02-10\tholiday\tTết\n"
        "2027-02-11\tholiday\tTết\n";
    auto marked = parseHolidays("# Bảng tạm\n#  Status: Provisional \n" + rows);
    REQUIRE(marked);
    for (const HolidayEntry& h : *marked) CHECK(h.provisional);
    auto official = parseHolidays("# status: official\n" + rows);
    REQUIRE(official);
    for (const HolidayEntry& h : *official) CHECK_FALSE(h.provisional);
    // The status line counts only before the header.
    auto late = parseHolidays(rows + "# status: provisional\n");
    REQUIRE(late);
    CHECK_FALSE(late->front().provisional);

    ReferenceData data = shipped();
    std::vector<HolidayEntry> holidays;
    for (const HolidayEntry& h : data.holidays)
        if (h.date.year != 2027) holidays.push_back(h);
    holidays.insert(holidays.end(), official->begin(), official->end());
    addProvisionalTet(holidays, data.lunarNewYear);
    data.holidays = holidays;
    CHECK(data.provisionalHolidayYears().count(2027) == 0);
    const WorkingCalendar calendar = data.calendar();
    // The announced days, not the guess: Tuesday 9 to Thursday 11 off, nothing added around them.
    CHECK_FALSE(calendar.isWorkingDay(Date{2027, 2, 11}));
    CHECK(calendar.isWorkingDay(Date{2027, 2, 12}));
}
