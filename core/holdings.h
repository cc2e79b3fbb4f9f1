#pragma once
// Which communes' records a commune holds today, after the successions that took effect: what a
// kiosk's feed serves, what its officers may decide, what its status check finds (the rule in
// docs/domain.md "Units and their history"). A kiosk enrolled under a dissolved code holds what its
// successor holds, so it keeps seeing its own records. Pure; any thread.
#include <optional>
#include <string>
#include <vector>

#include "core/units.h"

namespace kiosk {

struct CommuneHoldings {
    std::string commune;                // as enrolled
    std::string owner;                  // who owns its records on that day: its successor, or itself
    std::vector<std::string> communes;  // owner and its predecessors, sorted; {commune} at least
    // "" when the holdings are the enrolled commune alone (no succession concerns it); otherwise 8
    // hex digits naming the set, so a pull cursor made for other holdings can be told apart.
    std::string fingerprint;

    bool holds(const std::string& code) const;
};

CommuneHoldings communeHoldings(const UnitMap& units, const std::string& commune, const Date& day);

// A commune that no longer exists on a day and whose records no succession gives to anyone: the
// map ended it (its last row has a valid_to before the day) and no succession names it. Its records
// then belong to nobody until the administrator imports a succession row for it; the screens say
// so instead of showing nothing (docs/domain.md "Units and their history").
struct OrphanedCommune {
    std::string code;
    std::string name;  // its latest name, "Xã Minh Khương"
    std::string nameEn;
    Date since;  // the first day it no longer existed

    const std::string& displayName(bool english) const { return english && !nameEn.empty() ? nameEn : name; }
};

// nullopt when `code` exists on `day`, has a successor then, or the map never knew it (an empty map:
// the default deployment before any import).
std::optional<OrphanedCommune> orphanedCommune(const UnitMap& units, const std::string& code,
                                               const Date& day);

}  // namespace kiosk
