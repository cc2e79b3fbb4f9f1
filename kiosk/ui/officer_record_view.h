#pragma once
// One record in the officer console: every field the commune may see (a tố cáo's identity never:
// the controller strips it and this page says why), the full history, and a button for each action
// allowedActions(record, Role::CommuneOfficer) permits. An action that needs a reason or a result
// (reject, request info, extend, resolve, withdraw part, suspend a petition) asks for it on the
// keyboard before it is confirmed; a transfer asks for its agency as a row of touch-sized buttons;
// KioskController::act stores it as one event. Part of OfficerScreen, not a screen of its own.
// UI thread only.
#include <optional>
#include <string>

#include "kiosk/ui/officer_papers.h"
#include "kiosk/ui/widgets/keyboard.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

class OfficerRecordView {
public:
    void open(UiContext& ui, const OfficerSession& officer, const std::string& code);
    bool isOpen() const { return !m_code.empty(); }
    // Draws the page below the top bar. Returns true when an action was stored (the queue reloads).
    bool draw(UiContext& ui, const OfficerSession& officer);
    void wipe();

    const std::optional<RecordDetail>& detail() const { return m_detail; }
    const std::optional<Error>& error() const { return m_error; }
    const std::optional<Action>& pending() const { return m_pending; }

private:
    void drawRecord(UiContext& ui);
    bool drawActions(UiContext& ui, const OfficerSession& officer);
    void drawComplexityPicker(UiContext& ui);
    void drawAgencyPicker(UiContext& ui);
    void reload(UiContext& ui, const OfficerSession& officer);

    std::string m_code;
    std::optional<RecordDetail> m_detail;
    std::optional<Error> m_error;
    std::optional<Action> m_pending;  // chosen, waiting for its note and confirmation
    bool m_noteFocused = false;
    bool m_noteMissing = false;
    bool m_done = false;  // "Đã ghi nhận." after the last action
    // Extending a tố cáo: the class the resolver gives it (Luật Tố cáo 2018, Điều 30); none keeps
    // the class given before.
    std::optional<Complexity> m_complexity;
    // Transferring: the agency chosen (an agencies.tsv slug in force today); "" until one is tapped.
    std::string m_agency;
    bool m_agencyMissing = false;
    TextField m_note{TextField::Kind::Multiline, 2000};
    OnScreenKeyboard m_keyboard;
    ScrollArea m_scroll;
    RecordPaperButtons m_papers;  // print or reprint the record's papers (officer_papers.h)
};

// Whether the officer must write a note for this action (the state machine refuses reject,
// request-info and extend without one; a resolution without its result says nothing; a partial
// withdrawal is the part withdrawn; a petition's suspension needs its reason).
bool actionNeedsNote(Action action, RecordKind kind = RecordKind::Petition);
// "action.<slug>", with the dossier wording for reject and the petition wording for suspend.
std::string actionLabelKey(Action action, RecordKind kind);

}  // namespace kiosk::ui
