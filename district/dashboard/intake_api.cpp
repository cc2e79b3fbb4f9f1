// The dashboard's form for petitions received on paper at the server (district/office/intake.h).
#include <httplib.h>

#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
#include "district/office/intake.h"

namespace kiosk::district {

using namespace dash;

// Role-checked by registerPaperIntake (officers who may act on records), CSRF-checked by
// actionSession like every other state-changing request.
void Dashboard::Impl::addIntake(const httplib::Request& req, httplib::Response& res) {
    auto session = actionSession(req, res);
    if (!session) return;
    auto body = jsonBody(req, res);
    if (!body) return;
    PaperIntake in;
    in.officerId = session->officer.id;
    in.kind = body->value("kind", "");
    in.channel = body->value("channel", "");
    const auto received = Date::parse(body->value("received", ""));
    if (!received)
        return sendError(res, 400, "intake.date", "Cần ngày nhận đơn có thật.",
                         "A real date of receipt is needed.");
    in.received = *received;
    in.commune = body->value("commune", "");
    in.name = body->value("name", "");
    in.cccd = body->value("cccd", "");
    in.phone = body->value("phone", "");
    in.address = body->value("address", "");
    in.summary = body->value("summary", "");
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    auto r = ref();
    auto done = registerPaperIntake(**s, in, *r, r->deadlineRules(), nowMs());
    if (!done) {
        const std::string& code = done.error().code;
        const int status = code.rfind("db.", 0) == 0 ? 503 : code.rfind("officer.", 0) == 0 ? 403 : 400;
        return sendError(res, status, done.error());
    }
    const Record& rec = done->record;
    sendJson(res, 200,
             {{"code", rec.code},
              {"kind", toSlug(rec.petitionKind)},
              {"channel", in.channel},
              {"status", toSlug(rec.status)},
              {"received_on", rec.receivedOn.iso()},
              {"due", rec.due.iso()}});
}

}  // namespace kiosk::district
