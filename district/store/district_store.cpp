#include "district/store/district_store.h"

#include <sodium.h>

#include <algorithm>
#include <limits>

#include "core/state_machine.h"
#include "sync/protocol/safe_json.h"
#include "district/office/receptions.h"
#include "district/store/schema.h"
#include "common/meta.h"
#include "common/migrations.h"
#include "common/sealing.h"

// [SECTION] index
//   tokens            newToken, tokenHash
//   open and migrate  DistrictStore::open, migrate, cached
//   kiosks            enrollKiosk, revokeKiosk, kiosks, findByToken, ackedSeq, touch
//   records           rows <-> Record, records, record
//   push              applyPush and its per-event judgment
//   pull              pull

namespace kiosk::district {

using store::Database;
using store::readMeta;
using store::Statement;
using store::Transaction;
using store::writeMeta;

namespace {

// The writer connection's page cache, KiB (SQLite's default is 2 MB).
constexpr int kWriterCacheKib = 64 * 1024;
// WAL pages after which the writer checkpoints by itself (SQLite's default: 1000 pages, after
// nearly every group commit, on the thread every push waits for).
constexpr int kWriterCheckpointPages = 8192;

// Resets a cached statement when the scope ends, so no statement keeps a read snapshot open.
class StatementScope {
public:
    explicit StatementScope(Statement* statement) : m_statement(statement) {}
    ~StatementScope() {
        if (m_statement) m_statement->reset();
    }
    StatementScope(const StatementScope&) = delete;
    StatementScope& operator=(const StatementScope&) = delete;
    Statement* operator->() const { return m_statement; }
    Statement& operator*() const { return *m_statement; }

private:
    Statement* m_statement;
};

std::string hex(const unsigned char* bytes, size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, size);
    out.pop_back();
    return out;
}

std::optional<int64_t> optionalInteger(const Statement& st, int column) {
    if (st.isNull(column)) return std::nullopt;
    return st.integer(column);
}

// BEGIN (deferred) ... COMMIT around the reads of one pull, so the page and the newest sequence
// come from one snapshot.
class ReadTransaction {
public:
    explicit ReadTransaction(Database& db) : m_db(db), m_begun(db.exec("BEGIN")) {}
    ~ReadTransaction() {
        if (m_begun) m_db.exec("COMMIT");
    }
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    const Outcome& begun() const { return m_begun; }

private:
    Database& m_db;
    Outcome m_begun;
};

// kRecordColumns (core/records.h), then the identity.
const std::string kRecordAndIdentityColumns =
    std::string(kRecordColumns) + ", i.name, i.cccd, i.phone, i.address";

Record recordFromRow(const Statement& st) {
    Record r = recordFromColumns(st);
    r.identity.name = st.text(kRecordColumnCount);
    r.identity.cccd = st.text(kRecordColumnCount + 1);
    r.identity.phone = st.text(kRecordColumnCount + 2);
    r.identity.address = st.text(kRecordColumnCount + 3);
    return r;
}

}  // namespace

// [SECTION] tokens

std::string newToken() {
    if (sodium_init() < 0) return {};
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    std::string token = hex(bytes, sizeof bytes);
    common::wipe(bytes, sizeof bytes);
    return token;
}

std::string tokenHash(std::string_view token) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
    return hex(digest, sizeof digest);
}

// [SECTION] open and migrate

Result<std::unique_ptr<DistrictStore>> DistrictStore::open(const std::string& path, bool create) {
    auto db = Database::open(path, create);
    if (!db) return db.error();
    std::unique_ptr<DistrictStore> store(new DistrictStore(std::move(*db)));
    if (auto m = store->migrate(); !m) return m.error();
    store->m_storeId = readMeta(store->m_db, "store_id");
    if (store->m_storeId.empty())
        return makeError("db.corrupt", "Tệp dữ liệu huyện thiếu mã định danh.",
                         "The district data file has no store id.");
    return store;
}

DistrictStore::~DistrictStore() {
    // Statements must be finalized before the connection closes.
    m_statements.clear();
}

Outcome DistrictStore::migrate() {
    return store::applyMigrations(m_db, kDistrictMigrations, [](Database& db, int64_t version) -> Outcome {
        if (version != 0) return {};
        unsigned char bytes[4];
        randombytes_buf(bytes, sizeof bytes);
        if (auto r = writeMeta(db, "store_id", hex(bytes, sizeof bytes)); !r) return r;
        return writeMeta(db, "next_kiosk_number", "1");
    });
}

