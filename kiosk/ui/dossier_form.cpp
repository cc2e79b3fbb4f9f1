#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/dossier_form.h"

#include "imgui_internal.h"
#include "kiosk/ui/procedures_screen.h"

namespace kiosk::ui {

void DossierForm::wipe() {
    for (TextField* f : {&m_search, &m_name, &m_phone, &m_cccd, &m_address}) f->wipe();
    m_procedure.reset();
    m_delivery = 0;
    m_noPhone = false;
    m_focus = Focus::None;
    m_searched.clear();
    m_loaded = false;
    m_hits.clear();
    m_errors.clear();
    m_saveError.reset();
    m_keyboard.reset();
    m_listScroll.scrollToTop();
    m_formScroll.scrollToTop();
}

TextField* DossierForm::focused() {
    switch (m_focus) {
        case Focus::Search:
            return &m_search;
        case Focus::Name:
            return &m_name;
        case Focus::Phone:
            return &m_phone;
        case Focus::Cccd:
            return &m_cccd;
        case Focus::Address:
            return &m_address;
        case Focus::None:
            break;
    }
    return nullptr;
}

void DossierForm::field(UiContext& ui, Focus which, TextField& f, const std::string& id,
                        const std::string& label, const char* errorField) {
    FieldSpec spec;
    spec.label = label;
    spec.focused = m_focus == which;
    for (const FieldError& e : m_errors)
        if (e.field == errorField) {
            spec.error = &e.error.text(ui.lang);
            break;
        }
    if (textField(ui, id, f, spec) && m_focus != which) {
        m_focus = which;
        m_keyboard.reset();
        f.setComposerOptions(ui.inputOptions);
    }
}

void DossierForm::submit(UiContext& ui, Navigator& nav, const OfficerSession& officer) {
    DossierInput in;
    in.procedure = m_procedure.value_or("");
    in.name = m_name.text();
    in.phone = m_noPhone ? std::string() : m_phone.text();
    in.noPhone = m_noPhone;
    in.cccd = m_cccd.text();
    in.delivery = m_delivery == 1 ? "post" : "counter";
    in.address = m_address.text();
    const ReferenceData& ref = ui.controller.reference();
    const Procedure* p = m_procedure ? ref.procedure(*m_procedure) : nullptr;
    // Post is allowed unless the catalog says it is not (unknown: the desk confirms it).
    Validation v = validateDossier(in, ref.cccdProvinces, ref.mobilePrefixes, p != nullptr,
                                   p && p->postal.value_or(true));
    for (std::string* s : {&v.record.identity.name, &v.record.identity.phone, &v.record.identity.cccd,
                           &v.record.identity.address})
        wipeString(*s);
    m_errors = std::move(v.errors);
    m_saveError.reset();
    if (!m_errors.empty()) {
        for (std::string* s : {&in.name, &in.phone, &in.cccd, &in.address}) wipeString(*s);
        return;
    }
    auto stored = ui.controller.registerDossier(officer, in);
    for (std::string* s : {&in.name, &in.phone, &in.cccd, &in.address}) wipeString(*s);
    if (!stored) {
        m_saveError = stored.error();
        return;
    }
    ReceiptInfo receipt;
    receipt.record = stored.value();
    receipt.checkPin = receipt.record.checkPin;
    wipeString(receipt.record.checkPin);  // one copy, the receipt's
    wipeString(stored.value().checkPin);
    for (std::string* s : {&receipt.record.identity.name, &receipt.record.identity.phone,
                           &receipt.record.identity.cccd, &receipt.record.identity.address})
        wipeString(*s);
    receipt.offline = !ui.controller.connectivity().online;
    ui.controller.requestSync();
    wipe();
    nav.showReceipt(std::move(receipt));
}

void DossierForm::draw(UiContext& ui, Navigator& nav, const OfficerSession& officer) {
    const Palette& c = ui.theme.colors;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float width = window->Size.x - 2 * margin;
    const float gap = ui.px(40);
    const float listW = width * 0.44f;
    const float formW = width - listW - gap;
    TextField* f = focused();
    const float bottomH = f ? keyboardHeight(ui) : ui.px(24);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float height = window->Pos.y + window->Size.y - bottomH - pos.y - ui.px(16);

    if (!m_loaded || m_searched != m_search.text()) {
        m_searched = m_search.text();
        m_loaded = true;
        auto hits = ui.controller.searchProcedures(m_searched);
        m_hits = hits ? std::move(hits.value()) : std::vector<ProcedureHit>{};
    }
    ImGui::BeginGroup();
    text(ui, ui.tr("officer.choose_procedure"), ui.fonts().bold);
    FieldSpec search;
    search.placeholder = ui.tr("proc.search");
    search.focused = m_focus == Focus::Search;
    search.width = listW;
    if (textField(ui, "dossier.search", m_search, search)) {
        m_focus = Focus::Search;
        m_search.setComposerOptions(ui.inputOptions);
    }
    const float listH = pos.y + height - ImGui::GetCursorScreenPos().y;
    if (m_listScroll.begin(ui, "dossier.list", ImVec2(listW, listH))) {
        for (const ProcedureHit& hit : m_hits)
            if (procedureRow(ui, "dossier.proc.", hit, m_procedure == hit.id)) {
                m_procedure = hit.id;
                m_errors.clear();
            }
    }
    m_listScroll.end(ui);
    ImGui::EndGroup();

    ImGui::SetCursorScreenPos(ImVec2(pos.x + listW + gap, pos.y));
    if (m_formScroll.begin(ui, "dossier.form", ImVec2(formW, height))) {
        ImGui::PushTextWrapPos(formW - ui.px(24));
        const Procedure* p = m_procedure ? ui.controller.reference().procedure(*m_procedure) : nullptr;
        text(ui, p ? p->name : ui.tr("officer.choose_procedure"), ui.fonts().heading,
             p ? c.text : c.mutedText);
        for (const FieldError& e : m_errors)
            if (e.field == "procedure") text(ui, ui.text(e.error), ui.fonts().bold, c.danger);
        field(ui, Focus::Name, m_name, "dossier.name", ui.tr("identity.name"), "name");
        if (!m_noPhone) field(ui, Focus::Phone, m_phone, "dossier.phone", ui.tr("identity.phone"), "phone");
        // As on the petition form: the number typed before the toggle is not kept.
        if (checkBox(ui, "dossier.no_phone", ui.tr("nophone.toggle"), m_noPhone)) {
            m_phone.wipe();
            if (m_focus == Focus::Phone) m_focus = Focus::None;
            m_errors.clear();
        }
        if (m_noPhone) text(ui, ui.tr("nophone.explain"), ui.fonts().body, c.mutedText);
        field(ui, Focus::Cccd, m_cccd, "dossier.cccd",
              ui.tr("identity.cccd") + "  (" + ui.tr("common.optional") + ")", "cccd");
        text(ui, ui.tr("officer.delivery"), ui.fonts().bold);
        const bool postAllowed = !p || p->postal.value_or(true);
        std::vector<std::string> options{ui.tr("delivery.counter"), ui.tr("delivery.post")};
        if (optionRow(ui, "dossier.delivery", options, m_delivery)) m_errors.clear();
        if (!postAllowed) text(ui, ui.tr("officer.post_not_allowed"), ui.fonts().body, c.warning);
        for (const FieldError& e : m_errors)
            if (e.field == "delivery") text(ui, ui.text(e.error), ui.fonts().bold, c.danger);
        if (m_delivery == 1)
            field(ui, Focus::Address, m_address, "dossier.address", ui.tr("identity.address"), "address");
        vspace(ui, 8);
        if (m_saveError)
            noteBox(ui, ui.text(*m_saveError), c.errorBackground, c.danger, nullptr,
                    ui.tr("officer.not_saved"));
        ButtonSpec go;
        go.size = ImVec2(ui.px(520), ui.px(ui.theme.metrics.buttonHeight));
        if (button(ui, "dossier.submit", ui.tr("officer.register_dossier"), go)) {
            m_focus = Focus::None;
            submit(ui, nav, officer);
        }
        ImGui::PopTextWrapPos();
    }
    m_formScroll.end(ui);

    f = focused();
    if (f) {
        if (f->kind() == TextField::Kind::Digits) {
            if (numericPad(ui, *f) == PadResult::Done) m_focus = Focus::None;
        } else if (m_keyboard.draw(ui, *f, false)) {
            m_focus = Focus::None;
        }
    }
}

}  // namespace kiosk::ui
