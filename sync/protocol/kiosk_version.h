#pragma once
// How the district judges the version a kiosk reports (User-Agent, heartbeat) against
// kMinimumKioskVersion (messages.h). Pure functions; any thread.
#include <iterator>
#include <string_view>

#include "core/event.h"
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

// [SECTION] event kinds a kiosk reads
// A kiosk refuses a whole pull page that carries an action it does not know (the change is
// malformed), so the district holds such changes back from it (docs/sync-protocol.md "Kiosks of
// several versions"). The releases that added actions, in order; a kiosk "reads N kinds" when its
// version is at least the first N of them.
inline constexpr std::string_view kKindReleases[] = {"0.4.0", "0.5.0"};
inline constexpr int kAllKinds = int(std::size(kKindReleases));

// How many of kKindReleases a kiosk saying `version` has reached: "0.1.0" (releases up to 0.3.0)
// none; "" or an unreadable version (not a kiosk, or nothing known of it) all of them.
inline int kindsReadBy(std::string_view version) {
    int reached = 0;
    for (std::string_view release : kKindReleases)
        if (!versionBelow(version, release)) ++reached;
    return reached;
}

// The actions added after the first release, each with the kind release that added it
// (1 = kKindReleases[0] …). Every other action is read by every release.
struct NewerAction {
    Action action;
    int kind;
};
inline constexpr NewerAction kNewerActions[] = {
    {Action::WithdrawPart, 1},  // rút một phần khiếu nại
    {Action::Resume, 1},        // tiếp tục giải quyết
    {Action::MarkSigned, 2},    // đã ký/điểm chỉ
};

// The kind release that added `action`; 0 for the actions every release reads.
inline int kindOf(Action action) {
    for (const NewerAction& newer : kNewerActions)
        if (newer.action == action) return newer.kind;
    return 0;
}

}  // namespace kiosk::protocol
