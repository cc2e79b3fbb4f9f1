// kioskctl init, submit-petition, register-dossier, status, search, list. Besides init (which
// configures the database), each reads its arguments, asks the kiosk service (kiosk/service, the
// same use cases as the window) and prints the answer.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "kiosk/cli/cli.h"
#include "core/receipt_code.h"
#include "core/reference_data.h"
#include "kiosk/service/status_throttle.h"
#include "sync/client/district_trust.h"

namespace kiosk::cli {
namespace {

std::string kindName(const Record& r, Lang lang) {
    if (r.kind == RecordKind::Dossier)
        return lang == Lang::En ? "Administrative dossier" : "Hồ sơ thủ tục hành chính";
    return std::string(displayName(r.petitionKind, lang == Lang::En));
}

std::string actorName(const Actor& a, Lang lang) {
    const bool en = lang == Lang::En;
    switch (a.role) {
        case Role::Kiosk:
            return en ? "kiosk" : "máy tiếp nhận";
        case Role::CommuneOfficer:
            return (en ? "commune officer " : "cán bộ xã ") + a.id;
        case Role::DistrictOfficer:
            return en ? "upper level" : "cấp trên";
    }
    return a.id;
}

}  // namespace

std::string kindSlug(const Record& r) {
    return r.kind == RecordKind::Dossier ? "dossier" : std::string(toSlug(r.petitionKind));
}

// [SECTION] init

namespace {

// After a change of commune: whoami is asked at the next sync (the district's view of this
// kiosk), and the old notice that the commune changed is done with.
Outcome communeChanged(store::KioskStore& store) {
    if (auto ok = store::writeMeta(store.database(), "successor", ""); !ok) return ok;
    return store::writeMeta(store.database(), "district_pk_checked_ms", "0");
}

}  // namespace

int cmdInit(Context& ctx) {
    auto commune = ctx.args.get("commune");
    if (!commune)
        return ctx.fail("Thiếu --commune MÃ_XÃ (mã đơn vị hành chính 5 chữ số).",
                        "Missing --commune CODE (the 5-digit administrative unit code).");
    auto server = ctx.args.get("server");
    auto token = ctx.args.get("token");
    if (server.has_value() != token.has_value())
        return ctx.fail("--server và --token phải đi cùng nhau.", "--server and --token go together.");
    if (server && server->rfind("http://", 0) != 0 && server->rfind("https://", 0) != 0)
        return ctx.fail("--server phải bắt đầu bằng http:// hoặc https://.",
                        "--server must start with http:// or https://.");
    // Refused before anything is written, so no citizen's data can later cross a network in the
    // clear by accident; loopback stays allowed (a district on the same machine, the tests).
    const bool insecureHttp = ctx.args.has("insecure-http");
    if (server && !insecureHttp && client::isInsecureRemoteUrl(*server))
        return ctx.fail(
            "--server dùng http:// không mã hoá tới máy khác; dùng https:// (với --ca), hoặc "
            "thêm --insecure-http nếu chấp nhận rủi ro.",
            "--server uses unencrypted http:// to another machine; use https:// (with --ca), "
            "or add --insecure-http to accept the risk.");
    auto districtKeyText = ctx.args.get("district-key");
    std::optional<client::DistrictPin> districtKey;
    if (districtKeyText) {
        districtKey = client::parseDistrictPin(*districtKeyText);
        if (!districtKey)
            return ctx.fail(
                "--district-key không phải khoá hợp lệ của máy chủ (chuỗi của district-server keygen, "
                "hoặc khoá công khai base64 32 byte).",
                "--district-key is not a valid server key (the string district-server keygen "
                "prints, or a base64 32-byte public key).");
    }
    // The receipt-code slot the district gave at enrollment (enroll-kiosk prints it): codes issued
    // before the kiosk knows it carry 00 and are accepted when older than its first whoami.
    const auto slotText = ctx.args.get("slot");
    int slot = 0;
    if (slotText) {
        char* end = nullptr;
        const long value = std::strtol(slotText->c_str(), &end, 10);
        if (slotText->empty() || *end != '\0' || value < 1 || value > 99)
            return ctx.fail("--slot phải là số máy từ 1 đến 99 mà enroll-kiosk in ra.",
                            "--slot must be the slot 1 to 99 that enroll-kiosk printed.");
        slot = int(value);
    }
    if (auto refused = checkPrintOptions(ctx)) return *refused;
    auto ca = ctx.args.get("ca");
    if (ca && !std::filesystem::is_regular_file(*ca))
        return ctx.fail("Không đọc được tệp CA " + *ca + ".", "Cannot read the CA file " + *ca + ".");

    auto reference = loadReferenceData(assetsDir());
    if (!reference) return ctx.fail(reference.error(), kInternal);
    if (!reference->commune(*commune))
        return ctx.fail("Mã xã “" + *commune + "” không thuộc danh sách đơn vị hành chính.",
                        "“" + *commune + "” is not a known commune code.");

    auto opened = ctx.openStore(/*create=*/true);
    if (!opened) return ctx.fail(opened.error(), kInternal);
    store::KioskStore& store = **opened;

    store::KioskConfig config;
    if (auto previous = store.config()) config = *previous;
    const bool moved = store.initialized() && config.commune != *commune;
    config.commune = *commune;
    // A new token is a new enrollment with a slot of its own: until --slot or whoami says it, codes
    // carry 00 (core/receipt_code.h).
    const auto previousToken = store.token();  // a loose file (file.mode) is replaced below
    const bool newToken = token && (!previousToken || *previousToken != *token);
    if (!store.initialized() || newToken) config.slot = 0;
    if (slotText) config.slot = slot;
    if (server) {
        config.serverUrl = *server;
        if (newToken) config.kioskId.clear();  // learned again from the new token
    }
    if (ca) config.caFile = std::filesystem::absolute(*ca).string();
    if (districtKey) config.districtKey = districtKey->sealing;
    if (auto ok = store.configure(config, *reference); !ok) return ctx.fail(ok.error());
    if (moved)
        if (auto ok = communeChanged(store); !ok) return ctx.fail(ok.error(), kInternal);
    if (token)
        if (auto ok = store.setToken(*token); !ok) return ctx.fail(ok.error(), kInternal);
    if (districtKey)
        if (auto ok = client::writeDistrictPin(store, *districtKey); !ok)
            return ctx.fail(ok.error(), kInternal);
    if (server)
        if (auto ok = store::writeMeta(store.database(), "insecure_http", insecureHttp ? "1" : ""); !ok)
            return ctx.fail(ok.error(), kInternal);
    if (auto ok = savePrintOptions(ctx, store); !ok) return ctx.fail(ok.error(), kInternal);
    if (server && config.slot == 0)
        std::cerr << ctx.say(
                         "Chú ý: chưa có --slot; máy học số máy ở lần đồng bộ đầu tiên; hồ sơ nhận "
                         "trước đó mang số 00.",
                         "Note: no --slot; the kiosk learns its slot at its first sync; records taken "
                         "before that carry slot 00.")
                  << "\n";
    if (ctx.json) {
        std::cout << nlohmann::json{{"commune", config.commune},
                                    {"db", ctx.dbPath},
                                    {"server", config.serverUrl},
                                    {"slot", config.slot}}
                         .dump()
                  << "\n";
    } else {
        std::cout << ctx.say("Đã cài đặt máy cho ", "Kiosk set up for ") << store.communeName() << " ("
                  << config.commune << "): " << ctx.dbPath << "\n";
    }
    return kOk;
}

// [SECTION] submit-petition and register-dossier

int cmdSubmitPetition(Context& ctx) {
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    PetitionInput input;
    input.kind = ctx.args.get("type").value_or("");
    input.name = ctx.args.get("name").value_or("");
    input.cccd = ctx.args.get("cccd").value_or("");
    input.phone = ctx.args.get("phone").value_or("");
    input.address = ctx.args.get("address").value_or("");
    input.content = ctx.args.get("content").value_or("");
    input.firstCode = ctx.args.get("second-time").value_or("");
    input.noPhone = ctx.args.has("no-phone");
    input.writerName = ctx.args.get("writer").value_or("");  // người viết hộ, sealed with the identity
    input.writerRelation = ctx.args.get("writer-relation").value_or("");
    if (input.noPhone && !input.phone.empty())
        return ctx.fail("--no-phone và --phone không đi cùng nhau.",
                        "--no-phone and --phone do not go together.");
    auto record = (*kiosk)->submitPetition(input);  // validated, then stored
    if (!record) return ctx.fail(record.error(), exitFor(record.error()));
    if (ctx.json) {
        nlohmann::json out{
            {"code", record->code},
            {"due", hasDue(*record) ? nlohmann::json(record->due.iso()) : nlohmann::json(nullptr)}};
        if (!record->checkPin.empty()) out["check_pin"] = record->checkPin;
        std::cout << out.dump() << "\n";
    } else {
        std::cout << record->code << "\n";
        // The second line only without a phone: the PIN the citizen checks the status with.
        if (!record->checkPin.empty()) std::cout << record->checkPin << "\n";
    }
    app::wipeRecord(*record);
    return kOk;
}

int cmdRegisterDossier(Context& ctx) {
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    DossierInput input;
    input.procedure = ctx.args.get("procedure").value_or("");
    input.name = ctx.args.get("name").value_or("");
    input.phone = ctx.args.get("phone").value_or("");
    input.cccd = ctx.args.get("cccd").value_or("");
    input.delivery = ctx.args.get("delivery").value_or("counter");
    input.address = ctx.args.get("address").value_or("");
    input.noPhone = ctx.args.has("no-phone");
    if (input.noPhone && !input.phone.empty())
        return ctx.fail("--no-phone và --phone không đi cùng nhau.",
                        "--no-phone and --phone do not go together.");
    auto record = (*kiosk)->registerDossier(input);  // validated against the procedure, then stored
    if (!record) return ctx.fail(record.error(), exitFor(record.error()));
    if (ctx.json) {
        nlohmann::json out{
            {"code", record->code},
            {"due", hasDue(*record) ? nlohmann::json(record->due.iso()) : nlohmann::json(nullptr)}};
        if (!record->checkPin.empty()) out["check_pin"] = record->checkPin;
        std::cout << out.dump() << "\n";
    } else {
        std::cout << record->code << "\n";
        // The second line only without a phone, as for a petition: the PIN the status check takes.
        if (!record->checkPin.empty()) std::cout << record->checkPin << "\n";
        std::cerr << ctx.say("Hạn trả kết quả: ", "Result due: ") << record->due.iso() << "\n";
    }
    app::wipeRecord(*record);
    return kOk;
}

// [SECTION] status

namespace {

// A transferred record is the receiving agency's to date: this unit's clock stopped, so the due
// date it had here is no longer anybody's (the kiosk's status screen shows none either).
bool showsDue(const Record& record) { return hasDue(record) && record.status != RecordStatus::Transferred; }

void printStatusJson(const ui::StatusReport& report) {
    const Record& record = report.record;
    nlohmann::json h = nlohmann::json::array();
    for (const ui::HistoryLine& e : report.history)
        h.push_back({{"at", isoLocalTime(e.at)},
                     {"status", toSlug(e.status)},
                     {"actor", toSlug(e.actor)},
                     {"note", e.note},
                     {"action", toSlug(e.action)}});
    nlohmann::json out{
        {"code", record.code},
        {"kind", kindSlug(record)},
        {"status", toSlug(record.status)},
        {"due", (showsDue(record) ? nlohmann::json(record.due.iso()) : nlohmann::json(nullptr))},
        {"overdue", report.overdue},
        {"synced_at", report.syncedAt ? nlohmann::json(isoLocalTime(report.syncedAt)) : nlohmann::json()},
        {"history", h}};
    if (!record.officialCode.empty()) out["official_code"] = record.officialCode;
    if (isSecondTime(record)) out["first_code"] = record.linkedCode;
    if (record.status == RecordStatus::Transferred) {
        // Old transfers named no agency: null slug, "cơ quan có thẩm quyền".
        const auto& agencies = report.agencies;
        out["agency"] = {{"slug", record.transferAgency.empty() ? nlohmann::json()
                                                                : nlohmann::json(record.transferAgency)},
                         {"name", agencyName(agencies, record.transferAgency)},
                         {"name_en", agencyName(agencies, record.transferAgency, true)}};
    }
    if (!record.withdrawnParts.empty()) out["withdrawn_parts"] = record.withdrawnParts;
    std::cout << out.dump() << "\n";
}

// "Hạn: …", or for a transferred record where it went instead: the agency sets its own date.
std::string dueLine(const Context& ctx, const ui::StatusReport& report) {
    const Record& record = report.record;
    if (record.status == RecordStatus::Transferred)
        return ctx.say("Đã chuyển đến: ", "Passed to: ") +
               agencyName(report.agencies, record.transferAgency, ctx.lang == Lang::En) +
               ctx.say(" (cơ quan này giải quyết và hẹn ngày trả lời)",
                       " (that agency settles it and gives its own date)") +
               "\n";
    return ctx.say("Hạn: ", "Due: ") +
           (hasDue(record) ? record.due.iso()
                           : ctx.say("cán bộ sẽ hẹn ngày trả kết quả", "an officer will give a date")) +
           (report.overdue ? ctx.say(" (quá hạn)", " (overdue)") : std::string()) + "\n";
}

void printStatusText(const Context& ctx, const ui::StatusReport& report) {
    const Record& record = report.record;
    const bool en = ctx.lang == Lang::En;
    std::cout << ctx.say("Mã biên nhận: ", "Receipt code: ") << formatReceiptCode(record.code) << "\n";
    if (!record.officialCode.empty())
        std::cout << ctx.say("Mã hồ sơ: ", "Dossier code: ") << record.officialCode << "\n";
    std::cout << ctx.say("Loại: ", "Kind: ") << kindName(record, ctx.lang) << "\n"
              << ctx.say("Tình trạng: ", "Status: ") << displayName(record.status, record.kind, en) << "\n"
              << dueLine(ctx, report) << ctx.say("Thông tin tính đến: ", "Information as of: ")
              << (report.syncedAt ? isoLocalTime(report.syncedAt)
                                  : ctx.say("chưa đồng bộ với máy chủ", "not yet synced with the server"))
              << "\n"
              << ctx.say("Lịch sử:", "History:") << "\n";
    for (const ui::HistoryLine& e : report.history) {
        std::cout << "  " << isoLocalTime(e.at).substr(0, 16) << "  "
                  << displayName(e.status, record.kind, en) << "  ("
                  << actorName(Actor{e.actor, e.actorId}, ctx.lang) << ")";
        if (!e.note.empty()) std::cout << " — " << e.note;
        std::cout << "\n";
    }
}

}  // namespace

// The same check as the window's: failed checks are counted per code in the kiosk database, so a
// code guessed at too often is refused here as it is on the screen.
int cmdStatus(Context& ctx) {
    if (ctx.args.positional.size() != 1)
        return ctx.fail("Cách dùng: kioskctl status MÃ --phone-last4 NNNN",
                        "Usage: kioskctl status CODE --phone-last4 NNNN");
    auto last4 = ctx.args.get("phone-last4");
    if (!last4 || last4->size() != 4 || last4->find_first_not_of("0123456789") != std::string::npos)
        return ctx.fail("Cần --phone-last4 là 4 chữ số cuối của số điện thoại đã khai.",
                        "--phone-last4 must be the last 4 digits of the phone number given.");
    std::string typed = ctx.args.positional[0];
    std::string code;
    if (looksLikeOfficialCode(typed)) {
        code = typed;
    } else {
        auto parsed = parseReceiptCode(typed);  // the check digit catches typos before any lookup
        if (!parsed) return ctx.fail(parsed.error());
        code = parsed->digits;
    }
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    auto check = (*kiosk)->checkStatus(code, *last4);
    if (!check) return ctx.fail(check.error(), kInternal);
    if (check->refused) {
        const std::string vi = app::lockDuration(check->lockedSeconds, Lang::Vi);
        const std::string en = app::lockDuration(check->lockedSeconds, Lang::En);
        return ctx.fail(makeError("status.locked",
                                  "Mã này đã bị tra cứu sai quá nhiều lần: tạm khoá, thử lại sau " + vi + ".",
                                  "Too many failed checks of this code: locked, try again in " + en + "."));
    }
    if (!check->report)
        return ctx.fail(makeError("status.not-found", "Không tìm thấy hồ sơ với mã và 4 số điện thoại này.",
                                  "No record matches this code and these 4 phone digits."));
    if (ctx.json)
        printStatusJson(*check->report);
    else
        printStatusText(ctx, *check->report);
    return kOk;
}

// [SECTION] search and list

int cmdSearch(Context& ctx) {
    std::string query;
    for (const auto& p : ctx.args.positional) query += (query.empty() ? "" : " ") + p;
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    auto hits = (*kiosk)->searchProcedures(query, 50);
    if (!hits) return ctx.fail(hits.error(), kInternal);
    if (ctx.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& h : *hits)
            out.push_back({{"code", h.code.empty() ? h.id : h.code},
                           {"id", h.id},
                           {"name", h.name},
                           {"days", h.days ? nlohmann::json(*h.days) : nlohmann::json()},
                           {"working_days", h.working},
                           {"fee", h.fee.empty() ? nlohmann::json() : nlohmann::json(h.fee)}});
        std::cout << out.dump() << "\n";
        return kOk;
    }
    if (hits->empty()) std::cout << ctx.say("Không tìm thấy thủ tục nào.", "No procedure found.") << "\n";
    for (const auto& h : *hits) {
        std::cout << (h.code.empty() ? h.id : h.code) << "\t" << h.name << "\t";
        if (h.days)
            std::cout << *h.days
                      << (h.working ? ctx.say(" ngày làm việc", " working days") : ctx.say(" ngày", " days"));
        else
            std::cout << ctx.say("thời hạn: hỏi tại quầy", "time: ask at the counter");
        std::cout << "\n";
    }
    return kOk;
}

