#include "kiosk/store/help_request.h"

#include <cstdlib>

namespace kiosk::store {
namespace {

constexpr const char* kRequested = "help_requested_ms";
constexpr const char* kReported = "help_reported_ms";

}  // namespace

Outcome requestHelp(KioskStore& store, int64_t atMs) {
    if (helpRequested(store)) return {};
    return writeMeta(store.database(), kRequested, std::to_string(atMs));
}

std::optional<int64_t> helpRequested(KioskStore& store) {
    const std::string value = readMeta(store.database(), kRequested);
    if (value.empty()) return std::nullopt;
    return std::atoll(value.c_str());
}

Outcome clearHelpRequest(KioskStore& store) { return writeMeta(store.database(), kRequested, ""); }

std::string helpReported(KioskStore& store) { return readMeta(store.database(), kReported); }

Outcome setHelpReported(KioskStore& store, const std::string& state) {
    return writeMeta(store.database(), kReported, state);
}

std::string helpState(KioskStore& store) { return readMeta(store.database(), kRequested); }

}  // namespace kiosk::store
