// StoreController's papers: the journal row first (nothing asked for is lost), then the printer
// thread (kiosk/printing/print_queue.h), whose progress the screens poll.
#include "kiosk/printing/print_queue.h"
#include "kiosk/service/store_controller.h"
#include "kiosk/store/print_journal.h"

namespace kiosk::app {
namespace {

// What the printer thread needs besides the code: with an officer logged in, the record as the
// officer may open it (identity, content), so a reprinted petition or receipt form carries them;
// the printer thread's own connection is never unlocked.
printing::PaperRequest requestFor(store::KioskStore& store, const std::string& code, papers::PaperKind kind) {
    printing::PaperRequest request;
    request.code = code;
    request.kind = kind;
    if (store.unlocked()) {
        auto found = store.find(code);
        if (found && *found) request.opened = std::move(**found);
        request.officerRequested = true;
    }
    return request;
}

}  // namespace

Result<int64_t> StoreController::printPaper(const std::string& code, const std::string& paper,
                                            const std::string& pin) {
    const auto kind = papers::paperKindFromSlug(paper);
    if (!kind)
        return makeError("paper.kind", "Không có loại giấy " + paper + ".", "No paper kind " + paper + ".");
    auto entry = store::journalPaper(m_store, code, paper, nowUnix());
    if (!entry) return entry.error();
    if (m_printQueue) {
        printing::PaperRequest request = requestFor(m_store, code, *kind);
        if (!pin.empty()) request.pin = pin;
        m_printQueue->enqueue(entry->id, std::move(request));
    }
    return entry->id;
}

ui::PaperState StoreController::paperState(int64_t id) {
    if (!m_printQueue) return {};
    const printing::PaperProgress p = m_printQueue->progress(id);
    ui::PaperState out;
    out.fault = p.fault;
    switch (p.state) {
        case printing::PaperProgress::State::Printing:
            out.state = ui::PaperState::State::Printing;
            break;
        case printing::PaperProgress::State::Printed:
            out.state = ui::PaperState::State::Printed;
            break;
        case printing::PaperProgress::State::Failed:
            out.state = ui::PaperState::State::Failed;
            break;
        case printing::PaperProgress::State::Unknown:
            break;
    }
    return out;
}

Result<std::vector<ui::UnprintedPaper>> StoreController::unprintedPapers() {
    auto rows = store::unprintedPapers(m_store);
    if (!rows) return rows.error();
    std::vector<ui::UnprintedPaper> out;
    for (const store::JournalEntry& e : *rows)
        out.push_back({e.id, e.recordCode, e.paper, e.status == store::PaperStatus::Failed, e.reasonMessage,
                       e.updatedAt, e.attempts});
    return out;
}

Outcome StoreController::retryPaper(int64_t id) {
    auto entry = store::journalEntry(m_store, id);
    if (!entry) return entry.error();
    const auto kind = papers::paperKindFromSlug(entry->paper);
    if (!kind)
        return makeError("paper.kind", "Không có loại giấy " + entry->paper + ".",
                         "No paper kind " + entry->paper + ".");
    if (auto ok = store::markPaperPending(m_store, id, nowUnix()); !ok) return ok;
    if (m_printQueue) m_printQueue->enqueue(id, requestFor(m_store, entry->recordCode, *kind));
    return {};
}

}  // namespace kiosk::app
