#pragma once
// Commune officer accounts on the kiosk. Each officer has a key pair for reading sealed identities
// (identity_vault.h); the secret key is wrapped under an argon2id key derived from the PIN, and a
// PIN is right exactly when it unwraps that key. 5 wrong PINs lock the account with an increasing
// delay. Used by kioskctl officer/act and the officer console. Same threading rule as KioskStore:
// one connection per thread.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::store {

struct Officer {
    std::string id;
    std::string name;
    std::string role;  // "officer" | "chair"
    bool disabled = false;
};

// PINs are 6 to 12 digits (a kiosk can be carried off; see docs/security.md).
Outcome checkPinFormat(const std::string& pin);

Outcome addOfficer(KioskStore& store, const Officer& officer, const std::string& pin);
// Disabling forgets the officer's key and the seals made for them.
Outcome disableOfficer(KioskStore& store, const std::string& id);
// A new key pair under the new PIN; the old seals for this officer are dropped (they are made again
// from a colleague's at that colleague's next login).
Outcome resetOfficerPin(KioskStore& store, const std::string& id, const std::string& pin);
Result<std::vector<Officer>> listOfficers(KioskStore& store);

struct OfficerSession {
    Officer officer;
    std::shared_ptr<const OfficerSecret> secret;  // hand to KioskStore::unlock
};

// Checks the PIN and unwraps the officer's key. Records sealed to this officer only are then also
// sealed to every other active officer (a new officer reads older records once a colleague has
// logged in), and — once the district's key is known — to the district, into the Submit/Register
// event when it still waits in the outbox. After 5 consecutive failures the account is locked for
// 30 s, doubling with each further failure (capped at 1 h); a correct PIN during the lock is refused
// too. nowUnix is passed in so tests can move time.
Result<OfficerSession> loginOfficer(KioskStore& store, const std::string& id, const std::string& pin,
                                    int64_t nowUnix);
// loginOfficer without keeping the key.
Result<Officer> verifyOfficer(KioskStore& store, const std::string& id, const std::string& pin,
                              int64_t nowUnix);

}  // namespace kiosk::store
