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

// The PIN policy new keys are wrapped under (officers.pin_policy): 2 = kMinPinDigits to
// kMaxPinDigits digits. Policy 1 (6 to 12 digits) falls to an offline search in hours; see
// docs/security.md "Officer keys and PINs" for the arithmetic behind the minimum.
constexpr int kPinPolicy = 2;
constexpr size_t kMinPinDigits = 10;
constexpr size_t kMaxPinDigits = 16;

struct Officer {
    std::string id;
    std::string name;
    std::string role;  // "officer" | "chair"
    bool disabled = false;
    std::string signingKey;      // base64 Ed25519 public key ("" for a key made before signing keys)
    int pinPolicy = kPinPolicy;  // the policy the officer's key is wrapped under
};

// kMinPinDigits to kMaxPinDigits digits (a kiosk can be carried off; see docs/security.md).
Outcome checkPinFormat(const std::string& pin);

// Makes the officer's key pair (X25519 for seals, and the Ed25519 signing key derived from it) and
// wraps it under the PIN. Returns the officer with its signing key, to register at the district.
// cost is lowered by tests only.
Result<Officer> addOfficer(KioskStore& store, const Officer& officer, const std::string& pin,
                           const KdfCost& cost = {});
// Disabling forgets the officer's key and the seals made for them.
Outcome disableOfficer(KioskStore& store, const std::string& id);
// A new key pair under the new PIN (a new signing key, to register at the district); the old seals
// for this officer are dropped (they are made again from a colleague's at that colleague's next
// login). The old wrap is overwritten on disk, not only unlinked (secure_delete, WAL checkpoint).
Result<Officer> resetOfficerPin(KioskStore& store, const std::string& id, const std::string& pin);
Result<std::vector<Officer>> listOfficers(KioskStore& store);

struct OfficerSession {
    Officer officer;
    std::shared_ptr<const OfficerSecret> secret;  // hand to KioskStore::unlock
    // The key is wrapped under an older PIN policy: the officer must set a new PIN
    // (changeOwnPin) before anything else; the caller must not unlock the store with it.
    bool mustChangePin = false;
};

// The logged-in officer's new PIN: a new key pair wrapped under it, every seal the officer holds
// opened with the old key and sealed again to the new one, the old wrap overwritten on disk (as in
// resetOfficerPin). Returns the officer with the new signing key, and session.secret becomes the
// new key.
Result<Officer> changeOwnPin(KioskStore& store, OfficerSession& session, const std::string& newPin);

// Officers' seals of records that have been in a final status (core/state_machine.h) longer than
// the retention (meta seal_retention_days, default 90) are deleted: a kiosk carried off gives away
// no identity of a case closed long ago. "Closed since" is the record's last change (updated_hlc).
// The district's seal and the district's copy are untouched. Returns how many seals went.
Result<int64_t> purgeClosedSeals(KioskStore& store, int64_t nowUnix);
constexpr int64_t kDefaultSealRetentionDays = 90;

// Checks the PIN and unwraps the officer's key; purges old seals (purgeClosedSeals). Records sealed to this officer only are then also
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
