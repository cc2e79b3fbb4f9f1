#pragma once
// DistrictStore: the district's SQLite file, its connection, and the tables it writes itself.
//
// It is: versioned migrations (a file newer than this code is refused, untouched); kiosk identities
// (enrollment with a random bearer token of which only the SHA-256 is kept, revocation, the
// heartbeat and clock skew each kiosk reports); records; and the change feed kiosks pull, per
// commune, with cursors (docs/sync-rules.md rule 5) — every row of `changes` is written by
// appendChange, whoever makes it.
// It is not: HTTP, authentication of requests beyond looking a token up, the district's judgment of
// pushed events (district/sync/push_judgement.h), or the batching of transactions
// (district/sync/push_committer.h owns the write transaction).
//
// Who writes SQL on this connection (database(), cached()): the store itself writes `meta`,
// `kiosks` and `changes`; district/sync/push_judgement writes `records`, `events`,
// `kiosk_sequence` and the kiosk's heartbeat columns of `kiosks`; district/office writes
// `officers`, `sessions`, `identity_reads` (officers), `events`, `records` and `meta` for the
// district's own actions (actions), `receptions` (receptions), `reference_imports` (reference_import)
// and `meta` (keys). Their change-feed rows go through appendChange. district/review and
// district/dashboard only read.
// Threads: not thread-safe. One DistrictStore per thread: the committer's writer thread has one,
// each HTTP worker borrows a reader from a ReaderPool (reader_pool.h). WAL lets readers run beside
// the writer.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/deadlines.h"
#include "core/holdings.h"
#include "core/records.h"
#include "common/result.h"
#include "common/database.h"
#include "sync/protocol/messages.h"

namespace kiosk::district {

class StatementBatch;

// A kiosk whose clock runs further ahead than this is flagged (docs/sync-rules.md rule 9).
constexpr int64_t kClockAheadFlagMs = 5 * 60 * 1000;

// Who a token belongs to.
struct KioskIdentity {
    std::string kioskId;
    std::string commune;
    bool revoked = false;
    std::optional<int> slot;  // receipt-code slot 1-99; none for a kiosk enrolled before slots
};

// The most kiosks a commune can ever enroll: slots 01-99 (00 is for codes issued before enrollment).
constexpr int kMaxKioskSlot = 99;

struct Enrollment {
    std::string kioskId;
    std::string commune;
    std::string token;  // shown once, never stored
    int slot = 0;       // the receipt-code slot its codes must carry (core/receipt_code.h)
};

struct KioskInfo {
    std::string kioskId;
    std::string commune;
    std::optional<int> slot;
    int64_t createdAtMs = 0;
    bool revoked = false;
    std::optional<int64_t> lastSeenMs;
    int64_t ackedSeq = 0;
    std::optional<int64_t> clockSkewMs;
    std::string appVersion;
    std::optional<int64_t> queueDepth;
    std::optional<int64_t> freeDiskMb;
    bool insecureHttp = false;  // its last heartbeat said it speaks plain http:// to a remote district
    std::optional<int64_t> helpRequestedMs;  // a citizen asked for an officer then (kiosk clock, unix ms)
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

// A record whose receipt code does not fit its commune (check-codes).
struct CodeMismatch {
    std::string code;
    std::string commune;  // the record's
    // "code-invalid" (not 16 digits with a right check digit), "code-foreign" (another commune's
    // prefix), "code-slot" (a slot no kiosk of the commune has, or 00 issued after every enrollment)
    std::string reason;
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
    // A new random store id in `db`'s meta: the database's first migration, and a restore (another
    // timeline than the one kiosks pulled from: every cursor of the old id is answered "reset").
    static Outcome renewStoreId(store::Database& db);
    ~DistrictStore();
    DistrictStore(const DistrictStore&) = delete;
    DistrictStore& operator=(const DistrictStore&) = delete;

    // [SECTION] kiosks (district-server enroll-kiosk, revoke-kiosk, kiosks)
    // The caller checks that commune is a real commune code. The kiosk gets the lowest slot 01-99
    // never used in the commune (by a kiosk, revoked ones included, or by a record's code); error
    // "kiosk.slots-full" when none is left.
    Result<Enrollment> enrollKiosk(const std::string& commune, int64_t nowMs);
    // Moves a kiosk to another commune (its commune's successor; the caller checks the code): the
    // same token, id and sequence, the lowest free slot of the new commune. The old commune and
    // slot are kept (kiosk_moves): never given again, and the kiosk's old codes still fit them.
    // Errors "kiosk.unknown", "kiosk.revoked", "kiosk.same-commune", "kiosk.slots-full".
    Result<Enrollment> moveKiosk(const std::string& kioskId, const std::string& commune, int64_t nowMs);
    // true: revoked now; false: it already was. Error "kiosk.unknown" when there is no such kiosk.
    Result<bool> revokeKiosk(const std::string& kioskId, int64_t nowMs);
    Result<std::vector<KioskInfo>> kiosks();
    // The kiosk a bearer token belongs to (revoked ones included), or nullopt.
    Result<std::optional<KioskIdentity>> findByToken(std::string_view token);
    Result<int64_t> ackedSeq(const std::string& kioskId);

    // [SECTION] records
    Result<std::vector<RecordSummary>> records(const std::optional<std::string>& commune);
    // The records of any of `communes` (a successor and its predecessors: UnitMap::holdings).
    Result<std::vector<RecordSummary>> records(const std::vector<std::string>& communes);
    Result<std::optional<Record>> record(const std::string& code);
    // record() for many codes in a few statements (MultiRowSql::kMaxRows codes each): the records
    // that exist, by code. The push judgment reads a push's records with it.
    Result<std::map<std::string, Record>> recordsByCode(const std::vector<std::string>& codes);
    // Every record whose code does not match its commune and the slots of the commune's kiosks,
    // ordered by commune and code. Reads every record: a command's work, not a request's.
    Result<std::vector<CodeMismatch>> codeMismatches();

