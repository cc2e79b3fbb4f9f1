#include "kiosk/ui/widgets/qr_code.h"

#include <cmath>
#include <string>

#include <qrencode.h>

namespace kiosk::ui {

std::optional<QrMatrix> encodeQr(std::string_view text) {
    const std::string copy(text);
    QRcode* code = QRcode_encodeString8bit(copy.c_str(), 0, QR_ECLEVEL_M);
    if (!code) return std::nullopt;
    QrMatrix m;
    m.size = code->width;
    m.dark.resize(size_t(code->width) * size_t(code->width));
    for (size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) ? 1 : 0;
    QRcode_free(code);
    return m;
}

void drawQr(const QrMatrix& qr, float side) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(side, side));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32(255, 255, 255, 255));
    const int total = qr.size + 8;  // quiet zone of 4 modules each side
    // Whole pixels per module keep every module the same size, so phones read it.
    const float module = std::floor(side / float(total));
    if (module < 1) return;
    const float offset = std::floor((side - module * float(qr.size)) / 2);
    for (int y = 0; y < qr.size; ++y) {
        for (int x = 0; x < qr.size; ++x) {
            if (!qr.at(x, y)) continue;
            const ImVec2 a(origin.x + offset + float(x) * module, origin.y + offset + float(y) * module);
            draw->AddRectFilled(a, ImVec2(a.x + module, a.y + module), IM_COL32(0, 0, 0, 255));
        }
    }
}

}  // namespace kiosk::ui
