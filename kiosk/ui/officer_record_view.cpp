#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/officer_record_view.h"

#include "imgui_internal.h"
#include "core/receipt_code.h"

namespace kiosk::ui {
namespace {

std::string statusKey(const Record& r, RecordStatus s) {
    return std::string("status.") + (r.kind == RecordKind::Dossier ? "dossier." : "petition.") +
           std::string(toSlug(s));
}

std::string actorText(UiContext& ui, const HistoryLine& h) {
    switch (h.actor) {
        case Role::Kiosk:
            return ui.tr("officer.actor.kiosk");
        case Role::CommuneOfficer:
            return ui.trf("officer.actor.commune", {h.actorId});
        case Role::DistrictOfficer:
            return ui.tr("officer.actor.district");
    }
    return h.actorId;
}

void row(UiContext& ui, const std::string& label, const std::string& value) {
    const float labelW = ui.px(ui.largeText ? 420 : 340);
    const float x = ImGui::GetCursorPosX();
    ImGui::BeginGroup();
    text(ui, label, ui.fonts().bold, ui.theme.colors.mutedText, labelW - ui.px(16));
    ImGui::EndGroup();
    ImGui::SameLine(x + labelW);
    ImGui::BeginGroup();
    text(ui, value.empty() ? ui.tr("review.not_given") : value, ui.fonts().body);
    ImGui::EndGroup();
}

}  // namespace

bool actionNeedsNote(Action action, RecordKind kind) {
    return action == Action::Reject || action == Action::RequestInfo || action == Action::Extend ||
           action == Action::Resolve || action == Action::WithdrawPart ||
           (action == Action::Suspend && kind == RecordKind::Petition);
}

std::string actionLabelKey(Action action, RecordKind kind) {
    if (action == Action::Reject && kind == RecordKind::Dossier) return "action.reject.dossier";
    if (action == Action::Suspend && kind == RecordKind::Petition) return "action.suspend.petition";
    return "action." + std::string(toSlug(action));
}

void OfficerRecordView::open(UiContext& ui, const OfficerSession& officer, const std::string& code) {
    wipe();
    m_code = code;
    m_note.setComposerOptions(ui.inputOptions);
    reload(ui, officer);
}

void OfficerRecordView::reload(UiContext& ui, const OfficerSession& officer) {
    auto detail = ui.controller.recordDetail(officer, m_code);
    if (!detail) {
        m_error = detail.error();
        m_detail.reset();
        return;
    }
    m_detail = std::move(detail.value());
}

void OfficerRecordView::wipe() {
    m_papers.reset();
    if (m_detail) {
        Record& r = m_detail->record;
        for (std::string* s :
             {&r.content, &r.resultNote, &r.identity.name, &r.identity.cccd, &r.identity.phone,
              &r.identity.address, &r.identity.writerName, &r.identity.writerRelation})
            wipeString(*s);
        for (HistoryLine& h : m_detail->history) wipeString(h.note);
    }
    m_detail.reset();
    m_code.clear();
    m_error.reset();
    m_pending.reset();
    m_agency.clear();
    m_agencyMissing = false;
    m_noteFocused = false;
    m_noteMissing = false;
    m_done = false;
    m_note.wipe();
    m_keyboard.reset();
    m_scroll.scrollToTop();
}

void OfficerRecordView::drawRecord(UiContext& ui) {
    const Palette& c = ui.theme.colors;
    const RecordDetail& d = *m_detail;
    const Record& r = d.record;
    const Date today = localFromUnix(ui.controller.nowUnix()).date;
    text(ui, formatReceiptCode(r.code) + (r.officialCode.empty() ? "" : "   ·   " + r.officialCode),
         ui.fonts().heading);
    std::string kind;
    if (r.kind == RecordKind::Dossier) {
        kind = ui.tr("kind.dossier");
        if (const Procedure* p = ui.controller.reference().procedure(r.procedureCode))
            kind += " — " + p->name;
    } else {
        kind = ui.tr("petition.kind." + std::string(toSlug(r.petitionKind)) + ".name");
    }
    row(ui, ui.tr("officer.col.kind"), kind);
    row(ui, ui.tr("officer.col.status"), ui.tr(statusKey(r, r.status)));
    row(ui, ui.tr("officer.col.received"), ui.date(r.receivedOn));
    std::string due = hasDue(r) ? ui.date(r.due) : ui.tr("officer.due.none");
    ImU32 dueColor = c.text;
    if (!isFinal(r.status) && isOverdue(r, today)) {
        due += "  —  " +
               ui.trf("officer.overdue", {ui.limitText(Limit{int(today.toDays() - r.due.toDays()), false})});
        dueColor = c.danger;
    } else if (!isFinal(r.status) && isDueSoon(ui.controller.rules(), r, today)) {
        due += "  —  " + ui.tr("status.due_soon");
        dueColor = c.warning;
    }
    {
        const float labelW = ui.px(ui.largeText ? 420 : 340);
        const float x = ImGui::GetCursorPosX();
        text(ui, hasDue(r) ? ui.deadlineLabel(r) : ui.tr("officer.col.due"), ui.fonts().bold, c.mutedText,
             labelW - ui.px(16));
        ImGui::SameLine(x + labelW);
        text(ui, due, ui.fonts().bold, dueColor);
    }
    if (isDenunciation(r)) {
        const auto it = ui.controller.rules().petitionLimits.find(PetitionKind::Denunciation);
        const PetitionLimits limits = it != ui.controller.rules().petitionLimits.end()
                                          ? it->second
                                          : defaultPetitionLimits(PetitionKind::Denunciation);
        const int most = extensionsAllowed(limits, complexity(r));
        row(ui, ui.tr("officer.complexity"), ui.tr("complexity." + std::string(toSlug(complexity(r)))));
        row(ui, ui.tr("action.extend"),
            ui.trf("officer.extensions", {std::to_string(r.extensions), std::to_string(most)}));
    }
    if (r.complex) row(ui, ui.tr("officer.complex"), ui.tr("common.yes"));
    if (r.kind == RecordKind::Dossier)
        row(ui, ui.tr("officer.delivery"),
            ui.tr(r.delivery == Delivery::Post ? "delivery.post" : "delivery.counter"));
    vspace(ui, 6);
    if (d.identityHidden) {
        noteBox(ui, ui.tr("officer.identity_hidden"), c.noteBackground, c.primary);
    } else {
        row(ui, ui.tr("review.name"), r.identity.name);
        row(ui, ui.tr("review.cccd"), r.identity.cccd);
        row(ui, ui.tr("review.phone"), r.identity.phone);
        row(ui, ui.tr("review.address"), r.identity.address);
        if (!r.identity.writerName.empty())
            row(ui, ui.tr("writer.label"),
                r.identity.writerName +
                    (r.identity.writerRelation.empty() ? "" : " (" + r.identity.writerRelation + ")"));
    }
    if (!r.content.empty())
        row(ui, ui.tr(r.kind == RecordKind::Dossier ? "officer.note" : "review.content"), r.content);
    if (!r.resultNote.empty()) row(ui, ui.tr("check.result_note"), r.resultNote);
    if (r.suspendedOn) row(ui, ui.tr("officer.suspended_since"), ui.date(*r.suspendedOn));
    if (!r.withdrawnParts.empty()) row(ui, ui.tr("officer.withdrawn_parts"), r.withdrawnParts);
    if (r.status == RecordStatus::Transferred) {
        row(ui, ui.tr("officer.transferred_to"),
            agencyName(ui.controller.rules().agencies, r.transferAgency, ui.lang == Lang::En));
        noteBox(ui, ui.tr("officer.transferred_readonly"), c.noteBackground, c.fieldBorder);
    }
    vspace(ui, 8);
    text(ui, ui.tr("check.history"), ui.fonts().heading);
    for (const HistoryLine& h : d.history) {
        std::string line = ui.dateTime(h.at) + "  —  " + ui.tr(actionLabelKey(h.action, r.kind)) + "  →  " +
                           ui.tr(statusKey(r, h.status)) + "  (" + actorText(ui, h) + ")";
        text(ui, line, ui.fonts().bold);
        if (!h.note.empty()) text(ui, h.note, ui.fonts().body, c.mutedText);
        if (h.rejectedByDistrict)
            text(ui, ui.trf("officer.district_rejected", {h.rejectReason}), ui.fonts().bold, c.danger);
    }
}

// Two touch-sized choices; a normal case is simply not extended, so it is not offered.
void OfficerRecordView::drawComplexityPicker(UiContext& ui) {
    text(ui, ui.tr("officer.complexity.pick"), ui.fonts().bold);
    bool first = true;
    for (Complexity level : {Complexity::Complex, Complexity::EspeciallyComplex}) {
        ButtonSpec spec;
        spec.size = ImVec2(ui.px(420), ui.px(ui.theme.metrics.buttonHeight));
        spec.kind = m_complexity == level ? ButtonKind::Primary : ButtonKind::Secondary;
        if (!first) ImGui::SameLine(0, ui.px(20));
        first = false;
        const std::string slug(toSlug(level));
        if (button(ui, "record.complexity." + slug, ui.tr("complexity." + slug), spec)) m_complexity = level;
    }
}

// The agencies in force today, as touch-sized buttons (agencies.tsv; none is written in code).
void OfficerRecordView::drawAgencyPicker(UiContext& ui) {
    text(ui, ui.tr("officer.agency.pick"), ui.fonts().bold);
    if (m_agencyMissing) text(ui, ui.tr("officer.agency.required"), ui.fonts().bold, ui.theme.colors.danger);
    const Date today = localFromUnix(ui.controller.nowUnix()).date;
    const float gap = ui.px(20);
    const float avail = ImGui::GetContentRegionAvail().x;
    float x = 0;
    for (const Agency* agency : agenciesOn(ui.controller.rules().agencies, today)) {
        ButtonSpec spec;
        spec.size = ImVec2(ui.px(560), ui.px(ui.theme.metrics.buttonHeight));
        spec.kind = m_agency == agency->slug ? ButtonKind::Primary : ButtonKind::Secondary;
        if (x > 0 && x + spec.size.x <= avail)
            ImGui::SameLine(0, gap);
        else
            x = 0;
        if (button(ui, "record.agency." + agency->slug, ui.lang == Lang::En ? agency->en : agency->vi,
                   spec)) {
            m_agency = agency->slug;
            m_agencyMissing = false;
        }
        x += spec.size.x + gap;
    }
}

bool OfficerRecordView::drawActions(UiContext& ui, const OfficerSession& officer) {
    const Palette& c = ui.theme.colors;
    const RecordDetail& d = *m_detail;
    if (m_done) text(ui, ui.tr("officer.action_done"), ui.fonts().bold, c.success);
    if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, c.danger);
    if (!m_pending) {
        if (d.actions.empty()) return false;
        const float gap = ui.px(20);
        float x = 0;
        const float avail = ImGui::GetContentRegionAvail().x;
        for (Action a : d.actions) {
            const std::string label = ui.tr(actionLabelKey(a, d.record.kind));
            ButtonSpec spec;
            spec.size = ImVec2(ui.px(360), ui.px(ui.theme.metrics.buttonHeight));
            spec.kind =
                (a == Action::Reject || a == Action::Withdraw) ? ButtonKind::Danger : ButtonKind::Primary;
            if (x > 0 && x + spec.size.x <= avail)
                ImGui::SameLine(0, gap);
            else
                x = 0;
            if (button(ui, "record.action." + std::string(toSlug(a)), label, spec)) {
                m_pending = a;
                m_done = false;
                m_error.reset();
                m_noteMissing = false;
                m_agency.clear();
                m_agencyMissing = false;
                m_noteFocused = actionNeedsNote(a, d.record.kind);
            }
            x += spec.size.x + gap;
        }
        return false;
    }
    const Action a = *m_pending;
    text(ui,
         ui.trf("officer.confirm_action",
                {ui.tr(actionLabelKey(a, d.record.kind)), formatReceiptCode(d.record.code)}),
         ui.fonts().heading);
    if (a == Action::Extend && isDenunciation(d.record)) drawComplexityPicker(ui);
    if (a == Action::Transfer) drawAgencyPicker(ui);
    FieldSpec note;
    note.label = ui.tr(a == Action::Resolve        ? "officer.result"
                       : a == Action::WithdrawPart ? "officer.part"
                                                   : "officer.note");
    note.focused = m_noteFocused;
    note.lines = 3;
    const std::string missing = ui.tr("officer.note.required");
    if (m_noteMissing) note.error = &missing;
    if (textField(ui, "record.note", m_note, note)) m_noteFocused = true;
    ButtonSpec cancel;
    cancel.size = ImVec2(ui.px(360), ui.px(ui.theme.metrics.buttonHeight));
    cancel.kind = ButtonKind::Secondary;
    if (button(ui, "record.cancel", ui.tr("common.cancel"), cancel)) {
        m_pending.reset();
        m_complexity.reset();
        m_agency.clear();
        m_note.wipe();
        m_noteFocused = false;
        return false;
    }
    ImGui::SameLine(0, ui.px(40));
    ButtonSpec ok;
    ok.size = ImVec2(ui.px(420), ui.px(ui.theme.metrics.buttonHeight));
    if (button(ui, "record.confirm", ui.tr("common.confirm"), ok)) {
        if (actionNeedsNote(a, d.record.kind) && m_note.empty()) {
            m_noteMissing = true;
            return false;
        }
        if (a == Action::Transfer && m_agency.empty()) {
            m_agencyMissing = true;
            return false;
        }
        auto done =
            ui.controller.act(officer, m_code, a, ActionDetails{m_note.text(), m_complexity, m_agency});
        if (!done) {
            m_error = done.error();
            return false;
        }
        m_pending.reset();
        m_complexity.reset();
        m_agency.clear();
        m_note.wipe();
        m_noteFocused = false;
        m_done = true;
        reload(ui, officer);
        return true;
    }
    return false;
}

bool OfficerRecordView::draw(UiContext& ui, const OfficerSession& officer) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float bottomH = m_noteFocused ? keyboardHeight(ui) : ui.px(24);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size(window->Size.x - 2 * margin,
                      window->Pos.y + window->Size.y - bottomH - pos.y - ui.px(16));
    bool changed = false;
    if (m_scroll.begin(ui, "record.body", size)) {
        ImGui::PushTextWrapPos(size.x - ui.px(24));
        if (!m_detail) {
            if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, ui.theme.colors.danger);
        } else {
            // The pending action first when the keyboard is up, so the note stays in view.
            if (m_pending && m_noteFocused) {
                changed = drawActions(ui, officer);
            } else {
                drawRecord(ui);
                vspace(ui, 12);
                changed = drawActions(ui, officer);
                if (m_detail) m_papers.draw(ui, m_detail->record);
            }
        }
        ImGui::PopTextWrapPos();
    }
    m_scroll.end(ui);
    if (m_noteFocused && m_keyboard.draw(ui, m_note, true)) m_noteFocused = false;
    return changed;
}

}  // namespace kiosk::ui
