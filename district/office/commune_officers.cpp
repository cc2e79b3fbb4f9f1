#include "district/office/commune_officers.h"

#include <sodium.h>

#include "common/sealing.h"
#include "core/officer_signature.h"

namespace kiosk::district {
namespace {

bool isCommuneCode(const std::string& text) {
    return text.size() == 5 && text.find_first_not_of("0123456789") == std::string::npos;
}

std::optional<std::string> signingKeyBytes(const std::string& base64) {
    auto bytes = common::fromBase64(base64);
    if (!bytes || bytes->size() != crypto_sign_PUBLICKEYBYTES) return std::nullopt;
    return bytes;
}

bool verifies(const Event& event, const std::string& signature, const std::string& key) {
    const std::string message = officerActionMessage(event);
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                       reinterpret_cast<const unsigned char*>(key.data())) == 0;
}

Error unknownOfficer(const Event& event) {
    return makeError(
        "officer.unknown",
        "Cán bộ xã “" + event.actor.id +
            "” chưa được máy chủ đăng ký với khoá ký này cho xã của máy kiosk, nên máy chủ không "
            "nhận thao tác.",
        "Commune officer “" + event.actor.id +
            "” is not registered at the server with this signing key for this kiosk's "
            "commune, so the district refused the action.");
}

Error badSignature(const Event& event) {
    return makeError("officer.signature",
                     "Chữ ký của cán bộ xã “" + event.actor.id + "” trên thao tác không đúng.",
                     "The action's signature by commune officer “" + event.actor.id + "” does not verify.");
}

}  // namespace

Outcome addCommuneOfficer(DistrictStore& store, const CommuneOfficer& officer, int64_t nowMs) {
    if (!isCommuneCode(officer.commune) || officer.id.empty() || officer.id.size() > 64)
        return makeError("commune-officer.fields", "Cần --commune (mã xã 5 chữ số) và --id MÃ_CÁN_BỘ.",
                         "--commune (a 5-digit commune code) and --id ID are required.");
    if (!signingKeyBytes(officer.signingKey))
        return makeError(
            "commune-officer.key",
            "--signing-key phải là khoá ký công khai (base64) mà kioskctl officer add in ra.",
            "--signing-key must be the signing public key (base64) kioskctl officer add printed.");
    store::Database& db = store.database();
    store::Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    auto insert = db.prepare(
        "INSERT INTO commune_officers(commune, officer_id, signing_key, name, added_at) "
        "VALUES(?,?,?,?,?) ON CONFLICT DO NOTHING");
    if (!insert) return insert.error();
    insert->bind(1, officer.commune).bind(2, officer.id).bind(3, officer.signingKey).bind(4, officer.name);
    insert->bind(5, nowMs);
    if (auto ok = insert->run(); !ok) return ok;
    // Registering again is the district's word that the officer acts again.
    auto enable = db.prepare(
        "UPDATE commune_officers SET disabled = 0, name = CASE WHEN ?3 = '' THEN name ELSE ?3 END "
        "WHERE commune = ?1 AND officer_id = ?2");
    if (!enable) return enable.error();
    enable->bind(1, officer.commune).bind(2, officer.id).bind(3, officer.name);
    if (auto ok = enable->run(); !ok) return ok;
    return tx.commit();
}

Outcome disableCommuneOfficer(DistrictStore& store, const std::string& commune, const std::string& id) {
    auto st = store.database().prepare(
        "UPDATE commune_officers SET disabled = 1 WHERE commune = ? AND officer_id = ?");
    if (!st) return st.error();
    st->bind(1, commune).bind(2, id);
    if (auto ok = st->run(); !ok) return ok;
    if (store.database().changes() == 0)
        return makeError("commune-officer.unknown", "Xã " + commune + " không có cán bộ “" + id + "”.",
                         "Commune " + commune + " has no officer “" + id + "”.");
    return {};
}

Result<std::vector<CommuneOfficer>> listCommuneOfficers(DistrictStore& store, const std::string& commune) {
    auto st = store.database().prepare(
        "SELECT commune, officer_id, signing_key, name, disabled, added_at FROM commune_officers "
        "WHERE ?1 = '' OR commune = ?1 ORDER BY commune, officer_id, added_at");
    if (!st) return st.error();
    st->bind(1, commune);
    std::vector<CommuneOfficer> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(
            {st->text(0), st->text(1), st->text(2), st->text(3), st->integer(4) != 0, st->integer(5)});
    }
    return out;
}

Result<std::optional<Error>> judgeCommuneOfficerAction(DistrictStore& store, const std::string& commune,
                                                       const Event& event) {
    if (!needsOfficerSignature(event)) return std::optional<Error>();
    const auto keyField = event.payload.find(kOfficerKeyField);
    const auto sigField = event.payload.find(kOfficerSignatureField);
    if (keyField == event.payload.end() || sigField == event.payload.end() || !keyField->is_string() ||
        !sigField->is_string())
        return std::optional<Error>(badSignature(event));
    const std::string keyText = keyField->get<std::string>();
    auto cachedSt = store.cached(
        "SELECT disabled FROM commune_officers WHERE commune = ? AND officer_id = ? AND signing_key = ?");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, commune).bind(2, event.actor.id).bind(3, keyText);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Error>(unknownOfficer(event));
    if (st->integer(0) != 0)
        return std::optional<Error>(makeError(
            "officer.disabled",
            "Cán bộ xã “" + event.actor.id + "” đã bị máy chủ khoá, nên máy chủ không nhận thao tác.",
            "Commune officer “" + event.actor.id +
                "” is disabled at the server, so the action was refused."));
    auto key = signingKeyBytes(keyText);
    auto signature = common::fromBase64(sigField->get<std::string>());
    if (!key || !signature || signature->size() != crypto_sign_BYTES)
        return std::optional<Error>(badSignature(event));
    if (verifies(event, *signature, *key)) return std::optional<Error>();
    if (!event.kioskId.empty()) {
        Event unstamped = event;
        unstamped.kioskId.clear();
        if (verifies(unstamped, *signature, *key)) return std::optional<Error>();
    }
    return std::optional<Error>(badSignature(event));
}

}  // namespace kiosk::district
