#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/rating_panel.h"

#include <algorithm>

#include "imgui_internal.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {

float RatingPanel::height(UiContext& ui) const {
    if (m_step == Step::Hidden) return 0;
    return ui.px(ui.theme.metrics.buttonHeight) + ui.px(70);
}

void RatingPanel::reset() {
    m_code.clear();
    m_stage = RatingStage::Receipt;
    m_step = Step::Ask;
    m_ticked.clear();
    m_message.clear();
}

void RatingPanel::draw(UiContext& ui, const std::string& code, RatingStage stage) {
    if (code != m_code || stage != m_stage) {
        reset();
        m_code = code;
        m_stage = stage;
        // Already rated here (another session, kioskctl): thanks, no second rating.
        if (ui.controller.rated(code, stage)) m_step = Step::Thanks;
    }
    const Palette& c = ui.theme.colors;
    switch (m_step) {
        case Step::Hidden:
            return;
        case Step::Ask:
            drawAsk(ui, code, stage);
            return;
        case Step::Reasons:
            text(ui, ui.tr("rating.thanks"), ui.fonts().heading, c.success);
            drawReasons(ui);
            return;
        case Step::Thanks:
            text(ui, m_message.empty() ? ui.tr("rating.thanks") : m_message, ui.fonts().heading, c.success);
            return;
    }
}

void RatingPanel::drawAsk(UiContext& ui, const std::string& code, RatingStage stage) {
    text(ui, ui.tr("rating.title"), ui.fonts().heading);
    const float gap = ui.px(24);
    const float width = ImGui::GetContentRegionAvail().x;
    const float skipW = ui.px(220);
    const float valueW = (width - skipW - 3 * gap) / 3;
    const struct {
        const char* id;
        RatingValue value;
        ButtonKind kind;
    } choices[] = {{"rating.very", RatingValue::VerySatisfied, ButtonKind::Primary},
                   {"rating.ok", RatingValue::Satisfied, ButtonKind::Primary},
                   {"rating.not", RatingValue::Unsatisfied, ButtonKind::Secondary}};
    for (const auto& choice : choices) {
        ButtonSpec spec;
        spec.size = ImVec2(valueW, 0);
        spec.kind = choice.kind;
        if (button(ui, choice.id, ui.tr(choice.id), spec)) {
            auto ok = ui.controller.rate(code, stage, choice.value, {});
            if (!ok) {
                // Already rated (rating.exists says thank you) or the kiosk failed: say it, no retry.
                m_message = ui.lang == Lang::En ? ok.error().en : ok.error().vi;
                m_step = Step::Thanks;
            } else {
                m_step = ui.controller.ratingCriteria().empty() ? Step::Thanks : Step::Reasons;
            }
        }
        ImGui::SameLine(0, gap);
    }
    ButtonSpec skip;
    skip.size = ImVec2(skipW, 0);
    skip.kind = ButtonKind::Secondary;
    if (button(ui, "rating.skip", ui.tr("rating.skip"), skip)) m_step = Step::Hidden;
}

// The optional reasons, over the whole screen: the criteria in two columns, "Gửi lý do" and
// "Bỏ qua". The value is already stored; closing without reasons changes nothing.
void RatingPanel::drawReasons(UiContext& ui) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(ui.theme.colors.overlay));
    ImGui::Begin("##dialog.rating.reasons", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoNav);
    ImGui::PopStyleColor();
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float pad = ui.px(40);
    const ImVec2 boxMin = viewport->Pos + ImVec2(ui.px(60), ui.px(40));
    const ImVec2 boxMax = viewport->Pos + viewport->Size - ImVec2(ui.px(60), ui.px(40));
    window->DrawList->AddRectFilled(boxMin, boxMax, ui.theme.colors.background,
                                    ui.px(ui.theme.metrics.rounding));
    const float innerW = boxMax.x - boxMin.x - 2 * pad;
    const float columnW = (innerW - pad) / 2;
    ImGui::SetCursorScreenPos(boxMin + ImVec2(pad, pad));
    text(ui, ui.tr("rating.reasons"), ui.fonts().heading, 0, innerW);
    vspace(ui, 8);
    const std::vector<RatingCriterion>& criteria = ui.controller.ratingCriteria();
    const float top = ImGui::GetCursorScreenPos().y;
    const size_t half = (criteria.size() + 1) / 2;
    for (size_t i = 0; i < criteria.size(); ++i) {
        if (i == 0 || i == half) {
            if (i == half) ImGui::EndGroup();
            ImGui::SetCursorScreenPos(ImVec2(boxMin.x + pad + (i == 0 ? 0 : columnW + pad), top));
            ImGui::BeginGroup();
        }
        const RatingCriterion& criterion = criteria[i];
        bool ticked = std::find(m_ticked.begin(), m_ticked.end(), criterion.id) != m_ticked.end();
        ImGui::BeginChild(("rating.reason.cell." + criterion.id).c_str(),
                          ImVec2(columnW, ui.px(ui.theme.metrics.buttonHeight) + ui.px(24)), false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoBackground);
        if (checkBox(ui, "rating.reason." + criterion.id, ui.lang == Lang::En ? criterion.en : criterion.vi,
                     ticked)) {
            if (ticked)
                m_ticked.push_back(criterion.id);
            else
                m_ticked.erase(std::remove(m_ticked.begin(), m_ticked.end(), criterion.id), m_ticked.end());
        }
        ImGui::EndChild();
    }
    if (!criteria.empty()) ImGui::EndGroup();
    const float buttonH = ui.px(ui.theme.metrics.buttonHeight);
    ImGui::SetCursorScreenPos(ImVec2(boxMin.x + pad, boxMax.y - pad - buttonH));
    ButtonSpec skip;
    skip.size = ImVec2(columnW, buttonH);
    skip.kind = ButtonKind::Secondary;
    if (button(ui, "rating.reasons.skip", ui.tr("rating.skip"), skip)) m_step = Step::Thanks;
    ImGui::SameLine(0, pad);
    ButtonSpec send;
    send.size = ImVec2(columnW, buttonH);
    send.enabled = !m_ticked.empty();
    if (button(ui, "rating.reasons.send", ui.tr("rating.reasons.send"), send)) {
        auto ok = ui.controller.addRatingReasons(m_code, m_stage, m_ticked);
        if (!ok) m_message = ui.lang == Lang::En ? ok.error().en : ok.error().vi;
        m_step = Step::Thanks;
    }
    ImGui::End();
}

}  // namespace kiosk::ui
