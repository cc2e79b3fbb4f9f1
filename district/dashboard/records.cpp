// The dashboard's read API: records, a record, the report and receptions.
#include <httplib.h>

#include <algorithm>
#include <map>
#include <vector>

#include "core/deadlines.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
#include "district/office/actions.h"
#include "district/office/assignments.h"
#include "district/office/commune_officers.h"
#include "district/office/keys.h"
#include "district/office/receptions.h"
#include "district/office/reference_import.h"
#include "district/review/report.h"
#include "district/review/report_pdf.h"
#include "district/review/report_table.h"
#include "district/store/district_store.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {

using namespace dash;

// A record list's row: columns code, official code, kind, commune, status, due, in that order.
RecordSummary Dashboard::Impl::summaryFromRow(const store::Statement& st, const Date& /*today*/) {
    RecordSummary r;
    r.code = st.text(0);
    r.officialCode = st.text(1);
    r.kind = recordKindFromSlug(st.text(2)).value_or(RecordKind::Petition);
    r.commune = st.text(3);
    r.status = statusFromSlug(st.text(4)).value_or(RecordStatus::Received);
    r.due = Date::parse(st.text(5)).value_or(kNoDate);
    return r;
}

std::string Dashboard::Impl::kindName(RecordKind kind, const std::string& petitionKind) {
    // The names the kiosk uses: a petition by its kind ("Khiếu nại"), "Đơn" when unknown.
    if (kind == RecordKind::Dossier) return "Hồ sơ thủ tục hành chính";
    const auto named = petitionKindFromSlug(petitionKind);
    return named ? std::string(displayName(*named)) : std::string("Đơn");
}

json Dashboard::Impl::recordRow(const RecordSummary& r, const Date& today) {
    Record shape;
    shape.status = r.status;
    shape.due = r.due;
    const bool overdue = isOverdue(shape, today);
    return {{"code", r.code},
            {"official_code", r.officialCode},
            {"kind", toSlug(r.kind)},
            {"commune", r.commune},
            {"commune_name", communeName(r.commune)},
            {"status", toSlug(r.status)},
            {"status_name", displayName(r.status, r.kind)},
            {"due", r.due == kNoDate ? json(nullptr) : json(r.due.iso())},
            {"overdue", overdue},
            {"transferred", r.status == RecordStatus::Transferred},
            {"days_overdue", overdue ? today.toDays() - r.due.toDays() : 0}};
}

namespace {

// Officers' names for a record's history, keyed "ROLE:ID": the district's accounts and the
// commune's officers. An id that names nobody (or a list that cannot be read) shows as the id.
std::map<std::string, std::string> officerNames(DistrictStore& store, const std::string& commune) {
    std::map<std::string, std::string> names;
    if (auto district = listDistrictOfficers(store))
        for (const DistrictOfficer& o : *district) names["district:" + o.id] = o.name;
    if (auto local = listCommuneOfficers(store, commune))
        for (const CommuneOfficer& o : *local) names["commune:" + o.id] = o.name;
    return names;
}

}  // namespace

