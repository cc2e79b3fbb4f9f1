#pragma once
// CUPS, as the kiosk uses it: find the printer (the named queue, or the CUPS default), refuse one
// that is stopped, not accepting jobs or out of paper, send a PDF as one job, and read what CUPS
// says of that job afterwards. Faults come back as bilingual Errors (printer.*), the words officers
// see in the list of unprinted papers.
// Why PDF, also for an 80 mm thermal printer: the paper is drawn once (papers/layout.h) and the
// printer's CUPS driver turns it into what the printer speaks (raster for the usual 80 mm drivers);
// ESC/POS sent raw would need a second renderer and its own code page for Vietnamese marks, and
// would bypass CUPS's queue, which is what reports faults and keeps jobs across a printer's restart.
// The server is libcups's: CUPS_SERVER, ~/.cups/client.conf or /run/cups/cups.sock.
// Threads: libcups keeps one connection per thread; call from any one thread at a time per thread.
#include <string>

#include "common/result.h"

namespace kiosk::printing {

// The queue to print on: `name`, or the CUPS default when empty. Errors printer.unreachable (no
// CUPS scheduler answers), printer.none (no default printer), printer.unknown (no such queue),
// printer.stopped, printer.rejecting (not accepting jobs), printer.paper-out.
Result<std::string> readyPrinter(const std::string& name);

// Sends `pdf` as one job titled `title`; the job's id once CUPS accepted it. Errors
// printer.unreachable, printer.job-refused (CUPS refused the job, with its message).
Result<int> submitPdf(const std::string& printer, const std::string& title, const std::string& pdf);

// What CUPS says of a job now.
struct JobState {
    enum class Kind { Waiting, Done, Failed } kind = Kind::Waiting;  // Waiting: pending, held, processing
    Error fault;  // Failed: printer.job-failed or printer.paper-out, with CUPS's words
};
JobState jobState(const std::string& printer, int job);

}  // namespace kiosk::printing
