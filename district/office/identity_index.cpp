#include "district/office/identity_index.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <set>
#include <utility>

#include "common/meta.h"
#include "common/sealing.h"

// [SECTION] index
//   tokens     identityTokens, queryTokens
//   store      alignIdentityIndex, indexIdentities, identitiesToIndex
//   indexer    IdentityIndexer

namespace kiosk::district {

using store::Database;

namespace {

// The sealing keys the index was last aligned with (DistrictKeyRing::sealingKeysName).
constexpr const char* kSealingKeysMeta = "identity_index_sealing_keys";

// A name prefix and 3 digits are hashed apart ('n', 'd'), so three digits of a name word never
// stand for three digits of a phone.
int64_t token(const unsigned char* key, char domain, std::string_view text) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, crypto_kdf_KEYBYTES, 16);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&domain), 1);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    unsigned char hash[16];
    crypto_generichash_final(&state, hash, sizeof hash);
    // 16 bits: about 65,000 values, so a token is shared by unrelated prefixes in a district of a
    // few thousand names, and one search opens a handful of records more than it shows.
    return int64_t(hash[0]) | int64_t(hash[1]) << 8;
}

void addDigitWindows(const unsigned char* key, const std::string& digits, std::set<int64_t>& out) {
    for (size_t i = 0; i + 3 <= digits.size(); ++i) {
        const std::string_view window(digits.data() + i, 3);
        bool allDigits = true;
        for (char ch : window) allDigits &= std::isdigit(static_cast<unsigned char>(ch)) != 0;
        if (allDigits) out.insert(token(key, 'd', window));
    }
}

void wipe(PrivatePart& part) {
    common::wipe(part.identity.name);
    common::wipe(part.identity.cccd);
    common::wipe(part.identity.phone);
    common::wipe(part.identity.address);
    common::wipe(part.identity.writerName);
    common::wipe(part.identity.writerRelation);
    common::wipe(part.content);
}

}  // namespace

// [SECTION] tokens

std::vector<int64_t> identityTokens(const unsigned char* indexKey, const Identity& identity) {
    std::set<int64_t> out;
    std::vector<std::string> words = searchWords(identity.name);
    for (std::string& word : words) {
        for (size_t length = 1; length <= std::min(word.size(), kIdentityTokenPrefixMax); ++length)
            out.insert(token(indexKey, 'n', std::string_view(word.data(), length)));
        common::wipe(word);
    }
    addDigitWindows(indexKey, identity.phone, out);
    addDigitWindows(indexKey, identity.cccd, out);
    return {out.begin(), out.end()};
}

std::vector<int64_t> queryTokens(const unsigned char* indexKey, const RecordQuery& query) {
    std::set<int64_t> out;
    if (!query.words.empty()) {
        for (const std::string& word : query.words)
            out.insert(token(indexKey, 'n',
                             std::string_view(word.data(), std::min(word.size(), kIdentityTokenPrefixMax))));
    } else {
        addDigitWindows(indexKey, query.digits, out);
    }
    return {out.begin(), out.end()};
}

// [SECTION] store

