#include "district/sync/push_judgement.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "core/event.h"
#include "core/receipt_code.h"
#include "core/state_machine.h"
#include "core/holdings.h"
#include "district/office/commune_officers.h"
#include "district/office/ratings.h"
#include "district/office/receptions.h"
#include "sync/protocol/safe_json.h"

// [SECTION] index
//   encode          encodeEventForStore, encodeForStore, normalizeForStore (on the HTTP workers)
//   PushJudgement   one push on the writer: the mark, what the push needs read at once, each event in
//                   sequence order, its rows written at once, the receptions, the kiosk's heartbeat
//   applyPush

namespace kiosk::district {

using store::Statement;

namespace {

Error rejection(const char* code, const std::string& vi, const std::string& en) {
    return makeError(code, vi, en);
}

Error foreignCommune() {
    return rejection("record.foreign-commune", "Hồ sơ không thuộc xã của máy kiosk này.",
                     "The record belongs to another commune.");
}

// The receipt code of a record a kiosk creates must be one that kiosk could have issued
// (core/receipt_code.h): its commune's prefix and its own slot, so no kiosk can take a code
// another kiosk will print. Slot 00 is what a kiosk prints before it knows its slot: accepted from
// a kiosk of the commune for serials before it was told its slot — by its first whoami, or at
// enrollment when it has asked none yet and so may have printed 00 until now (docs/security.md
// "Receipt codes"). zeroUntilMs: that moment.
// slot: the kiosk's, or none for a kiosk enrolled before slots (the caller adopts the code's).
std::optional<Error> codeRefusal(const std::string& code, const std::string& commune,
                                 const std::optional<int>& slot, int64_t zeroUntilMs) {
    auto parsed = parseReceiptCode(code);
    if (!parsed || parsed->digits != code)
        return rejection("record.code-invalid",
                         "Mã biên nhận không hợp lệ (cần 16 chữ số với chữ số kiểm tra đúng).",
                         "The receipt code is not valid (16 digits with a right check digit are needed).");
    if (parsed->commune != commune)
        return rejection(
            "record.code-foreign",
            "Mã biên nhận mang mã xã " + parsed->commune + ", không phải xã của máy kiosk (" + commune + ").",
            "The receipt code carries commune " + parsed->commune + ", not this kiosk's (" + commune + ").");
    // <=: a code printed in the same 6-second unit as the whoami that told the slot is still 00.
    const bool printedBeforeSlot = parsed->slot == 0 && parsed->serial <= receiptSerialAt(zeroUntilMs / 1000);
    if (printedBeforeSlot || (!slot && parsed->slot != 0) || (slot && parsed->slot == *slot))
        return std::nullopt;
    const std::string expected = slot ? (*slot < 10 ? "0" : "") + std::to_string(*slot) : "?";
    return rejection("record.code-slot",
                     "Mã biên nhận mang số máy " + code.substr(5, 2) + ", không phải số máy của kiosk này (" +
                         expected + "); mã số 00 chỉ dùng cho hồ sơ nhận trước khi máy được đăng ký.",
                     "The receipt code carries kiosk slot " + code.substr(5, 2) + ", not this kiosk's (" +
                         expected + "); slot 00 is only for records taken before the kiosk was enrolled.");
}

}  // namespace

// [SECTION] encode

namespace {

// The event as the district stores and forwards it: the token's kiosk (an event that names none
// was made before the kiosk was enrolled) and the sequence number it was pushed under.
Event asStored(const KioskIdentity& kiosk, const protocol::PushedEvent& pushed) {
    Event event = *pushed.event;
    if (event.kioskId.empty()) event.kioskId = kiosk.kioskId;
    event.seq = pushed.seq;
    return event;
}

}  // namespace

EncodedEvent encodeEventForStore(const KioskIdentity& kiosk, const protocol::PushedEvent& pushed,
                                 const DeadlineRules* rules) {
    EncodedEvent texts;
    if (!pushed.event) return texts;
    const bool asSent = !pushed.event->kioskId.empty() && pushed.event->seq == pushed.seq;
    std::optional<Event> copy;
    if (!asSent) copy = asStored(kiosk, pushed);
    const Event& event = asSent ? *pushed.event : *copy;
    texts.payload = protocol::dumpJson(event.payload);
    // The change feed carries the event without the district's seal: no kiosk can open it, and
    // every kiosk of the commune would download and keep it (about 330 bytes a record).
    texts.event = eventJson(
        event, event.payload.contains("sealed") ? dumpWithout(event.payload, {"sealed"}) : texts.payload);
    if (!rules || (event.action != Action::Submit && event.action != Action::Register)) return texts;
    // The same judgment applyPush makes when the record does not exist yet (see there).
    texts.rules = rules;
    auto created = applyEvent(std::nullopt, event, *rules);
    if (!created) {
        texts.createRefused = created.error();
        return texts;
    }
    if (created->commune == kiosk.commune)
        texts.createdChangeBody =
            protocol::encodeRecordChangeBody(protocol::snapshotOf(*created), {texts.event});
    texts.created = std::move(*created);
    return texts;
}

std::vector<EncodedEvent> encodeForStore(const KioskIdentity& kiosk, const protocol::PushRequest& request,
                                         const DeadlineRules* rules) {
    std::vector<EncodedEvent> out;
    out.reserve(request.events.size());
    for (const protocol::PushedEvent& pushed : request.events)
        out.push_back(encodeEventForStore(kiosk, pushed, rules));
    return out;
}

void normalizeForStore(const KioskIdentity& kiosk, protocol::PushRequest& request) {
    for (protocol::PushedEvent& pushed : request.events) {
        if (!pushed.event) continue;
        if (pushed.event->kioskId.empty()) pushed.event->kioskId = kiosk.kioskId;
        pushed.event->seq = pushed.seq;
    }
}

// [SECTION] PushJudgement

namespace {

// One push, judged on the writer's connection. The members are what the steps share: the kiosk's
// mark as it advances, the newest event time seen (for the clock skew) and the answer being built.
// Adds `rows` to `batch` as INSERTs of at most MultiRowSql::kMaxRows rows each; bindRow(statement,
// at, row) binds one row's `columns` parameters from at + 1 on.
template <typename Row, typename BindRow>
Outcome addRows(StatementBatch& batch, const MultiRowSql& sql, const std::vector<Row>& rows, int columns,
                BindRow bindRow) {
    for (size_t from = 0; from < rows.size(); from += MultiRowSql::kMaxRows) {
        const size_t n = std::min(MultiRowSql::kMaxRows, rows.size() - from);
        auto st = batch.add(sql.rows(n));
        if (!st) return st.error();
        for (size_t i = 0; i < n; ++i) bindRow(**st, int(i) * columns, rows[from + i]);
    }
    return {};
}

class PushJudgement {
public:
    PushJudgement(DistrictStore& store, const KioskIdentity& kiosk, const protocol::PushRequest& request,
                  int64_t nowMs, const DeadlineRules& rules, const std::vector<EncodedEvent>& encoded)
        : m_store(store),
          m_kiosk(kiosk),
          m_request(request),
          m_nowMs(nowMs),
          m_rules(rules),
          m_encoded(encoded) {}

