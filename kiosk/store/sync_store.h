#pragma once
// The kiosk-store side of sync: what the sync engine (sync/client) reads from and writes to the
// kiosk's SQLite file. Free functions on a KioskStore, so the SQL stays in kiosk/store.
//
// It is: reading the outbox in seq order in bounded batches; recording the district's per-event
// outcomes together with the acknowledged mark (one transaction, docs/sync-rules.md rule 3); renumbering the
// unacknowledged rows after a "sequence-reused" answer; applying one pulled page together with the
// new cursor (one transaction, rules 5-6); the sync state the kiosk shows (rule 14).
// It is not: HTTP, JSON wire decoding (sync/client turns the wire into the structs below), retry
// policy, or threads.
// Callers: the sync engine on its own thread, with its own KioskStore; `kioskctl sync --state` and
// the UI read the state with readSyncStatus on theirs. Every function runs its own transaction
// unless it says otherwise; none may be called inside an open transaction.
//
// Pull, and a record with local events still waiting (docs/sync-rules.md rule 8): the district's snapshot of
// such a record is kept aside in district_records (applied = 0) and written into records by the
// push that acknowledges the record's last outbox row (recordPushOutcome), or by a later pull. The
// district's events are stored at once either way (history shows them).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/holdings.h"
#include "core/reference_data.h"
#include "common/result.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/protocol/messages.h"

