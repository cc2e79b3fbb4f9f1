#include "district/office/reference_import.h"

#include <algorithm>
#include <set>

#include "core/unit_map_json.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {

using store::Database;
using store::Transaction;

namespace {

std::optional<std::vector<HolidayEntry>> holidaysFromItems(const nlohmann::json& items) {
    if (!items.is_array()) return std::nullopt;
    std::vector<HolidayEntry> out;
    for (const auto& item : items) {
        if (!item.is_object()) return std::nullopt;
        auto date = Date::parse(item.value("date", ""));
        if (!date) return std::nullopt;
        out.push_back(HolidayEntry{*date, item.value("workday", false), item.value("name", ""),
                                   item.value("provisional", false)});
    }
    return out;
}

std::optional<std::vector<Procedure>> proceduresFromItems(const nlohmann::json& items) {
    if (!items.is_array()) return std::nullopt;
    std::vector<Procedure> out;
    for (const auto& j : items) {
        if (!j.is_object()) return std::nullopt;
        Procedure p;
        p.id = j.value("id", "");
        p.code = j.value("code", "");
        p.name = j.value("name", "");
        p.field = j.value("field", "");
        p.processingTime = j.value("processing_time", "");
        if (auto limit = j.find("limit"); limit != j.end() && limit->is_object())
            p.limit = Limit{limit->value("days", 0), limit->value("working", false)};
        p.fee = j.value("fee", "");
        p.documents = j.value("documents", "");
        if (auto postal = j.find("postal"); postal != j.end() && postal->is_boolean())
            p.postal = postal->get<bool>();
        p.where = j.value("where", "");
        p.legalBasis = j.value("legal_basis", "");
        if (p.id.empty() || p.name.empty()) return std::nullopt;
        out.push_back(std::move(p));
    }
    return out;
}

Result<std::optional<nlohmann::json>> latestImport(Database& db, ImportKind kind) {
    auto st = db.prepare("SELECT body FROM reference_imports WHERE kind = ?");
    if (!st) return st.error();
    st->bind(1, toSlug(kind));
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<nlohmann::json>();
    auto body = nlohmann::json::parse(st->text(0), nullptr, false);
    if (body.is_discarded()) return std::optional<nlohmann::json>();
    return std::optional<nlohmann::json>(std::move(body));
}

}  // namespace

std::string_view toSlug(ImportKind kind) {
    switch (kind) {
        case ImportKind::Holidays:
            return "holidays";
        case ImportKind::Catalog:
            return "catalog";
        case ImportKind::Units:
            return "units";
        case ImportKind::Succession:
            return "succession";
    }
    return "?";
}

std::optional<ImportKind> importKindFromSlug(std::string_view slug) {
    for (ImportKind kind :
         {ImportKind::Holidays, ImportKind::Catalog, ImportKind::Units, ImportKind::Succession})
        if (slug == toSlug(kind)) return kind;
    return std::nullopt;
}

nlohmann::json holidayItems(const std::vector<HolidayEntry>& holidays) {
    nlohmann::json out = nlohmann::json::array();
    for (const HolidayEntry& h : holidays) {
        nlohmann::json item{{"date", h.date.iso()}, {"workday", h.workday}, {"name", h.name}};
        // Only when true: the key is new, and a kiosk that does not know it counts the day off all the same.
        if (h.provisional) item["provisional"] = true;
        out.push_back(std::move(item));
    }
    return out;
}

nlohmann::json catalogItems(const std::vector<Procedure>& procedures) {
    nlohmann::json out = nlohmann::json::array();
    for (const Procedure& p : procedures) {
        nlohmann::json j{{"id", p.id},
                         {"code", p.code},
                         {"name", p.name},
                         {"field", p.field},
                         {"processing_time", p.processingTime},
                         {"fee", p.fee},
                         {"documents", p.documents},
                         {"where", p.where},
                         {"legal_basis", p.legalBasis}};
        if (p.limit) j["limit"] = {{"days", p.limit->days}, {"working", p.limit->working}};
        j["postal"] = p.postal ? nlohmann::json(*p.postal) : nlohmann::json(nullptr);
        out.push_back(std::move(j));
    }
    return out;
}

