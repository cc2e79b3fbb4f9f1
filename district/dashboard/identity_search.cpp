// Finding a record by the citizen's name, phone or số định danh at the district. Nothing
// searchable about a citizen is on disk (docs/security.md "What is sealed"), so the search opens
// the seals of a bounded set of candidates in memory, for this one answer, and writes nothing
// opened anywhere. Only roles that may read identities search this way, and every search is an
// identity reading: logged before any seal is opened, and each record it shows logged as read.
#include <httplib.h>

#include <optional>
#include <string>
#include <vector>

#include "core/record_search.h"
#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
#include "district/office/keys.h"

namespace kiosk::district {

using namespace dash;

namespace {

// Seals opened by one search at most, newest records first: about 0.1 ms each, so a search answers
// within a second or two; a district with more records narrows by commune (docs/security.md).
constexpr int64_t kMaxCandidates = 5000;
constexpr size_t kMaxMatches = 50;

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
    // A denouncer's identity is opened only by the role the data names (Luật Tố cáo 2018, Điều 47).
    const bool denouncers = mayReadIdentity(session->officer, true, denouncerRolesToday());
    std::vector<std::string> holdings;
    if (!commune.empty()) {
        auto current = ref();
        holdings = current->units.empty() ? std::vector<std::string>{commune}
                                          : current->units.holdings(commune, today);
    }
    std::string sql =
        "SELECT code FROM records WHERE (? = 1 OR petition_kind IS NULL OR petition_kind <> 'to-cao')";
    if (!holdings.empty()) {
        sql += " AND commune IN (?";
        for (size_t i = 1; i < holdings.size(); ++i) sql += ", ?";
        sql += ")";
    }
    auto st = (*s)->database().prepare(sql + " ORDER BY submitted_at DESC, code LIMIT ?");
    if (!st) return sendError(res, 503, st.error());
    int at = 1;
    st->bind(at++, int64_t(denouncers ? 1 : 0));
    for (const std::string& h : holdings) st->bind(at++, h);
    st->bind(at, kMaxCandidates + 1);
    std::vector<std::string> candidates;
    while (true) {
        auto row = st->step();
        if (!row) return sendError(res, 503, row.error());
        if (!*row) break;
        candidates.push_back(st->text(0));
    }
    const bool truncated = int64_t(candidates.size()) > kMaxCandidates;
    if (truncated) candidates.pop_back();
    // The search itself is a reading, logged before any seal is opened ("" names no one record).
    if (auto ok = recordIdentityRead(**s, session->officer.id, "", nowMs()); !ok)
        return sendError(res, 503, ok.error());
    // The key file is read once for the whole search, and every seal fetched by one statement:
    // read per record, they took most of a search's time (docs/security.md "Identity search").
    auto seals = sealedPrivateParts(**s, candidates);
    if (!seals) return sendError(res, 503, seals.error());
    std::optional<DistrictKeyRing> keys;
    std::vector<std::pair<std::string, Identity>> found;
    for (size_t i = 0; i < candidates.size(); ++i) {
        const std::optional<std::string>& sealed = (*seals)[i];
        if (!sealed) continue;
        if (!keys) {
            auto loaded = DistrictKeyRing::load(**s);
            if (!loaded) return sendError(res, 503, loaded.error());
            keys.emplace(std::move(*loaded));
        }
        auto part = keys->open(*sealed);
        if (!part) continue;  // a seal to a lost or foreign key: the record page says so
        Record shape;
        shape.code = candidates[i];
        shape.identity = part->identity;
        if (!matchesRecordQuery(shape, query)) continue;
        found.emplace_back(candidates[i], part->identity);
        if (found.size() == kMaxMatches) break;
    }
    RecordFilter filter;
    json matches = json::array();
    for (const auto& [code, identity] : found) {
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
    sendJson(res, 200,
             {{"records", matches},
              {"searched", candidates.size()},
              {"truncated", truncated},
              {"max_candidates", kMaxCandidates}});
}

}  // namespace kiosk::district
