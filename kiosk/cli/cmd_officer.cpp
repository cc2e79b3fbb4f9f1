// kioskctl officer, act, find, reception: the commune officer's work without a window, through the
// kiosk service (kiosk/service) as the officer console does it.
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/sealing.h"
#include "kiosk/cli/cli.h"
#include "core/receipt_code.h"
#include "core/state_machine.h"

namespace kiosk::cli {
namespace {

// --officer ID --pin-stdin: the officer's PIN on standard input, never on the command line. The
// officer stays logged in (their key open in memory) until the service's officerLogout.
Result<ui::OfficerSession> login(Context& ctx, app::StoreController& service) {
    auto id = ctx.args.get("officer");
    if (!id || !ctx.args.has("pin-stdin"))
        return makeError("cli.login", "Cần --officer MÃ và --pin-stdin (mã PIN qua đầu vào chuẩn).",
                         "--officer ID and --pin-stdin (the PIN on standard input) are required.");
    std::string pin = readStdinLine();
    auto session = service.officerLogin(*id, pin);
    common::wipe(pin);
    if (session && session->mustChangePin) {
        service.officerLogout();
        return makeError("officer.must-change-pin",
                         "Mã PIN của cán bộ “" + *id +
                             "” theo quy định cũ (quá ngắn). Hãy đặt mã PIN mới (ít nhất " +
                             std::to_string(store::kMinPinDigits) +
                             " chữ số) trên màn hình cán bộ hoặc bằng kioskctl officer reset-pin.",
                         "Officer “" + *id + "”'s PIN is under the old policy (too short). Set a new PIN (" +
                             std::to_string(store::kMinPinDigits) +
                             " digits or more) on the officer screen or with kioskctl officer reset-pin.");
    }
    return session;
}

nlohmann::json officerJson(const store::Officer& o) {
    return {{"id", o.id},
            {"name", o.name},
            {"role", o.role},
            {"disabled", o.disabled},
            {"signing_key", o.signingKey},
            {"pin_policy_current", o.pinPolicy >= store::kPinPolicy}};
}

int listOfficers(Context& ctx, app::StoreController& service) {
    auto officers = service.officers();
    if (!officers) return ctx.fail(officers.error(), kInternal);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : *officers) {
        if (ctx.json) {
            out.push_back(officerJson(o));
            continue;
        }
        std::cout << o.id << "\t" << o.name << "\t" << o.role << "\t"
                  << (o.signingKey.empty() ? "-" : o.signingKey) << (o.disabled ? "\tdisabled" : "")
                  << (o.pinPolicy < store::kPinPolicy ? ctx.say("\tcần đổi PIN", "\tmust change PIN") : "")
                  << "\n";
    }
    if (ctx.json) std::cout << out.dump() << "\n";
    return kOk;
}

// add and reset-pin print the signing key the district registers (district-server commune-officer add).
int printOfficer(Context& ctx, const store::Officer& o) {
    if (ctx.json)
        std::cout << officerJson(o).dump() << "\n";
    else
        std::cout << o.id << "\t" << o.signingKey << "\n";
    return kOk;
}

}  // namespace

int cmdOfficer(Context& ctx) {
    const std::string sub = ctx.args.positional.empty() ? "" : ctx.args.positional[0];
    auto id = ctx.args.get("id");
    if ((sub != "add" && sub != "disable" && sub != "reset-pin" && sub != "list") || (sub != "list" && !id))
        return ctx.fail("Cách dùng: kioskctl officer add|disable|reset-pin --id MÃ ...",
                        "Usage: kioskctl officer add|disable|reset-pin --id ID ...");
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    app::StoreController& service = *kiosk->service;
    if (sub == "list") return listOfficers(ctx, service);
    if (sub == "disable") {
        if (auto done = service.disableOfficer(*id); !done) return ctx.fail(done.error());
        return kOk;
    }
    if (!ctx.args.has("pin-stdin"))
        return ctx.fail("Cần --pin-stdin: nhập mã PIN qua đầu vào chuẩn.", "--pin-stdin is required.");
    std::string pin = readStdinLine();
    auto done = sub == "add" ? service.addOfficer(*id, ctx.args.get("name").value_or(""),
                                                  ctx.args.get("role").value_or("officer"), pin)
                             : service.resetOfficerPin(*id, pin);
    common::wipe(pin);
    if (!done) return ctx.fail(done.error());
    return printOfficer(ctx, *done);
}

