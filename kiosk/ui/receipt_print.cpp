#include "kiosk/ui/receipt_print.h"

#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

PaperState ReceiptPrint::state(UiContext& ui) const {
    if (m_refused) return PaperState{PaperState::State::Failed, *m_refused};
    if (!m_id) return {};
    PaperState s = ui.controller.paperState(*m_id);
    // No printer thread knows it (a kiosk without one): the paper waits in the journal.
    if (s.state == PaperState::State::None)
        s = PaperState{PaperState::State::Failed,
                       makeError("printer.none", "Máy không có máy in.", "This kiosk has no printer.")};
    return s;
}

void ReceiptPrint::draw(UiContext& ui, const std::string& code, const std::string& pin) {
    if (m_wanted && !m_id && !m_refused) {
        auto id = ui.controller.printPaper(code, "slip", pin);
        if (id)
            m_id = *id;
        else
            m_refused = id.error();
    }
    if (!m_wanted) return;
    const Palette& c = ui.theme.colors;
    const PaperState s = state(ui);
    switch (s.state) {
        case PaperState::State::Printing:
            text(ui, ui.tr("papers.print.printing"), ui.fonts().heading, c.mutedText);
            break;
        case PaperState::State::Printed:
            text(ui, ui.tr("papers.print.done"), ui.fonts().heading, c.success);
            break;
        case PaperState::State::Failed:
        case PaperState::State::None:
            noteBox(ui, ui.tr("papers.print.failed") + "\n" + ui.tr("papers.print.photo"), c.errorBackground,
                    c.danger, ui.fonts().heading);
            break;
    }
}

}  // namespace kiosk::ui
