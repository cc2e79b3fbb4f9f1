#include "sync/protocol/district_key.h"

#include <charconv>
#include <cstring>
#include <vector>

namespace kiosk::protocol {
namespace {

constexpr const char* kPrefix = "ckd1";
constexpr const char* kContext = "commune-kiosk district key v1";

std::string signedMessage(int64_t keyId, const common::PublicKey& sealing) {
    std::string message(kContext);
    message += '\0';
    message += std::to_string(keyId);
    message += '\0';
    message.append(reinterpret_cast<const char*>(sealing.data()), sealing.size());
    return message;
}

std::vector<std::string> splitDots(const std::string& text) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        const size_t dot = text.find('.', start);
        parts.push_back(text.substr(start, dot - start));
        if (dot == std::string::npos) return parts;
        start = dot + 1;
    }
}

}  // namespace

std::string DistrictKey::identityBase64() const { return common::toBase64(identity.data(), identity.size()); }
std::string DistrictKey::sealingBase64() const { return common::toBase64(sealing.data(), sealing.size()); }

std::string makeDistrictKey(int64_t keyId, const unsigned char* signingSecret,
                            const common::PublicKey& sealing) {
    const std::string message = signedMessage(keyId, sealing);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), signingSecret);
    SigningPublicKey identity;
    crypto_sign_ed25519_sk_to_pk(identity.data(), signingSecret);
    return std::string(kPrefix) + "." + std::to_string(keyId) + "." +
           common::toBase64(identity.data(), identity.size()) + "." +
           common::toBase64(sealing.data(), sealing.size()) + "." +
           common::toBase64(signature, sizeof signature);
}

std::optional<DistrictKey> parseDistrictKey(const std::string& text) {
    if (text.size() > 512) return std::nullopt;
    const std::vector<std::string> parts = splitDots(text);
    if (parts.size() != 5 || parts[0] != kPrefix) return std::nullopt;
    DistrictKey key;
    const auto [end, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), key.keyId);
    if (ec != std::errc() || end != parts[1].data() + parts[1].size() || key.keyId < 1) return std::nullopt;
    auto identity = common::fromBase64(parts[2]);
    auto sealing = common::publicKeyFromBase64(parts[3]);
    auto signature = common::fromBase64(parts[4]);
    if (!identity || identity->size() != key.identity.size() || !sealing || !signature ||
        signature->size() != crypto_sign_BYTES)
        return std::nullopt;
    std::memcpy(key.identity.data(), identity->data(), key.identity.size());
    key.sealing = *sealing;
    const std::string message = signedMessage(key.keyId, key.sealing);
    if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature->data()),
                                    reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                    key.identity.data()) != 0)
        return std::nullopt;
    key.text = text;
    return key;
}

}  // namespace kiosk::protocol
