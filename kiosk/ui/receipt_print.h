#pragma once
// The receipt screen's printed slip: asks for it once when the receipt shows a petition, then tells
// the citizen "Đang in…", "Đã in phiếu", or — when the printer fails — that the printer could not
// print and to tell the officer at the counter, with the code and QR (already large on the screen)
// to photograph. The paper stays in the journal either way, for the officer's list.
// UI thread only; the printing itself runs on the printer thread (kiosk/printing/print_queue.h).
#include <cstdint>
#include <optional>

#include "kiosk/ui/widgets/ui_context.h"

namespace kiosk::ui {

class ReceiptPrint {
public:
    // A new receipt: the slip of `code` will be asked for at the next draw.
    void reset(bool printSlip) {
        m_wanted = printSlip;
        m_id.reset();
        m_refused.reset();
    }
    // Asks for the slip on the first call after reset (with the citizen's check PIN when there is
    // one, "" otherwise); draws its state.
    void draw(UiContext& ui, const std::string& code, const std::string& pin = "");
    // What the citizen is told now (tests read it).
    PaperState state(UiContext& ui) const;

private:
    bool m_wanted = false;
    std::optional<int64_t> m_id;     // the journal's id of the slip asked for
    std::optional<Error> m_refused;  // printPaper itself failed (no printer, the database)
};

}  // namespace kiosk::ui
