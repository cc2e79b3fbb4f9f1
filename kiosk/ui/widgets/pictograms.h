#pragma once
// Pictograms: simple line drawings beside the words of the big choices (the home screen's three
// actions, the four petition kinds) and the "Nghe" button, for a citizen who does not read well.
// Drawn as vectors with ImGui's draw list, so they are sharp at any size and grow with the
// large-text mode; never instead of the words. No image files, nothing loaded.
// UI thread only, inside a frame.
#include "imgui.h"

namespace kiosk::ui {

enum class Pictogram {
    None,
    Speaker,         // the "Nghe" button: a loudspeaker with sound waves
    Submit,          // gửi đơn: a sheet of paper and a pen
    Status,          // tra cứu hồ sơ: a magnifying glass
    Procedures,      // thủ tục hành chính: an open book
    Complaint,       // khiếu nại: a sheet with an exclamation mark
    Denunciation,    // tố cáo: a raised hand
    Recommendation,  // kiến nghị: an envelope
    Feedback,        // phản ánh: a speech bubble
};

// Draws `which` in the square of side `side` at `min`, in `color` (the label's colour, so it stays
// legible on every button kind).
void drawPictogram(ImDrawList* draw, Pictogram which, ImVec2 min, float side, ImU32 color);

}  // namespace kiosk::ui