json Dashboard::Impl::recordJson(DistrictStore& store, const Record& r, const Session& session,
                                 bool revealed) {
    const Date today = todayLocal();
    json history = json::array();
    const auto names = officerNames(store, r.commune);
    if (auto h = districtHistory(store, r.code)) {
        for (const DistrictHistoryEntry& e : *h) {
            const auto named = names.find(std::string(toSlug(e.actor.role)) + ":" + e.actor.id);
            history.push_back({{"uuid", e.uuid},
                               {"action", toSlug(e.action)},
                               {"action_name", actionLabel(e.action)},
                               {"actor_role", toSlug(e.actor.role)},
                               {"actor", e.actor.id},
                               {"actor_name", named == names.end() ? e.actor.id : named->second},
                               {"kiosk", e.kioskId},
                               {"at", isoLocalTime(e.at)},
                               {"note", e.note}});
        }
    }
    json actions = json::array();
    const auto current = ref();
    const DeadlineRules rules = current->deadlineRules();
    if (mayActOnRecords(session.officer.role)) {
        for (Action a : allowedActions(r, Role::DistrictOfficer, rules)) {
            const bool needsNote = a == Action::Reject || a == Action::Extend || a == Action::RequestInfo ||
                                   a == Action::WithdrawPart ||
                                   (a == Action::Suspend && r.kind == RecordKind::Petition);
            actions.push_back(
                {{"action", toSlug(a)}, {"label", actionLabel(a)}, {"note_required", needsNote}});
        }
    }
    // Where a transfer may go today (agencies.tsv), for the transfer's select.
    json agencies = json::array();
    for (const Agency* a : agenciesOn(current->agencies, today))
        agencies.push_back({{"slug", a->slug}, {"name", a->vi}});
    json transferAgency = nullptr;
    if (r.status == RecordStatus::Transferred)
        transferAgency = {{"slug", r.transferAgency.empty() ? json(nullptr) : json(r.transferAgency)},
                          {"name", agencyName(current->agencies, r.transferAgency)}};
    // Who the record is given to; and, for those who give work (admins, leaders), to whom it may be.
    json assigned = nullptr;
    json assignable = json::array();
    if (auto a = assignmentOf(store, r.code); a && *a) {
        const auto named = names.find("district:" + (*a)->officerId);
        assigned = {{"id", (*a)->officerId},
                    {"name", named == names.end() ? (*a)->officerId : named->second}};
    }
    if (mayAssign(session.officer.role))
        if (auto list = listDistrictOfficers(store))
            for (const DistrictOfficer& o : *list)
                if (!o.disabled && mayActOnRecords(o.role))
                    assignable.push_back({{"id", o.id}, {"name", o.name}});
    const bool denunciation = isDenunciation(r);
    // The identity and the content are shown only after a recorded reading (revealIdentity); every
    // other answer — the copy of a tố cáo handed to whoever verifies it above all — carries none.
    json identity = nullptr;
    if (revealed)
        identity = {{"name", r.identity.name},
                    {"cccd", r.identity.cccd},
                    {"phone", r.identity.phone},
                    {"address", r.identity.address},
                    // người viết hộ, revealed with the identity it belongs to ("" = nobody)
                    {"writer", r.identity.writerName},
                    {"writer_relation", r.identity.writerRelation}};
    return {{"code", r.code},
            {"official_code", r.officialCode},
            {"kind", toSlug(r.kind)},
            {"kind_name", r.kind == RecordKind::Dossier ? std::string("Hồ sơ thủ tục hành chính")
                                                        : std::string(displayName(r.petitionKind))},
            {"petition_kind", r.kind == RecordKind::Petition ? json(toSlug(r.petitionKind)) : json(nullptr)},
            {"procedure", r.procedureCode},
            {"procedure_name", procedureName(r.procedureCode)},
            {"commune", r.commune},
            {"commune_name", communeName(r.commune)},
            {"status", toSlug(r.status)},
            {"status_name", displayName(r.status, r.kind)},
            {"received_on", r.receivedOn.iso()},
            {"due", hasDue(r) ? json(r.due.iso()) : json(nullptr)},
            {"overdue", isOverdue(r, today)},
            {"delivery", toSlug(r.delivery)},
            {"result_note", r.resultNote},
            {"complex", r.complex},
            {"extensions", r.extensions},
            {"transfer_agency", transferAgency},
            {"suspended_on", r.suspendedOn ? json(r.suspendedOn->iso()) : json(nullptr)},
            {"withdrawn_parts", r.withdrawnParts},
            {"agencies", agencies},
            {"history", history},
            {"actions", actions},
            {"identity", identity},
            {"content", revealed ? json(r.content) : json(nullptr)},
            {"denunciation", denunciation},
            {"assigned", assigned},
            {"assignable", assignable},
            {"identity_hidden", !revealed},
            {"may_reveal_identity",
             !revealed && mayReadIdentity(session.officer, denunciation, denouncerRolesToday())}};
}

