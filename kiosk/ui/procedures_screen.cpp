#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/procedures_screen.h"

#include "imgui_internal.h"

namespace kiosk::ui {
namespace {

std::string timeText(UiContext& ui, const std::optional<int>& days, bool working) {
    if (!days) return ui.tr("proc.unknown");
    if (*days == 0) return ui.tr("time.same_day");
    return ui.limitText(Limit{*days, working});
}

void detailRow(UiContext& ui, const char* labelKey, const std::string& value) {
    text(ui, ui.tr(labelKey), ui.fonts().bold, ui.theme.colors.mutedText);
    text(ui, value.empty() ? ui.tr("proc.unknown") : value, ui.fonts().body);
    vspace(ui, 6);
}

}  // namespace

bool procedureRow(UiContext& ui, const std::string& idPrefix, const ProcedureHit& hit, bool selected) {
    std::string hint = timeText(ui, hit.days, hit.working);
    hint += "  ·  " + ui.tr("proc.fee") + ": " + (hit.fee.empty() ? ui.tr("common.ask_desk") : hit.fee);
    if (const Procedure* p = ui.controller.reference().procedure(hit.id); p && !p->field.empty())
        hint = p->field + "  ·  " + hint;
    ButtonSpec spec;
    const float inner = ImGui::GetContentRegionAvail().x - ui.px(28);
    spec.size = ImVec2(0, wrappedHeight(ui.fonts().bold, hit.name, inner) +
                              wrappedHeight(ui.fonts().body, hint, inner) + ui.px(52));
    spec.kind = selected ? ButtonKind::Selected : ButtonKind::Secondary;
    spec.hint = hint;
    spec.leftAlign = true;
    return button(ui, idPrefix + hit.id, hit.name, spec);
}

void ProceduresScreen::enter(UiContext& ui) {
    m_query.setComposerOptions(ui.inputOptions);
    if (!m_loaded) refresh(ui);
}

void ProceduresScreen::wipe() {
    m_query.wipe();
    m_keyboardUp = false;
    m_searched.clear();
    m_loaded = false;
    m_hits.clear();
    m_error.reset();
    m_selected.reset();
    m_keyboard.reset();
    m_listScroll.scrollToTop();
    m_detailScroll.scrollToTop();
}

void ProceduresScreen::refresh(UiContext& ui) {
    m_searched = m_query.text();
    m_loaded = true;
    auto hits = ui.controller.searchProcedures(m_searched);
    if (!hits) {
        m_error = hits.error();
        m_hits.clear();
        return;
    }
    m_error.reset();
    m_hits = std::move(hits.value());
    m_listScroll.scrollToTop();
}

void ProceduresScreen::drawList(UiContext& ui, Navigator& nav) {
    const Palette& c = ui.theme.colors;
    if (topBar(ui, ui.tr("proc.title"), true)) {
        nav.endSession();
        return;
    }
    if (!m_loaded || m_searched != m_query.text()) refresh(ui);
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float width = window->Size.x - 2 * margin;
    FieldSpec search;
    search.placeholder = ui.tr("proc.search");
    search.focused = m_keyboardUp;
    search.width = width;
    if (textField(ui, "proc.search", m_query, search)) m_keyboardUp = true;
    std::string count =
        ui.trf("proc.count", {std::to_string(m_hits.size())}) + "  ·  " + ui.tr("proc.search.hint");
    text(ui, count, ui.fonts().body, c.mutedText);

    const float bottomH = m_keyboardUp ? keyboardHeight(ui) : ui.px(24);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size(width, window->Pos.y + window->Size.y - bottomH - pos.y - ui.px(16));
    if (m_listScroll.begin(ui, "proc.list", size)) {
        if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, c.danger);
        if (m_hits.empty() && !m_error) text(ui, ui.tr("proc.search.none"), ui.fonts().bold);
        const bool grouped = m_searched.find_first_not_of(' ') == std::string::npos;
        int group = -1;
        for (size_t i = 0; i < m_hits.size(); ++i) {
            const ProcedureHit& hit = m_hits[i];
            // Nothing searched: the catalog by field (lĩnh vực), each under its heading. A search
            // is ranked instead: the best match first, whatever its field.
            if (grouped && (i == 0 || hit.field != m_hits[i - 1].field)) {
                vspace(ui, i == 0 ? 0 : 16);
                const ImVec2 min = ImGui::GetCursorScreenPos();
                text(ui, hit.field.empty() ? ui.tr("common.unknown") : hit.field, ui.fonts().heading,
                     c.primary);
                ui.widgets.add("proc.group." + std::to_string(++group), min,
                               ImVec2(min.x + size.x, ImGui::GetCursorScreenPos().y), false);
            }
            if (procedureRow(ui, "proc.item.", hit, false)) {
                m_selected = hit.id;
                m_keyboardUp = false;
                m_detailScroll.scrollToTop();
            }
        }
    }
    m_listScroll.end(ui);
    if (m_keyboardUp && m_keyboard.draw(ui, m_query, false)) m_keyboardUp = false;
}

