#include "kiosk/app/sync_hook.h"

#include <cstdlib>

namespace kiosk::app {
namespace {

client::SyncOptions optionsFor(const std::string& dbPath) {
    client::SyncOptions options;
    options.dbPath = dbPath;
    // For the end-to-end test of the "too old" notice: the version the engine reports to the
    // district (User-Agent, heartbeat). Claiming an older one only makes the district say so.
    if (const char* version = std::getenv("KIOSK_TEST_REPORT_VERSION"); version && *version)
        options.appVersion = version;
    return options;
}

}  // namespace

ui::ConnectivityState connectivityFromSnapshot(const client::SyncSnapshot& s, bool serverConfigured) {
    ui::ConnectivityState state;
    state.serverConfigured = serverConfigured && s.phase != client::SyncPhase::NotConfigured;
    state.online = s.online;
    // A kiosk without a district server is never "sending", even while the engine's first pass
    // is finding that out.
    state.syncing = state.serverConfigured && s.phase == client::SyncPhase::Syncing;
    state.lastSuccessUnix = s.lastSuccessMs / 1000;
    state.recordsWaiting = s.recordsWaiting;
    state.lastError = s.lastError;
    state.clockWrong = s.clockWrong;
    state.successorCode = s.successorCode;
    state.successorName = s.successorName;
    state.orphaned = s.orphaned;
    state.tooOld = s.tooOld;
    return state;
}

SyncHook::SyncHook(const std::string& dbPath, bool serverConfigured, std::function<void()> wakeUi)
    : SyncHook(optionsFor(dbPath), serverConfigured, std::move(wakeUi)) {}

SyncHook::SyncHook(client::SyncOptions options, bool serverConfigured, std::function<void()> wakeUi)
    : m_engine(std::move(options)), m_serverConfigured(serverConfigured) {
    m_engine.setOnChange([this, wakeUi = std::move(wakeUi)] {
        if (StoreController* controller = m_controller.load()) controller->connectivityChanged();
        if (wakeUi) wakeUi();
    });
    m_engine.start();
}

SyncHook::~SyncHook() { m_engine.stop(); }

void SyncHook::attach(StoreController& controller, store::KioskStore& uiStore) {
    controller.setConnectivitySource([this, &uiStore] {
        const client::SyncSnapshot snapshot = m_engine.snapshot();
        if (snapshot.phase == client::SyncPhase::Stopped) return connectivityFromStore(uiStore);
        return connectivityFromSnapshot(snapshot, m_serverConfigured);
    });
    controller.setSyncRequest([this] { m_engine.wake(); });
    m_controller = &controller;
}

}  // namespace kiosk::app
