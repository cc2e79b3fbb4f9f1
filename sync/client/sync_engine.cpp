#include "sync/client/sync_engine.h"

#include <sys/statvfs.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "core/event.h"
#include "kiosk/store/help_request.h"
#include "kiosk/store/identity_vault.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/reception.h"
#include "kiosk/store/sync_store.h"
#include "sync/client/district_trust.h"
#include "sync/client/http_transport.h"
#include "sync/client/wire.h"
#include "sync/protocol/messages.h"

namespace kiosk::client {
namespace {

using std::chrono::milliseconds;

int64_t nowMs() { return int64_t(wallClockMillis()); }
int64_t nowUnix() { return nowMs() / 1000; }

uint64_t randomSeed() {
    std::random_device device;
    return (uint64_t(device()) << 32) ^ device();
}

std::string percentEncode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// "HTTP 503 overloaded: <the server's words>", in each language.
std::pair<std::string, std::string> describeStatus(long status, const std::string& body) {
    const protocol::ErrorBody e = decodeErrorReply(body);
    std::string vi = "HTTP " + std::to_string(status), en = vi;
    if (!e.error.empty()) {
        vi += " " + e.error;
        en += " " + e.error;
    }
    if (!e.messageVi.empty() || !e.message.empty()) {
        vi += ": " + (e.messageVi.empty() ? e.message : e.messageVi);
        en += ": " + (e.message.empty() ? e.messageVi : e.message);
    }
    return {vi, en};
}

Error refusedError(long status, const std::string& body) {
    const auto [vi, en] = describeStatus(status, body);
    if (status == 401)
        return makeError(
            "sync.refused",
            "Máy chủ không nhận mã truy cập của máy này (" + vi + "). Cần đăng ký lại máy với máy chủ.",
            "The server does not accept this kiosk's token (" + en + "). The kiosk must be enrolled again.");
    return makeError(
        "sync.refused",
        "Máy chủ từ chối máy này: mã truy cập đã bị thu hồi hoặc không thuộc máy này (" + vi + ").",
        "The server refuses this kiosk: its token was revoked or belongs to another kiosk (" + en + ").");
}

Error statusError(long status, const std::string& body) {
    const auto [vi, en] = describeStatus(status, body);
    if (status == 429 || status == 503)
        return makeError("http.busy", "Máy chủ đang quá tải; sẽ gửi lại sau (" + vi + ").",
                         "The server is overloaded; will retry (" + en + ").");
    if (status >= 500)
        return makeError("http.server", "Máy chủ gặp lỗi; sẽ gửi lại sau (" + vi + ").",
                         "The server failed; will retry (" + en + ").");
    return makeError("http.unexpected", "Máy chủ trả lời không như mong đợi (" + vi + ").",
                     "Unexpected answer from the server (" + en + ").");
}

bool failFromTransport(const HttpExchange& ex, PassResult& r) {
    r.error = describeFailure(ex);
    r.end = ex.failure == TransportFailure::Unreachable ? PassEnd::Unreachable
            : ex.failure == TransportFailure::Cancelled ? PassEnd::Cancelled
                                                        : PassEnd::Failed;
    return false;
}

bool failFromStatus(const HttpReply& reply, PassResult& r) {
    if (reply.status == 401 || reply.status == 403) {
        r.end = PassEnd::Refused;
        r.error = refusedError(reply.status, reply.body);
        return false;
    }
    r.end = PassEnd::Failed;
    r.error = statusError(reply.status, reply.body);
    if ((reply.status == 429 || reply.status == 503) && reply.retryAfterSeconds)
        r.retryAfter = milliseconds(*reply.retryAfterSeconds * 1000);
    return false;
}

bool failLocally(const Error& error, PassResult& r) {
    r.end = PassEnd::LocalError;
    r.error = error;
    return false;
}

// What the district's last push or whoami answer said of this kiosk's version: kept (meta
// "too_old") until an answer without it, for `kioskctl sync --state` and the console.
Outcome noteTooOld(store::KioskStore& store, const std::optional<Error>& tooOld) {
    return store::writeMeta(store.database(), "too_old",
                            tooOld ? store::encodeRejectReason(*tooOld) : std::string());
}

int64_t freeDiskMb(const std::string& dbPath) {
    struct statvfs fs {};
    const std::string dir = std::filesystem::path(dbPath).parent_path().string();
    if (statvfs(dir.empty() ? "." : dir.c_str(), &fs) != 0) return -1;
    return int64_t(fs.f_bavail) * int64_t(fs.f_frsize) / (1024 * 1024);
}

// The district answered (even if with an error status) for these ends.
bool reachedDistrict(const PassResult& r) {
    if (r.end == PassEnd::Done) return true;
    // Refused by the district's answer. An insecure URL is refused before any connection, and a
    // server without the pinned key is not the district: neither counts as online.
    if (r.end == PassEnd::Refused)
        return !r.error ||
               (r.error->code != "sync.insecure-http" && r.error->code != "sync.district-key-mismatch");
    return r.end == PassEnd::Failed && r.error && r.error->code.rfind("http.", 0) == 0;
}

}  // namespace

std::string_view toSlug(SyncPhase phase) {
    switch (phase) {
        case SyncPhase::Stopped:
            return "stopped";
        case SyncPhase::NotConfigured:
            return "not-configured";
        case SyncPhase::Idle:
            return "idle";
        case SyncPhase::Syncing:
            return "syncing";
        case SyncPhase::Backoff:
            return "backoff";
        case SyncPhase::Offline:
            return "offline";
        case SyncPhase::Refused:
            return "refused";
    }
    return "?";
}

SyncEngine::SyncEngine(SyncOptions options)
    : m_options(std::move(options)),
      m_backoff(m_options.backoffBase, m_options.backoffCap, randomSeed()),
      m_batches(std::max(1, m_options.smallestBatch), std::max(1, m_options.largestBatch)) {}

SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::setOnChange(std::function<void()> onChange) { m_onChange = std::move(onChange); }

void SyncEngine::start() {
    // A second start() would leak a thread that never joins.
    if (m_thread.joinable()) return;
    m_thread = std::thread([this] { runLoop(); });
}

void SyncEngine::stop() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wakeup.notify_all();
    if (m_thread.joinable() && m_thread.get_id() != std::this_thread::get_id()) m_thread.join();
}