Result<bool> alignIdentityIndex(DistrictStore& store, const DistrictKeyRing& ring) {
    Database& db = store.database();
    const std::string indexKey = ring.indexKeyName();
    const std::string sealingKeys = ring.sealingKeysName();
    if (indexKey.empty()) return false;  // a file without a usable key: nothing is indexed
    const bool sameIndexKey = store::readMeta(db, kIdentityIndexKeyMeta) == indexKey;
    if (sameIndexKey && store::readMeta(db, kSealingKeysMeta) == sealingKeys) return false;
    store::Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    if (!sameIndexKey) {
        if (auto ok = db.exec("DELETE FROM identity_tokens"); !ok) return ok.error();
        if (auto ok = db.exec("DELETE FROM identity_indexed"); !ok) return ok.error();
    } else if (auto ok = db.exec("DELETE FROM identity_indexed WHERE opened = 0"); !ok) {
        return ok.error();
    }
    if (auto ok = store::writeMeta(db, kIdentityIndexKeyMeta, indexKey); !ok) return ok.error();
    if (auto ok = store::writeMeta(db, kSealingKeysMeta, sealingKeys); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return true;
}

namespace {

constexpr const char* kNotIndexed = "NOT EXISTS (SELECT 1 FROM identity_indexed x WHERE x.record = r.code)";

struct Indexed {
    std::string record;
    bool opened = false;
    std::vector<int64_t> tokens;
};

// Rows of (int, text) pairs into `table`, many a statement: on PostgreSQL a statement per row would be
// a round trip per token.
Outcome insertPairs(Database& db, const std::string& table,
                    const std::vector<std::pair<int64_t, std::string>>& rows, bool tokenFirst) {
    constexpr size_t kRowsPerStatement = 200;
    for (size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
        const size_t count = std::min(kRowsPerStatement, rows.size() - start);
        std::string sql =
            "INSERT INTO " + table + (tokenFirst ? "(token, record)" : "(record, opened)") + " VALUES (?, ?)";
        for (size_t i = 1; i < count; ++i) sql += ", (?, ?)";
        auto st = db.prepare(sql + " ON CONFLICT DO NOTHING");
        if (!st) return st.error();
        for (size_t i = 0; i < count; ++i) {
            const auto& [number, text] = rows[start + i];
            if (tokenFirst)
                st->bind(int(2 * i + 1), number).bind(int(2 * i + 2), text);
            else
                st->bind(int(2 * i + 1), text).bind(int(2 * i + 2), number);
        }
        if (auto ok = st->run(); !ok) return ok;
    }
    return {};
}

Outcome writeIndexed(Database& db, const std::vector<Indexed>& done) {
    std::vector<std::pair<int64_t, std::string>> tokens, marks;
    for (const Indexed& one : done) {
        marks.emplace_back(one.opened ? 1 : 0, one.record);
        for (int64_t t : one.tokens) tokens.emplace_back(t, one.record);
    }
    store::Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    if (auto ok = insertPairs(db, "identity_tokens", tokens, true); !ok) return ok;
    if (auto ok = insertPairs(db, "identity_indexed", marks, false); !ok) return ok;
    return tx.commit();
}

// Opens each record's seal once and writes its tokens; codes[i] is a tố cáo when denunciation[i].
Outcome indexThese(DistrictStore& store, const DistrictKeyRing& ring, const std::vector<std::string>& codes,
                   const std::vector<bool>& denunciation) {
    auto seals = sealedPrivateParts(store, codes);
    if (!seals) return seals.error();
    std::vector<Indexed> done(codes.size());
    for (size_t i = 0; i < codes.size(); ++i) {
        done[i].record = codes[i];
        if (!(*seals)[i]) continue;
        auto part = ring.open(*(*seals)[i]);
        if (!part) continue;  // a lost or foreign key: seen again when the key file changes
        done[i].opened = true;
        // A denouncer's tokens under a key of their own: equal to no other record's.
        done[i].tokens =
            identityTokens(denunciation[i] ? ring.denouncerIndexKey() : ring.indexKey(), part->identity);
        wipe(*part);
    }
    return writeIndexed(store.database(), done);
}

// The codes and kinds of a statement's rows (code, petition_kind).
Outcome readCodes(store::Statement& st, std::vector<std::string>& codes, std::vector<bool>& denunciation) {
    while (true) {
        auto row = st.step();
        if (!row) return row.error();
        if (!*row) return {};
        codes.push_back(st.text(0));
        denunciation.push_back(st.text(1) == "to-cao");
    }
}

const char* eventOrder(const Database& db) { return db.isPostgres() ? "received_order" : "rowid"; }

}  // namespace

Result<size_t> indexIdentities(DistrictStore& store, const DistrictKeyRing& ring, size_t limit,
                               std::string& after) {
    if (!ring.indexKey() || !ring.denouncerIndexKey()) return size_t(0);
    // By code from a cursor, so a pass over a large district reads each record once.
    auto st = store.database().prepare(
        std::string("SELECT r.code, r.petition_kind FROM records r WHERE r.code > ? AND ") + kNotIndexed +
        " ORDER BY r.code LIMIT ?");
    if (!st) return st.error();
    st->bind(1, after).bind(2, int64_t(limit));
    std::vector<std::string> codes;
    std::vector<bool> denunciation;
    if (auto ok = readCodes(*st, codes, denunciation); !ok) return ok.error();
    if (codes.empty()) return size_t(0);
    if (auto ok = indexThese(store, ring, codes, denunciation); !ok) return ok.error();
    after = codes.back();
    return codes.size();
}

Result<size_t> indexNewIdentities(DistrictStore& store, const DistrictKeyRing& ring, int64_t& mark,
                                  size_t limit) {
    if (!ring.indexKey() || !ring.denouncerIndexKey()) return size_t(0);
    Database& db = store.database();
    const std::string order = eventOrder(db);
    auto st = db.prepare("SELECT e.record, r.petition_kind, e." + order +
                         " FROM events e JOIN records r ON r.code = e.record WHERE e." + order +
                         " > ? AND e.verdict = 'accepted' AND e.action IN ('submit','register') AND " +
                         kNotIndexed + " ORDER BY e." + order + " LIMIT ?");
    if (!st) return st.error();
    st->bind(1, mark).bind(2, int64_t(limit));
    std::vector<std::string> codes;
    std::vector<bool> denunciation;
    int64_t last = mark;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        last = st->integer(2);
        if (std::find(codes.begin(), codes.end(), st->text(0)) != codes.end()) continue;
        codes.push_back(st->text(0));
        denunciation.push_back(st->text(1) == "to-cao");
    }
    if (!codes.empty())
        if (auto ok = indexThese(store, ring, codes, denunciation); !ok) return ok.error();
    mark = last;
    return codes.size();
}

