#include "core/holdings.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace kiosk {

bool CommuneHoldings::holds(const std::string& code) const {
    return std::binary_search(communes.begin(), communes.end(), code);
}

CommuneHoldings communeHoldings(const UnitMap& units, const std::string& commune, const Date& day) {
    CommuneHoldings h;
    h.commune = commune;
    h.owner = units.successor(commune, day);
    h.communes = units.holdings(h.owner, day);
    // The owner's predecessors are a set that only a succession changes; the enrolled commune is
    // always among them (it is the owner or one of its predecessors), kept explicit all the same.
    if (!std::binary_search(h.communes.begin(), h.communes.end(), commune)) {
        h.communes.push_back(commune);
        std::sort(h.communes.begin(), h.communes.end());
    }
    if (h.communes.size() == 1) return h;
    // FNV-1a over the sorted codes: not a secret, only a name that changes with the set.
    uint32_t hash = 2166136261u;
    for (const std::string& code : h.communes) {
        for (unsigned char c : code + ",") {
            hash ^= c;
            hash *= 16777619u;
        }
    }
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", hash);
    h.fingerprint = hex;
    return h;
}

std::optional<OrphanedCommune> orphanedCommune(const UnitMap& units, const std::string& code,
                                               const Date& day) {
    const AdminUnit* last = units.latest(code);
    if (!last || last->level != UnitLevel::Commune || !last->validTo || !(*last->validTo < day))
        return std::nullopt;
    if (units.find(code, day) || units.successor(code, day) != code) return std::nullopt;
    return OrphanedCommune{code, last->name, last->nameEn, last->validTo->plusDays(1)};
}

}  // namespace kiosk
