#pragma once
// What a commune officer's signature on an action event covers: a canonical text of the event's
// meaning, the same on the kiosk that signs it and at the district that checks it. The signature
// itself (Ed25519, libsodium crypto_sign_detached) is made in kiosk/store/identity_vault.h and
// checked in district/office/commune_officers.h; this file holds no key and does no cryptography.
// Thread: pure functions.
#include <string>

#include "core/event.h"

namespace kiosk {

// Payload members the signature adds to the event; the signed text leaves them out.
inline constexpr const char* kOfficerKeyField = "officer_key";        // base64 Ed25519 public key
inline constexpr const char* kOfficerSignatureField = "officer_sig";  // base64 detached signature

// "commune-kiosk officer action v1\n" followed by the JSON (keys sorted) of: uuid, record, kind,
// action, role, officer, at, hlc, kiosk and the payload without officer_sig (officer_key stays in,
// so the key named is part of what is signed). Everything that changes how the district judges the
// event is in it; seq is not (the district numbers by its own mark, and a renumbered resend is a
// duplicate, never judged again).
std::string officerActionMessage(const Event& event);

// True for the events a commune officer signs: actions on a record by Role::CommuneOfficer.
bool needsOfficerSignature(const Event& event);

}  // namespace kiosk
