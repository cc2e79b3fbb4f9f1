#pragma once
// DistrictStore: the district's SQLite file and the only code on the server that writes SQL.
//
// It is: versioned migrations (a file newer than this code is refused, untouched); kiosk identities
// (enrollment with a random bearer token of which only the SHA-256 is kept, revocation, the
// heartbeat and clock skew each kiosk reports); the district's judgment of pushed events — each in
// the kiosk's sequence order, validated by the core state machine (kiosk::applyEvent), the
// kiosk's high-water mark advanced in the same transaction (docs/sync-rules.md rules 2-4); and the change
// feed kiosks pull, per commune, with cursors (rule 5).
// It is not: HTTP, authentication of requests beyond looking a token up, or the batching of
// transactions (push_committer.h owns the write transaction and calls applyPush inside it).
// Threads: not thread-safe. One DistrictStore per thread: the committer's writer thread has one,
// each HTTP worker borrows a reader from a pool. WAL lets readers run beside the writer.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadlines.h"
#include "core/records.h"
#include "common/result.h"
#include "common/database.h"
#include "sync/protocol/messages.h"

namespace kiosk::district {

// The schema version this code writes.
constexpr int kDistrictSchemaVersion = 2;
// A kiosk whose clock runs further ahead than this is flagged (docs/sync-rules.md rule 9).
constexpr int64_t kClockAheadFlagMs = 5 * 60 * 1000;

// Who a token belongs to.
struct KioskIdentity {
    std::string kioskId;
    std::string commune;
    bool revoked = false;
};

struct Enrollment {
    std::string kioskId;
    std::string commune;
    std::string token;  // shown once, never stored
};

struct KioskInfo {
    std::string kioskId;
    std::string commune;
    int64_t createdAtMs = 0;
    bool revoked = false;
    std::optional<int64_t> lastSeenMs;
    int64_t ackedSeq = 0;
    std::optional<int64_t> clockSkewMs;
    std::string appVersion;
    std::optional<int64_t> queueDepth;
    std::optional<int64_t> freeDiskMb;
};

struct RecordSummary {
    std::string code;
    std::string officialCode;  // "" until assigned
    RecordKind kind = RecordKind::Petition;
    std::string commune;
    RecordStatus status = RecordStatus::Received;
    Date due;
    int64_t events = 0;  // accepted events
};

// What can be made of one pushed event before the write transaction (on the HTTP worker thread, in
// parallel with the others) so the single writer does not spend its time on it: its JSON texts,
// and for a Submit/Register the record it creates if its code is still free. Nothing here depends
// on the database; the writer decides, inside its transaction, whether `created` applies.
struct EncodedEvent {
    // dumpJson(toJson(event)) as the change feed carries it: the token's kiosk id, the pushed seq,
    // and no "sealed" in its payload (only the district can open that; `payload` keeps it)
    std::string event;
    std::string payload;  // dumpJson(event.payload)
    // Submit/Register only: applyEvent(nullopt, event, *rules) — the new record, or why not — and,
    // when it is a record of the kiosk's commune, the body of its `record` change.
    std::optional<Record> created;
    std::optional<Error> createRefused;
    std::string createdChangeBody;
    const DeadlineRules* rules = nullptr;  // null: nothing was judged ahead
};
// One per event of request, in its order (empty strings for an unreadable event). With rules, a
// Submit/Register is also judged ahead as if its record did not exist (applyPush uses that only
// when it is called with the same rules object and the record indeed does not exist).
std::vector<EncodedEvent> encodeForStore(const KioskIdentity& kiosk, const protocol::PushRequest& request,
                                         const DeadlineRules* rules = nullptr);
// The same for one event (thread-safe: reads only its arguments).
EncodedEvent encodeEventForStore(const KioskIdentity& kiosk, const protocol::PushedEvent& pushed,
                                 const DeadlineRules* rules = nullptr);
// Sets each readable event's kiosk (the token's, when it names none) and seq (the pushed one) in
// place, as the district stores it, so that applyPush need not copy the event to do so.
void normalizeForStore(const KioskIdentity& kiosk, protocol::PushRequest& request);

// The result of one push, computed inside the caller's transaction.
struct PushAnswer {
    // false: a sequence number at or below the mark came with an unknown UUID (a kiosk restored from
    // a backup reusing numbers): the caller rolls this push back and answers 409 with ackedSeq.
    bool sequenceOk = true;
    protocol::PushResponse response;  // when sequenceOk
    int64_t ackedSeq = 0;
};

// One pull page, or "reset" when the cursor is not this database's.
struct PullPage {
    bool reset = false;
    std::vector<protocol::StoredChange> changes;
    std::string next;
    bool more = false;
};

class DistrictStore {
public:
    // Opens (creating when asked) and migrates. Error "db.too-new" for a newer file.
    static Result<std::unique_ptr<DistrictStore>> open(const std::string& path, bool create);
    ~DistrictStore();
    DistrictStore(const DistrictStore&) = delete;
    DistrictStore& operator=(const DistrictStore&) = delete;

