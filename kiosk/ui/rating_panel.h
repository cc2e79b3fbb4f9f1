#pragma once
// The satisfaction rating a citizen may give on the receipt screen and on the status screen of a
// finished record: one tap on "Rất hài lòng" / "Hài lòng" / "Không hài lòng" stores the rating at
// once (a citizen who then walks away is counted), "Bỏ qua" hides the panel; after the tap, optional
// reasons from the criteria list (assets/rating_criteria.tsv) in a dialog, sent with "Gửi lý do".
// Nothing about the citizen goes with it (KioskController::rate). A record and stage already rated
// shows the thanks instead of the buttons. Widget ids: rating.very, rating.ok, rating.not,
// rating.skip, rating.reason.<criterion id>, rating.reasons.send, rating.reasons.skip.
// UI thread only; a screen owns one and calls reset() from its wipe().
#include <string>
#include <vector>

#include "core/rating.h"
#include "kiosk/ui/widgets/ui_context.h"

namespace kiosk::ui {

class RatingPanel {
public:
    // The strip's height at the current text size (the receipt screen keeps room for it).
    float height(UiContext& ui) const;
    // Draws the strip at the cursor, full available width, for this record and stage; and, after
    // a value was tapped, the reasons dialog over the whole screen.
    void draw(UiContext& ui, const std::string& code, RatingStage stage);
    void reset();

private:
    enum class Step { Ask, Reasons, Thanks, Hidden };
    void drawAsk(UiContext& ui, const std::string& code, RatingStage stage);
    void drawReasons(UiContext& ui);

    std::string m_code;  // the record the state below is for; another code starts again
    RatingStage m_stage = RatingStage::Receipt;
    Step m_step = Step::Ask;
    std::vector<std::string> m_ticked;  // criterion ids ticked in the dialog
    std::string m_message;              // a refusal's words (already rated, or an error), shown instead
};

}  // namespace kiosk::ui
