#pragma once
// The journal of papers to print, and the printer settings. A paper asked for (the citizen's slip
// after "Gửi đơn", an officer's reprint) is written here as pending before it goes to the printer,
// then marked printed (the printer accepted the job) or failed with the reason; officers list the
// unprinted ones and retry them, so a printer fault or a crash loses nothing. Rows name the record
// and the paper, never what is printed on it: the paper is drawn again from the record.
//
//   pending ──markPaperPrinted──▶ printed
//      │  ▲
//      │  └─────markPaperPending (retry)──┐
//      └──markPaperFailed──▶ failed ──────┘
//
// Callers: kiosk/printing (the print queue's thread, kioskctl print) and the officer console through
// kiosk/service. One KioskStore per thread.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::store {

enum class PaperStatus { Pending, Printed, Failed };
std::string_view toSlug(PaperStatus status);  // "pending" | "printed" | "failed"

struct JournalEntry {
    int64_t id = 0;
    std::string recordCode;
    std::string paper;  // papers::toSlug(PaperKind)
    PaperStatus status = PaperStatus::Pending;
    std::string reasonCode;       // the fault's Error code ("" unless failed)
    std::string reasonMessage;    // the fault's message as it was reported, Vietnamese
    std::string reasonMessageEn;  // and English
    std::string printer;          // the CUPS queue it went to
    int64_t job = 0;              // the CUPS job id once accepted
    int attempts = 0;
    int64_t createdAt = 0;
    int64_t updatedAt = 0;
};

// A new pending paper of a record the kiosk holds. Errors record.unknown, db.*.
Result<JournalEntry> journalPaper(KioskStore& store, const std::string& recordCode, const std::string& paper,
                                  int64_t nowUnix);
Result<JournalEntry> journalEntry(KioskStore& store, int64_t id);  // Error paper.unknown when none
Outcome markPaperPrinted(KioskStore& store, int64_t id, const std::string& printer, int64_t job,
                         int64_t nowUnix);
Outcome markPaperFailed(KioskStore& store, int64_t id, const std::string& printer, const Error& reason,
                        int64_t nowUnix);
// Back to pending for another attempt (retry).
Outcome markPaperPending(KioskStore& store, int64_t id, int64_t nowUnix);
// Pending and failed papers, oldest first.
Result<std::vector<JournalEntry>> unprintedPapers(KioskStore& store, int limit = 200);
// A record's papers, newest first.
Result<std::vector<JournalEntry>> recordPapers(KioskStore& store, const std::string& recordCode);

// Where and on what the kiosk prints (meta "printer", "paper"; kioskctl init --printer --paper).
struct PrintSettings {
    std::string printer;       // the CUPS queue; "" = the CUPS default printer
    std::string paper = "a5";  // papers::toSlug(PageSize): roll80 | a5 | a4
};
PrintSettings printSettings(KioskStore& store);
Outcome savePrintSettings(KioskStore& store, const PrintSettings& settings);

}  // namespace kiosk::store
