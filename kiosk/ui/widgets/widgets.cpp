#define IMGUI_DEFINE_MATH_OPERATORS
#include "kiosk/ui/widgets/widgets.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <optional>

#include "imgui_internal.h"

namespace kiosk::ui {
namespace {

struct ButtonColors {
    ImU32 fill;
    ImU32 held;
    ImU32 border;
    ImU32 text;
};

ButtonColors colorsFor(const Palette& p, ButtonKind kind, bool enabled) {
    if (!enabled) return {p.disabled, p.disabled, p.disabled, p.disabledText};
    switch (kind) {
        case ButtonKind::Primary:
            return {p.primary, p.primaryHeld, p.primary, p.primaryText};
        case ButtonKind::Secondary:
            return {p.secondary, p.secondaryHeld, p.secondaryBorder, p.text};
        case ButtonKind::Danger:
            return {p.danger, p.dangerHeld, p.danger, p.primaryText};
        case ButtonKind::Selected:
            return {p.selected, p.secondaryHeld, p.text, p.text};
        case ButtonKind::Key:
            return {p.key, p.keyHeld, p.fieldBorder, p.text};
        case ButtonKind::KeySpecial:
            return {p.keySpecial, p.keyHeld, p.fieldBorder, p.text};
        case ButtonKind::Quiet:
            return {p.background, p.secondaryHeld, p.disabled, p.mutedText};
        case ButtonKind::ListRow:
            return {p.background, p.keyHeld, p.fieldBorder, p.text};
    }
    return {p.primary, p.primaryHeld, p.primary, p.primaryText};
}

// Lines of `s` wrapped to `width` (explicit line breaks kept), without trailing spaces.
std::vector<std::string_view> wrapLines(ImFont* font, float size, std::string_view s, float width) {
    std::vector<std::string_view> lines;
    const char* p = s.data();
    const char* end = s.data() + s.size();
    const float scale = size / font->FontSize;
    while (p < end) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
        const char* lineEnd = nl ? nl : end;
        if (p == lineEnd) lines.emplace_back();
        const char* q = p;
        while (q < lineEnd) {
            const char* wrap = font->CalcWordWrapPositionA(scale, q, lineEnd, width);
            if (wrap <= q) {
                unsigned int c = 0;
                wrap = q + std::max(1, ImTextCharFromUtf8(&c, q, lineEnd));
            }
            const char* e = wrap;
            while (e > q && (e[-1] == ' ')) --e;
            lines.emplace_back(q, size_t(e - q));
            q = wrap;
            while (q < lineEnd && *q == ' ') ++q;
        }
        p = nl ? nl + 1 : end;
    }
    if (lines.empty()) lines.emplace_back();
    return lines;
}

float textWidth(ImFont* font, float size, std::string_view s) {
    if (s.empty()) return 0;  // data() of an empty view may be null, which ImGui would strlen()
    return font->CalcTextSizeA(size, FLT_MAX, 0.0f, s.data(), s.data() + s.size()).x;
}

// AddText with a string_view: an empty view (whose data() may be null) draws nothing.
void addText(ImDrawList* draw, ImFont* font, float size, ImVec2 pos, ImU32 color, std::string_view s) {
    if (s.empty()) return;
    checkGlyphs(font, s);
    draw->AddText(font, size, pos, color, s.data(), s.data() + s.size());
}

}  // namespace

float wrappedHeight(ImFont* font, std::string_view s, float width) {
    return float(wrapLines(font, font->FontSize, s, width).size()) * font->FontSize;
}

void drawCenteredText(ImDrawList* draw, ImFont* font, ImVec2 min, ImVec2 max, ImU32 color,
                      std::string_view s) {
    const float size = font->FontSize;
    const auto lines = wrapLines(font, size, s, max.x - min.x);
    float y = (min.y + max.y) / 2 - float(lines.size()) * size / 2;
    for (std::string_view line : lines) {
        const float w = textWidth(font, size, line);
        const float x = std::floor((min.x + max.x) / 2 - w / 2);
        addText(draw, font, size, ImVec2(x, std::floor(y)), color, line);
        y += size;
    }
}

FullWindowClip::FullWindowClip() {
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    ImGui::PushClipRect(window->Pos, window->Pos + window->Size, false);
}

FullWindowClip::~FullWindowClip() { ImGui::PopClipRect(); }

float pictogramSide(const UiContext& ui) { return ui.px(ui.largeText ? 150 : 120); }

