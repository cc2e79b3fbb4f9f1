#pragma once
// The district's imports of reference data (`district-server import holidays|catalog FILE`, the
// dashboard's admin page): a holiday table or a procedure catalog, in the same TSV format as
// assets/ (core/reference_data.h parses it), checked, stored in the district database, and
// published as a district-wide change ("holidays" / "catalog", commune '') that every kiosk applies
// on its next pull (kiosk/store/sync_store.cpp replaces its whole table with the change's list).
//
// Holidays: the change carries the whole table, so an import replaces the years its file covers
// and keeps the others (import 2028.tsv to add 2028; a corrected 2026.tsv to fix 2026). Catalog:
// the file is the whole catalog. Units and succession (assets/units.tsv, succession.tsv formats):
// each file is its whole table; both publish one "units" change with the whole map, so a kiosk
// never holds one table without the other. A unit table must keep every commune code that has
// records or a kiosk, and the stored successions must still hold against it; a succession table is
// checked against the units in force (import the units first).
// A running server follows the imports without a restart: ImportedReference re-reads them when
// the stored ones change, whichever process stored them (`district-server import` beside `serve`,
// or the dashboard). Free functions on a DistrictStore, and that class.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/reference_data.h"
#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

enum class ImportKind { Holidays, Catalog, Units, Succession };
std::string_view toSlug(ImportKind kind);  // "holidays" | "catalog" | "units" | "succession"
std::optional<ImportKind> importKindFromSlug(std::string_view slug);

struct ImportResult {
    size_t items = 0;        // entries in the published table
    std::vector<int> years;  // holidays: the years the file replaced
    int64_t changeSeq = 0;   // the change kiosks will pull
};

// `current` is the reference data in force (assets with earlier imports applied). Errors: the
// parser's "assets.*" (naming the line), "import.empty", "import.units-in-use" (naming the codes),
// "import.succession-broken", "db.*". Nothing is stored on error (one transaction).
Result<ImportResult> importReference(DistrictStore& store, ImportKind kind, const std::string& text,
                                     const ReferenceData& current, const std::string& importedBy,
                                     int64_t nowMs);

// Replaces reference.holidays / procedures / units (and communes, derived from units) with the
// latest imports, where there are any.
Outcome applyImportedReference(DistrictStore& store, ReferenceData& reference);

// What the stored imports are now, as a short text that changes whenever any import is stored:
// kind, time and size of each. Cheap (the table has a row per kind).
Result<std::string> importsStamp(DistrictStore& store);

// The reference data and deadline rules a running server goes by: the assets it started with and
// the latest imports, re-read when their stamp changes. The sync routes and the writer call
// follow() on their own connections before they use it, so an import made by another process
// takes effect at the next pull, whoami or push, without a restart. Thread-safe.
class ImportedReference {
public:
    explicit ImportedReference(ReferenceData assets);
    std::shared_ptr<const ReferenceData> reference() const;
    std::shared_ptr<const DeadlineRules> rules() const;
    // Applies the imports stored in `store` when they differ from those applied last. A failure to
    // read leaves the data in force as it was (and says why).
    Outcome follow(DistrictStore& store);

private:
    const ReferenceData m_assets;
    mutable std::mutex m_mutex;
    std::optional<std::string> m_stamp;  // nullopt: not read yet
    std::shared_ptr<const ReferenceData> m_reference;
    std::shared_ptr<const DeadlineRules> m_rules;
};

// The JSON items of the changes (the names sync/client/wire.cpp reads).
nlohmann::json holidayItems(const std::vector<HolidayEntry>& holidays);
nlohmann::json catalogItems(const std::vector<Procedure>& procedures);

}  // namespace kiosk::district
