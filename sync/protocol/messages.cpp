#include "sync/protocol/messages.h"

#include "sync/protocol/message_fields.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::protocol {

using nlohmann::json;
using namespace detail;

// The messages of protocol v1, one file per family: push (messages_push.cpp), pull
// (messages_pull.cpp), who am I and errors (messages_whoami.cpp); the direct reader of pull pages
// and push requests in message_reader.cpp. Here: the pieces every family uses.

// [SECTION] shared pieces

nlohmann::json toJson(const Error& error) {
    return json{{"code", error.code}, {"vi", error.vi}, {"en", error.en}};
}

std::optional<Error> errorFromJson(const nlohmann::json& j) {
    if (!j.is_object()) return std::nullopt;
    auto code = optionalString(j, "code");
    if (!code) return std::nullopt;
    return Error{*code, optionalString(j, "vi").value_or(""), optionalString(j, "en").value_or("")};
}

std::string_view toSlug(Verdict verdict) {
    switch (verdict) {
        case Verdict::Accepted:
            return "accepted";
        case Verdict::Duplicate:
            return "duplicate";
        case Verdict::Rejected:
            return "rejected";
    }
    return "?";
}

std::optional<Verdict> verdictFromSlug(std::string_view slug) {
    if (slug == "accepted") return Verdict::Accepted;
    if (slug == "duplicate") return Verdict::Duplicate;
    if (slug == "rejected") return Verdict::Rejected;
    return std::nullopt;
}

std::string_view toSlug(ChangeType type) {
    switch (type) {
        case ChangeType::Record:
            return "record";
        case ChangeType::Rejection:
            return "rejection";
        case ChangeType::Catalog:
            return "catalog";
        case ChangeType::Holidays:
            return "holidays";
        case ChangeType::Units:
            return "units";
    }
    return "?";
}

}  // namespace kiosk::protocol