void SyncEngine::wake() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_wakePending = true;
    }
    m_wakeup.notify_all();
}

SyncSnapshot SyncEngine::snapshot() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_snapshot;
}

bool SyncEngine::cancelled() const { return m_stopping || (m_deadline && Clock::now() >= *m_deadline); }

bool SyncEngine::waitFor(milliseconds delay, bool wakeable) {
    std::unique_lock<std::mutex> lock(m_mutex);
    auto until = Clock::now() + delay;
    if (m_deadline && *m_deadline < until) until = *m_deadline;
    return m_wakeup.wait_until(lock, until, [&] { return m_stopping.load() || (wakeable && m_wakePending); });
}

void SyncEngine::publish(store::KioskStore* store, SyncPhase phase, int64_t nextAttemptMs, bool dataChanged) {
    std::optional<store::SyncStatus> status;
    if (store) {
        if (auto read = store::readSyncStatus(*store)) status = std::move(*read);
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_snapshot.phase = phase;
        m_snapshot.nextAttemptMs = nextAttemptMs;
        if (dataChanged) ++m_snapshot.dataVersion;
        if (status) {
            m_snapshot.online = status->online;
            m_snapshot.lastSuccessMs = status->lastSuccessMs;
            m_snapshot.eventsWaiting = status->eventsWaiting;
            m_snapshot.recordsWaiting = status->recordsWaiting;
            m_snapshot.rejectedEvents = status->rejectedEvents;
            m_snapshot.lastError = status->lastError;
            m_snapshot.clockOffsetMs = status->clockOffsetMs;
            m_snapshot.clockWrong = status->clockWrong();
            m_snapshot.successorCode = status->successorCode;
            m_snapshot.successorName = status->successorName;
            m_snapshot.orphaned = status->orphaned;
            m_snapshot.tooOld = status->tooOld;
        }
    }
    if (m_onChange) m_onChange();
}

// [SECTION] one pass

HttpTransport* SyncEngine::transportFor(store::KioskStore& store, PassResult& result) {
    auto config = store.config();
    auto token = config ? store.token() : Result<std::string>(config.error());
    if (!token) {
        result.end = PassEnd::NotConfigured;
        result.error = token.error();
        return nullptr;
    }
    if (config->serverUrl.empty() || token->empty()) {
        result.end = PassEnd::NotConfigured;
        result.error =
            makeError("sync.not-configured",
                      "Máy chưa được kết nối với máy chủ (chạy kioskctl init --server ... --token ...).",
                      "This kiosk has no server (run kioskctl init --server ... --token ...).");
        return nullptr;
    }
    std::string url = config->serverUrl;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (auto refused = refuseInsecureUrl(url, store::readMeta(store.database(), "insecure_http") == "1")) {
        result.end = PassEnd::Refused;  // before any connection: nothing may cross in the clear
        result.error = std::move(refused);
        return nullptr;
    }
    const std::string key = url + "\n" + *token + "\n" + config->caFile;
    if (!m_http || key != m_httpKey) {
        TransportOptions options;
        options.baseUrl = url;
        options.token = *token;
        options.caFile = config->caFile;
        options.connectTimeoutSeconds = m_options.connectTimeoutSeconds;
        options.lowSpeedBytesPerSecond = m_options.lowSpeedBytesPerSecond;
        options.lowSpeedSeconds = m_options.lowSpeedSeconds;
        options.userAgent = "commune-kiosk/" + m_options.appVersion;
        m_http = std::make_unique<HttpTransport>(options);
        m_http->setCancel([this] { return cancelled(); });
        m_pushHttp = std::make_unique<HttpTransport>(std::move(options));  // the second push on the wire
        m_pushHttp->setCancel([this] { return cancelled(); });
        m_httpKey = key;
    }
    return m_http.get();
}

void SyncEngine::noteClock(store::KioskStore& store, const std::optional<int64_t>& serverTimeMs,
                           const std::optional<int64_t>& serverDateMs, int64_t sentMs, int64_t receivedMs) {
    const int64_t midpoint = sentMs + (receivedMs - sentMs) / 2;
    std::optional<int64_t> offset;
    if (serverTimeMs)
        offset = *serverTimeMs - midpoint;
    else if (serverDateMs)
        offset = *serverDateMs + 500 - midpoint;  // Date has whole seconds
    if (!offset) return;
    // Written when it moved by more than a second, not on every exchange.
    if (m_lastOffsetWritten != INT64_MIN && std::llabs(*offset - m_lastOffsetWritten) < 1000) return;
    if (store::recordClockOffset(store, *offset)) m_lastOffsetWritten = *offset;
}

