#include "kiosk/store/identity_vault.h"

#include "core/officer_signature.h"

namespace kiosk::store {

namespace {
// The BLAKE2b key that separates the signing seed from any other use of the X25519 secret.
constexpr char kSigningContext[] = "commune-kiosk officer signing seed v1";
}  // namespace

OfficerSecret::OfficerSecret(std::string officerId, const PublicKey& publicKey,
                             const unsigned char* secretKey)
    : m_officerId(std::move(officerId)),
      m_key(publicKey, secretKey),
      m_signingSecret(crypto_sign_SECRETKEYBYTES) {
    common::SecretBytes seed(crypto_sign_SEEDBYTES);
    if (!seed.ok() || !m_signingSecret.ok()) throw std::bad_alloc();
    crypto_generichash(seed.data(), seed.size(), secretKey, crypto_box_SECRETKEYBYTES,
                       reinterpret_cast<const unsigned char*>(kSigningContext), sizeof kSigningContext - 1);
    crypto_sign_seed_keypair(m_signingPublic.data(), m_signingSecret.data(), seed.data());
}

std::string signingKeyText(const OfficerSecret& secret) {
    return toBase64(secret.signingPublicKey().data(), secret.signingPublicKey().size());
}

void signOfficerAction(Event& event, const OfficerSecret& secret) {
    if (!event.payload.is_object()) event.payload = nlohmann::json::object();
    event.payload[kOfficerKeyField] = signingKeyText(secret);
    const std::string message = officerActionMessage(event);
    std::array<unsigned char, crypto_sign_BYTES> signature{};
    crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secret.signingSecretKey());
    event.payload[kOfficerSignatureField] = toBase64(signature.data(), signature.size());
}

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
