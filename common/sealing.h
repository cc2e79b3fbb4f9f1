#pragma once
// Sealing and secret wiping, with no product knowledge: X25519 public keys, sealed boxes of bytes
// (libsodium crypto_box_seal, X25519 + XSalsa20-Poly1305) with base64 on the outside, secret keys
// wrapped (crypto_secretbox) under a key derived from a PIN by argon2id, secrets held in
// sodium_malloc'd memory, and the one secure-wipe primitive every program uses for secrets in
// ordinary memory. What is sealed (a record's private part) is the product's business: core/
// private_part.h, kiosk/store/identity_vault.h, district/office/keys.h.
// Thread: pure functions; a SecretKey may be shared read-only between threads.
#include <sodium.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::common {

using PublicKey = std::array<unsigned char, crypto_box_PUBLICKEYBYTES>;

// [SECTION] wiping

// Overwrites the bytes with zeros in a way the compiler may not drop (sodium_memzero).
void wipe(void* data, size_t size);
// Overwrites the string's characters (its whole length; the capacity beyond it was never written
// here) and leaves it empty.
void wipe(std::string& text);

// A std::string wiped when it goes: for secrets on their way in or out (a key file's text, a
// private part's JSON).
class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string text) : m_text(std::move(text)) {}
    ~SecretString() { wipe(m_text); }
    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;
    std::string& text() { return m_text; }
    const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

// A fixed-size secret in sodium_malloc'd memory (guarded, locked, wiped and freed on destruction).
// data() is nullptr when secure memory ran out: check ok().
class SecretBytes {
public:
    explicit SecretBytes(size_t size);
    ~SecretBytes();
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    bool ok() const { return m_data != nullptr; }
    unsigned char* data() { return m_data; }
    const unsigned char* data() const { return m_data; }
    size_t size() const { return m_size; }

private:
    unsigned char* m_data;
    size_t m_size;
};

// A key pair's secret half with its public key, in secure memory.
class SecretKey {
public:
    // Copies crypto_box_SECRETKEYBYTES from secretKey; throws std::bad_alloc when secure memory ran out.
    SecretKey(const PublicKey& publicKey, const unsigned char* secretKey);
    const PublicKey& publicKey() const { return m_publicKey; }
    const unsigned char* secretKey() const { return m_secret.data(); }

private:
    PublicKey m_publicKey;
    SecretBytes m_secret;
};

// [SECTION] base64 (the original variant, with padding)

std::string toBase64(const unsigned char* data, size_t size);
std::optional<std::string> fromBase64(const std::string& text);
std::optional<PublicKey> publicKeyFromBase64(const std::string& text);

// [SECTION] key pairs and sealed boxes

// A new X25519 key pair; false when secret's size is not crypto_box_SECRETKEYBYTES or it holds no memory.
bool makeKeyPair(PublicKey& publicKey, SecretBytes& secret);

// The name of a public key that a sealed box carries: the first 8 bytes of BLAKE2b-256 of the key,
// in lowercase hex (16 characters). Public; it tells a holder of several keys which one a box needs,
// and a district which boxes none of its keys can open.
std::string keyFingerprint(const PublicKey& key);

// "<fingerprint of recipient>:" + base64(crypto_box_seal(plain)) (docs/security.md "Sealed boxes").
std::string seal(std::string_view plain, const PublicKey& recipient);
// The fingerprint a sealed box names, or nullopt for a box sealed before boxes named their key
// (plain base64: base64 has no ':').
std::optional<std::string> sealedFingerprint(const std::string& sealed);
// Opens a sealed box (with or without its fingerprint) into plain (wipe it when done: SecretString);
// false when it does not open, or names another key than publicKey.
bool openSealed(const std::string& sealed, const PublicKey& publicKey, const unsigned char* secretKey,
                std::string& plain);

// [SECTION] keys wrapped under a PIN

// argon2id cost for wrapping keys. Stored with each wrapped key, so raising it later only affects
// keys wrapped afterwards.
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

// A new key pair, its secret wrapped under the PIN. Errors "vault.memory", "vault.kdf".
Result<WrappedKey> makeWrappedKey(const std::string& pin, const KdfCost& cost = {});
// An existing key pair's secret (crypto_box_SECRETKEYBYTES) wrapped under the PIN, with a new salt.
Result<WrappedKey> wrapSecretKey(const PublicKey& publicKey, const unsigned char* secretKey,
                                 const std::string& pin, const KdfCost& cost = {});
// Unwraps with the PIN into secret (crypto_box_SECRETKEYBYTES). Errors "vault.wrong-pin" when the PIN
// is wrong, "vault.corrupt", "vault.memory", "vault.kdf".
Outcome unwrapSecretKey(const WrappedKey& key, const std::string& pin, SecretBytes& secret);

}  // namespace kiosk::common
