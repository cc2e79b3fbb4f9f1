// Finding a record by the citizen's name, phone or số định danh at the district. Nothing
// searchable about a citizen is on disk in the clear (docs/security.md "What is sealed"): the keyed
// index (district/office/identity_index.h) names the records that can match, and the search opens
// only their seals, and those of records not yet indexed (a bounded number), in memory, for this
// one answer, matching each exactly; it writes nothing opened anywhere. Only roles that may read
// identities search this way, and every search is an identity reading: logged before any seal is
// opened, and each record it shows logged as read.
#include <httplib.h>

#include <optional>
#include <string>
#include <vector>

#include "core/record_search.h"
#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
#include "district/office/identity_index.h"
#include "district/office/keys.h"

namespace kiosk::district {

using namespace dash;

namespace {

// Seals of records not yet indexed opened by one search at most, newest records first: about 0.1 ms
// each; a district with more narrows by commune (docs/security.md). Records the index covers are
// not counted: only their candidates are opened.
constexpr int64_t kMaxCandidates = 5000;
constexpr size_t kMaxMatches = 50;
// Seals fetched a statement at a time: the search stops at kMaxMatches, seldom needing them all.
constexpr size_t kSealBatch = 100;

struct Scope {
    bool denouncers = false;            // the role may read a denouncer: tố cáo are candidates
    std::vector<std::string> holdings;  // the chosen commune and the units it holds; empty: all
};

struct Candidate {
    std::string code;
    bool direct = false;  // not indexed: opened whatever the query
};

struct Candidates {
    std::vector<Candidate> list;  // newest first, as the lists order records
    int64_t inScope = 0;          // the records of the scope
    int64_t skipped = 0;          // direct candidates over kMaxCandidates, not searched
};

std::string scopeSql(const Scope& scope) {
    std::string sql = "(? = 1 OR r.petition_kind IS NULL OR r.petition_kind <> 'to-cao')";
    if (!scope.holdings.empty()) {
        sql += " AND r.commune IN (?";
        for (size_t i = 1; i < scope.holdings.size(); ++i) sql += ", ?";
        sql += ")";
    }
    return sql;
}

int bindScope(store::Statement& st, int at, const Scope& scope) {
    st.bind(at++, int64_t(scope.denouncers ? 1 : 0));
    for (const std::string& h : scope.holdings) st.bind(at++, h);
    return at;
}

// The query's tokens: under the index key for every record, under the denouncers' for a tố cáo
// (identity_index.h); both empty when the key file could not be read.
struct QueryTokens {
    std::vector<int64_t> others;
    std::vector<int64_t> denouncers;  // empty unless the role may read a denouncer
};

std::string holdsAll(size_t tokens) {
    std::string sql = "r.code IN (SELECT t.record FROM identity_tokens t WHERE t.token IN (?";
    for (size_t i = 1; i < tokens; ++i) sql += ", ?";
    return sql + ") GROUP BY t.record HAVING COUNT(*) = ?)";
}

// One statement, so the index and the key it was made with are read from one snapshot: a record is
// a candidate when it holds every token of the query (or, for digits, its code holds them, as
// matchesRecordQuery says), or when the index cannot answer for it. Tokens made with another key
// than indexKeyName (the index being made again) count for nothing.
std::string candidateSql(const Scope& scope, const QueryTokens& tokens, bool digits) {
    std::string sql =
        "SELECT r.code, CASE WHEN x.record IS NULL OR k.ok = 0 THEN 1 ELSE 0 END "
        "FROM records r CROSS JOIN (SELECT COUNT(*) AS ok FROM meta WHERE key = ? AND value = ?) k "
        "LEFT JOIN identity_indexed x ON x.record = r.code WHERE " +
        scopeSql(scope) + " AND (x.record IS NULL OR k.ok = 0";
    if (!tokens.others.empty())
        sql += " OR (x.opened = 1 AND (r.petition_kind IS NULL OR r.petition_kind <> 'to-cao') AND " +
               holdsAll(tokens.others.size()) + ")";
    if (!tokens.denouncers.empty())
        sql += " OR (x.opened = 1 AND r.petition_kind = 'to-cao' AND " + holdsAll(tokens.denouncers.size()) +
               ")";
    if (digits) sql += " OR (x.opened = 1 AND r.code LIKE ?)";
    return sql + ") ORDER BY r.submitted_at DESC, r.code";
}

Result<Candidates> findCandidates(store::Database& db, const Scope& scope, const std::string& indexKeyName,
                                  const QueryTokens& tokens, const std::string& digits) {
    Candidates out;
    auto count = db.prepare("SELECT COUNT(*) FROM records r WHERE " + scopeSql(scope));
    if (!count) return count.error();
    bindScope(*count, 1, scope);
    if (auto row = count->step(); !row) return row.error();
    out.inScope = count->integer(0);
    auto st = db.prepare(candidateSql(scope, tokens, !digits.empty()));
    if (!st) return st.error();
    // Without a key file no stored name matches "-": the index is not used.
    st->bind(1, kIdentityIndexKeyMeta).bind(2, indexKeyName.empty() ? std::string("-") : indexKeyName);
    int at = bindScope(*st, 3, scope);
    for (const auto* set : {&tokens.others, &tokens.denouncers}) {
        for (int64_t t : *set) st->bind(at++, t);
        if (!set->empty()) st->bind(at++, int64_t(set->size()));
    }
    if (!digits.empty()) st->bind(at, "%" + digits + "%");
    int64_t direct = 0;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        const bool isDirect = st->integer(1) != 0;
        if (isDirect && ++direct > kMaxCandidates) {
            ++out.skipped;
            continue;
        }
        out.list.push_back({st->text(0), isDirect});
    }
    return out;
}

struct Found {
    std::vector<std::pair<std::string, Identity>> matches;
    int64_t opened = 0;  // seals opened
};

// Opens the candidates' seals in order until kMaxMatches match. The key ring is loaded by the caller
// (nullopt: it could not be; its error is answered when a seal is to be opened).
Result<Found> openAndMatch(DistrictStore& store, const std::vector<Candidate>& candidates,
                           const Result<DistrictKeyRing>& keys, const RecordQuery& query) {
    Found out;
    for (size_t start = 0; start < candidates.size() && out.matches.size() < kMaxMatches;
         start += kSealBatch) {
        std::vector<std::string> codes;
        for (size_t i = start; i < std::min(candidates.size(), start + kSealBatch); ++i)
            codes.push_back(candidates[i].code);
        auto seals = sealedPrivateParts(store, codes);
        if (!seals) return seals.error();
        for (size_t i = 0; i < codes.size(); ++i) {
            const std::optional<std::string>& sealed = (*seals)[i];
            if (!sealed) continue;
            if (!keys) return keys.error();
            ++out.opened;
            auto part = keys->open(*sealed);
            if (!part) continue;  // a seal to a lost or foreign key: the record page says so
            Record shape;
            shape.code = codes[i];
            shape.identity = part->identity;
            if (!matchesRecordQuery(shape, query)) continue;
            out.matches.emplace_back(codes[i], part->identity);
            if (out.matches.size() == kMaxMatches) break;
        }
    }
    return out;
}

}  // namespace