// whoami also carries the district's public key (docs/security.md): asked when the kiosk does not
// know its id yet, and otherwise every few hours, so a kiosk set up without --district-key learns the
// key at its first sync and a rotated key reaches every kiosk within that interval (as far as its
// pin allows: district_trust.h).
constexpr int64_t kDistrictKeyRecheckMs = 6 * 60 * 60 * 1000;

bool SyncEngine::ensureKioskId(store::KioskStore& store, HttpTransport& http, PassResult& result) {
    const int64_t nowMs = int64_t(wallClockMillis());
    const int64_t keyCheckedMs =
        store::readMetaInteger(store.database(), "district_pk_checked_ms").value_or(0);
    const bool knowsId = !store::readMeta(store.database(), "kiosk_id").empty();
    if (knowsId && nowMs >= keyCheckedMs && nowMs - keyCheckedMs < kDistrictKeyRecheckMs) return true;
    HttpExchange ex = http.get("/api/v1/whoami");
    if (!ex.ok()) return failFromTransport(ex, result);
    const HttpReply& reply = *ex.reply;
    if (reply.status == 404) return true;  // a district without whoami names us in the push answer
    if (reply.status != 200) return failFromStatus(reply, result);
    auto who = decodeWhoAmI(reply.body);
    if (!who) {
        result.end = PassEnd::Failed;
        result.error = who.error();
        return false;
    }
    noteClock(store, sentTime(who->serverTimeMs), reply.serverDateMs, reply.sentAtMs, reply.receivedAtMs);
    const std::string commune = store::readMeta(store.database(), "commune");
    if (!who->commune.empty() && who->commune != commune) {
        // A token issued for another commune: pushing would only collect rejections.
        result.end = PassEnd::Refused;
        result.error = makeError("sync.foreign-token",
                                 "Mã truy cập này thuộc xã " + who->commune + ", không phải xã của máy (" +
                                     commune + "). Cần mã truy cập đúng của xã.",
                                 "This token belongs to commune " + who->commune + ", not this kiosk's (" +
                                     commune + "). The kiosk needs its own commune's token.");
        return false;
    }
    // A new district key is taken only as the pin allows (district_trust.h); otherwise the pass
    // stops here, before anything is pushed to this server or sealed to its key.
    if (auto ok = acceptDistrictKey(store, nlohmann::json::parse(reply.body, nullptr, false)); !ok) {
        if (ok.error().code != "sync.district-key-mismatch") return failLocally(ok.error(), result);
        result.end = PassEnd::Refused;
        result.error = ok.error();
        return false;
    }
    if (!knowsId)
        if (auto ok = store::recordKioskId(store, who->kioskId); !ok) return failLocally(ok.error(), result);
    if (who->slot)
        if (auto ok = store::recordDistrictSlot(store, *who->slot); !ok) {
            if (ok.error().code != "sync.slot-mismatch") return failLocally(ok.error(), result);
            result.end = PassEnd::Refused;  // another slot than this kiosk's: its installer must act
            result.error = ok.error();
            return false;
        }
    // A district restored from a backup is behind what it acknowledged: resend the difference.
    if (auto ok = store::reopenAboveDistrictMark(store, who->ackedSeq); !ok)
        return failLocally(ok.error(), result);
    // Who owns this commune's records now, when not the commune itself ("" otherwise): the officer
    // console and `kioskctl sync --state` say the kiosk should be moved there.
    const std::string successor =
        who->successorCode.empty() ? std::string() : who->successorCode + "\t" + who->successorName;
    if (auto ok = store::writeMeta(store.database(), "successor", successor); !ok)
        return failLocally(ok.error(), result);
    if (auto ok = noteTooOld(store, who->tooOld); !ok) return failLocally(ok.error(), result);
    if (auto ok = store::writeMeta(store.database(), "district_pk_checked_ms", std::to_string(nowMs)); !ok)
        return failLocally(ok.error(), result);
    return true;
}

namespace {

// A push batch read from the outbox, with the receptions and ratings that ride along.
struct PushBatch {
    std::vector<store::OutboxEntry> events;
    std::vector<store::StoredReception> receptions;
    std::vector<store::StoredRating> ratings;
    // A citizen's call for an officer as the heartbeat carries it ("" = nobody waiting), and
    // whether the district has not yet been told (then the push goes even with nothing else).
    std::string help;
    bool helpNews = false;
    bool empty() const { return events.empty() && receptions.empty() && ratings.empty(); }
    bool ridersOnly() const { return events.empty() && (!receptions.empty() || !ratings.empty()); }
};

// A push on the wire: what was sent, over which connection, and the answer to come.
struct PushInFlight {
    PushBatch batch;
    std::string kioskId;  // the id it was sent under
    HttpTransport* over = nullptr;
    std::future<HttpExchange> answer;
};

}  // namespace

