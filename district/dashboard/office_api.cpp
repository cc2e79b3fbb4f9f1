// The dashboard's write API: actions, identity readings, receptions and imports.
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
#include "district/office/keys.h"
#include "district/office/receptions.h"
#include "district/office/reference_import.h"
#include "district/review/report.h"
#include "district/store/district_store.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {

using namespace dash;

std::optional<json> Dashboard::Impl::jsonBody(const httplib::Request& req, httplib::Response& res) {
    auto parsed = protocol::parseJsonSafely(req.body);
    if (!parsed || !parsed->is_object()) {
        sendError(res, 400, "bad-request", "Dữ liệu gửi lên không hợp lệ.",
                  "The request body is not valid JSON.");
        return std::nullopt;
    }
    return *parsed;
}

void Dashboard::Impl::act(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    auto body = jsonBody(req, res);
    if (!body) return;
    const auto action = actionFromSlug(body->value("action", ""));
    if (!action || *action == Action::Submit || *action == Action::Register)
        return sendError(res, 400, "action.unknown", "Thao tác không hợp lệ.", "Unknown action.");
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    DistrictAction request;
    request.code = body->value("code", "");
    request.officerId = session->officer.id;
    request.action = *action;
    request.note = body->value("note", "");
    request.officialCode = body->value("official_code", "");
    request.complexity = body->value("complexity", "");
    request.agency = body->value("agency", "");
    auto r = ref();
    auto done = actAsDistrict(**s, request, r->deadlineRules(), nowMs());
    if (!done) {
        const bool storage = done.error().code.rfind("db.", 0) == 0;
        return sendError(res, storage ? 503 : (done.error().code == "officer.role" ? 403 : 409),
                         done.error());
    }
    sendJson(res, 200, recordJson(**s, done->record, *session, false));
}

// The one path by which an identity is read at the district: the role is checked, the reading
// recorded, and only then is the record's seal opened (with the district's key file) — in memory,
// for this answer only; nothing opened is written to the database or the log.
void Dashboard::Impl::revealIdentity(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    auto body = jsonBody(req, res);
    if (!body) return;
    if (!mayActOnRecords(session->officer.role))
        return sendError(res, 403, "officer.role",
                         "Chỉ cán bộ xử lý và thanh tra được xem thông tin người gửi.",
                         "Only officers and inspectors may read a citizen's identity.");
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto found = findRecordByAnyCode(**s, body->value("code", ""));
    if (!found) return sendError(res, 503, found.error());
    if (!*found) return sendError(res, 404, "record.unknown", "Không tìm thấy hồ sơ.", "No such record.");
    Record r = **found;
    const bool denunciation = isDenunciation(r);
    if (!mayReadIdentity(session->officer, denunciation, denouncerRolesToday())) {
        // Named from the data: whoever is competent to resolve the denunciation.
        std::string vi, en;
        for (const std::string& role : denouncerRolesToday()) {
            const DenouncerReaderRole* named = findDenouncerReaderRole(denouncerReaders, role);
            vi += (vi.empty() ? "" : ", ") + named->nameVi;
            en += (en.empty() ? "" : ", ") + named->nameEn;
        }
        return sendError(res, 403, "officer.role",
                         "Chỉ " + (vi.empty() ? std::string("cán bộ có thẩm quyền") : vi) +
                             " được xem danh tính người tố cáo.",
                         "Only " + (en.empty() ? std::string("the competent officer") : en) +
                             " may read a denouncer's identity.");
    }
    auto sealed = sealedPrivatePart(**s, r.code);
    if (!sealed) return sendError(res, 503, sealed.error());
    const bool legacy = !r.identity.name.empty() || !r.identity.cccd.empty() || !r.identity.phone.empty() ||
                        !r.identity.address.empty();
    if (!*sealed && !legacy)
        return sendError(
            res, 404, "identity.none",
            "Máy kiosk chưa có khoá của máy chủ khi nhận hồ sơ này nên không gửi thông tin người gửi; "
            "chỉ cán bộ xã đọc được.",
            "The kiosk did not have the server's key when it took this record, so it sent no "
            "identity; only the commune's officers can read it.");
    // Recorded before it is shown: a reading that cannot be logged does not happen.
    if (auto ok = recordIdentityRead(**s, session->officer.id, r.code, nowMs()); !ok)
        return sendError(res, 503, ok.error());
    if (*sealed) {
        auto part = openSealedPrivatePart(**s, **sealed);
        if (!part) return sendError(res, 500, part.error());
        r.identity = part->identity;
        r.content = part->content;
    }
    sendJson(res, 200, recordJson(**s, r, *session, true));
}

