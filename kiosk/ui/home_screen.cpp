#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/home_screen.h"

#include <algorithm>
#include <cstdio>

#include "imgui_internal.h"
#include "core/text.h"
#include "kiosk/ui/widgets/widgets.h"

namespace kiosk::ui {
namespace {

std::string clock(int minuteOfDay) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d:%02d", minuteOfDay / 60, minuteOfDay % 60);
    return buf;
}

// A server that is not the district's (sync/client/district_trust.h): nothing goes out until fixed.
bool districtKeyMismatch(const ConnectivityState& state) {
    return state.lastError && state.lastError->code == "sync.district-key-mismatch";
}

}  // namespace

int connectivityDetailLines(const ConnectivityState& state) {
    return 1 + (state.clockWrong ? 1 : 0) + (districtKeyMismatch(state) ? 1 : 0) + (state.tooOld ? 1 : 0);
}

void drawConnectivity(UiContext& ui, const ConnectivityState& state) {
    const Palette& c = ui.theme.colors;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float dot = ui.px(22);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImU32 color = state.syncing ? c.warning : state.online ? c.success : c.danger;
    ImFont* bold = ui.fonts().bold;
    draw->AddCircleFilled(ImVec2(at.x + dot / 2, at.y + bold->FontSize / 2), dot / 2, color);
    ImGui::SetCursorScreenPos(ImVec2(at.x + dot + ui.px(16), at.y));
    ImGui::BeginGroup();
    std::string headline;
    if (state.syncing)
        headline = ui.tr("home.syncing");
    else if (state.online)
        headline = ui.tr("home.online");
    else
        headline = ui.tr("home.offline");
    text(ui, headline, bold, state.online || state.syncing ? c.text : c.danger);
    std::string details = state.lastSuccessUnix
                              ? ui.trf("home.last_sync", {ui.dateTime(state.lastSuccessUnix)})
                              : ui.tr("home.never_synced");
    details += "  ·  ";
    details += state.recordsWaiting > 0 ? ui.trf("home.waiting", {std::to_string(state.recordsWaiting)})
                                        : ui.tr("home.waiting.none");
    text(ui, details, ui.fonts().body, c.mutedText);
    if (state.clockWrong) text(ui, ui.tr("home.clock_wrong"), ui.fonts().body, c.danger);
    if (districtKeyMismatch(state)) text(ui, ui.tr("home.district_key_mismatch"), ui.fonts().body, c.danger);
    // In plain words for a citizen: what the district said is for the officer's console.
    if (state.tooOld) text(ui, ui.tr("home.too_old"), ui.fonts().body, c.danger);
    ImGui::EndGroup();
}

std::string HomeScreen::mainText(UiContext& ui) {
    return spokenText({ui.tr("home.welcome"), ui.tr("home.submit") + ": " + ui.tr("home.submit.hint"),
                       ui.tr("home.check") + ": " + ui.tr("home.check.hint"),
                       ui.tr("home.procedures") + ": " + ui.tr("home.procedures.hint")});
}