    Result<PushAnswer> run();

private:
    // [SECTION] the steps
    Outcome readMark();
    // The events in sequence order. false: stop here and answer 409 (a number reused).
    Result<bool> judgeEvents();
    // A resend (seq at or below the mark): false when it is not one (409).
    Result<bool> judgeResend(const protocol::PushedEvent& pushed, protocol::EventResult& result);
    // The event after the mark: judged, and the mark advanced whatever the verdict.
    Outcome judgeNext(const protocol::PushedEvent& pushed, const EncodedEvent& texts,
                      protocol::EventResult& result);
    // A readable new event: accepted (its record saved), or `reason` set.
    Outcome judgeEvent(const protocol::PushedEvent& pushed, const EncodedEvent& texts,
                       protocol::EventResult& result, std::optional<Error>& reason);
    // Refusals that need nothing but the event.
    std::optional<Error> refusedOutright(const Event& event) const;
    // The event applied to its record (the record saved, the event stored, the change appended),
    // or `reason` set.
    Outcome applyToRecord(const Event& event, int64_t seq, const EncodedEvent& texts,
                          protocol::EventResult& result, std::optional<Error>& reason);
    // A new record's code checked against the kiosk's commune and slot (codeRefusal), or `reason`.
    Outcome judgeCode(const Event& event, std::optional<Error>& reason);
    void recordRejection(const protocol::PushedEvent& pushed, protocol::EventResult& result,
                         const Error& reason);
    Outcome storeReceptions();
    std::optional<int64_t> clockSkew() const;
    Outcome updateKiosk(const std::optional<int64_t>& skew, StatementBatch& batch);

    // [SECTION] reads and writes
    // Reads, before the first event, what judging the push asks of `kiosk_sequence`, `events` and
    // `records`: a few statements per push instead of three per event (on PostgreSQL each statement
    // is a round trip to the server, docs/postgresql.md).
    Outcome prefetch();
    bool kioskKnowsUuid(const std::string& uuid) const { return m_kioskUuids.count(uuid) != 0; }
    bool eventUuidTaken(const std::string& uuid) const { return m_eventUuids.count(uuid) != 0; }
    // The record as stored now: read ahead, or read again (after a flush) when this push wrote it.
    Result<std::optional<Record>> loadRecord(const std::string& code);
    // The writes are held until flush(), which makes them with one multi-row INSERT per table.
    void consumeSequence(int64_t seq, const std::string& uuid, protocol::Verdict verdict);
    void insertEvent(const Event& e, int64_t seq, const std::string& payloadJson,
                     const std::optional<Error>& reason);
    void saveRecord(const Record& r);
    void appendChange(protocol::ChangeType type, std::string body);
    // withKiosk: the kiosk's row (updateKiosk) goes out with them, after the last event.
    Outcome flush(bool withKiosk = false);
    Outcome flushRecords(StatementBatch& batch);
    Outcome flushEvents(StatementBatch& batch);
    Outcome flushSequence(StatementBatch& batch);

