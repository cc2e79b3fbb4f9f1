#pragma once
// The officer console (bàn làm việc của cán bộ), after login: the queue of the commune's records
// sorted by legal deadline (overdue and soon-due marked, filters by kind and status, drawn with
// ImGuiListClipper so 10,000 records scroll smoothly), a search by the citizen's name, phone, CCCD
// or the record's code (identities opened in memory a few hundred rows per frame, with progress), a record's page with its actions
// (OfficerRecordView), registering a dossier at the desk (DossierForm), settings (input method and
// tone style, sync now), logging out, and — kiosk mode's only way out — exiting the program.
// UI thread only.
#include <optional>
#include <vector>

#include "kiosk/ui/dossier_form.h"
#include "kiosk/ui/officer_papers.h"
#include "kiosk/ui/widgets/keyboard.h"
#include "kiosk/ui/officer_record_view.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

class OfficerScreen : public Screen {
public:
    enum class Tab { Queue, Register, Settings };
    void draw(UiContext& ui, Navigator& nav) override;
    void enter(UiContext& ui) override;
    void wipe() override;

    Tab tab() const { return m_tab; }
    const std::vector<QueueRow>& rows() const { return m_rows; }
    // While a search is typed: the indices into rows() that match it, so far.
    const std::vector<size_t>& matches() const { return m_matches; }
    bool searching() const { return !m_search.empty(); }
    bool searchComplete() const { return m_searchOpened >= m_rows.size(); }
    const OfficerRecordView& recordView() const { return m_record; }
    const DossierForm& dossierForm() const { return m_dossier; }

private:
    void drawQueue(UiContext& ui, const OfficerSession& officer);
    void drawQueueHeader(UiContext& ui);
    void drawVoiceVolume(UiContext& ui);
    void drawSettings(UiContext& ui);
    void reload(UiContext& ui);
    void wipeRows();
    void drawSearchField(UiContext& ui);
    void updateSearch(UiContext& ui);

    Tab m_tab = Tab::Queue;
    int m_kindChoice = 0;    // All, khiếu nại, tố cáo, kiến nghị, phản ánh, hồ sơ
    int m_statusChoice = 0;  // open, overdue, received, all
    bool m_stale = true;
    std::vector<QueueRow> m_rows;
    TextField m_search{TextField::Kind::Text, 60};
    bool m_searchFocused = false;
    OnScreenKeyboard m_keyboard;
    size_t m_searchOpened = 0;   // rows [0, m_searchOpened) are open for the search
    std::string m_matchedQuery;  // m_matches are for this query
    size_t m_matchedUpTo = 0;    // and cover rows [0, m_matchedUpTo)
    std::vector<size_t> m_matches;
    std::optional<Error> m_error;
    bool m_askExit = false;
    ScrollArea m_queueScroll;
    ScrollArea m_settingsScroll;
    OfficerRecordView m_record;
    DossierForm m_dossier;
    UnprintedPapersList m_unprinted;  // in the settings tab (officer_papers.h)
};

}  // namespace kiosk::ui
