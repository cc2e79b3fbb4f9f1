// The dashboard's record lists: records, overdue, due soon. One query shape for all of them, paged
// on the server (LIMIT/OFFSET, with the total counted by the same WHERE), so a list of 2,000
// overdue records shows its true size and every page of it rather than its first 200.
// The SQL is portable between SQLite and PostgreSQL: `?` placeholders only, the commune's holdings
// as an IN list, booleans ordered through CASE.
#include <httplib.h>

#include <string>
#include <variant>
#include <vector>

#include "core/deadlines.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"

namespace kiosk::district {

using namespace dash;

namespace {

// The statuses whose legal clock runs (core/deadlines.h clockRunning): those a record can be
// overdue or due soon in. Transferred is not among them: it has left the commune's pool.
constexpr const char* kClockRunning = "status IN ('received', 'accepted', 'info-requested', 'processing')";

struct Where {
    std::string sql;  // " WHERE …" or ""
    std::vector<std::variant<std::string, int64_t>> values;

    void add(const std::string& condition) { sql += (sql.empty() ? " WHERE " : " AND ") + condition; }
    void bindAll(store::Statement& st, int from = 1) const {
        for (const auto& v : values) {
            if (const auto* text = std::get_if<std::string>(&v))
                st.bind(from++, *text);
            else
                st.bind(from++, std::get<int64_t>(v));
        }
    }
};

// `%` and `_` typed by an officer are letters of a code, not patterns.
std::string likePrefix(const std::string& typed) {
    std::string out;
    for (char c : typed)
        if (c != ' ' && c != '%' && c != '_') out += c;
    return out + "%";
}

Where whereOf(const RecordFilter& f, const Date& today, const WorkingCalendar& calendar) {
    Where w;
    if (!f.communes.empty()) {
        std::string in = "commune IN (";
        for (size_t i = 0; i < f.communes.size(); ++i) {
            in += i ? ", ?" : "?";
            w.values.emplace_back(f.communes[i]);
        }
        w.add(in + ")");
    }
    if (!f.status.empty()) {
        w.add("status = ?");
        w.values.emplace_back(f.status);
    }
    if (!f.kind.empty()) {
        w.add("kind = ?");
        w.values.emplace_back(f.kind);
    }
    if (!f.petitionKind.empty()) {
        w.add("petition_kind = ?");
        w.values.emplace_back(f.petitionKind);
    }
    if (!f.code.empty()) {
        w.add("(code LIKE ? OR official_code LIKE ?)");
        w.values.emplace_back(likePrefix(f.code));
        w.values.emplace_back(likePrefix(f.code));
    }
    if (f.overdue) {
        w.add(std::string(kClockRunning) + " AND due <> '' AND due < ?");
        w.values.emplace_back(today.iso());
    }
    if (f.dueSoonDays) {
        // Due today up to the N-th working day, and the days off right after it
        // (isDueSoon: workingDaysBetween(today, due) <= N): before the (N+1)-th working day.
        w.add(std::string(kClockRunning) + " AND due <> '' AND due >= ? AND due < ?");
        w.values.emplace_back(today.iso());
        w.values.emplace_back(calendar.addWorkingDays(today, *f.dueSoonDays + 1).iso());
    }
    if (!f.assignedTo.empty()) {
        w.add("code IN (SELECT record_code FROM record_assignments WHERE officer_id = ?)");
        w.values.emplace_back(f.assignedTo);
    }
    if (!f.ids.empty()) {
        std::string in = "code IN (";
        for (size_t i = 0; i < f.ids.size(); ++i) {
            in += i ? ", ?" : "?";
            w.values.emplace_back(f.ids[i]);
        }
        w.add(in + ")");
    }
    return w;
}

}  // namespace

Result<RecordPage> Dashboard::Impl::recordPage(store::Database& db, const RecordFilter& filter,
                                               const Date& today, int64_t page, int64_t perPage) {
    const Where where = whereOf(filter, today, ref()->calendar());
    RecordPage out;
    out.page = page;
    out.perPage = perPage;
    {
        auto count = db.prepare("SELECT count(*) FROM records" + where.sql);
        if (!count) return count.error();
        where.bindAll(*count);
        auto row = count->step();
        if (!row) return row.error();
        out.total = *row ? count->integer(0) : 0;
    }
    // Overdue and due-soon lists: the nearest due first. Others: the records still to be handled
    // here first; done by transfer after them, never among the overdue.
    const std::string order = filter.overdue || filter.dueSoonDays
                                  ? " ORDER BY due, code"
                                  : " ORDER BY CASE WHEN status = 'transferred' THEN 1 ELSE 0 END, "
                                    "CASE WHEN due = '' THEN 1 ELSE 0 END, due, code";
    auto st = db.prepare(
        "SELECT code, COALESCE(official_code, ''), kind, commune, status, due, "
        "COALESCE(petition_kind, ''), COALESCE(procedure, ''), COALESCE(a.officer_id, ''), "
        "COALESCE(o.name, '') FROM records "
        "LEFT JOIN record_assignments a ON a.record_code = records.code "
        "LEFT JOIN officers o ON o.id = a.officer_id" +
        where.sql + order + " LIMIT ? OFFSET ?");
    if (!st) return st.error();
    where.bindAll(*st);
    const int next = int(where.values.size()) + 1;
    st->bind(next, perPage).bind(next + 1, (page - 1) * perPage);
    out.rows = json::array();
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        const RecordSummary r = summaryFromRow(*st, today);
        json line = recordRow(r, today);
        line["petition_kind"] = st->text(6);
        line["kind_name"] = kindName(r.kind, st->text(6));
        line["procedure"] = st->text(7);
        line["procedure_name"] = procedureName(st->text(7));
        line["assigned_to"] = st->text(8).empty() ? json(nullptr) : json(st->text(8));
        line["assigned_name"] = st->text(9).empty() ? st->text(8) : st->text(9);
        out.rows.push_back(std::move(line));
    }
    return out;
}

