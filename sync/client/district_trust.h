#pragma once
// What the kiosk trusts about its district server (docs/security.md "Pinning the district"):
//
// - The district key. `kioskctl init --district-key` pins either the district's signed key
//   (sync/protocol/district_key.h: its Ed25519 identity and current sealing key) or, as before, a
//   bare 32-byte sealing key. At whoami (acceptDistrictKey) a kiosk that pinned the identity takes a
//   new sealing key only when the identity signed it, with a key id not below the pinned one; a kiosk
//   that pinned a bare key (or learnt one from a district older than the signed key) takes no other
//   key at all; a kiosk that pinned nothing learns both at its first whoami (trust on first use).
//   Whatever is refused, district_pk — the key the store seals to — stays as it was.
// - The transport. http:// is refused except to loopback, unless the installer said
//   --insecure-http (then the kiosk tells the district so in each push's heartbeat).
//
// Kept in the kiosk database's meta: district_pk (the sealing key, base64), district_identity
// (base64 Ed25519 public key, "" when none is pinned), district_key_id, insecure_http ("1").
// Callers: the sync engine (whoami, each pass's transport) and kioskctl init. The caller's thread.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace kiosk::store {
class KioskStore;
}

namespace kiosk::client {

// A --district-key value, read: a signed district key or a bare sealing key.
struct DistrictPin {
    std::string sealing;   // base64 X25519 key identities are sealed to
    std::string identity;  // base64 Ed25519 key; "" for a bare key (no rotation possible)
    int64_t keyId = 0;     // 0 for a bare key
};
std::optional<DistrictPin> parseDistrictPin(const std::string& text);
// Writes the pin to the kiosk's meta (replacing any earlier pin: the installer's word).
Outcome writeDistrictPin(store::KioskStore& store, const DistrictPin& pin);

// whoami's answer against the pin. Errors: "sync.district-key-mismatch" (the pass must stop: push
// nothing, seal nothing new), or the database's own.
Outcome acceptDistrictKey(store::KioskStore& store, const nlohmann::json& whoami);

// "http://" to a host other than 127.0.0.0/8, ::1 or localhost.
bool isInsecureRemoteUrl(const std::string& url);
// nullopt when the kiosk may speak to url; else "sync.insecure-http", refused before connecting.
std::optional<Error> refuseInsecureUrl(const std::string& url, bool insecureHttpAllowed);

}  // namespace kiosk::client
