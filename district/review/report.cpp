#include "district/review/report.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "core/deadlines.h"
#include "core/rating.h"
#include "core/holdings.h"
#include "core/receipt_code.h"
#include "core/records.h"
#include "core/text.h"

// [SECTION] index
//   numbers            rounding, Vietnamese number format
//   scan               one pass over records for both periods, per commune
//   receptions         lượt, người, vụ việc per unit
//   text               the sentence and the report as the district writes it
//   json, csv
//   monthly            the dashboard's series

namespace kiosk::district {

namespace {

// [SECTION] numbers

double roundOne(double value) { return std::round(value * 10.0) / 10.0; }

// A YYYY-MM-DD column as the integer YYYYMMDD (orders like the date), 0 for NULL or garbage.
int dateKey(const unsigned char* text, int bytes) {
    if (!text || bytes != 10 || text[4] != '-' || text[7] != '-') return 0;
    int out = 0;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        const unsigned char c = text[i];
        if (c < '0' || c > '9') return 0;
        out = out * 10 + (c - '0');
    }
    return out;
}

int dateKey(std::string_view text) {
    return dateKey(reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
}

int dateKey(const Date& d) { return d.year * 10000 + d.month * 100 + d.day; }
Date fromKey(int key) { return Date{key / 10000, key / 100 % 100, key % 100}; }

// Working days between two dates by a cumulative table, so the scan does not walk the calendar
// for each resolved record.
class WorkingDayIndex {
public:
    WorkingDayIndex(const WorkingCalendar& calendar, const Date& first, const Date& last)
        : m_calendar(calendar), m_first(first.toDays()) {
        const int64_t span = std::max<int64_t>(0, last.toDays() - m_first);
        m_cumulative.resize(size_t(span) + 1, 0);
        for (int64_t i = 1; i <= span; ++i)
            m_cumulative[size_t(i)] =
                m_cumulative[size_t(i - 1)] + (calendar.isWorkingDay(Date::fromDays(m_first + i)) ? 1 : 0);
    }
    // Working days in (from, to].
    int64_t between(int fromKey, int toKey) const {
        const int64_t a = fromKeyToDays(fromKey) - m_first;
        const int64_t b = fromKeyToDays(toKey) - m_first;
        if (b <= a) return 0;
        if (a < 0 || b >= int64_t(m_cumulative.size()))
            return m_calendar.workingDaysBetween(fromKey ? fromKeyDate(fromKey) : Date{}, fromKeyDate(toKey));
        return m_cumulative[size_t(b)] - m_cumulative[size_t(a)];
    }

private:
    static Date fromKeyDate(int key) { return fromKey(key); }
    static int64_t fromKeyToDays(int key) { return fromKey(key).toDays(); }
    const WorkingCalendar& m_calendar;
    int64_t m_first;
    std::vector<int64_t> m_cumulative;
};

// Per-row status classes, decided once per distinct status text.
struct StatusClass {
    bool resolvedPetition = false;  // resolved
    bool resolvedDossier = false;   // result-ready, delivered
    bool notAccepted = false;       // not-accepted
    bool withdrawn = false;
    bool refused = false;
    bool transferred = false;
    bool clockRunning = false;
};

StatusClass classify(std::string_view slug) {
    StatusClass c;
    const auto status = statusFromSlug(slug);
    if (!status) return c;
    c.resolvedPetition = *status == RecordStatus::Resolved;
    c.resolvedDossier = *status == RecordStatus::ResultReady || *status == RecordStatus::Delivered;
    c.notAccepted = *status == RecordStatus::NotAccepted;
    c.withdrawn = *status == RecordStatus::Withdrawn;
    c.refused = *status == RecordStatus::Refused;
    c.transferred = *status == RecordStatus::Transferred;
    c.clockRunning = clockRunning(*status);
    return c;
}

struct Window {
    int from = 0;
    int to = 0;
    bool contains(int key) const { return key != 0 && key >= from && key <= to; }
};

// transferred: the day of the last transfer of a record still transferred, else 0.
void countRecord(PeriodFigures& f, const Window& w, bool petition, int petitionKind, const StatusClass& s,
                 int received, int finished, int transferred, int due, bool post, int delivered, int rating,
                 const WorkingDayIndex& workdays) {
    const bool receivedIn = w.contains(received);
    const bool goneBefore = transferred != 0 && transferred < w.from;
    const bool carried =
        received != 0 && received < w.from && (finished == 0 || finished >= w.from) && !goneBefore;
    const bool finishedIn = w.contains(finished);
    if (petition) {
        if (receivedIn) {
            ++f.petitionsReceived;
            if (petitionKind >= 0) ++f.petitionsReceivedByKind[size_t(petitionKind)];
        }
        if (carried) ++f.petitionsCarriedOver;
        if (w.contains(transferred)) ++f.petitionsTransferred;
        if (finishedIn) {
            if (s.resolvedPetition) {
                ++f.petitionsResolved;
                f.resolveWorkingDays += workdays.between(received, finished);
                if (finished < due)
                    ++f.petitionsResolvedEarly;
                else if (finished == due)
                    ++f.petitionsResolvedOnTime;
                else
                    ++f.petitionsResolvedLate;
            } else if (s.notAccepted) {
                ++f.petitionsNotAccepted;
            } else if (s.withdrawn) {
                ++f.petitionsWithdrawn;
            }
        }
    } else {
        if (receivedIn) ++f.dossiersReceived;
        if (carried) ++f.dossiersCarriedOver;
        if (finishedIn) {
            if (s.resolvedDossier) {
                ++f.dossiersResolved;
                if (finished < due)
                    ++f.dossiersEarly;
                else if (finished == due)
                    ++f.dossiersOnTime;
                else
                    ++f.dossiersLate;
            } else if (s.refused) {
                ++f.dossiersRefused;
            }
        }
        if (post && w.contains(delivered)) ++f.dossiersByPost;
    }
    if (rating != 0 && (w.contains(delivered) || (delivered == 0 && finishedIn))) {
        if (rating == 3)
            ++f.ratingVerySatisfied;
        else if (rating == 2)
            ++f.ratingSatisfied;
        else
            ++f.ratingUnsatisfied;
    }
}

void addInto(PeriodFigures& total, const PeriodFigures& f) {
    total.receptionVisits += f.receptionVisits;
    total.receptionPeople += f.receptionPeople;
    // receptionCases is counted for the district on its own (a case seen at two units is one case).
    total.petitionsReceived += f.petitionsReceived;
    for (size_t i = 0; i < total.petitionsReceivedByKind.size(); ++i)
        total.petitionsReceivedByKind[i] += f.petitionsReceivedByKind[i];
    total.petitionsCarriedOver += f.petitionsCarriedOver;
    total.petitionsResolved += f.petitionsResolved;
    total.petitionsResolvedEarly += f.petitionsResolvedEarly;
    total.petitionsResolvedOnTime += f.petitionsResolvedOnTime;
    total.petitionsResolvedLate += f.petitionsResolvedLate;
    total.petitionsNotAccepted += f.petitionsNotAccepted;
    total.petitionsWithdrawn += f.petitionsWithdrawn;
    total.petitionsTransferred += f.petitionsTransferred;
    total.resolveWorkingDays += f.resolveWorkingDays;
    if (f.petitionsOverdueNow)
        total.petitionsOverdueNow = total.petitionsOverdueNow.value_or(0) + *f.petitionsOverdueNow;
    total.dossiersReceived += f.dossiersReceived;
    total.dossiersCarriedOver += f.dossiersCarriedOver;
    total.dossiersResolved += f.dossiersResolved;
    total.dossiersEarly += f.dossiersEarly;
    total.dossiersOnTime += f.dossiersOnTime;
    total.dossiersLate += f.dossiersLate;
    total.dossiersByPost += f.dossiersByPost;
    total.dossiersRefused += f.dossiersRefused;
    if (f.dossiersOverdueNow)
        total.dossiersOverdueNow = total.dossiersOverdueNow.value_or(0) + *f.dossiersOverdueNow;
    total.ratingVerySatisfied += f.ratingVerySatisfied;
    total.ratingSatisfied += f.ratingSatisfied;
    total.ratingUnsatisfied += f.ratingUnsatisfied;
    for (const auto& [id, n] : f.ratingCriteria) total.ratingCriteria[id] += n;
}

}  // namespace

// [SECTION] numbers

std::optional<double> PeriodFigures::resolvedPercent() const {
    const int64_t pool = petitionsToResolve();
    if (pool <= 0) return std::nullopt;
    return roundOne(100.0 * double(petitionsResolved) / double(pool));
}

std::optional<double> PeriodFigures::averageWorkingDaysToResolve() const {
    if (petitionsResolved <= 0) return std::nullopt;
    return roundOne(double(resolveWorkingDays) / double(petitionsResolved));
}

std::optional<double> changePercent(int64_t current, int64_t previous) {
    if (previous == 0) return std::nullopt;
    return roundOne(100.0 * double(current - previous) / double(previous));
}

Date sameDayPreviousYear(const Date& d) {
    Date out{d.year - 1, d.month, d.day};
    if (!Date::parse(out.iso())) out.day = 28;  // 29 February
    return out;
}

std::string viNumber(int64_t n) {
    const bool negative = n < 0;
    std::string digits = std::to_string(negative ? -n : n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
        out += digits[i];
    }
    return negative ? "-" + out : out;
}

std::string viDecimal(double value) {
    const double rounded = roundOne(value);
    const int64_t tenths = int64_t(std::llround(std::fabs(rounded) * 10.0));
    std::string out = viNumber(tenths / 10) + "," + std::to_string(tenths % 10);
    return rounded < 0 ? "-" + out : out;
}

// [SECTION] scan

namespace {

// The report's frame before anything is counted: the periods, the unit above the communes, and one
// line per commune as the map stands on `to`. unitIndex: every commune code -> index in
// report.communes of the line that holds its records.
DistrictReport emptyReport(const Date& from, const Date& to, const ReferenceData& reference,
                           const Date& today, std::map<std::string, size_t>& unitIndex) {
    DistrictReport report;
    report.from = from;
    report.to = to;
    report.previousFrom = sameDayPreviousYear(from);
    report.previousTo = sameDayPreviousYear(to);
    report.today = today;
    const UnitMap& units = reference.units;
    const AdminUnit* top = units.topOn(to);
    const UnitLevel level = top ? top->level : UnitLevel::District;
    report.district.code = top ? top->code : std::string();
    report.district.name = top ? top->name : std::string();
    report.districtNameEn = top ? top->displayName(true) : std::string();
    report.levelVi = reference.levelName(level, false);
    report.levelEn = reference.levelName(level, true);
    report.districtOffice.code = "";
    report.districtOffice.name = "Cấp " + report.levelVi + " (UBND " + report.levelVi + ")";
    // A reference built without a unit map (communes only) keeps one line per listed commune.
    std::map<std::string, std::string> ownerOf;
    std::set<std::string> owners;
    for (const Commune& c : reference.communes) {
        const std::string owner = units.empty() ? c.code : units.successor(c.code, to);
        ownerOf[c.code] = owner;
        owners.insert(owner);
    }
    std::map<std::string, size_t> lineOf;
    for (const std::string& owner : owners) {
        UnitReport line{owner, {}, {}, {}, {}};
        if (const AdminUnit* unit = units.find(owner, to))
            line.name = unit->name;
        else if (const AdminUnit* last = units.latest(owner))
            line.name = last->name;
        else if (const Commune* c = reference.commune(owner))
            line.name = c->name;
        if (auto orphaned = orphanedCommune(units, owner, to)) line.orphanedSince = orphaned->since;
        for (const std::string& former : units.predecessors(owner, to)) {
            const AdminUnit* unit = units.latest(former);
            line.formerUnits.push_back(FormerUnit{former, unit ? unit->name : std::string()});
        }
        lineOf[owner] = report.communes.size();
        report.communes.push_back(std::move(line));
    }
    for (const auto& [code, owner] : ownerOf) unitIndex[code] = lineOf[owner];
    return report;
}

// A line with nothing to say: no reception, record or rating in either period.
bool emptyFigures(const PeriodFigures& f) {
    return f.receptionVisits == 0 && f.petitionsReceived == 0 && f.petitionsCarriedOver == 0 &&
           f.petitionsResolved == 0 && f.petitionsNotAccepted == 0 && f.petitionsWithdrawn == 0 &&
           f.petitionsTransferred == 0 && f.petitionsOverdueNow.value_or(0) == 0 && f.dossiersReceived == 0 &&
           f.dossiersCarriedOver == 0 && f.dossiersResolved == 0 && f.dossiersRefused == 0 &&
           f.dossiersOverdueNow.value_or(0) == 0 && f.ratings() == 0;
}

// Drops the lines of dissolved codes that no succession names and that counted nothing: after a
// merger with no succession imported yet, ten empty lines would only hide the eight that matter.
void dropEmptyDissolved(DistrictReport& report, const UnitMap& units) {
    if (units.empty()) return;
    std::vector<UnitReport> kept;
    for (UnitReport& line : report.communes) {
        const bool exists = units.find(line.code, report.to) != nullptr;
        if (exists || !emptyFigures(line.current) || !emptyFigures(line.previous))
            kept.push_back(std::move(line));
    }
    report.communes = std::move(kept);
}

// One pass over every record, counted into its commune's unit for both periods. It runs once per
// record (a million at a district after some years): every lookup in it is a table or a few
// integer compares, never a string allocation.
class RecordScan {
public:
    // elsewhere: where records of a commune the reference data no longer lists are counted.
    RecordScan(DistrictReport& report, const std::map<std::string, size_t>& unitIndex, UnitReport& elsewhere,
               const WorkingCalendar& calendar)
        : m_report(report),
          m_elsewhere(elsewhere),
          m_current{dateKey(report.from), dateKey(report.to)},
          m_previous{dateKey(report.previousFrom), dateKey(report.previousTo)},
          m_todayKey(dateKey(report.today)),
          m_workdays(calendar, Date{2000, 1, 1}, report.today.plusDays(3 * 366)),
          m_unitByNumber(100000, -1) {
        for (const auto& [code, index] : unitIndex) {
            if (code.size() == 5 &&
                std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
                m_unitByNumber[size_t(std::stoi(code))] = int16_t(index);
        }
        for (int i = 0; i <= int(RecordStatus::Suspended); ++i) {
            const std::string slug(toSlug(RecordStatus(i)));
            m_statuses.push_back(StatusEntry{slug, classify(slug)});
        }
    }

    Outcome run(store::Database& db) {
        auto st = db.prepare(
            "SELECT commune, kind, petition_kind, status, received_on, finished_on, due, delivery, "
            "delivered_on, rating, transferred_on FROM records");
        if (!st) return st.error();
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            count(*st);
        }
        st->reset();
        return {};
    }

private:
    struct StatusEntry {
        std::string slug;
        StatusClass cls;
    };