namespace {

// Whether `s` wraps into `width` × `height` in `font` with no word wider than the width (a word
// that is gets cut in the middle).
bool fits(ImFont* font, std::string_view s, float width, float height) {
    size_t start = 0;
    while (start < s.size()) {
        const size_t end = std::min(s.find_first_of(" \n", start), s.size());
        if (textWidth(font, font->FontSize, s.substr(start, end - start)) > width) return false;
        start = end + 1;
    }
    return wrappedHeight(font, s, width) <= height + 1;
}

// The font a plain label is drawn in: the one asked for, or when the label does not fit in it (a
// tone key's "a Bỏ dấu" in large text) the normal-size bold, then body; null when nothing fits.
ImFont* fittingFont(const UiContext& ui, ImFont* font, std::string_view label, float width, float height) {
    if (fits(font, label, width, height)) return font;
    for (ImFont* smaller : {ui.allFonts().normal.bold, ui.allFonts().normal.body})
        if (smaller->FontSize < font->FontSize && fits(smaller, label, width, height)) return smaller;
    return nullptr;
}

// A left-aligned card: pictogram (if any) on the left, then the label and the hint paragraph.
void drawCardFace(UiContext& ui, ImDrawList* draw, const ImRect& bb, ImRect inner, ImFont* font, ImU32 color,
                  std::string_view label, const ButtonSpec& spec) {
    if (spec.icon != Pictogram::None) {
        const float side = pictogramSide(ui);
        drawPictogram(draw, spec.icon, ImVec2(inner.Min.x, bb.Min.y + ui.px(24)), side, color);
        inner.Min.x += side + ui.px(20);
    }
    ImFont* hintFont = ui.fonts().body;
    const float innerW = inner.GetWidth();
    float y = bb.Min.y + ui.px(20);
    for (std::string_view line : wrapLines(font, font->FontSize, label, innerW)) {
        addText(draw, font, font->FontSize, ImVec2(inner.Min.x, y), color, line);
        y += font->FontSize;
    }
    y += ui.px(10);
    for (std::string_view line : wrapLines(hintFont, hintFont->FontSize, spec.hint, innerW)) {
        addText(draw, hintFont, hintFont->FontSize, ImVec2(inner.Min.x, y), color, line);
        y += hintFont->FontSize;
    }
}

void drawButtonFace(UiContext& ui, ImDrawList* draw, const ImRect& bb, const ImRect& inner, ImFont* font,
                    ImU32 color, std::string_view label, const ButtonSpec& spec) {
    if (spec.leftAlign) return drawCardFace(ui, draw, bb, inner, font, color, label, spec);
    if (spec.hint.empty()) {
        if (spec.icon == Pictogram::None)
            return drawCenteredText(draw, font, inner.Min, inner.Max, color, label);
        // One line: the pictogram and the label centred together.
        const float side = std::min(inner.GetHeight() * 0.8f, font->FontSize * 1.3f);
        const float gap = ui.px(12);
        const float labelW = std::min(textWidth(font, font->FontSize, label), inner.GetWidth() - side - gap);
        const float left = inner.GetCenter().x - (side + gap + labelW) / 2;
        drawPictogram(draw, spec.icon, ImVec2(left, inner.GetCenter().y - side / 2), side, color);
        // A little slack: the wrapping measures a line a hair wider than textWidth does.
        return drawCenteredText(draw, font, ImVec2(left + side + gap, inner.Min.y),
                                ImVec2(left + side + gap + labelW + ui.px(6), inner.Max.y), color, label);
    }
    ImFont* hintFont = ui.fonts().body;
    const float labelH = wrappedHeight(font, label, inner.GetWidth());
    const float hintH = wrappedHeight(hintFont, spec.hint, inner.GetWidth());
    const float gap = ui.px(14);
    // A pictogram above the words when there is room for it, else none (the words come first).
    float side = 0;
    if (spec.icon != Pictogram::None)
        side = std::min(spec.iconSide > 0 ? spec.iconSide : pictogramSide(ui) * 1.4f,
                        inner.GetHeight() - labelH - hintH - 3 * gap);
    if (side < ui.px(48)) side = 0;
    const float iconH = side > 0 ? side + gap : 0;
    const float top = inner.GetCenter().y - (iconH + labelH + gap + hintH) / 2;
    if (side > 0) drawPictogram(draw, spec.icon, ImVec2(inner.GetCenter().x - side / 2, top), side, color);
    const float labelTop = top + iconH;
    drawCenteredText(draw, font, ImVec2(inner.Min.x, labelTop), ImVec2(inner.Max.x, labelTop + labelH), color,
                     label);
    drawCenteredText(draw, hintFont, ImVec2(inner.Min.x, labelTop + labelH + gap),
                     ImVec2(inner.Max.x, labelTop + labelH + gap + hintH), color, spec.hint);
}

}  // namespace