    // [SECTION] kiosks (district-server enroll-kiosk, revoke-kiosk, kiosks)
    // The caller checks that commune is a real commune code.
    Result<Enrollment> enrollKiosk(const std::string& commune, int64_t nowMs);
    // true: revoked now; false: it already was. Error "kiosk.unknown" when there is no such kiosk.
    Result<bool> revokeKiosk(const std::string& kioskId, int64_t nowMs);
    Result<std::vector<KioskInfo>> kiosks();
    // The kiosk a bearer token belongs to (revoked ones included), or nullopt.
    Result<std::optional<KioskIdentity>> findByToken(std::string_view token);
    Result<int64_t> ackedSeq(const std::string& kioskId);

    // [SECTION] records
    Result<std::vector<RecordSummary>> records(const std::optional<std::string>& commune);
    Result<std::optional<Record>> record(const std::string& code);

    // [SECTION] push and pull
    // Judges one push from `kiosk`. Must run inside the caller's write transaction. An error may
    // leave part of the push written: the caller rolls back (the transaction, or a savepoint it
    // opened for this push). A 409 (sequenceOk false) found before the first new event writes
    // nothing, but the caller may not count on that. Error "kiosk.revoked" when the kiosk was
    // revoked since its token was checked; "db.*" for storage failures.
    // encoded: encodeForStore(kiosk, request[, &rules]), or null to encode here.
    Result<PushAnswer> applyPush(const KioskIdentity& kiosk, const protocol::PushRequest& request,
                                 int64_t nowMs, const DeadlineRules& rules,
                                 const std::vector<EncodedEvent>* encoded = nullptr);
    // last_seen for pulls and whoami (inside the caller's write transaction).
    Outcome touch(const std::string& kioskId, int64_t lastSeenMs);
    // Changes for kiosk's commune (and district-wide ones) after `since`, at most `limit`.
    Result<PullPage> pull(const KioskIdentity& kiosk, const protocol::Cursor& since, int limit);

    // A random id made when the file was created; cursors carry it.
    const std::string& storeId() const { return m_storeId; }
    store::Database& database() { return m_db; }

private:
    explicit DistrictStore(store::Database db) : m_db(std::move(db)) {}
    Outcome migrate();
    // A prepared statement kept for the life of the connection (the push path runs a handful of
    // statements per event, thousands of times a second: preparing each time would dominate).
    Result<store::Statement*> cached(const char* sql);

    store::Database m_db;
    std::string m_storeId;
    // Set by the first applyPush: this connection is the committer's writer (see kWriter* in the .cpp).
    bool m_writerSetUp = false;
    std::map<const char*, std::unique_ptr<store::Statement>> m_statements;
};

// 256 random bits as 64 lowercase hex digits, and the hex SHA-256 under which a token is stored.
std::string newToken();
std::string tokenHash(std::string_view token);

}  // namespace kiosk::district