Result<Statement*> DistrictStore::cached(const char* sql) {
    auto it = m_statements.find(sql);
    if (it != m_statements.end()) return it->second.get();
    auto st = m_db.prepare(sql);
    if (!st) return st.error();
    auto owned = std::make_unique<Statement>(std::move(*st));
    Statement* raw = owned.get();
    m_statements.emplace(sql, std::move(owned));
    return raw;
}

// [SECTION] kiosks

Result<Enrollment> DistrictStore::enrollKiosk(const std::string& commune, int64_t nowMs) {
    Transaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();
    const std::string counter = readMeta(m_db, "next_kiosk_number");
    const long long number = std::max(1LL, std::atoll(counter.c_str()));
    Enrollment e{"k" + std::to_string(number), commune, newToken()};
    if (e.token.empty())
        return makeError("token.random", "Không tạo được mã bí mật ngẫu nhiên.",
                         "Could not generate a random token.");
    auto st = m_db.prepare("INSERT INTO kiosks(id, commune, token_sha256, created_at) VALUES(?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, e.kioskId).bind(2, commune).bind(3, tokenHash(e.token)).bind(4, nowMs);
    if (auto r = st->run(); !r) return r.error();
    if (auto r = writeMeta(m_db, "next_kiosk_number", std::to_string(number + 1)); !r) return r.error();
    if (auto r = tx.commit(); !r) return r.error();
    return e;
}

Result<bool> DistrictStore::revokeKiosk(const std::string& kioskId, int64_t nowMs) {
    Transaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();
    auto st = m_db.prepare("SELECT revoked FROM kiosks WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, kioskId);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row)
        return makeError("kiosk.unknown", "Không có máy kiosk “" + kioskId + "”.",
                         "There is no kiosk \"" + kioskId + "\".");
    if (st->integer(0) != 0) return false;
    st->reset();
    auto update = m_db.prepare("UPDATE kiosks SET revoked = 1, revoked_at = ? WHERE id = ?");
    if (!update) return update.error();
    update->bind(1, nowMs).bind(2, kioskId);
    if (auto r = update->run(); !r) return r.error();
    if (auto r = tx.commit(); !r) return r.error();
    return true;
}

Result<std::vector<KioskInfo>> DistrictStore::kiosks() {
    auto st = m_db.prepare(
        "SELECT id, commune, created_at, revoked, last_seen, acked_seq, clock_skew_ms, app_version, "
        "queue_depth, free_disk_mb FROM kiosks ORDER BY commune, CAST(substr(id, 2) AS INTEGER)");
    if (!st) return st.error();
    std::vector<KioskInfo> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        KioskInfo k;
        k.kioskId = st->text(0);
        k.commune = st->text(1);
        k.createdAtMs = st->integer(2);
        k.revoked = st->integer(3) != 0;
        k.lastSeenMs = optionalInteger(*st, 4);
        k.ackedSeq = st->integer(5);
        k.clockSkewMs = optionalInteger(*st, 6);
        k.appVersion = st->text(7);
        k.queueDepth = optionalInteger(*st, 8);
        k.freeDiskMb = optionalInteger(*st, 9);
        out.push_back(std::move(k));
    }
    return out;
}

Result<std::optional<KioskIdentity>> DistrictStore::findByToken(std::string_view token) {
    auto cachedSt = cached("SELECT id, commune, revoked FROM kiosks WHERE token_sha256 = ?");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, tokenHash(token));
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<KioskIdentity>();
    return std::optional<KioskIdentity>(KioskIdentity{st->text(0), st->text(1), st->integer(2) != 0});
}

Result<int64_t> DistrictStore::ackedSeq(const std::string& kioskId) {
    auto cachedSt = cached("SELECT acked_seq FROM kiosks WHERE id = ?");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, kioskId);
    auto row = st->step();
    if (!row) return row.error();
    return *row ? st->integer(0) : int64_t(0);
}

Outcome DistrictStore::touch(const std::string& kioskId, int64_t lastSeenMs) {
    auto cachedSt = cached("UPDATE kiosks SET last_seen = max(coalesce(last_seen, 0), ?) WHERE id = ?");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, lastSeenMs).bind(2, kioskId);
    return st->run();
}

// [SECTION] records

