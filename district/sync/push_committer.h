#pragma once
// PushCommitter: group commit for pushes. One writer thread owns the district database's write
// connection; HTTP worker threads hand it pushes and wait. The writer takes every push waiting at
// that moment (up to a bound), judges them all in one transaction, commits once — one fsync for
// many kiosks — and only then answers them all (docs/sync-rules.md rule 3: acknowledge only after commit).
// A push that fails (409 sequence reuse, a storage error) is answered alone: the group is then
// rolled back and judged again with each push inside its own SAVEPOINT, that push rolled back to
// its savepoint. If the COMMIT itself fails, every push of the group is answered with an error and
// the kiosks resend. The HTTP worker's thread prepares what does not need the database
// (encodeForStore: JSON texts, a new record judged ahead) before handing a push over. The judgment
// itself is applyPush (push_judgement.h).
// A kiosk may have two pushes on the wire at once (the next batch goes out before the answer to
// the one before it; SyncEngine::push). They can reach the writer in either order: in one group
// they are judged in sequence order; a push judged before the one ahead of it arrived (its first
// event lies past the kiosk's mark, so nothing of it could be taken) is not answered yet but set
// aside, and judged again as soon as a push from that kiosk commits, or answered as it stands
// (the kiosk then resends from its mark) after CommitterOptions::parkMs.
// It is not: HTTP or authentication (sync_routes.h). Thread-safe: push() and touch() may be
// called from any thread; stop() from one.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/deadlines.h"
#include "common/result.h"
#include "sync/protocol/messages.h"
#include "district/office/reference_import.h"
#include "district/store/district_store.h"
#include "district/sync/push_judgement.h"

namespace kiosk::district {

struct CommitterOptions {
    size_t maxPushesPerCommit = 64;   // pushes judged in one transaction
    size_t maxWaitingEvents = 50000;  // beyond this push() answers "overloaded" at once (503)
    int parkMs = 1000;                // how long a push that came ahead of the one before it waits
};

struct CommitterStats {
    uint64_t commits = 0;  // transactions committed
    uint64_t pushes = 0;   // pushes answered
    uint64_t events = 0;   // events in those pushes
};

class PushCommitter {
public:
    // Opens its own connection to path (creating and migrating when asked) and starts the writer.
    static Result<std::unique_ptr<PushCommitter>> start(const std::string& path, bool create,
                                                        DeadlineRules rules, CommitterOptions options = {});
    // The rules pushes are judged by now: those given to start(), or, once followImports() was
    // called, those of the imports in force. The routes read its units. Any thread.
    std::shared_ptr<const DeadlineRules> rules() const;
    // From now on the rules follow `source`: before each group the writer re-reads the stored
    // imports (ImportedReference::follow), so an import made while serving counts at once.
    // Call once, before the first push.
    void followImports(std::shared_ptr<ImportedReference> source) { m_source = std::move(source); }
    // ImportedReference::follow on the caller's connection, when the rules follow imports.
    void followImports(DistrictStore& store) const;
    ~PushCommitter();  // stop()
    PushCommitter(const PushCommitter&) = delete;
    PushCommitter& operator=(const PushCommitter&) = delete;

    // Blocks until the push is committed (or refused). Errors: "overloaded" (too much waiting),
    // "stopping", "kiosk.revoked", "db.*" (storage; the kiosk should resend later).
    Result<PushAnswer> push(const KioskIdentity& kiosk, protocol::PushRequest request, int64_t nowMs);
    // Records last_seen for a kiosk with the next commit (and, from whoami, that it was told its
    // slot: DistrictStore::touch); never waits.
    void touch(const std::string& kioskId, int64_t nowMs, bool toldSlot = false);
    // Answers what is queued, then stops the writer. Later push() calls get "stopping".
    void stop();

    CommitterStats stats() const;
    const std::string& storeId() const { return m_storeId; }
    // True when the writer comes round its loop within timeout: it is not stuck in a commit (a
    // hung disk, a lock held elsewhere). The service watchdog asks it before each ping
    // (district/cli/service_notify.h); false after stop(). Any thread.
    bool answersWithin(std::chrono::milliseconds timeout);

private:
    struct Job {
        KioskIdentity kiosk;
        protocol::PushRequest request;
        std::vector<EncodedEvent> encoded;           // made on the caller's thread, not the writer's
        std::shared_ptr<const DeadlineRules> rules;  // those `encoded` was made with
        int64_t nowMs = 0;
        std::promise<Result<PushAnswer>> answer;
        // Set aside because it came ahead of its kiosk's previous push: the answer it got then
        // (nothing taken; given if the wait ends) and until when it waits.
        std::optional<Result<PushAnswer>> parkedAnswer;
        std::chrono::steady_clock::time_point parkedUntil;
        bool wasParked = false;  // parked once already: its next judgment is answered as it is
    };
    using Jobs = std::deque<std::unique_ptr<Job>>;

    PushCommitter(std::unique_ptr<DistrictStore> store, DeadlineRules rules, CommitterOptions options);
    // encodeForStore for job, on the calling (HTTP worker) thread; a big push in two threads.
    void prepare(Job& job) const;
    void run();
    struct Touch {
        int64_t seenMs = 0;
        int64_t slotToldMs = 0;  // 0: no whoami told the slot
    };
    using Touches = std::map<std::string, Touch>;
    void commitGroup(Jobs& jobs, Touches& touches);
    // One attempt at a group: false (nothing answered, nothing committed) when, without savepoints,
    // a push could not be judged; every job is answered (or parked) otherwise.
    bool tryCommitGroup(Jobs& jobs, Touches& touches, bool savepoints);
    // After a commit: answers each job, or parks one that came ahead of its kiosk's previous push
    // (once); jobs parked for a kiosk whose push was just taken go back to the queue's front.
    void answerOrPark(Jobs& jobs, std::vector<std::optional<Result<PushAnswer>>>& answers);
    // Answers the parked jobs whose wait is over (all of them when stopping). Under m_mutex.
    void answerExpiredParked(bool all);

    std::unique_ptr<DistrictStore> m_store;        // used by the writer thread only
    std::shared_ptr<const DeadlineRules> m_rules;  // as given to start()
    std::shared_ptr<ImportedReference> m_source;   // set: the rules follow the imports
    CommitterOptions m_options;
    std::string m_storeId;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    Jobs m_queue;
    Jobs m_parked;
    Jobs m_answered;  // answered by the writer, to be freed by the next push() (bounded: one group)
    Touches m_touches;
    size_t m_waitingEvents = 0;
    bool m_stopping = false;
    // answersWithin: probes asked, and the last one the writer answered at the top of its loop.
    uint64_t m_probesAsked = 0;
    uint64_t m_probesAnswered = 0;
    std::condition_variable m_probeAnswered;
    CommitterStats m_stats;
    std::thread m_writer;
};

}  // namespace kiosk::district
