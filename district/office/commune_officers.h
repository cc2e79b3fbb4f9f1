#pragma once
// Commune officers (cán bộ xã) as the district knows them: the Ed25519 public keys their actions
// are signed with at the kiosk (kioskctl officer add prints it), registered per commune.
// It is: registering, disabling and listing keys, and the check a pushed commune officer's action
// must pass (push_judgement.cpp): the officer registered for the pushing kiosk's commune, not
// disabled, under the key the event names, and the signature over core/officer_signature.h's text
// verifies. It is not: district officers (officers.h), nor the kiosk's own accounts.
// Callers: district-server commune-officer, the push judgement. Free functions on a DistrictStore:
// one store (connection) per thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "core/event.h"
#include "district/store/district_store.h"

namespace kiosk::district {

struct CommuneOfficer {
    std::string commune;
    std::string id;
    std::string signingKey;  // base64 Ed25519 public key
    std::string name;
    bool disabled = false;
    int64_t addedAtMs = 0;
};

// Registers a key for the officer in the commune (another key beside older ones, after a PIN
// change at the kiosk). Registering enables the officer again. Errors "commune-officer.fields",
// "commune-officer.key".
Outcome addCommuneOfficer(DistrictStore& store, const CommuneOfficer& officer, int64_t nowMs);
// Every key of the officer in the commune is refused from now on; "commune-officer.unknown".
Outcome disableCommuneOfficer(DistrictStore& store, const std::string& commune, const std::string& id);
// All, or one commune's ("" = all), ordered by commune, id, time added.
Result<std::vector<CommuneOfficer>> listCommuneOfficers(DistrictStore& store,
                                                        const std::string& commune = "");

// Why a commune officer's action pushed by a kiosk of `commune` is refused, or nullopt when it
// passes: "officer.unknown" (no such officer, or not under the key the event names, in this commune),
// "officer.disabled", "officer.signature" (no signature, or one that does not verify). Events of
// other roles pass (nullopt). A kiosk stamps its own id into the events it signs only once it has
// learnt it, so the signature is checked against the event's kiosk and, failing that, against none.
Result<std::optional<Error>> judgeCommuneOfficerAction(DistrictStore& store, const std::string& commune,
                                                       const Event& event);

}  // namespace kiosk::district