Result<std::vector<RecordSummary>> DistrictStore::records(const std::optional<std::string>& commune) {
    auto st = m_db.prepare(
        "SELECT code, official_code, kind, commune, status, due, event_count FROM records "
        "WHERE ?1 IS NULL OR commune = ?1 ORDER BY commune, submitted_at, code");
    if (!st) return st.error();
    if (commune) {
        st->bind(1, *commune);
    } else {
        st->bindNull(1);
    }
    std::vector<RecordSummary> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        RecordSummary r;
        r.code = st->text(0);
        r.officialCode = st->text(1);
        r.kind = recordKindFromSlug(st->text(2)).value_or(RecordKind::Petition);
        r.commune = st->text(3);
        r.status = statusFromSlug(st->text(4)).value_or(RecordStatus::Received);
        r.due = Date::parse(st->text(5)).value_or(Date{});
        r.events = st->integer(6);
        out.push_back(std::move(r));
    }
    return out;
}

Result<std::optional<Record>> DistrictStore::record(const std::string& code) {
    static const std::string sql = std::string("SELECT ") + kRecordAndIdentityColumns +
                                   " FROM records r LEFT JOIN identities i ON i.record_code = r.code"
                                   " WHERE r.code = ?";
    auto cachedSt = cached(sql.c_str());
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, code);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Record>();
    return std::optional<Record>(recordFromRow(*st));
}

// [SECTION] push

namespace {

Error rejection(const char* code, const std::string& vi, const std::string& en) {
    return makeError(code, vi, en);
}

}  // namespace

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