Result<int64_t> lastEventOrder(DistrictStore& store) {
    Database& db = store.database();
    auto st = db.prepare(std::string("SELECT COALESCE(MAX(") + eventOrder(db) + "), 0) FROM events");
    if (!st) return st.error();
    if (auto row = st->step(); !row) return row.error();
    return st->integer(0);
}

Result<bool> identitiesToIndex(DistrictStore& store) {
    auto st = store.database().prepare(std::string("SELECT r.code FROM records r WHERE ") + kNotIndexed +
                                       " LIMIT 1");
    if (!st) return st.error();
    return st->step();
}

// [SECTION] indexer

IdentityIndexer::IdentityIndexer(std::string dbPath, IdentityIndexerOptions options)
    : m_dbPath(std::move(dbPath)), m_options(std::move(options)) {
    m_thread = std::thread([this] { run(); });
}

IdentityIndexer::~IdentityIndexer() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

bool IdentityIndexer::waitFor(int ms) {
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, std::chrono::milliseconds(std::max(1, ms)), [this] { return m_stopping; });
    return !m_stopping;
}

bool IdentityIndexer::stopping() {
    std::lock_guard lock(m_mutex);
    return m_stopping;
}

void IdentityIndexer::logOnce(const std::string& line) {
    if (line == m_lastLog) return;
    m_lastLog = line;
    if (m_options.log) m_options.log(line);
}

// A pass over every record (at start, after the index was emptied, and every keyCheckMs: what the
// events missed — on PostgreSQL a transaction may commit after a later one — is found then). Between
// passes, the events stored since the last look name the new records: a look costs what arrived.
Outcome IdentityIndexer::cycle(DistrictStore& store) {
    const auto now = std::chrono::steady_clock::now();
    const bool passDue = !m_passed || now - m_lastPass >= std::chrono::milliseconds(m_options.keyCheckMs);
    // Read before indexing: what is stored meanwhile is looked at next time.
    auto latest = lastEventOrder(store);
    if (!latest) return latest.error();
    if (passDue)
        m_mark = *latest;
    else if (*latest <= m_mark)
        return {};
    // Without a district key there is no seal to open; the key file is read only when needed.
    if (districtPublicKey(store).empty()) return {};
    auto ring = DistrictKeyRing::load(store);
    if (!ring) return ring.error();
    auto emptied = alignIdentityIndex(store, *ring);
    if (!emptied) return emptied.error();
    if (passDue || *emptied) {
        std::string after;
        while (!stopping()) {
            auto indexed = indexIdentities(store, *ring, m_options.batch, after);
            if (!indexed) return indexed.error();
            if (*indexed == 0) break;
        }
        m_passed = !stopping();
        m_lastPass = now;
        return {};
    }
    while (!stopping()) {
        auto indexed = indexNewIdentities(store, *ring, m_mark, m_options.batch);
        if (!indexed) return indexed.error();
        if (*indexed == 0) break;
    }
    // Events that brought no new record (actions, records already indexed) are not looked at again.
    m_mark = std::max(m_mark, *latest);
    return {};
}

void IdentityIndexer::run() {
    std::unique_ptr<DistrictStore> store;
    do {
        if (!store) {
            auto opened = DistrictStore::open(m_dbPath, false);
            if (!opened) {
                logOnce("identity index: " + opened.error().en);
                continue;
            }
            store = std::move(*opened);
        }
        if (auto ok = cycle(*store); !ok)
            logOnce("identity index: " + ok.error().en);
        else
            m_lastLog.clear();
    } while (waitFor(m_options.intervalMs));
}

}  // namespace kiosk::district
