#include "kiosk/store/sync_store.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>

#include "core/state_machine.h"
#include "kiosk/store/officers.h"

namespace kiosk::store {
namespace {

// [SECTION] helpers

// Meta keys of the sync bookkeeping.
constexpr const char* kCursorKey = "sync_cursor";
constexpr const char* kMarkKey = "sync_district_mark";
constexpr const char* kOnlineKey = "sync_online";
constexpr const char* kLastAttemptKey = "sync_last_attempt_ms";
constexpr const char* kLastSuccessKey = "sync_last_success_ms";
constexpr const char* kLastErrorKey = "sync_last_error";
constexpr const char* kClockOffsetKey = "sync_clock_offset_ms";
constexpr const char* kSealsPurgedKey = "seals_purged_at";  // unix seconds of the last purge

// The statements of one transaction (a pull page, an acknowledgement), each prepared once and
// reused for every change it applies: preparing ~10 statements per change was most of a pull's
// cost (docs/benchmarks.md, "After the sync fixes"). Keyed by the SQL literal's address, so only
// string literals may be passed. get() hands a statement back reset with no bindings; a statement
// left mid-step is reset by its next get() or by resetAll(), which the owner calls before COMMIT.
// Lives on the stack of one store call, on that call's thread and connection.
class StatementCache {
public:
    explicit StatementCache(Database& db) : m_db(db) {}
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    Database& db() const { return m_db; }

    Result<Statement*> get(const char* sql) {
        for (auto& [key, statement] : m_statements) {
            if (key == sql) {
                statement.reset();
                return &statement;
            }
        }
        auto prepared = m_db.prepare(sql);
        if (!prepared) return prepared.error();
        m_statements.emplace_back(sql, std::move(*prepared));
        return &m_statements.back().second;
    }