    DistrictStore& m_store;
    // As authenticated, its commune as read with the mark: a kiosk moved to another commune
    // (district-server move-kiosk) while the server remembers its token is judged as it is now.
    KioskIdentity m_kiosk;
    const protocol::PushRequest& m_request;
    const int64_t m_nowMs;
    const DeadlineRules& m_rules;
    const std::vector<EncodedEvent>& m_encoded;
    // The communes whose records this kiosk's officers may decide today: its own, and after a
    // succession its successor's holdings (core/holdings.h).
    CommuneHoldings m_holdings;
    // The communes and slots this kiosk was enrolled under before a move (district-server move-kiosk).
    std::vector<std::pair<std::string, std::optional<int>>> m_movedFrom;

    // What the statements one by one would have read, kept up to date as the push goes: the UUIDs
    // this kiosk's sequence holds (stored, or consumed by this push), the UUIDs events hold (stored,
    // or stored by this push), and the push's records as they were before it (nullopt: none).
    std::set<std::string> m_kioskUuids;
    std::set<std::string> m_eventUuids;
    std::map<std::string, std::optional<Record>> m_recordsBefore;
    std::set<std::string> m_recordsWritten;  // by this push: read again from the database
    // The rows not written yet, in the order they were made.
    struct SequenceRow {
        int64_t seq = 0;
        std::string uuid;
        std::string_view outcome;
    };
    struct EventRow {
        std::string uuid;
        int64_t seq = 0;
        std::string record;
        std::string_view action;
        std::string_view actorRole;
        std::string actorId;
        uint64_t hlc = 0;
        int64_t at = 0;
        std::string payload;
        std::string reason;  // its JSON; "" when accepted
    };
    std::vector<SequenceRow> m_pendingSequence;
    std::vector<EventRow> m_pendingEvents;
    std::vector<Record> m_pendingRecords;
    std::vector<std::pair<protocol::ChangeType, std::string>> m_pendingChanges;

    int64_t m_mark = 0;
    std::optional<int> m_slot;  // the kiosk's receipt-code slot, read with the mark
    int64_t m_zeroUntilMs = 0;
    uint64_t m_latestPhysicalMs = 0;
    PushAnswer m_answer;
};

Result<PushAnswer> PushJudgement::run() {
    if (auto r = m_store.becomeWriter(); !r) return r.error();
    if (auto r = readMark(); !r) return r.error();
    if (!m_request.events.empty()) {
        if (auto r = prefetch(); !r) return r.error();
    }
    auto sequenceOk = judgeEvents();
    if (!sequenceOk) return sequenceOk.error();
    if (!*sequenceOk) {
        m_answer.sequenceOk = false;
        m_answer.ackedSeq = m_mark;
        return std::move(m_answer);  // the caller rolls back: what is held is never written
    }
    // Before the receptions and ratings, which read records (a rating of a record this push made).
    if (auto r = flush(true); !r) return r.error();
    if (auto r = storeReceptions(); !r) return r.error();
    // Ratings after the events: a rating of a record this push creates finds it.
    auto ratingsHeld = storeKioskRatings(m_store, m_kiosk, m_request.ratings, m_holdings, m_nowMs);
    if (!ratingsHeld) return ratingsHeld.error();
    m_answer.response.ratingsStored = std::move(*ratingsHeld);
    const std::optional<int64_t> skew = clockSkew();
    protocol::PushResponse& response = m_answer.response;
    response.ackedSeq = m_mark;
    response.serverTimeMs = m_nowMs;
    response.clockSkewMs = skew;
    response.kioskId = m_kiosk.kioskId;
    response.commune = m_kiosk.commune;
    m_answer.ackedSeq = m_mark;
    return std::move(m_answer);
}

// The mark is read here, inside the write transaction, never from the request's auth check.
Outcome PushJudgement::readMark() {
    // Whether the kiosk was ever moved rides along, so the moves cost a statement only when there are.
    auto cachedSt = m_store.cached(
        "SELECT acked_seq, revoked, slot, created_at, slot_told_at, commune, "
        "EXISTS (SELECT 1 FROM kiosk_moves WHERE kiosk_id = ?1) FROM kiosks WHERE id = ?1");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, m_kiosk.kioskId);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row || st->integer(1) != 0)
        return makeError("kiosk.revoked", "Máy kiosk này đã bị thu hồi quyền đồng bộ.",
                         "This kiosk's access has been revoked.");
    m_mark = st->integer(0);
    if (!st->isNull(2)) m_slot = int(st->integer(2));
    // Until a whoami told the kiosk its slot it may print 00: up to this push, which is now.
    m_zeroUntilMs = st->isNull(4) ? std::max(st->integer(3), m_nowMs) : st->integer(4);
    m_kiosk.commune = st->text(5);
    m_holdings = communeHoldings(m_rules.units, m_kiosk.commune, localFromUnix(m_nowMs / 1000).date);
    m_movedFrom.clear();
    if (st->integer(6) == 0) return {};
    auto movesSt = m_store.cached("SELECT commune, slot FROM kiosk_moves WHERE kiosk_id = ?");
    if (!movesSt) return movesSt.error();
    StatementScope moves(*movesSt);
    moves->bind(1, m_kiosk.kioskId);
    while (true) {
        auto moved = moves->step();
        if (!moved) return moved.error();
        if (!*moved) break;
        m_movedFrom.emplace_back(
            moves->text(0), moves->isNull(1) ? std::nullopt : std::optional<int>(int(moves->integer(1))));
    }
    return {};
}