// Up to two batches are on the wire at once (m_options.pushesInFlight), each on its own
// connection: while the district judges one, the next is read, sent and received, so the kiosk's
// work and the district's overlap. Answers are taken in the order the batches were sent. The
// district judges a kiosk's pushes in sequence order (a push that overtook the one before it waits
// there for it; push_committer.h). When an answer is not exactly the batch it answers (a gap, a
// renumbering, a new kiosk id, an error), the batches after it are forgotten and the outbox is read
// again from what is still waiting: anything the district took twice is a duplicate.
class PushPass {
public:
    PushPass(SyncEngine& engine, store::KioskStore& store, HttpTransport& http, HttpTransport* second,
             PassResult& result)
        : m_engine(engine),
          m_store(store),
          m_http(http),
          m_second(second),
          m_result(result),
          m_most(second && engine.m_options.pushesInFlight > 1 ? 2 : 1) {}

    // SyncEngine::push: false when the pass ends here (result.end says how).
    bool run();

private:
    // What to do after an answer: go on with the loop (nullopt) or end the push with this value.
    using Step = std::optional<bool>;

    Result<PushBatch> read(int64_t afterSeq);
    Outcome send(PushBatch batch);
    Outcome fill();
    void forgetFlights();
    Step accepted(const HttpReply& reply, const PushBatch& sent, const std::string& kioskId);
    Step recorded(const protocol::PushResponse& decoded, const store::AckSummary& ack, const PushBatch& sent);
    Step refused(const HttpReply& reply, const PushBatch& sent);

    SyncEngine& m_engine;
    store::KioskStore& m_store;
    HttpTransport& m_http;
    HttpTransport* m_second;
    PassResult& m_result;
    const size_t m_most;  // batches on the wire at once
    int m_reused = 0, m_stuck = 0, m_tooLarge = 0;
    std::deque<PushInFlight> m_flights;   // in the order sent; waited for (and forgotten) on return
    std::optional<int64_t> m_followFrom;  // the last batch sent ends here and may be followed at once
    std::optional<PushBatch> m_next;      // the rows after m_followFrom, read while the others are out
    // The district answered a push carrying ratings without taking any (one that does not know
    // them): this pass sends no more, so it ends instead of sending them again and again.
    bool m_ratingsRefused = false;
    // A push of this pass carried news of the call for an officer: one is enough (a refused or lost
    // one is retried by the next pass, as the state still differs from what was reported).
    bool m_helpSent = false;
};

bool SyncEngine::push(store::KioskStore& store, HttpTransport& http, HttpTransport* second,
                      PassResult& result) {
    return PushPass(*this, store, http, second, result).run();
}

Result<PushBatch> PushPass::read(int64_t afterSeq) {
    PushBatch batch;
    store::OutboxBatchLimits limits;
    limits.maxEvents = m_engine.m_batches.size();
    limits.maxBytes = m_engine.m_options.batchBytes;
    limits.afterSeq = afterSeq;
    auto events = store::readOutboxBatch(m_store, limits);
    if (!events) return events.error();
    batch.events = std::move(*events);
    // Receptions recorded at the commune go with the push (kiosk/store/reception.h); only with a
    // batch read after the last answer, so one reception is never in two pushes in flight.
    if (afterSeq == 0) {
        auto receptions = store::unsentReceptions(m_store, int(protocol::kMaxReceptionsPerPush));
        if (!receptions) return receptions.error();
        batch.receptions = std::move(*receptions);
        if (!m_ratingsRefused) {
            auto ratings = store::unsentRatings(m_store, int(protocol::kMaxRatingsPerPush));
            if (!ratings) return ratings.error();
            batch.ratings = std::move(*ratings);
        }
    }
    batch.help = store::helpState(m_store);
    batch.helpNews = afterSeq == 0 && !m_helpSent && batch.help != store::helpReported(m_store);
    return batch;
}

// Sends on another thread, on the connection the batch ahead does not use; counts the attempt
// meanwhile. Errors are local (the database).
Outcome PushPass::send(PushBatch batch) {
    HttpTransport& over = m_flights.empty() || m_flights.back().over != &m_http ? m_http : *m_second;
    m_followFrom.reset();
    if (batch.receptions.empty() && batch.ratings.empty() && !batch.events.empty())
        m_followFrom = batch.events.back().seq;
    protocol::Heartbeat heartbeat;
    heartbeat.appVersion = m_engine.m_options.appVersion;
    heartbeat.clockMs = nowMs();
    heartbeat.insecureHttp = isInsecureRemoteUrl(m_http.options().baseUrl);
    if (const int64_t mb = freeDiskMb(m_engine.m_options.dbPath); mb >= 0) heartbeat.freeDiskMb = mb;
    if (auto pending = m_store.outboxPending()) heartbeat.queueDepth = *pending;
    if (!batch.help.empty()) heartbeat.helpRequestedMs = std::atoll(batch.help.c_str());
    if (batch.helpNews) m_helpSent = true;
    const std::string kioskId = store::readMeta(m_store.database(), "kiosk_id");
    std::string body = encodePushRequest(kioskId, batch.events, heartbeat, batch.receptions, batch.ratings);
    PushInFlight& flight = m_flights.emplace_back();
    flight.kioskId = kioskId;
    flight.over = &over;
    flight.answer = std::async(
        std::launch::async, [&over, body = std::move(body)] { return over.postJson("/api/v1/push", body); });
    flight.batch = std::move(batch);
    const auto& events = flight.batch.events;
    if (!events.empty()) return store::countPushAttempt(m_store, events.front().seq, events.back().seq);
    return {};
}

