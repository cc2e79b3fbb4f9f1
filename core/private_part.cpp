#include "core/private_part.h"

#include <nlohmann/json.hpp>

namespace kiosk {

std::string privatePartToJson(const PrivatePart& part) {
    nlohmann::json j{{"name", part.identity.name},
                     {"cccd", part.identity.cccd},
                     {"phone", part.identity.phone},
                     {"address", part.identity.address},
                     {"content", part.content}};
    // Only when someone wrote for the citizen: other seals stay as they were made.
    if (!part.identity.writerName.empty())
        j["writer"] = {{"name", part.identity.writerName}, {"relation", part.identity.writerRelation}};
    return j.dump();
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
    if (auto w = j.find("writer"); w != j.end() && w->is_object()) {
        part.identity.writerName = w->value("name", "");
        part.identity.writerRelation = w->value("relation", "");
    }
    return part;
}

}  // namespace kiosk
