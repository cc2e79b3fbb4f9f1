#pragma once
// A record's paper, from the journal to the printer: draw it again from the record (papers/),
// find the printer the settings name, send the PDF, and write the outcome in the journal
// (kiosk/store/print_journal.h) — printed when CUPS accepted the job, failed with the reason
// otherwise. Used by kioskctl print (on its own thread) and by the print queue's thread
// (print_queue.h) for the window.
// It is not: the journal's SQL (kiosk/store) or CUPS itself (cups_printer.h).
// Threads: the caller's; the KioskStore is the calling thread's own.
#include <filesystem>
#include <optional>
#include <string>

#include "core/strings.h"
#include "common/result.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/print_journal.h"
#include "papers/record_papers.h"

namespace kiosk::printing {

// The forms and the words, read once per program.
struct PaperResources {
    papers::PaperForms forms;
    Strings strings;  // with the deployment's words set ({desk})
};
// assets/paper_forms.tsv and strings.tsv from `dir` with the words of the deployment today.
Result<PaperResources> loadPaperResources(const std::filesystem::path& dir);

// What to print besides the record's code and the paper.
struct PaperRequest {
    std::string code;
    papers::PaperKind kind = papers::PaperKind::Slip;
    // The record with its identity opened by a logged-in officer (the console's reprint of a
    // petition or a receipt form); without it the record is read from the store as it is, sealed
    // parts empty, and those lines print dotted.
    std::optional<Record> opened;
    bool officerRequested = false;   // an officer asked for this petition (tố cáo identity allowed)
    std::optional<Date> newDue;      // apology: the new appointment
    std::optional<std::string> pin;  // the citizen's check PIN, printed on the slip when set
    std::string printer;             // the CUPS queue; "" = the kiosk's setting
};

// The paper laid out, at the kiosk's paper size. Errors record.unknown, paper.kind, db.*.
Result<papers::Paper> makePaper(store::KioskStore& store, const PaperResources& resources,
                                const PaperRequest& request, int64_t nowUnix);

// Prints journal entry `id` (pending) now and records the outcome; the entry as it is afterwards.
// A printer fault is not an Error here: the entry comes back failed with its reason. An Error is
// the kiosk's own failure (its database).
Result<store::JournalEntry> printEntry(store::KioskStore& store, const PaperResources& resources, int64_t id,
                                       const PaperRequest& request, int64_t nowUnix);

}  // namespace kiosk::printing
