#pragma once
// How the district judges the version a kiosk reports (User-Agent, heartbeat) against
// kMinimumKioskVersion (messages.h). Pure functions; any thread.
#include <string_view>

#include "sync/protocol/messages.h"

namespace kiosk::protocol {

// What releases 0.1.0 to 0.3.0 all reported in their User-Agent and heartbeat (the string was never
// updated): it names none of them, so it alone never makes a kiosk too old. A 0.1.0 kiosk shows
// itself by pushing a commune officer's action without a signature (district/sync/sync_routes.cpp).
inline constexpr std::string_view kAmbiguousKioskVersion = "0.1.0";

// Whether a kiosk reporting `version` is below kMinimumKioskVersion, kAmbiguousKioskVersion aside.
inline bool reportedTooOld(std::string_view version) {
    return version != kAmbiguousKioskVersion && versionBelow(version);
}

}  // namespace kiosk::protocol