void Dashboard::Impl::identitySearch(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    auto body = jsonBody(req, res);
    if (!body) return;
    if (!mayActOnRecords(session->officer.role))
        return sendError(res, 403, "officer.role",
                         "Chỉ cán bộ xử lý và thanh tra được tìm theo thông tin người gửi.",
                         "Only officers and inspectors may search by a citizen's identity.");
    const RecordQuery query = parseRecordQuery(body->value("query", ""));
    if (query.empty() || (query.words.empty() && query.digits.size() < 3))
        return sendError(res, 400, "search.query",
                         "Nhập họ tên, hoặc ít nhất 3 chữ số của số điện thoại hay số định danh.",
                         "Enter a name, or at least 3 digits of a phone number or identity number.");
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const Date today = todayLocal();
    const std::string commune = body->value("commune", "");
    Scope scope;
    // A denouncer's identity is opened only by the role the data names (Luật Tố cáo 2018, Điều 47).
    scope.denouncers = mayReadIdentity(session->officer, true, denouncerRolesToday());
    if (!commune.empty()) {
        auto current = ref();
        scope.holdings = current->units.empty() ? std::vector<std::string>{commune}
                                                : current->units.holdings(commune, today);
    }
    // The search itself is a reading, logged before any seal is opened ("" names no one record).
    if (auto ok = recordIdentityRead(**s, session->officer.id, "", nowMs()); !ok)
        return sendError(res, 503, ok.error());
    // The key file is read once for the whole search (docs/security.md "Finding a record by name or
    // phone at the district"); without it the index is not used and a seal to open is a 503.
    auto keys = DistrictKeyRing::load(**s);
    QueryTokens tokens;
    std::string indexKeyName;
    if (keys && keys->indexKey() && keys->denouncerIndexKey()) {
        tokens.others = queryTokens(keys->indexKey(), query);
        if (scope.denouncers) tokens.denouncers = queryTokens(keys->denouncerIndexKey(), query);
        indexKeyName = keys->indexKeyName();
    }
    auto candidates = findCandidates((*s)->database(), scope, indexKeyName, tokens, query.digits);
    if (!candidates) return sendError(res, 503, candidates.error());
    auto found = openAndMatch(**s, candidates->list, keys, query);
    if (!found) return sendError(res, 503, found.error());
    RecordFilter filter;
    json matches = json::array();
    for (const auto& [code, identity] : found->matches) {
        // Each record shown is read: logged before the answer carries its name.
        if (auto ok = recordIdentityRead(**s, session->officer.id, code, nowMs()); !ok)
            return sendError(res, 503, ok.error());
        filter.ids = {code};
        auto listed = recordPage((*s)->database(), filter, today, 1, 1);
        if (!listed) return sendError(res, 503, listed.error());
        for (json line : listed->rows) {
            line["name"] = identity.name;
            line["phone"] = identity.phone;
            line["cccd"] = identity.cccd;
            matches.push_back(std::move(line));
        }
    }
    // "searched": the records of the scope the search covered, by the index or by opening them;
    // "truncated": records not yet indexed beyond the bound were left out (narrow by commune).
    sendJson(res, 200,
             {{"records", matches},
              {"searched", candidates->inScope - candidates->skipped},
              {"truncated", candidates->skipped > 0},
              {"opened", found->opened},
              {"max_candidates", kMaxCandidates}});
}

}  // namespace kiosk::district
