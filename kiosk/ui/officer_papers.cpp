#include "kiosk/ui/officer_papers.h"

#include "core/receipt_code.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {
namespace {

// How often the unprinted list is read again while shown: the printer thread changes it.
constexpr double kReloadSeconds = 2.0;

void drawState(UiContext& ui, const PaperState& s) {
    const Palette& c = ui.theme.colors;
    switch (s.state) {
        case PaperState::State::Printing:
            text(ui, ui.tr("papers.print.printing"), ui.fonts().body, c.mutedText);
            break;
        case PaperState::State::Printed:
            text(ui, ui.tr("papers.status.printed"), ui.fonts().body, c.success);
            break;
        case PaperState::State::Failed:
            text(ui, ui.text(s.fault), ui.fonts().bold, c.danger);
            break;
        case PaperState::State::None:
            text(ui, ui.tr("papers.status.pending"), ui.fonts().body, c.mutedText);
            break;
    }
}

}  // namespace

std::vector<std::string> papersFor(const Record& record) {
    if (record.kind == RecordKind::Dossier) return {"receipt-form", "slip", "supplement", "apology"};
    return {"slip", "petition"};
}

void RecordPaperButtons::draw(UiContext& ui, const Record& record) {
    text(ui, ui.tr("papers.console.print_paper"), ui.fonts().bold);
    ButtonSpec spec;
    spec.kind = ButtonKind::Secondary;
    spec.size = ImVec2(ui.px(360), ui.px(ui.theme.metrics.buttonHeight));
    bool first = true;
    for (const std::string& paper : papersFor(record)) {
        if (!first) ImGui::SameLine();
        first = false;
        if (button(ui, "paper." + paper, ui.tr("papers.kind." + paper), spec)) {
            auto id = ui.controller.printPaper(record.code, paper);
            m_error.reset();
            if (id)
                m_last = *id;
            else
                m_error = id.error();
        }
    }
    if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, ui.theme.colors.danger);
    if (m_last) drawState(ui, ui.controller.paperState(*m_last));
}

void UnprintedPapersList::reload(UiContext& ui) {
    auto rows = ui.controller.unprintedPapers();
    m_loadedAt = ui.now;
    if (rows) {
        m_rows = std::move(*rows);
        m_error.reset();
    } else {
        m_error = rows.error();
    }
}

void UnprintedPapersList::draw(UiContext& ui) {
    if (m_loadedAt < 0 || ui.now - m_loadedAt > kReloadSeconds) reload(ui);
    text(ui, ui.trf("papers.console.open", {std::to_string(m_rows.size())}), ui.fonts().heading);
    if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, ui.theme.colors.danger);
    if (m_rows.empty()) text(ui, ui.tr("papers.console.none"), ui.fonts().body, ui.theme.colors.mutedText);
    ButtonSpec spec;
    spec.kind = ButtonKind::Secondary;
    spec.size = ImVec2(ui.px(220), ui.px(ui.theme.metrics.buttonHeight));
    for (const UnprintedPaper& row : m_rows) {
        const std::string status = ui.tr(row.failed ? "papers.status.failed" : "papers.status.pending");
        text(ui,
             formatReceiptCode(row.code) + " · " + ui.tr("papers.kind." + row.paper) + " · " + status +
                 " · " + ui.dateTime(row.at),
             ui.fonts().bold);
        if (row.failed && !row.reason.empty()) text(ui, row.reason, ui.fonts().body, ui.theme.colors.danger);
        if (button(ui, "paper.retry." + std::to_string(row.id), ui.tr("papers.console.retry"), spec)) {
            if (auto ok = ui.controller.retryPaper(row.id); !ok) m_error = ok.error();
            m_loadedAt = -1;  // read again next frame
        }
        vspace(ui, 8);
    }
}

}  // namespace kiosk::ui
