#pragma once
// The sync hook: the one place where the sync engine (sync/client/sync_engine.h) plugs into the
// kiosk. It starts the engine on its own thread and its own database connection, passes the
// engine's snapshot to the home screen's connectivity indicator (StoreController's
// ConnectivitySource), wakes the engine after every local write (a petition stored, an officer's
// action), and wakes the UI loop when the snapshot changes (the callback runs on the sync thread:
// the app passes glfwPostEmptyEvent). Without it the kiosk still works: the controller reads the
// sync state the store records.
// KIOSK_TEST_REPORT_VERSION=X.Y.Z makes the engine report that version to the district (the
// end-to-end test of the "too old" notice; listed in the kiosk's --help with the measurement hooks).
// Main thread creates and destroys it; the destructor stops and joins the engine.
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "kiosk/service/store_controller.h"
#include "sync/client/sync_engine.h"

namespace kiosk::app {

// What the home screen shows, from the engine's snapshot.
ui::ConnectivityState connectivityFromSnapshot(const client::SyncSnapshot& snapshot, bool serverConfigured);

class SyncHook {
public:
    SyncHook(const std::string& dbPath, bool serverConfigured, std::function<void()> wakeUi);
    // The engine with chosen options (tests shorten its delays; the policy stays the same).
    SyncHook(client::SyncOptions options, bool serverConfigured, std::function<void()> wakeUi);
    ~SyncHook();
    SyncHook(const SyncHook&) = delete;
    SyncHook& operator=(const SyncHook&) = delete;

    // Connectivity from the engine (from uiStore until the engine has published its first state);
    // local writes wake it.
    void attach(StoreController& controller, store::KioskStore& uiStore);

private:
    // Set by attach(); the engine's change notice marks its connectivity stale before waking the
    // UI, which otherwise could draw its cached "sending" once more and sleep on it until a touch.
    std::atomic<StoreController*> m_controller{nullptr};
    client::SyncEngine m_engine;
    bool m_serverConfigured;
};

}  // namespace kiosk::app