// Puts batches on the wire behind the last one sent, up to m_most.
Outcome PushPass::fill() {
    while (m_flights.size() < m_most && m_followFrom) {
        if (!m_next) {
            auto batch = read(*m_followFrom);
            if (!batch) return batch.error();
            if (batch->events.empty()) return {};
            m_next = std::move(*batch);
        }
        PushBatch batch = std::move(*m_next);
        m_next.reset();
        if (auto ok = send(std::move(batch)); !ok) return ok;
    }
    return {};
}

void PushPass::forgetFlights() {
    m_flights.clear();  // waits for their answers, and forgets them
    m_followFrom.reset();
    m_next.reset();
}

bool PushPass::run() {
    while (true) {
        if (m_engine.cancelled()) {
            m_result.end = PassEnd::Cancelled;
            return false;
        }
        if (m_flights.empty()) {
            m_next.reset();
            auto batch = read(0);
            if (!batch) return failLocally(batch.error(), m_result);
            if (batch->empty() && !batch->helpNews) return true;
            if (auto ok = send(std::move(*batch)); !ok) return failLocally(ok.error(), m_result);
        }
        if (auto ok = fill(); !ok) return failLocally(ok.error(), m_result);
        // The batch after those, read while they are out: it goes the moment an answer frees a place.
        if (!m_next && m_followFrom) {
            auto batch = read(*m_followFrom);
            if (!batch) return failLocally(batch.error(), m_result);
            if (!batch->events.empty()) m_next = std::move(*batch);
        }
        HttpExchange ex = m_flights.front().answer.get();
        const PushBatch sent = std::move(m_flights.front().batch);
        const std::string kioskId = m_flights.front().kioskId;
        m_flights.pop_front();
        if (!ex.ok()) {
            m_engine.m_batches.failed();
            return failFromTransport(ex, m_result);
        }
        const Step step =
            ex.reply->status == 200 ? accepted(*ex.reply, sent, kioskId) : refused(*ex.reply, sent);
        if (step) return *step;
    }
}

PushPass::Step PushPass::accepted(const HttpReply& reply, const PushBatch& sent, const std::string& kioskId) {
    auto decoded = decodePushReply(reply.body);
    if (!decoded) {
        m_engine.m_batches.failed();
        m_result.end = PassEnd::Failed;
        m_result.error = decoded.error();
        return false;
    }
    m_engine.noteClock(m_store, sentTime(decoded->serverTimeMs), reply.serverDateMs, reply.sentAtMs,
                       reply.receivedAtMs);
    // The district has the call state this push carried (help_request.h).
    if (sent.help != store::helpReported(m_store)) {
        if (auto ok = store::setHelpReported(m_store, sent.help); !ok)
            return failLocally(ok.error(), m_result);
    }
    const bool renamed = !decoded->kioskId.empty() && decoded->kioskId != kioskId;
    if (renamed) {
        if (auto ok = store::recordKioskId(m_store, decoded->kioskId); !ok)
            return failLocally(ok.error(), m_result);
    }
    // The district took exactly what was sent: the batch behind it stays on the wire. Otherwise (a
    // gap, a renumbering, a new id) what is waiting is read again.
    const bool exact = !sent.events.empty() && !renamed && decoded->ackedSeq == sent.events.back().seq &&
                       decoded->results.size() == sent.events.size();
    if (!exact) {
        forgetFlights();
    } else if (!m_engine.cancelled()) {
        // The next batch goes out before this answer is recorded (recording never touches its
        // rows; if the kiosk stops in between, they are sent again: duplicates).
        if (auto ok = fill(); !ok) return failLocally(ok.error(), m_result);
    }
    auto ack = store::recordPushOutcome(m_store, decoded->ackedSeq, decoded->results, nowUnix());
    if (!ack) return failLocally(ack.error(), m_result);
    return recorded(*decoded, *ack, sent);
}

// After the answer is recorded: the receptions it carried, the counts, and a district that takes
// nothing further.
PushPass::Step PushPass::recorded(const protocol::PushResponse& decoded, const store::AckSummary& ack,
                                  const PushBatch& sent) {
    if (!sent.receptions.empty()) {
        // The 200 answer means the push, receptions included, is committed at the district.
        std::vector<std::string> uuids;
        for (const store::StoredReception& r : sent.receptions) uuids.push_back(r.uuid);
        if (auto ok = store::markReceptionsSent(m_store, uuids, nowUnix()); !ok)
            return failLocally(ok.error(), m_result);
    }
    if (!sent.ratings.empty()) {
        // Only what the district names as held: an older district ignores the list.
        if (auto ok = store::markRatingsSent(m_store, decoded.ratingsStored, nowUnix()); !ok)
            return failLocally(ok.error(), m_result);
        m_ratingsRefused = decoded.ratingsStored.empty();
    }
    if (auto ok = noteTooOld(m_store, decoded.tooOld); !ok) return failLocally(ok.error(), m_result);
    if (sent.ridersOnly()) {
        m_engine.m_batches.succeeded();
        return std::nullopt;
    }
    m_result.pushed += int64_t(decoded.results.size());
    m_result.rejected += ack.rejected;
    m_engine.m_dataChanged = m_engine.m_dataChanged || !decoded.results.empty() || ack.snapshotsApplied > 0;
    if (ack.newlyAcked == 0 && ack.reopened == 0) {
        // The district's mark does not reach our first waiting row and nothing moved.
        if (++m_stuck >= 3) {
            const std::string first = std::to_string(sent.events.front().seq);
            const std::string held = std::to_string(decoded.ackedSeq);
            m_result.end = PassEnd::Failed;
            m_result.error = makeError("sync.gap",
                                       "Máy chủ không nhận tiếp các sự kiện từ số " + first +
                                           " (máy chủ đã nhận đến số " + held + ").",
                                       "The server does not take the events from number " + first +
                                           " on (it holds up to " + held + ").");
            return false;
        }
    } else {
        m_stuck = 0;
    }
    m_engine.m_batches.succeeded();
    return std::nullopt;
}

