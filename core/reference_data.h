#pragma once
// Reference data loaded from assets/ (data, never code): communes, petition kinds and their limits,
// holidays, the procedure catalog, CCCD province codes, mobile prefixes. The district can replace
// holidays and the catalog (district-server import); the kiosk then stores the new version, so
// loaders take text as well as files. Pure parsing; no SQL.
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/deadlines.h"
#include "core/deployment_words.h"
#include "core/identity_rules.h"
#include "core/units.h"
#include "common/result.h"

namespace kiosk {

struct Commune {
    std::string code;     // 5 digits, e.g. "02374"
    std::string name;     // "Thị trấn Tân Yên"
    bool remote = false;  // vùng sâu, vùng xa: longer limits (off until the district sets it)
};

struct Procedure {
    std::string code;            // national code, e.g. "1.001193"; "" where unconfirmed (see id)
    std::string id;              // stable catalog id used by the kiosk (code, or a slug when unconfirmed)
    std::string name;            // "Thủ tục đăng ký khai sinh"
    std::string field;           // "Hộ tịch"
    std::string processingTime;  // as published, for people
    std::optional<Limit> limit;  // parsed processing time; nullopt when unknown
    std::string fee;             // as published; "" when unknown
    std::string documents;       // as published; "" when unknown
    std::optional<bool> postal;  // results by public postal service; nullopt = unconfirmed
    std::string where;           // where to submit
    std::string legalBasis;
};

struct HolidayEntry {
    Date date;
    bool workday = false;  // true: a Saturday/Sunday declared a make-up working day
    std::string name;
    // Not confirmed: the row of a table marked "# status: provisional", or a Tết day the product
    // assumes for a year without a confirmed table (addProvisionalTet). The year stays provisional
    // until its official table is imported.
    bool provisional = false;
};

struct ReferenceData {
    // Every commune code the unit table ever listed, with its latest name: a kiosk enrolled under a
    // dissolved code keeps working, and old records keep a name.
    std::vector<Commune> communes;
    UnitMap units;                          // units.tsv and succession.tsv, with their history
    std::vector<UnitLevelName> levelNames;  // unit_levels.tsv
    std::vector<DeploymentWord> words;      // words.tsv: the desk's name and the like, by date
    std::map<PetitionKind, PetitionLimits> petitionLimits;
    IdentityRules identityRules;  // petition_kinds.tsv: the sender's details each kind requires, by date
    std::vector<HolidayEntry> holidays;
    std::vector<Procedure> procedures;
    std::set<std::string> cccdProvinces;   // "001".."096" that exist
    std::set<std::string> mobilePrefixes;  // "032", "086", ...
    std::string agencyCodePrefix;          // for official dossier codes (district config)
    std::map<int, Date> lunarNewYear;      // year -> mùng 1 Tết (lunar_new_year.tsv)
    std::vector<Agency> agencies;          // agencies.tsv: where a transfer may go, by date

