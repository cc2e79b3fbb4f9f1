#pragma once
// The district's judgment of a kiosk's push (docs/sync-rules.md rules 2-4): each event in the
// kiosk's sequence order, validated by the core state machine (kiosk::applyEvent), a new record's
// receipt code checked to be one the kiosk could issue (its commune and slot, docs/security.md
// "Receipt codes"), the kiosk's high-water mark advanced in the same transaction; the receptions
// that ride with the push; the heartbeat and clock skew the kiosk reports. It writes `records`, `events`, `kiosk_sequence`, the
// kiosk's row of `kiosks` and (through DistrictStore::appendChanges) `changes` on the store's
// connection. What it needs of those tables is read in a few statements per push (the push's UUIDs
// and records at once), and its rows are written with one multi-row INSERT per table after the
// last event: on PostgreSQL each statement is a round trip to the server (docs/postgresql.md).
// It is not: the write transaction or its batching (push_committer.h), nor HTTP (sync_routes.h).
// Threads: encodeForStore, encodeEventForStore and normalizeForStore read only their arguments
// (the HTTP workers call them); applyPush runs on the store's own thread (the committer's writer).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "core/deadlines.h"
#include "core/records.h"
#include "district/store/district_store.h"
#include "sync/protocol/messages.h"

namespace kiosk::district {

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

// Judges one push from `kiosk` on store's connection. Must run inside the caller's write
// transaction. An error may leave part of the push written: the caller rolls back (the
// transaction, or a savepoint it opened for this push). A 409 (sequenceOk false) found before the
// first new event writes nothing, but the caller may not count on that. Error "kiosk.revoked" when
// the kiosk was revoked since its token was checked; "db.*" for storage failures.
// encoded: encodeForStore(kiosk, request[, &rules]), or null to encode here.
Result<PushAnswer> applyPush(DistrictStore& store, const KioskIdentity& kiosk,
                             const protocol::PushRequest& request, int64_t nowMs, const DeadlineRules& rules,
                             const std::vector<EncodedEvent>* encoded = nullptr);

}  // namespace kiosk::district
