#include "kiosk/store/identity_vault.h"

#include <cstring>
#include <new>

#include <nlohmann/json.hpp>

namespace kiosk::store {
namespace {

struct SodiumInit {
    SodiumInit() {
        if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing here can be done safely
    }
};
const SodiumInit kSodiumInit;

}  // namespace

OfficerSecret::OfficerSecret(std::string officerId, const PublicKey& publicKey,
                             const unsigned char* secretKey)
    : m_officerId(std::move(officerId)), m_publicKey(publicKey) {
    m_secretKey = static_cast<unsigned char*>(sodium_malloc(crypto_box_SECRETKEYBYTES));
    if (!m_secretKey) throw std::bad_alloc();
    std::memcpy(m_secretKey, secretKey, crypto_box_SECRETKEYBYTES);
}

OfficerSecret::~OfficerSecret() { sodium_free(m_secretKey); }

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

Result<WrappedKey> makeWrappedKey(const std::string& pin, const KdfCost& cost) {
    WrappedKey out;
    out.cost = cost;
    unsigned char* secret = static_cast<unsigned char*>(sodium_malloc(crypto_box_SECRETKEYBYTES));
    unsigned char* kek = static_cast<unsigned char*>(sodium_malloc(crypto_secretbox_KEYBYTES));
    if (!secret || !kek) {
        sodium_free(secret);
        sodium_free(kek);
        return makeError("vault.memory", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
    }
    crypto_box_keypair(out.publicKey.data(), secret);
    unsigned char salt[crypto_pwhash_SALTBYTES];
    randombytes_buf(salt, sizeof salt);
    Result<WrappedKey> result = out;
    if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, pin.data(), pin.size(), salt, cost.ops, cost.memBytes,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        result = makeError("vault.kdf", "Không đủ bộ nhớ để bảo vệ khoá.",
                           "Out of memory while protecting the key.");
    } else {
        std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES,
                        '\0');
        auto* b = reinterpret_cast<unsigned char*>(box.data());
        randombytes_buf(b, crypto_secretbox_NONCEBYTES);
        crypto_secretbox_easy(b + crypto_secretbox_NONCEBYTES, secret, crypto_box_SECRETKEYBYTES, b, kek);
        result->wrapped = toBase64(b, box.size());
        result->salt = toBase64(salt, sizeof salt);
    }
    sodium_free(secret);
    sodium_free(kek);
    return result;
}

Result<std::shared_ptr<OfficerSecret>> unwrapKey(const std::string& officerId, const WrappedKey& key,
                                                 const std::string& pin) {
    auto box = fromBase64(key.wrapped);
    auto salt = fromBase64(key.salt);
    if (!box || !salt || salt->size() != crypto_pwhash_SALTBYTES ||
        box->size() != crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + crypto_box_SECRETKEYBYTES)
        return makeError("vault.corrupt", "Khoá của cán bộ bị hỏng.", "The officer's key is damaged.");
    unsigned char* kek = static_cast<unsigned char*>(sodium_malloc(crypto_secretbox_KEYBYTES));
    unsigned char* secret = static_cast<unsigned char*>(sodium_malloc(crypto_box_SECRETKEYBYTES));
    if (!kek || !secret) {
        sodium_free(kek);
        sodium_free(secret);
        return makeError("vault.memory", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
    }
    Result<std::shared_ptr<OfficerSecret>> result = makeError("vault.wrong-pin", "Sai mã PIN.", "Wrong PIN.");
    const auto* b = reinterpret_cast<const unsigned char*>(box->data());
    if (crypto_pwhash(kek, crypto_secretbox_KEYBYTES, pin.data(), pin.size(),
                      reinterpret_cast<const unsigned char*>(salt->data()), key.cost.ops, key.cost.memBytes,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        result =
            makeError("vault.kdf", "Không đủ bộ nhớ để mở khoá.", "Out of memory while unlocking the key.");
    } else if (crypto_secretbox_open_easy(secret, b + crypto_secretbox_NONCEBYTES,
                                          box->size() - crypto_secretbox_NONCEBYTES, b, kek) == 0) {
        result = std::make_shared<OfficerSecret>(officerId, key.publicKey, secret);
    }
    sodium_free(kek);
    sodium_free(secret);
    return result;
}

std::string sealPrivatePart(const PrivatePart& part, const PublicKey& recipient) {
    std::string plain = nlohmann::json{
        {"name", part.identity.name},
        {"cccd", part.identity.cccd},
        {"phone", part.identity.phone},
        {"address", part.identity.address},
        {"content",
         part.content}}.dump();
    std::string box(plain.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()),
                    reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), recipient.data());
    sodium_memzero(plain.data(), plain.size());
    return toBase64(reinterpret_cast<const unsigned char*>(box.data()), box.size());
}

std::optional<PrivatePart> openPrivatePart(const std::string& sealed, const PublicKey& publicKey,
                                           const unsigned char* secretKey) {
    auto box = fromBase64(sealed);
    if (!box || box->size() < crypto_box_SEALBYTES) return std::nullopt;
    std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()),
                             reinterpret_cast<const unsigned char*>(box->data()), box->size(),
                             publicKey.data(), secretKey) != 0)
        return std::nullopt;
    auto j = nlohmann::json::parse(plain, nullptr, false);
    sodium_memzero(plain.data(), plain.size());
    if (!j.is_object()) return std::nullopt;
    PrivatePart part;
    part.identity.name = j.value("name", "");
    part.identity.cccd = j.value("cccd", "");
    part.identity.phone = j.value("phone", "");
    part.identity.address = j.value("address", "");
    part.content = j.value("content", "");
    return part;
}

std::optional<PrivatePart> openPrivatePart(const std::string& sealed, const OfficerSecret& secret) {
    return openPrivatePart(sealed, secret.publicKey(), secret.secretKey());
}

}  // namespace kiosk::store
