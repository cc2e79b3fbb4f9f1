#include "district/cli/service_notify.h"

#include <algorithm>

#ifdef KIOSK_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace kiosk::district {

namespace {

// sd_notify, or nothing in a build without libsystemd. unset_environment 0: the variables stay
// for the watchdog's own sd_watchdog_enabled.
void notify(const char* state) {
#ifdef KIOSK_HAVE_SYSTEMD
    sd_notify(0, state);
#else
    (void)state;
#endif
}

// The unit's WatchdogSec= (WATCHDOG_USEC, for this process), or 0 when there is none.
uint64_t watchdogMicros() {
#ifdef KIOSK_HAVE_SYSTEMD
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0) return usec;
#endif
    return 0;
}

}  // namespace

bool ServiceNotifier::available() {
#ifdef KIOSK_HAVE_SYSTEMD
    return true;
#else
    return false;
#endif
}

ServiceNotifier::ServiceNotifier(std::function<bool(std::chrono::milliseconds)> healthy,
                                 std::function<void(const std::string&)> log)
    : m_healthy(std::move(healthy)), m_log(std::move(log)) {}

ServiceNotifier::~ServiceNotifier() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
    if (m_readied) notify("STOPPING=1");
}

void ServiceNotifier::ready(const std::string& status) {
    m_readied = true;
    notify(("READY=1\nSTATUS=" + status).c_str());
    const uint64_t usec = watchdogMicros();
    if (usec == 0) return;
    m_thread = std::thread([this, usec] { watch(std::chrono::microseconds(usec)); });
}

void ServiceNotifier::watch(std::chrono::microseconds interval) {
    // Checked every half interval, as sd_watchdog_enabled(3) advises. Each of the check's two parts
    // gets a quarter of that, so pings that pass are never more than 3/4 of the interval apart.
    const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(interval / 2);
    const auto timeout = std::max(std::chrono::milliseconds(1), period / 4);
    bool wasHealthy = true;
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        const auto started = std::chrono::steady_clock::now();
        const bool healthy = m_healthy(timeout);
        if (healthy) notify("WATCHDOG=1");
        // One line when the health changes, not one per missed ping.
        if (healthy != wasHealthy)
            m_log(healthy ? "watchdog: the server answers again; pinging systemd"
                          : "watchdog: the committer or the listener did not answer; not pinging systemd");
        wasHealthy = healthy;
        lock.lock();
        m_wake.wait_until(lock, started + period, [this] { return m_stopping; });
    }
}

}  // namespace kiosk::district