Result<bool> PushJudgement::judgeEvents() {
    const std::vector<protocol::PushedEvent>& events = m_request.events;
    std::vector<size_t> ordered(events.size());
    for (size_t i = 0; i < ordered.size(); ++i) ordered[i] = i;
    std::sort(ordered.begin(), ordered.end(),
              [&](size_t a, size_t b) { return events[a].seq < events[b].seq; });

    for (const size_t index : ordered) {
        const protocol::PushedEvent& pushed = events[index];
        protocol::EventResult result;
        result.uuid = pushed.uuid;
        result.seq = pushed.seq;
        if (pushed.event) result.record = pushed.event->recordCode;

        if (pushed.seq <= m_mark) {
            auto resend = judgeResend(pushed, result);
            if (!resend) return resend.error();
            if (!*resend) return false;
        } else if (pushed.seq > m_mark + 1) {
            break;  // a gap: the answer's acked_seq says where to resume
        } else if (auto r = judgeNext(pushed, m_encoded[index], result); !r) {
            return r.error();
        }
        m_answer.response.results.push_back(std::move(result));
    }
    return true;
}

// The same UUID at that number (or anywhere in this kiosk's history, after a renumbering) is a
// duplicate; a new UUID means the kiosk reuses numbers: 409.
// (The UUID at that number is one this kiosk's sequence holds: knowing it anywhere covers both.)
Result<bool> PushJudgement::judgeResend(const protocol::PushedEvent& pushed, protocol::EventResult& result) {
    if (!kioskKnowsUuid(pushed.uuid)) return false;
    result.verdict = protocol::Verdict::Duplicate;
    return true;
}

// seq == mark + 1: judge it. Either way the mark advances (a rejection never blocks).
Outcome PushJudgement::judgeNext(const protocol::PushedEvent& pushed, const EncodedEvent& texts,
                                 protocol::EventResult& result) {
    std::optional<Error> reason;
    if (kioskKnowsUuid(pushed.uuid)) {
        result.verdict = protocol::Verdict::Duplicate;
    } else if (!pushed.event) {
        reason = pushed.problem;
    } else if (auto r = judgeEvent(pushed, texts, result, reason); !r) {
        return r;
    }
    if (reason) {
        recordRejection(pushed, result, *reason);
    }
    consumeSequence(pushed.seq, pushed.uuid, result.verdict);
    m_mark = pushed.seq;
    return {};
}

Outcome PushJudgement::judgeEvent(const protocol::PushedEvent& pushed, const EncodedEvent& texts,
                                  protocol::EventResult& result, std::optional<Error>& reason) {
    // normalizeForStore has usually made the event what asStored would; copy it otherwise.
    std::optional<Event> copy;
    if (pushed.event->kioskId.empty() || pushed.event->seq != pushed.seq) copy = asStored(m_kiosk, pushed);
    const Event& event = copy ? *copy : *pushed.event;
    m_latestPhysicalMs = std::max(m_latestPhysicalMs, Hlc::physicalMillis(event.hlc));
    if (eventUuidTaken(event.uuid)) {
        // Nothing is stored of it: its UUID belongs to the event already stored.
        reason = rejection("event.uuid-taken", "Mã sự kiện đã được dùng.",
                           "The event UUID is already used by another event.");
        return {};
    }
    reason = refusedOutright(event);
    if (!reason) {
        // A commune officer's action stands only under that officer's registered signing key.
        auto officer = judgeCommuneOfficerAction(m_store, m_kiosk.commune, event);
        if (!officer) return officer.error();
        reason = std::move(*officer);
    }
    if (!reason) {
        if (auto r = applyToRecord(event, pushed.seq, texts, result, reason); !r) return r;
    }
    if (!reason) return {};
    // A refused plain identity is kept as the event's trace only, without its payload.
    const bool plain = reason->code == "record.identity-in-clear";
    insertEvent(event, pushed.seq, plain ? std::string("{}") : texts.payload, reason);
    return {};
}

