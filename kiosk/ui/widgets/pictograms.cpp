#include "kiosk/ui/widgets/pictograms.h"

#include <cmath>
#include <initializer_list>

namespace kiosk::ui {
namespace {

// Coordinates in the unit square, mapped onto the pictogram's square; strokes are a fraction of its
// side so every pictogram keeps its weight at every size.
struct Canvas {
    ImDrawList* draw;
    ImVec2 min;
    float side;
    ImU32 color;

    ImVec2 at(float x, float y) const { return ImVec2(min.x + x * side, min.y + y * side); }
    float len(float f) const { return f * side; }
    void line(float x0, float y0, float x1, float y1, float width) const {
        draw->AddLine(at(x0, y0), at(x1, y1), color, len(width));
        // Round ends: a thick ImGui line is cut square.
        draw->AddCircleFilled(at(x0, y0), len(width) / 2, color);
        draw->AddCircleFilled(at(x1, y1), len(width) / 2, color);
    }
    void box(float x0, float y0, float x1, float y1, float rounding, float width) const {
        draw->AddRect(at(x0, y0), at(x1, y1), color, len(rounding), 0, len(width));
    }
    void fill(float x0, float y0, float x1, float y1, float rounding) const {
        draw->AddRectFilled(at(x0, y0), at(x1, y1), color, len(rounding));
    }
    void dot(float x, float y, float r) const { draw->AddCircleFilled(at(x, y), len(r), color, 20); }
    void arc(float x, float y, float r, float from, float to, float width) const {
        draw->PathArcTo(at(x, y), len(r), from, to, 16);
        draw->PathStroke(color, 0, len(width));
    }
};

constexpr float kStroke = 0.07f;

void speaker(const Canvas& c) {
    c.fill(0.08f, 0.36f, 0.3f, 0.64f, 0.03f);
    const ImVec2 cone[4] = {c.at(0.28f, 0.36f), c.at(0.54f, 0.12f), c.at(0.54f, 0.88f), c.at(0.28f, 0.64f)};
    c.draw->AddConvexPolyFilled(cone, 4, c.color);
    c.arc(0.56f, 0.5f, 0.17f, -0.9f, 0.9f, kStroke);
    c.arc(0.56f, 0.5f, 0.33f, -0.9f, 0.9f, kStroke);
}

// A sheet with its corner folded; lines of writing when `lines`.
void sheet(const Canvas& c, float x0, float x1, bool lines) {
    c.box(x0, 0.06f, x1, 0.94f, 0.04f, kStroke);
    if (!lines) return;
    for (float y : {0.3f, 0.46f, 0.62f}) c.line(x0 + 0.1f, y, x1 - 0.1f, y, 0.05f);
}

void submit(const Canvas& c) {
    sheet(c, 0.1f, 0.66f, true);
    // The pen, slanting down onto the sheet's last line.
    c.line(0.9f, 0.36f, 0.58f, 0.78f, 0.12f);
    const ImVec2 tip[3] = {c.at(0.53f, 0.74f), c.at(0.63f, 0.82f), c.at(0.5f, 0.9f)};
    c.draw->AddTriangleFilled(tip[0], tip[1], tip[2], c.color);
}

void magnifier(const Canvas& c) {
    c.draw->AddCircle(c.at(0.42f, 0.42f), c.len(0.27f), c.color, 40, c.len(0.09f));
    c.line(0.62f, 0.62f, 0.88f, 0.88f, 0.13f);
}

void book(const Canvas& c) {
    const ImVec2 left[4] = {c.at(0.06f, 0.18f), c.at(0.48f, 0.28f), c.at(0.48f, 0.9f), c.at(0.06f, 0.8f)};
    const ImVec2 right[4] = {c.at(0.94f, 0.18f), c.at(0.52f, 0.28f), c.at(0.52f, 0.9f), c.at(0.94f, 0.8f)};
    c.draw->AddPolyline(left, 4, c.color, ImDrawFlags_Closed, c.len(kStroke));
    c.draw->AddPolyline(right, 4, c.color, ImDrawFlags_Closed, c.len(kStroke));
    for (float y : {0.42f, 0.56f, 0.7f}) {
        c.line(0.16f, y - 0.06f, 0.4f, y, 0.04f);
        c.line(0.84f, y - 0.06f, 0.6f, y, 0.04f);
    }
}

void exclamationSheet(const Canvas& c) {
    sheet(c, 0.18f, 0.82f, false);
    c.line(0.5f, 0.24f, 0.5f, 0.58f, 0.13f);
    c.dot(0.5f, 0.76f, 0.075f);
}

void raisedHand(const Canvas& c) {
    c.fill(0.27f, 0.46f, 0.75f, 0.86f, 0.12f);
    const float tops[4] = {0.2f, 0.1f, 0.13f, 0.24f};
    for (int i = 0; i < 4; ++i) {
        const float x = 0.32f + 0.125f * float(i);
        c.line(x, tops[i], x, 0.55f, 0.1f);
    }
    c.line(0.3f, 0.7f, 0.13f, 0.48f, 0.11f);    // the thumb
    c.fill(0.34f, 0.84f, 0.68f, 0.97f, 0.02f);  // the wrist
}

void envelope(const Canvas& c) {
    c.box(0.08f, 0.22f, 0.92f, 0.78f, 0.04f, kStroke);
    const ImVec2 flap[3] = {c.at(0.1f, 0.25f), c.at(0.5f, 0.56f), c.at(0.9f, 0.25f)};
    c.draw->AddPolyline(flap, 3, c.color, 0, c.len(kStroke));
}

void speechBubble(const Canvas& c) {
    c.box(0.08f, 0.12f, 0.92f, 0.66f, 0.12f, kStroke);
    const ImVec2 tail[3] = {c.at(0.24f, 0.64f), c.at(0.44f, 0.64f), c.at(0.18f, 0.9f)};
    c.draw->AddTriangleFilled(tail[0], tail[1], tail[2], c.color);
    for (float x : {0.3f, 0.5f, 0.7f}) c.dot(x, 0.39f, 0.06f);
}

}  // namespace

void drawPictogram(ImDrawList* draw, Pictogram which, ImVec2 min, float side, ImU32 color) {
    const Canvas c{draw, min, side, color};
    switch (which) {
        case Pictogram::None:
            return;
        case Pictogram::Speaker:
            return speaker(c);
        case Pictogram::Submit:
            return submit(c);
        case Pictogram::Status:
            return magnifier(c);
        case Pictogram::Procedures:
            return book(c);
        case Pictogram::Complaint:
            return exclamationSheet(c);
        case Pictogram::Denunciation:
            return raisedHand(c);
        case Pictogram::Recommendation:
            return envelope(c);
        case Pictogram::Feedback:
            return speechBubble(c);
    }
}

}  // namespace kiosk::ui