void HomeScreen::draw(UiContext& ui, Navigator& nav) {
    const Palette& c = ui.theme.colors;
    topBar(ui, ui.tr("app.title"), false);
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float margin = ui.px(ui.theme.metrics.margin);
    const float width = window->Size.x - 2 * margin;
    ImGui::SetCursorScreenPos(ImVec2(window->Pos.x + margin, ImGui::GetCursorScreenPos().y));
    ImGui::BeginGroup();
    ImGui::PushItemWidth(width);
    ImGui::BeginChild("home.body", ImVec2(width, window->Size.y - ui.px(ui.theme.metrics.topBar) - ui.px(24)),
                      false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    centeredText(ui, ui.trf("home.commune_label", {unitNameMidSentence(ui.controller.communeName())}),
                 ui.fonts().title);
    centeredText(ui, ui.tr("app.district"), ui.fonts().body, c.mutedText);
    vspace(ui, 12);
    centeredText(ui, ui.tr("home.welcome"), ui.fonts().heading);
    vspace(ui, 20);

    // What goes under the buttons, measured first so the buttons take the height that is left
    // (the large-text switch makes everything taller).
    const int64_t now = ui.controller.nowUnix();
    const DeadlineRules& rules = ui.controller.rules();
    const Date received = receivedDate(rules.calendar, rules.hours, now);
    const bool outside = received != localFromUnix(now).date;
    const std::string hours =
        outside
            ? ui.trf("home.outside_hours", {ui.date(received)})
            : ui.trf("home.office_hours", {clock(rules.hours.openMinute), clock(rules.hours.closeMinute)});
    const std::string& help = ui.tr("home.help");
    ImFont* body = ui.fonts().body;
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const float infoH = wrappedHeight(body, hours, width) + wrappedHeight(body, help, width) + 2 * spacing;
    // The strip grows by a line for each warning under the connectivity headline.
    const int detailLines = connectivityDetailLines(ui.controller.connectivity());
    const float stripH =
        ui.fonts().bold->FontSize + detailLines * body->FontSize + (detailLines - 1) * spacing + ui.px(44);
    const ImGuiWindow* region = ImGui::GetCurrentWindow();
    const float regionBottom = region->Pos.y + region->Size.y;

    const float gap = ui.px(40);
    const float buttonW = (width - 2 * gap) / 3;
    const float buttonH =
        std::max(ui.px(240), regionBottom - stripH - infoH - ImGui::GetCursorScreenPos().y - ui.px(36));
    ButtonSpec spec;
    spec.size = ImVec2(buttonW, buttonH);
    spec.font = ui.fonts().title;
    // One pictogram size for the three cards: what the wordiest card leaves (a label on two lines
    // in English or large text would otherwise shrink its own pictogram alone).
    const float wordsW = buttonW - ui.px(28);
    float words = 0;
    for (const char* key : {"home.submit", "home.check", "home.procedures"})
        words = std::max(words, wrappedHeight(spec.font, ui.tr(key), wordsW) +
                                    wrappedHeight(body, ui.tr(std::string(key) + ".hint"), wordsW));
    spec.iconSide =
        std::max(1.0f, std::min(pictogramSide(ui) * 1.4f, buttonH - ui.px(14) - words - ui.px(42)));
    spec.hint = ui.tr("home.submit.hint");
    spec.icon = Pictogram::Submit;
    if (button(ui, "home.submit", ui.tr("home.submit"), spec)) nav.go(ScreenId::Petition);
    ImGui::SameLine(0, gap);
    spec.hint = ui.tr("home.check.hint");
    spec.icon = Pictogram::Status;
    if (button(ui, "home.check", ui.tr("home.check"), spec)) nav.go(ScreenId::Status);
    ImGui::SameLine(0, gap);
    spec.hint = ui.tr("home.procedures.hint");
    spec.icon = Pictogram::Procedures;
    if (button(ui, "home.procedures", ui.tr("home.procedures"), spec)) nav.go(ScreenId::Procedures);

    vspace(ui, 4);
    // Outside office hours a petition counts from the next working day: say so before they start.
    text(ui, hours, body, outside ? c.text : c.mutedText);
    text(ui, help, body, c.mutedText);

    // Bottom strip: connectivity on the left, the officer's entry on the right.
    const float stripY = regionBottom - stripH + ui.px(12);
    region->DrawList->AddLine(ImVec2(region->Pos.x, stripY - ui.px(12)),
                              ImVec2(region->Pos.x + region->Size.x, stripY - ui.px(12)), c.disabled,
                              ui.px(2));
    ImGui::SetCursorScreenPos(ImVec2(region->Pos.x, stripY));
    drawConnectivity(ui, ui.controller.connectivity());
    const float officerW = ui.px(300);
    ImGui::SetCursorScreenPos(ImVec2(region->Pos.x + region->Size.x - officerW, stripY + ui.px(8)));
    ButtonSpec quiet;
    quiet.size = ImVec2(officerW, ui.px(72));
    quiet.kind = ButtonKind::Quiet;
    quiet.font = ui.fonts().body;
    if (button(ui, "home.officer", ui.tr("home.officer"), quiet)) nav.go(ScreenId::OfficerLogin);
    ImGui::EndChild();
    ImGui::PopItemWidth();
    ImGui::EndGroup();
}

}  // namespace kiosk::ui