int cmdAct(Context& ctx) {
    if (ctx.args.positional.size() != 2)
        return ctx.fail(
            "Cách dùng: kioskctl act MÃ --officer MÃ_CB --pin-stdin THAO_TÁC [--note GHI_CHÚ] "
            "[--complexity normal|complex|especially-complex] [--agency MÃ_CƠ_QUAN]",
            "Usage: kioskctl act CODE --officer ID --pin-stdin ACTION [--note T] "
            "[--complexity normal|complex|especially-complex] [--agency SLUG]");
    auto action = actionFromSlug(ctx.args.positional[1]);
    if (!action || *action == Action::Submit || *action == Action::Register || *action == Action::AssignCode)
        return ctx.fail("Thao tác “" + ctx.args.positional[1] + "” không có.",
                        "Unknown action “" + ctx.args.positional[1] + "”.");
    std::string code = ctx.args.positional[0];
    if (!looksLikeOfficialCode(code)) {
        auto parsed = parseReceiptCode(code);
        if (!parsed) return ctx.fail(parsed.error());
        code = parsed->digits;
    }
    ui::ActionDetails details{ctx.args.get("note").value_or(""), std::nullopt,
                              ctx.args.get("agency").value_or("")};
    if (auto given = ctx.args.get("complexity")) {
        details.complexity = complexityFromSlug(*given);
        if (!details.complexity)
            return ctx.fail("Mức độ “" + *given + "” không có (normal, complex, especially-complex).",
                            "Unknown complexity “" + *given + "” (normal, complex, especially-complex).");
    }
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    app::StoreController& service = *kiosk->service;
    auto session = login(ctx, service);
    if (!session) return ctx.fail(session.error());
    auto record = service.act(*session, code, *action, details);
    service.officerLogout();
    if (!record) return ctx.fail(record.error(), exitFor(record.error()));
    if (ctx.json)
        std::cout << nlohmann::json{{"code", record->code},
                                    {"status", toSlug(record->status)},
                                    {"due", hasDue(*record) ? nlohmann::json(record->due.iso())
                                                            : nlohmann::json(nullptr)}}
                         .dump()
                  << "\n";
    else
        std::cout << record->code << "\t" << toSlug(record->status) << "\t" << dueText(*record) << "\n";
    return kOk;
}

// Finds records by the citizen's name, phone or CCCD, or by code, for a logged-in officer: every
// record sealed to them is opened in memory (about 0.1 ms each) and nothing opened is written.
int cmdFind(Context& ctx) {
    if (ctx.args.positional.size() != 1)
        return ctx.fail(
            "Cách dùng: kioskctl find TÊN|SỐ_ĐIỆN_THOẠI|CCCD|MÃ --officer MÃ_CB --pin-stdin [--open]",
            "Usage: kioskctl find NAME|PHONE|CCCD|CODE --officer ID --pin-stdin [--open]");
    if (auto ok = app::StoreController::checkFindQuery(ctx.args.positional[0]); !ok)
        return ctx.fail(ok.error());  // before the PIN is asked for
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    app::StoreController& service = *kiosk->service;
    auto session = login(ctx, service);
    if (!session) return ctx.fail(session.error());
    auto rows = service.findRecords(ctx.args.positional[0], ctx.args.has("open"));
    service.officerLogout();
    if (!rows) return ctx.fail(rows.error(), exitFor(rows.error()));
    nlohmann::json out = nlohmann::json::array();
    for (ui::QueueRow& row : *rows) {
        Record& r = row.record;
        if (ctx.json)
            out.push_back({{"code", r.code},
                           {"kind", kindSlug(r)},
                           {"status", toSlug(r.status)},
                           {"due", (hasDue(r) ? nlohmann::json(r.due.iso()) : nlohmann::json(nullptr))},
                           {"overdue", row.overdue},
                           {"name", r.identity.name},
                           {"phone", r.identity.phone}});
        else
            std::cout << r.code << "\t" << kindSlug(r) << "\t" << toSlug(r.status) << "\t"
                      << (hasDue(r) ? r.due.iso() : "-") << "\t" << r.identity.name << "\t"
                      << r.identity.phone << (row.overdue ? ctx.say("\tquá hạn", "\toverdue") : std::string())
                      << "\n";
        app::wipeRecord(r);
    }
    if (ctx.json) std::cout << out.dump() << "\n";
    return kOk;
}

