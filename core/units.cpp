// Administrative units and their history (units.h). The tables are small (a province has about a
// hundred and fifty units), so every query is a linear scan: simple beats clever here.
#include "core/units.h"

#include <algorithm>
#include <map>
#include <set>

namespace kiosk {

const char* unitLevelSlug(UnitLevel level) {
    switch (level) {
        case UnitLevel::Province:
            return "province";
        case UnitLevel::District:
            return "district";
        case UnitLevel::Commune:
            return "commune";
    }
    return "commune";
}

std::optional<UnitLevel> parseUnitLevel(const std::string& slug) {
    for (UnitLevel level : {UnitLevel::Province, UnitLevel::District, UnitLevel::Commune}) {
        if (slug == unitLevelSlug(level)) return level;
    }
    return std::nullopt;
}

bool AdminUnit::validOn(const Date& day) const {
    return (!validFrom || *validFrom <= day) && (!validTo || day <= *validTo);
}

UnitMap::UnitMap(std::vector<AdminUnit> units, std::vector<Succession> successions)
    : m_units(std::move(units)), m_successions(std::move(successions)) {
    std::stable_sort(m_units.begin(), m_units.end(), [](const AdminUnit& a, const AdminUnit& b) {
        if (a.code != b.code) return a.code < b.code;
        return a.validFrom < b.validFrom;  // nullopt (since always) first
    });
}

const AdminUnit* UnitMap::find(const std::string& code, const Date& day) const {
    for (const AdminUnit& unit : m_units) {
        if (unit.code == code && unit.validOn(day)) return &unit;
    }
    return nullptr;
}

const AdminUnit* UnitMap::latest(const std::string& code) const {
    const AdminUnit* found = nullptr;
    for (const AdminUnit& unit : m_units) {
        if (unit.code == code) found = &unit;  // sorted by validFrom: the last is the latest
    }
    return found;
}

std::string UnitMap::successor(const std::string& code, const Date& day) const {
    std::string current = code;
    // The parsers refuse cycles; the bound keeps a hand-built map from looping all the same.
    for (size_t step = 0; step <= m_successions.size(); ++step) {
        const auto next = std::find_if(m_successions.begin(), m_successions.end(), [&](const Succession& s) {
            return s.oldCode == current && s.effective <= day;
        });
        if (next == m_successions.end()) break;
        current = next->newCode;
    }
    return current;
}

std::vector<std::string> UnitMap::predecessors(const std::string& code, const Date& day) const {
    std::set<std::string> found;
    for (const Succession& s : m_successions) {
        if (s.oldCode != code && successor(s.oldCode, day) == code) found.insert(s.oldCode);
    }
    return {found.begin(), found.end()};
}

std::vector<std::string> UnitMap::holdings(const std::string& code, const Date& day) const {
    std::vector<std::string> codes = predecessors(code, day);
    codes.push_back(code);
    std::sort(codes.begin(), codes.end());
    return codes;
}

std::vector<const AdminUnit*> UnitMap::communesOn(const Date& day) const {
    std::vector<const AdminUnit*> out;
    for (const AdminUnit& unit : m_units) {
        if (unit.level == UnitLevel::Commune && unit.validOn(day)) out.push_back(&unit);
    }
    return out;
}

std::vector<std::string> UnitMap::communeCodes() const {
    std::vector<std::string> out;
    for (const AdminUnit& unit : m_units) {
        if (unit.level == UnitLevel::Commune && (out.empty() || out.back() != unit.code))
            out.push_back(unit.code);
    }
    return out;
}

const AdminUnit* UnitMap::parentOn(const std::string& code, const Date& day) const {
    const std::string owner = successor(code, day);
    const AdminUnit* unit = find(owner, day);
    if (!unit) unit = latest(owner);
    if (!unit || unit->parent.empty()) return nullptr;
    if (const AdminUnit* parent = find(unit->parent, day)) return parent;
    return latest(unit->parent);
}

const AdminUnit* UnitMap::topOn(const Date& day) const {
    std::map<std::string, int> votes;
    for (const AdminUnit* commune : communesOn(day)) ++votes[commune->parent];
    const auto best = std::max_element(votes.begin(), votes.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    if (best == votes.end() || best->first.empty()) return nullptr;
    if (const AdminUnit* parent = find(best->first, day)) return parent;
    return latest(best->first);
}

}  // namespace kiosk
