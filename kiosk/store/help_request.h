#pragma once
// A citizen's call for an officer ("Gọi cán bộ" on the kiosk's screens): when it was made, until an
// officer clears it on the console. Kept in the kiosk database's meta table rather than in memory
// so the sync engine's thread can put it in its heartbeat (help_requested_ms,
// docs/sync-protocol.md) and a restart does not forget a citizen still waiting; the idle wipe does
// not clear it either (the citizen may have stepped away to wait).
// The engine remembers what the district last acknowledged (helpReported), so a call or its
// clearing is pushed once even when no record changed.
// Callers: the kiosk's controller (UI thread) and the sync engine. One KioskStore per thread.
#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::store {

// Records a call at `atMs` (unix ms); a call already waiting keeps its first time.
Outcome requestHelp(KioskStore& store, int64_t atMs);
// When the waiting call was made; nullopt when nobody is waiting.
std::optional<int64_t> helpRequested(KioskStore& store);
Outcome clearHelpRequest(KioskStore& store);

// The call state the district last took in a heartbeat ("" = none waiting), and setting it.
std::string helpReported(KioskStore& store);
Outcome setHelpReported(KioskStore& store, const std::string& state);
// The call state as the heartbeat carries it: "" or the time in unix ms, in decimal.
std::string helpState(KioskStore& store);

}  // namespace kiosk::store
