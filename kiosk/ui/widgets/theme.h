#pragma once
// The kiosk's look: colours, sizes and the ImGui style, chosen for elderly villagers on a 1080p
// touchscreen (big type, high contrast, targets of at least 64 px with space between them).
// It is not the fonts (fonts.h) nor any screen's layout; screens take sizes from here so the whole
// program scales with the display (everything is specified at 1080p and multiplied by scale).
// Used on the UI thread only.
#include "imgui.h"

namespace kiosk::ui {

struct Palette {
    ImU32 background = IM_COL32(250, 250, 246, 255);  // warm white: less glare than pure white
    ImU32 text = IM_COL32(17, 17, 17, 255);
    ImU32 mutedText = IM_COL32(60, 60, 60, 255);  // still 10:1 on the background
    ImU32 bar = IM_COL32(11, 63, 125, 255);       // top bar, dark blue
    ImU32 barText = IM_COL32(255, 255, 255, 255);
    ImU32 primary = IM_COL32(11, 79, 156, 255);  // main buttons
    ImU32 primaryHeld = IM_COL32(6, 45, 92, 255);
    ImU32 primaryText = IM_COL32(255, 255, 255, 255);
    ImU32 secondary = IM_COL32(255, 255, 255, 255);  // outlined buttons
    ImU32 secondaryHeld = IM_COL32(210, 222, 240, 255);
    ImU32 secondaryBorder = IM_COL32(11, 79, 156, 255);
    ImU32 selected = IM_COL32(255, 214, 0, 255);  // chosen option: yellow with dark text
    ImU32 danger = IM_COL32(176, 0, 32, 255);
    ImU32 dangerHeld = IM_COL32(120, 0, 20, 255);
    ImU32 success = IM_COL32(20, 100, 30, 255);
    ImU32 warning = IM_COL32(150, 75, 0, 255);  // due soon
    ImU32 errorBackground = IM_COL32(253, 232, 234, 255);
    ImU32 noteBackground = IM_COL32(232, 240, 252, 255);
    ImU32 field = IM_COL32(255, 255, 255, 255);
    ImU32 fieldBorder = IM_COL32(90, 90, 90, 255);
    ImU32 fieldFocus = IM_COL32(11, 79, 156, 255);
    ImU32 keyboard = IM_COL32(222, 226, 232, 255);
    ImU32 key = IM_COL32(255, 255, 255, 255);
    ImU32 keyHeld = IM_COL32(180, 196, 220, 255);
    ImU32 keySpecial = IM_COL32(200, 206, 216, 255);
    ImU32 overlay = IM_COL32(0, 0, 0, 170);
    ImU32 disabled = IM_COL32(190, 190, 190, 255);
    ImU32 disabledText = IM_COL32(90, 90, 90, 255);
    ImU32 rowAlt = IM_COL32(240, 242, 246, 255);
};

// Sizes at 1080p, in pixels; multiply by Theme::scale.
struct Metrics {
    float margin = 40;  // screen edge to content
    float gap = 24;     // between targets: a finger must not hit two
    float topBar = 110;
    float bottomBar = 130;
    float buttonHeight = 96;       // ordinary buttons (≥ 64 required)
    float smallButtonHeight = 72;  // officer console, keypad extras (still ≥ 64)
    float keyHeight = 84;
    float keyGap = 10;
    float fieldHeight = 84;
    float rounding = 12;
    float border = 3;
};

struct Theme {
    Palette colors;
    Metrics metrics;
    float scale = 1.0f;  // display height / 1080

    float px(float at1080) const { return at1080 * scale; }
    // Applies colours and spacing to ImGui's own widgets (scrollbars, windows, child frames).
    void apply(ImGuiStyle& style) const;
};

// The scale for a display of this size: height over 1080, limited by width over 1920 so a narrow
// window still fits the layout.
float scaleForDisplay(float width, float height);

}  // namespace kiosk::ui