namespace {

// What an import stores and publishes: the body of its reference_imports row and the change.
struct Prepared {
    nlohmann::json stored;
    protocol::Change change;
};

Result<Prepared> prepareHolidays(const std::string& text, const ReferenceData& current,
                                 ImportResult& result) {
    auto parsed = parseHolidays(text);
    if (!parsed) return parsed.error();
    if (parsed->empty())
        return makeError("import.empty", "Tệp không có ngày nghỉ nào.", "The file lists no days off.");
    std::set<int> years;
    for (const HolidayEntry& h : *parsed) years.insert(h.date.year);
    std::vector<HolidayEntry> merged;
    for (const HolidayEntry& h : current.holidays)
        if (!years.count(h.date.year)) merged.push_back(h);
    merged.insert(merged.end(), parsed->begin(), parsed->end());
    // A confirmed table replaces the year's provisional Tết; a provisional one gets it back.
    addProvisionalTet(merged, current.lunarNewYear);
    std::sort(merged.begin(), merged.end(),
              [](const HolidayEntry& a, const HolidayEntry& b) { return a.date < b.date; });
    result.items = merged.size();
    result.years.assign(years.begin(), years.end());
    Prepared out{holidayItems(merged), {}};
    out.change.type = protocol::ChangeType::Holidays;
    out.change.items = out.stored;
    return out;
}

Result<Prepared> prepareCatalog(const std::string& text, ImportResult& result) {
    auto parsed = parseProcedures(text);
    if (!parsed) return parsed.error();
    if (parsed->empty())
        return makeError("import.empty", "Tệp không có thủ tục nào.", "The file lists no procedures.");
    result.items = parsed->size();
    Prepared out{catalogItems(*parsed), {}};
    out.change.type = protocol::ChangeType::Catalog;
    out.change.items = out.stored;
    return out;
}

// The "units" change carries the whole map, whichever table was imported, so a kiosk replaces both
// at once and never holds successions that name units it does not know.
protocol::Change unitsChange(const UnitMap& map) {
    protocol::Change change;
    change.type = protocol::ChangeType::Units;
    change.items = unitsToJson(map.units());
    change.successions = successionsToJson(map.successions());
    return change;
}

// The commune codes the district's data names: records and enrolled kiosks. A unit table without
// one of them would leave records or a kiosk with no unit.
Result<std::set<std::string>> communesInUse(Database& db) {
    auto st = db.prepare("SELECT commune FROM records UNION SELECT commune FROM kiosks");
    if (!st) return st.error();
    std::set<std::string> codes;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        if (!st->text(0).empty()) codes.insert(st->text(0));
    }
    return codes;
}

// The stored successions written back as a table, so the parser's own checks (both codes known,
// dates, one row per old code, no cycle) judge them against a new unit table.
std::string successionTable(const std::vector<Succession>& successions) {
    std::string text = "old_code\tnew_code\teffective_date\n";
    for (const Succession& s : successions)
        text += s.oldCode + "\t" + s.newCode + "\t" + s.effective.iso() + "\n";
    return text;
}

Result<Prepared> prepareUnits(Database& db, const std::string& text, const ReferenceData& current,
                              ImportResult& result) {
    auto parsed = parseUnits(text);
    if (!parsed) return parsed.error();
    UnitMap bare(*parsed, {});
    if (bare.communeCodes().empty())
        return makeError("import.empty", "Bảng không có đơn vị cấp xã (commune) nào.",
                         "The table lists no commune-level unit.");
    auto inUse = communesInUse(db);
    if (!inUse) return inUse.error();
    std::string missing;
    for (const std::string& code : *inUse) {
        const AdminUnit* unit = bare.latest(code);
        if (!unit || unit->level != UnitLevel::Commune) missing += (missing.empty() ? "" : ", ") + code;
    }
    if (!missing.empty())
        return makeError("import.units-in-use",
                         "Bảng đơn vị thiếu các mã xã đang có hồ sơ hoặc máy kiosk: " + missing +
                             ". Giữ các mã này (có thể ghi valid_to cho đơn vị đã giải thể).",
                         "The unit table lacks commune codes that have records or kiosks: " + missing +
                             ". Keep these codes (a dissolved unit keeps its row, with a valid_to).");
    auto successions = parseSuccessions(successionTable(current.units.successions()), bare);
    if (!successions)
        return makeError(
            "import.succession-broken",
            "Bảng kế thừa đã nhập không còn đúng với bảng đơn vị mới (" + successions.error().vi +
                "). Nhập bảng kế thừa mới trước hoặc giữ các đơn vị nó nêu.",
            "The stored succession table does not fit the new unit table (" + successions.error().en +
                "). Import a new succession table first, or keep the units it names.");
    result.items = parsed->size();
    Prepared out{unitsToJson(*parsed), unitsChange(UnitMap(*parsed, std::move(*successions)))};
    return out;
}

Result<Prepared> prepareSuccession(const std::string& text, const ReferenceData& current,
                                   ImportResult& result) {
    const UnitMap bare(current.units.units(), {});
    auto parsed = parseSuccessions(text, bare);
    if (!parsed) return parsed.error();
    result.items = parsed->size();
    Prepared out{successionsToJson(*parsed), unitsChange(UnitMap(current.units.units(), *parsed))};
    return out;
}

}  // namespace

