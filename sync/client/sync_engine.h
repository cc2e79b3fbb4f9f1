#pragma once
// SyncEngine: the kiosk's sync with the district server — push the outbox, pull the district's
// changes, and keep at it through bad links, failing servers and wrong clocks (docs: docs/sync-rules.md).
//
// It is: the retry policy and the connectivity state; the loop that runs on its own thread inside
// `kiosk` (start/stop/wake) and in `kioskctl sync`, and the bounded pass behind
// `kioskctl sync --once` (runOnce). All SQL goes through kiosk/store/sync_store.h, all HTTP through
// HttpTransport, all wire JSON through wire.h.
// It is not: the screens (they read snapshot() and are woken through the onChange callback) or
// the store's transactions (each step commits its own).
// Threads: start() runs the loop on a thread of its own with its own KioskStore connection;
// wake(), stop() and snapshot() may be called from any thread. runOnce() and runLoop() run on the
// caller's thread instead; do not mix them with start() on one engine.
//
// The state machine (one engine; "pass" = push until the outbox is empty, then pull until the
// district has no page left; each batch and each page is its own checkpoint):
//
//                 start()
//                    |
//                    v        wake / pull interval           pass done
//   +----------> [Idle] -------------------------------> [Syncing] -------------> [Idle]
//   |               ^                                     | |  |  |
//   |               |  probe GET /healthz ok (≤ 10 s)     | |  |  +-- 401/403 -----------> [Refused]
//   |               +---------------------- [Offline] <---+ |  |      (wake or 5 min: pass again)
//   |                   every 10 s: probe     connect fails |  |
//   |                                                       |  +-- no server/token ----> [NotConfigured]
//   +-- pass again <-- delay: full jitter, Retry-After floor|         (wake or interval: look again)
//                           [Backoff] <---------------------+
//                               5xx, 429, 503, stall, reset, cut answer, TLS, bad answer
//   any state --stop()--> [Stopped]
//
// Transitions: Idle->Syncing runLoop (wake(), or pullInterval elapsed); Syncing->* pass() returns
// PassEnd; Offline->Syncing probeUntilReachable(); Backoff->Syncing after Backoff::nextDelay();
// every wait ends early on stop(). Within a pass, 409 "sequence-reused" renumbers the outbox and
// pushes again, 410 "reset" restarts the pull from "0", 413 halves the batch. Refused also ends a
// pass whose whoami offers a district key the pin refuses, and one that would speak http:// to a
// remote host without --insecure-http (district_trust.h), before anything is sent.
// runOnce() makes the same passes with the same delays until done, refused, or out of time.
#include <atomic>
#include <climits>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.h"
#include "core/holdings.h"
#include "sync/client/backoff.h"

namespace kiosk::store {
class KioskStore;
}

