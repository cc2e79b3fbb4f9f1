#pragma once
// The procedure catalog (thủ tục hành chính): a search box typed on the on-screen keyboard (with or
// without diacritics — the store folds both), a list scrolled by dragging, and a detail page with
// the documents needed, the time limit, the fee, where to apply and whether the result can come by
// post. Anything the catalog does not know is shown as "ask at the one-stop desk", never guessed.
// UI thread only.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/ui/widgets/keyboard.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

// One row of a procedure list (also used by the desk's dossier form); id "<idPrefix><procedure id>".
bool procedureRow(UiContext& ui, const std::string& idPrefix, const ProcedureHit& hit, bool selected);

class ProceduresScreen : public Screen {
public:
    void draw(UiContext& ui, Navigator& nav) override;
    void enter(UiContext& ui) override;
    void wipe() override;
    std::string mainText(UiContext& ui) override;

    const std::vector<ProcedureHit>& hits() const { return m_hits; }
    const std::optional<std::string>& selected() const { return m_selected; }
    const TextField& query() const { return m_query; }
    float listScrollY() const { return m_listScroll.scrollY(); }

private:
    void drawList(UiContext& ui, Navigator& nav);
    void drawDetail(UiContext& ui);
    void refresh(UiContext& ui);

    TextField m_query{TextField::Kind::Text, 80};
    bool m_keyboardUp = false;
    std::string m_searched;  // the query m_hits answer
    bool m_loaded = false;
    std::vector<ProcedureHit> m_hits;
    std::optional<Error> m_error;
    std::optional<std::string> m_selected;  // procedure id on the detail page
    OnScreenKeyboard m_keyboard;
    ScrollArea m_listScroll;
    ScrollArea m_detailScroll;
};

}  // namespace kiosk::ui
