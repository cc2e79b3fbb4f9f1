#pragma once
// The officer console (bàn làm việc của cán bộ), after login: the queue of the commune's records
// sorted by legal deadline (overdue and soon-due marked, filters by kind and status, drawn with
// ImGuiListClipper so 10,000 records scroll smoothly), a record's page with its actions
// (OfficerRecordView), registering a dossier at the desk (DossierForm), settings (input method and
// tone style, sync now), logging out, and — kiosk mode's only way out — exiting the program.
// UI thread only.
#include <optional>
#include <vector>

#include "kiosk/ui/dossier_form.h"
#include "kiosk/ui/officer_record_view.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

class OfficerScreen : public Screen {
public:
    enum class Tab { Queue, Register, Settings };
    void draw(UiContext& ui, Navigator& nav) override;
    void enter(UiContext& ui) override;
    void wipe() override;

    Tab tab() const { return m_tab; }
    const std::vector<QueueRow>& rows() const { return m_rows; }
    const OfficerRecordView& recordView() const { return m_record; }
    const DossierForm& dossierForm() const { return m_dossier; }

private:
    void drawQueue(UiContext& ui, const OfficerSession& officer);
    void drawSettings(UiContext& ui);
    void reload(UiContext& ui);

    Tab m_tab = Tab::Queue;
    int m_kindChoice = 0;    // All, khiếu nại, tố cáo, kiến nghị, phản ánh, hồ sơ
    int m_statusChoice = 0;  // open, overdue, received, all
    bool m_stale = true;
    std::vector<QueueRow> m_rows;
    std::optional<Error> m_error;
    bool m_askExit = false;
    ScrollArea m_queueScroll;
    ScrollArea m_settingsScroll;
    OfficerRecordView m_record;
    DossierForm m_dossier;
};

}  // namespace kiosk::ui
