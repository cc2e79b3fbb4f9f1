#include "kiosk/ui/widgets/theme.h"

#include <algorithm>

namespace kiosk::ui {

float scaleForDisplay(float width, float height) {
    if (width <= 0 || height <= 0) return 1.0f;
    return std::max(0.4f, std::min(height / 1080.0f, width / 1920.0f));
}

void Theme::apply(ImGuiStyle& style) const {
    style = ImGuiStyle();
    ImGui::StyleColorsLight(&style);
    style.WindowPadding = ImVec2(0, 0);
    style.WindowRounding = 0;
    style.WindowBorderSize = 0;
    style.ChildRounding = 0;
    style.ChildBorderSize = 0;
    style.FramePadding = ImVec2(px(16), px(12));
    style.ItemSpacing = ImVec2(px(metrics.gap), px(16));
    style.ItemInnerSpacing = ImVec2(px(12), px(8));
    // Scrollbars are for looking, not for grabbing: lists scroll by dragging the content.
    style.ScrollbarSize = px(14);
    style.ScrollbarRounding = px(7);
    style.FrameRounding = px(metrics.rounding);
    style.AntiAliasedFill = true;
    style.AntiAliasedLines = true;
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(colors.background);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(colors.text);
    style.Colors[ImGuiCol_TextDisabled] = ImGui::ColorConvertU32ToFloat4(colors.disabledText);
    style.Colors[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0.04f);
    style.Colors[ImGuiCol_ScrollbarGrab] = ImVec4(0.3f, 0.3f, 0.3f, 0.6f);
}

}  // namespace kiosk::ui
