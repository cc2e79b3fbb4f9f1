// Civil dates, UTC+7 local time and the working-day calendar, checked against the 2024-2026 days
// off published for public servants (the official tables in docs/domain.md, copied inline below so the
// test does not depend on a loader).
#include <catch2/catch.hpp>

#include "core/calendar.h"

using kiosk::Date;
using kiosk::WorkingCalendar;

namespace {

Date d(const char* iso) {
    auto parsed = Date::parse(iso);
    REQUIRE(parsed.has_value());
    return *parsed;
}

// The holiday and make-up tables of holidays.tsv, 2024-2026.
WorkingCalendar publishedCalendar() {
    std::set<Date> holidays;
    for (const char* iso :
         {"2024-01-01", "2024-02-08", "2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13",
          "2024-02-14", "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02", "2024-09-03",
          "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07",
          "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02", "2026-01-01", "2026-01-02",
          "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-26", "2026-04-27",
          "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02"}) {
        holidays.insert(d(iso));
    }
    std::set<Date> makeUp{d("2024-05-04"), d("2025-04-26"), d("2026-01-10"), d("2026-08-22")};
    return WorkingCalendar(holidays, makeUp);
}

// Unix seconds of a local (UTC+7) wall-clock time.
int64_t localUnix(const char* iso, int hour, int minute) {
    return d(iso).toDays() * 86400 + hour * 3600 + minute * 60 - kiosk::kVietnamUtcOffsetSeconds;
}

// An independent day counter, month by month, to check the closed-form arithmetic against.
bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int monthLength(int y, int m) {
    const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : lengths[m - 1];
}

}  // namespace

TEST_CASE("days since 1970 match a naive day-by-day count, 1600-2400", "[calendar]") {
    Date date{1970, 1, 1};
    int64_t days = 0;
    // Forward to 2400.
    while (date.year < 2400) {
        REQUIRE(date.toDays() == days);
        REQUIRE(Date::fromDays(days) == date);
        if (++date.day > monthLength(date.year, date.month)) {
            date.day = 1;
            if (++date.month > 12) {
                date.month = 1;
                ++date.year;
            }
        }
        ++days;
    }
    // Backward to 1600: negative day numbers must not be off by one.
    date = Date{1970, 1, 1};
    days = 0;
    while (date.year >= 1600) {
        REQUIRE(date.toDays() == days);
        REQUIRE(Date::fromDays(days) == date);
        if (--date.day < 1) {
            if (--date.month < 1) {
                date.month = 12;
                --date.year;
            }
            date.day = monthLength(date.year, date.month);
        }
        --days;
    }
}

TEST_CASE("known day numbers and weekdays", "[calendar]") {
    CHECK(Date{1970, 1, 1}.toDays() == 0);
    CHECK(Date{1969, 12, 31}.toDays() == -1);
    CHECK(Date{2000, 1, 1}.toDays() == 10957);
    CHECK(Date{2024, 1, 1}.toDays() == 19723);
    CHECK(Date{1970, 1, 1}.weekday() == 4);    // Thursday
    CHECK(Date{1969, 12, 31}.weekday() == 3);  // Wednesday, before the epoch
    CHECK(Date{1969, 12, 28}.weekday() == 0);  // Sunday
    CHECK(Date{2000, 2, 29}.weekday() == 2);   // Tuesday
    CHECK(d("2025-01-29").weekday() == 3);     // mùng 1 Tết Ất Tỵ, Wednesday
    CHECK(d("2025-04-26").weekday() == 6);     // the make-up Saturday
    CHECK(d("2026-04-26").weekday() == 0);     // Giỗ Tổ 2026 falls on a Sunday
    CHECK(Date{2024, 12, 31}.plusDays(1) == Date{2025, 1, 1});
    CHECK(Date{2024, 3, 1}.plusDays(-1) == Date{2024, 2, 29});
    CHECK(Date{2023, 3, 1}.plusDays(-1) == Date{2023, 2, 28});
}

TEST_CASE("Date::parse accepts only real YYYY-MM-DD dates", "[calendar]") {
    CHECK(Date::parse("2024-02-29") == Date{2024, 2, 29});
    CHECK(Date::parse("2000-02-29") == Date{2000, 2, 29});
    CHECK(Date::parse("2025-12-31") == Date{2025, 12, 31});
    CHECK(Date::parse("2025-01-05")->iso() == "2025-01-05");
    for (const char* bad :
         {"2025-02-30", "2023-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
          "2025-01-32", "0000-01-01", "2025-1-05", "2025-01-5", "2025/01/05", "2025-01-05 ", " 2025-01-05",
          "+025-01-05", "2025-01-0x", "20250105", "", "2025-01-05T00:00"}) {
        INFO(bad);
        CHECK_FALSE(Date::parse(bad).has_value());
    }
    CHECK(Date{7, 3, 9}.iso() == "0007-03-09");
}

