#pragma once
// Speech: the kiosk's Vietnamese voice. Text is synthesized by espeak-ng (its `vi` voice, from the
// espeak-ng-data package) into 16-bit mono PCM and handed, chunk by chunk, to an AudioSink — the
// sound device (ALSA's "default", which a desktop routes to PulseAudio or PipeWire) or a WAV file.
// The same path serves the kiosk's "Nghe" button, `kioskctl say` and the tests that measure the
// sound with sox.
// It is not the thread that keeps the window free (speaker.h) nor what a screen says (each screen's
// mainText). espeak-ng is one synthesizer per process: speak() serialises its callers, so it may
// be called from any thread; it blocks while it speaks.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::voice {

struct SpeechOptions {
    int volume = 80;           // 0-100, applied to the samples (espeak-ng's own stays at its default)
    int wordsPerMinute = 140;  // slower than espeak-ng's 175: the listener may not read well
    std::string voice = "vi";
};

// Where samples go. open() before the first write; finish() once after the last.
class AudioSink {
public:
    virtual ~AudioSink() = default;
    virtual Outcome open(int sampleRate) = 0;
    // false: the device or file failed; speaking stops.
    virtual bool write(const int16_t* samples, size_t count) = 0;
    // cut: drop what is buffered (stop was asked); otherwise let it play out.
    virtual void finish(bool cut) = 0;
};

// The sound device through ALSA ("default" unless named). Opening fails with voice.no-device when
// the machine has no sound card; ALSA's own complaints are kept off stderr.
std::unique_ptr<AudioSink> deviceSink(std::string device = "default");
// A RIFF/WAVE file, 16-bit mono; the sizes in its header are written at finish().
std::unique_ptr<AudioSink> wavFileSink(std::string path);

// Speaks `text` into `sink` and returns when done, or soon (one chunk, under 0.1 s of sound) after
// `stop` becomes true. Errors: voice.no-data (espeak-ng or its `vi` voice is not installed),
// voice.no-device (the sink would not open), voice.failed.
Outcome speak(std::string_view text, const SpeechOptions& options, AudioSink& sink,
              const std::atomic<bool>& stop);
// speak() into a WAV file (kioskctl say --wav, tests).
Outcome speakToWav(std::string_view text, const SpeechOptions& options, const std::string& path);

// espeak-ng loads and has its Vietnamese voice (tests skip without it).
bool voiceAvailable();

}  // namespace kiosk::voice
