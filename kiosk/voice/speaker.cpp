#include "kiosk/voice/speaker.h"

#include <algorithm>
#include <chrono>

namespace kiosk::voice {

Speaker::Speaker(SinkFactory sinks, std::function<void()> onChange)
    : m_sinks(sinks ? std::move(sinks) : SinkFactory([] { return deviceSink(); })),
      m_onChange(std::move(onChange)),
      m_thread([this] { run(); }) {}

Speaker::~Speaker() {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_quit = true;
        m_pending.reset();
        m_cut = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void Speaker::say(std::string text) {
    if (text.empty()) return stop();
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_pending = std::move(text);
        m_cut = true;                      // the thread resets it when it takes the new text
        m_state = SpeakerState::Speaking;  // the button shows "stop" from this frame on
    }
    m_changed.notify_all();
}

void Speaker::stop() {
    bool changed = false;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_pending.reset();
        m_cut = true;
        if (!m_busy && m_state == SpeakerState::Speaking) {
            m_state = SpeakerState::Idle;
            changed = true;
        }
    }
    m_changed.notify_all();
    if (changed && m_onChange) m_onChange();
}

void Speaker::setVolume(int volume) { m_volume = std::clamp(volume, 0, 100); }

SpeakerState Speaker::state() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_state;
}

std::optional<Error> Speaker::lastError() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_error;
}

bool Speaker::waitIdle(double seconds) const {
    std::unique_lock<std::mutex> lock(m_mutex);
    return m_changed.wait_for(lock, std::chrono::duration<double>(seconds),
                              [&] { return !m_busy && !m_pending && m_state != SpeakerState::Speaking; });
}

void Speaker::setState(SpeakerState state, std::optional<Error> error) {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_busy = false;
        // A say() that came while this text was spoken keeps its Speaking state.
        if (!m_pending) m_state = state;
        m_error = std::move(error);
    }
    m_changed.notify_all();
    if (m_onChange) m_onChange();
}

void Speaker::run() {
    for (;;) {
        std::string text;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_changed.wait(lock, [&] { return m_quit || m_pending.has_value(); });
            if (m_quit) return;
            text = std::move(*m_pending);
            m_pending.reset();
            m_cut = false;
            m_busy = true;
        }
        SpeechOptions options;
        options.volume = m_volume.load();
        std::unique_ptr<AudioSink> sink = m_sinks();
        const Outcome spoken = speak(text, options, *sink, m_cut);
        sink.reset();  // the device is closed between texts: another program may use it
        if (spoken)
            setState(SpeakerState::Idle, std::nullopt);
        else
            setState(SpeakerState::Unavailable, spoken.error());
    }
}

}  // namespace kiosk::voice
