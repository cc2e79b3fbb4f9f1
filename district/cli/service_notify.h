#pragma once
// ServiceNotifier: what `district-server serve` tells systemd when its unit is Type=notify
// (packaging/district/commune-district.service): READY=1 once the database is open and the socket
// listens, then WATCHDOG=1 every half of the unit's WatchdogSec= for as long as the server is
// healthy (DistrictServer::healthy: the committer's writer and the HTTP listener both answer), and
// STOPPING=1 at the end. A server whose writer hangs on a dead disk, or whose listener no longer
// answers, stops pinging, and systemd kills and restarts it (Restart=on-failure).
// It is not: a health endpoint or a supervisor of its own. Outside systemd (no NOTIFY_SOCKET), or in
// a build without libsystemd (KIOSK_SYSTEMD off or the library missing), it does nothing.
// Threads: made, readied and destroyed on serve's main thread; its watchdog thread calls the
// health check, which must be callable from any thread.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace kiosk::district {

class ServiceNotifier {
public:
    // healthy(timeout): whether the server answers within timeout. log: a line for the server's log.
    ServiceNotifier(std::function<bool(std::chrono::milliseconds)> healthy,
                    std::function<void(const std::string&)> log);
    ~ServiceNotifier();  // STOPPING=1, and the watchdog thread ends
    ServiceNotifier(const ServiceNotifier&) = delete;
    ServiceNotifier& operator=(const ServiceNotifier&) = delete;

    // READY=1 with a STATUS= line, then the watchdog thread when the unit asked for one
    // (WATCHDOG_USEC). Call once.
    void ready(const std::string& status);

    // Whether this build can speak to systemd at all (libsystemd was found at build time).
    static bool available();

private:
    void watch(std::chrono::microseconds interval);

    std::function<bool(std::chrono::milliseconds)> m_healthy;
    std::function<void(const std::string&)> m_log;
    bool m_readied = false;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace kiosk::district