namespace kiosk::client {

class HttpTransport;

struct SyncOptions {
    std::string dbPath;                               // the kiosk database
    std::chrono::milliseconds probeInterval{10'000};  // Offline: GET /healthz this often
    std::chrono::milliseconds pullInterval{30'000};   // Idle: pull this often without a wake
    std::chrono::milliseconds refusedRetry{300'000};  // Refused: look again this often
    std::chrono::milliseconds backoffBase{1'000};
    std::chrono::milliseconds backoffCap{300'000};  // 5 minutes
    long connectTimeoutSeconds = 10;
    long lowSpeedBytesPerSecond = 10;
    long lowSpeedSeconds = 30;                   // stalled after this long below the limit
    int largestBatch = 500;                      // events per push (the district's limit)
    int smallestBatch = 5;                       // after repeated failures
    size_t batchBytes = 512 * 1024;              // uncompressed JSON per push
    int pushesInFlight = 2;                      // batches on the wire at once (1 or 2)
    int pullLimit = 1000;                        // changes per page (the district serves at most 1000)
    std::string appVersion = KIOSK_APP_VERSION;  // the project version (sync/client/CMakeLists.txt)
};

enum class SyncPhase {
    Stopped,        // not running
    NotConfigured,  // no district server or token in this kiosk's settings
    Idle,           // up to date as of the last pass
    Syncing,        // pushing and pulling
    Backoff,        // the last exchange failed; waiting before the next
    Offline,        // the district cannot be reached; probing
    Refused,        // the district refuses this kiosk (token unknown, revoked, foreign)
};
std::string_view toSlug(SyncPhase phase);  // "idle", "offline", ...

// What the screens show; a copy, safe to keep.
struct SyncSnapshot {
    SyncPhase phase = SyncPhase::Stopped;
    bool online = false;
    int64_t lastSuccessMs = 0;  // 0 = never
    int64_t eventsWaiting = 0;
    int64_t recordsWaiting = 0;
    int64_t rejectedEvents = 0;
    std::optional<Error> lastError;        // since the last success
    std::optional<int64_t> clockOffsetMs;  // district minus kiosk
    bool clockWrong = false;               // more than 5 minutes off
    std::string successorCode;             // the commune that succeeded this kiosk's; "" = none
    std::string successorName;
    std::optional<OrphanedCommune> orphaned;  // the commune ended with no successor (core/holdings.h)
    std::optional<Error> tooOld;              // the district's word that this kiosk needs an update
    int64_t nextAttemptMs = 0;                // Backoff/Offline/Refused: when the engine tries again
    uint64_t dataVersion = 0;                 // bumps when records the screens show may have changed
};

// The end of one pass.
enum class PassEnd {
    Done,  // outbox empty and no page left
    NotConfigured,
    Refused,      // 401/403 (or the district names another kiosk)
    Unreachable,  // no connection
    Failed,       // transient: retry after a delay
    LocalError,   // the kiosk's own database failed
    Cancelled,    // stop() or the deadline
};

struct PassResult {
    PassEnd end = PassEnd::Done;
    std::optional<Error> error;
    std::optional<std::chrono::milliseconds> retryAfter;
    // Counters over the pass, for kioskctl's summary line.
    int64_t pushed = 0;  // events the district answered for
    int64_t rejected = 0;
    int64_t pulled = 0;  // changes applied
};

struct OnceResult {
    PassEnd end = PassEnd::Done;  // Done, NotConfigured, Refused, LocalError, or the last failure
    std::optional<Error> error;
    int64_t pushed = 0;
    int64_t rejected = 0;
    int64_t pulled = 0;
    int64_t eventsWaiting = 0;
};

class PushPass;  // sync_engine.cpp: one push, batch by batch

class SyncEngine {
public:
    explicit SyncEngine(SyncOptions options);
    ~SyncEngine();  // stops and joins
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    // Called on the sync thread whenever the snapshot changed; must be quick and thread-safe
    // (the kiosk passes glfwPostEmptyEvent). Set it before start().
    void setOnChange(std::function<void()> onChange);

    // Runs runLoop() on a new thread. Calling it twice is a programmer error.
    void start();
    // Asks the loop to stop (a transfer in flight is aborted) and joins the thread; idempotent.
    void stop();
    // A local write happened: push now (Idle), or probe now (Offline). Never shortens a Backoff:
    // a failing district must not be hammered because citizens keep submitting.
    void wake();
    SyncSnapshot snapshot() const;

    // The loop on the caller's thread until stop() is called (from another thread or a signal
    // watcher).
    void runLoop();
    // `kioskctl sync --once`: passes until done, refused, or `timeout` has passed, waiting between
    // attempts as the loop would (never past the deadline).
    OnceResult runOnce(std::chrono::milliseconds timeout);

private:
    friend class PushPass;
    using Clock = std::chrono::steady_clock;
    PassResult pass(store::KioskStore& store);
    void recordEnd(store::KioskStore& store, const PassResult& result);
    // Each returns false when the pass ends there (result.end says how).
    // second: the connection for a second batch on the wire (none: one at a time).
    bool push(store::KioskStore& store, HttpTransport& http, HttpTransport* second, PassResult& result);
    bool pull(store::KioskStore& store, HttpTransport& http, PassResult& result);
    bool ensureKioskId(store::KioskStore& store, HttpTransport& http, PassResult& result);
    bool probe(store::KioskStore& store);
    // The transport for the configured server (remade when URL, token or CA change); nullptr and
    // result.end set when there is none.
    HttpTransport* transportFor(store::KioskStore& store, PassResult& result);
    void noteClock(store::KioskStore& store, const std::optional<int64_t>& serverTimeMs,
                   const std::optional<int64_t>& serverDateMs, int64_t sentMs, int64_t receivedMs);
    void publish(store::KioskStore* store, SyncPhase phase, int64_t nextAttemptMs, bool dataChanged);
    // Waits up to `delay`; true when woken by wake() (if wakeable) or stop().
    bool waitFor(std::chrono::milliseconds delay, bool wakeable);
    bool cancelled() const;

    SyncOptions m_options;
    std::function<void()> m_onChange;
    std::thread m_thread;
    std::atomic<bool> m_stopping{false};
    std::optional<Clock::time_point> m_deadline;  // runOnce only; read by the cancel hook
    mutable std::mutex m_mutex;                   // guards the members below
    std::condition_variable m_wakeup;
    bool m_wakePending = false;
    SyncSnapshot m_snapshot;
    // Sync-thread state (never touched by other threads).
    std::unique_ptr<HttpTransport> m_http;
    std::unique_ptr<HttpTransport> m_pushHttp;  // made with m_http, same options
    std::string m_httpKey;                      // url|token|ca the transport was made for
    Backoff m_backoff;
    BatchSizer m_batches;
    int64_t m_lastOffsetWritten = INT64_MIN;
    bool m_dataChanged = false;  // the current pass changed what the screens show
};

}  // namespace kiosk::client