std::optional<Error> PushJudgement::refusedOutright(const Event& event) const {
    if (event.kioskId != m_kiosk.kioskId)
        return rejection("event.kiosk", "Sự kiện ghi tên máy kiosk khác.", "The event names another kiosk.");
    if (event.actor.role == Role::DistrictOfficer)
        return rejection("actor.role", "Máy kiosk không được gửi thao tác của cấp trên.",
                         "A kiosk may not send district officers' actions.");
    if ((event.action == Action::Submit || event.action == Action::Register) &&
        carriesPrivatePartInClear(event.payload)) {
        // Identity and content travel sealed (payload "sealed"); the district stores no citizen's
        // name, CCCD, phone, address or content that arrives in the clear.
        return rejection("record.identity-in-clear",
                         "Máy kiosk gửi thông tin người gửi hoặc nội dung đơn không được mã hoá nên "
                         "máy chủ không nhận. Hãy cập nhật phần mềm máy kiosk.",
                         "The kiosk sent the citizen's identity or the content unencrypted, so the "
                         "server refused it. Update the kiosk's software.");
    }
    return std::nullopt;
}

Outcome PushJudgement::applyToRecord(const Event& event, int64_t seq, const EncodedEvent& texts,
                                     protocol::EventResult& result, std::optional<Error>& reason) {
    auto current = loadRecord(event.recordCode);
    if (!current) return current.error();
    if (*current && !m_holdings.holds((*current)->commune)) {
        reason = foreignCommune();
        return {};
    }
    if (!*current && (event.action == Action::Submit || event.action == Action::Register)) {
        if (auto r = judgeCode(event, reason); !r || reason) return r;
    }
    // A new record judged ahead on the worker thread (encodeForStore) with these rules:
    // applyEvent(nullopt, ...) depends on nothing else.
    const bool ahead = !*current && texts.rules == &m_rules;
    Result<Record> applied =
        ahead ? (texts.created ? Result<Record>(*texts.created) : Result<Record>(*texts.createRefused))
              : applyEvent(*current, event, m_rules);
    if (!applied) {
        reason = applied.error();
        return {};
    }
    // A new record is the commune's its code names (the kiosk's own, or the one it was moved from:
    // judgeCode); an existing one stays with its commune.
    if (*current ? !m_holdings.holds(applied->commune) : applied->commune != event.recordCode.substr(0, 5)) {
        reason = foreignCommune();
        return {};
    }
    saveRecord(*applied);
    insertEvent(event, seq, texts.payload, std::nullopt);
    // The body made ahead is empty when the worker judged with another commune than the kiosk's
    // now (moved since the server remembered its token): made here then.
    if (ahead && !texts.createdChangeBody.empty())
        appendChange(protocol::ChangeType::Record, texts.createdChangeBody);
    else
        appendChange(protocol::ChangeType::Record,
                     protocol::encodeRecordChangeBody(protocol::snapshotOf(*applied), {texts.event}));
    result.verdict = protocol::Verdict::Accepted;
    result.status = std::string(toSlug(applied->status));
    return {};
}

// A kiosk enrolled before slots has none: the first new record it sends with a slot no other kiosk
// of the commune has gives it that slot, as enrollment would have.
Outcome PushJudgement::judgeCode(const Event& event, std::optional<Error>& reason) {
    reason = codeRefusal(event.recordCode, m_kiosk.commune, m_slot, m_zeroUntilMs);
    // A kiosk moved to its commune's successor may still send petitions it took under its old
    // commune and slot (kiosk_moves): those codes stay its own, and valid.
    if (reason && event.recordCode.size() == 16) {
        auto parsed = parseReceiptCode(event.recordCode);
        for (const auto& [movedFrom, movedSlot] : m_movedFrom)
            if (parsed && parsed->digits == event.recordCode && parsed->commune == movedFrom && movedSlot &&
                parsed->slot == *movedSlot)
                reason.reset();
    }
    if (reason || m_slot) return {};
    const int slot = std::stoi(event.recordCode.substr(5, 2));
    if (slot == 0) return {};
    auto cachedSt = m_store.cached(
        "UPDATE kiosks SET slot = ?1 WHERE id = ?2 AND slot IS NULL AND NOT EXISTS "
        "(SELECT 1 FROM kiosks WHERE commune = ?3 AND slot = ?1)");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, int64_t(slot)).bind(2, m_kiosk.kioskId).bind(3, m_kiosk.commune);
    if (auto r = st->run(); !r) return r;
    if (m_store.database().changes() == 0) {
        const std::string taken = event.recordCode.substr(5, 2);
        reason = rejection("record.code-slot",
                           "Mã biên nhận mang số máy " + taken + ", số này đã thuộc một máy khác của xã.",
                           "The receipt code carries kiosk slot " + taken +
                               ", which belongs to another kiosk of the commune.");
        return {};
    }
    m_slot = slot;
    return {};
}