PushPass::Step PushPass::refused(const HttpReply& reply, const PushBatch& sent) {
    forgetFlights();
    if (reply.status == 409) {
        const protocol::ErrorBody e = decodeErrorReply(reply.body);
        if (e.error == "sequence-reused" && e.ackedSeq && ++m_reused <= 3) {
            auto renumbered = store::renumberOutbox(m_store, *e.ackedSeq);
            if (!renumbered) return failLocally(renumbered.error(), m_result);
            return std::nullopt;
        }
    }
    if (reply.status == 413 && ++m_tooLarge <= 12) {
        if (sent.events.size() > 1) {
            m_engine.m_batches.failed();  // the next batch is read smaller
            return std::nullopt;
        }
    }
    m_engine.m_batches.failed();
    return failFromStatus(reply, m_result);
}

namespace {

// One page asked for and, when the district answered 200, decoded.
struct FetchedPage {
    std::string cursor;  // the ?since= it was asked with
    HttpExchange exchange;
    std::optional<Result<PullReply>> decoded;  // set for a 200 answer

    // A 200 answer that decoded, with another page after it (its "next" moves on).
    bool leadsOn() const { return decoded && *decoded && (*decoded)->more && (*decoded)->next != cursor; }
};

FetchedPage fetchPage(HttpTransport& http, const std::string& cursor, int limit) {
    FetchedPage page;
    page.cursor = cursor;
    page.exchange =
        http.get("/api/v1/pull?since=" + percentEncode(cursor) + "&limit=" + std::to_string(limit));
    if (page.exchange.ok() && page.exchange.reply->status == 200)
        page.decoded = decodePullReply(page.exchange.reply->body);
    return page;
}

// Pages fetched and decoded ahead, in order, on one thread of its own, while the engine's thread
// applies the ones before them: the district, the network and the JSON overlap the kiosk's SQLite
// work. It asks for page n+1 with page n's "next" and stops after a page that has no page after it
// (more = false, an error, an answer other than 200, a "next" that does not move), or when told to.
// At most kPagesAhead pages wait; the transport is used by this thread alone until it is joined.
class PageFetcher {
public:
    static constexpr size_t kPagesAhead = 4;

    PageFetcher(HttpTransport& http, std::string cursor, int limit)
        : m_thread([this, &http, cursor = std::move(cursor), limit]() mutable {
              run(http, std::move(cursor), limit);
          }) {}
    PageFetcher(const PageFetcher&) = delete;
    PageFetcher& operator=(const PageFetcher&) = delete;
    ~PageFetcher() { stop(); }

    // The next page in order, waiting for it; nullopt once the fetcher ended without one (stopped).
    std::optional<FetchedPage> next() {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_changed.wait(lock, [&] { return !m_pages.empty() || m_finished; });
        return takeLocked();
    }

    // The next page if it is already there, without waiting.
    std::optional<FetchedPage> tryNext() {
        std::lock_guard<std::mutex> lock(m_mutex);
        return takeLocked();
    }

    // No more fetching; waits for a request in flight (the transport's cancel check cuts it short
    // when the engine is stopping). Pages not taken are dropped.
    void stop() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stopping = true;
        }
        m_changed.notify_all();
        if (m_thread.joinable()) m_thread.join();
    }

private:
    std::optional<FetchedPage> takeLocked() {
        if (m_pages.empty()) return std::nullopt;
        FetchedPage page = std::move(m_pages.front());
        m_pages.pop_front();
        m_changed.notify_all();
        return page;
    }

    void run(HttpTransport& http, std::string cursor, int limit) {
        while (true) {
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                m_changed.wait(lock, [&] { return m_stopping || m_pages.size() < kPagesAhead; });
                if (m_stopping) break;
            }
            FetchedPage page = fetchPage(http, cursor, limit);
            const bool leadsOn = page.leadsOn();
            if (leadsOn) cursor = (*page.decoded)->next;
            std::lock_guard<std::mutex> lock(m_mutex);
            m_pages.push_back(std::move(page));
            m_changed.notify_all();
            if (!leadsOn) break;
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        m_finished = true;
        m_changed.notify_all();
    }

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<FetchedPage> m_pages;  // fetched, in order, not yet taken
    bool m_stopping = false;
    bool m_finished = false;  // run() returned: no page will be added
    std::thread m_thread;     // last: started once the members above exist
};

// Changes applied in one transaction: the pages fetched ahead and already waiting are applied
// together with the last one's cursor (fewer commits, and the index pages a page touches are
// written once for several). Bounded, so one transaction stays short on a kiosk.
constexpr size_t kMaxChangesPerApply = 5000;

}  // namespace

