#include "kiosk/store/identity_vault.h"

namespace kiosk::store {

Result<std::shared_ptr<OfficerSecret>> unwrapKey(const std::string& officerId, const WrappedKey& key,
                                                 const std::string& pin) {
    common::SecretBytes secret(crypto_box_SECRETKEYBYTES);
    if (auto ok = common::unwrapSecretKey(key, pin, secret); !ok) return ok.error();
    return std::make_shared<OfficerSecret>(officerId, key.publicKey, secret.data());
}

std::string sealPrivatePart(const PrivatePart& part, const PublicKey& recipient) {
    const common::SecretString plain(privatePartToJson(part));
    return common::seal(plain.text(), recipient);
}

std::optional<PrivatePart> openPrivatePart(const std::string& sealed, const PublicKey& publicKey,
                                           const unsigned char* secretKey) {
    common::SecretString plain;
    if (!common::openSealed(sealed, publicKey, secretKey, plain.text())) return std::nullopt;
    return privatePartFromJson(plain.text());
}

std::optional<PrivatePart> openPrivatePart(const std::string& sealed, const OfficerSecret& secret) {
    return openPrivatePart(sealed, secret.publicKey(), secret.secretKey());
}

}  // namespace kiosk::store
