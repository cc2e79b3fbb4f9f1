#include "common/sealing.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <new>

namespace kiosk::common {
namespace {

struct SodiumInit {
    SodiumInit() {
        if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing here can be done safely
    }
};
const SodiumInit kSodiumInit;

constexpr size_t kFingerprintBytes = 8;

constexpr size_t kWrappedBytes =
    crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES;

Error outOfSecureMemory() {
    return makeError("vault.memory", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
}

}  // namespace

// [SECTION] wiping

void wipe(void* data, size_t size) {
    if (data && size) sodium_memzero(data, size);
}

void wipe(std::string& text) {
    wipe(text.data(), text.size());
    text.clear();
}

SecretBytes::SecretBytes(size_t size)
    : m_data(static_cast<unsigned char*>(sodium_malloc(size))), m_size(m_data ? size : 0) {}

SecretBytes::~SecretBytes() { sodium_free(m_data); }

SecretKey::SecretKey(const PublicKey& publicKey, const unsigned char* secretKey)
    : m_publicKey(publicKey), m_secret(crypto_box_SECRETKEYBYTES) {
    if (!m_secret.ok()) throw std::bad_alloc();
    std::memcpy(m_secret.data(), secretKey, crypto_box_SECRETKEYBYTES);
}

// [SECTION] base64

std::string toBase64(const unsigned char* data, size_t size) {
    std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::string> fromBase64(const std::string& text) {
    std::string out(text.size(), '\0');
    size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                          nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

std::optional<PublicKey> publicKeyFromBase64(const std::string& text) {
    auto raw = fromBase64(text);
    if (!raw || raw->size() != crypto_box_PUBLICKEYBYTES) return std::nullopt;
    PublicKey key;
    std::memcpy(key.data(), raw->data(), key.size());
    return key;
}

// [SECTION] key pairs and sealed boxes

bool makeKeyPair(PublicKey& publicKey, SecretBytes& secret) {
    if (!secret.ok() || secret.size() != crypto_box_SECRETKEYBYTES) return false;
    crypto_box_keypair(publicKey.data(), secret.data());
    return true;
}

std::string keyFingerprint(const PublicKey& key) {
    unsigned char hash[crypto_generichash_BYTES];  // 32: BLAKE2b-256, then its first 8 bytes
    crypto_generichash(hash, sizeof hash, key.data(), key.size(), nullptr, 0);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < kFingerprintBytes; ++i) {
        out += hex[hash[i] >> 4];
        out += hex[hash[i] & 15];
    }
    return out;
}

std::string seal(std::string_view plain, const PublicKey& recipient) {
    std::string box(plain.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()),
                    reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), recipient.data());
    return keyFingerprint(recipient) + ":" +
           toBase64(reinterpret_cast<const unsigned char*>(box.data()), box.size());
}

std::optional<std::string> sealedFingerprint(const std::string& sealed) {
    const size_t colon = sealed.find(':');
    if (colon != kFingerprintBytes * 2) return std::nullopt;
    for (size_t i = 0; i < colon; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(sealed[i]))) return std::nullopt;
    return sealed.substr(0, colon);
}

bool openSealed(const std::string& sealed, const PublicKey& publicKey, const unsigned char* secretKey,
                std::string& plain) {
    std::optional<std::string> box;
    if (auto named = sealedFingerprint(sealed)) {
        if (*named != keyFingerprint(publicKey)) return false;  // sealed to another key
        box = fromBase64(sealed.substr(named->size() + 1));
    } else {
        box = fromBase64(sealed);
    }
    if (!box || box->size() < crypto_box_SEALBYTES) return false;
    plain.assign(box->size() - crypto_box_SEALBYTES, '\0');
    return crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()),
                                reinterpret_cast<const unsigned char*>(box->data()), box->size(),
                                publicKey.data(), secretKey) == 0;
}

// [SECTION] keys wrapped under a PIN

Result<WrappedKey> makeWrappedKey(const std::string& pin, const KdfCost& cost) {
    PublicKey publicKey;
    SecretBytes secret(crypto_box_SECRETKEYBYTES);
    if (!secret.ok()) return outOfSecureMemory();
    crypto_box_keypair(publicKey.data(), secret.data());
    return wrapSecretKey(publicKey, secret.data(), pin, cost);
}

Result<WrappedKey> wrapSecretKey(const PublicKey& publicKey, const unsigned char* secretKey,
                                 const std::string& pin, const KdfCost& cost) {
    WrappedKey out;
    out.cost = cost;
    out.publicKey = publicKey;
    SecretBytes kek(crypto_secretbox_KEYBYTES);
    if (!kek.ok()) return outOfSecureMemory();
    unsigned char salt[crypto_pwhash_SALTBYTES];
    randombytes_buf(salt, sizeof salt);
    if (crypto_pwhash(kek.data(), crypto_secretbox_KEYBYTES, pin.data(), pin.size(), salt, cost.ops,
                      cost.memBytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return makeError("vault.kdf", "Không đủ bộ nhớ để bảo vệ khoá.",
                         "Out of memory while protecting the key.");
    std::string box(kWrappedBytes, '\0');
    auto* b = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(b, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(b + crypto_secretbox_NONCEBYTES, secretKey, crypto_box_SECRETKEYBYTES, b,
                          kek.data());
    out.wrapped = toBase64(b, box.size());
    out.salt = toBase64(salt, sizeof salt);
    return out;
}

Outcome unwrapSecretKey(const WrappedKey& key, const std::string& pin, SecretBytes& secret) {
    auto box = fromBase64(key.wrapped);
    auto salt = fromBase64(key.salt);
    if (!box || !salt || salt->size() != crypto_pwhash_SALTBYTES || box->size() != kWrappedBytes)
        return makeError("vault.corrupt", "Khoá của cán bộ bị hỏng.", "The officer's key is damaged.");
    SecretBytes kek(crypto_secretbox_KEYBYTES);
    if (!kek.ok() || !secret.ok() || secret.size() != crypto_box_SECRETKEYBYTES) return outOfSecureMemory();
    const auto* b = reinterpret_cast<const unsigned char*>(box->data());
    if (crypto_pwhash(kek.data(), crypto_secretbox_KEYBYTES, pin.data(), pin.size(),
                      reinterpret_cast<const unsigned char*>(salt->data()), key.cost.ops, key.cost.memBytes,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return makeError("vault.kdf", "Không đủ bộ nhớ để mở khoá.",
                         "Out of memory while unlocking the key.");
    if (crypto_secretbox_open_easy(secret.data(), b + crypto_secretbox_NONCEBYTES,
                                   box->size() - crypto_secretbox_NONCEBYTES, b, kek.data()) != 0)
        return makeError("vault.wrong-pin", "Sai mã PIN.", "Wrong PIN.");
    return {};
}

}  // namespace kiosk::common
