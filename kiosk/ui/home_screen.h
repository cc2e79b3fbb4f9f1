#pragma once
// Home: the commune's name, three large choices (Gửi đơn thư / Tra cứu hồ sơ / Thủ tục hành chính),
// the connectivity indicator (online/offline, last successful sync, records waiting) and a discreet
// officer button. Holds nothing a citizen typed. UI thread only.
#include "kiosk/ui/screen.h"

namespace kiosk::ui {

class HomeScreen : public Screen {
public:
    void draw(UiContext& ui, Navigator& nav) override;
    void wipe() override {}
    std::string mainText(UiContext& ui) override;
};

// The connectivity lines Home shows, in the current language (also used by the officer console).
void drawConnectivity(UiContext& ui, const ConnectivityState& state);
// How many lines drawConnectivity writes under its headline (1 to 3), so a caller leaves room.
int connectivityDetailLines(const ConnectivityState& state);

}  // namespace kiosk::ui
