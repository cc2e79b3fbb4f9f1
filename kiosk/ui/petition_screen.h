#pragma once
// Submitting a petition (gửi đơn thư), step by step:
//
//   [kind] -> [identity] -> [content] -> [review] -> [confirm] --send--> receipt screen
//      ^___________|______________|____________|__________|   Back at every step; Cancel wipes.
//
// Nothing is stored before "Gửi đơn" on the confirm step; then KioskController::submitPetition
// stores it in one transaction. When that fails, the screen says plainly that the petition was NOT
// saved and keeps what was typed so the citizen can try again or ask an officer.
// Fields are TextFields typed on the on-screen keyboard (letters composed with Telex/VNI) or the
// numeric pad (CCCD, phone). Validation comes from core/validation.h and is shown next to
// each field in the current language. wipe() overwrites everything typed. UI thread only.
#include <optional>
#include <vector>

#include "core/validation.h"
#include "kiosk/ui/widgets/keyboard.h"
#include "kiosk/ui/screen.h"
#include "kiosk/ui/widgets/text_field.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

class PetitionScreen : public Screen {
public:
    enum class Step { Kind, Identity, Content, Review, Confirm };
    enum class Focus { None, Name, Cccd, Phone, Address, Content, FirstCode, WriterName, WriterRelation };

    PetitionScreen();
    void draw(UiContext& ui, Navigator& nav) override;
    void enter(UiContext& ui) override;
    void wipe() override;
    std::string mainText(UiContext& ui) override;

    // For tests: where the citizen is, and what they typed.
    Step step() const { return m_step; }
    Focus focus() const { return m_focus; }
    const TextField& field(Focus which) const;
    const std::optional<Error>& saveError() const { return m_saveError; }
    bool secondTime() const { return m_secondTime; }
    const std::vector<FieldError>& errors() const { return m_errors; }

private:
    void drawKind(UiContext& ui);
    void drawIdentity(UiContext& ui);
    // [second time] A khiếu nại lần hai (Luật Khiếu nại 2011, Điều 37): the citizen says so and
    // types the first complaint's receipt code on the number pad; checked against this kiosk's
    // records when the identity step is left, the error shown at the field.
    void drawSecondTime(UiContext& ui);
    bool checkSecondTime(UiContext& ui);
    // The phone field, or the "Tôi không có điện thoại" toggle that replaces it with a check PIN.
    void drawPhoneChoice(UiContext& ui, std::string_view label);
    // "Người viết hộ (nếu có)": the name of whoever wrote for the citizen, and the relation.
    void drawWriterFields(UiContext& ui);
    void drawContent(UiContext& ui);
    void drawReview(UiContext& ui);
    void drawConfirm(UiContext& ui);
    // Field with its error; focuses it when tapped and keeps it in view.
    void field(UiContext& ui, Focus which, const std::string& id, std::string_view label,
               std::string_view hint, const char* errorField, int lines = 1);
    TextField* focusedField();
    // Where "Xong" goes from `from`: the next field the step asks for, or None (the keyboard goes).
    Focus nextField(Focus from) const;
    // "Có 2 mục cần sửa" above the form while the step's mistakes stand.
    void drawErrorBanner(UiContext& ui);
    PetitionInput input() const;
    // Validates the fields of the current step; true when the step may be left.
    bool validateStep(UiContext& ui);
    void send(UiContext& ui, Navigator& nav);
    void goTo(Step step);
    const std::string* errorText(UiContext& ui, const char* field);

    Step m_step = Step::Kind;
    std::optional<PetitionKind> m_kind;
    TextField m_name{TextField::Kind::Text, 100};
    TextField m_cccd{TextField::Kind::Digits, 12};
    TextField m_phone{TextField::Kind::Digits, 11};
    TextField m_address{TextField::Kind::Text, 300};
    TextField m_content{TextField::Kind::Multiline, 10000};
    bool m_secondTime = false;                           // khiếu nại lần hai: the first code is asked
    TextField m_firstCode{TextField::Kind::Digits, 16};  // the first complaint's receipt code
    TextField m_writerName{TextField::Kind::Text, 100};
    TextField m_writerRelation{TextField::Kind::Text, 100};
    bool m_noPhone = false;  // "Tôi không có điện thoại": the receipt gives a check PIN instead
    bool m_privacyAccepted = false;
    bool m_privacyError = false;
    Focus m_focus = Focus::None;
    bool m_focusChanged = false;
    bool m_scrollToError = false;      // "Tiếp tục" found mistakes: the first one drawn scrolls into view
    std::vector<FieldError> m_errors;  // from the last validation of the current step
    std::string m_errorScratch;        // the message shown for one field this frame
    std::optional<Error> m_saveError;  // the last send failed: nothing was stored
    bool m_askCancel = false;
    OnScreenKeyboard m_keyboard;
    ScrollArea m_scroll;
};

}  // namespace kiosk::ui