bool button(UiContext& ui, const std::string& id, std::string_view label, const ButtonSpec& spec) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return false;
    const ImGuiID gid = window->GetID(id.c_str());
    ImVec2 size = spec.size;
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    if (size.y <= 0) size.y = ui.px(ui.theme.metrics.buttonHeight);
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, pos + size);
    ImGui::ItemSize(bb);
    if (!ImGui::ItemAdd(bb, gid)) return false;
    ImRect visible = bb;
    visible.ClipWithFull(window->ClipRect);
    ui.widgets.add(id, visible.Min, visible.Max, spec.enabled);

    bool hovered = false;
    bool held = false;
    bool pressed = false;
    if (spec.enabled) pressed = ImGui::ButtonBehavior(bb, gid, &hovered, &held, 0);
    // A touch that moved past the drag threshold was scrolling, not tapping.
    if (ui.touch.dragged) {
        pressed = false;
        held = false;
    }

    const ButtonColors c = colorsFor(ui.theme.colors, spec.kind, spec.enabled);
    ImDrawList* draw = window->DrawList;
    const float rounding = ui.px(ui.theme.metrics.rounding);
    if (held || spec.kind != ButtonKind::ListRow)
        draw->AddRectFilled(bb.Min, bb.Max, held ? c.held : c.fill, rounding);
    if (spec.kind != ButtonKind::Primary && spec.kind != ButtonKind::Danger)
        draw->AddRect(
            bb.Min, bb.Max, c.border, rounding, 0,
            spec.kind == ButtonKind::Key || spec.kind == ButtonKind::Quiet || spec.kind == ButtonKind::ListRow
                ? ui.px(1.5f)
                : ui.px(3));
    ImFont* font = spec.font ? spec.font : ui.fonts().bold;
    const float pad = ui.px(14);
    ImRect inner(bb.Min + ImVec2(pad, pad / 2), bb.Max - ImVec2(pad, pad / 2));
    if (!spec.leftAlign && spec.hint.empty() && !label.empty()) {
        const float iconW = spec.icon == Pictogram::None
                                ? 0
                                : std::min(inner.GetHeight() * 0.8f, font->FontSize * 1.3f) + ui.px(12);
        ImFont* fitting = fittingFont(ui, font, label, inner.GetWidth() - iconW, inner.GetHeight());
        if (fitting)
            font = fitting;
        else
            ui.widgets.markOverflow(id);
    } else if (!spec.leftAlign && !label.empty()) {
        const float labelH = wrappedHeight(font, label, inner.GetWidth());
        const float hintH = wrappedHeight(ui.fonts().body, spec.hint, inner.GetWidth());
        if (labelH + ui.px(14) + hintH > inner.GetHeight() + 1) ui.widgets.markOverflow(id);
    } else if (spec.leftAlign) {
        const float textW =
            inner.GetWidth() - (spec.icon == Pictogram::None ? 0 : pictogramSide(ui) + ui.px(20));
        const float height =
            ui.px(30) + wrappedHeight(font, label, textW) + wrappedHeight(ui.fonts().body, spec.hint, textW);
        if (height > size.y + 1) ui.widgets.markOverflow(id);
    }
    draw->PushClipRect(bb.Min, bb.Max, true);
    drawButtonFace(ui, draw, bb, inner, font, c.text, label, spec);
    draw->PopClipRect();
    return pressed;
}

void text(UiContext& ui, std::string_view s, ImFont* font, ImU32 color, float wrapWidth) {
    ImGui::PushFont(font ? font : ui.fonts().body);
    checkGlyphs(ImGui::GetFont(), s);
    ImGui::PushStyleColor(ImGuiCol_Text, color ? color : ui.theme.colors.text);
    ImGui::PushTextWrapPos(wrapWidth > 0 ? ImGui::GetCursorPosX() + wrapWidth : 0.0f);
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void centeredText(UiContext& ui, std::string_view s, ImFont* font, ImU32 color) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return;
    font = font ? font : ui.fonts().body;
    const float width = ImGui::GetContentRegionAvail().x;
    const float height = wrappedHeight(font, s, width);
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, pos + ImVec2(width, height));
    ImGui::ItemSize(bb);
    if (!ImGui::ItemAdd(bb, 0)) return;
    drawCenteredText(window->DrawList, font, bb.Min, bb.Max, color ? color : ui.theme.colors.text, s);
}

