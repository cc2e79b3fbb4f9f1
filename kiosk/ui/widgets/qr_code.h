#pragma once
// The receipt's QR code: libqrencode makes the module matrix; we draw it as ImGui rectangles, so no
// texture is needed and the headless tests see the same draw calls. Not a scanner.
// encodeQr is pure and thread-safe; drawQr runs inside a frame on the UI thread.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "imgui.h"

namespace kiosk::ui {

struct QrMatrix {
    int size = 0;               // modules per side
    std::vector<uint8_t> dark;  // size*size, row-major, 1 = dark module
    bool at(int x, int y) const { return dark[size_t(y) * size_t(size) + size_t(x)] != 0; }
};

// Byte mode, error correction M. nullopt when libqrencode refuses (too long, out of memory).
std::optional<QrMatrix> encodeQr(std::string_view text);

// Draws the matrix with a 4-module white quiet zone so that `side` pixels hold everything; advances
// the layout cursor by side × side.
void drawQr(const QrMatrix& qr, float side);

}  // namespace kiosk::ui
