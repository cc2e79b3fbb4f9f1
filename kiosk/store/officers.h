#pragma once
// Commune officer accounts on the kiosk: PINs hashed with argon2id (libsodium crypto_pwhash_str),
// lockout with an increasing delay after 5 wrong PINs. Used by kioskctl officer/act and the officer
// console. Same threading rule as KioskStore: one connection per thread.
#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/core/result.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::store {

struct Officer {
    std::string id;
    std::string name;
    std::string role;      // "officer" | "chair"
    bool disabled = false;
};

// PINs are 6 to 12 digits (a kiosk can be carried off; see docs/security.md).
Outcome checkPinFormat(const std::string& pin);

Outcome addOfficer(KioskStore& store, const Officer& officer, const std::string& pin);
Outcome disableOfficer(KioskStore& store, const std::string& id);
Outcome resetOfficerPin(KioskStore& store, const std::string& id, const std::string& pin);
Result<std::vector<Officer>> listOfficers(KioskStore& store);

// Checks the PIN. After 5 consecutive failures the account is locked for 30 s, doubling with each
// further failure (capped at 1 h); a correct PIN during the lock is refused too. nowUnix is passed in
// so tests can move time.
Result<Officer> verifyOfficer(KioskStore& store, const std::string& id, const std::string& pin,
                              int64_t nowUnix);

}  // namespace kiosk::store
