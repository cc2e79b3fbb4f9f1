#include "sync/protocol/messages.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "sync/protocol/message_fields.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::protocol {

using nlohmann::json;
using namespace detail;

// [SECTION] who am I, errors

std::string encodeWhoAmI(const WhoAmI& who) {
    json j{{"version", kVersion},
           {"kiosk", who.kioskId},
           {"commune", who.commune},
           {"acked_seq", who.ackedSeq},
           {"server_time_ms", who.serverTimeMs}};
    if (who.slot) j["slot"] = *who.slot;
    if (!who.successorCode.empty())
        j["successor"] = json{{"code", who.successorCode}, {"name", who.successorName}};
    if (!who.holdings.empty()) j["holdings"] = who.holdings;
    return dumpJson(j);
}

Result<WhoAmI> decodeWhoAmI(std::string_view body) {
    auto opened = openMessage(body);
    if (!opened) return opened.error();
    const json& j = *opened;
    WhoAmI who;
    auto kiosk = requiredString(j, "kiosk", 64);
    if (!kiosk) return kiosk.error();
    who.kioskId = *kiosk;
    auto commune = requiredString(j, "commune", 16);
    if (!commune) return commune.error();
    who.commune = *commune;
    if (const json* a = member(j, "acked_seq")) who.ackedSeq = asInt64(*a).value_or(0);
    if (const json* t = member(j, "server_time_ms")) who.serverTimeMs = asInt64(*t).value_or(0);
    if (const json* s = member(j, "slot")) {
        const std::optional<int64_t> slot = asInt64(*s);
        if (!slot || *slot < 1 || *slot > 99) return invalid("slot", "not a kiosk slot 1-99");
        who.slot = int(*slot);
    }
    // A successor or holdings that cannot be read are ignored: they only inform (absent: no change).
    if (const json* s = member(j, "successor"); s && s->is_object()) {
        who.successorCode = optionalString(*s, "code").value_or("");
        who.successorName = optionalString(*s, "name").value_or("");
        if (who.successorCode.size() > 16 || who.successorName.size() > 256) who.successorCode.clear();
        if (who.successorCode.empty()) who.successorName.clear();
    }
    if (const json* h = member(j, "holdings"); h && h->is_array() && h->size() <= 256)
        for (const json& code : *h)
            if (code.is_string() && code.get_ref<const std::string&>().size() <= 16)
                who.holdings.push_back(code.get<std::string>());
    return who;
}

std::string encodeError(const ErrorBody& body) {
    json j{{"error", body.error}, {"message", body.message}, {"message_vi", body.messageVi}};
    if (body.ackedSeq) j["acked_seq"] = *body.ackedSeq;
    return dumpJson(j);
}

std::string encodeError(const Error& error) {
    return encodeError(ErrorBody{error.code, error.en, error.vi, std::nullopt});
}

Result<ErrorBody> decodeError(std::string_view body) {
    auto parsed = parseJsonSafely(body);
    if (!parsed) return parsed.error();
    const json& j = *parsed;
    if (!j.is_object()) return invalid("error", "not an object");
    ErrorBody e;
    auto code = requiredString(j, "error", 128);
    if (!code) return code.error();
    e.error = *code;
    e.message = optionalString(j, "message").value_or("");
    e.messageVi = optionalString(j, "message_vi").value_or("");
    if (const json* a = member(j, "acked_seq")) e.ackedSeq = asInt64(*a);
    return e;
}

}  // namespace kiosk::protocol