namespace kiosk::store {

// [SECTION] push

struct OutboxEntry {
    int64_t seq = 0;   // the outbox row's sequence, also in event.seq
    int attempts = 0;  // pushes tried so far for this row
    Event event;       // kioskId and seq filled in as they go on the wire
    std::string json;  // the event as it goes on the wire (kiosk::toJson(event), dumped), made once
                       // here: it sizes the batch and the push splices it rather than encoding again
};

struct OutboxBatchLimits {
    int maxEvents = 500;           // the district accepts at most 500 per push
    size_t maxBytes = 512 * 1024;  // uncompressed JSON of the events; the district takes ≤ 1 MB
    int64_t afterSeq = 0;          // only rows numbered above this (the batch after one in flight)
};

// The first unacknowledged rows in seq order (above limits.afterSeq), at most `limits` (always at
// least one row when any waits, however large). Events carry meta kiosk_id and their outbox seq.
Result<std::vector<OutboxEntry>> readOutboxBatch(KioskStore& store, const OutboxBatchLimits& limits);

// Counts one more attempt for the unacknowledged rows in [firstSeq, lastSeq] (before sending).
Outcome countPushAttempt(KioskStore& store, int64_t firstSeq, int64_t lastSeq);

// Rows that ride beside the events in a push (receptions, ratings: a `uuid` and a `sent_at` column)
// marked sent at nowUnix, those the district stored; one transaction. `table` is one of the
// store's own table names, never input.
Outcome markSentByUuid(KioskStore& store, std::string_view table, const std::vector<std::string>& uuids,
                       int64_t nowUnix);

struct AckSummary {
    int64_t ackedSeq = 0;  // the district's mark
    int accepted = 0;
    int duplicate = 0;
    int rejected = 0;
    int64_t newlyAcked = 0;    // outbox rows marked acknowledged by this answer
    int64_t reopened = 0;      // rows above the district's mark that were acknowledged before (the
                               // district lost them: restored from a backup) and will be sent again
    int snapshotsApplied = 0;  // held district snapshots written now that their outbox is empty
};

// One transaction: each event's verdict (the push answer's results, as sync/protocol decoded them;
// a rejection without a reason is stored as "rejected"), outbox rows up to ackedSeq acknowledged
// (and rows above it reopened), the district mark in meta, held snapshots applied where the outbox
// became empty.
Result<AckSummary> recordPushOutcome(KioskStore& store, int64_t ackedSeq,
                                     const std::vector<protocol::EventResult>& results, int64_t nowUnix);

// After 409 "sequence-reused" (this kiosk was restored from a backup and reuses numbers the
// district already holds): renumbers every row that is unacknowledged or above the district's
// mark, in their order, to districtMark+1, +2, ...; one transaction. Returns the rows renumbered.
// The district's mark for this kiosk, as whoami reports it, is below the kiosk's: the district was
// restored from a backup and lost what it acknowledged after it. Reopens those outbox rows so the
// next push resends them (the district answers "duplicate" for any it still holds). Returns how
// many were reopened; 0 when the district is not behind.
Result<int64_t> reopenAboveDistrictMark(KioskStore& store, int64_t districtMark);
Result<int64_t> renumberOutbox(KioskStore& store, int64_t districtMark);

// [SECTION] pull

// The district's current view of a record, as the pull sends it.
struct DistrictRecord {
    std::string code;
    std::string officialCode;
    std::string kind;    // "petition" | "dossier"
    std::string status;  // status slug
    std::string due;     // YYYY-MM-DD
    std::string resultNote;
    bool complex = false;
    int extensions = 0;
};

struct PulledChange {
    enum class Type { Record, Rejection, Catalog, Holidays, Units, Unknown };
    int64_t seq = 0;
    Type type = Type::Unknown;
    DistrictRecord record;               // Record
    std::vector<Event> events;           // Record: district-accepted events since its last change
    std::string uuid;                    // Rejection: the local event the district rejected
    std::string recordCode;              // Rejection
    Error reason;                        // Rejection
    std::vector<Procedure> procedures;   // Catalog: the whole catalog
    std::vector<HolidayEntry> holidays;  // Holidays: the whole table
    UnitMap units;                       // Units: the district's whole map, successions included
};

struct PullSummary {
    int records = 0;    // snapshots written into records
    int held = 0;       // snapshots kept aside (the record has local events waiting)
    int newEvents = 0;  // district events stored
    int confirmed = 0;  // local events the district's page confirmed
    int rejections = 0;
    bool referenceChanged = false;  // catalog, holidays or units replaced (already reloaded)
};

// One transaction: every change given and the new cursor. The sync engine passes one page, or
// the changes of several consecutive pages in order with the last one's cursor. Applying a page
// twice changes nothing: events are upserted by uuid, snapshots only when their change is newer
// than the one held. Pulled events advance the kiosk's hybrid clock, so local events made afterwards order
// after them whatever this kiosk's wall clock says.
Result<PullSummary> applyPullPage(KioskStore& store, const std::vector<PulledChange>& changes,
                                  const std::string& nextCursor, int64_t nowUnix);

// The cursor for the next pull: "0" before the first one.
std::string pullCursor(KioskStore& store);

// The district can no longer serve our cursor (410 "reset"): back to "0" and forget which change
// last touched each record, so the replay is applied (idempotent; records with local events still
// waiting keep the rule above). One transaction. Refuses when the cursor is already "0" (the
// district refused even the beginning: not a loop we should enter).
Outcome restartPull(KioskStore& store);

// [SECTION] state (docs/sync-rules.md rule 14)

// A kiosk clock further than this from the district's is shown as wrong.
constexpr int64_t kClockWrongMillis = 5 * 60 * 1000;

struct SyncStatus {
    bool configured = false;  // server URL and token present
    std::string serverUrl;
    std::string kioskId;
    bool online = false;             // the district answered the last attempt
    int64_t lastAttemptMs = 0;       // unix ms, 0 = never
    int64_t lastSuccessMs = 0;       // unix ms of the last complete push+pull, 0 = never
    std::optional<Error> lastError;  // since the last success
    int64_t eventsWaiting = 0;       // unacknowledged outbox rows
    int64_t recordsWaiting = 0;      // distinct records among them
    int64_t rejectedEvents = 0;      // local events the district rejected
    std::string cursor;
    std::optional<int64_t> clockOffsetMs;  // district clock minus kiosk clock, when measured
    std::string lastRepair;                // the store's last self-repair (KioskStore::lastHlc), "" = none
    // The district says this kiosk's commune was succeeded: its records belong to this commune now,
    // and the kiosk should be moved there (README "When the commune changes"). "" = no change.
    std::string successorCode;
    std::string successorName;
    // This kiosk's commune no longer exists and no succession names it, in the kiosk's own copy of
    // the district's map: nobody holds its records until the district imports a succession row.
    std::optional<OrphanedCommune> orphaned;
    // The district's last answer said this kiosk's software is below the oldest version it serves
    // in full ("kiosk.too-old", with the minimum version in its message); nullopt when not.
    std::optional<Error> tooOld;
    bool clockWrong() const {
        return clockOffsetMs && (*clockOffsetMs > kClockWrongMillis || *clockOffsetMs < -kClockWrongMillis);
    }
};

Result<SyncStatus> readSyncStatus(KioskStore& store);
// The district answered (online) or could not be reached / failed (error set).
Outcome recordSyncAttempt(KioskStore& store, bool reachable, const std::optional<Error>& error,
                          int64_t nowMs);
// A whole push+pull pass finished: clears the last error.
Outcome recordSyncSuccess(KioskStore& store, int64_t nowMs);
Outcome recordClockOffset(KioskStore& store, int64_t offsetMs);
// The kiosk id the district knows this kiosk by (learned from the district).
Outcome recordKioskId(KioskStore& store, const std::string& kioskId);
// The receipt-code slot the district gave this kiosk (whoami): kept when the kiosk had none (its
// codes so far carry 00), checked when it had one (`kioskctl init --slot`). Error
// "sync.slot-mismatch" (vi+en, nothing changed) when they differ: codes with the wrong slot would
// all be refused, so the kiosk stops syncing until its installer fixes it.
Outcome recordDistrictSlot(KioskStore& store, int slot);

// Reject reasons are stored as JSON {"code","vi","en"} in events.reject_reason; this reads one
// back (plain text from older rows becomes both languages).
Error decodeRejectReason(const std::string& stored);
std::string encodeRejectReason(const Error& reason);

// When the district's view of this record (receipt code) last reached the kiosk, unix seconds.
std::optional<int64_t> recordSyncedAt(KioskStore& store, const std::string& code);

}  // namespace kiosk::store