void PushJudgement::recordRejection(const protocol::PushedEvent& pushed, protocol::EventResult& result,
                                    const Error& reason) {
    result.verdict = protocol::Verdict::Rejected;
    result.reason = reason;
    protocol::Change change;
    change.type = protocol::ChangeType::Rejection;
    change.uuid = pushed.uuid;
    change.recordCode = result.record;
    change.reason = reason;
    appendChange(change.type, protocol::encodeChangeBody(change));
}

// Receptions recorded at the commune ride with the push and commit with it (receptions.h).
Outcome PushJudgement::storeReceptions() {
    if (m_request.receptions.empty()) return {};
    std::vector<Reception> receptions;
    receptions.reserve(m_request.receptions.size());
    for (const protocol::ReceptionReport& sent : m_request.receptions) {
        Reception r;
        r.uuid = sent.uuid;
        r.officerId = sent.officerId;
        r.at = sent.at;
        r.people = int(std::clamp<int64_t>(sent.people, 0, 100000));
        r.caseCode = sent.caseCode;
        r.kind = sent.kind;
        r.outcome = sent.outcome;
        r.note = sent.note;
        receptions.push_back(std::move(r));
    }
    auto stored = storeKioskReceptions(m_store, m_kiosk, receptions, m_nowMs);
    if (!stored) return stored.error();
    return {};
}

// The kiosk's clock: its heartbeat says it directly; otherwise an event stamped in the future
// shows it is at least that far ahead (an old stamp says nothing: it may have queued offline).
std::optional<int64_t> PushJudgement::clockSkew() const {
    if (m_request.heartbeat && m_request.heartbeat->clockMs) {
        // Any int64 may arrive (a wildly wrong clock is still a kiosk to serve): saturate, and keep
        // clear of INT64_MIN so that the dashboard may take its absolute value.
        constexpr int64_t kLimit = std::numeric_limits<int64_t>::max();
        const int64_t clockMs = *m_request.heartbeat->clockMs;
        int64_t difference = 0;
        if (__builtin_sub_overflow(clockMs, m_nowMs, &difference))
            difference = clockMs < 0 ? -kLimit : kLimit;
        return std::max(difference, -kLimit);
    }
    if (m_latestPhysicalMs > uint64_t(m_nowMs)) return int64_t(m_latestPhysicalMs) - m_nowMs;
    return std::nullopt;
}

Outcome PushJudgement::updateKiosk(const std::optional<int64_t>& skew, StatementBatch& batch) {
    auto cachedSt = batch.add(
        "UPDATE kiosks SET acked_seq = ?1, "
        "last_seen = CASE WHEN coalesce(last_seen, 0) > ?2 THEN last_seen ELSE ?2 END, "
        "clock_skew_ms = coalesce(?3, clock_skew_ms), app_version = coalesce(?4, app_version), "
        "queue_depth = coalesce(?5, queue_depth), free_disk_mb = coalesce(?6, free_disk_mb), "
        "insecure_http = coalesce(?7, insecure_http), "
        // A heartbeat without help_requested_ms says nobody is waiting: the call was answered.
        "help_requested_ms = CASE WHEN ?8 = 1 THEN ?9 ELSE help_requested_ms END WHERE id = ?10");
    if (!cachedSt) return cachedSt.error();
    store::Statement* st = *cachedSt;  // runs with the push's other rows (flush)
    st->bind(1, m_mark).bind(2, m_nowMs);
    if (skew)
        st->bind(3, *skew);
    else
        st->bindNull(3);
    const protocol::Heartbeat* hb = m_request.heartbeat ? &*m_request.heartbeat : nullptr;
    if (hb && !hb->appVersion.empty())
        st->bind(4, hb->appVersion);
    else
        st->bindNull(4);
    if (hb && hb->queueDepth)
        st->bind(5, *hb->queueDepth);
    else
        st->bindNull(5);
    if (hb && hb->freeDiskMb)
        st->bind(6, *hb->freeDiskMb);
    else
        st->bindNull(6);
    if (hb)
        st->bind(7, int64_t(hb->insecureHttp));
    else
        st->bindNull(7);
    st->bind(8, int64_t(hb ? 1 : 0));
    if (hb && hb->helpRequestedMs)
        st->bind(9, *hb->helpRequestedMs);
    else
        st->bindNull(9);
    st->bind(10, m_kiosk.kioskId);
    return {};
}

