#pragma once
// Officer login (đăng nhập cán bộ), reached by the discreet button on Home: officer id on the
// letter keyboard, PIN on the numeric pad (shown as dots), checked by KioskController::officerLogin
// (argon2id, lockout after 5 wrong PINs — the store's message says how long). The PIN is wiped as
// soon as it was checked, whatever the answer. UI thread only.
#include <optional>

#include "kiosk/ui/widgets/keyboard.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets/text_field.h"

namespace kiosk::ui {

class OfficerLoginScreen : public Screen {
public:
    enum class Focus { Id, Pin };
    void draw(UiContext& ui, Navigator& nav) override;
    void wipe() override;
    const std::optional<Error>& error() const { return m_error; }

private:
    void submit(UiContext& ui, Navigator& nav);

    TextField m_id{TextField::Kind::Plain, 32};
    TextField m_pin{TextField::Kind::Digits, 12};
    Focus m_focus = Focus::Id;
    std::optional<Error> m_error;
    OnScreenKeyboard m_keyboard;
};

}  // namespace kiosk::ui
