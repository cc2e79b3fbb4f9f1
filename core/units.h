#pragma once
// Administrative units as data with their history: which units exist on a given day, what each is
// called, which unit stands above the communes, and where a dissolved unit's records went.
//
// Boundaries change by decision, not by release: in July 2025 the district level was abolished and
// communes were merged, and a deployment must move from one map to the next by importing tables,
// with every record still owned by someone. So the code knows levels and dates only; names, codes,
// parents and successions come from assets/units.tsv and a succession table the administrator
// imports (docs/domain.md, "Units and their history"). Pure; any thread.
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"

namespace kiosk {

enum class UnitLevel { Province, District, Commune };

// "province", "district", "commune" and back; nullopt for anything else.
const char* unitLevelSlug(UnitLevel level);
std::optional<UnitLevel> parseUnitLevel(const std::string& slug);

// One unit over one period. A code may have several rows over time (a commune that absorbed its
// neighbours and kept its code is a new row from the merger's date), never overlapping.
struct AdminUnit {
    std::string code;    // 2 digits (province), 3 (district), 5 (commune)
    std::string name;    // as written in Vietnamese: "Xã Bạch Xa", "Huyện Hàm Yên"
    std::string nameEn;  // for the English screens; "" = use name
    UnitLevel level = UnitLevel::Commune;
    std::string parent;             // code of the unit above; "" for a province
    std::optional<Date> validFrom;  // nullopt: since before any record
    std::optional<Date> validTo;    // last day it existed; nullopt: it still exists
    bool remote = false;            // vùng sâu, vùng xa: longer complaint limits

    bool validOn(const Date& day) const;
    const std::string& displayName(bool english) const { return english && !nameEn.empty() ? nameEn : name; }
};

// From the first day `effective`, what was oldCode belongs to newCode: its open cases, its feed, its
// figures. Old receipt codes keep their digits; only their owner changes.
struct Succession {
    std::string oldCode;
    std::string newCode;
    Date effective;
};

// The display name of a level ("xã", "huyện", "tỉnh" and their English words) comes from
// assets/unit_levels.tsv, so the words can follow the law without a release.
struct UnitLevelName {
    UnitLevel level = UnitLevel::Commune;
    std::string vi;
    std::string en;
};

class UnitMap {
public:
    UnitMap() = default;
    UnitMap(std::vector<AdminUnit> units, std::vector<Succession> successions);

    const std::vector<AdminUnit>& units() const { return m_units; }
    const std::vector<Succession>& successions() const { return m_successions; }
    bool empty() const { return m_units.empty(); }

    // The row of `code` valid on `day`, or nullptr (the code names no unit that day).
    const AdminUnit* find(const std::string& code, const Date& day) const;
    // The most recent row of `code` whatever the day, for naming a dissolved unit; nullptr if the
    // code was never a unit.
    const AdminUnit* latest(const std::string& code) const;
    bool known(const std::string& code) const { return latest(code) != nullptr; }

    // Who owns what `code` owned, on `day`: successions effective on or before `day` followed to
    // the end; `code` itself when it has none.
    std::string successor(const std::string& code, const Date& day) const;
    // Every code whose successor on `day` is `code`, other than `code` itself, sorted: the units
    // whose records `code` now holds.
    std::vector<std::string> predecessors(const std::string& code, const Date& day) const;
    // `code` and its predecessors on `day`, sorted: the communes whose records belong to `code`.
    std::vector<std::string> holdings(const std::string& code, const Date& day) const;

    // The communes that exist on `day`, by code.
    std::vector<const AdminUnit*> communesOn(const Date& day) const;
    // Every commune code ever listed, by code (names from latest()).
    std::vector<std::string> communeCodes() const;
    // The unit directly above `code` on `day` (after following its successor), or nullptr.
    const AdminUnit* parentOn(const std::string& code, const Date& day) const;
    // The unit above the communes on `day`: the parent shared by most of that day's communes (a
    // deployment serves one), or nullptr when no commune exists that day.
    const AdminUnit* topOn(const Date& day) const;

private:
    std::vector<AdminUnit> m_units;  // sorted by code, then validFrom
    std::vector<Succession> m_successions;
};

}  // namespace kiosk