    void resetAll() {
        for (auto& entry : m_statements) entry.second.reset();
    }

private:
    Database& m_db;
    // A deque keeps the addresses handed out stable as statements are added; a page uses ~15.
    std::deque<std::pair<const char*, Statement>> m_statements;
};

Result<bool> exists(StatementCache& cache, const char* sql, const std::string& key) {
    auto st = cache.get(sql);
    if (!st) return st.error();
    (*st)->bind(1, key);
    auto row = (*st)->step();
    if (!row) return row.error();
    const bool found = *row;
    (*st)->reset();
    return found;
}

Result<bool> hasWaitingLocalEvents(StatementCache& cache, const std::string& code) {
    // CROSS JOIN fixes the order: from the record's few events (events_by_record) to their outbox
    // rows by unique uuid. Left to itself SQLite walked every pending outbox row instead, which made
    // acknowledging a 10,000-event queue quadratic (docs/benchmarks.md).
    return exists(cache,
                  "SELECT 1 FROM events e CROSS JOIN outbox o ON o.event_uuid = e.uuid "
                  "WHERE e.record_code = ? AND o.acked = 0 LIMIT 1",
                  code);
}

// The snapshot as district_records.snapshot stores it: the bytes nlohmann's dump() of the object
// {code, official_code, kind, status, due, result_note, complex, extensions} gives (keys sorted),
// written directly: one per pulled change, so building and dumping a json object showed in profiles.
std::string snapshotText(const DistrictRecord& r) {
    std::string out;
    out.reserve(160 + r.resultNote.size());
    out += "{\"code\":";
    appendJsonString(out, r.code);
    out += ",\"complex\":";
    out += r.complex ? "true" : "false";
    out += ",\"due\":";
    appendJsonString(out, r.due);
    out += ",\"extensions\":";
    out += std::to_string(r.extensions);
    out += ",\"kind\":";
    appendJsonString(out, r.kind);
    out += ",\"official_code\":";
    appendJsonString(out, r.officialCode);
    out += ",\"result_note\":";
    appendJsonString(out, r.resultNote);
    out += ",\"status\":";
    appendJsonString(out, r.status);
    out += '}';
    return out;
}

// Writes a held snapshot into records when nothing local waits for the record. Returns whether it
// was written. Runs inside the caller's transaction. `fresh`, when given, is the snapshot the
// caller has just stored for this record with applied = 0 (what the SELECT would read back), so it
// is not parsed again from its JSON.
Result<bool> applyHeldSnapshot(StatementCache& cache, const std::string& code,
                               const DistrictRecord* fresh = nullptr) {
    auto waiting = hasWaitingLocalEvents(cache, code);
    if (!waiting) return waiting.error();
    if (*waiting) return false;
    auto recordExists = exists(cache, "SELECT 1 FROM records WHERE code = ?", code);
    if (!recordExists) return recordExists.error();
    if (!*recordExists) return false;
    DistrictRecord snap;
    if (fresh) {
        snap = *fresh;
    } else {
        auto st = cache.get("SELECT snapshot FROM district_records WHERE record_code = ? AND applied = 0");
        if (!st) return st.error();
        (*st)->bind(1, code);
        auto row = (*st)->step();
        if (!row) return row.error();
        if (!*row) return false;
        const auto json = nlohmann::json::parse((*st)->text(0), nullptr, false);
        (*st)->reset();
        if (!json.is_object()) return false;
        snap.officialCode = json.value("official_code", "");
        snap.status = json.value("status", "");
        snap.due = json.value("due", "");
        snap.resultNote = json.value("result_note", "");
        snap.complex = json.value("complex", false);
        snap.extensions = json.value("extensions", 0);
    }
    if (!statusFromSlug(snap.status)) return false;  // nothing we understand: keep ours
    auto update = cache.get(
        "UPDATE records SET official_code = ?, status = ?, due = COALESCE(?, due), "
        // The snapshot says complex or not; a tố cáo's "especially complex" (2) is kept.
        "complex = CASE WHEN ? THEN max(complex, 1) ELSE 0 END, "
        "extensions = ?, result_note = ? WHERE code = ?");
    if (!update) return update.error();
    (*update)->bindOptional(1, snap.officialCode).bind(2, snap.status);
    if (Date::parse(snap.due))
        (*update)->bind(3, snap.due);
    else
        (*update)->bindNull(3);
    (*update)
        ->bind(4, snap.complex ? 1 : 0)
        .bind(5, int64_t(snap.extensions))
        .bind(6, snap.resultNote)
        .bind(7, code);
    if (auto ok = (*update)->run(); !ok) return ok.error();
    auto mark = cache.get("UPDATE district_records SET applied = 1 WHERE record_code = ?");
    if (!mark) return mark.error();
    (*mark)->bind(1, code);
    if (auto ok = (*mark)->run(); !ok) return ok.error();
    return true;
}

// A pulled event's payload as this kiosk stores it: never a citizen's identity or words in the
// clear, and not the seal to the district either. Current kiosks send them only sealed to the
// district's key (payload.sealed), which the district no longer forwards (no kiosk can open it);
// a district from before that forwards it, and a kiosk from before the sealing, or a seeder, sent
// them plain, which the district passes on as sent.
bool carriesPrivatePart(const nlohmann::json& payload) {
    const auto identity = payload.find("identity");
    const auto content = payload.find("content");
    return (identity != payload.end() && !identity->is_null()) ||
           (content != payload.end() && *content != "") || payload.contains("sealed");
}
void dropPrivatePart(nlohmann::json& payload) {
    payload.erase("identity");
    payload.erase("content");
    payload.erase("sealed");
}
std::string storablePayload(const nlohmann::json& payload) {
    if (!carriesPrivatePart(payload)) return payload.dump();
    return dumpWithout(payload, {"identity", "content", "sealed"});
}
// The same for an event kept aside until its record arrives (held_events stores the whole event).
std::string storableEvent(const Event& e) {
    if (!carriesPrivatePart(e.payload)) return toJson(e).dump();
    Event copy = e;
    dropPrivatePart(copy.payload);
    return toJson(copy).dump();
}

Outcome insertEventRow(StatementCache& cache, const Event& e, RecordStatus statusAfter) {
    auto st = cache.get(
        "INSERT OR IGNORE INTO events(uuid, record_code, action, actor_role, actor_id, hlc, at, payload, "
        "kiosk_id, status_after, origin, verdict) VALUES(?,?,?,?,?,?,?,?,?,?,'district','accepted')");
    if (!st) return st.error();
    (*st)
        ->bind(1, e.uuid)
        .bind(2, e.recordCode)
        .bind(3, toSlug(e.action))
        .bind(4, toSlug(e.actor.role))
        .bind(5, e.actor.id)
        .bind(6, e.hlc)
        .bind(7, e.at)
        .bind(8, storablePayload(e.payload))
        .bind(9, e.kioskId)
        .bind(10, toSlug(statusAfter));
    return (*st)->run();
}

// A record this kiosk does not hold (made on another kiosk of the commune, or before a restore),
// created from the district's submit/register event. Its identity and content travel sealed to the
// district only, so this kiosk holds the record without them (content included). The citizen's
// status check is the shared one the event carries ("status_check", kiosk_store.h); a record made
// by a kiosk from before it has none (phone_check left empty): its status is looked up where it was made.
Outcome insertRecordFromEvent(StatementCache& cache, const Record& r, uint64_t updatedHlc,
                              const std::string& phoneCheckValue) {
    auto st = cache.get(
        "INSERT INTO records(code, official_code, kind, petition_kind, procedure, commune, status, "
        "submitted_at, received_on, due, complex, extensions, delivery, content, result_note, "
        "linked_code, phone_check, updated_hlc) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st) return st.error();
    (*st)->bind(1, r.code).bindOptional(2, r.officialCode).bind(3, toSlug(r.kind));
    if (r.kind == RecordKind::Petition)
        (*st)->bind(4, toSlug(r.petitionKind)).bindNull(5);
    else
        (*st)->bindNull(4).bind(5, r.procedureCode);
    (*st)
        ->bind(6, r.commune)
        .bind(7, toSlug(r.status))
        .bind(8, r.submittedAt)
        .bind(9, r.receivedOn.iso())
        .bind(10, dueText(r))
        .bind(11, complexColumn(r))
        .bind(12, r.extensions)
        .bind(13, toSlug(r.delivery))
        .bind(14, std::string_view(""))
        .bind(15, r.resultNote)
        .bindOptional(16, r.linkedCode)
        .bind(17, phoneCheckValue)
        .bind(18, updatedHlc);
    return (*st)->run();
}

// The record row as the state machine sees it (identity not needed for transitions). A code
// that is no record's receipt code is answered by one index probe, without find()'s join.
Result<std::optional<Record>> loadRecord(KioskStore& store, StatementCache& cache, const std::string& code) {
    auto present = exists(cache, "SELECT 1 FROM records WHERE code = ?", code);
    if (!present) return present.error();
    if (!*present) return std::optional<Record>();
    auto found = store.find(code);
    if (!found) return found.error();
    if (*found && (*found)->code != code) return std::optional<Record>();  // matched an official code
    return *found;
}

struct PullContext {
    KioskStore& store;
    Database& db;
    StatementCache& cache;
    Hlc hlc;
    int64_t nowUnix;
    PullSummary summary;
    // Whether held_events may have rows: read once per page, set when this page holds one. While it
    // is false (the usual case: a kiosk that is not missing a record's submit event) the per-change
    // SELECT and DELETE on held_events are skipped.
    bool anyHeld = true;
};

// The fields the district decides, from its snapshot, onto a record about to be inserted: what
// applyHeldSnapshot's UPDATE would write (due only when it is a date; status is checked by the
// caller).
void overlaySnapshot(Record& row, const DistrictRecord& snap) {
    row.officialCode = snap.officialCode;
    row.status = statusFromSlug(snap.status).value_or(row.status);
    if (auto due = Date::parse(snap.due)) row.due = *due;
    row.complex = snap.complex;
    row.extensions = snap.extensions;
    row.resultNote = snap.resultNote;
}

// One record change on its way in: the record as the state machine follows it through the change's
// events, and what is known of it before they are applied.
struct RecordChangeState {
    const PulledChange& change;
    const std::string& code;
    std::optional<Record> running;               // the record after the events applied so far
    bool existed = false;                        // the kiosk held the record before this change
    std::optional<RecordStatus> snapshotStatus;  // the district's status, when readable
    uint64_t highestHlc = 0;                     // of the change's events for this record
};

// Events: the page's plus any held for this record, in clock order, each once. Pointers, so the
// page's events (payloads included) are not copied; heldEvents owns the held ones.
Outcome gatherRecordEvents(PullContext& ctx, const PulledChange& change, std::vector<Event>& heldEvents,
                           std::vector<const Event*>& events) {
    if (ctx.anyHeld) {
        auto cachedHeld = ctx.cache.get("SELECT event FROM held_events WHERE record_code = ?");
        if (!cachedHeld) return cachedHeld.error();
        Statement& held = **cachedHeld;
        held.bind(1, change.record.code);
        while (true) {
            auto row = held.step();
            if (!row) return row.error();
            if (!*row) break;
            auto parsed = eventFromJson(nlohmann::json::parse(held.text(0), nullptr, false));
            if (parsed) heldEvents.push_back(std::move(*parsed));
        }
        held.reset();
    }
    events.reserve(change.events.size() + heldEvents.size());
    for (const Event& e : change.events) events.push_back(&e);
    for (const Event& e : heldEvents) events.push_back(&e);
    if (events.size() > 1) {
        std::sort(events.begin(), events.end(), [](const Event* a, const Event* b) {
            return a->hlc != b->hlc ? a->hlc < b->hlc : a->uuid < b->uuid;
        });
        events.erase(std::unique(events.begin(), events.end(),
                                 [](const Event* a, const Event* b) { return a->uuid == b->uuid; }),
                     events.end());
    }
    return {};
}

// Whether the event is stored here already; a local one is confirmed by the district's page.
Result<bool> confirmStoredEvent(PullContext& ctx, const RecordChangeState& state, const Event& e) {
    // A record this kiosk did not hold has no events stored here (each event row belongs to its
    // record): nothing to look up. That is every change of a first pull.
    if (!state.existed) return false;
    auto cachedKnown = ctx.cache.get("SELECT origin FROM events WHERE uuid = ?");
    if (!cachedKnown) return cachedKnown.error();
    Statement& known = **cachedKnown;
    known.bind(1, e.uuid);
    auto row = known.step();
    if (!row) return row.error();
    const bool stored = *row;
    const bool local = stored && known.text(0) == "local";
    known.reset();
    if (local) {
        auto confirm = ctx.cache.get(
            "UPDATE events SET verdict = 'accepted', reject_reason = '' "
            "WHERE uuid = ? AND verdict IN ('', 'duplicate')");
        if (!confirm) return confirm.error();
        (*confirm)->bind(1, e.uuid);
        if (auto ok = (*confirm)->run(); !ok) return ok.error();
        if (sqlite3_changes(ctx.db.handle()) > 0) ++ctx.summary.confirmed;
    }
    return stored;
}

// An event for a record the kiosk does not hold (yet): it creates the record, or waits for the
// event that does.
Outcome applyEventToMissingRecord(PullContext& ctx, RecordChangeState& state, const Event& e) {
    StatementCache& cache = ctx.cache;
    const bool creates = e.action == Action::Submit || e.action == Action::Register;
    if (!creates) {
        // The record's submit event has not reached us: keep this one until it does.
        auto hold = cache.get("INSERT OR IGNORE INTO held_events(uuid, record_code, event) VALUES(?,?,?)");
        if (!hold) return hold.error();
        (*hold)->bind(1, e.uuid).bind(2, state.code).bind(3, storableEvent(e));
        if (auto ok = (*hold)->run(); !ok) return ok;
        ctx.anyHeld = true;
        return {};
    }
    auto created = applyEvent(std::nullopt, e, ctx.store.rules());
    if (!created) return {};  // a payload we cannot read: the snapshot still records the status
    std::string check;
    if (auto it = e.payload.find("status_check"); it != e.payload.end() && it->is_string()) {
        check = it->get<std::string>();
        if (check.size() > 64 || check.rfind(kSharedPhoneCheckPrefix, 0) != 0) check.clear();
    }
    if (state.snapshotStatus) {
        // The row is written once, already with the district's view: the snapshot below is what
        // would overwrite these fields (applyNow). `running` stays the event's record, for the
        // state machine to follow the change's later events.
        Record inserted = *created;
        overlaySnapshot(inserted, state.change.record);
        if (auto ok = insertRecordFromEvent(cache, inserted, state.highestHlc, check); !ok) return ok;
    } else {
        if (auto ok = insertRecordFromEvent(cache, *created, e.hlc, check); !ok) return ok;
    }
    state.running = std::move(*created);
    if (auto ok = insertEventRow(cache, e, state.running->status); !ok) return ok;
    ++ctx.summary.newEvents;
    return {};
}

// What the snapshot does not carry: the agency a transfer named, a khiếu nại's suspension date and
// its withdrawn parts. The event that sets them writes them (the snapshot then writes the status).
Outcome keepAmendmentFields(StatementCache& cache, const Record& r, Action action) {
    if (action != Action::Transfer && action != Action::Suspend && action != Action::Resume &&
        action != Action::WithdrawPart)
        return {};
    auto st = cache.get(
        "UPDATE records SET transfer_agency = ?, suspended_on = ?, withdrawn_parts = ? WHERE code = ?");
    if (!st) return st.error();
    (*st)->bind(1, r.transferAgency).bind(2, suspendedOnText(r)).bind(3, r.withdrawnParts).bind(4, r.code);
    return (*st)->run();
}

Outcome applyPulledEvent(PullContext& ctx, RecordChangeState& state, const Event& e) {
    ctx.hlc.observe(e.hlc, wallClockMillis());
    auto stored = confirmStoredEvent(ctx, state, e);
    if (!stored) return stored.error();
    if (*stored) return {};  // the record row already reflects it
    if (!state.running) return applyEventToMissingRecord(ctx, state, e);
    // Status after this event: the state machine's answer where it can follow, else the
    // district's snapshot (the district decides; its order may skip what we never saw).
    RecordStatus after = state.snapshotStatus.value_or(state.running->status);
    if (e.action != Action::Submit && e.action != Action::Register) {
        auto next = applyEvent(state.running, e, ctx.store.rules());
        if (next) {
            state.running = std::move(*next);
            after = state.running->status;
            if (auto ok = keepAmendmentFields(ctx.cache, *state.running, e.action); !ok) return ok;
        }
    }
    if (auto ok = insertEventRow(ctx.cache, e, after); !ok) return ok;
    ++ctx.summary.newEvents;
    return {};
}

// The change's snapshot, only when it is newer than the one held (one statement: the upsert
// changes nothing for an older change), and written into records when it may be.
Outcome applyRecordSnapshot(PullContext& ctx, const RecordChangeState& state) {
    StatementCache& cache = ctx.cache;
    const std::string& code = state.code;
    // A record created just now from the district's own event has no local events waiting (they
    // would have needed the record), so its snapshot is written at once, without looking.
    const bool applyNow = !state.existed && state.running.has_value() && state.snapshotStatus.has_value();
    auto upsert = cache.get(
        "INSERT INTO district_records(record_code, change_seq, snapshot, applied, synced_at) "
        "VALUES(?,?,?,?,?) ON CONFLICT(record_code) DO UPDATE SET change_seq = excluded.change_seq, "
        "snapshot = excluded.snapshot, applied = excluded.applied, synced_at = excluded.synced_at "
        "WHERE excluded.change_seq > district_records.change_seq");
    if (!upsert) return upsert.error();
    (*upsert)
        ->bind(1, code)
        .bind(2, state.change.seq)
        .bind(3, snapshotText(state.change.record))
        .bind(4, applyNow ? 1 : 0)
        .bind(5, ctx.nowUnix);
    if (auto ok = (*upsert)->run(); !ok) return ok;
    if (sqlite3_changes(ctx.db.handle()) == 0) {
        // An older change, delivered late: nothing to take from it, but the newer snapshot held
        // may only now find its record (created from this change's submit event).
        auto late = applyHeldSnapshot(cache, code);
        if (!late) return late.error();
        if (*late) ++ctx.summary.records;
        return {};
    }
    if (applyNow) {
        ++ctx.summary.records;  // written with the row above
        return {};
    }
    auto applied = applyHeldSnapshot(cache, code, &state.change.record);
    if (!applied) return applied.error();
    if (!*applied) {
        ++ctx.summary.held;
        return {};
    }
    ++ctx.summary.records;
    if (state.highestHlc) {
        auto touch = cache.get("UPDATE records SET updated_hlc = MAX(updated_hlc, ?) WHERE code = ?");
        if (!touch) return touch.error();
        (*touch)->bind(1, state.highestHlc).bind(2, code);
        if (auto ok = (*touch)->run(); !ok) return ok;
    }
    return {};
}

Outcome applyRecordChange(PullContext& ctx, const PulledChange& change) {
    const std::string& code = change.record.code;
    if (code.empty()) return {};
    std::vector<Event> heldEvents;
    std::vector<const Event*> events;
    if (auto ok = gatherRecordEvents(ctx, change, heldEvents, events); !ok) return ok;

    auto current = loadRecord(ctx.store, ctx.cache, code);
    if (!current) return current.error();
    RecordChangeState state{change, code, std::move(*current)};
    state.existed = state.running.has_value();
    state.snapshotStatus = statusFromSlug(change.record.status);
    for (const Event* e : events)
        if (e->recordCode == code) state.highestHlc = std::max(state.highestHlc, e->hlc);

    for (const Event* e : events)
        if (e->recordCode == code)
            if (auto ok = applyPulledEvent(ctx, state, *e); !ok) return ok;
    if (state.running && ctx.anyHeld) {
        auto drop = ctx.cache.get("DELETE FROM held_events WHERE record_code = ?");
        if (!drop) return drop.error();
        (*drop)->bind(1, code);
        if (auto ok = (*drop)->run(); !ok) return ok;
    }
    return applyRecordSnapshot(ctx, state);
}

Outcome applyRejection(PullContext& ctx, const PulledChange& change) {
    auto st = ctx.cache.get(
        "UPDATE events SET verdict = 'rejected', reject_reason = ? WHERE uuid = ? AND origin = 'local'");
    if (!st) return st.error();
    (*st)->bind(1, encodeRejectReason(change.reason)).bind(2, change.uuid);
    if (auto ok = (*st)->run(); !ok) return ok;
    if (sqlite3_changes(ctx.db.handle()) > 0) ++ctx.summary.rejections;
    return {};
}

}  // namespace

// [SECTION] push

Result<std::vector<OutboxEntry>> readOutboxBatch(KioskStore& store, const OutboxBatchLimits& limits) {
    Database& db = store.database();
    const std::string kioskId = readMeta(db, "kiosk_id");
    auto st = db.prepare(
        "SELECT o.seq, o.attempts, e.uuid, e.record_code, r.kind, e.action, e.actor_role, e.actor_id, "
        "e.hlc, e.at, e.payload FROM outbox o JOIN events e ON e.uuid = o.event_uuid "
        "JOIN records r ON r.code = e.record_code WHERE o.acked = 0 AND o.seq > ? ORDER BY o.seq LIMIT ?");
    if (!st) return st.error();
    st->bind(1, limits.afterSeq).bind(2, int64_t(std::max(1, limits.maxEvents)));
    std::vector<OutboxEntry> out;
    size_t bytes = 0;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        OutboxEntry entry;
        entry.seq = st->integer(0);
        entry.attempts = int(st->integer(1));
        Event& e = entry.event;
        e.uuid = st->text(2);
        e.recordCode = st->text(3);
        e.recordKind = recordKindFromSlug(st->text(4)).value_or(RecordKind::Petition);
        e.action = actionFromSlug(st->text(5)).value_or(Action::Submit);
        e.actor = Actor{roleFromSlug(st->text(6)).value_or(Role::Kiosk), st->text(7)};
        // Events written before the kiosk learned its id go out under the id it has now.
        if (e.actor.role == Role::Kiosk && e.actor.id.empty()) e.actor.id = kioskId;
        e.hlc = uint64_t(st->integer(8));
        e.at = st->integer(9);
        const std::string payloadText = st->text(10);
        e.payload = nlohmann::json::parse(payloadText, nullptr, false);
        const bool payloadOk = e.payload.is_object();
        if (!payloadOk) e.payload = nlohmann::json::object();
        e.kioskId = kioskId;
        e.seq = entry.seq;
        entry.json = eventJson(e, payloadOk ? std::string_view(payloadText) : std::string_view("{}"));
        const size_t size = entry.json.size();
        if (!out.empty() && bytes + size > limits.maxBytes) break;
        bytes += size;
        out.push_back(std::move(entry));
    }
    return out;
}

Outcome markSentByUuid(KioskStore& store, std::string_view table, const std::vector<std::string>& uuids,
                       int64_t nowUnix) {
    if (uuids.empty()) return {};
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    auto st =
        db.prepare("UPDATE " + std::string(table) + " SET sent_at = ? WHERE uuid = ? AND sent_at IS NULL");
    if (!st) return st.error();
    for (const std::string& uuid : uuids) {
        st->bind(1, nowUnix).bind(2, uuid);
        if (auto ok = st->run(); !ok) return ok;
        st->reset();
    }
    return tx.commit();
}

Outcome countPushAttempt(KioskStore& store, int64_t firstSeq, int64_t lastSeq) {
    auto st = store.database().prepare(
        "UPDATE outbox SET attempts = attempts + 1 WHERE acked = 0 AND seq BETWEEN ? AND ?");
    if (!st) return st.error();
    st->bind(1, firstSeq).bind(2, lastSeq);
    return st->run();
}

Result<AckSummary> recordPushOutcome(KioskStore& store, int64_t ackedSeq,
                                     const std::vector<protocol::EventResult>& results, int64_t /*nowUnix*/) {
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    AckSummary summary;
    summary.ackedSeq = ackedSeq;
    std::set<std::string> touched;
    StatementCache cache(db);
    for (const protocol::EventResult& r : results) {
        const char* sql = nullptr;
        switch (r.verdict) {
            case protocol::Verdict::Accepted:
                ++summary.accepted;
                sql =
                    "UPDATE events SET verdict = 'accepted', reject_reason = '' "
                    "WHERE uuid = ?2 AND origin = 'local' AND verdict <> 'rejected'";
                break;
            case protocol::Verdict::Duplicate:
                // The district had it already (an earlier answer was lost); its verdict then may
                // have been a rejection, which the pull will tell.
                ++summary.duplicate;
                sql =
                    "UPDATE events SET verdict = 'duplicate' WHERE uuid = ?2 AND origin = 'local' "
                    "AND verdict = ''";
                break;
            case protocol::Verdict::Rejected:
                ++summary.rejected;
                sql =
                    "UPDATE events SET verdict = 'rejected', reject_reason = ?1 "
                    "WHERE uuid = ?2 AND origin = 'local'";
                break;
        }
        auto st = cache.get(sql);
        if (!st) return st.error();
        if (r.verdict == protocol::Verdict::Rejected)
            (*st)->bind(1, encodeRejectReason(r.reason ? *r.reason
                                                       : makeError("rejected", "Máy chủ không nhận.",
                                                                   "Rejected by the server.")));
        (*st)->bind(2, r.uuid);
        if (auto ok = (*st)->run(); !ok) return ok.error();
    }
    // Which records may now take a held snapshot: those with rows acknowledged by this answer and
    // a snapshot held (applyHeldSnapshot has nothing to do for the others, usually all of them).
    {
        auto st = db.prepare(
            "SELECT DISTINCT e.record_code FROM outbox o JOIN events e ON e.uuid = o.event_uuid "
            "JOIN district_records d ON d.record_code = e.record_code AND d.applied = 0 "
            "WHERE o.acked = 0 AND o.seq <= ?");
        if (!st) return st.error();
        st->bind(1, ackedSeq);
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            touched.insert(st->text(0));
        }
    }
    {
        auto st = db.prepare("UPDATE outbox SET acked = 1 WHERE acked = 0 AND seq <= ?");
        if (!st) return st.error();
        st->bind(1, ackedSeq);
        if (auto ok = st->run(); !ok) return ok.error();
        summary.newlyAcked = sqlite3_changes(db.handle());
    }
    {
        // Acknowledged before, above the district's mark now: the district lost them; resend
        // (it answers "duplicate" for any it does hold).
        auto st = db.prepare("UPDATE outbox SET acked = 0 WHERE acked = 1 AND seq > ?");
        if (!st) return st.error();
        st->bind(1, ackedSeq);
        if (auto ok = st->run(); !ok) return ok.error();
        summary.reopened = sqlite3_changes(db.handle());
    }
    if (auto ok = writeMeta(db, kMarkKey, std::to_string(ackedSeq)); !ok) return ok.error();
    for (const std::string& code : touched) {
        auto applied = applyHeldSnapshot(cache, code);
        if (!applied) return applied.error();
        if (*applied) ++summary.snapshotsApplied;
    }
    cache.resetAll();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return summary;
}