Result<PushAnswer> DistrictStore::applyPush(const KioskIdentity& kiosk, const protocol::PushRequest& request,
                                            int64_t nowMs, const DeadlineRules& rules,
                                            const std::vector<EncodedEvent>* encoded) {
    std::vector<EncodedEvent> encodedHere;
    if (!encoded || encoded->size() != request.events.size()) {
        encodedHere = encodeForStore(kiosk, request);
        encoded = &encodedHere;
    }
    if (!m_writerSetUp) {
        // Only the committer's writer connection judges pushes. A group of a few hundred pushes
        // touches thousands of pages: with SQLite's default 2 MB cache they spill and are read back
        // from the file during the next group. Checkpoints are the server's checkpointer thread's
        // work (district_server.cpp); the writer checkpoints itself only when the WAL outgrows
        // kWriterCheckpointPages (the checkpointer is stopped or cannot keep up).
        m_writerSetUp = true;
        if (auto r = m_db.exec(std::string("PRAGMA cache_size = -") + std::to_string(kWriterCacheKib)); !r)
            return r.error();
        sqlite3_wal_autocheckpoint(m_db.handle(), kWriterCheckpointPages);
    }
    // The mark is read here, inside the write transaction, never from the request's auth check.
    int64_t mark = 0;
    {
        auto cachedSt = cached("SELECT acked_seq, revoked FROM kiosks WHERE id = ?");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, kiosk.kioskId);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row || st->integer(1) != 0)
            return makeError("kiosk.revoked", "Máy kiosk này đã bị thu hồi quyền đồng bộ.",
                             "This kiosk's access has been revoked.");
        mark = st->integer(0);
    }

    auto sequenceUuid = [&](int64_t seq) -> Result<std::optional<std::string>> {
        auto cachedSt = cached("SELECT uuid FROM kiosk_sequence WHERE kiosk = ? AND seq = ?");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, kiosk.kioskId).bind(2, seq);
        auto row = st->step();
        if (!row) return row.error();
        return *row ? std::optional<std::string>(st->text(0)) : std::nullopt;
    };
    auto kioskKnowsUuid = [&](const std::string& uuid) -> Result<bool> {
        auto cachedSt = cached("SELECT 1 FROM kiosk_sequence WHERE kiosk = ? AND uuid = ? LIMIT 1");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, kiosk.kioskId).bind(2, uuid);
        auto row = st->step();
        if (!row) return row.error();
        return *row;
    };
    auto eventUuidTaken = [&](const std::string& uuid) -> Result<bool> {
        auto cachedSt = cached("SELECT 1 FROM events WHERE uuid = ?");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, uuid);
        auto row = st->step();
        if (!row) return row.error();
        return *row;
    };
    auto consumeSequence = [&](int64_t seq, const std::string& uuid, protocol::Verdict v) -> Outcome {
        auto cachedSt = cached("INSERT INTO kiosk_sequence(kiosk, seq, uuid, outcome) VALUES(?,?,?,?)");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, kiosk.kioskId).bind(2, seq).bind(3, uuid).bind(4, protocol::toSlug(v));
        return st->run();
    };
    auto insertEvent = [&](const Event& e, int64_t seq, const std::string& payloadJson,
                           const std::optional<Error>& reason) -> Outcome {
        auto cachedSt = cached(
            "INSERT INTO events(uuid, kiosk, seq, record, action, actor_role, actor_id, hlc, at, "
            "payload, received_at, verdict, reason) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, e.uuid)
            .bind(2, kiosk.kioskId)
            .bind(3, seq)
            .bind(4, e.recordCode)
            .bind(5, toSlug(e.action))
            .bind(6, toSlug(e.actor.role))
            .bind(7, e.actor.id)
            .bind(8, e.hlc)
            .bind(9, e.at)
            .bind(10, payloadJson)
            .bind(11, nowMs)
            .bind(12, reason ? "rejected" : "accepted")
            .bind(13, reason ? protocol::dumpJson(protocol::toJson(*reason)) : std::string());
        return st->run();
    };
    auto appendChange = [&](protocol::ChangeType type, const std::string& body) -> Outcome {
        auto cachedSt = cached("INSERT INTO changes(commune, type, body, created_at) VALUES(?,?,?,?)");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, kiosk.commune).bind(2, protocol::toSlug(type)).bind(3, body).bind(4, nowMs);
        return st->run();
    };
    // No `identities` row is written: identity and content arriving in the clear are refused below;
    // the table keeps only what older versions stored (the dashboard's audited reveal shows it).
    auto saveRecord = [&](const Record& r) -> Outcome {
        auto cachedSt = cached(
            "INSERT INTO records(code, official_code, kind, petition_kind, procedure, commune, status, "
            "submitted_at, received_on, due, complex, extensions, delivery, content, result_note, "
            "linked_code, event_count, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?) "
            "ON CONFLICT(code) DO UPDATE SET official_code = excluded.official_code, "
            "status = excluded.status, due = excluded.due, complex = excluded.complex, "
            "extensions = excluded.extensions, result_note = excluded.result_note, "
            "event_count = records.event_count + 1, updated_at = excluded.updated_at");
        if (!cachedSt) return cachedSt.error();
        {
            StatementScope st(*cachedSt);
            st->bind(1, r.code)
                .bindOptional(2, r.officialCode)
                .bind(3, toSlug(r.kind))
                .bindOptional(
                    4, r.kind == RecordKind::Petition ? std::string(toSlug(r.petitionKind)) : std::string())
                .bindOptional(5, r.procedureCode)
                .bind(6, r.commune)
                .bind(7, toSlug(r.status))
                .bind(8, r.submittedAt)
                .bind(9, r.receivedOn.iso())
                .bind(10, r.due.iso())
                .bind(11, int64_t(r.complex ? 1 : 0))
                .bind(12, r.extensions)
                .bind(13, toSlug(r.delivery))
                .bind(14, r.content)
                .bind(15, r.resultNote)
                .bindOptional(16, r.linkedCode)
                .bind(17, nowMs);
            return st->run();
        }
    };

    std::vector<size_t> ordered(request.events.size());
    for (size_t i = 0; i < ordered.size(); ++i) ordered[i] = i;
    std::sort(ordered.begin(), ordered.end(),
              [&](size_t a, size_t b) { return request.events[a].seq < request.events[b].seq; });

    PushAnswer answer;
    protocol::PushResponse& response = answer.response;
    uint64_t latestPhysicalMs = 0;
    for (const size_t index : ordered) {
        const protocol::PushedEvent* pushed = &request.events[index];
        const EncodedEvent& texts = (*encoded)[index];
        protocol::EventResult result;
        result.uuid = pushed->uuid;
        result.seq = pushed->seq;
        if (pushed->event) result.record = pushed->event->recordCode;

        if (pushed->seq <= mark) {
            // A resend. The same UUID at that number (or anywhere in this kiosk's history, after a
            // renumbering) is a duplicate; a new UUID means the kiosk reuses numbers: 409.
            auto atSeq = sequenceUuid(pushed->seq);
            if (!atSeq) return atSeq.error();
            bool known = *atSeq && **atSeq == pushed->uuid;
            if (!known) {
                auto anywhere = kioskKnowsUuid(pushed->uuid);
                if (!anywhere) return anywhere.error();
                known = *anywhere;
            }
            if (!known) {
                answer.sequenceOk = false;
                answer.ackedSeq = mark;
                return answer;
            }
            result.verdict = protocol::Verdict::Duplicate;
            response.results.push_back(std::move(result));
            continue;
        }
        if (pushed->seq > mark + 1) break;  // a gap: the answer's acked_seq says where to resume

        // seq == mark + 1: judge it. Either way the mark advances (a rejection never blocks).
        std::optional<Error> reason;
        auto renumbered = kioskKnowsUuid(pushed->uuid);
        if (!renumbered) return renumbered.error();
        if (*renumbered) {
            result.verdict = protocol::Verdict::Duplicate;
        } else if (!pushed->event) {
            reason = pushed->problem;
        } else {
            // normalizeForStore has usually made the event what asStored would; copy it otherwise.
            std::optional<Event> copy;
            if (pushed->event->kioskId.empty() || pushed->event->seq != pushed->seq)
                copy = asStored(kiosk, *pushed);
            const Event& event = copy ? *copy : *pushed->event;
            latestPhysicalMs = std::max(latestPhysicalMs, Hlc::physicalMillis(event.hlc));
            auto taken = eventUuidTaken(event.uuid);
            if (!taken) return taken.error();
            if (*taken) {
                reason = rejection("event.uuid-taken", "Mã sự kiện đã được dùng.",
                                   "The event UUID is already used by another event.");
            } else if (event.kioskId != kiosk.kioskId) {
                reason = rejection("event.kiosk", "Sự kiện ghi tên máy kiosk khác.",
                                   "The event names another kiosk.");
            } else if (event.actor.role == Role::DistrictOfficer) {
                reason = rejection("actor.role", "Máy kiosk không được gửi thao tác của cấp huyện.",
                                   "A kiosk may not send district officers' actions.");
            } else if ((event.action == Action::Submit || event.action == Action::Register) &&
                       carriesPrivatePartInClear(event.payload)) {
                // Identity and content travel sealed (payload "sealed"); the district stores no
                // citizen's name, CCCD, phone, address or content that arrives in the clear.
                reason =
                    rejection("record.identity-in-clear",
                              "Máy kiosk gửi thông tin người gửi hoặc nội dung đơn không được mã hoá nên "
                              "huyện không nhận. Hãy cập nhật phần mềm máy kiosk.",
                              "The kiosk sent the citizen's identity or the content unencrypted, so the "
                              "district refused it. Update the kiosk's software.");
            } else {
                auto current = record(event.recordCode);
                if (!current) return current.error();
                if (*current && (*current)->commune != kiosk.commune) {
                    reason = rejection("record.foreign-commune", "Hồ sơ không thuộc xã của máy kiosk này.",
                                       "The record belongs to another commune.");
                } else {
                    // A new record judged ahead on the worker thread (encodeForStore) with these
                    // rules: applyEvent(nullopt, ...) depends on nothing else.
                    const bool ahead = !*current && texts.rules == &rules;
                    Result<Record> applied = ahead ? (texts.created ? Result<Record>(*texts.created)
                                                                    : Result<Record>(*texts.createRefused))
                                                   : applyEvent(*current, event, rules);
                    if (!applied) {
                        reason = applied.error();
                    } else if (applied->commune != kiosk.commune) {
                        reason =
                            rejection("record.foreign-commune", "Hồ sơ không thuộc xã của máy kiosk này.",
                                      "The record belongs to another commune.");
                    } else {
                        if (auto r = saveRecord(*applied); !r) return r.error();
                        if (auto r = insertEvent(event, pushed->seq, texts.payload, std::nullopt); !r)
                            return r.error();
                        const std::string body = ahead ? texts.createdChangeBody
                                                       : protocol::encodeRecordChangeBody(
                                                             protocol::snapshotOf(*applied), {texts.event});
                        if (auto r = appendChange(protocol::ChangeType::Record, body); !r) return r.error();
                        result.verdict = protocol::Verdict::Accepted;
                        result.status = std::string(toSlug(applied->status));
                    }
                }
            }
            if (reason && reason->code != "event.uuid-taken") {
                // A refused plain identity is kept as the event's trace only, without its payload.
                const bool plain = reason->code == "record.identity-in-clear";
                if (auto r =
                        insertEvent(event, pushed->seq, plain ? std::string("{}") : texts.payload, reason);
                    !r)
                    return r.error();
            }
        }
        if (reason) {
            result.verdict = protocol::Verdict::Rejected;
            result.reason = reason;
            protocol::Change change;
            change.type = protocol::ChangeType::Rejection;
            change.uuid = pushed->uuid;
            change.recordCode = result.record;
            change.reason = *reason;
            if (auto r = appendChange(change.type, protocol::encodeChangeBody(change)); !r) return r.error();
        }
        if (auto r = consumeSequence(pushed->seq, pushed->uuid, result.verdict); !r) return r.error();
        mark = pushed->seq;
        response.results.push_back(std::move(result));
    }

    // Receptions recorded at the commune ride with the push and commit with it (district_receptions.h).
    if (!request.receptions.empty()) {
        std::vector<Reception> receptions;
        receptions.reserve(request.receptions.size());
        for (const protocol::ReceptionReport& sent : request.receptions) {
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
        auto stored = storeKioskReceptions(*this, kiosk, receptions, nowMs);
        if (!stored) return stored.error();
    }

    // The kiosk's clock: its heartbeat says it directly; otherwise an event stamped in the future
    // shows it is at least that far ahead (an old stamp says nothing: it may have queued offline).
    std::optional<int64_t> skew;
    if (request.heartbeat && request.heartbeat->clockMs) {
        // Any int64 may arrive (a wildly wrong clock is still a kiosk to serve): saturate, and keep
        // clear of INT64_MIN so that the dashboard may take its absolute value.
        constexpr int64_t kLimit = std::numeric_limits<int64_t>::max();
        int64_t difference = 0;
        if (__builtin_sub_overflow(*request.heartbeat->clockMs, nowMs, &difference))
            difference = *request.heartbeat->clockMs < 0 ? -kLimit : kLimit;
        skew = std::max(difference, -kLimit);
    } else if (latestPhysicalMs > uint64_t(nowMs)) {
        skew = int64_t(latestPhysicalMs) - nowMs;
    }
    {
        auto cachedSt = cached(
            "UPDATE kiosks SET acked_seq = ?, last_seen = max(coalesce(last_seen, 0), ?), "
            "clock_skew_ms = coalesce(?, clock_skew_ms), app_version = coalesce(?, app_version), "
            "queue_depth = coalesce(?, queue_depth), free_disk_mb = coalesce(?, free_disk_mb) "
            "WHERE id = ?");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        st->bind(1, mark).bind(2, nowMs);
        if (skew)
            st->bind(3, *skew);
        else
            st->bindNull(3);
        const protocol::Heartbeat* hb = request.heartbeat ? &*request.heartbeat : nullptr;
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
        st->bind(7, kiosk.kioskId);
        if (auto r = st->run(); !r) return r.error();
    }
    response.ackedSeq = mark;
    response.serverTimeMs = nowMs;
    response.clockSkewMs = skew;
    response.kioskId = kiosk.kioskId;
    response.commune = kiosk.commune;
    answer.ackedSeq = mark;
    return answer;
}

