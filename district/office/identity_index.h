#pragma once
// The district's keyed index of sealed identities, so the identity search (district/dashboard/
// identity_search.cpp) opens the seals of the records that can match instead of every record's.
//
// It is: for each record whose seal the district opens, tokens = 16 bits of a keyed BLAKE2b of every
// prefix of every word of the citizen's name (core searchWords, as matchesRecordQuery folds it) and
// of every 3 digits in a row of the phone and of the số định danh, stored in identity_tokens; and
// identity_indexed, the records already seen. The key is DistrictKeyRing::indexKey(): derived from
// the key file, never in the database, so the tokens of a copy of the database cannot be made again
// or tested without the key file (docs/security.md "Finding a record by name or phone at the
// district"). A tố cáo's tokens are made with a key of their own (denouncerIndexKey), so none equals
// a token of another record: a copy of the database does not tie a denouncer to the citizen of
// another record; only the role that may read a denouncer searches them. The index is a pre-filter:
// collisions are meant, and the search still opens each candidate and matches it exactly.
// It is not: the search itself, nor who may search (identity_search.cpp).
// Callers: the search (queryTokens, the meta key), the indexer thread of `serve`
// (IdentityIndexer, started by district/server), tests and bench. Free functions on a DistrictStore:
// one store per thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "core/record_search.h"
#include "core/records.h"
#include "district/office/keys.h"
#include "district/store/district_store.h"

namespace kiosk::district {

// The meta row naming the index key the tokens were made with (DistrictKeyRing::indexKeyName): a
// search whose key file names another uses no token (the index is being made again).
constexpr const char* kIdentityIndexKeyMeta = "identity_index_key";
// Prefixes longer than this share its token: a query word that long still narrows enough.
constexpr size_t kIdentityTokenPrefixMax = 16;

// The distinct tokens of an identity, sorted. indexKey: crypto_kdf_KEYBYTES (DistrictKeyRing's
// indexKey, or denouncerIndexKey for a tố cáo).
std::vector<int64_t> identityTokens(const unsigned char* indexKey, const Identity& identity);
// The distinct tokens, sorted, that a record matching `query` by its identity holds all of: each
// word's (cut at kIdentityTokenPrefixMax), or each 3 digits in a row of a digit query.
std::vector<int64_t> queryTokens(const unsigned char* indexKey, const RecordQuery& query);

// Makes the stored index agree with the key file: tokens made with another index key (a new key
// file) are all dropped and the index starts again; when the file holds other sealing keys than when
// the index was made (a rotation, a restored file), the records whose seal did not open are seen
// again. Cheap when nothing changed. Returns whether anything was dropped.
Result<bool> alignIdentityIndex(DistrictStore& store, const DistrictKeyRing& ring);
// Indexes up to `limit` records not yet indexed whose code comes after `after` (in code order;
// "" = from the first), opening each seal once (what is opened is wiped before return) and writing
// in one transaction; `after` becomes the last code indexed. Returns how many; 0 when none is left.
// Call alignIdentityIndex with the same ring first.
Result<size_t> indexIdentities(DistrictStore& store, const DistrictKeyRing& ring, size_t limit,
                               std::string& after);
// Indexes the records of up to `limit` accepted Submit/Register events stored after `mark` (SQLite's
// rowid, PostgreSQL's received_order) not yet indexed; `mark` becomes the last event read.
Result<size_t> indexNewIdentities(DistrictStore& store, const DistrictKeyRing& ring, int64_t& mark,
                                  size_t limit);
// The mark of the last event stored (0 without any).
Result<int64_t> lastEventOrder(DistrictStore& store);
// Whether any record is not yet indexed (a scan of every record: for tests).
Result<bool> identitiesToIndex(DistrictStore& store);

struct IdentityIndexerOptions {
    int intervalMs = 1000;            // how often it looks for new events (a cheap look)
    int keyCheckMs = 10 * 60 * 1000;  // how often it passes over every record, reading the key file
    size_t batch = 100;               // records per transaction: keeps each write short for the pushes
    std::function<void(const std::string&)> log;
};

// The thread of `serve` that indexes records after they arrive, off the push path: it looks every
// intervalMs for events stored since its last look, and reads the key file (DistrictKeyRing) only
// when some arrived or a pass over every record is due (at start, then every keyCheckMs), dropping
// it after. Starts in the constructor, stops and joins in the destructor.
class IdentityIndexer {
public:
    IdentityIndexer(std::string dbPath, IdentityIndexerOptions options);
    ~IdentityIndexer();
    IdentityIndexer(const IdentityIndexer&) = delete;
    IdentityIndexer& operator=(const IdentityIndexer&) = delete;

private:
    void run();
    // Waits until stopping or ms pass; false when stopping.
    bool waitFor(int ms);
    bool stopping();
    Outcome cycle(DistrictStore& store);
    void logOnce(const std::string& line);

    std::string m_dbPath;
    IdentityIndexerOptions m_options;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::string m_lastLog;  // the same failure is logged once, not every interval
    // The indexer thread's own: whether a pass over every record ended, when the last began, and
    // the last event looked at.
    bool m_passed = false;
    std::chrono::steady_clock::time_point m_lastPass;
    int64_t m_mark = 0;
    std::thread m_thread;
};

}  // namespace kiosk::district
