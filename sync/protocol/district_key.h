#pragma once
// The district key: what pins a district for a kiosk (docs/sync-protocol.md "The district key",
// docs/security.md "The district's key pair").
//
// It is: one printable string binding the district's current sealing key (X25519, what identities
// are sealed to) to the district's long-term signing identity (Ed25519, libsodium crypto_sign) by a
// signature of that identity, with the key's number so an older key cannot be replayed:
//
//     ckd1.<key id>.<identity, base64>.<sealing key, base64>.<signature, base64>
//
// The signature (detached Ed25519) covers "commune-kiosk district key v1", a NUL, the key id in
// decimal, a NUL and the 32 raw bytes of the sealing key. The district makes one at each new key
// (district/office/keys.h) and serves it at whoami; `kioskctl init --district-key` takes it, and the
// kiosk's sync engine accepts a new sealing key only in a string signed by the identity it pinned.
// It is not: the pinning policy (sync/client/district_pin.h) or where the secret keys are kept.
// Pure functions, any thread, no I/O.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <sodium.h>

#include "common/sealing.h"

namespace kiosk::protocol {

using SigningPublicKey = std::array<unsigned char, crypto_sign_PUBLICKEYBYTES>;

struct DistrictKey {
    int64_t keyId = 0;            // 1, 2, ... in the order the district made its sealing keys
    SigningPublicKey identity{};  // the district's long-term Ed25519 public key
    common::PublicKey sealing{};  // the X25519 key identities are sealed to
    std::string text;             // the whole string, as parsed or made
    std::string identityBase64() const;
    std::string sealingBase64() const;
};

// Makes the signed string; signingSecret is crypto_sign_SECRETKEYBYTES (it holds its public half).
std::string makeDistrictKey(int64_t keyId, const unsigned char* signingSecret,
                            const common::PublicKey& sealing);
// Parses a string and checks its signature against the identity it names; nullopt when it is not
// such a string or the signature does not verify. (Whether that identity is the one the kiosk
// pinned is the caller's question.)
std::optional<DistrictKey> parseDistrictKey(const std::string& text);

}  // namespace kiosk::protocol