int cmdList(Context& ctx) {
    ui::QueueFilter filter;
    filter.openOnly = false;
    filter.overdueOnly = ctx.args.has("overdue");
    filter.limit = store::ListFilter{}.limit;
    if (auto s = ctx.args.get("status")) {
        filter.status = statusFromSlug(*s);
        if (!filter.status)
            return ctx.fail("Tình trạng “" + *s + "” không có.", "Unknown status “" + *s + "”.");
    }
    if (auto limit = ctx.args.get("limit")) filter.limit = std::max(1, std::atoi(limit->c_str()));
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    auto rows = (*kiosk)->queue(filter);
    if (!rows) return ctx.fail(rows.error(), kInternal);
    if (ctx.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& row : *rows)
            out.push_back({{"code", row.record.code},
                           {"kind", kindSlug(row.record)},
                           {"status", toSlug(row.record.status)},
                           {"due", (hasDue(row.record) ? nlohmann::json(row.record.due.iso())
                                                       : nlohmann::json(nullptr))},
                           {"overdue", row.overdue}});
        std::cout << out.dump() << "\n";
        return kOk;
    }
    for (const auto& row : *rows)
        std::cout << row.record.code << "\t" << kindSlug(row.record) << "\t" << toSlug(row.record.status)
                  << "\t" << (hasDue(row.record) ? row.record.due.iso() : "-")
                  << (row.overdue ? ctx.say("\tquá hạn", "\toverdue") : std::string()) << "\n";
    return kOk;
}

}  // namespace kiosk::cli