    // [SECTION] push and pull
    // Makes this connection the committer's writer, once (a bigger page cache, a WAL checkpoint
    // only when the checkpointer falls behind: see kWriter* in the .cpp). The push judgment calls it.
    Outcome becomeWriter();
    // last_seen for pulls and whoami (inside the caller's write transaction); slotToldMs (0: not
    // now) is when a whoami told the kiosk its slot, kept the first time only.
    Outcome touch(const std::string& kioskId, int64_t lastSeenMs, int64_t slotToldMs = 0);
    // Changes for kiosk's commune (and district-wide ones) after `since`, at most `limit`; with
    // `holdings`, for every commune it holds (core/holdings.h), the cursor carrying their
    // fingerprint: a cursor of other holdings is a reset.
    Result<PullPage> pull(const KioskIdentity& kiosk, const protocol::Cursor& since, int limit,
                          const CommuneHoldings* holdings = nullptr);
    // [SECTION] change feed
    // Appends one row to the change feed of `commune` ("" for every commune) and returns its
    // sequence number. The only writer of `changes`: pushes, the district's actions and reference
    // imports all call it, inside their own transactions.
    Result<int64_t> appendChange(const std::string& commune, protocol::ChangeType type, std::string_view body,
                                 int64_t createdAtMs);
    // appendChange for several changes of one commune, in their order, with multi-row INSERTs
    // bound into `batch` (a push's changes go out with its other rows: StatementBatch).
    Outcome appendChanges(const std::string& commune,
                          const std::vector<std::pair<protocol::ChangeType, std::string>>& changes,
                          int64_t createdAtMs, StatementBatch& batch);

    // A random id made when the file was created; cursors carry it.
    const std::string& storeId() const { return m_storeId; }
    store::Database& database() { return m_db; }
    // A prepared statement kept for the life of the connection (the push path runs a handful of
    // statements per event, thousands of times a second: preparing each time would dominate). `sql`
    // must be a string that lives as long as the store (a literal): it is the cache's key. Use it
    // through a StatementScope.
    Result<store::Statement*> cached(const char* sql);

private:
    explicit DistrictStore(store::Database db) : m_db(std::move(db)) {}
    Outcome migrate();
    Outcome readChanges(const std::vector<std::string>& communes, int64_t since, int limit,
                        std::vector<protocol::StoredChange>& out);

    store::Database m_db;
    std::string m_storeId;
    // Set by becomeWriter: this connection is the committer's writer (see kWriter* in the .cpp).
    bool m_writerSetUp = false;
    std::map<const char*, std::unique_ptr<store::Statement>> m_statements;
};

// One multi-row statement in every size from 1 to kMaxRows rows: `head`, then `row` repeated and
// joined by ", ", then `tail` ("INSERT ... VALUES " "(?,?)" " ON CONFLICT ...", or "... IN (" "?"
// ")"); with `more`, the rows again after `tail`, then `more` (a second IN list of the same
// values: the caller binds them twice). Standard SQL both engines take. Each size's text is made
// once and lives as long as the object, which is meant to be a function's static: cached() keys
// on a text's address, so each size is prepared once per connection, and kMaxRows bounds how
// many. A caller with more rows runs the statement once per kMaxRows.
class MultiRowSql {
public:
    static constexpr size_t kMaxRows = 32;
    MultiRowSql(std::string_view head, std::string_view row, std::string_view tail,
                std::optional<std::string_view> more = std::nullopt);
    // The text for n rows, 1 <= n <= kMaxRows.
    const char* rows(size_t n) const;

private:
    std::vector<std::string> m_texts;  // [n - 1]: n rows
};

// Cached statements bound to run together (Database::runAll: on PostgreSQL one round trip for them
// all), for writes whose answers nothing waits on. A statement waits at most once: asked for again
// (a table with more than MultiRowSql::kMaxRows rows), what waits runs first. What has not run when
// the batch ends is reset, not run. While a statement waits, nothing else may use it.
class StatementBatch {
public:
    explicit StatementBatch(DistrictStore& store) : m_store(store) {}
    ~StatementBatch();
    StatementBatch(const StatementBatch&) = delete;
    StatementBatch& operator=(const StatementBatch&) = delete;
    // DistrictStore::cached(sql), to be bound now and run with the others.
    Result<store::Statement*> add(const char* sql);
    Outcome run();

private:
    DistrictStore& m_store;
    std::vector<store::Statement*> m_waiting;
};

// Resets a cached statement when the scope ends, so no statement keeps a read snapshot open.
class StatementScope {
public:
    explicit StatementScope(store::Statement* statement) : m_statement(statement) {}
    ~StatementScope() {
        if (m_statement) m_statement->reset();
    }
    StatementScope(const StatementScope&) = delete;
    StatementScope& operator=(const StatementScope&) = delete;
    store::Statement* operator->() const { return m_statement; }
    store::Statement& operator*() const { return *m_statement; }

private:
    store::Statement* m_statement;
};

// Whether the district's database is there to open: the SQLite file exists; a PostgreSQL database
// (a connection URI) always counts, being made by its administrator (opening it migrates it).
bool districtDatabaseExists(const std::string& target);

// 256 random bits as 64 lowercase hex digits, and the hex SHA-256 under which a token is stored.
std::string newToken();
std::string tokenHash(std::string_view token);

}  // namespace kiosk::district
