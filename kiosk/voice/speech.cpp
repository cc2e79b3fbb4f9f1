#include "kiosk/voice/speech.h"

#include <alsa/asoundlib.h>
#include <espeak-ng/espeak_ng.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <vector>

#include "common/shared_library.h"

namespace kiosk::voice {
namespace {

// espeak-ng and ALSA are loaded at the first word spoken, not at the kiosk's start
// (common/shared_library.h): each function this file calls is a pointer of the same name.
// clang-format off
#define KIOSK_ESPEAK_FUNCTIONS(X)                                                                  \
    X(espeak_SetSynthCallback) X(espeak_ng_ClearErrorContext) X(espeak_ng_GetSampleRate)           \
    X(espeak_ng_Initialize) X(espeak_ng_InitializeOutput) X(espeak_ng_InitializePath)              \
    X(espeak_ng_SetParameter) X(espeak_ng_SetVoiceByName) X(espeak_ng_Synthesize)
#define KIOSK_ALSA_FUNCTIONS(X)                                                                    \
    X(snd_lib_error_set_handler) X(snd_pcm_close) X(snd_pcm_drain) X(snd_pcm_drop)                 \
    X(snd_pcm_nonblock) X(snd_pcm_open) X(snd_pcm_recover) X(snd_pcm_set_params)                   \
    X(snd_pcm_writei)
// clang-format on
KIOSK_ESPEAK_FUNCTIONS(KIOSK_LIBRARY_POINTER)
KIOSK_ALSA_FUNCTIONS(KIOSK_LIBRARY_POINTER)

Outcome loadEspeak() {
    static common::LoadOnce once;
    return once([] {
        return common::loadSharedLibrary("libespeak-ng.so.1", {KIOSK_ESPEAK_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
    });
}

Outcome loadAlsa() {
    static common::LoadOnce once;
    return once([] {
        return common::loadSharedLibrary("libasound.so.2", {KIOSK_ALSA_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
    });
}

// espeak-ng keeps one synthesizer in global state: one caller at a time, and one initialisation.
std::mutex g_engineMutex;
bool g_initialised = false;
bool g_initFailed = false;
int g_sampleRate = 0;

Error noData() {
    return makeError("voice.no-data", "Máy chưa cài giọng đọc tiếng Việt (espeak-ng, espeak-ng-data).",
                     "The Vietnamese voice is not installed (espeak-ng, espeak-ng-data).");
}

// Loaded on first use, not at start: the voice's data stays out of a kiosk nobody asks to speak.
bool initialiseLocked() {
    if (g_initialised) return true;
    if (g_initFailed) return false;
    if (!loadEspeak()) {
        g_initFailed = true;
        return false;
    }
    espeak_ng_InitializePath(nullptr);
    espeak_ng_ERROR_CONTEXT context = nullptr;
    espeak_ng_STATUS status = espeak_ng_Initialize(&context);
    espeak_ng_ClearErrorContext(&context);
    // Synchronous: samples come back through the callback and we play them, so a machine without a
    // sound card still synthesizes (to a file) and the device is ours to open, cut and report on.
    if (status == ENS_OK) status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 60, nullptr);
    if (status == ENS_OK) status = espeak_ng_SetVoiceByName("vi");
    if (status != ENS_OK) {
        g_initFailed = true;
        return false;
    }
    g_sampleRate = espeak_ng_GetSampleRate();
    g_initialised = true;
    return true;
}

struct SynthRun {
    AudioSink* sink = nullptr;
    const std::atomic<bool>* stop = nullptr;
    int volume = 100;
    bool sinkFailed = false;
    std::vector<int16_t> scaled;
};

int onSamples(short* wav, int count, espeak_EVENT* events) {
    auto* run = static_cast<SynthRun*>(events ? events->user_data : nullptr);
    if (!run) return 0;
    if (run->stop->load() || run->sinkFailed) return 1;  // 1 = abort the synthesis
    if (!wav || count <= 0) return 0;
    run->scaled.resize(size_t(count));
    for (int i = 0; i < count; ++i) run->scaled[size_t(i)] = int16_t(int(wav[i]) * run->volume / 100);
    if (!run->sink->write(run->scaled.data(), run->scaled.size())) run->sinkFailed = true;
    return run->stop->load() || run->sinkFailed ? 1 : 0;
}

class AlsaSink : public AudioSink {
public:
    explicit AlsaSink(std::string device) : m_device(std::move(device)) {}
    ~AlsaSink() override {
        if (m_pcm) snd_pcm_close(m_pcm);
    }
    Outcome open(int sampleRate) override {
        if (!loadAlsa())
            return makeError("voice.no-device", "Máy chưa cài thư viện âm thanh (libasound2).",
                             "The sound library is not installed (libasound2).");
        // Without a sound card ALSA prints its search to stderr; the button says it instead.
        snd_lib_error_set_handler(quietAlsa);
        // Non-blocking open: a device held by another program fails at once instead of waiting.
        int rc = snd_pcm_open(&m_pcm, m_device.c_str(), SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
        if (rc == 0) rc = snd_pcm_nonblock(m_pcm, 0);
        if (rc == 0)
            rc = snd_pcm_set_params(m_pcm, SND_PCM_FORMAT_S16, SND_PCM_ACCESS_RW_INTERLEAVED, 1,
                                    unsigned(sampleRate), 1, 200000);
        if (rc < 0) {
            if (m_pcm) snd_pcm_close(m_pcm);
            m_pcm = nullptr;
            return makeError("voice.no-device", "Máy không có loa hoặc không mở được thiết bị âm thanh.",
                             "This machine has no speaker, or its sound device would not open.");
        }
        return {};
    }
    bool write(const int16_t* samples, size_t count) override {
        while (count > 0) {
            snd_pcm_sframes_t n = snd_pcm_writei(m_pcm, samples, count);
            if (n < 0) n = snd_pcm_recover(m_pcm, int(n), 1);
            if (n < 0) return false;
            samples += n;
            count -= size_t(n);
        }
        return true;
    }
    void finish(bool cut) override {
        if (!m_pcm) return;
        if (cut)
            snd_pcm_drop(m_pcm);
        else
            snd_pcm_drain(m_pcm);
    }

private:
    static void quietAlsa(const char*, int, const char*, int, const char*, ...) {}
    std::string m_device;
    snd_pcm_t* m_pcm = nullptr;
};

class WavSink : public AudioSink {
public:
    explicit WavSink(std::string path) : m_path(std::move(path)) {}
    ~WavSink() override {
        if (m_file) std::fclose(m_file);
    }
    Outcome open(int sampleRate) override {
        m_file = std::fopen(m_path.c_str(), "wb");
        if (!m_file)
            return makeError("voice.no-device", "Không ghi được tệp âm thanh " + m_path + ".",
                             "Cannot write the sound file " + m_path + ".");
        m_rate = uint32_t(sampleRate);
        return header(0) ? Outcome{} : failed();
    }
    bool write(const int16_t* samples, size_t count) override {
        // WAV is little-endian, as is every machine the kiosk runs on (x86-64, arm64).
        if (std::fwrite(samples, sizeof(int16_t), count, m_file) != count) return false;
        m_bytes += uint32_t(count * sizeof(int16_t));
        return true;
    }
    void finish(bool) override {
        if (!m_file) return;
        std::fseek(m_file, 0, SEEK_SET);
        header(m_bytes);
        std::fclose(m_file);
        m_file = nullptr;
    }

private:
    Error failed() const {
        return makeError("voice.failed", "Không ghi được tệp âm thanh " + m_path + ".",
                         "Cannot write the sound file " + m_path + ".");
    }
    bool header(uint32_t dataBytes) {
        unsigned char h[44] = {'R', 'I', 'F', 'F', 0,  0, 0, 0, 'W', 'A', 'V', 'E',
                               'f', 'm', 't', ' ', 16, 0, 0, 0, 1,   0,   1,   0};
        auto put32 = [&](size_t at, uint32_t v) {
            for (int i = 0; i < 4; ++i) h[at + size_t(i)] = static_cast<unsigned char>(v >> (8 * i));
        };
        put32(4, 36 + dataBytes);
        put32(24, m_rate);
        put32(28, m_rate * 2);  // bytes per second: mono, 16 bits
        h[32] = 2;              // block align
        h[34] = 16;             // bits per sample
        h[36] = 'd';
        h[37] = 'a';
        h[38] = 't';
        h[39] = 'a';
        put32(40, dataBytes);
        return std::fwrite(h, 1, sizeof h, m_file) == sizeof h;
    }
    std::string m_path;
    std::FILE* m_file = nullptr;
    uint32_t m_rate = 0;
    uint32_t m_bytes = 0;
};

}  // namespace

std::unique_ptr<AudioSink> deviceSink(std::string device) {
    return std::make_unique<AlsaSink>(std::move(device));
}

std::unique_ptr<AudioSink> wavFileSink(std::string path) {
    return std::make_unique<WavSink>(std::move(path));
}

bool voiceAvailable() {
    const std::lock_guard<std::mutex> lock(g_engineMutex);
    return initialiseLocked();
}

Outcome speak(std::string_view text, const SpeechOptions& options, AudioSink& sink,
              const std::atomic<bool>& stop) {
    const std::lock_guard<std::mutex> lock(g_engineMutex);
    if (!initialiseLocked()) return noData();
    if (auto opened = sink.open(g_sampleRate); !opened) return opened;
    if (options.voice != "vi") espeak_ng_SetVoiceByName(options.voice.c_str());
    espeak_ng_SetParameter(espeakRATE, std::clamp(options.wordsPerMinute, 80, 450), 0);
    espeak_SetSynthCallback(onSamples);
    SynthRun run;
    run.sink = &sink;
    run.stop = &stop;
    run.volume = std::clamp(options.volume, 0, 100);
    const std::string utf8(text);
    const espeak_ng_STATUS status = espeak_ng_Synthesize(utf8.c_str(), utf8.size() + 1, 0, POS_CHARACTER, 0,
                                                         espeakCHARS_UTF8, nullptr, &run);
    sink.finish(stop.load() || run.sinkFailed);
    if (options.voice != "vi") espeak_ng_SetVoiceByName("vi");
    if (run.sinkFailed)
        return makeError("voice.no-device", "Thiết bị âm thanh ngừng hoạt động giữa chừng.",
                         "The sound device failed while speaking.");
    if (status != ENS_OK && !stop.load())
        return makeError("voice.failed", "Không đọc được đoạn văn bản này.", "Could not speak this text.");
    return {};
}

Outcome speakToWav(std::string_view text, const SpeechOptions& options, const std::string& path) {
    auto sink = wavFileSink(path);
    const std::atomic<bool> never{false};
    return speak(text, options, *sink, never);
}

}  // namespace kiosk::voice