std::string ProceduresScreen::mainText(UiContext& ui) {
    const Procedure* p = m_selected ? ui.controller.reference().procedure(*m_selected) : nullptr;
    if (!p) return spokenText({ui.tr("proc.title"), ui.tr("proc.search"), ui.tr("proc.search.hint")});
    std::string time = p->processingTime;
    if (time.empty() && p->limit) time = ui.limitText(*p->limit);
    const auto known = [&](const std::string& value) {
        return value.empty() ? ui.tr("proc.unknown") : value;
    };
    return spokenText({p->name, ui.tr("proc.documents") + ": " + known(p->documents),
                       ui.tr("proc.time") + ": " + known(time), ui.tr("proc.fee") + ": " + known(p->fee),
                       ui.tr("proc.where") + ": " + known(p->where)});
}

void ProceduresScreen::drawDetail(UiContext& ui) {
    const Palette& c = ui.theme.colors;
    if (topBar(ui, ui.tr("proc.title"), true)) {
        m_selected.reset();
        return;
    }
    const Procedure* p = ui.controller.reference().procedure(*m_selected);
    if (!p) {
        m_selected.reset();
        return;
    }
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size(window->Size.x - 2 * margin, window->Pos.y + window->Size.y - pos.y - ui.px(24));
    if (m_detailScroll.begin(ui, "proc.detail", size)) {
        ImGui::PushTextWrapPos(size.x - ui.px(24));
        text(ui, p->name, ui.fonts().heading);
        text(ui,
             ui.tr("proc.code") + ": " + (p->code.empty() ? ui.tr("proc.code.unknown") : p->code) +
                 "   ·   " + ui.tr("proc.field") + ": " +
                 (p->field.empty() ? ui.tr("common.unknown") : p->field),
             ui.fonts().body, c.mutedText);
        vspace(ui, 12);
        detailRow(ui, "proc.documents", p->documents);
        std::string time = p->processingTime;
        if (time.empty() && p->limit) time = ui.limitText(*p->limit);
        detailRow(ui, "proc.time", time);
        if (p->limit && p->limit->days == 0)
            text(ui, ui.tr("proc.same_day_note"), ui.fonts().body, c.mutedText);
        detailRow(ui, "proc.fee", p->fee);
        detailRow(ui, "proc.where", p->where);
        std::string postal = !p->postal   ? ui.tr("proc.unknown")
                             : *p->postal ? ui.tr("proc.postal.yes")
                                          : ui.tr("proc.postal.no");
        detailRow(ui, "proc.postal", postal);
        if (!p->legalBasis.empty()) detailRow(ui, "proc.legal", p->legalBasis);
        noteBox(ui, ui.tr("proc.verify_note"), c.noteBackground, c.fieldBorder);
        ImGui::PopTextWrapPos();
    }
    m_detailScroll.end(ui);
}

void ProceduresScreen::draw(UiContext& ui, Navigator& nav) {
    if (m_selected)
        drawDetail(ui);
    else
        drawList(ui, nav);
}

}  // namespace kiosk::ui
