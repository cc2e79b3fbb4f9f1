// Civil dates, UTC+7 local time and the working-day calendar (calendar.h).
//
// [SECTION] Civil date arithmetic
// [SECTION] Local time at UTC+7
// [SECTION] WorkingCalendar
// [SECTION] Date of receipt
#include "core/calendar.h"

#include <cstdio>
#include <utility>

namespace kiosk {

// [SECTION] Civil date arithmetic ---------------------------------------------------------------
//
// Proleptic Gregorian calendar counted in 400-year eras of 146097 days, with the year starting on
// 1 March so that the leap day falls at the end of it (the well-known "days from civil" method).
// Exact for every date, negative years included, with no tables and no time zone.

namespace {

bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && isLeapYear(year)) return 29;
    return kDays[month - 1];
}

// Floor division: C++ division truncates toward zero, which would put instants before 1970 on the
// wrong day.
int64_t floorDiv(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

}  // namespace

int64_t Date::toDays() const {
    const int64_t y = static_cast<int64_t>(year) - (month <= 2 ? 1 : 0);
    const int64_t era = floorDiv(y, 400);
    const int64_t yearOfEra = y - era * 400;                           // [0, 399]
    const int64_t shiftedMonth = month > 2 ? month - 3 : month + 9;    // March = 0
    const int64_t dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1;  // [0, 365]
    const int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

Date Date::fromDays(int64_t days) {
    const int64_t z = days + 719468;
    const int64_t era = floorDiv(z, 146097);
    const int64_t dayOfEra = z - era * 146097;  // [0, 146096]
    const int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const int64_t shiftedMonth = (5 * dayOfYear + 2) / 153;
    Date d;
    d.day = static_cast<int>(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    d.month = static_cast<int>(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    d.year = static_cast<int>(yearOfEra + era * 400 + (d.month <= 2 ? 1 : 0));
    return d;
}

std::string Date::iso() const {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    return buffer;
}

std::optional<Date> Date::parse(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto number = [&](size_t at, size_t length) -> std::optional<int> {
        int value = 0;
        for (size_t i = at; i < at + length; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const auto year = number(0, 4);
    const auto month = number(5, 2);
    const auto day = number(8, 2);
    if (!year || !month || !day) return std::nullopt;
    if (*year < 1 || *month < 1 || *month > 12) return std::nullopt;
    if (*day < 1 || *day > daysInMonth(*year, *month)) return std::nullopt;
    return Date{*year, *month, *day};
}

int Date::weekday() const {
    // 1970-01-01 was a Thursday (4).
    const int64_t shifted = toDays() + 4;
    return static_cast<int>(shifted - floorDiv(shifted, 7) * 7);
}

// [SECTION] Local time at UTC+7 -----------------------------------------------------------------

LocalDateTime localFromUnix(int64_t unixSeconds) {
    const int64_t local = unixSeconds + kVietnamUtcOffsetSeconds;
    const int64_t days = floorDiv(local, 86400);
    const int64_t secondOfDay = local - days * 86400;
    return LocalDateTime{Date::fromDays(days), static_cast<int>(secondOfDay / 60)};
}

std::string isoLocalTime(int64_t unixSeconds) {
    const int64_t local = unixSeconds + kVietnamUtcOffsetSeconds;
    const int64_t days = floorDiv(local, 86400);
    const int64_t secondOfDay = local - days * 86400;
    const Date date = Date::fromDays(days);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d+07:00", date.iso().c_str(),
                  static_cast<int>(secondOfDay / 3600), static_cast<int>(secondOfDay / 60 % 60),
                  static_cast<int>(secondOfDay % 60));
    return buffer;
}

// [SECTION] WorkingCalendar ---------------------------------------------------------------------

WorkingCalendar::WorkingCalendar(std::set<Date> holidays, std::set<Date> makeUpWorkdays)
    : m_holidays(std::move(holidays)), m_makeUpWorkdays(std::move(makeUpWorkdays)) {}

bool WorkingCalendar::isWorkingDay(const Date& d) const {
    // A day in both tables is a data error; staying closed is the safer reading for a citizen
    // (a deadline never falls on a day the office may be shut).
    if (m_holidays.count(d) != 0) return false;
    if (m_makeUpWorkdays.count(d) != 0) return true;
    const int weekday = d.weekday();
    return weekday != 0 && weekday != 6;
}

Date WorkingCalendar::addWorkingDays(const Date& start, int n) const {
    // Day by day: limits are short (at most a few months) and the tables are small, so this is
    // cheap and obviously right. Terminates because the holiday table is finite.
    int64_t day = start.toDays();
    const int step = n >= 0 ? 1 : -1;
    for (int remaining = n >= 0 ? n : -n; remaining > 0;) {
        day += step;
        if (isWorkingDay(Date::fromDays(day))) --remaining;
    }
    return Date::fromDays(day);
}

int WorkingCalendar::workingDaysBetween(const Date& from, const Date& to) const {
    int count = 0;
    for (int64_t day = from.toDays() + 1, end = to.toDays(); day <= end; ++day) {
        if (isWorkingDay(Date::fromDays(day))) ++count;
    }
    return count;
}

Date WorkingCalendar::nextWorkingDayOnOrAfter(const Date& d) const {
    int64_t day = d.toDays();
    while (!isWorkingDay(Date::fromDays(day))) ++day;
    return Date::fromDays(day);
}

// [SECTION] Date of receipt ---------------------------------------------------------------------

Date receivedDate(const WorkingCalendar& calendar, const OfficeHours& hours, int64_t unixSeconds) {
    // The date of the first office-hours moment at or after the submission: a petition left at the
    // kiosk at 6:00 on a working day is received when the office opens that morning; one left at
    // 17:00 or later, or on a day off, is received on the next working day.
    const LocalDateTime local = localFromUnix(unixSeconds);
    if (calendar.isWorkingDay(local.date) && local.minuteOfDay < hours.closeMinute) {
        return local.date;
    }
    return calendar.nextWorkingDayOnOrAfter(local.date.plusDays(1));
}

}  // namespace kiosk