namespace {

int listReceptions(Context& ctx, app::StoreController& service) {
    auto list = service.receptions();
    if (!list) return ctx.fail(list.error(), kInternal);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : *list) {
        if (ctx.json) {
            out.push_back({{"uuid", r.uuid},
                           {"officer", r.officerId},
                           {"at", isoLocalTime(r.at)},
                           {"people", r.people},
                           {"case", r.caseCode.empty() ? "new" : r.caseCode},
                           {"kind", r.kind},
                           {"outcome", r.outcome},
                           {"note", r.note},
                           {"sent", r.sent}});
        } else {
            std::cout << isoLocalTime(r.at) << "\t" << r.officerId << "\t" << r.people << "\t"
                      << (r.caseCode.empty() ? "new" : r.caseCode) << "\t" << (r.kind.empty() ? "-" : r.kind)
                      << "\t"
                      << (r.sent ? ctx.say("đã gửi lên máy chủ", "sent") : ctx.say("chờ gửi", "waiting"))
                      << "\n";
        }
    }
    if (ctx.json) std::cout << out.dump() << "\n";
    return kOk;
}

}  // namespace

int cmdReception(Context& ctx) {
    const std::string sub = ctx.args.positional.empty() ? "" : ctx.args.positional[0];
    if ((sub != "add" && sub != "list") || ctx.args.positional.size() != 1)
        return ctx.fail(
            "Cách dùng: kioskctl reception add --officer MÃ --pin-stdin --people N --case new|MÃ "
            "[--kind LOẠI] [--outcome KẾT_QUẢ] [--note GHI_CHÚ] | kioskctl reception list",
            "Usage: kioskctl reception add --officer ID --pin-stdin --people N --case new|CODE "
            "[--kind K] [--outcome T] [--note T] | kioskctl reception list");
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    app::StoreController& service = *kiosk->service;
    if (sub == "list") return listReceptions(ctx, service);
    auto people = ctx.args.get("people");
    auto caseCode = ctx.args.get("case");
    if (!people || !caseCode)
        return ctx.fail(
            "Cần --people N (số người) và --case new|MÃ (vụ việc mới hoặc mã hồ sơ của vụ việc cũ).",
            "--people N (number of people) and --case new|CODE (a new case or the existing case's record) "
            "are required.");
    char* end = nullptr;
    const long n = std::strtol(people->c_str(), &end, 10);
    if (people->empty() || *end != '\0' || n < 1 || n > 1000)
        return ctx.fail("--people phải là số người từ 1 đến 1000.",
                        "--people must be a number of people from 1 to 1000.");
    auto session = login(ctx, service);
    if (!session) return ctx.fail(session.error());
    service.officerLogout();  // a reception needs the officer's word, not their key
    store::ReceptionInput input;
    input.people = int(n);
    input.caseCode = *caseCode == "new" ? std::string() : *caseCode;
    input.kind = ctx.args.get("kind").value_or("");
    input.outcome = ctx.args.get("outcome").value_or("");
    input.note = ctx.args.get("note").value_or("");
    auto added = service.addReception(*session, input);
    if (!added) return ctx.fail(added.error(), exitFor(added.error()));
    if (ctx.json)
        std::cout << nlohmann::json{{"uuid", added->uuid},
                                    {"people", added->people},
                                    {"case", added->caseCode.empty() ? "new" : added->caseCode},
                                    {"kind", added->kind}}
                         .dump()
                  << "\n";
    else
        std::cout << added->uuid << "\n";
    return kOk;
}

}  // namespace kiosk::cli