void Dashboard::Impl::record(const httplib::Request& req, httplib::Response& res) {
    auto session = apiSession(req, res);
    if (!session) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const std::string code = req.has_param("code") ? req.get_param_value("code") : "";
    auto found = findRecordByAnyCode(**s, code);
    if (!found) return sendError(res, 503, found.error());
    if (!*found)
        return sendError(res, 404, "record.unknown", "Không tìm thấy hồ sơ " + code + ".",
                         "No record " + code + ".");
    sendJson(res, 200, recordJson(**s, **found, *session, false));
}

std::optional<std::pair<Date, Date>> Dashboard::Impl::period(const httplib::Request& req,
                                                             httplib::Response& res) {
    const Date today = todayLocal();
    // An absent date takes its default (1 January, today); a date given but impossible (2026-02-30,
    // month 13, empty) is refused with a message, never replaced silently.
    std::optional<Date> from = Date{today.year, 1, 1};
    std::optional<Date> to = today;
    for (auto [name, date] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
        if (!req.has_param(name)) continue;
        const std::string given = req.get_param_value(name);
        *date = Date::parse(given);
        if (!*date) {
            sendError(res, 400, "report.date",
                      "Ngày không hợp lệ: \"" + given + "\". Nhập ngày có thật, dạng năm-tháng-ngày.",
                      "Not a valid date: \"" + given + "\". Enter a real date, as year-month-day.");
            return std::nullopt;
        }
    }
    if (*to < *from) {
        sendError(res, 400, "report.period", "Ngày bắt đầu phải trước ngày kết thúc.",
                  "The start date must not be after the end date.");
        return std::nullopt;
    }
    return std::pair{*from, *to};
}

void Dashboard::Impl::report(const httplib::Request& req, httplib::Response& res, ReportFormat format) {
    auto session = apiSession(req, res);
    if (!session) return;
    auto dates = period(req, res);
    if (!dates) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto r = ref();
    auto computed = computeReport(**s, dates->first, dates->second, *r, r->calendar(), todayLocal());
    if (!computed) return sendError(res, 400, computed.error());
    if (format != ReportFormat::Json) {
        const bool xlsx = format == ReportFormat::Xlsx;
        std::string body, type, extension = xlsx ? ".xlsx" : ".csv";
        if (xlsx || format == ReportFormat::Pdf) {
            auto bytes = xlsx ? reportXlsx(*computed) : reportPdf(*computed);
            if (!bytes) return sendError(res, 500, bytes.error());
            body = std::move(*bytes);
            type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        : "application/pdf";
            if (!xlsx) extension = ".pdf";
        } else {
            const CsvStyle style{req.get_param_value("sep") == "semicolon" ? ';' : ',',
                                 req.get_param_value("decimal") == "comma"};
            body = reportCsv(*computed, style);
            type = "text/csv; charset=utf-8";
        }
        securityHeaders(res);
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Disposition", "attachment; filename=\"bao-cao-" + dates->first.iso() + "-" +
                                                  dates->second.iso() + extension + "\"");
        res.set_content(body, type);
        return;
    }
    json j = reportJson(*computed);
    j["text"] = reportText(*computed, Lang::Vi);
    sendJson(res, 200, j);
}

void Dashboard::Impl::receptions(const httplib::Request& req, httplib::Response& res) {
    auto session = apiSession(req, res);
    if (!session) return;
    auto dates = period(req, res);
    if (!dates) return;
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto list = listReceptions(**s, dates->first, dates->second);
    if (!list) return sendError(res, 503, list.error());
    json out = json::array();
    for (auto it = list->rbegin(); it != list->rend(); ++it) {
        const Reception& r = *it;
        out.push_back({{"uuid", r.uuid},
                       {"level", toSlug(r.level)},
                       {"commune", r.commune},
                       {"commune_name", r.commune.empty() ? std::string() : communeName(r.commune)},
                       {"officer", r.officerId},
                       {"date", r.receivedOn.iso()},
                       {"people", r.people},
                       {"case", r.caseCode.empty() ? json("new") : json(r.caseCode)},
                       {"kind", r.kind},
                       {"outcome", r.outcome},
                       {"note", r.note}});
    }
    sendJson(res, 200, {{"receptions", out}});
}

}  // namespace kiosk::district