    const Commune* commune(const std::string& code) const;
    // "xã"/"commune", "huyện"/"district", "tỉnh"/"province" as unit_levels.tsv words them.
    std::string levelName(UnitLevel level, bool english) const;
    // By catalog id, or by national code (a record may carry either).
    const Procedure* procedure(const std::string& id) const;
    WorkingCalendar calendar() const;
    // Limits from the data; procedureLimits is keyed by procedure id (= national code when known).
    DeadlineRules deadlineRules(const OfficeHours& hours = {}) const;
    // Years with a holiday table: a deadline in a year outside these counts no holidays at all, so
    // callers can warn that the district must add the year's table.
    std::set<int> holidayYears() const;
    // Years whose days off are not confirmed (a provisional table, or none: see addProvisionalTet);
    // callers warn until the official table is imported (district-server import holidays).
    std::set<int> provisionalHolidayYears() const;
};

// The product's provisional Tết (docs/domain.md "Working days and holidays"): for each year of
// lunarNewYear whose table is missing or marked provisional, the five days from the last day of the
// old lunar year to mùng 4 become provisional days off (those already listed are kept as they
// are). A year with a confirmed table is left alone. Keeps `holidays` sorted by date.
void addProvisionalTet(std::vector<HolidayEntry>& holidays, const std::map<int, Date>& lunarNewYear);
// The first day a provisional Tết covers, and how many days: the last day of the old year + mùng 1-4.
constexpr int kProvisionalTetDaysBefore = 1;
constexpr int kProvisionalTetDays = 5;

// The assets directory: $KIOSK_ASSETS if set, else next to the executable (../share/commune-kiosk
// or the source tree's assets/ for a build tree).
std::filesystem::path assetsDir();

// Loads every file of the reference data from dir; the error names the file and line.
// Files: units.tsv, unit_levels.tsv, succession.tsv (optional), words.tsv (optional), agencies.tsv
// (optional: without it a transfer can name no agency), petition_kinds.tsv, procedures.tsv, cccd_provinces.tsv, mobile_prefixes.tsv
// and holidays/YYYY.tsv (each year's dates must lie in that year).
Result<ReferenceData> loadReferenceData(const std::filesystem::path& dir);

// Individual parsers, for imports and fuzzing (text is the whole file, UTF-8, tab-separated).
// They never throw on any input: invalid UTF-8, a missing column, a bad number or a duplicate key is
// an Error whose message names the line. Text is returned in NFC.
// units.tsv: code name level parent valid_from valid_to [name_en] [remote]; a code may have several
// rows whose periods do not overlap; every parent is in the table.
Result<std::vector<AdminUnit>> parseUnits(const std::string& text);
// succession.tsv: old_code new_code effective_date. Both codes are units of `units`; the new one
// exists on the effective date and the old one no longer does; one row per old code; no cycle.
Result<std::vector<Succession>> parseSuccessions(const std::string& text, const UnitMap& units);
// unit_levels.tsv: level vi en, all three levels named.
Result<std::vector<UnitLevelName>> parseUnitLevels(const std::string& text);
// The communes of a unit map as ReferenceData lists them (every code ever, latest name).
std::vector<Commune> communesOf(const UnitMap& units);
// Sorted by date. A table with the comment line "# status: provisional" (before its header) gives
// every row provisional = true: it is not the official announcement yet.
Result<std::vector<HolidayEntry>> parseHolidays(const std::string& text);
// lunar_new_year.tsv: columns year, tet_date (mùng 1 Tết, Hồ Ngọc Đức's algorithm at UTC+7), source.
Result<std::map<int, Date>> parseLunarNewYears(const std::string& text);
Result<std::vector<Procedure>> parseProcedures(const std::string& text);
Result<std::map<PetitionKind, PetitionLimits>> parsePetitionKinds(const std::string& text);  // all 4
Result<std::set<std::string>> parseCccdProvinces(const std::string& text);
Result<std::set<std::string>> parseMobilePrefixes(const std::string& text);

// The table format shared by every assets file (and strings.tsv): lines starting with '#' and
// blank lines are skipped; the first other line is the header naming the columns; cells are
// separated by tabs and every row has as many cells as the header. CRLF line ends and a UTF-8 BOM
// are accepted. Invalid UTF-8 and control characters other than tab are refused. Cells are NFC
// and trimmed of surrounding spaces. Columns may come in any order; unknown columns are ignored
// by the parsers above (the files carry a source column for people).
struct TsvTable {
    struct Row {
        int line = 0;                    // 1-based line in the text, for messages
        std::vector<std::string> cells;  // one per header column
    };
    std::vector<std::string> header;
    int headerLine = 0;
    std::vector<Row> rows;

    // Index of a header column, or -1.
    int column(const std::string& name) const;
};
// Fails, naming the header line, when one of `required` is not a column.
Result<TsvTable> parseTsv(const std::string& text, const std::vector<std::string>& required);

}  // namespace kiosk