void noteBox(UiContext& ui, std::string_view s, ImU32 background, ImU32 border, ImFont* font,
             std::string_view title) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return;
    font = font ? font : ui.fonts().body;
    ImFont* titleFont = ui.fonts().bold;
    const float pad = ui.px(24);
    const float width = ImGui::GetContentRegionAvail().x;
    const float inner = width - 2 * pad;
    const float titleH = title.empty() ? 0 : wrappedHeight(titleFont, title, inner) + ui.px(8);
    const float bodyH = s.empty() ? 0 : wrappedHeight(font, s, inner);
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, pos + ImVec2(width, titleH + bodyH + 2 * pad));
    ImGui::ItemSize(bb);
    if (!ImGui::ItemAdd(bb, 0)) return;
    ImDrawList* draw = window->DrawList;
    draw->AddRectFilled(bb.Min, bb.Max, background, ui.px(ui.theme.metrics.rounding));
    draw->AddRect(bb.Min, bb.Max, border, ui.px(ui.theme.metrics.rounding), 0, ui.px(3));
    float y = bb.Min.y + pad;
    const ImU32 color = ui.theme.colors.text;
    for (std::string_view line : wrapLines(titleFont, titleFont->FontSize, title, inner)) {
        if (title.empty()) break;
        addText(draw, titleFont, titleFont->FontSize, ImVec2(bb.Min.x + pad, y), color, line);
        y += titleFont->FontSize;
    }
    if (!title.empty()) y += ui.px(8);
    if (s.empty()) return;
    for (std::string_view line : wrapLines(font, font->FontSize, s, inner)) {
        addText(draw, font, font->FontSize, ImVec2(bb.Min.x + pad, y), color, line);
        y += font->FontSize;
    }
}

void vspace(UiContext& ui, float at1080) { ImGui::Dummy(ImVec2(1, ui.px(at1080))); }

bool textField(UiContext& ui, const std::string& id, const TextField& field, const FieldSpec& spec) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return false;
    const Palette& colors = ui.theme.colors;
    if (!spec.label.empty()) text(ui, spec.label, ui.fonts().bold);
    if (!spec.hint.empty()) text(ui, spec.hint, ui.fonts().body, colors.mutedText);

    ImFont* font = ui.fonts().input;
    const float size = font->FontSize;
    const float pad = ui.px(14);
    const float width = spec.width > 0 ? spec.width : ImGui::GetContentRegionAvail().x;
    const float height = std::max(ui.px(ui.theme.metrics.fieldHeight), float(spec.lines) * size + 2 * pad);
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, pos + ImVec2(width, height));
    const ImGuiID gid = window->GetID(id.c_str());
    ImGui::ItemSize(bb);
    bool pressed = false;
    if (ImGui::ItemAdd(bb, gid)) {
        ImRect visible = bb;
        visible.ClipWithFull(window->ClipRect);
        ui.widgets.add(id, visible.Min, visible.Max, true);
        bool hovered = false;
        bool held = false;
        pressed = ImGui::ButtonBehavior(bb, gid, &hovered, &held, 0) && !ui.touch.dragged;

        ImDrawList* draw = window->DrawList;
        const float rounding = ui.px(8);
        draw->AddRectFilled(bb.Min, bb.Max, colors.field, rounding);
        const ImU32 border = spec.error     ? colors.danger
                             : spec.focused ? colors.fieldFocus
                                            : colors.fieldBorder;
        draw->AddRect(bb.Min, bb.Max, border, rounding, 0, ui.px(spec.focused || spec.error ? 4 : 2));

        std::string shown;
        if (spec.masked) {
            for (size_t i = 0; i < field.codepoints(); ++i) shown += "•";
        }
        const std::string_view content = spec.masked    ? std::string_view(shown)
                                         : spec.display ? std::string_view(*spec.display)
                                                        : std::string_view(field.text());
        const ImRect inner(bb.Min + ImVec2(pad, pad), bb.Max - ImVec2(pad, pad));
        draw->PushClipRect(inner.Min - ImVec2(0, ui.px(4)), inner.Max + ImVec2(ui.px(6), ui.px(4)), true);
        if (content.empty() && !spec.placeholder.empty() && !spec.focused) {
            addText(draw, font, size, inner.Min, colors.mutedText, spec.placeholder);
        }
        ImVec2 caret = inner.Min;
        if (spec.lines <= 1) {
            // One line: keep the end (where typing happens) in view.
            const float w = textWidth(font, size, content);
            const float x = inner.Min.x + std::min(0.0f, inner.GetWidth() - ui.px(8) - w);
            addText(draw, font, size, ImVec2(x, inner.Min.y + (inner.GetHeight() - size) / 2), colors.text,
                    content);
            caret = ImVec2(x + w + ui.px(2), inner.Min.y + (inner.GetHeight() - size) / 2);
        } else {
            const auto lines = wrapLines(font, size, content, inner.GetWidth() - ui.px(8));
            const int visibleLines = std::max(1, int(inner.GetHeight() / size));
            const int first = std::max(0, int(lines.size()) - visibleLines);
            float y = inner.Min.y;
            for (size_t i = size_t(first); i < lines.size(); ++i) {
                addText(draw, font, size, ImVec2(inner.Min.x, y), colors.text, lines[i]);
                y += size;
            }
            const bool endsWithBreak = !content.empty() && content.back() == '\n';
            const std::string_view last = lines.back();
            caret = endsWithBreak ? ImVec2(inner.Min.x, y)
                                  : ImVec2(inner.Min.x + textWidth(font, size, last) + ui.px(2), y - size);
        }
        if (spec.focused) {
            draw->AddRectFilled(caret, caret + ImVec2(ui.px(4), size), colors.fieldFocus);
        }
        draw->PopClipRect();
    }
    if (spec.error) text(ui, *spec.error, ui.fonts().bold, colors.danger);
    return pressed;
}

