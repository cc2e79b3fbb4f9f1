#include "kiosk/app/pointer_queue.h"

namespace kiosk::app {

void PointerQueue::move(float x, float y) {
    m_lastMove = ImVec2(x, y);
    // Moves between button changes only matter as the latest position.
    if (!m_events.empty() && !m_events.back().isButton)
        m_events.back().position = m_lastMove;
    else
        m_events.push_back(Event{false, false, m_lastMove});
}

void PointerQueue::button(bool down) { m_events.push_back(Event{true, down, m_lastMove}); }

bool PointerQueue::apply(ImGuiIO& io) {
    // One kind of change per frame: a move (consecutive moves are merged) or a button change, so
    // every position is seen with the button state it had, and a drag's last stretch is not lost
    // in its release frame.
    const bool hold = m_holdButtons;
    m_holdButtons = false;
    while (!m_events.empty()) {
        const Event e = m_events.front();
        if (!e.isButton) {
            m_events.pop_front();
            m_position = e.position;
            break;
        }
        if (hold) break;
        m_events.pop_front();
        ++m_buttonsApplied;
        if (e.down == m_down) continue;  // a repeat changes nothing
        m_position = e.position;
        m_down = e.down;
        m_holdButtons = !m_down;
        break;
    }
    io.MousePos = m_position;
    io.MouseDown[0] = m_down;
    return !m_events.empty();
}

}  // namespace kiosk::app