Result<ImportResult> importReference(DistrictStore& store, ImportKind kind, const std::string& text,
                                     const ReferenceData& current, const std::string& importedBy,
                                     int64_t nowMs) {
    ImportResult result;
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    Result<Prepared> prepared = makeError("import.kind", "Loại dữ liệu không rõ.", "Unknown kind of data.");
    switch (kind) {
        case ImportKind::Holidays:
            prepared = prepareHolidays(text, current, result);
            break;
        case ImportKind::Catalog:
            prepared = prepareCatalog(text, result);
            break;
        case ImportKind::Units:
            prepared = prepareUnits(db, text, current, result);
            break;
        case ImportKind::Succession:
            prepared = prepareSuccession(text, current, result);
            break;
    }
    if (!prepared) return prepared.error();
    {
        auto st = db.prepare(
            "INSERT INTO reference_imports(kind, body, imported_at, imported_by) VALUES(?,?,?,?) "
            "ON CONFLICT(kind) DO UPDATE SET body = excluded.body, imported_at = excluded.imported_at, "
            "imported_by = excluded.imported_by");
        if (!st) return st.error();
        st->bind(1, toSlug(kind))
            .bind(2, protocol::dumpJson(prepared->stored))
            .bind(3, nowMs)
            .bind(4, importedBy);
        if (auto ok = st->run(); !ok) return ok.error();
    }
    // District-wide: commune "".
    auto changeSeq = store.appendChange(std::string(), prepared->change.type,
                                        protocol::encodeChangeBody(prepared->change), nowMs);
    if (!changeSeq) return changeSeq.error();
    result.changeSeq = *changeSeq;
    if (auto ok = tx.commit(); !ok) return ok.error();
    return result;
}

Outcome applyImportedReference(DistrictStore& store, ReferenceData& reference) {
    Database& db = store.database();
    auto holidays = latestImport(db, ImportKind::Holidays);
    if (!holidays) return holidays.error();
    if (*holidays) {
        if (auto parsed = holidaysFromItems(**holidays)) {
            reference.holidays = std::move(*parsed);
            // An import stored before the provisional Tết existed lacks it.
            addProvisionalTet(reference.holidays, reference.lunarNewYear);
        }
    }
    auto catalog = latestImport(db, ImportKind::Catalog);
    if (!catalog) return catalog.error();
    if (*catalog) {
        if (auto parsed = proceduresFromItems(**catalog)) reference.procedures = std::move(*parsed);
    }
    // Units first: an imported succession table was checked against the units in force then.
    auto units = latestImport(db, ImportKind::Units);
    if (!units) return units.error();
    auto successions = latestImport(db, ImportKind::Succession);
    if (!successions) return successions.error();
    if (*units || *successions) {
        std::vector<AdminUnit> table = reference.units.units();
        std::vector<Succession> chain = reference.units.successions();
        if (*units) {
            if (auto parsed = unitsFromJson(**units)) table = std::move(*parsed);
        }
        if (*successions) {
            if (auto parsed = successionsFromJson(**successions)) chain = std::move(*parsed);
        }
        reference.units = UnitMap(std::move(table), std::move(chain));
        reference.communes = communesOf(reference.units);
    }
    return {};
}

Result<std::string> importsStamp(DistrictStore& store) {
    auto st = store.database().prepare(
        "SELECT kind, imported_at, length(body) FROM reference_imports ORDER BY kind");
    if (!st) return st.error();
    std::string stamp;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        if (!stamp.empty()) stamp += ' ';
        stamp += st->text(0) + ':' + st->text(1) + ':' + st->text(2);
    }
    return stamp;
}

ImportedReference::ImportedReference(ReferenceData assets)
    : m_assets(std::move(assets)),
      m_reference(std::make_shared<const ReferenceData>(m_assets)),
      m_rules(std::make_shared<const DeadlineRules>(m_assets.deadlineRules())) {}

std::shared_ptr<const ReferenceData> ImportedReference::reference() const {
    std::lock_guard lock(m_mutex);
    return m_reference;
}

std::shared_ptr<const DeadlineRules> ImportedReference::rules() const {
    std::lock_guard lock(m_mutex);
    return m_rules;
}

Outcome ImportedReference::follow(DistrictStore& store) {
    auto stamp = importsStamp(store);
    if (!stamp) return stamp.error();
    {
        std::lock_guard lock(m_mutex);
        if (m_stamp == *stamp) return {};
    }
    // Built outside the lock (tens of milliseconds for a whole map); two threads that both saw the
    // change build the same data, and the later one's stays.
    auto reference = std::make_shared<ReferenceData>(m_assets);
    if (auto ok = applyImportedReference(store, *reference); !ok) return ok.error();
    auto rules = std::make_shared<const DeadlineRules>(reference->deadlineRules());
    std::lock_guard lock(m_mutex);
    m_stamp = *stamp;
    m_reference = std::move(reference);
    m_rules = std::move(rules);
    return {};
}

}  // namespace kiosk::district