bool checkBox(UiContext& ui, const std::string& id, std::string_view label, bool& value) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return false;
    ImFont* font = ui.fonts().bold;
    const float box = ui.px(64);
    const float gap = ui.px(24);
    const float width = ImGui::GetContentRegionAvail().x;
    const float labelH = wrappedHeight(font, label, width - box - gap);
    const float height = std::max(ui.px(ui.theme.metrics.buttonHeight), labelH + ui.px(24));
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, pos + ImVec2(width, height));
    const ImGuiID gid = window->GetID(id.c_str());
    ImGui::ItemSize(bb);
    if (!ImGui::ItemAdd(bb, gid)) return false;
    ImRect visible = bb;
    visible.ClipWithFull(window->ClipRect);
    ui.widgets.add(id, visible.Min, visible.Max, true);
    bool hovered = false;
    bool held = false;
    const bool pressed = ImGui::ButtonBehavior(bb, gid, &hovered, &held, 0) && !ui.touch.dragged;
    if (pressed) value = !value;
    const Palette& c = ui.theme.colors;
    ImDrawList* draw = window->DrawList;
    if (held) draw->AddRectFilled(bb.Min, bb.Max, c.secondaryHeld, ui.px(8));
    const ImVec2 boxMin(bb.Min.x, bb.GetCenter().y - box / 2);
    draw->AddRectFilled(boxMin, boxMin + ImVec2(box, box), value ? c.primary : c.field, ui.px(8));
    draw->AddRect(boxMin, boxMin + ImVec2(box, box), c.primary, ui.px(8), 0, ui.px(4));
    if (value)
        ImGui::RenderCheckMark(draw, boxMin + ImVec2(box * 0.18f, box * 0.18f), c.primaryText, box * 0.64f);
    const auto lines = wrapLines(font, font->FontSize, label, width - box - gap);
    float y = bb.GetCenter().y - labelH / 2;
    for (std::string_view line : lines) {
        addText(draw, font, font->FontSize, ImVec2(bb.Min.x + box + gap, y), c.text, line);
        y += font->FontSize;
    }
    return pressed;
}

bool optionRow(UiContext& ui, const std::string& id, const std::vector<std::string>& labels, int& selected,
               float height) {
    if (labels.empty()) return false;
    const float gap = ui.px(16);
    const float width = ImGui::GetContentRegionAvail().x;
    const float minWidth = ui.px(220);
    int perRow = std::max(1, std::min(int(labels.size()), int((width + gap) / (minWidth + gap))));
    const float buttonWidth = (width - gap * float(perRow - 1)) / float(perRow);
    bool changed = false;
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i % size_t(perRow) != 0) ImGui::SameLine(0, gap);
        ButtonSpec spec;
        spec.size = ImVec2(buttonWidth, height > 0 ? height : ui.px(ui.theme.metrics.buttonHeight));
        spec.kind = int(i) == selected ? ButtonKind::Selected : ButtonKind::Secondary;
        if (button(ui, id + "." + std::to_string(i), labels[i], spec) && int(i) != selected) {
            selected = int(i);
            changed = true;
        }
    }
    return changed;
}

