#include "core/officer_signature.h"

namespace kiosk {

std::string officerActionMessage(const Event& event) {
    nlohmann::json payload = event.payload.is_object() ? event.payload : nlohmann::json::object();
    payload.erase(kOfficerSignatureField);
    const nlohmann::json meaning{{"uuid", event.uuid},
                                 {"record", event.recordCode},
                                 {"kind", toSlug(event.recordKind)},
                                 {"action", toSlug(event.action)},
                                 {"role", toSlug(event.actor.role)},
                                 {"officer", event.actor.id},
                                 {"at", event.at},
                                 {"hlc", event.hlc},
                                 {"kiosk", event.kioskId},
                                 {"payload", payload}};
    // replace: a note with invalid UTF-8 must give the same text on both sides, not an exception.
    return "commune-kiosk officer action v1\n" +
           meaning.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool needsOfficerSignature(const Event& event) { return event.actor.role == Role::CommuneOfficer; }

}  // namespace kiosk
