#pragma once
// Commune officers for the fixtures: each officer id has a fixed key pair (derived from the id), so
// a fixture can register the officer's signing key at the district before any kiosk exists, sign
// the officer actions it builds by hand the way a kiosk signs them, and unlock an in-process kiosk
// store as that officer. Real programs (kioskctl) make random keys: registerKioskOfficer reads the
// key from `kioskctl officer list --json` and registers it with `district-server commune-officer add`.
#include <sodium.h>

#include <memory>
#include <string>

#include "core/event.h"
#include "core/officer_signature.h"
#include "district/office/commune_officers.h"
#include "district/store/district_store.h"
#include "kiosk/store/identity_vault.h"

namespace testing_support {

// The officer ids the fixtures act as.
inline const char* const kFixtureOfficers[] = {"cb01", "cb02", "cb07"};

inline std::shared_ptr<kiosk::store::OfficerSecret> fixtureOfficerSecret(const std::string& id) {
    unsigned char seed[crypto_box_SEEDBYTES];
    const std::string context = "fixture officer " + id;
    crypto_generichash(seed, sizeof seed, reinterpret_cast<const unsigned char*>(context.data()),
                       context.size(), nullptr, 0);
    kiosk::store::PublicKey publicKey;
    unsigned char secret[crypto_box_SECRETKEYBYTES];
    crypto_box_seed_keypair(publicKey.data(), secret, seed);
    auto out = std::make_shared<kiosk::store::OfficerSecret>(id, publicKey, secret);
    sodium_memzero(secret, sizeof secret);
    return out;
}

inline std::string fixtureSigningKey(const std::string& id) {
    return kiosk::store::signingKeyText(*fixtureOfficerSecret(id));
}

// Signs a commune officer's event built by hand (after its last change: kiosk, payload, hlc).
inline void signAsFixtureOfficer(kiosk::Event& event) {
    if (kiosk::needsOfficerSignature(event))
        kiosk::store::signOfficerAction(event, *fixtureOfficerSecret(event.actor.id));
}

// Registers every fixture officer's key for the commune at the district.
inline void registerFixtureOfficers(kiosk::district::DistrictStore& store, const std::string& commune) {
    for (const char* id : kFixtureOfficers) {
        auto ok =
            kiosk::district::addCommuneOfficer(store, {commune, id, fixtureSigningKey(id), "", false, 0}, 0);
        if (!ok) throw std::runtime_error("registering a fixture officer: " + ok.error().en);
    }
}

}  // namespace testing_support
