#pragma once
// The private part of a record — what a citizen typed about themselves and the petition's content —
// as the JSON that is sealed (common/sealing.h) to the district and to commune officers:
//   {"name":..,"cccd":..,"phone":..,"address":..,"content":..[,"writer":{"name":..,"relation":..}]}
// ("writer": người viết hộ, only when someone wrote for the citizen).
// Both programs read it: the kiosk seals and opens it (kiosk/store/identity_vault.h), the district
// opens it (district/office/keys.h). The JSON text holds secrets: callers wipe it (common::wipe).
// Pure functions, any thread.
#include <optional>
#include <string>
#include <string_view>

#include "core/records.h"

namespace kiosk {

struct PrivatePart {
    Identity identity;
    std::string content;
};

// The JSON text (nlohmann's dump: keys sorted, no spaces), as existing seals were made.
std::string privatePartToJson(const PrivatePart& part);
// nullopt unless the text is a JSON object; missing or mistyped fields are empty.
std::optional<PrivatePart> privatePartFromJson(std::string_view json);

}  // namespace kiosk
