#pragma once
// The receipt after a petition (or a dossier registered at the desk) was stored: the receipt code in
// very large type grouped 4-4-4-4, its QR code, the date of receipt, the due date and how to check
// later (with the check PIN of a citizen without a phone), and the satisfaction rating
// (rating_panel.h). It clears itself after the idle time like every other screen; "Xong" ends the
// session (or returns to the officer console for a dossier the desk registered). UI thread only.
#include <optional>

#include "kiosk/ui/receipt_print.h"
#include "kiosk/ui/rating_panel.h"
#include "kiosk/ui/widgets/qr_code.h"
#include "kiosk/ui/screen.h"

namespace kiosk::ui {

class ReceiptScreen : public Screen {
public:
    void show(ReceiptInfo receipt);
    void draw(UiContext& ui, Navigator& nav) override;
    void wipe() override;
    std::string mainText(UiContext& ui) override;
    const std::optional<ReceiptInfo>& receipt() const { return m_receipt; }
    const ReceiptPrint& slip() const { return m_slip; }

private:
    void drawCheckPin(UiContext& ui);

    std::optional<ReceiptInfo> m_receipt;
    std::optional<QrMatrix> m_qr;
    ReceiptPrint m_slip;   // the printed slip of a petition (receipt_print.h)
    RatingPanel m_rating;  // the citizen's rating of this visit, above the bottom bar
};

}  // namespace kiosk::ui