std::string Dashboard::Impl::procedureName(const std::string& id) {
    if (id.empty()) return "";
    const auto current = ref();
    const Procedure* p = current->procedure(id);
    return p ? p->name : id;
}

// page and per_page of a list request: 1 and `perPageDefault` when absent; out of range or not a
// number, a 400 (nullopt, res answered).
std::optional<std::pair<int64_t, int64_t>> Dashboard::Impl::paging(const httplib::Request& req,
                                                                   httplib::Response& res,
                                                                   int64_t perPageDefault) {
    int64_t page = 1, perPage = perPageDefault;
    for (auto [name, value, most] :
         {std::tuple{"page", &page, int64_t(1000000)}, std::tuple{"per_page", &perPage, kMaxPerPage}}) {
        if (!req.has_param(name)) continue;
        const std::string given = req.get_param_value(name);
        int64_t parsed = 0;
        bool ok = !given.empty() && given.size() <= 9;
        for (char c : given) ok = ok && c >= '0' && c <= '9';
        if (ok) parsed = std::stoll(given);
        if (!ok || parsed < 1 || parsed > most) {
            sendError(res, 400, "list.page",
                      "Trang không hợp lệ: \"" + given + "\" (trang từ 1, mỗi trang 1 đến " +
                          std::to_string(kMaxPerPage) + " dòng).",
                      "Not a valid page: \"" + given + "\" (pages from 1, 1 to " +
                          std::to_string(kMaxPerPage) + " rows a page).");
            return std::nullopt;
        }
        *value = parsed;
    }
    return std::pair{page, perPage};
}

json Dashboard::Impl::pageJson(const RecordPage& p) {
    return {{"records", p.rows}, {"total", p.total}, {"page", p.page}, {"per_page", p.perPage}};
}

void Dashboard::Impl::records(const httplib::Request& req, httplib::Response& res) {
    auto session = apiSession(req, res);
    if (!session) return;
    auto pages = paging(req, res, 50);
    if (!pages) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const Date today = todayLocal();
    const auto param = [&](const char* name) {
        return req.has_param(name) ? req.get_param_value(name) : std::string();
    };
    RecordFilter filter;
    const std::string commune = param("commune");
    // A commune holds its predecessors' records once a succession is in force (UnitMap::holdings).
    if (!commune.empty()) {
        auto current = ref();
        filter.communes = current->units.empty() ? std::vector<std::string>{commune}
                                                 : current->units.holdings(commune, today);
    }
    filter.status = param("status");
    filter.kind = param("kind");
    filter.petitionKind = param("petition_kind");
    filter.code = param("q");
    filter.overdue = param("overdue") == "1";
    // "Mine": the records given to the officer asking; or to the officer named.
    filter.assignedTo = param("mine") == "1" ? session->officer.id : param("assigned");
    if (const std::string soon = param("due_soon"); !soon.empty()) {
        const bool digits = soon.size() <= 2 && soon.find_first_not_of("0123456789") == std::string::npos;
        if (!digits)
            return sendError(res, 400, "list.due-soon",
                             "Số ngày làm việc không hợp lệ: \"" + soon + "\" (từ 0 đến 99).",
                             "Not a number of working days: \"" + soon + "\" (0 to 99).");
        filter.dueSoonDays = std::stoi(soon);
    }
    auto listed = recordPage((*s)->database(), filter, today, pages->first, pages->second);
    if (!listed) return sendError(res, 503, listed.error());
    // Where a listed record came from, when it is a former unit's.
    if (!commune.empty())
        for (json& line : listed->rows)
            if (line["commune"] != commune) line["former_unit"] = line["commune_name"];
    sendJson(res, 200, pageJson(*listed));
}

}  // namespace kiosk::district
