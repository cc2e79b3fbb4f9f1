#include "district/sync/push_committer.h"

#include <algorithm>
#include <exception>
#include <set>
#include <vector>
#include <system_error>

#include "common/database.h"
#ifdef FIU_ENABLE
#include <fiu.h>
#endif

namespace kiosk::district {

namespace {

// A test-only fault point, compiled in with KIOSK_FAULT_POINTS (CMakeLists.txt): while
// "district/committer/hang" is enabled (fiu-run -x, then fiu-ctrl), the writer stands still as on a
// hung disk, so the service watchdog's test can see the pings stop. An empty function otherwise.
void holdWhileHangFault() {
#ifdef FIU_ENABLE
    while (fiu_fail("district/committer/hang")) std::this_thread::sleep_for(std::chrono::milliseconds(50));
#endif
}

}  // namespace

Result<std::unique_ptr<PushCommitter>> PushCommitter::start(const std::string& path, bool create,
                                                            DeadlineRules rules, CommitterOptions options) {
    auto store = DistrictStore::open(path, create);
    if (!store) return store.error();
    // Savepoints and statements that may abort keep the original of each page they change in a
    // sub-journal: in a temporary file by default (written, for a group of pushes, several times
    // the volume of the WAL itself), in memory with this. It is never needed after a crash.
    if (!(*store)->database().isPostgres())
        if (auto r = (*store)->database().exec("PRAGMA temp_store = MEMORY"); !r) return r.error();
    std::unique_ptr<PushCommitter> committer(new PushCommitter(std::move(*store), std::move(rules), options));
    committer->m_writer = std::thread([c = committer.get()] { c->run(); });
    return committer;
}

PushCommitter::PushCommitter(std::unique_ptr<DistrictStore> store, DeadlineRules rules,
                             CommitterOptions options)
    : m_store(std::move(store)),
      m_rules(std::make_shared<const DeadlineRules>(std::move(rules))),
      m_options(options),
      m_storeId(m_store->storeId()) {}

PushCommitter::~PushCommitter() { stop(); }

std::shared_ptr<const DeadlineRules> PushCommitter::rules() const {
    return m_source ? m_source->rules() : m_rules;
}

void PushCommitter::followImports(DistrictStore& store) const {
    // A failed read keeps the rules in force: the next request tries again.
    if (m_source) (void)m_source->follow(store);
}

Result<PushAnswer> PushCommitter::push(const KioskIdentity& kiosk, protocol::PushRequest request,
                                       int64_t nowMs) {
    auto job = std::make_unique<Job>();
    job->kiosk = kiosk;
    job->request = std::move(request);
    normalizeForStore(kiosk, job->request);
    prepare(*job);
    job->nowMs = nowMs;
    std::future<Result<PushAnswer>> answer = job->answer.get_future();
    Jobs answered;  // the writer's answered jobs, freed here rather than on its thread
    {
        std::lock_guard lock(m_mutex);
        answered.swap(m_answered);
        if (m_stopping) return makeError("stopping", "Máy chủ đang dừng.", "The server is shutting down.");
        const size_t events = job->request.events.size();
        // An empty queue always takes a push, so a single huge push can never be refused forever.
        if (!m_queue.empty() && m_waitingEvents + events > m_options.maxWaitingEvents)
            return makeError("overloaded", "Máy chủ đang quá tải, hãy gửi lại sau.",
                             "The server is overloaded; try again later.");
        m_waitingEvents += events;
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
    return answer.get();
}

void PushCommitter::prepare(Job& job) const {
    const std::vector<protocol::PushedEvent>& events = job.request.events;
    job.encoded.resize(events.size());
    // A new record judged ahead names these rules; judged under others (an import came between),
    // applyPush judges it again.
    job.rules = rules();
    auto encodeRange = [&](size_t from, size_t to) {
        for (size_t i = from; i < to; ++i)
            job.encoded[i] = encodeEventForStore(job.kiosk, events[i], job.rules.get());
    };
    // A big push (a kiosk emptying its queue) is prepared in two halves, the second on a helper
    // thread: that kiosk waits for each stage of its push in turn, and the machine has another core.
    // Small pushes come many at a time, from many workers, and keep every core busy as they are.
    constexpr size_t kSplitEvents = 128;
    const size_t half = events.size() / 2;
    if (events.size() >= kSplitEvents) {
        std::exception_ptr failed;  // the helper's, rethrown here as encodeForStore's would be
        std::thread helper;
        try {
            helper = std::thread([&] {
                try {
                    encodeRange(half, events.size());
                } catch (...) {
                    failed = std::current_exception();
                }
            });
        } catch (const std::system_error&) {
            encodeRange(0, events.size());  // no thread to be had: all on this one
            return;
        }
        try {
            encodeRange(0, half);
        } catch (...) {
            helper.join();
            throw;
        }
        helper.join();
        if (failed) std::rethrow_exception(failed);
        return;
    }
    encodeRange(0, events.size());
}

void PushCommitter::touch(const std::string& kioskId, int64_t nowMs, bool toldSlot) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
        Touch& touch = m_touches[kioskId];
        touch.seenMs = std::max(touch.seenMs, nowMs);
        if (toldSlot && touch.slotToldMs == 0) touch.slotToldMs = nowMs;
    }
    m_wake.notify_one();
}