// [SECTION] pull

Result<PullPage> DistrictStore::pull(const KioskIdentity& kiosk, const protocol::Cursor& since, int limit) {
    PullPage page;
    if (!since.storeId.empty() && since.storeId != m_storeId) {
        page.reset = true;
        return page;
    }
    ReadTransaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();
    int64_t newest = 0;
    {
        auto cachedSt = cached("SELECT coalesce(max(seq), 0) FROM changes");
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        auto row = st->step();
        if (!row) return row.error();
        newest = st->integer(0);
    }
    if (since.seq > newest) {
        // A cursor from the future: this database was restored from an older backup.
        page.reset = true;
        return page;
    }
    auto cachedSt = cached(
        "SELECT seq, body FROM (SELECT seq, body FROM changes WHERE commune = ?1 AND seq > ?2 "
        "ORDER BY seq LIMIT ?3) UNION ALL SELECT seq, body FROM (SELECT seq, body FROM changes "
        "WHERE commune = '' AND seq > ?2 ORDER BY seq LIMIT ?3) ORDER BY seq LIMIT ?3");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, kiosk.commune).bind(2, since.seq).bind(3, int64_t(limit) + 1);
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        page.changes.push_back({st->integer(0), st->text(1)});
    }
    page.more = int(page.changes.size()) > limit;
    if (page.more) page.changes.resize(size_t(limit));
    // With nothing more to send, every change up to `newest` in this snapshot has been seen: the
    // cursor can skip other communes' changes instead of scanning past them again.
    int64_t nextSeq = page.changes.empty() ? since.seq : page.changes.back().seq;
    if (!page.more) nextSeq = std::max(nextSeq, newest);
    page.next = protocol::encodeCursor(protocol::Cursor{nextSeq, m_storeId});
    return page;
}

}  // namespace kiosk::district