    // The unit of a commune column: its listed commune, or `elsewhere`.
    UnitReport& unitOf(std::string_view text) {
        return unitOf(reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
    }

    UnitReport& unitOf(const unsigned char* commune, int communeBytes) {
        if (!commune || communeBytes != 5) return m_elsewhere;
        // Petitions received on paper at the server count as the server's own (intake.h).
        if (std::string_view(reinterpret_cast<const char*>(commune), 5) == kServerIntakeCommune)
            return m_report.districtOffice;
        int number = 0;
        bool digits = true;
        for (int i = 0; i < 5; ++i) {
            digits = digits && commune[i] >= '0' && commune[i] <= '9';
            number = number * 10 + (commune[i] - '0');
        }
        if (digits && m_unitByNumber[size_t(number)] >= 0)
            return m_report.communes[size_t(m_unitByNumber[size_t(number)])];
        return m_elsewhere;
    }

    const StatusClass& statusOf(std::string_view statusText) const {
        for (const StatusEntry& e : m_statuses)
            if (e.slug.size() == statusText.size() && e.slug == statusText) return e.cls;
        return m_unknownStatus;
    }

    static int petitionKindOf(const store::Statement& st) {
        if (st.isNull(2)) return -1;
        const std::string_view slug = st.view(2);
        if (const auto parsed = petitionKindFromSlug(slug)) return int(*parsed);
        return -1;
    }

    static int ratingOf(const store::Statement& st) {
        const std::string_view ratingText = st.view(9);
        return ratingText == "very-satisfied" ? 3
               : ratingText == "satisfied"    ? 2
               : ratingText == "unsatisfied"  ? 1
                                              : 0;
    }

    void count(const store::Statement& st) {
        UnitReport& unit = unitOf(st.view(0));
        const std::string_view kind = st.view(1);
        const bool petition = !kind.empty() && kind[0] == 'p';  // "petition" | "dossier"
        const int petitionKind = petition ? petitionKindOf(st) : -1;
        const StatusClass& s = statusOf(st.view(3));
        const int received = dateKey(st.view(4));
        const int finished = dateKey(st.view(5));
        const int due = dateKey(st.view(6));
        const std::string_view delivery = st.view(7);
        const bool post = !delivery.empty() && delivery[0] == 'p';  // "post" | "counter"
        const int delivered = dateKey(st.view(8));
        const int rating = ratingOf(st);
        const int transferred = s.transferred && petition ? dateKey(st.view(10)) : 0;
        countRecord(unit.current, m_current, petition, petitionKind, s, received, finished, transferred, due,
                    post, delivered, rating, m_workdays);
        countRecord(unit.previous, m_previous, petition, petitionKind, s, received, finished, transferred,
                    due, post, delivered, rating, m_workdays);
        if (s.clockRunning && due != 0 && due < m_todayKey) {
            auto& overdue = petition ? unit.current.petitionsOverdueNow : unit.current.dossiersOverdueNow;
            overdue = overdue.value_or(0) + 1;
        }
    }

    DistrictReport& m_report;
    UnitReport& m_elsewhere;
    const Window m_current;
    const Window m_previous;
    const int m_todayKey;
    const WorkingDayIndex m_workdays;
    std::vector<int16_t> m_unitByNumber;  // 5-digit commune code -> index of its owner's line
    std::vector<StatusEntry> m_statuses;
    const StatusClass m_unknownStatus{};
};

// [SECTION] receptions

// Lượt and người per unit and period, and vụ việc per unit.
Outcome countReceptions(store::Database& db, DistrictReport& report,
                        const std::map<std::string, size_t>& unitIndex, UnitReport& elsewhere) {
    auto rst = db.prepare(
        "SELECT level, commune, received_on BETWEEN ?1 AND ?2 AS cur, count(*), sum(people), "
        "count(DISTINCT coalesce(case_code, uuid)) FROM receptions "
        "WHERE received_on BETWEEN ?1 AND ?2 OR received_on BETWEEN ?3 AND ?4 GROUP BY 1, 2, 3");
    if (!rst) return rst.error();
    rst->bind(1, report.from.iso())
        .bind(2, report.to.iso())
        .bind(3, report.previousFrom.iso())
        .bind(4, report.previousTo.iso());
    while (true) {
        auto row = rst->step();
        if (!row) return row.error();
        if (!*row) break;
        UnitReport* target = &report.districtOffice;
        if (rst->text(0) == "commune") {
            auto found = unitIndex.find(rst->text(1));
            target = found == unitIndex.end() ? &elsewhere : &report.communes[found->second];
        }
        PeriodFigures& f = rst->integer(2) ? target->current : target->previous;
        f.receptionVisits += rst->integer(3);
        f.receptionPeople += rst->integer(4);
        f.receptionCases += rst->integer(5);
    }
    return {};
}

// [SECTION] ratings

// The ratings the kiosks sent (ratings.h), per unit and period, by value and by criterion. The
// table is small beside the records (at most two per record): one grouped pass.
Outcome countRatings(store::Database& db, DistrictReport& report,
                     const std::map<std::string, size_t>& unitIndex, UnitReport& elsewhere) {
    auto st = db.prepare(
        "SELECT commune, rated_on BETWEEN ?1 AND ?2 AS cur, value, criteria, count(*) FROM ratings "
        "WHERE rated_on BETWEEN ?1 AND ?2 OR rated_on BETWEEN ?3 AND ?4 GROUP BY 1, 2, 3, 4");
    if (!st) return st.error();
    st->bind(1, report.from.iso())
        .bind(2, report.to.iso())
        .bind(3, report.previousFrom.iso())
        .bind(4, report.previousTo.iso());
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        UnitReport* target = &elsewhere;
        if (st->text(0) == kServerIntakeCommune) {
            target = &report.districtOffice;
        } else if (auto found = unitIndex.find(st->text(0)); found != unitIndex.end()) {
            target = &report.communes[found->second];
        }
        PeriodFigures& f = st->integer(1) ? target->current : target->previous;
        const int64_t n = st->integer(4);
        const auto value = ratingValueFromSlug(st->text(2));
        if (!value) continue;
        if (*value == RatingValue::VerySatisfied) f.ratingVerySatisfied += n;
        if (*value == RatingValue::Satisfied) f.ratingSatisfied += n;
        if (*value == RatingValue::Unsatisfied) f.ratingUnsatisfied += n;
        for (const std::string& id : splitCriteria(st->text(3))) f.ratingCriteria[id] += n;
    }
    return {};
}

// The district's vụ việc in each period: a case seen at two units is one case.
Result<std::pair<int64_t, int64_t>> countDistrictCases(store::Database& db, const DistrictReport& report) {
    auto cases = db.prepare(
        "SELECT count(DISTINCT CASE WHEN received_on BETWEEN ?1 AND ?2 THEN coalesce(case_code, uuid) END), "
        "count(DISTINCT CASE WHEN received_on BETWEEN ?3 AND ?4 THEN coalesce(case_code, uuid) END) "
        "FROM receptions WHERE received_on BETWEEN ?1 AND ?2 OR received_on BETWEEN ?3 AND ?4");
    if (!cases) return cases.error();
    cases->bind(1, report.from.iso())
        .bind(2, report.to.iso())
        .bind(3, report.previousFrom.iso())
        .bind(4, report.previousTo.iso());
    if (auto row = cases->step(); !row) return row.error();
    return std::make_pair(cases->integer(0), cases->integer(1));
}

// Totals: every commune, records of units no longer listed, and the district office.
void addTotals(DistrictReport& report, const UnitReport& elsewhere,
               const std::pair<int64_t, int64_t>& cases) {
    for (UnitReport& c : report.communes) {
        // A commune with no overdue record says 0, not "unknown".
        c.current.petitionsOverdueNow = c.current.petitionsOverdueNow.value_or(0);
        c.current.dossiersOverdueNow = c.current.dossiersOverdueNow.value_or(0);
        addInto(report.district.current, c.current);
        addInto(report.district.previous, c.previous);
    }
    addInto(report.district.current, elsewhere.current);
    addInto(report.district.previous, elsewhere.previous);
    addInto(report.district.current, report.districtOffice.current);
    addInto(report.district.previous, report.districtOffice.previous);
    report.district.current.petitionsOverdueNow = report.district.current.petitionsOverdueNow.value_or(0);
    report.district.current.dossiersOverdueNow = report.district.current.dossiersOverdueNow.value_or(0);
    report.district.current.receptionCases = cases.first;
    report.district.previous.receptionCases = cases.second;
}

}  // namespace

Result<DistrictReport> computeReport(DistrictStore& store, const Date& from, const Date& to,
                                     const ReferenceData& reference, const WorkingCalendar& calendar,
                                     const Date& today) {
    if (to < from)
        return makeError("report.period", "Ngày bắt đầu phải trước ngày kết thúc.",
                         "The start date must not be after the end date.");
    std::map<std::string, size_t> unitIndex;
    DistrictReport report = emptyReport(from, to, reference, today, unitIndex);
    if (report.communes.size() > 30000)
        return makeError("report.units", "Quá nhiều đơn vị hành chính.", "Too many administrative units.");
    // Records of a commune the reference data no longer lists (boundaries change) still count for
    // the district.
    UnitReport elsewhere;

    store::Database& db = store.database();
    // The report reads every record: mapping the file spares a read() per page (ignored where the
    // platform cannot map; the setting lasts for this connection).
    if (!db.isPostgres()) (void)db.exec("PRAGMA mmap_size = 4294967296");
    // One read transaction: every figure comes from the same snapshot.
    if (auto ok = db.beginRead(); !ok) return ok.error();
    struct Commit {
        store::Database& db;
        ~Commit() { (void)db.exec("COMMIT"); }
    } commit{db};

    if (auto ok = RecordScan(report, unitIndex, elsewhere, calendar).run(db); !ok) return ok.error();
    if (auto ok = countReceptions(db, report, unitIndex, elsewhere); !ok) return ok.error();
    if (auto ok = countRatings(db, report, unitIndex, elsewhere); !ok) return ok.error();
    auto cases = countDistrictCases(db, report);
    if (!cases) return cases.error();
    addTotals(report, elsewhere, *cases);
    dropEmptyDissolved(report, reference.units);
    return report;
}

// [SECTION] text

namespace {

std::string viDate(const Date& d) {
    char out[16];
    std::snprintf(out, sizeof out, "%02d/%02d/%04d", d.day, d.month, d.year);
    return out;
}

// "năm 2019" when the previous period lies in one year, else "năm trước".
std::string previousYearVi(const DistrictReport& r) {
    return r.previousFrom.year == r.previousTo.year ? "năm " + std::to_string(r.previousFrom.year)
                                                    : "năm trước";
}
std::string previousYearEn(const DistrictReport& r) {
    return r.previousFrom.year == r.previousTo.year ? std::to_string(r.previousFrom.year)
                                                    : "the previous year";
}

// "tăng 32 đơn so với cùng kỳ năm 2019" / "giảm ..." / "bằng cùng kỳ năm 2019".
std::string changeVi(int64_t current, int64_t previous, const std::string& unit, const DistrictReport& r) {
    const int64_t diff = current - previous;
    if (diff == 0) return "bằng cùng kỳ " + previousYearVi(r);
    return std::string(diff > 0 ? "tăng " : "giảm ") + viNumber(diff > 0 ? diff : -diff) + " " + unit +
           " so với cùng kỳ " + previousYearVi(r);
}

std::string changeEn(int64_t current, int64_t previous, const std::string& unit, const DistrictReport& r) {
    const int64_t diff = current - previous;
    if (diff == 0) return "the same as in the same period of " + previousYearEn(r);
    return std::to_string(diff > 0 ? diff : -diff) + " " + unit + (diff > 0 ? " more" : " fewer") +
           " than in the same period of " + previousYearEn(r);
}

std::string percentVi(std::optional<double> p) { return p ? viDecimal(*p) + "%" : "—"; }
std::string decimalEn(double value) {
    char out[32];
    std::snprintf(out, sizeof out, "%.1f", value);
    return out;
}
std::string percentEn(std::optional<double> p) { return p ? decimalEn(*p) + "%" : "—"; }

std::string kindName(size_t index, bool english) {
    return std::string(displayName(PetitionKind(int(index)), english));
}

// The sentence starts a report line; inside a line it continues one: "Tiếp nhận" -> "tiếp nhận".
std::string lowerFirst(std::string sentence) {
    if (!sentence.empty() && sentence[0] >= 'A' && sentence[0] <= 'Z')
        sentence[0] = char(sentence[0] - 'A' + 'a');
    return sentence;
}

// "02374, gồm cả Xã Yên Thuận (02377), Xã Minh Khương (02383)": a line's code and the former units
// whose records it counts.
// In Vietnamese the names stand mid-sentence: "gồm cả xã Yên Thuận".
std::string codeWithFormer(const UnitReport& u, const char* including, Lang lang) {
    std::string out = u.code;
    for (size_t i = 0; i < u.formerUnits.size(); ++i) {
        const std::string& name = u.formerUnits[i].name;
        out += std::string(i ? ", " : including) + (lang == Lang::Vi ? unitNameMidSentence(name) : name) +
               " (" + u.formerUnits[i].code + ")";
    }
    return out;
}

std::string unitLineVi(const UnitReport& u, const DistrictReport& r) {
    const PeriodFigures& c = u.current;
    std::string line = u.name + " (" + codeWithFormer(u, ", gồm cả ", Lang::Vi) + "): tiếp " +
                       viNumber(c.receptionVisits) + " lượt (" + viNumber(c.receptionPeople) + " người), " +
                       viNumber(c.receptionCases) + " vụ việc; " +
                       lowerFirst(petitionSentence(u, r, Lang::Vi)) + "; quá hạn " +
                       viNumber(c.petitionsOverdueNow.value_or(0)) + " đơn; hồ sơ: tiếp nhận " +
                       viNumber(c.dossiersReceived) + ", giải quyết " + viNumber(c.dossiersResolved) +
                       " (trước hạn " + viNumber(c.dossiersEarly) + ", đúng hạn " +
                       viNumber(c.dossiersOnTime) + ", quá hạn " + viNumber(c.dossiersLate) + ")";
    if (u.orphanedSince)
        line += " — đơn vị không còn từ ngày " + viDate(*u.orphanedSince) +
                " và chưa có đơn vị kế thừa: hồ sơ của đơn vị này chưa có ai nhận";
    return line + ".";
}

std::string unitLineEn(const UnitReport& u, const DistrictReport& r) {
    const PeriodFigures& c = u.current;
    return u.name + " (" + codeWithFormer(u, ", including ", Lang::En) +
           "): " + std::to_string(c.receptionVisits) + " receptions (" + std::to_string(c.receptionPeople) +
           " people), " + std::to_string(c.receptionCases) + " cases; " +
           lowerFirst(petitionSentence(u, r, Lang::En)) + "; " +
           std::to_string(c.petitionsOverdueNow.value_or(0)) +
           " overdue; dossiers: " + std::to_string(c.dossiersReceived) + " received, " +
           std::to_string(c.dossiersResolved) + " resolved (" + std::to_string(c.dossiersEarly) + " early, " +
           std::to_string(c.dossiersOnTime) + " on time, " + std::to_string(c.dossiersLate) + " late)" +
           (u.orphanedSince ? " — the unit no longer exists since " + u.orphanedSince->iso() +
                                  " and has no successor yet: nobody receives its records."
                            : std::string("."));
}

}  // namespace

std::string petitionSentence(const UnitReport& unit, const DistrictReport& r, Lang lang) {
    const PeriodFigures& c = unit.current;
    const PeriodFigures& p = unit.previous;
    const auto percent = c.resolvedPercent();
    if (lang == Lang::En) {
        std::string s = "Received " + std::to_string(c.petitionsReceived) + " petitions, " +
                        changeEn(c.petitionsReceived, p.petitionsReceived, "petitions", r) + "; " +
                        std::to_string(c.petitionsToResolve()) + " to be resolved in all (" +
                        std::to_string(c.petitionsCarriedOver) + " carried over); resolved " +
                        std::to_string(c.petitionsResolved) + " petitions";
        if (percent) s += ", " + percentEn(percent);
        return s;
    }
    std::string s = "Tiếp nhận " + viNumber(c.petitionsReceived) + " đơn, " +
                    changeVi(c.petitionsReceived, p.petitionsReceived, "đơn", r) +
                    "; tổng số đơn phải giải quyết " + viNumber(c.petitionsToResolve()) +
                    " (kỳ trước chuyển sang " + viNumber(c.petitionsCarriedOver) + "); đã giải quyết " +
                    viNumber(c.petitionsResolved) + " đơn";
    if (percent) s += ", đạt " + percentVi(percent);
    return s;
}

std::string reportText(const DistrictReport& r, Lang lang) {
    const PeriodFigures& c = r.district.current;
    const PeriodFigures& p = r.district.previous;
    const PeriodFigures& office = r.districtOffice.current;
    std::string out;
    if (lang == Lang::En) {
        out += "REPORT ON CITIZEN RECEPTION, PETITIONS AND ADMINISTRATIVE DOSSIERS\n";
        out += r.districtNameEn + ", " + r.from.iso() + " to " + r.to.iso() +
               " (same period last year: " + r.previousFrom.iso() + " to " + r.previousTo.iso() +
               "); overdue as of " + r.today.iso() + "\n\n";
        out += "1. Citizen reception: " + std::to_string(c.receptionVisits) + " receptions (" +
               std::to_string(c.receptionPeople) + " people), " + std::to_string(c.receptionCases) +
               " cases; " + changeEn(c.receptionCases, p.receptionCases, "cases", r) + ". At the " +
               r.levelEn + " office: " + std::to_string(office.receptionVisits) + " receptions, " +
               std::to_string(office.receptionCases) + " cases.\n";
        out += "2. Petitions: " + petitionSentence(r.district, r, Lang::En) + ".\n";
        out += "   Change in petitions received: " +
               percentEn(changePercent(c.petitionsReceived, p.petitionsReceived)) + ". By kind:";
        for (size_t i = 0; i < c.petitionsReceivedByKind.size(); ++i)
            out += std::string(i ? "," : "") + " " + lowerFirst(kindName(i, true)) + " " +
                   std::to_string(c.petitionsReceivedByKind[i]);
        out +=
            ".\n   Not accepted " + std::to_string(c.petitionsNotAccepted) + ", withdrawn " +
            std::to_string(c.petitionsWithdrawn) + ", transferred " + std::to_string(c.petitionsTransferred) +
            "; overdue now " + std::to_string(c.petitionsOverdueNow.value_or(0)) +
            "; average time to resolve " +
            (c.averageWorkingDaysToResolve() ? decimalEn(*c.averageWorkingDaysToResolve()) + " working days"
                                             : std::string("—")) +
            ".\n";
        out += "3. Administrative dossiers: " + std::to_string(c.dossiersReceived) + " received (" +
               changeEn(c.dossiersReceived, p.dossiersReceived, "dossiers", r) + "); " +
               std::to_string(c.dossiersResolved) + " resolved: " + std::to_string(c.dossiersEarly) +
               " early, " + std::to_string(c.dossiersOnTime) + " on time, " + std::to_string(c.dossiersLate) +
               " late; " + std::to_string(c.dossiersByPost) + " delivered by post; " +
               std::to_string(c.dossiersRefused) + " refused; " +
               std::to_string(c.dossiersOverdueNow.value_or(0)) + " overdue now.\n";
        if (c.ratings() > 0) {
            const double n = double(c.ratings());
            out += "4. Satisfaction (" + std::to_string(c.ratings()) + " ratings): very satisfied " +
                   percentEn(roundOne(100.0 * double(c.ratingVerySatisfied) / n)) + ", satisfied " +
                   percentEn(roundOne(100.0 * double(c.ratingSatisfied) / n)) + ", unsatisfied " +
                   percentEn(roundOne(100.0 * double(c.ratingUnsatisfied) / n)) + ".\n";
        } else {
            out += "4. Satisfaction: no ratings in the period.\n";
        }
        out += "\nBy commune:\n";
        for (const UnitReport& u : r.communes) out += "- " + unitLineEn(u, r) + "\n";
        return out;
    }
    out += "BÁO CÁO CÔNG TÁC TIẾP CÔNG DÂN, GIẢI QUYẾT ĐƠN THƯ VÀ HỒ SƠ THỦ TỤC HÀNH CHÍNH\n";
    out += r.district.name + ", từ ngày " + viDate(r.from) + " đến ngày " + viDate(r.to) +
           " (cùng kỳ: " + viDate(r.previousFrom) + " – " + viDate(r.previousTo) +
           "); số quá hạn tính đến ngày " + viDate(r.today) + "\n\n";
    out += "1. Tiếp công dân: " + viNumber(c.receptionVisits) + " lượt (" + viNumber(c.receptionPeople) +
           " người), " + viNumber(c.receptionCases) + " vụ việc; " +
           changeVi(c.receptionCases, p.receptionCases, "vụ việc", r) + ". Trong đó tại cấp " + r.levelVi +
           " " + viNumber(office.receptionVisits) + " lượt (" + viNumber(office.receptionPeople) +
           " người), " + viNumber(office.receptionCases) + " vụ việc.\n";
    out += "2. Đơn thư: " + petitionSentence(r.district, r, Lang::Vi) + ".\n";
    const auto receivedChange = changePercent(c.petitionsReceived, p.petitionsReceived);
    out += "   Số đơn tiếp nhận so với cùng kỳ: " +
           (receivedChange ? std::string(*receivedChange >= 0 ? "+" : "") + percentVi(receivedChange)
                           : std::string("không so sánh được (cùng kỳ không có đơn)")) +
           ". Theo loại:";
    for (size_t i = 0; i < c.petitionsReceivedByKind.size(); ++i)
        out += std::string(i ? "," : "") + " " + lowerFirst(kindName(i, false)) + " " +
               viNumber(c.petitionsReceivedByKind[i]);
    const auto average = c.averageWorkingDaysToResolve();
    out += ".\n   Không thụ lý " + viNumber(c.petitionsNotAccepted) + " đơn, rút đơn " +
           viNumber(c.petitionsWithdrawn) + " đơn, chuyển đơn " + viNumber(c.petitionsTransferred) +
           " đơn; quá hạn hiện nay " + viNumber(c.petitionsOverdueNow.value_or(0)) +
           " đơn; thời gian giải quyết bình quân " +
           (average ? viDecimal(*average) + " ngày làm việc" : std::string("—")) + ".\n";
    out += "3. Hồ sơ thủ tục hành chính: tiếp nhận " + viNumber(c.dossiersReceived) + " hồ sơ (" +
           changeVi(c.dossiersReceived, p.dossiersReceived, "hồ sơ", r) + "); đã giải quyết " +
           viNumber(c.dossiersResolved) + " hồ sơ: trước hạn " + viNumber(c.dossiersEarly) + ", đúng hạn " +
           viNumber(c.dossiersOnTime) + ", quá hạn " + viNumber(c.dossiersLate) +
           "; trả kết quả qua bưu chính " + viNumber(c.dossiersByPost) + " hồ sơ; từ chối " +
           viNumber(c.dossiersRefused) + " hồ sơ; quá hạn hiện nay " +
           viNumber(c.dossiersOverdueNow.value_or(0)) + " hồ sơ.\n";
    if (c.ratings() > 0) {
        const double n = double(c.ratings());
        out += "4. Mức độ hài lòng (" + viNumber(c.ratings()) + " lượt đánh giá): rất hài lòng " +
               percentVi(roundOne(100.0 * double(c.ratingVerySatisfied) / n)) + ", hài lòng " +
               percentVi(roundOne(100.0 * double(c.ratingSatisfied) / n)) + ", không hài lòng " +
               percentVi(roundOne(100.0 * double(c.ratingUnsatisfied) / n)) + ".\n";
    } else {
        out += "4. Mức độ hài lòng: chưa có đánh giá trong kỳ.\n";
    }
    out += "\nTheo đơn vị:\n";
    for (const UnitReport& u : r.communes) out += "- " + unitLineVi(u, r) + "\n";
    return out;
}

// [SECTION] json, csv

namespace {

nlohmann::json optionalNumber(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json optionalCount(const std::optional<int64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json figuresJson(const PeriodFigures& f) {
    nlohmann::json byKind = nlohmann::json::object();
    for (size_t i = 0; i < f.petitionsReceivedByKind.size(); ++i)
        byKind[std::string(toSlug(PetitionKind(int(i))))] = f.petitionsReceivedByKind[i];
    const int64_t ratings = f.ratings();
    auto share = [&](int64_t n) {
        return ratings > 0 ? nlohmann::json(roundOne(100.0 * double(n) / double(ratings)))
                           : nlohmann::json(nullptr);
    };
    return {
        {"receptions_visits", f.receptionVisits},
        {"receptions_people", f.receptionPeople},
        {"receptions_cases", f.receptionCases},
        {"petitions_received", f.petitionsReceived},
        {"petitions_received_by_kind", byKind},
        {"petitions_carried_over", f.petitionsCarriedOver},
        {"petitions_to_resolve", f.petitionsToResolve()},
        {"petitions_resolved", f.petitionsResolved},
        {"resolved_percent", optionalNumber(f.resolvedPercent())},
        {"petitions_resolved_early", f.petitionsResolvedEarly},
        {"petitions_resolved_on_time", f.petitionsResolvedOnTime},
        {"petitions_resolved_late", f.petitionsResolvedLate},
        {"petitions_not_accepted", f.petitionsNotAccepted},
        {"petitions_withdrawn", f.petitionsWithdrawn},
        {"petitions_transferred", f.petitionsTransferred},
        {"petitions_overdue_now", optionalCount(f.petitionsOverdueNow)},
        {"average_working_days_to_resolve", optionalNumber(f.averageWorkingDaysToResolve())},
        {"dossiers_received", f.dossiersReceived},
        {"dossiers_carried_over", f.dossiersCarriedOver},
        {"dossiers_resolved", f.dossiersResolved},
        {"dossiers_resolved_early", f.dossiersEarly},
        {"dossiers_resolved_on_time", f.dossiersOnTime},
        {"dossiers_resolved_late", f.dossiersLate},
        {"dossiers_delivered_by_post", f.dossiersByPost},
        {"dossiers_refused", f.dossiersRefused},
        {"dossiers_overdue_now", optionalCount(f.dossiersOverdueNow)},
        {"satisfaction",
         {{"ratings", ratings},
          {"very_satisfied", f.ratingVerySatisfied},
          {"satisfied", f.ratingSatisfied},
          {"unsatisfied", f.ratingUnsatisfied},
          {"very_satisfied_percent", share(f.ratingVerySatisfied)},
          {"satisfied_percent", share(f.ratingSatisfied)},
          {"unsatisfied_percent", share(f.ratingUnsatisfied)},
          // The same counts under the kiosk's value names, and per ticked criterion.
          {"by_value",
           {{"rat-hai-long", f.ratingVerySatisfied},
            {"hai-long", f.ratingSatisfied},
            {"khong-hai-long", f.ratingUnsatisfied}}},
          {"criteria", f.ratingCriteria}}},
    };
}

nlohmann::json changeJson(const PeriodFigures& c, const PeriodFigures& p) {
    nlohmann::json out = nlohmann::json::object();
    auto one = [&](const char* key, int64_t cur, int64_t prev) {
        out[key] = {{"count", cur - prev}, {"percent", optionalNumber(changePercent(cur, prev))}};
    };
    one("receptions_visits", c.receptionVisits, p.receptionVisits);
    one("receptions_cases", c.receptionCases, p.receptionCases);
    one("petitions_received", c.petitionsReceived, p.petitionsReceived);
    one("petitions_resolved", c.petitionsResolved, p.petitionsResolved);
    one("dossiers_received", c.dossiersReceived, p.dossiersReceived);
    one("dossiers_resolved", c.dossiersResolved, p.dossiersResolved);
    return out;
}

nlohmann::json unitJson(const UnitReport& u) {
    nlohmann::json j = figuresJson(u.current);
    j["code"] = u.code;
    j["name"] = u.name;
    nlohmann::json former = nlohmann::json::array();
    for (const FormerUnit& f : u.formerUnits) former.push_back({{"code", f.code}, {"name", f.name}});
    j["former_units"] = former;
    j["orphaned_since"] = u.orphanedSince ? nlohmann::json(u.orphanedSince->iso()) : nlohmann::json(nullptr);
    j["previous_period"] = figuresJson(u.previous);
    j["change"] = changeJson(u.current, u.previous);
    return j;
}

}  // namespace

nlohmann::json reportJson(const DistrictReport& r) {
    nlohmann::json j = unitJson(r.district);
    j["from"] = r.from.iso();
    j["to"] = r.to.iso();
    j["previous_from"] = r.previousFrom.iso();
    j["previous_to"] = r.previousTo.iso();
    j["today"] = r.today.iso();
    j["sentence"] = petitionSentence(r.district, r, Lang::Vi);
    j["name_en"] = r.districtNameEn;
    j["level"] = {{"vi", r.levelVi}, {"en", r.levelEn}};
    nlohmann::json office = {
        {"name", r.districtOffice.name},
        {"receptions_visits", r.districtOffice.current.receptionVisits},
        {"receptions_people", r.districtOffice.current.receptionPeople},
        {"receptions_cases", r.districtOffice.current.receptionCases},
        // Petitions received on paper at the server (the district figures above include them).
        {"petitions_received", r.districtOffice.current.petitionsReceived},
        {"petitions_resolved", r.districtOffice.current.petitionsResolved},
        {"previous_period",
         {{"receptions_visits", r.districtOffice.previous.receptionVisits},
          {"receptions_people", r.districtOffice.previous.receptionPeople},
          {"receptions_cases", r.districtOffice.previous.receptionCases}}},
    };
    j["district_office"] = office;
    nlohmann::json communes = nlohmann::json::array();
    for (const UnitReport& u : r.communes) communes.push_back(unitJson(u));
    j["communes"] = communes;
    // The criteria's names for the dashboard (the counts name criteria by id); [] when the file
    // cannot be read — the counts stand without names.
    nlohmann::json criteria = nlohmann::json::array();
    if (auto loaded = loadRatingCriteria())
        for (const RatingCriterion& c : *loaded)
            criteria.push_back({{"id", c.id}, {"vi", c.vi}, {"en", c.en}});
    j["rating_criteria"] = criteria;
    return j;
}

// [SECTION] monthly

Result<std::vector<MonthFigures>> monthlyFigures(DistrictStore& store, const Date& today, int months,
                                                 const std::string& commune) {
    months = std::clamp(months, 1, 60);
    std::vector<MonthFigures> out;
    int year = today.year;
    int month = today.month;
    for (int i = 0; i < months; ++i) {
        char label[8];
        std::snprintf(label, sizeof label, "%04d-%02d", year, month);
        out.insert(out.begin(), MonthFigures{label});
        if (--month == 0) {
            month = 12;
            --year;
        }
    }
    const std::string first = out.front().month + "-01";
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < out.size(); ++i) index[out[i].month] = i;
    store::Database& db = store.database();
    const char* received =
        "SELECT substr(received_on, 1, 7), kind, count(*) FROM records WHERE received_on >= ?1 "
        "AND (?2 = '' OR commune = ?2) GROUP BY 1, 2";
    const char* resolved =
        "SELECT substr(finished_on, 1, 7), kind, count(*) FROM records WHERE finished_on >= ?1 "
        "AND status IN ('resolved', 'result-ready', 'delivered') AND (?2 = '' OR commune = ?2) GROUP BY 1, 2";
    for (const char* sql : {received, resolved}) {
        auto st = db.prepare(sql);
        if (!st) return st.error();
        st->bind(1, first).bind(2, commune);
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            auto found = index.find(st->text(0));
            if (found == index.end()) continue;
            MonthFigures& m = out[found->second];
            const bool petition = st->text(1) == "petition";
            const int64_t n = st->integer(2);
            if (sql == received)
                (petition ? m.petitionsReceived : m.dossiersReceived) += n;
            else
                (petition ? m.petitionsResolved : m.dossiersResolved) += n;
        }
    }
    return out;
}

}  // namespace kiosk::district