bool PushCommitter::answersWithin(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    if (m_stopping) return false;
    const uint64_t probe = ++m_probesAsked;
    m_wake.notify_one();
    return m_probeAnswered.wait_for(lock, timeout, [&] { return m_probesAnswered >= probe; });
}

void PushCommitter::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && !m_writer.joinable()) return;
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_writer.joinable()) m_writer.join();
}

CommitterStats PushCommitter::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void PushCommitter::run() {
    while (true) {
        holdWhileHangFault();
        Jobs jobs;
        Touches touches;
        {
            std::unique_lock lock(m_mutex);
            // Probes are answered here, at the top of the loop, which a writer stuck in its last
            // commit never reaches again; a probe alone wakes the writer for one turn.
            if (m_probesAnswered != m_probesAsked) {
                m_probesAnswered = m_probesAsked;
                m_probeAnswered.notify_all();
            }
            auto ready = [&] {
                return m_stopping || !m_queue.empty() || !m_touches.empty() ||
                       m_probesAnswered != m_probesAsked;
            };
            while (!ready()) {
                if (m_parked.empty()) {
                    m_wake.wait(lock);
                    continue;
                }
                auto first = m_parked.front()->parkedUntil;
                for (const auto& job : m_parked) first = std::min(first, job->parkedUntil);
                m_wake.wait_until(lock, first);
                answerExpiredParked(false);
            }
            if (m_queue.empty() && m_touches.empty() && m_stopping) {
                answerExpiredParked(true);
                return;
            }
            while (!m_queue.empty() && jobs.size() < m_options.maxPushesPerCommit) {
                m_waitingEvents -= m_queue.front()->request.events.size();
                jobs.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            touches.swap(m_touches);
        }
        if (jobs.empty() && touches.empty()) continue;  // woken by a probe: answer it at the top
        commitGroup(jobs, touches);
        // Parked jobs were taken out; the rest are answered. Freeing their requests (trees of
        // JSON) was a twentieth of the writer's time: the next push() frees them instead.
        std::lock_guard lock(m_mutex);
        for (auto& job : jobs)
            if (job) m_answered.push_back(std::move(job));
    }
}

void PushCommitter::answerExpiredParked(bool all) {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = m_parked.begin(); it != m_parked.end();) {
        if (all || (*it)->parkedUntil <= now) {
            (*it)->answer.set_value(std::move(*(*it)->parkedAnswer));
            it = m_parked.erase(it);
        } else {
            ++it;
        }
    }
}

void PushCommitter::commitGroup(Jobs& jobs, Touches& touches) {
    // A kiosk's pushes in sequence order (two of them may be on the wire at once and arrive in
    // either order); the group's other pushes keep their order.
    auto firstSeq = [](const Job& job) {
        return job.request.events.empty() ? int64_t(0) : job.request.events.front().seq;
    };
    std::map<std::string, std::vector<size_t>> places;
    for (size_t i = 0; i < jobs.size(); ++i) places[jobs[i]->kiosk.kioskId].push_back(i);
    for (const auto& [kioskId, at] : places) {
        if (at.size() < 2) continue;
        Jobs own;
        for (size_t i : at) own.push_back(std::move(jobs[i]));
        std::stable_sort(own.begin(), own.end(),
                         [&](const auto& a, const auto& b) { return firstSeq(*a) < firstSeq(*b); });
        for (size_t k = 0; k < at.size(); ++k) jobs[at[k]] = std::move(own[k]);
    }
    // Without savepoints first: each one costs the writer a copy of every page a push touches
    // (most of them, since records, UUIDs and codes land all over their indexes). A push that then
    // fails (a storage error, a revocation, a 409) rolls the group back unanswered, and the group
    // is judged again with a savepoint per push, so that one failure is answered alone.
    if (!tryCommitGroup(jobs, touches, false)) tryCommitGroup(jobs, touches, true);
}

