#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/petition_screen.h"

#include <algorithm>
#include <functional>
#include <set>

#include "imgui_internal.h"

namespace kiosk::ui {
namespace {

constexpr int kSteps = 5;
constexpr PetitionKind kKinds[4] = {PetitionKind::Complaint, PetitionKind::Denunciation,
                                    PetitionKind::Recommendation, PetitionKind::Feedback};

const char* stepKey(PetitionScreen::Step step) {
    switch (step) {
        case PetitionScreen::Step::Kind:
            return "petition.step.kind";
        case PetitionScreen::Step::Identity:
            return "petition.step.identity";
        case PetitionScreen::Step::Content:
            return "petition.step.content";
        case PetitionScreen::Step::Review:
            return "petition.step.review";
        case PetitionScreen::Step::Confirm:
            return "petition.step.confirm";
    }
    return "";
}

Pictogram kindPictogram(PetitionKind kind) {
    switch (kind) {
        case PetitionKind::Complaint:
            return Pictogram::Complaint;
        case PetitionKind::Denunciation:
            return Pictogram::Denunciation;
        case PetitionKind::Recommendation:
            return Pictogram::Recommendation;
        case PetitionKind::Feedback:
            return Pictogram::Feedback;
    }
    return Pictogram::None;
}

std::string kindKey(PetitionKind kind, const char* item) {
    return "petition.kind." + std::string(toSlug(kind)) + "." + item;
}

PetitionLimits limitsFor(const DeadlineRules& rules, PetitionKind kind) {
    auto it = rules.petitionLimits.find(kind);
    return it != rules.petitionLimits.end() ? it->second : defaultPetitionLimits(kind);
}

// "Trong 10 ngày ông/bà được báo ..." for a kind, from the limits in force.
std::string limitSentence(UiContext& ui, PetitionKind kind) {
    const PetitionLimits l = limitsFor(ui.controller.rules(), kind);
    std::string s = ui.trf(
        kindKey(kind, "limit"),
        {ui.limitText(l.accept), ui.limitText(l.resolve), ui.limitText(l.resolveComplex),
         ui.limitText(l.extension), std::to_string(l.maxExtensions), std::to_string(l.maxExtensionsComplex)});
    if (!l.acceptConfirmed)
        s += " " + ui.trf("petition.kind.to-cao.accept_unconfirmed", {ui.limitText(l.accept)});
    return s;
}

void reviewRow(UiContext& ui, std::string_view label, std::string_view value) {
    const float labelW = ui.px(ui.largeText ? 420 : 340);
    const float startX = ImGui::GetCursorPosX();
    ImGui::BeginGroup();
    text(ui, label, ui.fonts().bold, ui.theme.colors.mutedText, labelW - ui.px(16));
    ImGui::EndGroup();
    ImGui::SameLine(startX + labelW);
    ImGui::BeginGroup();
    text(ui, value.empty() ? std::string_view(ui.tr("review.not_given")) : value, ui.fonts().body);
    ImGui::EndGroup();
}

void wipeInput(PetitionInput& in) {
    for (std::string* s : {&in.kind, &in.name, &in.cccd, &in.phone, &in.address, &in.content, &in.firstCode,
                           &in.writerName, &in.writerRelation})
        wipeString(*s);
}

void wipeRecordText(Record& r) {
    for (std::string* s : {&r.identity.name, &r.identity.cccd, &r.identity.phone, &r.identity.address,
                           &r.content, &r.checkPin, &r.identity.writerName, &r.identity.writerRelation})
        wipeString(*s);
}

}  // namespace

PetitionScreen::PetitionScreen() = default;

void PetitionScreen::enter(UiContext& ui) {
    for (TextField* f : {&m_name, &m_address, &m_content, &m_writerName, &m_writerRelation})
        f->setComposerOptions(ui.inputOptions);
}

void PetitionScreen::wipe() {
    for (TextField* f :
         {&m_name, &m_cccd, &m_phone, &m_address, &m_content, &m_firstCode, &m_writerName, &m_writerRelation})
        f->wipe();
    m_secondTime = false;
    m_kind.reset();
    m_step = Step::Kind;
    m_noPhone = false;
    m_privacyAccepted = false;
    m_privacyError = false;
    m_focus = Focus::None;
    m_errors.clear();
    m_scrollToError = false;
    m_saveError.reset();
    m_askCancel = false;
    m_keyboard.reset();
    m_scroll.scrollToTop();
}

const TextField& PetitionScreen::field(Focus which) const {
    switch (which) {
        case Focus::Name:
            return m_name;
        case Focus::Cccd:
            return m_cccd;
        case Focus::Phone:
            return m_phone;
        case Focus::Address:
            return m_address;
        case Focus::FirstCode:
            return m_firstCode;
        case Focus::WriterName:
            return m_writerName;
        case Focus::WriterRelation:
            return m_writerRelation;
        case Focus::Content:
        case Focus::None:
            break;
    }
    return m_content;
}

PetitionScreen::Focus PetitionScreen::nextField(Focus from) const {
    switch (from) {
        case Focus::Name:
            return Focus::Cccd;
        case Focus::Cccd:
            return m_noPhone ? Focus::Address : Focus::Phone;
        case Focus::Phone:
            return Focus::Address;
        case Focus::WriterName:
            return m_writerName.empty() ? Focus::None : Focus::WriterRelation;
        // The address ends what the step asks; the helper's fields are optional, so "Xong" does
        // not lead into them as if they were required.
        default:
            return Focus::None;
    }
}

TextField* PetitionScreen::focusedField() {
    if (m_focus == Focus::None) return nullptr;
    return const_cast<TextField*>(&field(m_focus));
}

PetitionInput PetitionScreen::input() const {
    PetitionInput in;
    if (m_kind) in.kind = std::string(toSlug(*m_kind));
    in.name = m_name.text();
    in.cccd = m_cccd.text();
    in.phone = m_noPhone ? std::string() : m_phone.text();
    in.noPhone = m_noPhone;
    in.writerName = m_writerName.text();
    in.writerRelation = m_writerRelation.text();
    in.address = m_address.text();
    in.content = m_content.text();
    if (m_secondTime && m_kind == PetitionKind::Complaint) in.firstCode = m_firstCode.text();
    return in;
}

void PetitionScreen::goTo(Step step) {
    m_step = step;
    m_focus = Focus::None;
    m_errors.clear();
    m_privacyError = false;
    m_scroll.scrollToTop();
}

const std::string* PetitionScreen::errorText(UiContext& ui, const char* fieldName) {
    for (const FieldError& e : m_errors)
        if (e.field == fieldName) return &e.error.text(ui.lang);
    return nullptr;
}

bool PetitionScreen::validateStep(UiContext& ui) {
    std::set<std::string> fields;
    switch (m_step) {
        case Step::Kind:
            fields = {"kind"};
            break;
        case Step::Identity:
            fields = {"name", "cccd", "phone", "address", "writer"};
            break;
        case Step::Content:
            fields = {"content"};
            break;
        case Step::Review:
        case Step::Confirm:
            fields = {"kind", "name", "cccd", "phone", "address", "content", "writer"};
            break;
    }
    PetitionInput in = input();
    const ReferenceData& ref = ui.controller.reference();
    Validation v = validatePetition(in, ref.cccdProvinces, ref.mobilePrefixes, currentYearUtc7(),
                                    ref.identityRules, localFromUnix(ui.controller.nowUnix()).date);
    wipeInput(in);
    wipeRecordText(v.record);
    m_errors.clear();
    for (FieldError& e : v.errors)
        if (fields.count(e.field)) m_errors.push_back(std::move(e));
    m_privacyError = m_step == Step::Identity && !m_privacyAccepted;
    const bool secondTimeOk = m_step == Step::Content || checkSecondTime(ui);
    const bool ok = m_errors.empty() && !m_privacyError && secondTimeOk;
    m_scrollToError = !ok;
    return ok;
}

// [SECTION] second time

void PetitionScreen::drawSecondTime(UiContext& ui) {
    if (m_kind != PetitionKind::Complaint) return;
    if (checkBox(ui, "petition.second_time", ui.tr("petition.second_time"), m_secondTime) && !m_secondTime) {
        m_firstCode.wipe();
        if (m_focus == Focus::FirstCode) m_focus = Focus::None;
    }
    if (!m_secondTime) return;
    field(ui, Focus::FirstCode, "petition.first_code", ui.tr("petition.first_code"),
          ui.tr("petition.first_code.hint"), "first_code");
}

// The first code must be a complaint this kiosk knows (the same check submitPetition makes); its
// message goes to the field. True when there is nothing to check or the code is known.
bool PetitionScreen::checkSecondTime(UiContext& ui) {
    if (!m_secondTime || m_kind != PetitionKind::Complaint) return true;
    Error error = makeError("petition.second-time-code", "Xin nhập mã biên nhận của đơn khiếu nại lần đầu.",
                            "Please enter the receipt code of the first complaint.");
    if (!m_firstCode.empty()) {
        PetitionInput in = input();
        auto first = ui.controller.firstComplaint(in);
        wipeInput(in);
        if (first) return true;
        error = first.error();
    }
    m_errors.push_back(FieldError{"first_code", std::move(error)});
    return false;
}

void PetitionScreen::send(UiContext& ui, Navigator& nav) {
    m_saveError.reset();
    if (!validateStep(ui)) {
        // Something became invalid (should not happen after each step was checked): send the
        // citizen to the first step with an error.
        for (Step s : {Step::Identity, Step::Content}) {
            goTo(s);
            if (!validateStep(ui)) return;
        }
        goTo(Step::Confirm);
        return;
    }
    PetitionInput in = input();
    Result<Record> stored = ui.controller.submitPetition(in);
    wipeInput(in);
    if (!stored) {
        m_saveError = stored.error();
        return;
    }
    ReceiptInfo receipt;
    receipt.record = stored.value();
    receipt.checkPin = receipt.record.checkPin;
    wipeRecordText(stored.value());
    wipeRecordText(receipt.record);
    const PetitionLimits limits = limitsFor(ui.controller.rules(), receipt.record.petitionKind);
    receipt.dueUnconfirmed = receipt.record.status == RecordStatus::Received && !limits.acceptConfirmed;
    receipt.offline = !ui.controller.connectivity().online;
    ui.controller.requestSync();
    wipe();
    nav.showReceipt(std::move(receipt));
}

void PetitionScreen::field(UiContext& ui, Focus which, const std::string& id, std::string_view label,
                           std::string_view hint, const char* errorField, int lines) {
    const float top = ImGui::GetCursorPosY();
    FieldSpec spec;
    spec.label = label;
    spec.hint = hint;
    spec.error = errorText(ui, errorField);
    spec.focused = m_focus == which;
    spec.lines = lines;
    if (which == Focus::Content) spec.placeholder = ui.tr("content.placeholder");
    if (textField(ui, id, field(which), spec) && m_focus != which) {
        m_focus = which;
        m_focusChanged = true;
        m_keyboard.reset();
    }
    if (m_focusChanged && m_focus == which) {
        // The keyboard takes the bottom of the screen on the next frame: keep the field above it.
        m_scroll.ensureVisible(std::max(0.0f, top - ui.px(16)), ImGui::GetCursorPosY());
        m_focusChanged = false;
    } else if (m_scrollToError && spec.error) {
        // The first mistake drawn, with its label and message, in view.
        m_scroll.ensureVisible(std::max(0.0f, top - ui.px(16)), ImGui::GetCursorPosY() + ui.px(8));
        m_scrollToError = false;
    }
}

void PetitionScreen::drawErrorBanner(UiContext& ui) {
    const size_t count = m_errors.size() + (m_privacyError ? 1 : 0);
    if (count == 0) return;
    const Palette& c = ui.theme.colors;
    const ImVec2 min = ImGui::GetCursorScreenPos();
    noteBox(ui, ui.trf("form.errors", {std::to_string(count)}), c.errorBackground, c.danger, ui.fonts().bold);
    ui.widgets.add("petition.errors", min,
                   ImVec2(min.x + ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y), false);
    vspace(ui, 4);
}

void PetitionScreen::drawKind(UiContext& ui) {
    text(ui, ui.tr("petition.kind.prompt"), ui.fonts().heading);
    vspace(ui, 8);
    const float gap = ui.px(32);
    const float width = (ImGui::GetContentRegionAvail().x - gap - ui.px(20)) / 2;
    std::vector<std::string> hints;
    float height = 0;
    for (PetitionKind kind : kKinds) {
        hints.push_back(ui.tr(kindKey(kind, "explain")) + "\n" + limitSentence(ui, kind));
        // The card's text starts right of its pictogram (widgets.h, ButtonSpec::icon).
        const float inner = width - ui.px(28) - pictogramSide(ui) - ui.px(20);
        height = std::max(height, wrappedHeight(ui.fonts().heading, ui.tr(kindKey(kind, "name")), inner) +
                                      wrappedHeight(ui.fonts().body, hints.back(), inner) + ui.px(56));
        height = std::max(height, pictogramSide(ui) + ui.px(48));
    }
    for (int i = 0; i < 4; ++i) {
        if (i % 2) ImGui::SameLine(0, gap);
        ButtonSpec spec;
        spec.size = ImVec2(width, height);
        spec.kind = m_kind == kKinds[i] ? ButtonKind::Selected : ButtonKind::Secondary;
        spec.font = ui.fonts().heading;
        spec.hint = hints[size_t(i)];
        spec.leftAlign = true;
        spec.icon = kindPictogram(kKinds[i]);
        if (button(ui, "petition.kind." + std::string(toSlug(kKinds[i])), ui.tr(kindKey(kKinds[i], "name")),
                   spec)) {
            if (m_kind != kKinds[i]) m_errors.clear();
            m_kind = kKinds[i];
            goTo(Step::Identity);
        }
    }
    vspace(ui, 8);
    text(ui, ui.tr("petition.kind.help"), ui.fonts().body, ui.theme.colors.mutedText);
}

void PetitionScreen::drawIdentity(UiContext& ui) {
    const Palette& c = ui.theme.colors;
    const PetitionKind kind = m_kind.value_or(PetitionKind::Complaint);
    if (kind == PetitionKind::Denunciation) {
        noteBox(ui, ui.tr("petition.to-cao.confidential"), c.noteBackground, c.primary, nullptr,
                ui.tr("petition.to-cao.confidential.title"));
    }
    text(ui, ui.tr(kindKey(kind, "identity")), ui.fonts().bold);
    vspace(ui, 4);
    const std::set<IdentityField> required = requiredIdentity(ui.controller.reference().identityRules, kind,
                                                              localFromUnix(ui.controller.nowUnix()).date);
    const auto needs = [&](IdentityField f) { return required.count(f) != 0; };
    auto mark = [&](const char* key, bool req) {
        return ui.tr(key) + "  (" + ui.tr(req ? "common.required" : "common.optional") + ")";
    };
    field(ui, Focus::Name, "petition.name", mark("identity.name", needs(IdentityField::Name)),
          ui.tr("identity.name.hint"), "name");
    field(ui, Focus::Cccd, "petition.cccd", mark("identity.cccd", needs(IdentityField::Cccd)),
          ui.tr("identity.cccd.hint"), "cccd");
    drawPhoneChoice(ui, mark("identity.phone", !m_noPhone));
    field(ui, Focus::Address, "petition.address", mark("identity.address", needs(IdentityField::Address)),
          ui.tr("identity.address.hint"), "address");
    drawWriterFields(ui);
    vspace(ui, 8);
    noteBox(ui, ui.tr("identity.privacy.body"), c.noteBackground, c.fieldBorder, nullptr,
            ui.tr("identity.privacy.title"));
    const float privacyTop = ImGui::GetCursorPosY();
    if (checkBox(ui, "petition.privacy", ui.tr("identity.privacy.accept"), m_privacyAccepted))
        m_privacyError = false;
    if (m_privacyError) text(ui, ui.tr("identity.privacy.must_accept"), ui.fonts().bold, c.danger);
    if (m_scrollToError && m_privacyError) {
        m_scroll.ensureVisible(std::max(0.0f, privacyTop - ui.px(16)), ImGui::GetCursorPosY() + ui.px(8));
        m_scrollToError = false;
    }
    vspace(ui, 8);
    drawSecondTime(ui);
}

void PetitionScreen::drawPhoneChoice(UiContext& ui, std::string_view label) {
    if (!m_noPhone) field(ui, Focus::Phone, "petition.phone", label, ui.tr("identity.phone.hint"), "phone");
    if (checkBox(ui, "petition.no_phone", ui.tr("nophone.toggle"), m_noPhone)) {
        // The number typed before the toggle is not kept.
        m_phone.wipe();
        if (m_focus == Focus::Phone) m_focus = Focus::None;
        m_errors.erase(std::remove_if(m_errors.begin(), m_errors.end(),
                                      [](const FieldError& e) { return e.field == "phone"; }),
                       m_errors.end());
    }
    if (m_noPhone) text(ui, ui.tr("nophone.explain"), ui.fonts().body, ui.theme.colors.mutedText);
}

void PetitionScreen::drawWriterFields(UiContext& ui) {
    const std::string optional = "  (" + ui.tr("common.optional") + ")";
    field(ui, Focus::WriterName, "petition.writer", ui.tr("writer.name") + optional, {}, "writer");
    if (!m_writerName.empty())
        field(ui, Focus::WriterRelation, "petition.writer_relation", ui.tr("writer.relation") + optional, {},
              "writer");
}

void PetitionScreen::drawContent(UiContext& ui) {
    const Palette& c = ui.theme.colors;
    text(ui, ui.tr("content.prompt"), ui.fonts().body);
    field(ui, Focus::Content, "petition.content", ui.tr("content.title"), {}, "content", 6);
    text(ui,
         ui.trf("content.chars",
                {std::to_string(m_content.codepoints()), std::to_string(m_content.maxCodepoints())}),
         ui.fonts().body, c.mutedText);
    text(ui, ui.tr("content.attachments_note"), ui.fonts().body, c.mutedText);
}

void PetitionScreen::drawReview(UiContext& ui) {
    const PetitionKind kind = m_kind.value_or(PetitionKind::Complaint);
    text(ui, ui.tr("review.title"), ui.fonts().heading);
    vspace(ui, 8);
    // Each section with its "Sửa" button on the right of its first line.
    const float editW = ui.px(220);
    const float right = ImGui::GetContentRegionAvail().x;
    auto section = [&](const char* id, Step step, const std::function<void()>& rows) {
        const float top = ImGui::GetCursorPosY();
        ImGui::PushTextWrapPos(right - editW - ui.px(32));
        rows();
        ImGui::PopTextWrapPos();
        const float bottom = ImGui::GetCursorPosY();
        ImGui::SetCursorPos(ImVec2(right - editW, top));
        ButtonSpec edit;
        edit.size = ImVec2(editW, ui.px(ui.theme.metrics.smallButtonHeight));
        edit.kind = ButtonKind::Secondary;
        const bool tapped = button(ui, id, ui.tr("review.edit"), edit);
        ImGui::SetCursorPosY(std::max(bottom, ImGui::GetCursorPosY()));
        ImGui::Separator();
        vspace(ui, 4);
        if (tapped) goTo(step);
        return tapped;
    };
    if (section("review.edit.kind", Step::Kind,
                [&] { reviewRow(ui, ui.tr("review.kind"), ui.tr(kindKey(kind, "name"))); }))
        return;
    if (section("review.edit.identity", Step::Identity, [&] {
            reviewRow(ui, ui.tr("review.name"), m_name.text());
            reviewRow(ui, ui.tr("review.cccd"), m_cccd.text());
            reviewRow(ui, ui.tr("review.phone"), m_noPhone ? ui.tr("nophone.review") : m_phone.text());
            reviewRow(ui, ui.tr("review.address"), m_address.text());
            if (m_secondTime) reviewRow(ui, ui.tr("petition.first_code"), m_firstCode.text());
            if (!m_writerName.empty())
                reviewRow(ui, ui.tr("writer.label"),
                          m_writerName.text() +
                              (m_writerRelation.empty() ? "" : " (" + m_writerRelation.text() + ")"));
        }))
        return;
    if (section("review.edit.content", Step::Content,
                [&] { reviewRow(ui, ui.tr("review.content"), m_content.text()); }))
        return;
    reviewRow(ui, ui.tr("review.commune"), ui.controller.communeName());
    const DeadlineRules& rules = ui.controller.rules();
    text(ui,
         ui.trf("review.received_on",
                {ui.date(receivedDate(rules.calendar, rules.hours, ui.controller.nowUnix()))}),
         ui.fonts().bold);
}

void PetitionScreen::drawConfirm(UiContext& ui) {
    const Palette& c = ui.theme.colors;
    text(ui, ui.tr("confirm.title"), ui.fonts().title);
    vspace(ui, 8);
    text(ui, ui.tr("confirm.body"), ui.fonts().body);
    vspace(ui, 8);
    text(ui, ui.tr("content.attachments_note"), ui.fonts().body, c.mutedText);
    if (m_saveError) {
        vspace(ui, 8);
        noteBox(ui, ui.tr("confirm.not_saved") + "\n" + ui.text(*m_saveError), c.errorBackground, c.danger,
                ui.fonts().body, ui.tr("confirm.not_saved.title"));
    }
}

std::string PetitionScreen::mainText(UiContext& ui) {
    // The step's question and what it asks for; never what was typed (the review step's values,
    // a denouncer's name): the kiosk stands in a public room.
    const PetitionKind kind = m_kind.value_or(PetitionKind::Complaint);
    switch (m_step) {
        case Step::Kind: {
            std::string kinds;
            for (PetitionKind k : kKinds)
                kinds = spokenText({kinds, ui.tr(kindKey(k, "name")) + ": " + ui.tr(kindKey(k, "explain"))});
            return spokenText({ui.tr("petition.kind.prompt"), kinds});
        }
        case Step::Identity:
            return spokenText(
                {kind == PetitionKind::Denunciation ? ui.tr("petition.to-cao.confidential") : std::string(),
                 ui.tr(kindKey(kind, "identity")), ui.tr("identity.name"), ui.tr("identity.cccd"),
                 ui.tr("identity.phone"), ui.tr("identity.address"), ui.tr("identity.privacy.body"),
                 ui.tr("identity.privacy.accept")});
        case Step::Content:
            return spokenText({ui.tr("content.prompt"), ui.tr("content.attachments_note")});
        case Step::Review:
            return spokenText({ui.tr("review.title")});
        case Step::Confirm:
            return spokenText({ui.tr("confirm.title"), ui.tr("confirm.body"),
                               m_saveError ? ui.tr("confirm.not_saved") : std::string()});
    }
    return {};
}

void PetitionScreen::draw(UiContext& ui, Navigator& nav) {
    const std::string step =
        ui.trf("common.step", {std::to_string(int(m_step) + 1), std::to_string(kSteps)}) + " — " +
        ui.tr(stepKey(m_step));
    if (topBar(ui, ui.tr("petition.title"), true, step)) {
        if (m_step == Step::Kind) {
            nav.endSession();
            return;
        }
        goTo(Step(int(m_step) - 1));
    }
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    TextField* focused = focusedField();
    const float bottomH = focused ? keyboardHeight(ui) : ui.px(ui.theme.metrics.bottomBar);
    drawErrorBanner(ui);
    const float margin = ui.px(ui.theme.metrics.margin);
    const ImVec2 bodyPos = ImGui::GetCursorScreenPos();
    const ImVec2 bodySize(window->Size.x - 2 * margin,
                          window->Pos.y + window->Size.y - bottomH - bodyPos.y - ui.px(16));
    if (m_scroll.begin(ui, "petition.body", bodySize)) {
        ImGui::PushTextWrapPos(bodySize.x - ui.px(24));
        switch (m_step) {
            case Step::Kind:
                drawKind(ui);
                break;
            case Step::Identity:
                drawIdentity(ui);
                break;
            case Step::Content:
                drawContent(ui);
                break;
            case Step::Review:
                drawReview(ui);
                break;
            case Step::Confirm:
                drawConfirm(ui);
                break;
        }
        ImGui::PopTextWrapPos();
    }
    m_scroll.end(ui);

    focused = focusedField();
    if (focused) {
        const bool done = focused->kind() == TextField::Kind::Digits
                              ? numericPad(ui, *focused) == PadResult::Done
                              : m_keyboard.draw(ui, *focused, focused->kind() == TextField::Kind::Multiline);
        if (done) {
            m_focus = nextField(m_focus);
            m_focusChanged = m_focus != Focus::None;
            m_keyboard.reset();
        }
    } else {
        const bool confirm = m_step == Step::Confirm;
        const BarChoice choice = bottomBar(
            ui, "petition.cancel", ui.tr("common.cancel"), confirm ? "petition.send" : "petition.next",
            ui.tr(confirm ? "confirm.send" : "common.next"), m_step != Step::Kind || m_kind.has_value(),
            m_scroll.moreBelow() ? std::string_view(ui.tr("common.scroll_hint")) : std::string_view());
        if (choice == BarChoice::Left) m_askCancel = true;
        if (choice == BarChoice::Right) {
            switch (m_step) {
                case Step::Kind:
                    goTo(Step::Identity);
                    break;
                case Step::Identity:
                    if (validateStep(ui)) goTo(Step::Content);
                    break;
                case Step::Content:
                    if (validateStep(ui)) goTo(Step::Review);
                    break;
                case Step::Review:
                    goTo(Step::Confirm);
                    break;
                case Step::Confirm:
                    send(ui, nav);
                    break;
            }
        }
    }
    if (m_askCancel) {
        const Answer a = confirmDialog(ui, "petition.cancel_confirm", ui.tr("common.cancel_confirm"), {},
                                       ui.tr("common.yes"), ui.tr("common.no"), true);
        if (a == Answer::Yes) nav.endSession();
        if (a == Answer::No) m_askCancel = false;
    }
}

}  // namespace kiosk::ui
