#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/officer_login_screen.h"

#include "imgui_internal.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

void OfficerLoginScreen::wipe() {
    m_id.wipe();
    m_pin.wipe();
    m_newPin.wipe();
    m_confirm.wipe();
    m_changing.reset();
    m_focus = Focus::Id;
    m_error.reset();
    m_keyboard.reset();
}

void OfficerLoginScreen::submit(UiContext& ui, Navigator& nav) {
    auto session = ui.controller.officerLogin(m_id.text(), m_pin.text());
    m_pin.wipe();
    if (!session) {
        m_error = session.error();
        m_focus = Focus::Pin;
        return;
    }
    if (session->mustChangePin) {
        m_error.reset();
        m_changing = session.value();
        m_focus = Focus::NewPin;
        return;
    }
    wipe();
    nav.setOfficer(session.value());
    nav.go(ScreenId::Officer);
}

void OfficerLoginScreen::submitNewPin(UiContext& ui, Navigator& nav) {
    if (m_newPin.text() != m_confirm.text()) {
        m_error = makeError("officer.pin-mismatch", "Hai lần nhập mã PIN mới không giống nhau.",
                            "The two new PINs differ.");
    } else if (auto changed = ui.controller.changeOwnPin(m_newPin.text()); !changed) {
        m_error = changed.error();
    } else {
        wipe();
        nav.setOfficer(changed.value());
        nav.go(ScreenId::Officer);
        return;
    }
    m_newPin.wipe();
    m_confirm.wipe();
    m_focus = Focus::NewPin;
}

// The second step: the old PIN was right but too short; nothing opens until a new one is set.
void OfficerLoginScreen::drawNewPin(UiContext& ui, Navigator& nav) {
    text(ui, ui.tr("officer.pin.change.why"), ui.fonts().bold);
    vspace(ui, 8);
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float gap = ui.px(40);
    const float fieldW = (window->Size.x - 2 * margin - gap) / 2;
    const float top = ImGui::GetCursorPosY();
    FieldSpec first;
    first.label = ui.tr("officer.pin.new");
    first.focused = m_focus == Focus::NewPin;
    first.masked = true;
    first.width = fieldW;
    ImGui::BeginGroup();
    if (textField(ui, "officer.pin.new", m_newPin, first)) m_focus = Focus::NewPin;
    ImGui::EndGroup();
    ImGui::SameLine(0, gap);
    ImGui::SetCursorPosY(top);
    FieldSpec second = first;
    second.label = ui.tr("officer.pin.confirm");
    second.focused = m_focus == Focus::Confirm;
    ImGui::BeginGroup();
    if (textField(ui, "officer.pin.confirm", m_confirm, second)) m_focus = Focus::Confirm;
    ImGui::EndGroup();
    vspace(ui, 8);
    ButtonSpec go;
    go.size = ImVec2(ui.px(520), ui.px(ui.theme.metrics.buttonHeight));
    go.enabled = !m_newPin.empty() && !m_confirm.empty();
    if (button(ui, "officer.pin.change", ui.tr("officer.pin.change.submit"), go)) submitNewPin(ui, nav);
    if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, ui.theme.colors.danger);
    TextField& field = m_focus == Focus::Confirm ? m_confirm : m_newPin;
    if (numericPad(ui, field) == PadResult::Done) {
        if (m_focus != Focus::Confirm)
            m_focus = Focus::Confirm;
        else if (go.enabled)
            submitNewPin(ui, nav);
    }
}

void OfficerLoginScreen::draw(UiContext& ui, Navigator& nav) {
    if (topBar(ui, ui.tr("officer.login"), true)) {
        ui.controller.officerLogout();
        nav.endSession();
        return;
    }
    if (m_changing) {
        drawNewPin(ui, nav);
        return;
    }
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float width = window->Size.x - 2 * margin;
    const float gap = ui.px(40);
    const float fieldW = (width - gap) / 2;
    const float top = ImGui::GetCursorPosY();
    ImGui::BeginGroup();
    FieldSpec id;
    id.label = ui.tr("officer.username");
    id.focused = m_focus == Focus::Id;
    id.width = fieldW;
    if (textField(ui, "officer.id", m_id, id)) m_focus = Focus::Id;
    ImGui::EndGroup();
    ImGui::SameLine(0, gap);
    ImGui::SetCursorPosY(top);
    ImGui::BeginGroup();
    FieldSpec pin;
    pin.label = ui.tr("officer.pin");
    pin.focused = m_focus == Focus::Pin;
    pin.masked = true;
    pin.width = fieldW;
    if (textField(ui, "officer.pin", m_pin, pin)) m_focus = Focus::Pin;
    ImGui::EndGroup();
    vspace(ui, 8);
    ButtonSpec go;
    go.size = ImVec2(ui.px(520), ui.px(ui.theme.metrics.buttonHeight));
    go.enabled = !m_id.empty() && !m_pin.empty();
    if (button(ui, "officer.submit", ui.tr("officer.login.submit"), go)) submit(ui, nav);
    if (m_error) text(ui, ui.text(*m_error), ui.fonts().bold, ui.theme.colors.danger);

    if (m_focus == Focus::Id) {
        if (m_keyboard.draw(ui, m_id, false)) m_focus = Focus::Pin;
    } else if (numericPad(ui, m_pin) == PadResult::Done && !m_id.empty() && !m_pin.empty()) {
        submit(ui, nav);
    }
}

}  // namespace kiosk::ui