bool topBar(UiContext& ui, std::string_view title, bool showBack, std::string_view step) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const FullWindowClip clip;
    const Palette& c = ui.theme.colors;
    const float height = ui.px(ui.theme.metrics.topBar);
    const float margin = ui.px(ui.theme.metrics.margin);
    const ImVec2 origin = window->Pos;
    const float width = window->Size.x;
    window->DrawList->AddRectFilled(origin, origin + ImVec2(width, height), c.bar);

    const float buttonH = ui.px(80);
    const float buttonY = origin.y + (height - buttonH) / 2;
    bool back = false;
    float x = origin.x + margin;
    if (showBack) {
        ImGui::SetCursorScreenPos(ImVec2(x, buttonY));
        ButtonSpec spec;
        spec.size = ImVec2(ui.px(230), buttonH);
        spec.kind = ButtonKind::Secondary;
        back = button(ui, "top.back", ui.tr("common.back"), spec);
        x += spec.size.x + ui.px(32);
    }
    // Right side: listen, text size, then language.
    const float switchW = ui.px(270);
    const float sizeW = ui.px(310);
    const float right = origin.x + width - margin;
    // The listen button is as wide as its label needs, so the title keeps the rest of the bar.
    const char* listenKey = ui.listen.speaking      ? "voice.stop"
                            : ui.listen.unavailable ? "voice.unavailable"
                                                    : "voice.listen";
    ImFont* listenFont = ui.fonts().bold;
    const float listenButtonW =
        std::max(ui.px(200), textWidth(listenFont, listenFont->FontSize, ui.tr(listenKey)) +
                                 listenFont->FontSize * 1.3f + ui.px(12 + 28 + 24));
    const float listenW = ui.listen.shown ? listenButtonW + ui.px(20) : 0;
    // "Gọi cán bộ", left of the others, as wide as its label needs.
    const char* helpKey = ui.help.called ? "help.called" : "help.call";
    const float helpButtonW =
        std::max(ui.px(220), textWidth(listenFont, listenFont->FontSize, ui.tr(helpKey)) + ui.px(40));
    const float helpW = ui.help.shown ? helpButtonW + ui.px(20) : 0;
    if (ui.help.shown) {
        ImGui::SetCursorScreenPos(
            ImVec2(right - switchW - sizeW - ui.px(40) - listenW - helpButtonW, buttonY));
        ButtonSpec help;
        help.size = ImVec2(helpButtonW, buttonH);
        help.kind = ui.help.called ? ButtonKind::Selected : ButtonKind::Secondary;
        if (button(ui, "help.call", ui.tr(helpKey), help)) ui.help.tapped = true;
    }
    if (ui.listen.shown) {
        ImGui::SetCursorScreenPos(ImVec2(right - switchW - sizeW - ui.px(40) - listenButtonW, buttonY));
        ButtonSpec listen;
        listen.size = ImVec2(listenButtonW, buttonH);
        listen.kind = ui.listen.speaking ? ButtonKind::Selected : ButtonKind::Secondary;
        listen.icon = Pictogram::Speaker;
        if (button(ui, "voice.listen", ui.tr(listenKey), listen)) ui.listen.tapped = true;
    }
    ImGui::SetCursorScreenPos(ImVec2(right - switchW - ui.px(20) - sizeW, buttonY));
    ButtonSpec sw;
    sw.size = ImVec2(sizeW, buttonH);
    sw.kind = ui.largeText ? ButtonKind::Selected : ButtonKind::Secondary;
    if (button(ui, "text.size", ui.tr(ui.largeText ? "text.normal" : "text.larger"), sw))
        ui.largeText = !ui.largeText;
    ImGui::SetCursorScreenPos(ImVec2(right - switchW, buttonY));
    sw.size = ImVec2(switchW, buttonH);
    sw.kind = ButtonKind::Secondary;
    if (button(ui, "lang.switch", ui.tr("lang.switch"), sw))
        ui.lang = ui.lang == Lang::Vi ? Lang::En : Lang::Vi;

    // Title between, in the heading font on one line when it fits, else wrapped onto two lines in
    // bold (the step on the second). When that does not fit (large text, with every button of the
    // bar), the step goes on a line of its own under the bar, in this size: the bar's title
    // shrinks to the normal size only when alone it still does not fit.
    const float titleRight = right - switchW - sizeW - ui.px(40) - listenW - helpW;
    const float titleW = titleRight - x;
    ImFont* font = ui.fonts().heading;
    std::string full(title);
    bool stepBelow = false;
    if (!step.empty()) full += "  ·  " + std::string(step);
    if (textWidth(font, font->FontSize, full) > titleW) {
        ImFont* bold = ui.fonts().bold;
        const float barH = height - ui.px(4);
        if (step.empty()) {
            font = fittingFont(ui, bold, full, titleW, barH);
        } else {
            full = std::string(title) + "\n" + std::string(step);
            font = fits(bold, full, titleW, barH) ? bold : nullptr;
            if (!font) {
                full = std::string(title);
                stepBelow = true;
                font = fittingFont(ui, bold, full, titleW, barH);
            }
        }
        if (!font) {
            font = ui.allFonts().normal.bold;
            ui.widgets.markOverflow("top.title");
        }
    }
    const auto lines = wrapLines(font, font->FontSize, full, titleW);
    float lineY = origin.y + (height - float(lines.size()) * font->FontSize) / 2;
    window->DrawList->PushClipRect(ImVec2(x, origin.y), ImVec2(titleRight, origin.y + height), true);
    for (std::string_view line : lines) {
        addText(window->DrawList, font, font->FontSize, ImVec2(x, std::floor(lineY)), c.barText, line);
        lineY += font->FontSize;
    }
    window->DrawList->PopClipRect();

    ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, origin.y + height + ui.px(24)));
    if (stepBelow) {
        ImFont* stepFont = ui.fonts().bold;
        const float stepW = window->Size.x - 2 * margin;
        float stepY = origin.y + height + ui.px(12);
        for (std::string_view line : wrapLines(stepFont, stepFont->FontSize, step, stepW)) {
            addText(window->DrawList, stepFont, stepFont->FontSize, ImVec2(origin.x + margin, stepY), c.text,
                    line);
            stepY += stepFont->FontSize;
        }
        ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, stepY + ui.px(12)));
    }
    return back;
}