void PushCommitter::answerOrPark(Jobs& jobs, std::vector<std::optional<Result<PushAnswer>>>& answers) {
    std::set<std::string> advanced;  // kiosks with events taken in this group
    Jobs parkNow;
    for (size_t i = 0; i < jobs.size(); ++i) {
        Job& job = *jobs[i];
        Result<PushAnswer>& answer = *answers[i];
        const bool ahead = !job.wasParked && answer && answer->sequenceOk &&
                           answer->response.results.empty() && !job.request.events.empty() &&
                           job.request.events.front().seq > answer->ackedSeq + 1;
        if (ahead) {
            job.wasParked = true;
            job.parkedAnswer = std::move(answer);
            job.parkedUntil = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_options.parkMs);
            parkNow.push_back(std::move(jobs[i]));
            continue;
        }
        if (answer && !answer->response.results.empty()) advanced.insert(job.kiosk.kioskId);
        job.answer.set_value(std::move(answer));
    }
    std::lock_guard lock(m_mutex);
    // What waited for a push now committed is judged again next, ahead of the queue.
    for (auto it = m_parked.begin(); it != m_parked.end();) {
        if (advanced.count((*it)->kiosk.kioskId)) {
            (*it)->parkedAnswer.reset();
            m_waitingEvents += (*it)->request.events.size();
            m_queue.push_front(std::move(*it));
            it = m_parked.erase(it);
        } else {
            ++it;
        }
    }
    for (auto& job : parkNow) m_parked.push_back(std::move(job));
}

bool PushCommitter::tryCommitGroup(std::deque<std::unique_ptr<Job>>& jobs, Touches& touches,
                                   bool savepoints) {
    store::Database& db = m_store->database();
    // The whole group is judged by one set of rules, the imports in force when it starts.
    followImports(*m_store);
    const std::shared_ptr<const DeadlineRules> groupRules = rules();
    std::vector<std::optional<Result<PushAnswer>>> answers(jobs.size());
    auto failAll = [&](const Error& error) {
        for (auto& job : jobs) job->answer.set_value(error);
    };
    try {
        store::Transaction tx(db);
        if (!tx.begun()) {
            failAll(tx.begun().error());
            return true;
        }
        size_t events = 0;
        for (size_t i = 0; i < jobs.size(); ++i) {
            Job& job = *jobs[i];
            events += job.request.events.size();
            if (savepoints) {
                if (auto r = db.exec("SAVEPOINT push"); !r) {
                    answers[i] = r.error();
                    continue;
                }
            }
            auto answer = applyPush(*m_store, job.kiosk, job.request, job.nowMs, *groupRules, &job.encoded);
            if (!savepoints && (!answer || !answer->sequenceOk)) return false;  // tx rolls back
            if (savepoints) {
                if (!answer || !answer->sequenceOk) db.exec("ROLLBACK TO push");
                db.exec("RELEASE push");
            }
            answers[i] = std::move(answer);
            // Some errors (disk full, I/O) make SQLite roll back the whole transaction by itself
            // (PostgreSQL: leave it aborted); what follows would then run statement by statement,
            // outside any transaction, or fail. Stop: nothing of this group is committed, and every
            // push in it is told so.
            if (!db.inTransaction()) {
                failAll(answers[i] && !answers[i]->ok()
                            ? answers[i]->error()
                            : makeError("db.io", "Giao dịch bị huỷ.", "The transaction was aborted."));
                return true;
            }
        }
        for (const auto& [kioskId, touch] : touches) m_store->touch(kioskId, touch.seenMs, touch.slotToldMs);
        if (auto r = tx.commit(); !r) {
            failAll(r.error());
            return true;
        }
        {
            std::lock_guard lock(m_mutex);
            m_stats.commits += 1;
            m_stats.pushes += jobs.size();
            m_stats.events += events;
        }
        answerOrPark(jobs, answers);
    } catch (const std::exception& e) {
        // Nothing here should throw; if something does (memory), the group is not committed and
        // every waiting push learns it, rather than waiting forever.
        const std::string what = e.what();
        for (size_t i = 0; i < jobs.size(); ++i) {
            if (!jobs[i]) continue;  // parked: answered from there
            try {
                jobs[i]->answer.set_value(
                    makeError("internal", "Lỗi nội bộ: " + what, "Internal error: " + what));
            } catch (const std::future_error&) {
                // already answered
            }
        }
    }
    return true;
}

}  // namespace kiosk::district