// [SECTION] reads and writes

namespace {

std::vector<std::string> sortedUnique(std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

}  // namespace

Outcome PushJudgement::prefetch() {
    // Every UUID the push carries (the pushed ones, and for the events past the mark, the events'
    // own): looked up in both tables, since a UUID found where it was not asked about is still true.
    std::vector<std::string> uuids, codes;
    for (const protocol::PushedEvent& pushed : m_request.events) {
        uuids.push_back(pushed.uuid);
        if (!pushed.event || pushed.seq <= m_mark) continue;  // at or below it: only the UUID counts
        uuids.push_back(pushed.event->uuid);
        codes.push_back(pushed.event->recordCode);
    }
    uuids = sortedUnique(std::move(uuids));
    static const MultiRowSql sql("SELECT 0, uuid FROM kiosk_sequence WHERE kiosk = ? AND uuid IN (", "?",
                                 ") UNION ALL SELECT 1, uuid FROM events WHERE uuid IN (",
                                 std::string_view(")"));
    for (size_t from = 0; from < uuids.size(); from += MultiRowSql::kMaxRows) {
        const size_t n = std::min(MultiRowSql::kMaxRows, uuids.size() - from);
        auto cachedSt = m_store.cached(sql.rows(n));
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, m_kiosk.kioskId);
        for (size_t i = 0; i < n; ++i)
            st->bind(int(i) + 2, uuids[from + i]).bind(int(i + n) + 2, uuids[from + i]);
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            (st->integer(0) == 0 ? m_kioskUuids : m_eventUuids).insert(st->text(1));
        }
    }
    codes = sortedUnique(std::move(codes));
    auto records = m_store.recordsByCode(codes);
    if (!records) return records.error();
    for (const std::string& code : codes) {
        auto it = records->find(code);
        m_recordsBefore[code] =
            it == records->end() ? std::nullopt : std::optional<Record>(std::move(it->second));
    }
    return {};
}

Result<std::optional<Record>> PushJudgement::loadRecord(const std::string& code) {
    // A record this push wrote is read back as the upsert left it (the columns it keeps, the event
    // count): rare (an action on a record submitted in the same push), so the rows go out first.
    if (m_recordsWritten.count(code)) {
        if (auto r = flush(); !r) return r.error();
        return m_store.record(code);
    }
    if (auto it = m_recordsBefore.find(code); it != m_recordsBefore.end()) return it->second;
    return m_store.record(code);
}

void PushJudgement::consumeSequence(int64_t seq, const std::string& uuid, protocol::Verdict verdict) {
    m_kioskUuids.insert(uuid);
    m_pendingSequence.push_back({seq, uuid, protocol::toSlug(verdict)});
}

void PushJudgement::insertEvent(const Event& e, int64_t seq, const std::string& payloadJson,
                                const std::optional<Error>& reason) {
    m_eventUuids.insert(e.uuid);
    m_pendingEvents.push_back({e.uuid, seq, e.recordCode, toSlug(e.action), toSlug(e.actor.role), e.actor.id,
                               e.hlc, e.at, payloadJson,
                               reason ? protocol::dumpJson(protocol::toJson(*reason)) : std::string()});
}

// No `identities` row is written: identity and content arriving in the clear are refused
// (refusedOutright); the table keeps only what older versions stored (the dashboard's audited
// reveal shows it).
void PushJudgement::saveRecord(const Record& r) {
    m_recordsWritten.insert(r.code);
    m_pendingRecords.push_back(r);
}

void PushJudgement::appendChange(protocol::ChangeType type, std::string body) {
    m_pendingChanges.emplace_back(type, std::move(body));
}

// Records first, then events, the kiosk's sequence and the change feed: the order the statements one
// by one wrote an event's rows in. Each table's rows keep their order (the feed's numbers, events'
// received_order).
Outcome PushJudgement::flush(bool withKiosk) {
    StatementBatch batch(m_store);
    if (auto r = flushRecords(batch); !r) return r;
    if (auto r = flushEvents(batch); !r) return r;
    if (auto r = flushSequence(batch); !r) return r;
    if (auto r = m_store.appendChanges(m_kiosk.commune, m_pendingChanges, m_nowMs, batch); !r) return r;
    if (withKiosk) {
        if (auto r = updateKiosk(clockSkew(), batch); !r) return r;
    }
    if (auto r = batch.run(); !r) return r;
    m_pendingRecords.clear();
    m_pendingEvents.clear();
    m_pendingSequence.clear();
    m_pendingChanges.clear();
    return {};
}

