#include "core/unit_map_json.h"

namespace kiosk {

using nlohmann::json;

namespace {

json dateOrNull(const std::optional<Date>& day) { return day ? json(day->iso()) : json(nullptr); }

// true with *out set (or left nullopt for null/absent); false for anything else.
bool optionalDate(const json& item, const char* key, std::optional<Date>& out) {
    auto it = item.find(key);
    if (it == item.end() || it->is_null()) return true;
    if (!it->is_string()) return false;
    out = Date::parse(it->get<std::string>());
    return out.has_value();
}

std::string text(const json& item, const char* key) {
    auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

json unitsToJson(const std::vector<AdminUnit>& units) {
    json out = json::array();
    for (const AdminUnit& u : units) {
        out.push_back({{"code", u.code},
                       {"name", u.name},
                       {"name_en", u.nameEn},
                       {"level", unitLevelSlug(u.level)},
                       {"parent", u.parent},
                       {"valid_from", dateOrNull(u.validFrom)},
                       {"valid_to", dateOrNull(u.validTo)},
                       {"remote", u.remote}});
    }
    return out;
}

json successionsToJson(const std::vector<Succession>& successions) {
    json out = json::array();
    for (const Succession& s : successions)
        out.push_back({{"old", s.oldCode}, {"new", s.newCode}, {"effective", s.effective.iso()}});
    return out;
}

std::optional<std::vector<AdminUnit>> unitsFromJson(const json& items) {
    if (!items.is_array()) return std::nullopt;
    std::vector<AdminUnit> out;
    for (const json& item : items) {
        if (!item.is_object()) return std::nullopt;
        AdminUnit u;
        u.code = text(item, "code");
        u.name = text(item, "name");
        u.nameEn = text(item, "name_en");
        u.parent = text(item, "parent");
        const auto level = parseUnitLevel(text(item, "level"));
        if (u.code.empty() || u.name.empty() || !level) return std::nullopt;
        u.level = *level;
        if (!optionalDate(item, "valid_from", u.validFrom) || !optionalDate(item, "valid_to", u.validTo))
            return std::nullopt;
        if (auto remote = item.find("remote"); remote != item.end() && remote->is_boolean())
            u.remote = remote->get<bool>();
        out.push_back(std::move(u));
    }
    return out;
}

std::optional<std::vector<Succession>> successionsFromJson(const json& items) {
    if (!items.is_array()) return std::nullopt;
    std::vector<Succession> out;
    for (const json& item : items) {
        if (!item.is_object()) return std::nullopt;
        auto effective = Date::parse(text(item, "effective"));
        Succession s{text(item, "old"), text(item, "new"), {}};
        if (s.oldCode.empty() || s.newCode.empty() || !effective) return std::nullopt;
        s.effective = *effective;
        out.push_back(std::move(s));
    }
    return out;
}

json unitLevelsToJson(const std::vector<UnitLevelName>& names) {
    json out = json::array();
    for (const UnitLevelName& n : names)
        out.push_back({{"level", unitLevelSlug(n.level)}, {"vi", n.vi}, {"en", n.en}});
    return out;
}

std::optional<std::vector<UnitLevelName>> unitLevelsFromJson(const json& items) {
    if (!items.is_array()) return std::nullopt;
    std::vector<UnitLevelName> out;
    for (const json& item : items) {
        if (!item.is_object()) return std::nullopt;
        const auto level = parseUnitLevel(text(item, "level"));
        if (!level) return std::nullopt;
        out.push_back(UnitLevelName{*level, text(item, "vi"), text(item, "en")});
    }
    return out;
}

}  // namespace kiosk