// Admins: who read which identity, when (the newest first).
void Dashboard::Impl::identityReadsApi(const httplib::Request& req, httplib::Response& res) {
    auto session = apiSession(req, res);
    if (!session) return;
    if (!mayAdminister(session->officer.role))
        return sendError(res, 403, "officer.role", "Chỉ quản trị viên được xem nhật ký xem danh tính.",
                         "Only administrators may see the log of identity readings.");
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const std::string code = req.has_param("code") ? req.get_param_value("code") : "";
    auto reads = listIdentityReads(**s, code, 500);
    if (!reads) return sendError(res, 503, reads.error());
    json out = json::array();
    for (const IdentityRead& read : *reads) {
        auto officer = findDistrictOfficer(**s, read.officerId);
        out.push_back({{"officer", read.officerId},
                       {"officer_name", officer && *officer ? (*officer)->name : std::string()},
                       {"record", read.recordCode},
                       {"at", isoLocalTime(read.atMs / 1000)},
                       {"at_ms", read.atMs}});
    }
    sendJson(res, 200, {{"reads", out}});
}

void Dashboard::Impl::addReception(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    auto body = jsonBody(req, res);
    if (!body) return;
    DistrictReceptionInput input;
    input.officerId = session->officer.id;
    if (auto d = body->find("date"); d != body->end() && d->is_string() && !d->get<std::string>().empty()) {
        input.date = Date::parse(d->get<std::string>());
        if (!input.date) return sendError(res, 400, "reception.date", "Ngày không hợp lệ.", "Invalid date.");
    }
    auto people = body->find("people");
    if (people == body->end() || !people->is_number_integer())
        return sendError(res, 400, "reception.people", "Cần số người.", "The number of people is required.");
    input.people = int(std::clamp<int64_t>(people->get<int64_t>(), -1, 100000));
    input.caseCode = body->value("case", "new");
    input.kind = body->value("kind", "");
    input.outcome = body->value("outcome", "");
    input.note = body->value("note", "");
    input.commune = body->value("commune", "");
    std::vector<std::string> codes;
    for (const Commune& c : ref()->communes) codes.push_back(c.code);
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto added = addDistrictReception(**s, input, codes, nowMs());
    if (!added) return sendError(res, added.error().code.rfind("db.", 0) == 0 ? 503 : 400, added.error());
    sendJson(res, 200, {{"uuid", added->uuid}, {"date", added->receivedOn.iso()}});
}

void Dashboard::Impl::import(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    if (!mayAdminister(session->officer.role))
        return sendError(res, 403, "officer.role", "Chỉ quản trị viên được nhập dữ liệu.",
                         "Only administrators may import data.");
    auto body = jsonBody(req, res);
    if (!body) return;
    const auto kind = importKindFromSlug(body->value("kind", ""));
    if (!kind)
        return sendError(res, 400, "import.kind", "Chọn holidays, catalog, units hoặc succession.",
                         "Choose holidays, catalog, units or succession.");
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto current = ref();
    auto done = importReference(**s, *kind, body->value("text", ""), *current, session->officer.id, nowMs());
    if (!done) return sendError(res, done.error().code.rfind("db.", 0) == 0 ? 503 : 400, done.error());
    (void)ref();  // the import counts at once (ImportedReference::follow)
    sendJson(res, 200, {{"items", done->items}, {"years", done->years}, {"change", done->changeSeq}});
}

}  // namespace kiosk::district
