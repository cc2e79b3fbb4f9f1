#pragma once
// Registering an administrative dossier at the one-stop desk (tiếp nhận hồ sơ thủ tục): the officer
// picks the procedure from the catalog, types the applicant (name, phone — or "no phone", and the
// receipt gives a 4-digit check PIN — optional CCCD) and how the
// result goes back (at the counter, or by public post with an address — only where the catalog does
// not rule post out). Checked with validateDossier, stored with KioskController::registerDossier,
// then the receipt screen shows the code. Part of OfficerScreen. UI thread only.
#include <optional>
#include <string>
#include <vector>

#include "core/validation.h"
#include "kiosk/ui/widgets/keyboard.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

class DossierForm {
public:
    enum class Focus { None, Search, Name, Phone, Cccd, Address };
    void draw(UiContext& ui, Navigator& nav, const OfficerSession& officer);
    void wipe();
    const std::optional<std::string>& procedure() const { return m_procedure; }
    const std::vector<FieldError>& errors() const { return m_errors; }

private:
    TextField* focused();
    void field(UiContext& ui, Focus which, TextField& f, const std::string& id, const std::string& label,
               const char* errorField);
    void submit(UiContext& ui, Navigator& nav, const OfficerSession& officer);

    TextField m_search{TextField::Kind::Text, 80};
    TextField m_name{TextField::Kind::Text, 100};
    TextField m_phone{TextField::Kind::Digits, 11};
    TextField m_cccd{TextField::Kind::Digits, 12};
    TextField m_address{TextField::Kind::Text, 300};
    std::optional<std::string> m_procedure;
    int m_delivery = 0;      // 0 counter, 1 post
    bool m_noPhone = false;  // "Tôi không có điện thoại": the receipt gives a check PIN instead
    Focus m_focus = Focus::None;
    std::string m_searched;
    bool m_loaded = false;
    std::vector<ProcedureHit> m_hits;
    std::vector<FieldError> m_errors;
    std::optional<Error> m_saveError;
    OnScreenKeyboard m_keyboard;
    ScrollArea m_listScroll;
    ScrollArea m_formScroll;
};

}  // namespace kiosk::ui
