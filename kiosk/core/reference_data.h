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

#include "kiosk/core/calendar.h"
#include "kiosk/core/deadlines.h"
#include "kiosk/core/result.h"

namespace kiosk {

struct Commune {
    std::string code;   // 5 digits, e.g. "02374"
    std::string name;   // "Thị trấn Tân Yên"
    bool remote = false;  // vùng sâu, vùng xa: longer limits (off until the district sets it)
};

struct Procedure {
    std::string code;       // national code, e.g. "1.001193"; "" where unconfirmed (see id)
    std::string id;         // stable catalog id used by the kiosk (code, or a slug when unconfirmed)
    std::string name;       // "Thủ tục đăng ký khai sinh"
    std::string field;      // "Hộ tịch"
    std::string processingTime;  // as published, for people
    std::optional<Limit> limit;  // parsed processing time; nullopt when unknown
    std::string fee;        // as published; "" when unknown
    std::string documents;  // as published; "" when unknown
    std::optional<bool> postal;  // results by public postal service; nullopt = unconfirmed
    std::string where;      // where to submit
    std::string legalBasis;
};

struct HolidayEntry {
    Date date;
    bool workday = false;   // true: a Saturday/Sunday declared a make-up working day
    std::string name;
};

struct ReferenceData {
    std::vector<Commune> communes;
    std::map<PetitionKind, PetitionLimits> petitionLimits;
    std::vector<HolidayEntry> holidays;
    std::vector<Procedure> procedures;
    std::set<std::string> cccdProvinces;   // "001".."096" that exist
    std::set<std::string> mobilePrefixes;  // "032", "086", ...
    std::string agencyCodePrefix;          // for official dossier codes (district config)

    const Commune* commune(const std::string& code) const;
    const Procedure* procedure(const std::string& id) const;
    WorkingCalendar calendar() const;
    DeadlineRules deadlineRules(const OfficeHours& hours = {}) const;
};

// The assets directory: $KIOSK_ASSETS if set, else next to the executable (../share/commune-kiosk
// or the source tree's assets/ for a build tree).
std::filesystem::path assetsDir();

// Loads every file of the reference data from dir; the error names the file and line.
Result<ReferenceData> loadReferenceData(const std::filesystem::path& dir);

// Individual parsers, for imports and fuzzing (text is the whole file, UTF-8, tab-separated).
Result<std::vector<Commune>> parseCommunes(const std::string& text);
Result<std::vector<HolidayEntry>> parseHolidays(const std::string& text);
Result<std::vector<Procedure>> parseProcedures(const std::string& text);
Result<std::map<PetitionKind, PetitionLimits>> parsePetitionKinds(const std::string& text);

}  // namespace kiosk
