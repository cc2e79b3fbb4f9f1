#include "core/private_part.h"

#include <nlohmann/json.hpp>

namespace kiosk {

std::string privatePartToJson(const PrivatePart& part) {
    return nlohmann::json{{"name", part.identity.name},
                          {"cccd", part.identity.cccd},
                          {"phone", part.identity.phone},
                          {"address", part.identity.address},
                          {"content", part.content}}
        .dump();
}

std::optional<PrivatePart> privatePartFromJson(std::string_view json) {
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    PrivatePart part;
    part.identity.name = j.value("name", "");
    part.identity.cccd = j.value("cccd", "");
    part.identity.phone = j.value("phone", "");
    part.identity.address = j.value("address", "");
    part.content = j.value("content", "");
    return part;
}

}  // namespace kiosk
