#pragma once
// KioskUi: the whole kiosk interface as one object whose frame() is called between ImGui::NewFrame
// and ImGui::Render — by the GLFW loop in kiosk/app, or by a headless test with no window at all.
// It owns the screens and navigation, the privacy timer (after the idle time without a touch, an
// overlay "Chạm để tiếp tục" counts down, then everything typed is wiped, the language and text
// size return to the defaults, and Home returns; going Home otherwise keeps those two), the
// status check's countdown (the throttle itself is the use case's), and tells the loop when it next
// needs a frame so an idle kiosk sleeps. With a Speaker it shows the "Nghe" button on the
// citizens' screens, has the speaker read the screen's mainText(), and stops it when the screen
// changes, the session ends or the button is tapped again.
// It is not the window, the GL renderer, or the store (all in kiosk/app).
// UI thread only.
#include <array>
#include <memory>
#include <optional>

#include "kiosk/ui/home_screen.h"
#include "kiosk/ui/officer_login_screen.h"
#include "kiosk/ui/officer_screen.h"
#include "kiosk/ui/petition_screen.h"
#include "kiosk/ui/procedures_screen.h"
#include "kiosk/ui/receipt_screen.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/status_screen.h"
#include "kiosk/voice/speaker.h"

namespace kiosk::ui {

struct UiOptions {
    double idleSeconds = 90;       // without a touch before the overlay (configurable)
    double countdownSeconds = 15;  // the overlay's countdown before the reset
    Lang defaultLanguage = Lang::Vi;
};

class KioskUi : public Navigator {
public:
    KioskUi(KioskController& controller, const Strings& strings, const Fonts& fonts, UiOptions options = {});

    // ImGui settings the kiosk needs whatever the platform: no imgui.ini, no log file, a touch-sized
    // drag threshold, and the theme. Call once after the context and before the first frame.
    void configureImGui(ImGuiIO& io, ImGuiStyle& style) const;
    // The voice of the "Nghe" button (owned by the caller, outliving this object); none: no button.
    // Its state changes come from its own thread: the caller redraws on its onChange.
    void setSpeaker(voice::Speaker* speaker) { m_speaker = speaker; }

    // One frame. `now` is a monotonic clock in seconds (the idle timer and countdowns use it).
    void frame(double now);
    // How long the loop may sleep before the next frame is needed without input: 0 while something
    // moves (inertia), the next countdown tick, the idle deadline, or a long time on a quiet Home.
    double secondsUntilNextFrame(double now) const;
    // The screen's background: the kiosk's full-screen window draws none, so whoever renders the
    // frame clears the framebuffer to this colour first (glClearColor in kiosk/app).
    ImVec4 backgroundColor() const { return ImGui::ColorConvertU32ToFloat4(m_ui.theme.colors.background); }

    ScreenId screen() const { return m_current; }
    // What "Nghe" would read on the current screen now ("" on the officer's screens).
    std::string mainText() { return current().mainText(m_ui); }
    bool idleOverlayShown() const { return m_overlay; }
    bool helpNoticeShown() const { return m_helpNotice; }
    UiContext& context() { return m_ui; }
    const WidgetRegistry& widgets() const { return m_ui.widgets; }
    CheckThrottle& throttle() { return m_throttle; }
    PetitionScreen& petitionScreen() { return m_petition; }
    ReceiptScreen& receiptScreen() { return m_receipt; }
    StatusScreen& statusScreen() { return m_status; }
    ProceduresScreen& proceduresScreen() { return m_procedures; }
    OfficerLoginScreen& officerLoginScreen() { return m_officerLogin; }
    OfficerScreen& officerScreen() { return m_officerScreen; }

    // Navigator
    void go(ScreenId screen) override;
    void showReceipt(ReceiptInfo receipt) override;
    void endSession() override;
    const std::optional<OfficerSession>& officer() const override { return m_officer; }
    void setOfficer(std::optional<OfficerSession> officer) override;

private:
    Screen& current();
    bool sessionActive() const;
    void drawIdleOverlay();
    bool citizenScreen() const;
    void prepareListenButton();
    void answerListenButton();
    // "Gọi cán bộ": the call goes to the controller, and the citizen is told help is coming.
    void answerHelpButton();
    void stopSpeaking();

    UiContext m_ui;
    UiOptions m_options;
    CheckThrottle m_throttle;
    HomeScreen m_home;
    PetitionScreen m_petition;
    ReceiptScreen m_receipt;
    StatusScreen m_status{m_throttle};
    ProceduresScreen m_procedures;
    OfficerLoginScreen m_officerLogin;
    OfficerScreen m_officerScreen;
    ScreenId m_current = ScreenId::Home;
    std::optional<ScreenId> m_next;  // navigation requested during this frame
    bool m_endSession = false;       // reset requested during this frame
    bool m_idleWipe = false;         // the reset is the idle wipe: the visit is over
    std::optional<OfficerSession> m_officer;
    double m_lastInput = 0;
    bool m_overlay = false;
    double m_overlayStart = 0;
    bool m_started = false;
    voice::Speaker* m_speaker = nullptr;
    std::string m_spoken;       // the text the speaker was last asked to read
    bool m_helpNotice = false;  // "Cán bộ sẽ đến giúp bạn" shown over the screen until closed
    std::optional<Error> m_helpError;  // the call could not be kept (the database): said instead
};

}  // namespace kiosk::ui