BarChoice bottomBar(UiContext& ui, const std::string& leftId, std::string_view leftLabel,
                    const std::string& rightId, std::string_view rightLabel, bool rightEnabled,
                    std::string_view middle) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const FullWindowClip clip;
    const float height = ui.px(ui.theme.metrics.bottomBar);
    const float margin = ui.px(ui.theme.metrics.margin);
    const ImVec2 origin(window->Pos.x, window->Pos.y + window->Size.y - height);
    window->DrawList->AddLine(origin, ImVec2(origin.x + window->Size.x, origin.y), ui.theme.colors.disabled,
                              ui.px(2));
    const float buttonH = ui.px(ui.theme.metrics.buttonHeight);
    const float y = origin.y + (height - buttonH) / 2;
    BarChoice choice = BarChoice::None;
    const float buttonW = ui.px(420);
    if (!leftLabel.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, y));
        ButtonSpec spec;
        spec.size = ImVec2(buttonW, buttonH);
        spec.kind = ButtonKind::Secondary;
        if (button(ui, leftId, leftLabel, spec)) choice = BarChoice::Left;
    }
    if (!middle.empty()) {
        ImFont* font = ui.fonts().body;
        const float w = textWidth(font, font->FontSize, middle);
        addText(window->DrawList, font, font->FontSize,
                ImVec2(origin.x + (window->Size.x - w) / 2, origin.y + (height - font->FontSize) / 2),
                ui.theme.colors.mutedText, middle);
    }
    if (!rightLabel.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(origin.x + window->Size.x - margin - buttonW, y));
        ButtonSpec spec;
        spec.size = ImVec2(buttonW, buttonH);
        spec.enabled = rightEnabled;
        if (button(ui, rightId, rightLabel, spec)) choice = BarChoice::Right;
    }
    return choice;
}

Answer confirmDialog(UiContext& ui, const std::string& id, std::string_view question, std::string_view detail,
                     std::string_view yesLabel, std::string_view noLabel, bool dangerous) {
    const bool single = noLabel.empty();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->Pos);
    ImGui::SetNextWindowSize(viewport->Size);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(ui.theme.colors.overlay));
    ImGui::Begin(("##dialog." + id).c_str(), nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoNav);
    ImGui::PopStyleColor();
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float boxW = std::min(ui.px(1200), viewport->Size.x - ui.px(80));
    const float pad = ui.px(48);
    ImFont* heading = ui.fonts().heading;
    ImFont* body = ui.fonts().body;
    const float buttonH = ui.px(ui.theme.metrics.buttonHeight);
    const float textW = boxW - 2 * pad;
    const float boxH = pad * 2 + wrappedHeight(heading, question, textW) +
                       (detail.empty() ? 0 : ui.px(20) + wrappedHeight(body, detail, textW)) + ui.px(40) +
                       buttonH;
    const ImVec2 boxMin(viewport->Pos.x + (viewport->Size.x - boxW) / 2,
                        viewport->Pos.y + (viewport->Size.y - boxH) / 2);
    window->DrawList->AddRectFilled(boxMin, boxMin + ImVec2(boxW, boxH), ui.theme.colors.background,
                                    ui.px(ui.theme.metrics.rounding));
    ImGui::SetCursorScreenPos(boxMin + ImVec2(pad, pad));
    ImGui::BeginGroup();
    text(ui, question, heading, 0, textW);
    if (!detail.empty()) {
        vspace(ui, 4);
        text(ui, detail, body, 0, textW);
    }
    ImGui::EndGroup();
    const float buttonW = (textW - ui.px(40)) / 2;
    ImGui::SetCursorScreenPos(
        ImVec2(boxMin.x + pad + (single ? (buttonW + ui.px(40)) / 2 : 0), boxMin.y + boxH - pad - buttonH));
    Answer answer = Answer::None;
    if (!single) {
        ButtonSpec no;
        no.size = ImVec2(buttonW, buttonH);
        no.kind = ButtonKind::Secondary;
        if (button(ui, id + ".no", noLabel, no)) answer = Answer::No;
        ImGui::SameLine(0, ui.px(40));
    }
    ButtonSpec yes;
    yes.size = ImVec2(buttonW, buttonH);
    yes.kind = dangerous ? ButtonKind::Danger : ButtonKind::Primary;
    if (button(ui, id + ".yes", yesLabel, yes)) answer = Answer::Yes;
    ImGui::End();
    return answer;
}

