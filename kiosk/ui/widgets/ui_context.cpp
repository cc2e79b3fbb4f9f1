#include "kiosk/ui/widgets/ui_context.h"

#include <cmath>
#include <cstdio>

#include "core/deadlines.h"

namespace kiosk::ui {

void WidgetRegistry::add(const std::string& id, ImVec2 min, ImVec2 max, bool enabled) {
    if (max.x <= min.x || max.y <= min.y) return;  // clipped away: not tappable
    m_entries[id] = Entry{min, max, enabled};
}

const WidgetRegistry::Entry* WidgetRegistry::find(const std::string& id) const {
    auto it = m_entries.find(id);
    return it == m_entries.end() ? nullptr : &it->second;
}

void TouchTracker::update(const ImGuiIO& io) {
    if (io.MouseClicked[0]) {
        down = true;
        pressPos = io.MousePos;
        maxDistance = 0;
        dragged = false;
    }
    if (down && io.MouseDown[0]) {
        const float dx = io.MousePos.x - pressPos.x;
        const float dy = io.MousePos.y - pressPos.y;
        maxDistance = std::max(maxDistance, std::sqrt(dx * dx + dy * dy));
        if (maxDistance > io.MouseDragThreshold) dragged = true;
    }
    // On the release frame `down` is still true so widgets can ask whether it was a drag; it
    // becomes false on the frame after.
    if (!io.MouseDown[0] && !io.MouseReleased[0]) down = false;
}

UiContext::UiContext(KioskController& controllerIn, const Strings& stringsIn, const Fonts& fonts)
    : controller(controllerIn), strings(stringsIn), m_fonts(fonts) {
    theme.scale = fonts.scale;
}

std::string UiContext::date(const Date& d) const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", d.day, d.month, d.year);
    return buf;
}

std::string UiContext::dateTime(int64_t unixSeconds) const {
    const LocalDateTime local = localFromUnix(unixSeconds);
    char time[16];
    std::snprintf(time, sizeof time, "%02d:%02d", local.minuteOfDay / 60, local.minuteOfDay % 60);
    return trf("time.date_at", {date(local.date), time});
}

const std::string& UiContext::deadlineLabel(const Record& record) const {
    return tr("deadline." + std::string(toSlug(deadlineKind(record))));
}

std::string UiContext::limitText(const Limit& limit) const {
    if (limit.days == 1) return tr(limit.working ? "time.working_day_one" : "time.day_one");
    return trf(limit.working ? "time.working_days" : "time.days", {std::to_string(limit.days)});
}

}  // namespace kiosk::ui
