#pragma once
// Papers in the officer console: on a record's page, a button for each paper the record takes
// (the slip again; the petition for the citizen to sign; a dossier's receipt form, request for
// supplement and apology) with the state of the last one asked; and in the settings tab, the papers
// not printed yet (pending or failed, with the reason) and a retry for each. The printing runs on
// the printer thread (KioskController::printPaper); these only ask and show.
// UI thread only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/ui/widgets/ui_context.h"

namespace kiosk::ui {

class RecordPaperButtons {
public:
    void draw(UiContext& ui, const Record& record);
    void reset() {
        m_last.reset();
        m_error.reset();
    }

private:
    std::optional<int64_t> m_last;  // the journal id of the paper asked last
    std::optional<Error> m_error;
};

class UnprintedPapersList {
public:
    void draw(UiContext& ui);
    const std::vector<UnprintedPaper>& rows() const { return m_rows; }

private:
    void reload(UiContext& ui);
    std::vector<UnprintedPaper> m_rows;
    double m_loadedAt = -1;  // ui.now of the last read; read again every few seconds
    std::optional<Error> m_error;
};

// The papers a record takes, as kioskctl print's --paper names them.
std::vector<std::string> papersFor(const Record& record);

}  // namespace kiosk::ui
