#include "district/office/reference_import.h"

#include <algorithm>
#include <set>

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

std::string_view toSlug(ImportKind kind) { return kind == ImportKind::Holidays ? "holidays" : "catalog"; }

std::optional<ImportKind> importKindFromSlug(std::string_view slug) {
    if (slug == "holidays") return ImportKind::Holidays;
    if (slug == "catalog") return ImportKind::Catalog;
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

Result<ImportResult> importReference(DistrictStore& store, ImportKind kind, const std::string& text,
                                     const ReferenceData& current, const std::string& importedBy,
                                     int64_t nowMs) {
    ImportResult result;
    nlohmann::json items;
    if (kind == ImportKind::Holidays) {
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
        result.items = merged.size();
        result.years.assign(years.begin(), years.end());
        items = holidayItems(merged);
    } else {
        auto parsed = parseProcedures(text);
        if (!parsed) return parsed.error();
        if (parsed->empty())
            return makeError("import.empty", "Tệp không có thủ tục nào.", "The file lists no procedures.");
        result.items = parsed->size();
        items = catalogItems(*parsed);
    }

    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    {
        auto st = db.prepare(
            "INSERT INTO reference_imports(kind, body, imported_at, imported_by) VALUES(?,?,?,?) "
            "ON CONFLICT(kind) DO UPDATE SET body = excluded.body, imported_at = excluded.imported_at, "
            "imported_by = excluded.imported_by");
        if (!st) return st.error();
        st->bind(1, toSlug(kind)).bind(2, protocol::dumpJson(items)).bind(3, nowMs).bind(4, importedBy);
        if (auto ok = st->run(); !ok) return ok.error();
    }
    protocol::Change change;
    change.type =
        kind == ImportKind::Holidays ? protocol::ChangeType::Holidays : protocol::ChangeType::Catalog;
    change.items = items;
    // District-wide: commune "".
    auto changeSeq =
        store.appendChange(std::string(), change.type, protocol::encodeChangeBody(change), nowMs);
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
    return {};
}

}  // namespace kiosk::district