// Pages are applied in order, each with its cursor in one transaction, or several pages that are
// already fetched together with the last one's cursor in one transaction (all or none: the cursor
// never passes a change that is not applied). A page fetched ahead is used only if every page
// before it was applied; otherwise it is dropped.
bool SyncEngine::pull(store::KioskStore& store, HttpTransport& http, PassResult& result) {
    bool restarted = false;
    const int limit = std::max(1, m_options.pullLimit);
    std::string cursor = store::pullCursor(store);
    auto fetcher = std::make_unique<PageFetcher>(http, cursor, limit);
    std::optional<FetchedPage> held;  // taken from the fetcher, not applied with the batch before it
    while (true) {
        if (cancelled()) {
            fetcher->stop();
            result.end = PassEnd::Cancelled;
            return false;
        }
        std::optional<FetchedPage> taken = held ? std::move(held) : fetcher->next();
        held.reset();
        if (!taken) {  // the fetcher ended without a page: only when stopping
            result.end = PassEnd::Cancelled;
            return false;
        }
        FetchedPage page = std::move(*taken);
        if (page.cursor != cursor) {  // never: the fetcher follows the pages' "next"
            fetcher->stop();
            fetcher = std::make_unique<PageFetcher>(http, cursor, limit);
            continue;
        }
        const HttpExchange& ex = page.exchange;
        if (!ex.ok()) {
            fetcher->stop();
            return failFromTransport(ex, result);
        }
        const HttpReply& reply = *ex.reply;
        if (reply.status == 200) {
            Result<PullReply>& decoded = *page.decoded;
            if (!decoded) {
                fetcher->stop();
                result.end = PassEnd::Failed;
                result.error = decoded.error();
                return false;
            }
            noteClock(store, decoded->serverTimeMs, reply.serverDateMs, reply.sentAtMs, reply.receivedAtMs);
            std::vector<store::PulledChange> changes = std::move(decoded->changes);
            std::string next = decoded->next;
            bool more = decoded->more;
            // The pages after it that are already here, while each leads on from the one before.
            while (more && next != cursor && changes.size() < kMaxChangesPerApply) {
                held = fetcher->tryNext();
                if (!held) break;
                if (held->cursor != next || !held->decoded || !*held->decoded ||
                    (*held->decoded)->next == held->cursor)
                    break;  // an error, a refusal or a stuck page: handled on its own below
                PullReply& after = **held->decoded;
                changes.insert(changes.end(), std::make_move_iterator(after.changes.begin()),
                               std::make_move_iterator(after.changes.end()));
                next = after.next;
                more = after.more;
                held.reset();
            }
            auto applied = store::applyPullPage(store, changes, next, nowUnix());
            if (!applied) {
                fetcher->stop();
                return failLocally(applied.error(), result);
            }
            result.pulled += int64_t(changes.size());
            if (applied->records || applied->newEvents || applied->confirmed || applied->rejections ||
                applied->referenceChanged)
                m_dataChanged = true;
            if (!more) {
                fetcher->stop();
                return true;
            }
            if (next == cursor) {
                fetcher->stop();
                result.end = PassEnd::Failed;
                result.error = makeError("sync.pull-stuck", "Máy chủ trả về cùng một trang dữ liệu.",
                                         "The server keeps answering the same page.");
                return false;
            }
            cursor = next;
            continue;
        }
        fetcher->stop();
        if (reply.status == 410 && !restarted) {
            // A reset also follows a change of what the kiosk's commune holds (a succession,
            // docs/sync-protocol.md "Successions"): restartPull has whoami asked again after this
            // pull, so the kiosk learns its successor in this pass rather than hours later.
            if (auto ok = store::restartPull(store); !ok) {
                result.end = PassEnd::Failed;
                result.error = ok.error();
                return false;
            }
            restarted = true;
            held.reset();
            cursor = store::pullCursor(store);
            fetcher = std::make_unique<PageFetcher>(http, cursor, limit);
            continue;
        }
        return failFromStatus(reply, result);
    }
}

PassResult SyncEngine::pass(store::KioskStore& store) {
    // A pass's exchanges share one kept-alive connection (two while a second push is on the wire);
    // when the pass ends they are closed rather than left idle on the district until the next
    // pass (HttpTransport::disconnect says why).
    struct Release {
        SyncEngine& engine;
        ~Release() {
            if (engine.m_http) engine.m_http->disconnect();
            if (engine.m_pushHttp) engine.m_pushHttp->disconnect();
        }
    } release{*this};
    PassResult result;
    HttpTransport* http = transportFor(store, result);
    if (!http) return result;
    if (!ensureKioskId(store, *http, result)) return result;
    if (!push(store, *http, m_pushHttp.get(), result)) return result;
    if (!pull(store, *http, result)) return result;
    // A reset of the feed (above) asks whoami again: the commune may have a successor now.
    if (!ensureKioskId(store, *http, result)) return result;
    // Local writes that raced with the pull go out in this pass too, not 30 s later.
    if (!push(store, *http, m_pushHttp.get(), result)) return result;
    result.end = PassEnd::Done;
    return result;
}

bool SyncEngine::probe(store::KioskStore& store) {
    PassResult ignored;
    HttpTransport* http = transportFor(store, ignored);
    if (!http) return true;  // configuration changed: let a pass say what is wrong
    HttpExchange ex = http->get("/healthz", /*authorize=*/false);
    return ex.ok() && ex.reply->status == 200;
}

void SyncEngine::recordEnd(store::KioskStore& store, const PassResult& result) {
    switch (result.end) {
        case PassEnd::Done:
            store::recordSyncSuccess(store, nowMs());
            break;
        case PassEnd::Cancelled:
        case PassEnd::LocalError:  // the database is what failed: do not write to it again now
            break;
        default:
            store::recordSyncAttempt(store, reachedDistrict(result), result.error, nowMs());
            break;
    }
}