Outcome PushJudgement::flushRecords(StatementBatch& batch) {
    // A record appears once in a flush (loadRecord flushes before a record is written twice):
    // PostgreSQL refuses an upsert that would update one row twice.
    static const MultiRowSql sql(
        "INSERT INTO records(code, official_code, kind, petition_kind, procedure, commune, status, "
        "submitted_at, received_on, due, complex, extensions, delivery, content, result_note, "
        "linked_code, event_count, updated_at, accepted_on, transfer_agency, suspended_on, withdrawn_parts) "
        "VALUES ",
        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?,?)",
        " ON CONFLICT(code) DO UPDATE SET official_code = excluded.official_code, "
        "status = excluded.status, due = excluded.due, complex = excluded.complex, "
        "accepted_on = excluded.accepted_on, transfer_agency = excluded.transfer_agency, "
        "suspended_on = excluded.suspended_on, withdrawn_parts = excluded.withdrawn_parts, "
        "extensions = excluded.extensions, result_note = excluded.result_note, "
        "event_count = records.event_count + 1, updated_at = excluded.updated_at");
    return addRows(batch, sql, m_pendingRecords, 21, [this](store::Statement& st, int at, const Record& r) {
        st.bind(at + 1, r.code)
            .bindOptional(at + 2, r.officialCode)
            .bind(at + 3, toSlug(r.kind))
            .bindOptional(
                at + 4, r.kind == RecordKind::Petition ? std::string(toSlug(r.petitionKind)) : std::string())
            .bindOptional(at + 5, r.procedureCode)
            .bind(at + 6, r.commune)
            .bind(at + 7, toSlug(r.status))
            .bind(at + 8, r.submittedAt)
            .bind(at + 9, r.receivedOn.iso())
            .bind(at + 10, dueText(r))
            .bind(at + 11, int64_t(complexColumn(r)))
            .bind(at + 12, r.extensions)
            .bind(at + 13, toSlug(r.delivery))
            .bind(at + 14, r.content)
            .bind(at + 15, r.resultNote)
            .bindOptional(at + 16, r.linkedCode)
            .bind(at + 17, m_nowMs)
            .bind(at + 18, acceptedOnText(r))
            .bind(at + 19, r.transferAgency)
            .bind(at + 20, suspendedOnText(r))
            .bind(at + 21, r.withdrawnParts);
    });
}

Outcome PushJudgement::flushEvents(StatementBatch& batch) {
    static const MultiRowSql sql(
        "INSERT INTO events(uuid, kiosk, seq, record, action, actor_role, actor_id, hlc, at, "
        "payload, received_at, verdict, reason) VALUES ",
        "(?,?,?,?,?,?,?,?,?,?,?,?,?)", "");
    return addRows(batch, sql, m_pendingEvents, 13, [this](store::Statement& st, int at, const EventRow& e) {
        st.bind(at + 1, e.uuid)
            .bind(at + 2, m_kiosk.kioskId)
            .bind(at + 3, e.seq)
            .bind(at + 4, e.record)
            .bind(at + 5, e.action)
            .bind(at + 6, e.actorRole)
            .bind(at + 7, e.actorId)
            .bind(at + 8, e.hlc)
            .bind(at + 9, e.at)
            .bind(at + 10, e.payload)
            .bind(at + 11, m_nowMs)
            .bind(at + 12, e.reason.empty() ? "accepted" : "rejected")
            .bind(at + 13, e.reason);
    });
}

Outcome PushJudgement::flushSequence(StatementBatch& batch) {
    static const MultiRowSql sql("INSERT INTO kiosk_sequence(kiosk, seq, uuid, outcome) VALUES ", "(?,?,?,?)",
                                 "");
    return addRows(batch, sql, m_pendingSequence, 4,
                   [this](store::Statement& st, int at, const SequenceRow& row) {
                       st.bind(at + 1, m_kiosk.kioskId)
                           .bind(at + 2, row.seq)
                           .bind(at + 3, row.uuid)
                           .bind(at + 4, row.outcome);
                   });
}

}  // namespace

// [SECTION] applyPush

Result<PushAnswer> applyPush(DistrictStore& store, const KioskIdentity& kiosk,
                             const protocol::PushRequest& request, int64_t nowMs, const DeadlineRules& rules,
                             const std::vector<EncodedEvent>* encoded) {
    std::vector<EncodedEvent> encodedHere;
    if (!encoded || encoded->size() != request.events.size()) {
        encodedHere = encodeForStore(kiosk, request);
        encoded = &encodedHere;
    }
    return PushJudgement(store, kiosk, request, nowMs, rules, *encoded).run();
}

}  // namespace kiosk::district
