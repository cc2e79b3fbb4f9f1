#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/kiosk_ui.h"

#include <cmath>

#include "imgui_internal.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

std::string_view toSlug(ScreenId id) {
    switch (id) {
        case ScreenId::Home:
            return "home";
        case ScreenId::Petition:
            return "petition";
        case ScreenId::Receipt:
            return "receipt";
        case ScreenId::Status:
            return "status";
        case ScreenId::Procedures:
            return "procedures";
        case ScreenId::OfficerLogin:
            return "officer-login";
        case ScreenId::Officer:
            return "officer";
    }
    return "?";
}

std::string spokenText(std::initializer_list<std::string> parts) {
    std::string out;
    for (const std::string& part : parts) {
        if (part.empty()) continue;
        if (!out.empty()) out += ' ';
        out += part;
        const char last = part.back();
        if (last != '.' && last != '?' && last != '!' && last != ':') out += '.';
    }
    return out;
}

KioskUi::KioskUi(KioskController& controller, const Strings& strings, const Fonts& fonts, UiOptions options)
    : m_ui(controller, strings, fonts), m_options(options) {
    m_ui.lang = options.defaultLanguage;
    m_ui.inputOptions = controller.inputSettings();
    m_ui.voiceVolume = controller.voiceVolume();
}

void KioskUi::configureImGui(ImGuiIO& io, ImGuiStyle& style) const {
    io.IniFilename = nullptr;  // nothing of a session is written to disk
    io.LogFilename = nullptr;
    // A fingertip wobbles and rolls more than a mouse, an old hand more: a tap that slides less than
    // this is still a tap. Inside a list that scrolls, a vertical slide of TouchTracker::kScrollSlop
    // scrolls instead (ScrollArea), so lists follow the finger at once.
    io.MouseDragThreshold = m_ui.px(TouchTracker::kTapSlop);
    io.ConfigInputTextCursorBlink = false;
    io.FontDefault = m_ui.allFonts().normal.body;
    m_ui.theme.apply(style);
}

Screen& KioskUi::current() {
    switch (m_current) {
        case ScreenId::Home:
            return m_home;
        case ScreenId::Petition:
            return m_petition;
        case ScreenId::Receipt:
            return m_receipt;
        case ScreenId::Status:
            return m_status;
        case ScreenId::Procedures:
            return m_procedures;
        case ScreenId::OfficerLogin:
            return m_officerLogin;
        case ScreenId::Officer:
            return m_officerScreen;
    }
    return m_home;
}

void KioskUi::go(ScreenId screen) { m_next = screen; }

void KioskUi::showReceipt(ReceiptInfo receipt) {
    m_receipt.show(std::move(receipt));
    m_next = ScreenId::Receipt;
}

void KioskUi::endSession() { m_endSession = true; }

void KioskUi::setOfficer(std::optional<OfficerSession> officer) {
    if (m_officer && !officer) m_ui.controller.officerLogout();
    m_officer = std::move(officer);
}

bool KioskUi::citizenScreen() const {
    return m_current != ScreenId::OfficerLogin && m_current != ScreenId::Officer;
}

void KioskUi::prepareListenButton() {
    ListenButton& listen = m_ui.listen;
    listen = ListenButton{};
    if (!m_speaker) return;
    m_speaker->setVolume(m_ui.voiceVolume);
    const voice::SpeakerState state = m_speaker->state();
    listen.shown = m_ui.voiceVolume > 0 && citizenScreen();
    listen.speaking = state == voice::SpeakerState::Speaking;
    listen.unavailable = state == voice::SpeakerState::Unavailable;
}