// [SECTION] the loop and --once

void SyncEngine::runLoop() {
    std::unique_ptr<store::KioskStore> store;
    while (!m_stopping) {
        if (!store) {
            auto opened = store::KioskStore::open(m_options.dbPath);
            if (!opened) {
                {
                    std::lock_guard<std::mutex> lock(m_mutex);
                    m_snapshot.lastError = opened.error();
                }
                publish(nullptr, SyncPhase::NotConfigured, nowMs() + m_options.probeInterval.count(), false);
                waitFor(m_options.probeInterval, true);
                continue;
            }
            store = std::move(*opened);
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_wakePending = false;
        }
        publish(store.get(), SyncPhase::Syncing, 0, false);
        m_dataChanged = false;
        const PassResult result = pass(*store);
        recordEnd(*store, result);
        const bool changed = m_dataChanged;
        switch (result.end) {
            case PassEnd::Done:
                m_backoff.reset();
                publish(store.get(), SyncPhase::Idle, nowMs() + m_options.pullInterval.count(), changed);
                waitFor(m_options.pullInterval, true);
                break;
            case PassEnd::NotConfigured:
                publish(store.get(), SyncPhase::NotConfigured, nowMs() + m_options.pullInterval.count(),
                        changed);
                waitFor(m_options.pullInterval, true);
                break;
            case PassEnd::Refused:
                publish(store.get(), SyncPhase::Refused, nowMs() + m_options.refusedRetry.count(), changed);
                waitFor(m_options.refusedRetry, true);
                break;
            case PassEnd::Unreachable:
                // Probe cheaply and often, so sending resumes within one probe interval of the
                // link coming back (docs/sync-rules.md rule 13); a local write probes at once.
                publish(store.get(), SyncPhase::Offline, nowMs() + m_options.probeInterval.count(), changed);
                while (!m_stopping) {
                    waitFor(m_options.probeInterval, true);
                    {
                        std::lock_guard<std::mutex> lock(m_mutex);
                        m_wakePending = false;
                    }
                    if (m_stopping || probe(*store)) break;
                    publish(store.get(), SyncPhase::Offline, nowMs() + m_options.probeInterval.count(),
                            false);
                }
                break;
            case PassEnd::Failed:
            case PassEnd::LocalError: {
                const milliseconds delay = m_backoff.nextDelay(result.retryAfter);
                publish(store.get(), SyncPhase::Backoff, nowMs() + delay.count(), changed);
                if (result.end == PassEnd::LocalError && result.error) {
                    // The database is what failed, so the error is not in it for publish() to read:
                    // the screens would show a backoff with no reason (or an older one).
                    {
                        std::lock_guard<std::mutex> lock(m_mutex);
                        m_snapshot.lastError = result.error;
                    }
                    if (m_onChange) m_onChange();
                }
                waitFor(delay, false);
                if (result.end == PassEnd::LocalError) store.reset();  // reopen: the file may be back
                break;
            }
            case PassEnd::Cancelled:
                break;
        }
    }
    publish(store.get(), SyncPhase::Stopped, 0, false);
}

OnceResult SyncEngine::runOnce(milliseconds timeout) {
    OnceResult out;
    m_deadline = Clock::now() + timeout;
    auto opened = store::KioskStore::open(m_options.dbPath);
    if (!opened) {
        m_deadline.reset();
        out.end = PassEnd::LocalError;
        out.error = opened.error();
        return out;
    }
    store::KioskStore& store = **opened;
    std::optional<PassResult> lastFailure;
    while (true) {
        m_dataChanged = false;
        const PassResult result = pass(store);
        recordEnd(store, result);
        out.pushed += result.pushed;
        out.rejected += result.rejected;
        out.pulled += result.pulled;
        if (result.end == PassEnd::Unreachable || result.end == PassEnd::Failed) {
            lastFailure = result;
            if (m_stopping || Clock::now() >= *m_deadline) break;
            milliseconds delay = m_backoff.nextDelay(result.retryAfter);
            if (result.end == PassEnd::Unreachable) delay = std::min(delay, m_options.probeInterval);
            waitFor(delay, false);  // never past the deadline
            if (m_stopping || Clock::now() >= *m_deadline) break;
            continue;
        }
        out.end = result.end;
        out.error = result.error;
        if (result.end == PassEnd::Cancelled) {
            // The deadline cut an exchange short: report why the earlier tries failed, if any.
            if (lastFailure) {
                out.end = lastFailure->end;
                out.error = lastFailure->error;
            } else {
                out.end = PassEnd::Failed;
                out.error = makeError("sync.timeout",
                                      "Hết thời gian chờ: máy chủ chưa trả lời xong sau " +
                                          std::to_string(timeout.count() / 1000) + " giây.",
                                      "Timed out: the server did not finish answering within " +
                                          std::to_string(timeout.count() / 1000) + " s.");
                store::recordSyncAttempt(store, false, out.error, nowMs());
            }
        }
        lastFailure.reset();
        break;
    }
    if (lastFailure) {
        out.end = lastFailure->end;
        out.error = lastFailure->error;
    }
    if (auto status = store::readSyncStatus(store)) out.eventsWaiting = status->eventsWaiting;
    m_deadline.reset();
    return out;
}

}  // namespace kiosk::client
