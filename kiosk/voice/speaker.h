#pragma once
// Speaker: the kiosk's voice on a thread of its own, so the window never waits for a sentence. The
// UI thread asks say(text) — which cuts whatever is being said — or stop(); the speaker's thread
// opens a fresh sink (the sound device) for each text, speaks it through speech.h and tells the
// owner through onChange when its state changed, so a window that sleeps between frames redraws
// the "Nghe" button. No sound card: the text is dropped, the state is Unavailable and the owner
// shows that it cannot speak; the next say() tries the device again.
// Who calls it: kiosk/app creates one and KioskUi asks it to speak a screen's main text and to stop
// when the screen changes or the idle reset fires. say, stop, setVolume and state from any thread;
// onChange runs on the speaker's thread. The destructor cuts the speech and joins the thread.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "kiosk/voice/speech.h"

namespace kiosk::voice {

enum class SpeakerState {
    Idle,         // nothing to say
    Speaking,     // a text is queued or playing
    Unavailable,  // the last attempt found no sound device (or no voice data)
};

class Speaker {
public:
    using SinkFactory = std::function<std::unique_ptr<AudioSink>()>;
    // sinks: one new sink per text (deviceSink by default); onChange: after each state change.
    explicit Speaker(SinkFactory sinks = {}, std::function<void()> onChange = {});
    ~Speaker();
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    // Replaces what is being said with `text` (empty: the same as stop()).
    void say(std::string text);
    // Cuts the current text within one chunk of sound; nothing queued stays.
    void stop();
    void setVolume(int volume);  // 0-100, from the next text on
    int volume() const { return m_volume.load(); }
    SpeakerState state() const;
    // The last error of an Unavailable state (what the button and the log say).
    std::optional<Error> lastError() const;
    // Tests: waits until nothing is being said (true) or `seconds` passed (false).
    bool waitIdle(double seconds) const;

private:
    void run();
    void setState(SpeakerState state, std::optional<Error> error);

    SinkFactory m_sinks;
    std::function<void()> m_onChange;
    std::atomic<int> m_volume{80};
    std::atomic<bool> m_cut{false};  // the text being spoken must stop
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::optional<std::string> m_pending;  // under m_mutex
    bool m_busy = false;                   // the thread is speaking (under m_mutex)
    bool m_quit = false;                   // under m_mutex
    SpeakerState m_state = SpeakerState::Idle;
    std::optional<Error> m_error;
    std::thread m_thread;  // last: starts after every member above exists
};

}  // namespace kiosk::voice
