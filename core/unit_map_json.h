#pragma once
// A unit map as JSON: how the district stores an imported unit or succession table and how the
// "units" change carries the whole map to every kiosk (docs/sync-protocol.md). Both programs use
// these, so the shape is written once. Pure; any thread.
//
//   units:       [{"code", "name", "name_en", "level", "parent", "valid_from", "valid_to", "remote"}]
//                 (valid_from / valid_to: "YYYY-MM-DD" or null)
//   successions: [{"old", "new", "effective"}]
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/units.h"

namespace kiosk {

nlohmann::json unitsToJson(const std::vector<AdminUnit>& units);
nlohmann::json successionsToJson(const std::vector<Succession>& successions);
// [{"level", "vi", "en"}]: the level words, which the kiosk keeps beside its map.
nlohmann::json unitLevelsToJson(const std::vector<UnitLevelName>& names);

// nullopt when an item has the wrong shape (a missing code or name, an unknown level, a bad date).
// The tables' own rules (no overlap, known parents, no cycle) are the parsers' and the importer's:
// what arrives here was checked when it was imported.
std::optional<std::vector<AdminUnit>> unitsFromJson(const nlohmann::json& items);
std::optional<std::vector<Succession>> successionsFromJson(const nlohmann::json& items);
std::optional<std::vector<UnitLevelName>> unitLevelsFromJson(const nlohmann::json& items);

}  // namespace kiosk