TEST_CASE("local time is UTC+7, also before 1970", "[calendar]") {
    auto start = kiosk::localFromUnix(0);
    CHECK(start.date == Date{1970, 1, 1});
    CHECK(start.minuteOfDay == 7 * 60);
    auto before = kiosk::localFromUnix(-7 * 3600 - 1);
    CHECK(before.date == Date{1969, 12, 31});
    CHECK(before.minuteOfDay == 1439);
    CHECK(kiosk::localFromUnix(1704042000).date == Date{2024, 1, 1});
    CHECK(kiosk::localFromUnix(1704042000).minuteOfDay == 0);
    CHECK(kiosk::localFromUnix(1704041999).date == Date{2023, 12, 31});
    CHECK(kiosk::isoLocalTime(0) == "1970-01-01T07:00:00+07:00");
    CHECK(kiosk::isoLocalTime(1704042000) == "2024-01-01T00:00:00+07:00");
    CHECK(kiosk::isoLocalTime(localUnix("2025-01-28", 23, 59) + 59) == "2025-01-28T23:59:59+07:00");
    CHECK(kiosk::isoLocalTime(-1) == "1970-01-01T06:59:59+07:00");
}

TEST_CASE("weekends are off, weekdays work, with an empty table", "[calendar]") {
    WorkingCalendar plain;
    CHECK(plain.isWorkingDay(d("2025-03-07")));        // Friday
    CHECK_FALSE(plain.isWorkingDay(d("2025-03-08")));  // Saturday
    CHECK_FALSE(plain.isWorkingDay(d("2025-03-09")));  // Sunday
    CHECK(plain.isWorkingDay(d("2025-03-10")));        // Monday
    CHECK(plain.addWorkingDays(d("2025-03-07"), 1) == d("2025-03-10"));
    CHECK(plain.addWorkingDays(d("2025-03-08"), 1) == d("2025-03-10"));
    CHECK(plain.addWorkingDays(d("2025-03-03"), 10) == d("2025-03-17"));
    CHECK(plain.addWorkingDays(d("2025-03-08"), 0) == d("2025-03-08"));  // n = 0 gives start
    CHECK(plain.addWorkingDays(d("2025-03-10"), -1) == d("2025-03-07"));
    CHECK(plain.nextWorkingDayOnOrAfter(d("2025-03-08")) == d("2025-03-10"));
    CHECK(plain.nextWorkingDayOnOrAfter(d("2025-03-10")) == d("2025-03-10"));
}

TEST_CASE("Tết 2025: nine days off from 25/1 to 2/2", "[calendar]") {
    const auto calendar = publishedCalendar();
    CHECK(calendar.isWorkingDay(d("2025-01-24")));
    for (auto day = d("2025-01-25"); day <= d("2025-02-02"); day = day.plusDays(1)) {
        INFO(day.iso());
        CHECK_FALSE(calendar.isWorkingDay(day));
    }
    CHECK(calendar.isWorkingDay(d("2025-02-03")));
    CHECK(calendar.addWorkingDays(d("2025-01-24"), 1) == d("2025-02-03"));
    // 10 working days from Monday 20/1: 21-24 (4), then 3/2-7/2 (9), 10/2 (10).
    CHECK(calendar.addWorkingDays(d("2025-01-20"), 10) == d("2025-02-10"));
    CHECK(calendar.workingDaysBetween(d("2025-01-20"), d("2025-02-10")) == 10);
    CHECK(calendar.workingDaysBetween(d("2025-01-24"), d("2025-02-02")) == 0);
    CHECK(calendar.nextWorkingDayOnOrAfter(d("2025-01-27")) == d("2025-02-03"));
    CHECK(calendar.addWorkingDays(d("2025-02-03"), -1) == d("2025-01-24"));
}

TEST_CASE("make-up Saturdays are working days", "[calendar]") {
    const auto calendar = publishedCalendar();
    CHECK(calendar.isWorkingDay(d("2025-04-26")));  // làm bù cho 02/05/2025
    CHECK_FALSE(calendar.isWorkingDay(d("2025-05-02")));
    CHECK_FALSE(calendar.isWorkingDay(d("2025-04-19")));  // an ordinary Saturday
    CHECK(calendar.isWorkingDay(d("2026-01-10")));
    CHECK(calendar.isWorkingDay(d("2024-05-04")));
    // Friday 25/4/2025 + 1 is the make-up Saturday, + 2 Monday 28/4, + 3 Tuesday 29/4; then 30/4,
    // 1/5, 2/5 and the weekend are off: + 4 is Monday 5/5.
    CHECK(calendar.addWorkingDays(d("2025-04-25"), 1) == d("2025-04-26"));
    CHECK(calendar.addWorkingDays(d("2025-04-25"), 3) == d("2025-04-29"));
    CHECK(calendar.addWorkingDays(d("2025-04-25"), 4) == d("2025-05-05"));
    CHECK(calendar.workingDaysBetween(d("2025-04-25"), d("2025-05-05")) == 4);
}