Result<int64_t> reopenAboveDistrictMark(KioskStore& store, int64_t districtMark) {
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    if (readMetaInteger(db, kMarkKey).value_or(0) <= districtMark) return int64_t(0);
    auto st = db.prepare("UPDATE outbox SET acked = 0 WHERE acked = 1 AND seq > ?");
    if (!st) return st.error();
    st->bind(1, districtMark);
    if (auto ok = st->run(); !ok) return ok.error();
    const int64_t reopened = sqlite3_changes(db.handle());
    if (auto ok = writeMeta(db, kMarkKey, std::to_string(districtMark)); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return reopened;
}

Result<int64_t> renumberOutbox(KioskStore& store, int64_t districtMark) {
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    std::vector<int64_t> seqs;
    {
        auto st = db.prepare("SELECT seq FROM outbox WHERE acked = 0 OR seq > ? ORDER BY seq");
        if (!st) return st.error();
        st->bind(1, districtMark);
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            seqs.push_back(st->integer(0));
        }
    }
    // Two steps so no new number collides with an old one: out of the way (negative), then home.
    {
        auto st = db.prepare("UPDATE outbox SET seq = -seq WHERE acked = 0 OR seq > ?");
        if (!st) return st.error();
        st->bind(1, districtMark);
        if (auto ok = st->run(); !ok) return ok.error();
    }
    auto st = db.prepare("UPDATE outbox SET seq = ?, acked = 0 WHERE seq = ?");
    if (!st) return st.error();
    int64_t next = districtMark + 1;
    for (int64_t old : seqs) {
        st->bind(1, next++).bind(2, -old);
        if (auto ok = st->run(); !ok) return ok.error();
        st->reset();
    }
    if (auto ok = writeMeta(db, kMarkKey, std::to_string(districtMark)); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return int64_t(seqs.size());
}

// [SECTION] pull

Result<PullSummary> applyPullPage(KioskStore& store, const std::vector<PulledChange>& changes,
                                  const std::string& nextCursor, int64_t nowUnix) {
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    StatementCache cache(db);
    auto lastHlc = store.lastHlc();
    if (!lastHlc) return lastHlc.error();
    PullContext ctx{store, db, cache, Hlc(*lastHlc), nowUnix, {}};
    {
        auto held = db.prepare("SELECT EXISTS(SELECT 1 FROM held_events)");
        if (!held) return held.error();
        auto row = held->step();
        if (!row) return row.error();
        ctx.anyHeld = held->integer(0) != 0;
    }
    for (const PulledChange& change : changes) {
        Outcome ok;
        switch (change.type) {
            case PulledChange::Type::Record:
                ok = applyRecordChange(ctx, change);
                break;
            case PulledChange::Type::Rejection:
                ok = applyRejection(ctx, change);
                break;
            case PulledChange::Type::Catalog:
                ok = replaceCatalog(db, change.procedures);
                ctx.summary.referenceChanged = true;
                break;
            case PulledChange::Type::Holidays:
                ok = replaceHolidays(db, change.holidays);
                ctx.summary.referenceChanged = true;
                break;
            case PulledChange::Type::Units:
                ok = replaceUnits(db, change.units);
                ctx.summary.referenceChanged = true;
                break;
            case PulledChange::Type::Unknown:
                break;  // a newer district's change: skip, keep going
        }
        if (!ok) return ok.error();
    }
    if (auto ok = writeMeta(db, "hlc", std::to_string(ctx.hlc.last())); !ok) return ok.error();
    if (auto ok = writeMeta(db, kCursorKey, nextCursor); !ok) return ok.error();
    cache.resetAll();
    if (auto ok = tx.commit(); !ok) return ok.error();
    if (ctx.summary.referenceChanged) {
        if (auto ok = store.reloadReference(); !ok) return ok.error();
    }
    return ctx.summary;
}

std::string pullCursor(KioskStore& store) {
    std::string cursor = readMeta(store.database(), kCursorKey);
    return cursor.empty() ? "0" : cursor;
}

Outcome restartPull(KioskStore& store) {
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    const std::string cursor = readMeta(db, kCursorKey);
    if (cursor.empty() || cursor == "0")
        return makeError("sync.reset-loop",
                         "Máy chủ từ chối cả lần tải đầu tiên (mã 410); cần kiểm tra máy chủ.",
                         "The server refused even the first pull (410); the server needs a look.");
    if (auto ok = db.exec("UPDATE district_records SET change_seq = 0"); !ok) return ok;
    if (auto ok = writeMeta(db, kCursorKey, "0"); !ok) return ok;
    // Ask whoami again (the engine does so right after this pull): the commune may have a successor
    // now, and another district database (restored from a backup) may have lost events it
    // acknowledged, which whoami's mark reopens (reopenAboveDistrictMark).
    if (auto ok = writeMeta(db, "district_pk_checked_ms", "0"); !ok) return ok;
    return tx.commit();
}

// [SECTION] state

Result<SyncStatus> readSyncStatus(KioskStore& store) {
    Database& db = store.database();
    SyncStatus s;
    s.serverUrl = readMeta(db, "server_url");
    s.kioskId = readMeta(db, "kiosk_id");
    auto token = store.token();
    if (!token) return token.error();  // e.g. file.mode: a loose token file is refused, not used
    s.configured = !s.serverUrl.empty() && !token->empty();
    s.online = readMeta(db, kOnlineKey) == "1";
    s.lastAttemptMs = readMetaInteger(db, kLastAttemptKey).value_or(0);
    s.lastSuccessMs = readMetaInteger(db, kLastSuccessKey).value_or(0);
    const std::string error = readMeta(db, kLastErrorKey);
    if (!error.empty()) s.lastError = decodeRejectReason(error);
    s.cursor = readMeta(db, kCursorKey, "0");
    const std::string offset = readMeta(db, kClockOffsetKey);
    if (!offset.empty()) s.clockOffsetMs = parseMetaInteger(offset).value_or(0);
    s.lastRepair = readMeta(db, "last_repair");
    // Written by the sync engine from whoami as "<code>\t<name>"; stale once the kiosk was moved.
    const std::string successor = readMeta(db, "successor");
    if (const size_t tab = successor.find('\t'); tab != std::string::npos) {
        s.successorCode = successor.substr(0, tab);
        s.successorName = successor.substr(tab + 1);
        if (s.successorCode == readMeta(db, "commune")) s.successorCode.clear(), s.successorName.clear();
    }
    if (const std::string old = readMeta(db, "too_old"); !old.empty()) s.tooOld = decodeRejectReason(old);
    s.orphaned = orphanedCommune(store.reference().units, readMeta(db, "commune"),
                                 localFromUnix(int64_t(wallClockMillis() / 1000)).date);
    auto st = db.prepare(
        "SELECT COUNT(*), COUNT(DISTINCT e.record_code) FROM outbox o "
        "JOIN events e ON e.uuid = o.event_uuid WHERE o.acked = 0");
    if (!st) return st.error();
    if (auto row = st->step(); !row) return row.error();
    s.eventsWaiting = st->integer(0);
    s.recordsWaiting = st->integer(1);
    auto rejected = db.prepare("SELECT COUNT(*) FROM events WHERE origin = 'local' AND verdict = 'rejected'");
    if (!rejected) return rejected.error();
    if (auto row = rejected->step(); !row) return row.error();
    s.rejectedEvents = rejected->integer(0);
    return s;
}

Outcome recordSyncAttempt(KioskStore& store, bool reachable, const std::optional<Error>& error,
                          int64_t nowMs) {
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    if (auto ok = writeMeta(db, kOnlineKey, reachable ? "1" : "0"); !ok) return ok;
    if (auto ok = writeMeta(db, kLastAttemptKey, std::to_string(nowMs)); !ok) return ok;
    if (error) {
        if (auto ok = writeMeta(db, kLastErrorKey, encodeRejectReason(*error)); !ok) return ok;
    }
    return tx.commit();
}

Outcome recordSyncSuccess(KioskStore& store, int64_t nowMs) {
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    if (auto ok = writeMeta(db, kOnlineKey, "1"); !ok) return ok;
    if (auto ok = writeMeta(db, kLastAttemptKey, std::to_string(nowMs)); !ok) return ok;
    if (auto ok = writeMeta(db, kLastSuccessKey, std::to_string(nowMs)); !ok) return ok;
    // Unix seconds, as `kioskctl status` reads it ("information as of").
    if (auto ok = writeMeta(db, "last_sync_at", std::to_string(nowMs / 1000)); !ok) return ok;
    if (auto ok = writeMeta(db, kLastErrorKey, ""); !ok) return ok;
    // Sync passes, like officer logins, forget officers' seals of long-closed records — at most
    // hourly here: the purge reads every record (about 0.1 s for 100,000), and a retention counted
    // in days loses nothing by waiting an hour.
    const int64_t nowUnix = nowMs / 1000;
    const int64_t purgedAt = readMetaInteger(db, kSealsPurgedKey).value_or(0);
    if (nowUnix - purgedAt >= 3600 || nowUnix < purgedAt) {
        if (auto purged = purgeClosedSeals(store, nowUnix); !purged) return purged.error();
        if (auto ok = writeMeta(db, kSealsPurgedKey, std::to_string(nowUnix)); !ok) return ok;
    }
    return tx.commit();
}

Outcome recordClockOffset(KioskStore& store, int64_t offsetMs) {
    return writeMeta(store.database(), kClockOffsetKey, std::to_string(offsetMs));
}

Outcome recordKioskId(KioskStore& store, const std::string& kioskId) {
    return writeMeta(store.database(), "kiosk_id", kioskId);
}

Outcome recordDistrictSlot(KioskStore& store, int slot) {
    const int current = int(readMetaInteger(store.database(), "slot").value_or(0));
    if (current == slot) return {};
    if (current == 0) return writeMeta(store.database(), "slot", std::to_string(slot));
    const std::string mine = std::to_string(current);
    const std::string theirs = std::to_string(slot);
    return makeError("sync.slot-mismatch",
                     "Máy được cài số máy " + mine + " nhưng máy chủ cấp số máy " + theirs +
                         " cho mã truy cập này. Hãy chạy lại “kioskctl init … --slot " + theirs +
                         "” với số máy in ra khi đăng ký máy, hoặc xin mã truy cập đúng.",
                     "This kiosk is set up with slot " + mine + " but the server gave slot " + theirs +
                         " to this token. Run “kioskctl init … --slot " + theirs +
                         "” with the slot printed at enrollment, or get the right token.");
}

std::string encodeRejectReason(const Error& reason) {
    return nlohmann::json{{"code", reason.code}, {"vi", reason.vi}, {"en", reason.en}}.dump();
}

Error decodeRejectReason(const std::string& stored) {
    auto j = nlohmann::json::parse(stored, nullptr, false);
    if (j.is_object()) {
        auto field = [&](const char* key) {
            auto it = j.find(key);
            return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        return makeError(field("code"), field("vi"), field("en"));
    }
    return makeError("", stored, stored);
}

std::optional<int64_t> recordSyncedAt(KioskStore& store, const std::string& code) {
    auto st = store.database().prepare(
        "SELECT d.synced_at FROM district_records d JOIN records r ON r.code = d.record_code "
        "WHERE r.code = ?1 OR r.official_code = ?1");
    if (!st) return std::nullopt;
    st->bind(1, code);
    auto row = st->step();
    if (!row.ok() || !*row) return std::nullopt;
    return st->integer(0);
}

}  // namespace kiosk::store
