// kioskctl print: a record's paper to the kiosk's printer through CUPS (journaled: pending, then
// printed or failed with the reason), or to a PDF file with --pdf (no CUPS, no journal). And the
// printer settings of kioskctl init (--printer, --paper).
#include <ctime>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/sealing.h"
#include "core/receipt_code.h"
#include "core/reference_data.h"
#include "kiosk/cli/cli.h"
#include "kiosk/printing/paper_service.h"
#include "kiosk/store/print_journal.h"

namespace kiosk::cli {
namespace {

// The record's code as the journal keys it: receipt digits (spaces and dashes allowed when typed).
std::string receiptDigits(const std::string& typed) {
    std::string digits;
    for (char c : typed)
        if (c != ' ' && c != '-') digits += c;
    return digits;
}

int printToFile(Context& ctx, store::KioskStore& store, const printing::PaperResources& resources,
                const printing::PaperRequest& request, const std::string& path) {
    auto paper = printing::makePaper(store, resources, request, std::time(nullptr));
    if (!paper) return ctx.fail(paper.error(), exitFor(paper.error()));
    if (auto ok = papers::writePdf(*paper, path); !ok) return ctx.fail(ok.error(), kInternal);
    if (ctx.json)
        std::cout << nlohmann::json{{"code", request.code},
                                    {"paper", papers::toSlug(request.kind)},
                                    {"pdf", path}}
                         .dump()
                  << "\n";
    else
        std::cout << path << "\n";
    return kOk;
}

void printEntry(const Context& ctx, const store::JournalEntry& e) {
    if (ctx.json) {
        std::cout << nlohmann::json{{"id", e.id},
                                    {"code", e.recordCode},
                                    {"paper", e.paper},
                                    {"status", store::toSlug(e.status)},
                                    {"printer", e.printer},
                                    {"job", e.job},
                                    {"reason", e.reasonCode}}
                         .dump()
                  << "\n";
    } else if (e.status == store::PaperStatus::Printed) {
        std::cout << ctx.say("Đã gửi tới máy in ", "Sent to printer ") << e.printer << " (job " << e.job
                  << ")\n";
    }
}

}  // namespace

std::optional<int> checkPrintOptions(Context& ctx) {
    auto paper = ctx.args.get("paper");
    if (paper && !papers::pageSizeFromSlug(*paper))
        return ctx.fail("--paper phải là roll80, a5 hoặc a4.", "--paper must be roll80, a5 or a4.");
    return std::nullopt;
}

Outcome savePrintOptions(Context& ctx, store::KioskStore& store) {
    store::PrintSettings settings = store::printSettings(store);
    if (auto printer = ctx.args.get("printer")) settings.printer = *printer;
    if (auto paper = ctx.args.get("paper")) settings.paper = *paper;
    return store::savePrintSettings(store, settings);
}

int cmdPrint(Context& ctx) {
    if (ctx.args.positional.empty())
        return ctx.fail("Cách dùng: kioskctl print MÃ [--paper LOẠI] [--printer TÊN] [--pdf TỆP]",
                        "Usage: kioskctl print CODE [--paper KIND] [--printer NAME] [--pdf FILE]");
    printing::PaperRequest request;
    request.code = receiptDigits(ctx.args.positional.front());
    const std::string slug = ctx.args.get("paper").value_or("slip");
    const auto kind = papers::paperKindFromSlug(slug);
    if (!kind)
        return ctx.fail("--paper phải là slip, receipt-form, petition, supplement hoặc apology.",
                        "--paper must be slip, receipt-form, petition, supplement or apology.");
    request.kind = *kind;
    if (auto newDate = ctx.args.get("new-date")) {
        request.newDue = Date::parse(*newDate);
        if (!request.newDue)
            return ctx.fail("--new-date phải là YYYY-MM-DD.", "--new-date must be YYYY-MM-DD.");
    }
    auto resources = printing::loadPaperResources(assetsDir());
    if (!resources) return ctx.fail(resources.error(), kInternal);
    auto kiosk = ctx.openService();
    if (!kiosk) return ctx.fail(kiosk.error());
    store::KioskStore& store = *kiosk->store;
    if (auto officer = ctx.args.get("officer")) {
        // The officer's key opens the record's identity and content for the paper (never a
        // denouncer's at the commune: it is not sealed to commune officers).
        if (!ctx.args.has("pin-stdin")) return ctx.fail("Cần --pin-stdin.", "--pin-stdin is required.");
        std::string pin = readStdinLine();
        auto session = (*kiosk)->officerLogin(*officer, pin);
        common::wipe(pin);
        if (!session) return ctx.fail(session.error(), exitFor(session.error()));
        if (session->mustChangePin)
            return ctx.fail("Cán bộ phải đặt mã PIN mới trước.", "The officer must set a new PIN first.");
        request.officerRequested = true;
    }
    if (auto path = ctx.args.get("pdf")) return printToFile(ctx, store, *resources, request, *path);

    auto entry = store::journalPaper(store, request.code, std::string(papers::toSlug(request.kind)),
                                     std::time(nullptr));
    if (!entry) return ctx.fail(entry.error(), exitFor(entry.error()));
    request.printer = ctx.args.get("printer").value_or("");
    auto printed = printing::printEntry(store, *resources, entry->id, request, std::time(nullptr));
    if (!printed) return ctx.fail(printed.error(), kInternal);
    printEntry(ctx, *printed);
    if (printed->status == store::PaperStatus::Failed) {
        // A printer fault is temporary (paper, power, cable): the paper waits in the journal.
        if (!ctx.json)
            std::cerr << "kioskctl: " << ctx.say(printed->reasonMessage, printed->reasonMessageEn) << "\n";
        return kTryLater;
    }
    return kOk;
}

}  // namespace kiosk::cli