TEST_CASE("year ends and a holiday on a Sunday", "[calendar]") {
    const auto calendar = publishedCalendar();
    CHECK(calendar.addWorkingDays(d("2024-12-31"), 1) == d("2025-01-02"));
    CHECK(calendar.addWorkingDays(d("2025-12-31"), 1) == d("2026-01-05"));  // 1/1, 2/1, weekend
    CHECK(calendar.addWorkingDays(d("2026-01-09"), 1) == d("2026-01-10"));  // make-up Saturday
    CHECK(calendar.addWorkingDays(d("2026-04-24"), 1) == d("2026-04-28"));  // Giỗ Tổ Sun + Mon
    CHECK(calendar.workingDaysBetween(d("2025-12-31"), d("2025-12-31")) == 0);
    CHECK(calendar.workingDaysBetween(d("2026-01-05"), d("2025-12-31")) == 0);  // to <= from
    // Every day of 2025: 365 days, 104 weekend days, 12 weekday holidays, 1 make-up Saturday.
    CHECK(calendar.workingDaysBetween(d("2024-12-31"), d("2025-12-31")) == 365 - 104 - 12 + 1);
}

TEST_CASE("addWorkingDays and workingDaysBetween agree", "[calendar]") {
    const auto calendar = publishedCalendar();
    for (auto start = d("2024-01-01"); start <= d("2026-12-31"); start = start.plusDays(3)) {
        for (int n : {1, 2, 5, 10, 30}) {
            const Date end = calendar.addWorkingDays(start, n);
            INFO(start.iso() << " + " << n);
            REQUIRE(calendar.isWorkingDay(end));
            REQUIRE(calendar.workingDaysBetween(start, end) == n);
            REQUIRE(calendar.workingDaysBetween(start, end.plusDays(-1)) == n - 1);
        }
    }
}

TEST_CASE("date of receipt follows office hours and working days", "[calendar]") {
    const auto calendar = publishedCalendar();
    const kiosk::OfficeHours hours;  // 7:30-17:00
    using kiosk::receivedDate;
    // Within hours on a working day: that day.
    CHECK(receivedDate(calendar, hours, localUnix("2025-03-05", 9, 0)) == d("2025-03-05"));
    CHECK(receivedDate(calendar, hours, localUnix("2025-03-05", 16, 59)) == d("2025-03-05"));
    // Before opening on a working day: received when the office opens that morning.
    CHECK(receivedDate(calendar, hours, localUnix("2025-03-05", 6, 0)) == d("2025-03-05"));
    // 17:00 and after: the next working day.
    CHECK(receivedDate(calendar, hours, localUnix("2025-03-05", 17, 0)) == d("2025-03-06"));
    CHECK(receivedDate(calendar, hours, localUnix("2025-03-05", 23, 59)) == d("2025-03-06"));
    // After 17:00 on Friday: Monday.
    CHECK(receivedDate(calendar, hours, localUnix("2025-03-07", 17, 30)) == d("2025-03-10"));
    CHECK(receivedDate(calendar, hours, localUnix("2025-03-08", 10, 0)) == d("2025-03-10"));
    CHECK(receivedDate(calendar, hours, localUnix("2025-03-09", 10, 0)) == d("2025-03-10"));
    // A make-up Saturday is a working day; the Sunday after is not.
    CHECK(receivedDate(calendar, hours, localUnix("2025-04-26", 10, 0)) == d("2025-04-26"));
    CHECK(receivedDate(calendar, hours, localUnix("2025-04-27", 10, 0)) == d("2025-04-28"));
    // Evening before 30/4: past 30/4, 1/5, 2/5 and the weekend.
    CHECK(receivedDate(calendar, hours, localUnix("2025-04-29", 18, 0)) == d("2025-05-05"));
    // During Tết, and on New Year's Eve after hours.
    CHECK(receivedDate(calendar, hours, localUnix("2025-01-29", 10, 0)) == d("2025-02-03"));
    CHECK(receivedDate(calendar, hours, localUnix("2024-12-31", 17, 1)) == d("2025-01-02"));
    // The day boundary is local midnight, not UTC midnight: 23:30 UTC on 4/3 is 06:30 on 5/3.
    const int64_t utcLate = d("2025-03-04").toDays() * 86400 + 23 * 3600 + 30 * 60;
    CHECK(receivedDate(calendar, hours, utcLate) == d("2025-03-05"));
    // Configurable hours.
    kiosk::OfficeHours late{8 * 60, 17 * 60 + 30};
    CHECK(receivedDate(calendar, late, localUnix("2025-03-05", 17, 15)) == d("2025-03-05"));
}
