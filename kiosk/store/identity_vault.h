#pragma once
// The identity vault: what a citizen typed about themselves (name, CCCD, phone, address) and the
// petition's content never reach the kiosk's disk in the clear (Hardening issue; Luật Tố cáo 2018
// Điều 47, 56). Each record's private part (core/private_part.h) is sealed (common/sealing.h,
// libsodium crypto_box_seal, X25519 + XSalsa20-Poly1305) to:
//   - the district's public key, for sync (the copy that travels in the Submit/Register event), and
//   - each active commune officer's public key — except for a tố cáo, whose denouncer only the
//     district's inspectors may read.
// An officer's secret key is kept wrapped (crypto_secretbox) under a key derived from their PIN by
// argon2id (parameters stored per officer; see docs/security.md for the figures). Logging in unwraps
// it into locked memory; a wrong PIN fails the unwrap. Nothing here writes SQL: kiosk/store calls it.
// Thread: pure functions; an OfficerSecret may be shared read-only between threads.
#include <array>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/sealing.h"
#include "core/event.h"
#include "core/private_part.h"

namespace kiosk::store {

using common::fromBase64;
using common::KdfCost;
using common::makeWrappedKey;
using common::PublicKey;
using common::publicKeyFromBase64;
using common::toBase64;
using common::WrappedKey;
using kiosk::Event;
using kiosk::PrivatePart;

using SigningPublicKey = std::array<unsigned char, crypto_sign_PUBLICKEYBYTES>;

// An officer's unwrapped secret key in sodium_malloc'd memory (guarded, locked, wiped on destruction),
// and the Ed25519 signing key pair derived from it. The signing key is not stored anywhere: it is
// BLAKE2b(X25519 secret key, keyed with a fixed context) used as the crypto_sign seed, so the one
// wrap under the PIN-derived key protects both, and a new X25519 pair (add, reset-pin, a PIN change)
// is a new signing key too. Throws std::bad_alloc when secure memory ran out.
class OfficerSecret {
public:
    OfficerSecret(std::string officerId, const PublicKey& publicKey, const unsigned char* secretKey);
    const std::string& officerId() const { return m_officerId; }
    const PublicKey& publicKey() const { return m_key.publicKey(); }
    const unsigned char* secretKey() const { return m_key.secretKey(); }
    const SigningPublicKey& signingPublicKey() const { return m_signingPublic; }
    const unsigned char* signingSecretKey() const { return m_signingSecret.data(); }

private:
    std::string m_officerId;
    common::SecretKey m_key;
    SigningPublicKey m_signingPublic{};
    common::SecretBytes m_signingSecret;  // crypto_sign_SECRETKEYBYTES
};

// base64 of the officer's signing public key, as kioskctl shows it and the district registers it.
std::string signingKeyText(const OfficerSecret& secret);

// Signs the officer's action (core/officer_signature.h): sets payload officer_key and officer_sig.
// The event must be complete (uuid, hlc, kiosk, payload) before; nothing may change it after.
void signOfficerAction(Event& event, const OfficerSecret& secret);

// Unwraps with the PIN; an Error ("vault.wrong-pin") when the PIN is wrong.
Result<std::shared_ptr<OfficerSecret>> unwrapKey(const std::string& officerId, const WrappedKey& key,
                                                 const std::string& pin);

// Sealed boxes, base64 on the outside.
std::string sealPrivatePart(const PrivatePart& part, const PublicKey& recipient);
std::optional<PrivatePart> openPrivatePart(const std::string& sealed, const OfficerSecret& secret);
std::optional<PrivatePart> openPrivatePart(const std::string& sealed, const PublicKey& publicKey,
                                           const unsigned char* secretKey);

}  // namespace kiosk::store
