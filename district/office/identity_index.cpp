#include "district/office/identity_index.h"

#include <sodium.h>

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

Outcome alignIdentityIndex(DistrictStore& store, const DistrictKeyRing& ring) {
    Database& db = store.database();
    const std::string indexKey = ring.indexKeyName();
    const std::string sealingKeys = ring.sealingKeysName();
    const bool sameIndexKey = store::readMeta(db, kIdentityIndexKeyMeta) == indexKey;
    if (sameIndexKey && store::readMeta(db, kSealingKeysMeta) == sealingKeys) return {};
    store::Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    if (!sameIndexKey) {
        if (auto ok = db.exec("DELETE FROM identity_tokens"); !ok) return ok;
        if (auto ok = db.exec("DELETE FROM identity_indexed"); !ok) return ok;
    } else if (auto ok = db.exec("DELETE FROM identity_indexed WHERE opened = 0"); !ok) {
        return ok;
    }
    if (auto ok = store::writeMeta(db, kIdentityIndexKeyMeta, indexKey); !ok) return ok;
    if (auto ok = store::writeMeta(db, kSealingKeysMeta, sealingKeys); !ok) return ok;
    return tx.commit();
}

namespace {

constexpr const char* kNotIndexed =
    "SELECT r.code, r.petition_kind FROM records r WHERE NOT EXISTS (SELECT 1 FROM identity_indexed x "
    "WHERE x.record = r.code) ORDER BY r.submitted_at DESC, r.code";

struct Indexed {
    std::string record;
    bool opened = false;
    std::vector<int64_t> tokens;
};

// Rows of (int, text) pairs into `table`, many a statement: on PostgreSQL a statement per row would be
// a round trip per token.
Outcome insertPairs(Database& db, const std::string& table,
                    const std::vector<std::pair<int64_t, std::string>>& rows, const char* columns) {
    constexpr size_t kRowsPerStatement = 200;
    for (size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
        const size_t count = std::min(kRowsPerStatement, rows.size() - start);
        std::string sql = "INSERT INTO " + table + "(" + columns + ") VALUES (?, ?)";
        for (size_t i = 1; i < count; ++i) sql += ", (?, ?)";
        auto st = db.prepare(sql + " ON CONFLICT DO NOTHING");
        if (!st) return st.error();
        for (size_t i = 0; i < count; ++i) {
            const bool tokenFirst = std::string_view(columns).rfind("token", 0) == 0;
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
    if (auto ok = insertPairs(db, "identity_tokens", tokens, "token, record"); !ok) return ok;
    if (auto ok = insertPairs(db, "identity_indexed", marks, "record, opened"); !ok) return ok;
    return tx.commit();
}

}  // namespace

Result<size_t> indexIdentities(DistrictStore& store, const DistrictKeyRing& ring, size_t limit) {
    if (!ring.indexKey() || !ring.denouncerIndexKey()) return size_t(0);
    Database& db = store.database();
    auto st = db.prepare(std::string(kNotIndexed) + " LIMIT ?");
    if (!st) return st.error();
    st->bind(1, int64_t(limit));
    std::vector<std::string> codes;
    std::vector<bool> denunciation;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        codes.push_back(st->text(0));
        denunciation.push_back(st->text(1) == "to-cao");
    }
    if (codes.empty()) return size_t(0);
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
    if (auto ok = writeIndexed(db, done); !ok) return ok.error();
    return codes.size();
}

Result<bool> identitiesToIndex(DistrictStore& store) {
    auto st = store.database().prepare(std::string(kNotIndexed) + " LIMIT 1");
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

void IdentityIndexer::logOnce(const std::string& line) {
    if (line == m_lastLog) return;
    m_lastLog = line;
    if (m_options.log) m_options.log(line);
}

void IdentityIndexer::cycle(DistrictStore& store, std::chrono::steady_clock::time_point& lastKeyCheck) {
    const auto now = std::chrono::steady_clock::now();
    auto pending = identitiesToIndex(store);
    if (!pending) return logOnce("identity index: " + pending.error().en);
    const bool keyCheck = now - lastKeyCheck >= std::chrono::milliseconds(m_options.keyCheckMs);
    // Without a district key there is no seal to open; the key file is read only when needed.
    if ((!*pending && !keyCheck) || districtPublicKey(store).empty()) return;
    auto ring = DistrictKeyRing::load(store);
    if (!ring) return logOnce("identity index: " + ring.error().en);
    lastKeyCheck = now;
    if (auto ok = alignIdentityIndex(store, *ring); !ok) return logOnce("identity index: " + ok.error().en);
    while (true) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) return;
        }
        auto indexed = indexIdentities(store, *ring, m_options.batch);
        if (!indexed) return logOnce("identity index: " + indexed.error().en);
        if (*indexed == 0) break;
    }
    m_lastLog.clear();
}

void IdentityIndexer::run() {
    auto lastKeyCheck = std::chrono::steady_clock::now() - std::chrono::hours(24);
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
        cycle(*store, lastKeyCheck);
    } while (waitFor(m_options.intervalMs));
}

}  // namespace kiosk::district