// [SECTION] ScrollArea

void ScrollArea::ensureVisible(float top, float bottom) {
    m_visibleTop = top;
    m_visibleBottom = bottom;
}

bool ScrollArea::begin(UiContext& ui, const char* id, ImVec2 size) {
    const ImGuiIO& io = ImGui::GetIO();
    std::optional<float> target;
    if (m_pendingScroll >= 0) {
        target = m_pendingScroll;
        m_pendingScroll = -1;
    }
    if (m_visibleTop >= 0) {
        // This frame's height, not the last one's: the area asked for visibility usually shrinks
        // in the same frame (a keyboard came up under it), and the field must clear the keys.
        const float view = size.y > 0 ? size.y : m_viewHeight;
        if (m_visibleTop < m_scrollY)
            target = m_visibleTop;
        else if (m_visibleBottom > m_scrollY + view)
            target = std::min(m_visibleTop, m_visibleBottom - view);
        m_visibleTop = m_visibleBottom = -1;
    }
    // Touch tracking uses last frame's geometry (the window is not begun yet), which is what was
    // on screen when the finger moved.
    if (m_tracking) {
        if (io.MouseDown[0]) {
            // A vertical slide over a list that can scroll is a scroll well before it is too far
            // for a tap: the list follows the finger, and the touch no longer taps.
            const bool scrollable = m_scrollMax > 0;
            if (scrollable &&
                std::fabs(io.MousePos.y - ui.touch.pressPos.y) > ui.px(TouchTracker::kScrollSlop))
                ui.touch.dragged = true;
            if (ui.touch.dragged) {
                const float dy = io.MousePos.y - m_lastY;
                if (dy != 0) {
                    target = m_scrollY - dy;
                    const float dt = std::max(io.DeltaTime, 1e-3f);
                    const float sample = -dy / dt;
                    m_velocity =
                        (ui.now - m_lastMoveTime > 0.15) ? sample : 0.5f * sample + 0.5f * m_velocity;
                    m_lastMoveTime = ui.now;
                }
                m_lastY = io.MousePos.y;
            }
        } else {
            m_tracking = false;
            // A finger that stopped before lifting throws nothing.
            if (!ui.touch.dragged || ui.now - m_lastMoveTime > 0.12) m_velocity = 0;
            if (m_velocity != 0) ui.animating = true;  // the glide starts on the next frame
        }
    } else if (std::fabs(m_velocity) > ui.px(30)) {
        target = m_scrollY + m_velocity * io.DeltaTime;
        m_velocity *= std::exp(-3.0f * io.DeltaTime);
        ui.animating = true;
    } else {
        m_velocity = 0;
    }
    if (target) ImGui::SetNextWindowScroll(ImVec2(-1.0f, std::max(0.0f, *target)));

    const bool visible = ImGui::BeginChild(id, size, false, ImGuiWindowFlags_NoNav);
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (target && (*target <= 0 || *target >= window->ScrollMax.y)) {
        if (!m_tracking) m_velocity = 0;  // inertia stops at either end
    }
    m_scrollY = window->Scroll.y;
    m_scrollMax = window->ScrollMax.y;
    m_viewHeight = window->Size.y;
    if (io.MouseClicked[0] && window->Rect().Contains(io.MousePos) &&
        ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows |
                               ImGuiHoveredFlags_AllowWhenBlockedByActiveItem)) {
        m_tracking = true;
        m_lastY = io.MousePos.y;
        m_velocity = 0;
        m_lastMoveTime = ui.now;
    }
    return visible;
}

void ScrollArea::end(UiContext& ui) {
    ImGui::EndChild();
    // A field asked to be in view (or a scroll to the top) while the area was drawn: it moves on
    // the next frame, which the kiosk must draw even with no touch to wake it.
    if (m_visibleTop >= 0 || m_pendingScroll >= 0) ui.animating = true;
}

}  // namespace kiosk::ui
