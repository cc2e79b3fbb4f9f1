#pragma once
// Officer login (đăng nhập cán bộ), reached by the discreet button on Home: officer id on the
// letter keyboard, PIN on the numeric pad (shown as dots), checked by KioskController::officerLogin
// (argon2id, lockout after 5 wrong PINs — the store's message says how long). The PIN is wiped as
// soon as it was checked, whatever the answer. An officer whose PIN is under an older, shorter
// policy (OfficerSession::mustChangePin) goes on to a second step on the same screen: a new PIN,
// typed twice, set by KioskController::changeOwnPin, before the console opens. UI thread only.
#include <optional>

#include "kiosk/ui/widgets/keyboard.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets/text_field.h"

namespace kiosk::ui {

class OfficerLoginScreen : public Screen {
public:
    enum class Focus { Id, Pin, NewPin, Confirm };
    void draw(UiContext& ui, Navigator& nav) override;
    void wipe() override;
    const std::optional<Error>& error() const { return m_error; }
    bool changingPin() const { return m_changing.has_value(); }

private:
    void submit(UiContext& ui, Navigator& nav);
    void submitNewPin(UiContext& ui, Navigator& nav);
    void drawNewPin(UiContext& ui, Navigator& nav);

    TextField m_id{TextField::Kind::Plain, 32};
    TextField m_pin{TextField::Kind::Digits, 16};
    TextField m_newPin{TextField::Kind::Digits, 16};
    TextField m_confirm{TextField::Kind::Digits, 16};
    std::optional<OfficerSession> m_changing;  // logged in under the old policy, new PIN not set yet
    Focus m_focus = Focus::Id;
    std::optional<Error> m_error;
    OnScreenKeyboard m_keyboard;
};

}  // namespace kiosk::ui
