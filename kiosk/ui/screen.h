#pragma once
// Screen: one page of the kiosk (home, petition, receipt, status check, procedures, officer login,
// officer console), one class a file. A screen draws itself from its own state, reads data through
// the KioskController and asks the Navigator to move on; it never touches SQL or the network.
// Navigator is what KioskUi offers screens: switching screens, the receipt to show, the logged-in
// officer. UI thread only.
#include <initializer_list>
#include <optional>
#include <string>

#include "core/records.h"
#include "kiosk/service/kiosk_controller.h"
#include "kiosk/ui/widgets/ui_context.h"

namespace kiosk::ui {

enum class ScreenId { Home, Petition, Receipt, Status, Procedures, OfficerLogin, Officer };
std::string_view toSlug(ScreenId id);  // "home", "petition", ... (tests, screenshots)

// What the receipt screen shows after a petition or dossier was stored.
struct ReceiptInfo {
    Record record;                // code, kind, due, receivedOn (identity wiped by the screen)
    bool dueUnconfirmed = false;  // the limit is not confirmed in the law (tố cáo acceptance)
    bool offline = true;          // not yet sent to the district
    // The status check's 4-digit PIN of a citizen without a phone (shown large on the receipt, and
    // the printed slip's optional PIN line); "" = none, the phone's last 4 digits serve.
    std::string checkPin;
};

class Navigator {
public:
    virtual ~Navigator() = default;
    virtual void go(ScreenId screen) = 0;
    // Shows the receipt screen for a record just stored.
    virtual void showReceipt(ReceiptInfo receipt) = 0;
    // Everything a citizen typed is wiped and the kiosk returns to Home (the "Xong" of a receipt,
    // or cancelling a petition).
    virtual void endSession() = 0;
    virtual const std::optional<OfficerSession>& officer() const = 0;
    virtual void setOfficer(std::optional<OfficerSession> officer) = 0;
};

// Joins the parts of a screen's main text into sentences for the voice: each part ends with a full
// stop (espeak-ng pauses there) unless it already ends with punctuation; empty parts are left out.
std::string spokenText(std::initializer_list<std::string> parts);

class Screen {
public:
    virtual ~Screen() = default;
    // Draws into the current full-screen window.
    virtual void draw(UiContext& ui, Navigator& nav) = 0;
    // Called when the screen becomes current.
    virtual void enter(UiContext&) {}
    // Privacy reset: overwrite and forget whatever was typed or looked up; back to the first step.
    virtual void wipe() = 0;
    // What the "Nghe" button reads aloud, in the current language: the heading and the instructions,
    // the current step's question, or the record's status sentence. Never a citizen's identity, what
    // they typed, or a code a bystander could use. "" (the officer's screens): no button.
    virtual std::string mainText(UiContext&) { return {}; }
};

}  // namespace kiosk::ui
