#pragma once
// Which communes' records a commune holds today, after the successions that took effect: what a
// kiosk's feed serves, what its officers may decide, what its status check finds (the rule in
// docs/domain.md "Units and their history"). A kiosk enrolled under a dissolved code holds what its
// successor holds, so it keeps seeing its own records. Pure; any thread.
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

}  // namespace kiosk
