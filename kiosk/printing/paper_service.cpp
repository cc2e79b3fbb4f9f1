#include "kiosk/printing/paper_service.h"

#include "core/calendar.h"
#include "core/deployment_words.h"
#include "core/reference_data.h"
#include "kiosk/printing/cups_printer.h"

namespace kiosk::printing {

Result<PaperResources> loadPaperResources(const std::filesystem::path& dir) {
    auto forms = papers::PaperForms::load(dir / "paper_forms.tsv");
    if (!forms) return forms.error();
    auto strings = Strings::load(dir / "strings.tsv");
    if (!strings) return strings.error();
    auto words = loadDeploymentWords(dir, deploymentToday());
    if (!words) return words.error();
    strings->setWords(*words);
    return PaperResources{std::move(*forms), std::move(*strings)};
}

Result<papers::Paper> makePaper(store::KioskStore& store, const PaperResources& resources,
                                const PaperRequest& request, int64_t nowUnix) {
    papers::PaperInput in;
    if (request.opened) {
        in.record = *request.opened;
    } else {
        auto found = store.find(request.code);
        if (!found) return found.error();
        if (!*found)
            return makeError("record.unknown", "Không có hồ sơ " + request.code + " trên máy này.",
                             "No record " + request.code + " on this kiosk.");
        in.record = std::move(**found);
    }
    in.communeName = store.communeName();
    if (const Procedure* p = store.procedure(in.record.procedureCode)) {
        in.procedureName = p->name;
        in.documents = p->documents;
    }
    in.pin = request.pin;
    in.today = localFromUnix(nowUnix).date;
    in.newDue = request.newDue;
    in.officerRequested = request.officerRequested;
    in.size = papers::pageSizeFromSlug(store::printSettings(store).paper).value_or(papers::PageSize::A5);
    in.lang = Lang::Vi;  // papers are official documents: Vietnamese
    return papers::buildPaper(request.kind, in, resources.forms, resources.strings);
}

Result<store::JournalEntry> printEntry(store::KioskStore& store, const PaperResources& resources, int64_t id,
                                       const PaperRequest& request, int64_t nowUnix) {
    const store::PrintSettings settings = store::printSettings(store);
    Outcome outcome;
    const std::string wanted = request.printer.empty() ? settings.printer : request.printer;
    std::string queue = wanted;
    auto paper = makePaper(store, resources, request, nowUnix);
    Result<std::string> pdf = paper ? papers::renderPdf(*paper) : Result<std::string>(paper.error());
    if (!pdf) {
        outcome = pdf.error();
    } else if (auto ready = readyPrinter(wanted); !ready) {
        outcome = ready.error();
    } else {
        queue = *ready;
        auto job = submitPdf(queue, paper->documentTitle(), *pdf);
        if (!job)
            outcome = job.error();
        else if (auto ok = store::markPaperPrinted(store, id, queue, *job, nowUnix); !ok)
            return ok.error();
    }
    if (!outcome.ok())
        if (auto ok = store::markPaperFailed(store, id, queue, outcome.error(), nowUnix); !ok)
            return ok.error();
    return store::journalEntry(store, id);
}

}  // namespace kiosk::printing
