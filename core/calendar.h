#pragma once
// Dates and the working-day calendar (docs/domain.md "Working days and holidays").
// A Date is a civil date with no time zone; the kiosk and district both live at UTC+7.
// WorkingCalendar knows weekends, public holidays and Saturday make-up working days from a
// per-year table in assets (editable by the district). Pure; safe from any thread once built.
#include <compare>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace kiosk {

struct Date {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31

    // Days since 1970-01-01 (may be negative); the inverse is fromDays.
    int64_t toDays() const;
    static Date fromDays(int64_t days);
    // "YYYY-MM-DD"; parse refuses anything else, including impossible dates like 2025-02-30.
    std::string iso() const;
    static std::optional<Date> parse(const std::string& text);
    int weekday() const;  // 0 = Sunday .. 6 = Saturday
    Date plusDays(int64_t n) const { return fromDays(toDays() + n); }

    auto operator<=>(const Date&) const = default;
};

// Local civil time at UTC+7 (Vietnam has no daylight saving).
constexpr int64_t kVietnamUtcOffsetSeconds = 7 * 3600;
struct LocalDateTime {
    Date date;
    int minuteOfDay = 0;  // 0..1439
};
LocalDateTime localFromUnix(int64_t unixSeconds);
// "YYYY-MM-DDTHH:MM:SS+07:00"
std::string isoLocalTime(int64_t unixSeconds);

class WorkingCalendar {
public:
    // holidays: days off; makeUpWorkdays: Saturdays (or Sundays) declared working days.
    WorkingCalendar(std::set<Date> holidays, std::set<Date> makeUpWorkdays);
    WorkingCalendar() = default;

    bool isWorkingDay(const Date& d) const;
    // The n-th working day after start (start itself does not count); n = 0 gives start.
    Date addWorkingDays(const Date& start, int n) const;
    // Working days in (from, to]: 0 when to <= from.
    int workingDaysBetween(const Date& from, const Date& to) const;
    // The first working day on or after d.
    Date nextWorkingDayOnOrAfter(const Date& d) const;

    const std::set<Date>& holidays() const { return m_holidays; }
    const std::set<Date>& makeUpWorkdays() const { return m_makeUpWorkdays; }

private:
    std::set<Date> m_holidays;
    std::set<Date> m_makeUpWorkdays;
};

// Office hours during which a submission counts as received the same day (default 7:30-17:00
// Monday-Friday, configurable; docs/domain.md).
struct OfficeHours {
    int openMinute = 7 * 60 + 30;
    int closeMinute = 17 * 60;
};
// The legal date of receipt for something committed at unixSeconds: that day when it is a working
// day within office hours, otherwise the next working day.
Date receivedDate(const WorkingCalendar& calendar, const OfficeHours& hours, int64_t unixSeconds);

}  // namespace kiosk
