#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/receipt_screen.h"

#include "imgui_internal.h"
#include "core/receipt_code.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

void ReceiptScreen::show(ReceiptInfo receipt) {
    m_receipt = std::move(receipt);
    m_qr = encodeQr(formatReceiptCode(m_receipt->record.code));
    m_slip.reset(m_receipt->record.kind == RecordKind::Petition);
    m_rating.reset();
}

void ReceiptScreen::wipe() {
    if (m_receipt) {
        Record& r = m_receipt->record;
        for (std::string* s :
             {&r.code, &r.officialCode, &r.content, &r.resultNote, &r.identity.name, &r.identity.cccd,
              &r.identity.phone, &r.identity.address, &r.checkPin, &m_receipt->checkPin})
            wipeString(*s);
    }
    m_receipt.reset();
    if (m_qr) std::fill(m_qr->dark.begin(), m_qr->dark.end(), uint8_t(0));
    m_qr.reset();
    m_rating.reset();
}

// Without a phone the status check asks for this PIN: shown large, to be written down.
void ReceiptScreen::drawCheckPin(UiContext& ui) {
    if (m_receipt->checkPin.empty()) return;
    vspace(ui, 8);
    // The label in the text font, the digits alone in the code font: that one holds only digits and
    // Latin letters, so a Vietnamese label drawn with it would lose its accented letters.
    text(ui, ui.tr("nophone.receipt_pin"), ui.fonts().bold, ui.theme.colors.mutedText);
    text(ui, m_receipt->checkPin, ui.fonts().code, ui.theme.colors.primary);
    text(ui, ui.tr("nophone.receipt_hint"), ui.fonts().bold);
}

std::string ReceiptScreen::mainText(UiContext& ui) {
    if (!m_receipt) return {};
    // The code is on the screen, in the QR code and on paper; read aloud, anyone nearby would have it.
    const Record& r = m_receipt->record;
    const bool dossier = r.kind == RecordKind::Dossier;
    const std::string kind = dossier
                                 ? ui.tr("kind.dossier")
                                 : ui.tr("petition.kind." + std::string(toSlug(r.petitionKind)) + ".name");
    const std::string due =
        !hasDue(r) ? ui.tr("receipt.due.none") : ui.deadlineLabel(r) + ": " + ui.date(r.due);
    return spokenText({ui.tr(dossier ? "receipt.title.dossier" : "receipt.title"), kind,
                       ui.tr("receipt.received_on") + ": " + ui.date(r.receivedOn), due,
                       ui.tr("receipt.code_hint"), ui.tr("receipt.how_to_check")});
}

void ReceiptScreen::draw(UiContext& ui, Navigator& nav) {
    const Palette& c = ui.theme.colors;
    const bool dossier = m_receipt && m_receipt->record.kind == RecordKind::Dossier;
    topBar(ui, ui.tr(dossier ? "receipt.title.dossier" : "receipt.title"), false);
    if (!m_receipt) {
        nav.endSession();
        return;
    }
    const Record& r = m_receipt->record;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float bottomH = ui.px(ui.theme.metrics.bottomBar);
    const ImVec2 bodyPos = ImGui::GetCursorScreenPos();
    const float ratingH = m_rating.height(ui);
    const float bodyH = window->Pos.y + window->Size.y - bottomH - bodyPos.y - ui.px(16) - ratingH;
    const float qrSide = ui.px(380);
    const float leftW = window->Size.x - 2 * margin - qrSide - ui.px(60);

    ImGui::BeginChild("receipt.body", ImVec2(leftW, bodyH), false, ImGuiWindowFlags_NoScrollbar);
    text(ui, ui.tr("receipt.code"), ui.fonts().bold, c.mutedText);
    const std::string code = formatReceiptCode(r.code);
    text(ui, code, ui.fonts().code, c.text);
    text(ui, ui.tr("receipt.code_hint"), ui.fonts().bold);
    m_slip.draw(ui, r.code, m_receipt->checkPin);
    drawCheckPin(ui);
    vspace(ui, 8);
    const std::string kind = dossier
                                 ? ui.tr("kind.dossier")
                                 : ui.tr("petition.kind." + std::string(toSlug(r.petitionKind)) + ".name");
    text(ui, kind, ui.fonts().heading);
    text(ui, ui.tr("receipt.received_on") + ": " + ui.date(r.receivedOn), ui.fonts().body);
    // No known processing time: no invented date; an officer gives one (docs/domain.md).
    std::string due = !hasDue(r) ? ui.tr("receipt.due.none") : ui.deadlineLabel(r) + ": " + ui.date(r.due);
    if (hasDue(r) && m_receipt->dueUnconfirmed) due += " " + ui.tr("receipt.due_unconfirmed");
    text(ui, due, ui.fonts().heading);
    vspace(ui, 8);
    noteBox(ui, ui.tr("receipt.how_to_check"), c.noteBackground, c.primary);
    if (!dossier) text(ui, ui.tr("content.attachments_note"), ui.fonts().body, c.mutedText);
    if (m_receipt->offline) text(ui, ui.tr("receipt.offline_note"), ui.fonts().body, c.mutedText);
    ImGui::EndChild();

    ImGui::SetCursorScreenPos(
        ImVec2(window->Pos.x + window->Size.x - margin - qrSide, bodyPos.y + ui.px(20)));
    ImGui::BeginGroup();
    if (m_qr) drawQr(*m_qr, qrSide);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + qrSide);
    text(ui, ui.tr("receipt.qr_hint"), ui.fonts().body, c.mutedText);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();

    ImGui::SetCursorScreenPos(ImVec2(window->Pos.x + margin, bodyPos.y + bodyH + ui.px(8)));
    m_rating.draw(ui, r.code, RatingStage::Receipt);

    if (bottomBar(ui, "", "", "receipt.done", ui.tr("receipt.done")) == BarChoice::Right) {
        if (m_receipt->record.kind == RecordKind::Dossier && nav.officer()) {
            wipe();
            nav.go(ScreenId::Officer);
        } else {
            nav.endSession();
        }
    }
}

}  // namespace kiosk::ui
