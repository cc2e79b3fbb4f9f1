#include "district/store/district_store.h"

#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/receipt_code.h"

#include "district/store/schema.h"
#include "district/store/schema_pg.h"
#include "common/meta.h"
#include "common/migrations.h"
#include "common/sealing.h"

// [SECTION] index
//   tokens            newToken, tokenHash
//   open and migrate  DistrictStore::open, migrate, cached
//   kiosks            enrollKiosk, revokeKiosk, kiosks, findByToken, ackedSeq, touch
//   records           rows <-> Record, records, record, recordsByCode, codeMismatches
//   writer            becomeWriter
//   change feed       appendChange, appendChanges, StatementBatch, MultiRowSql
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

// BEGIN (deferred; on PostgreSQL repeatable read) ... COMMIT around the reads of one pull, so the
// page and the newest sequence come from one snapshot.
class ReadTransaction {
public:
    explicit ReadTransaction(Database& db) : m_db(db), m_begun(db.beginRead()) {}
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

bool districtDatabaseExists(const std::string& target) {
    return store::isPostgresTarget(target) || std::filesystem::exists(target);
}

Result<std::unique_ptr<DistrictStore>> DistrictStore::open(const std::string& path, bool create) {
    auto db = Database::open(path, create);
    if (!db) return db.error();
    std::unique_ptr<DistrictStore> store(new DistrictStore(std::move(*db)));
    if (auto m = store->migrate(); !m) return m.error();
    store->m_storeId = readMeta(store->m_db, "store_id");
    if (store->m_storeId.empty())
        return makeError("db.corrupt", "Tệp dữ liệu của máy chủ thiếu mã định danh.",
                         "The district data file has no store id.");
    return store;
}

DistrictStore::~DistrictStore() {
    // Statements must be finalized before the connection closes.
    m_statements.clear();
}

Outcome DistrictStore::renewStoreId(Database& db) {
    unsigned char bytes[4];
    randombytes_buf(bytes, sizeof bytes);
    return writeMeta(db, "store_id", hex(bytes, sizeof bytes));
}

Outcome DistrictStore::migrate() {
    const std::span<const std::string_view> migrations =
        m_db.isPostgres() ? std::span<const std::string_view>(kDistrictPgMigrations) : kDistrictMigrations;
    return store::applyMigrations(m_db, migrations, [](Database& db, int64_t version) -> Outcome {
        if (version != 0) return {};
        if (auto r = DistrictStore::renewStoreId(db); !r) return r;
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

namespace {

// The lowest slot 01-99 that no kiosk of the commune ever had (revoked ones keep theirs) and no
// record of the commune carries: a slot is never given twice, so a code names one kiosk for ever.
Result<int> freeSlot(Database& db, const std::string& commune) {
    auto st = db.prepare(
        "SELECT slot FROM kiosks WHERE commune = ?1 AND slot IS NOT NULL UNION "
        "SELECT slot FROM kiosk_moves WHERE commune = ?1 AND slot IS NOT NULL UNION "
        "SELECT CAST(substr(code, 6, 2) AS INTEGER) FROM records WHERE commune = ?1 AND length(code) = 16 "
        "AND substr(code, 6, 1) BETWEEN '0' AND '9' AND substr(code, 7, 1) BETWEEN '0' AND '9'");
    if (!st) return st.error();
    st->bind(1, commune);
    std::vector<bool> used(kMaxKioskSlot + 1, false);
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        const int64_t slot = st->integer(0);
        if (slot >= 0 && slot <= kMaxKioskSlot) used[size_t(slot)] = true;
    }
    for (int slot = 1; slot <= kMaxKioskSlot; ++slot)
        if (!used[size_t(slot)]) return slot;
    return makeError("kiosk.slots-full",
                     "Xã " + commune +
                         " đã dùng hết 99 số máy trong mã biên nhận (01-99), kể cả của các "
                         "máy đã thu hồi; không đăng ký thêm máy được.",
                     "Commune " + commune +
                         " has used all 99 kiosk slots of the receipt code (01-99), "
                         "revoked kiosks included; no more kiosks can be enrolled.");
}

}  // namespace

Result<Enrollment> DistrictStore::enrollKiosk(const std::string& commune, int64_t nowMs) {
    Transaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();
    auto slot = freeSlot(m_db, commune);
    if (!slot) return slot.error();
    const std::string counter = readMeta(m_db, "next_kiosk_number");
    const long long number = std::max(1LL, std::atoll(counter.c_str()));
    Enrollment e{"k" + std::to_string(number), commune, newToken(), *slot};
    if (e.token.empty())
        return makeError("token.random", "Không tạo được mã bí mật ngẫu nhiên.",
                         "Could not generate a random token.");
    auto st =
        m_db.prepare("INSERT INTO kiosks(id, commune, token_sha256, created_at, slot) VALUES(?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, e.kioskId)
        .bind(2, commune)
        .bind(3, tokenHash(e.token))
        .bind(4, nowMs)
        .bind(5, int64_t(e.slot));
    if (auto r = st->run(); !r) return r.error();
    if (auto r = writeMeta(m_db, "next_kiosk_number", std::to_string(number + 1)); !r) return r.error();
    if (auto r = tx.commit(); !r) return r.error();
    return e;
}

Result<Enrollment> DistrictStore::moveKiosk(const std::string& kioskId, const std::string& commune,
                                            int64_t nowMs) {
    Transaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();
    auto st = m_db.prepare(
        "SELECT commune, slot, revoked, CASE WHEN created_at > coalesce(slot_told_at, ?2) THEN created_at "
        "ELSE coalesce(slot_told_at, ?2) END FROM kiosks WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, kioskId).bind(2, nowMs);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row)
        return makeError("kiosk.unknown", "Không có máy kiosk “" + kioskId + "”.",
                         "There is no kiosk \"" + kioskId + "\".");
    const std::string from = st->text(0);
    const std::optional<int64_t> oldSlot = optionalInteger(*st, 1);
    const bool revoked = st->integer(2) != 0;
    const int64_t zeroUntil = st->integer(3);
    st->reset();
    if (revoked)
        return makeError("kiosk.revoked", "Máy kiosk “" + kioskId + "” đã bị thu hồi.",
                         "Kiosk \"" + kioskId + "\" was revoked.");
    if (from == commune)
        return makeError("kiosk.same-commune", "Máy kiosk “" + kioskId + "” đã thuộc xã " + commune + ".",
                         "Kiosk \"" + kioskId + "\" is already enrolled under " + commune + ".");
    auto slot = freeSlot(m_db, commune);
    if (!slot) return slot.error();
    auto moved = m_db.prepare(
        "INSERT INTO kiosk_moves(kiosk_id, commune, slot, zero_until, moved_at) VALUES(?,?,?,?,?)");
    if (!moved) return moved.error();
    moved->bind(1, kioskId).bind(2, from).bind(4, zeroUntil).bind(5, nowMs);
    if (oldSlot)
        moved->bind(3, *oldSlot);
    else
        moved->bindNull(3);
    if (auto r = moved->run(); !r) return r.error();
    // slot_told_at starts again: codes of the new commune carry the new slot from the first one
    // (kioskctl init --slot), so no 00 code of the new commune is expected from this kiosk.
    auto update = m_db.prepare("UPDATE kiosks SET commune = ?, slot = ?, slot_told_at = ? WHERE id = ?");
    if (!update) return update.error();
    update->bind(1, commune).bind(2, int64_t(*slot)).bind(3, nowMs).bind(4, kioskId);
    if (auto r = update->run(); !r) return r.error();
    if (auto r = tx.commit(); !r) return r.error();
    return Enrollment{kioskId, commune, "", *slot};
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
        "queue_depth, free_disk_mb, slot, insecure_http, help_requested_ms FROM kiosks ORDER BY commune, "
        "CAST(substr(id, 2) AS INTEGER)");
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
        if (auto slot = optionalInteger(*st, 10)) k.slot = int(*slot);
        k.insecureHttp = st->integer(11) != 0;
        k.helpRequestedMs = optionalInteger(*st, 12);
        out.push_back(std::move(k));
    }
    return out;
}

Result<std::optional<KioskIdentity>> DistrictStore::findByToken(std::string_view token) {
    auto cachedSt = cached("SELECT id, commune, revoked, slot FROM kiosks WHERE token_sha256 = ?");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, tokenHash(token));
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<KioskIdentity>();
    KioskIdentity kiosk{st->text(0), st->text(1), st->integer(2) != 0, std::nullopt};
    if (auto slot = optionalInteger(*st, 3)) kiosk.slot = int(*slot);
    return std::optional<KioskIdentity>(std::move(kiosk));
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

Outcome DistrictStore::touch(const std::string& kioskId, int64_t lastSeenMs, int64_t slotToldMs) {
    auto cachedSt = cached(
        "UPDATE kiosks SET last_seen = CASE WHEN coalesce(last_seen, 0) > ?1 THEN last_seen ELSE ?1 END, "
        "slot_told_at = CASE WHEN ?3 > 0 AND slot IS NOT NULL THEN coalesce(slot_told_at, ?3) "
        "ELSE slot_told_at END WHERE id = ?2");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, lastSeenMs).bind(2, kioskId).bind(3, slotToldMs);
    return st->run();
}

// [SECTION] records

namespace {

// The rows of a records query (code, official_code, kind, commune, status, due, event_count).
Result<std::vector<RecordSummary>> recordSummaries(store::Statement& st) {
    std::vector<RecordSummary> out;
    while (true) {
        auto row = st.step();
        if (!row) return row.error();
        if (!*row) break;
        RecordSummary r;
        r.code = st.text(0);
        r.officialCode = st.text(1);
        r.kind = recordKindFromSlug(st.text(2)).value_or(RecordKind::Petition);
        r.commune = st.text(3);
        r.status = statusFromSlug(st.text(4)).value_or(RecordStatus::Received);
        r.due = Date::parse(st.text(5)).value_or(kNoDate);
        r.events = st.integer(6);
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

Result<std::vector<RecordSummary>> DistrictStore::records(const std::optional<std::string>& commune) {
    if (commune) return records(std::vector<std::string>{*commune});
    auto st = m_db.prepare(
        "SELECT code, official_code, kind, commune, status, due, event_count FROM records "
        "ORDER BY commune, submitted_at, code");
    if (!st) return st.error();
    return recordSummaries(*st);
}

Result<std::vector<RecordSummary>> DistrictStore::records(const std::vector<std::string>& communes) {
    if (communes.empty()) return std::vector<RecordSummary>();
    std::string list = "?";
    for (size_t i = 1; i < communes.size(); ++i) list += ", ?";
    auto st = m_db.prepare(
        "SELECT code, official_code, kind, commune, status, due, event_count FROM records "
        "WHERE commune IN (" +
        list + ") ORDER BY commune, submitted_at, code");
    if (!st) return st.error();
    for (size_t i = 0; i < communes.size(); ++i) st->bind(int(i + 1), communes[i]);
    return recordSummaries(*st);
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

Result<std::map<std::string, Record>> DistrictStore::recordsByCode(const std::vector<std::string>& codes) {
    static const MultiRowSql sql(std::string("SELECT ") + kRecordAndIdentityColumns +
                                     " FROM records r LEFT JOIN identities i ON i.record_code = r.code"
                                     " WHERE r.code IN (",
                                 "?", ")");
    std::map<std::string, Record> out;
    for (size_t from = 0; from < codes.size(); from += MultiRowSql::kMaxRows) {
        const size_t n = std::min(MultiRowSql::kMaxRows, codes.size() - from);
        auto cachedSt = cached(sql.rows(n));
        if (!cachedSt) return cachedSt.error();
        StatementScope st(*cachedSt);
        for (size_t i = 0; i < n; ++i) st->bind(int(i + 1), codes[from + i]);
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            Record r = recordFromRow(*st);
            std::string code = r.code;
            out.emplace(std::move(code), std::move(r));
        }
    }
    return out;
}

Result<std::vector<CodeMismatch>> DistrictStore::codeMismatches() {
    // Per commune: its kiosks' slots, and the latest serial a kiosk of it may have printed as 00:
    // until its first whoami told it its slot, or until now for one that has asked none yet
    // (push_judgement.cpp); a 00 code after that came from no kiosk still waiting for its slot.
    std::map<std::string, std::pair<std::set<int>, uint64_t>> communes;
    const int64_t nowMs = int64_t(wallClockMillis());
    auto kiosksSt = m_db.prepare(
        "SELECT commune, slot, CASE WHEN created_at > coalesce(slot_told_at, ?1) THEN created_at "
        "ELSE coalesce(slot_told_at, ?1) END FROM kiosks UNION ALL "
        "SELECT commune, slot, zero_until FROM kiosk_moves");
    if (!kiosksSt) return kiosksSt.error();
    kiosksSt->bind(1, nowMs);
    while (true) {
        auto row = kiosksSt->step();
        if (!row) return row.error();
        if (!*row) break;
        auto& [slots, lastEnrolled] = communes[kiosksSt->text(0)];
        if (auto slot = optionalInteger(*kiosksSt, 1)) slots.insert(int(*slot));
        lastEnrolled = std::max(lastEnrolled, receiptSerialAt(kiosksSt->integer(2) / 1000));
    }
    auto st = m_db.prepare("SELECT code, commune FROM records ORDER BY commune, code");
    if (!st) return st.error();
    std::vector<CodeMismatch> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        CodeMismatch m{st->text(0), st->text(1), ""};
        auto parsed = parseReceiptCode(m.code);
        const auto known = communes.find(m.commune);
        if (!parsed || parsed->digits != m.code) {
            m.reason = "code-invalid";
        } else if (m.commune == kServerIntakeCommune && parsed->commune == m.commune && parsed->slot == 0) {
            // The server's own series (core/receipt_code.h): no kiosk, no slot.
        } else if (parsed->commune != m.commune) {
            m.reason = "code-foreign";
        } else if (known == communes.end() ||
                   (parsed->slot == 0 ? parsed->serial > known->second.second
                                      : known->second.first.count(parsed->slot) == 0)) {
            m.reason = "code-slot";
        }
        if (!m.reason.empty()) out.push_back(std::move(m));
    }
    return out;
}

// [SECTION] writer

Outcome DistrictStore::becomeWriter() {
    if (m_writerSetUp) return {};
    // Only the committer's writer connection judges pushes. A group of a few hundred pushes touches
    // thousands of pages: with SQLite's default 2 MB cache they spill and are read back from the
    // file during the next group. Checkpoints are the server's checkpointer thread's work
    // (district_server.cpp); the writer checkpoints itself only when the WAL outgrows
    // kWriterCheckpointPages (the checkpointer is stopped or cannot keep up).
    m_writerSetUp = true;
    if (m_db.isPostgres()) return {};  // the server's shared_buffers and checkpoints serve every connection
    if (auto r = m_db.exec(std::string("PRAGMA cache_size = -") + std::to_string(kWriterCacheKib)); !r)
        return r;
    sqlite3_wal_autocheckpoint(m_db.handle(), kWriterCheckpointPages);
    return {};
}

// [SECTION] change feed

Result<int64_t> DistrictStore::appendChange(const std::string& commune, protocol::ChangeType type,
                                            std::string_view body, int64_t createdAtMs) {
    auto cachedSt =
        cached("INSERT INTO changes(commune, type, body, created_at) VALUES(?,?,?,?) RETURNING seq");
    if (!cachedSt) return cachedSt.error();
    StatementScope st(*cachedSt);
    st->bind(1, commune).bind(2, protocol::toSlug(type)).bind(3, body).bind(4, createdAtMs);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return makeError("db.error", "Không ghi được thay đổi.", "The change was not written.");
    const int64_t seq = st->integer(0);
    // Stepped to the end, as run() would: SQLite finishes the INSERT only then.
    if (auto done = st->step(); !done) return done.error();
    return seq;
}

Outcome DistrictStore::appendChanges(const std::string& commune,
                                     const std::vector<std::pair<protocol::ChangeType, std::string>>& changes,
                                     int64_t createdAtMs, StatementBatch& batch) {
    // Rows are numbered in the order of the VALUES list on both engines: the feed keeps their order.
    static const MultiRowSql sql("INSERT INTO changes(commune, type, body, created_at) VALUES ", "(?,?,?,?)",
                                 "");
    for (size_t from = 0; from < changes.size(); from += MultiRowSql::kMaxRows) {
        const size_t n = std::min(MultiRowSql::kMaxRows, changes.size() - from);
        auto st = batch.add(sql.rows(n));
        if (!st) return st.error();
        for (size_t i = 0; i < n; ++i) {
            const auto& [type, body] = changes[from + i];
            const int at = int(i) * 4;
            (*st)
                ->bind(at + 1, commune)
                .bind(at + 2, protocol::toSlug(type))
                .bind(at + 3, body)
                .bind(at + 4, createdAtMs);
        }
    }
    return {};
}

StatementBatch::~StatementBatch() {
    for (store::Statement* st : m_waiting) st->reset();
}

Result<store::Statement*> StatementBatch::add(const char* sql) {
    auto st = m_store.cached(sql);
    if (!st) return st.error();
    if (std::find(m_waiting.begin(), m_waiting.end(), *st) != m_waiting.end()) {
        if (auto r = run(); !r) return r.error();
    }
    m_waiting.push_back(*st);
    return *st;
}

Outcome StatementBatch::run() {
    auto outcome = m_store.database().runAll(m_waiting);  // resets them, run or not
    m_waiting.clear();
    return outcome;
}

MultiRowSql::MultiRowSql(std::string_view head, std::string_view row, std::string_view tail,
                         std::optional<std::string_view> more) {
    m_texts.reserve(kMaxRows);
    std::string rows;
    for (size_t n = 1; n <= kMaxRows; ++n) {
        if (n > 1) rows += ", ";
        rows += row;
        m_texts.push_back(std::string(head) + rows + std::string(tail) +
                          (more ? rows + std::string(*more) : std::string()));
    }
}

const char* MultiRowSql::rows(size_t n) const { return m_texts.at(n - 1).c_str(); }

// [SECTION] pull

Result<PullPage> DistrictStore::pull(const KioskIdentity& kiosk, const protocol::Cursor& since, int limit,
                                     const CommuneHoldings* holdings) {
    PullPage page;
    const std::string fingerprint = holdings ? holdings->fingerprint : std::string();
    // A cursor made for other holdings (a succession took effect since) would skip the older
    // changes of the communes added: the kiosk starts again from "0" (docs/sync-protocol.md).
    const bool otherHoldings = !since.storeId.empty() && since.holdings != fingerprint;
    if ((!since.storeId.empty() && since.storeId != m_storeId) || otherHoldings) {
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
    const std::vector<std::string> own{kiosk.commune};
    const std::vector<std::string>& communes = holdings ? holdings->communes : own;
    if (auto read = readChanges(communes, since.seq, limit, page.changes); !read) return read.error();
    page.more = int(page.changes.size()) > limit;
    if (page.more) page.changes.resize(size_t(limit));
    // With nothing more to send, every change up to `newest` in this snapshot has been seen: the
    // cursor can skip other communes' changes instead of scanning past them again.
    int64_t nextSeq = page.changes.empty() ? since.seq : page.changes.back().seq;
    if (!page.more) nextSeq = std::max(nextSeq, newest);
    page.next = protocol::encodeCursor(protocol::Cursor{nextSeq, m_storeId, fingerprint});
    return page;
}

Outcome DistrictStore::readChanges(const std::vector<std::string>& communes, int64_t since, int limit,
                                   std::vector<protocol::StoredChange>& out) {
    // Each commune's changes and the district-wide ones, each read in seq order from the index with
    // its own LIMIT, then merged: the index serves every part, whatever the feed's size.
    std::optional<Statement> own;
    Statement* statement = nullptr;
    if (communes.size() == 1) {
        auto cachedSt = cached(
            "SELECT seq, body FROM (SELECT seq, body FROM changes WHERE commune = ?1 AND seq > ?2 "
            "ORDER BY seq LIMIT ?3) AS own UNION ALL SELECT seq, body FROM (SELECT seq, body FROM changes "
            "WHERE commune = '' AND seq > ?2 ORDER BY seq LIMIT ?3) AS everyone ORDER BY seq LIMIT ?3");
        if (!cachedSt) return cachedSt.error();
        statement = *cachedSt;
    } else {
        // A successor's holdings: a handful of communes, a statement made for this request.
        std::string sql;
        for (size_t i = 0; i <= communes.size(); ++i) {
            const std::string commune = i < communes.size() ? "?" + std::to_string(i + 4) : std::string("''");
            sql += (i ? " UNION ALL " : "") +
                   std::string("SELECT seq, body FROM (SELECT seq, body FROM changes ") +
                   "WHERE commune = " + commune + " AND seq > ?2 ORDER BY seq LIMIT ?3) AS part" +
                   std::to_string(i);
        }
        auto prepared = m_db.prepare(sql + " ORDER BY seq LIMIT ?3");
        if (!prepared) return prepared.error();
        own = std::move(*prepared);
        statement = &*own;
    }
    StatementScope st(statement);
    if (communes.size() == 1) st->bind(1, communes[0]);
    for (size_t i = 0; communes.size() > 1 && i < communes.size(); ++i) st->bind(int(i + 4), communes[i]);
    st->bind(2, since).bind(3, int64_t(limit) + 1);
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back({st->integer(0), st->text(1)});
    }
    return {};
}

}  // namespace kiosk::district
