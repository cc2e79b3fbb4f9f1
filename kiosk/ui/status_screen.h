#pragma once
// Checking a record's status (tra cứu hồ sơ): the receipt code and the last 4 digits of the phone
// number on a large numeric pad (or the letter keyboard for an official dossier code), then the
// record's status, due date (overdue marked), result or reason, history, and how fresh the
// information is ("Thông tin tính đến <last sync>").
// A mistyped receipt code is caught by its check digit before any lookup (parseReceiptCode). A code
// that is unknown and a phone that does not match get the same answer. Failed checks are counted
// per code by the use case (KioskController::checkStatus, the same throttle as `kioskctl status`):
// after 5 the code is locked for 60 s (longer each time again) and the screen closes the check of
// that code for as long. The lock belongs to the code, not to the screen: another code can be
// checked meanwhile, and the next citizen (after Home or the idle wipe) never sees it — the use
// case still refuses the locked code whoever types it, and the countdown shows again then.
// UI thread only.
#include <optional>

#include "kiosk/ui/rating_panel.h"
#include "kiosk/ui/widgets/keyboard.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

// What the last check said about its code, so the screen can count the tries left and close the
// check of that code while it is locked (the counting itself is the use case's: StatusThrottle).
struct CheckThrottle {
    std::string code;         // the code as typed (its field's text) that the rest is about
    int failures = 0;         // failed checks of that code since its last lock
    int tries = 0;            // failed checks left before it is locked
    double blockedUntil = 0;  // UiContext::now seconds

    // Whether the check of `typed` (the code field's text) is closed at `now`.
    bool blocked(const std::string& typed, double now) const { return now < blockedUntil && typed == code; }
    bool counting(double now) const { return now < blockedUntil; }
    // The answer of a check of `typed` at `now` (UiContext::now).
    void update(const StatusCheck& check, double now, const std::string& typed);
    int triesLeft() const { return tries; }
    // Forgets the code (the session's wipe); the use case keeps the lock itself.
    void forget();
};

class StatusScreen : public Screen {
public:
    enum class Focus { None, Code, Last4 };
    explicit StatusScreen(CheckThrottle& throttle) : m_throttle(throttle) {}
    void draw(UiContext& ui, Navigator& nav) override;
    void enter(UiContext& ui) override;
    void wipe() override;
    std::string mainText(UiContext& ui) override;
    // Seconds until the screen must be redrawn by itself (the cool-down counting down).
    double wakeIn(double now) const;

    bool showingResult() const { return m_report.has_value(); }
    const std::optional<StatusReport>& report() const { return m_report; }
    const std::optional<Error>& error() const { return m_error; }
    const TextField& codeField() const { return m_letters ? m_codeLetters : m_code; }
    const TextField& last4Field() const { return m_last4; }

private:
    void drawInput(UiContext& ui, Navigator& nav);
    void drawResult(UiContext& ui, Navigator& nav);
    void submit(UiContext& ui);
    void wipeInput();
    // The code field's text: what the throttle's code is compared with.
    const std::string& typedCode() const { return m_letters ? m_codeLetters.text() : m_code.text(); }

    CheckThrottle& m_throttle;
    TextField m_code{TextField::Kind::Digits, 16};
    TextField m_codeLetters{TextField::Kind::Code, 40};
    TextField m_last4{TextField::Kind::Digits, 4};
    bool m_letters = false;
    Focus m_focus = Focus::Code;
    std::optional<Error> m_error;
    bool m_showTriesLeft = false;
    std::optional<StatusReport> m_report;
    OnScreenKeyboard m_keyboard;
    ScrollArea m_scroll;
    RatingPanel m_rating;  // a finished record's rating, under its status
};

}  // namespace kiosk::ui
