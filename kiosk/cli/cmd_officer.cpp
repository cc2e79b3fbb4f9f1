// kioskctl officer, act, reception: the commune officer's work without a window.
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "kiosk/cli/cli.h"
#include "kiosk/core/receipt_code.h"
#include "kiosk/core/state_machine.h"
#include "kiosk/core/text.h"
#include "kiosk/store/officers.h"

namespace kiosk::cli {
namespace {

int64_t nowUnix() { return int64_t(std::time(nullptr)); }

// --officer ID --pin-stdin: the officer's PIN on standard input, never on the command line.
Result<store::Officer> login(Context& ctx, store::KioskStore& store) {
    auto id = ctx.args.get("officer");
    if (!id || !ctx.args.has("pin-stdin"))
        return makeError("cli.login", "Cần --officer MÃ và --pin-stdin (mã PIN qua đầu vào chuẩn).",
                         "--officer ID and --pin-stdin (the PIN on standard input) are required.");
    return store::verifyOfficer(store, *id, readStdinLine(), nowUnix());
}

}  // namespace

int cmdOfficer(Context& ctx) {
    const std::string sub = ctx.args.positional.empty() ? "" : ctx.args.positional[0];
    auto id = ctx.args.get("id");
    if ((sub != "add" && sub != "disable" && sub != "reset-pin" && sub != "list") || (sub != "list" && !id))
        return ctx.fail("Cách dùng: kioskctl officer add|disable|reset-pin --id MÃ ...",
                        "Usage: kioskctl officer add|disable|reset-pin --id ID ...");
    auto opened = ctx.openStore();
    if (!opened) return ctx.fail(opened.error());
    store::KioskStore& store = **opened;
    Outcome done;
    if (sub == "list") {
        auto officers = store::listOfficers(store);
        if (!officers) return ctx.fail(officers.error(), kInternal);
        for (const auto& o : *officers)
            std::cout << o.id << "\t" << o.name << "\t" << o.role << (o.disabled ? "\tdisabled" : "") << "\n";
        return kOk;
    }
    if (sub == "add") {
        if (!ctx.args.has("pin-stdin"))
            return ctx.fail("Cần --pin-stdin: nhập mã PIN qua đầu vào chuẩn.", "--pin-stdin is required.");
        auto name = normalizeText(ctx.args.get("name").value_or(""), 100, false);
        if (!name) return ctx.fail(name.error());
        store::Officer officer{*id, *name, ctx.args.get("role").value_or("officer"), false};
        done = store::addOfficer(store, officer, readStdinLine());
    } else if (sub == "disable") {
        done = store::disableOfficer(store, *id);
    } else {
        if (!ctx.args.has("pin-stdin"))
            return ctx.fail("Cần --pin-stdin: nhập mã PIN mới qua đầu vào chuẩn.", "--pin-stdin is required.");
        done = store::resetOfficerPin(store, *id, readStdinLine());
    }
    if (!done) return ctx.fail(done.error());
    return kOk;
}

int cmdAct(Context& ctx) {
    if (ctx.args.positional.size() != 2)
        return ctx.fail("Cách dùng: kioskctl act MÃ --officer MÃ_CB --pin-stdin THAO_TÁC [--note GHI_CHÚ]",
                        "Usage: kioskctl act CODE --officer ID --pin-stdin ACTION [--note T]");
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
    nlohmann::json payload = nlohmann::json::object();
    if (auto note = ctx.args.get("note")) {
        auto clean = normalizeText(*note, 2000, true);
        if (!clean) return ctx.fail(clean.error());
        payload["note"] = *clean;
    }
    auto opened = ctx.openStore();
    if (!opened) return ctx.fail(opened.error());
    store::KioskStore& store = **opened;
    auto officer = login(ctx, store);
    if (!officer) return ctx.fail(officer.error());
    auto record = store.act(code, *action, Actor{Role::CommuneOfficer, officer->id}, payload, nowUnix());
    if (!record) return ctx.fail(record.error(), record.error().code.rfind("db.", 0) == 0 ? kInternal : kBadInput);
    if (ctx.json)
        std::cout << nlohmann::json{{"code", record->code}, {"status", toSlug(record->status)},
                                    {"due", record->due.iso()}}.dump()
                  << "\n";
    else
        std::cout << record->code << "\t" << toSlug(record->status) << "\t" << record->due.iso() << "\n";
    return kOk;
}

int cmdReception(Context& ctx) {
    if (ctx.args.positional.empty() || ctx.args.positional[0] != "add")
        return ctx.fail("Cách dùng: kioskctl reception add --officer MÃ --pin-stdin --people N --case new|MÃ",
                        "Usage: kioskctl reception add --officer ID --pin-stdin --people N --case new|CODE");
    return ctx.fail("Ghi nhận tiếp công dân chưa có trong phiên bản này.",
                    "Recording citizen receptions is not available in this version yet.", kBadInput);
}

}  // namespace kiosk::cli