void KioskUi::answerListenButton() {
    if (!m_speaker) return;
    if (!m_ui.listen.tapped) {
        // A step of the same screen (the petition's next question, a procedure opened, a check's
        // answer) or the other language is another text: what is being read no longer fits it.
        if (m_ui.listen.speaking && current().mainText(m_ui) != m_spoken) stopSpeaking();
        return;
    }
    // A second tap stops; a tap after "cannot speak" tries the device again.
    if (m_ui.listen.speaking) {
        stopSpeaking();
    } else {
        m_spoken = current().mainText(m_ui);
        m_speaker->say(m_spoken);
    }
    m_ui.animating = true;
}

void KioskUi::answerHelpButton() {
    if (m_ui.help.tapped) {
        if (auto called = m_ui.controller.callForHelp(); called) {
            m_helpNotice = true;
        } else {
            m_helpError = called.error();
            m_helpNotice = true;
        }
        m_ui.animating = true;
    }
    if (!m_helpNotice || !citizenScreen()) return;
    const std::string detail =
        m_helpError ? m_ui.tr("help.failed") + "\n" + m_ui.text(*m_helpError) : m_ui.tr("help.coming.detail");
    const Answer answer =
        confirmDialog(m_ui, "help.notice", m_ui.tr(m_helpError ? "help.failed.title" : "help.coming"), detail,
                      m_ui.tr("help.ok"), {});
    if (answer == Answer::Yes) {
        m_helpNotice = false;
        m_helpError.reset();
    }
}

void KioskUi::stopSpeaking() {
    if (m_speaker) m_speaker->stop();
    m_spoken.clear();
}

bool KioskUi::sessionActive() const { return m_current != ScreenId::Home || m_officer.has_value(); }

void KioskUi::drawIdleOverlay() {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(m_ui.theme.colors.overlay));
    ImGui::Begin("##idle", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoNav);
    ImGui::PopStyleColor();
    m_ui.widgets.add("idle.overlay", viewport->Pos, viewport->Pos + viewport->Size, true);
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float boxW = std::min(m_ui.px(1300), viewport->Size.x - m_ui.px(80));
    const float boxH = m_ui.px(m_ui.largeText ? 520 : 440);
    const ImVec2 min(viewport->Pos.x + (viewport->Size.x - boxW) / 2,
                     viewport->Pos.y + (viewport->Size.y - boxH) / 2);
    const ImVec2 max = min + ImVec2(boxW, boxH);
    window->DrawList->AddRectFilled(min, max, m_ui.theme.colors.background, m_ui.px(16));
    const int left = std::max(0, int(std::ceil(m_overlayStart + m_options.countdownSeconds - m_ui.now)));
    const float pad = m_ui.px(48);
    drawCenteredText(window->DrawList, m_ui.fonts().title, min + ImVec2(pad, pad),
                     ImVec2(max.x - pad, min.y + boxH * 0.4f), m_ui.theme.colors.text, m_ui.tr("idle.touch"));
    drawCenteredText(window->DrawList, m_ui.fonts().body, ImVec2(min.x + pad, min.y + boxH * 0.4f),
                     ImVec2(max.x - pad, min.y + boxH * 0.75f), m_ui.theme.colors.text,
                     m_ui.trf("idle.warning", {std::to_string(left)}));
    drawCenteredText(window->DrawList, m_ui.fonts().code, ImVec2(min.x + pad, min.y + boxH * 0.72f),
                     max - ImVec2(pad, pad), m_ui.theme.colors.primary, std::to_string(left));
    ImGui::End();
}

