#pragma once
// FaultProxy: a TCP proxy on 127.0.0.1 that misbehaves the way rural links and overloaded servers
// do, for sync tests (docs/testing.md "The network"; this kernel has no tc netem). It forwards to a
// target port and can, switchable at run time: refuse connections, stall, delay, throttle, cut a
// response mid-body, reset, or answer 500/503/429 with Retry-After itself.
//
// It is test support only: loopback, plain TCP (it forwards TLS bytes untouched, so it works in
// front of HTTPS as well, except the modes that answer HTTP themselves or cut at a body offset).
// Faults apply per connection, chosen when the connection is accepted; changing the mode (or the
// target) closes the connections already open so the next request sees the new behaviour. Modes
// that answer themselves send "Connection: close", so each request takes a fresh connection.
// Threads: one acceptor thread and one thread per connection, all inside the proxy; every public
// function may be called from any thread. The destructor stops and joins everything.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace testing_support {

class FaultProxy {
public:
    enum class Mode {
        Pass,        // forward both ways
        Refuse,      // nothing listens: connections are refused
        Stall,       // accept, read, never answer (until the mode changes or the client gives up)
        Delay,       // forward, each chunk held back delayMs
        Throttle,    // forward at most bytesPerSecond each way
        Cut,         // forward the request; pass the answer's headers and half its body, then close
        Reset,       // read the request, then reset the connection (RST) without forwarding it
        ResetAfter,  // forward the request, wait for the answer to start, then reset the client
        Status500,   // answer 500 without forwarding
        Status503,   // answer 503 with Retry-After without forwarding
        Status429,   // answer 429 with Retry-After without forwarding
    };
    static const char* name(Mode mode);

    // Listens on 127.0.0.1 at a free port and forwards to 127.0.0.1:targetPort.
    explicit FaultProxy(int targetPort);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const { return m_port; }
    void setTarget(int targetPort);
    // The mode for new connections; `count` >= 0: only for that many connections, then Pass.
    void setMode(Mode mode, int count = -1);
    // Each new connection gets one of `modes` with this probability, else Pass (seeded: repeatable).
    void setChaos(double probability, std::vector<Mode> modes, uint64_t seed);
    void setDelayMs(int ms) { m_delayMs = ms; }
    void setBytesPerSecond(int rate) { m_bytesPerSecond = rate; }
    void setRetryAfterSeconds(int seconds) { m_retryAfter = seconds; }

    int connections() const { return m_connections; }
    // How many connections were given each fault (Pass not counted).
    std::map<Mode, int> faults() const;
    int faultCount() const;

private:
    void acceptLoop();
    Mode pickMode();
    void handle(int client, Mode mode, uint64_t generation);
    void relay(int client, int upstream, Mode mode, uint64_t generation);
    bool openListener();
    void closeListener();
    void bumpGeneration();
    int connectTarget() const;
    bool current(uint64_t generation) const { return !m_stopping && m_generation == generation; }

    int m_port = 0;
    std::atomic<int> m_targetPort;
    std::atomic<int> m_listenFd{-1};
    std::atomic<bool> m_stopping{false};
    std::atomic<uint64_t> m_generation{0};
    std::atomic<int> m_delayMs{300};
    std::atomic<int> m_bytesPerSecond{2048};
    std::atomic<int> m_retryAfter{1};
    std::atomic<int> m_connections{0};

    mutable std::mutex m_mutex;  // guards everything below
    Mode m_mode = Mode::Pass;
    int m_modeCount = -1;
    double m_chaos = 0;
    std::vector<Mode> m_chaosModes;
    std::mt19937_64 m_random{1};
    std::map<Mode, int> m_faults;
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::vector<Worker> m_workers;
    std::thread m_acceptor;
};

}  // namespace testing_support
