#pragma once
// The identity vault: what a citizen typed about themselves (name, CCCD, phone, address) and the
// petition's content never reach the kiosk's disk in the clear (Hardening issue; Luật Tố cáo 2018
// Điều 47, 56). Each record's private part is sealed (libsodium crypto_box_seal, X25519 +
// XSalsa20-Poly1305) to:
//   - the district's public key, for sync (the copy that travels in the Submit/Register event), and
//   - each active commune officer's public key — except for a tố cáo, whose denouncer only the
//     district's inspectors may read.
// An officer's secret key is kept wrapped (crypto_secretbox) under a key derived from their PIN by
// argon2id (parameters stored per officer; see docs/security.md for the figures). Logging in unwraps
// it into locked memory; a wrong PIN fails the unwrap. Nothing here writes SQL: kiosk/store calls it.
// Thread: pure functions; an OfficerSecret may be shared read-only between threads.
#include <sodium.h>

#include <array>
#include <memory>
#include <optional>
#include <string>

#include "core/records.h"
#include "common/result.h"

namespace kiosk::store {

using PublicKey = std::array<unsigned char, crypto_box_PUBLICKEYBYTES>;

// An unwrapped secret key in sodium_malloc'd memory (guarded, locked, wiped on destruction).
class OfficerSecret {
public:
    OfficerSecret(std::string officerId, const PublicKey& publicKey, const unsigned char* secretKey);
    ~OfficerSecret();
    OfficerSecret(const OfficerSecret&) = delete;
    OfficerSecret& operator=(const OfficerSecret&) = delete;
    const std::string& officerId() const { return m_officerId; }
    const PublicKey& publicKey() const { return m_publicKey; }
    const unsigned char* secretKey() const { return m_secretKey; }

private:
    std::string m_officerId;
    PublicKey m_publicKey;
    unsigned char* m_secretKey;
};

// The private part of a record: identity and content.
struct PrivatePart {
    Identity identity;
    std::string content;
};

// argon2id cost for wrapping officer keys. Stored with each wrapped key, so raising it later only
// affects keys wrapped afterwards.
struct KdfCost {
    unsigned long long ops = 3;    // crypto_pwhash_OPSLIMIT_MODERATE
    size_t memBytes = 256u << 20;  // crypto_pwhash_MEMLIMIT_MODERATE (256 MiB)
};

struct WrappedKey {
    PublicKey publicKey;
    std::string wrapped;  // base64(nonce || secretbox(secret key))
    std::string salt;     // base64
    KdfCost cost;
};

// A new officer key pair, wrapped under the PIN.
Result<WrappedKey> makeWrappedKey(const std::string& pin, const KdfCost& cost = {});
// Unwraps with the PIN; an Error ("vault.wrong-pin") when the PIN is wrong.
Result<std::shared_ptr<OfficerSecret>> unwrapKey(const std::string& officerId, const WrappedKey& key,
                                                 const std::string& pin);

// Sealed boxes, base64 on the outside.
std::string sealPrivatePart(const PrivatePart& part, const PublicKey& recipient);
std::optional<PrivatePart> openPrivatePart(const std::string& sealed, const OfficerSecret& secret);
std::optional<PrivatePart> openPrivatePart(const std::string& sealed, const PublicKey& publicKey,
                                           const unsigned char* secretKey);

std::string toBase64(const unsigned char* data, size_t size);
std::optional<std::string> fromBase64(const std::string& text);
std::optional<PublicKey> publicKeyFromBase64(const std::string& text);

}  // namespace kiosk::store