void KioskUi::frame(double now) {
    ImGuiIO& io = ImGui::GetIO();
    if (!m_started) {
        m_lastInput = now;
        m_started = true;
    }
    m_ui.now = now;
    m_ui.animating = false;
    m_ui.widgets.beginFrame();
    m_ui.touch.update(io);
    const bool moved = ImGui::IsMousePosValid() && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0);
    if (io.MouseClicked[0] || io.MouseDown[0] || moved) m_lastInput = now;
    // A press or release changes what is drawn (held look, the tap's effect): one more frame shows it.
    const bool buttonChanged = io.MouseClicked[0] || io.MouseReleased[0];

    bool dismissOverlay = false;
    const bool customised = m_ui.lang != m_options.defaultLanguage || m_ui.largeText;
    if (m_overlay) {
        if (io.MouseClicked[0]) {
            dismissOverlay = true;
        } else if (now - m_overlayStart >= m_options.countdownSeconds) {
            m_endSession = true;
            m_idleWipe = true;
        }
    } else if (now - m_lastInput >= m_options.idleSeconds) {
        if (sessionActive()) {
            m_overlay = true;
            m_overlayStart = now;
        } else if (customised) {
            m_endSession = true;  // Home in English or large text: back to the defaults quietly
            m_idleWipe = true;
        }
    }
    if (m_endSession) {
        // Privacy reset: every screen overwrites what it holds; ImGui forgets any active widget.
        for (Screen* s : std::initializer_list<Screen*>{&m_home, &m_petition, &m_receipt, &m_status,
                                                        &m_procedures, &m_officerLogin, &m_officerScreen})
            s->wipe();
        if (m_officer) m_ui.controller.officerLogout();
        m_officer.reset();
        stopSpeaking();
        m_helpNotice = false;  // the call itself waits for an officer; the notice was this visit's
        m_helpError.reset();
        m_current = ScreenId::Home;
        m_next.reset();
        // The citizen's language and text size hold for the whole visit (back to Home between
        // errands included); only the idle wipe, which ends the visit, restores the defaults.
        if (m_idleWipe) {
            m_ui.lang = m_options.defaultLanguage;
            m_ui.largeText = false;
        }
        m_idleWipe = false;
        m_overlay = false;
        dismissOverlay = false;
        m_endSession = false;
        m_lastInput = now;
        ImGui::ClearActiveID();
    }

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::PushFont(m_ui.fonts().body);
    // The screen's margin as the window's padding: everything laid out in the flow starts there.
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(m_ui.px(m_ui.theme.metrics.margin), 0));
    // No background quad: the loop clears the framebuffer to backgroundColor() instead. Under a
    // software renderer (llvmpipe) a full-screen quad is shaded pixel by pixel every frame, a clear
    // is not — this window's background alone cost about as much as the rest of a frame.
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav |
                     ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar();
    prepareListenButton();
    m_ui.help = HelpButton{};
    m_ui.help.shown = citizenScreen();
    m_ui.help.called = m_ui.help.shown && m_ui.controller.helpCall().has_value();
    current().draw(m_ui, *this);
    answerListenButton();
    ImGui::End();
    answerHelpButton();
    if (m_overlay) drawIdleOverlay();
    ImGui::PopFont();
    if (dismissOverlay) {
        m_overlay = false;
        m_lastInput = now;
    }

    if (buttonChanged) m_ui.animating = true;
    if (m_endSession) {
        // Applied at the start of the next frame (the screen that asked has finished drawing).
        m_ui.animating = true;
    } else if (m_next) {
        m_current = *m_next;
        m_next.reset();
        stopSpeaking();  // what was read belongs to the screen that was left
        current().enter(m_ui);
        ImGui::ClearActiveID();
        m_ui.animating = true;  // draw the new screen at once
    }
}

double KioskUi::secondsUntilNextFrame(double now) const {
    if (m_ui.animating || m_endSession) return 0;
    double wait = 3600;
    if (m_overlay) {
        const double left = m_overlayStart + m_options.countdownSeconds - now;
        if (left <= 0) return 0;
        wait = std::min(wait, std::max(0.01, left - std::floor(left)));
    } else if (sessionActive() || m_ui.lang != m_options.defaultLanguage || m_ui.largeText) {
        wait = std::min(wait, std::max(0.0, m_lastInput + m_options.idleSeconds - now));
    }
    if (m_current == ScreenId::Status) wait = std::min(wait, m_status.wakeIn(now));
    return wait;
}

}  // namespace kiosk::ui
