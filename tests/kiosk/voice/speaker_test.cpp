// The kiosk's voice: espeak-ng's Vietnamese synthesized into WAV files (the same path as the
// loudspeaker's) and measured with sox, and the speaker's thread cut, stopped and joined. Exits 77
// when sox or the voice data is missing.
#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <thread>

#include "kiosk/voice/speaker.h"
#include "kiosk/voice/speech.h"
#include "tests/support/sound_stat.h"
#include "tests/support/temp_dir.h"

using kiosk::voice::AudioSink;
using kiosk::voice::Speaker;
using kiosk::voice::SpeakerState;
using testing_support::soundStat;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A WAV file written at the pace of a sound card: each chunk takes as long as it sounds, so a stop
// meets the speech halfway as it would on the loudspeaker (synthesis alone is ~50 times faster).
class PacedWav : public AudioSink {
public:
    explicit PacedWav(const std::string& path) : m_file(kiosk::voice::wavFileSink(path)) {}
    kiosk::Outcome open(int sampleRate) override {
        m_rate = sampleRate;
        return m_file->open(sampleRate);
    }
    bool write(const int16_t* samples, size_t count) override {
        std::this_thread::sleep_for(std::chrono::duration<double>(double(count) / m_rate));
        return m_file->write(samples, count);
    }
    void finish(bool cut) override { m_file->finish(cut); }

private:
    std::unique_ptr<AudioSink> m_file;
    int m_rate = 22050;
};

const std::string kSentence =
    "Ông bà muốn gửi loại đơn nào? Khiếu nại: khi cho rằng quyết định hành chính là trái pháp luật. ";

std::string longText() {
    std::string text;
    for (int i = 0; i < 12; ++i) text += kSentence;
    return text;
}

}  // namespace

TEST_CASE("voice: Vietnamese text spoken into a WAV file is speech-length and not silent") {
    testing_support::requireVoiceTools();
    testing_support::TempDir dir;
    const std::string text = "Xin chào! Ông bà cần làm gì? Gửi đơn: khiếu nại, tố cáo, kiến nghị, phản ánh.";
    kiosk::voice::SpeechOptions options;
    REQUIRE(kiosk::voice::speakToWav(text, options, dir.file("hello.wav")));
    const auto stat = soundStat(dir.file("hello.wav"));
    REQUIRE(stat);
    const int words = testing_support::wordCount(text);
    INFO(words << " words, " << stat->seconds << " s, RMS " << stat->rmsAmplitude);
    // 140 words a minute is 0.43 s a word; pauses at the punctuation add to it.
    CHECK(stat->seconds > 0.2 * words);
    CHECK(stat->seconds < 0.8 * words);
    CHECK(stat->rmsAmplitude > 0.02);
}

TEST_CASE("voice: the volume scales the sound, and 0 is silence") {
    testing_support::requireVoiceTools();
    testing_support::TempDir dir;
    kiosk::voice::SpeechOptions options;
    const std::string text = "Tra cứu hồ sơ";
    options.volume = 100;
    REQUIRE(kiosk::voice::speakToWav(text, options, dir.file("100.wav")));
    options.volume = 25;
    REQUIRE(kiosk::voice::speakToWav(text, options, dir.file("25.wav")));
    options.volume = 0;
    REQUIRE(kiosk::voice::speakToWav(text, options, dir.file("0.wav")));
    const auto loud = soundStat(dir.file("100.wav"));
    const auto soft = soundStat(dir.file("25.wav"));
    const auto mute = soundStat(dir.file("0.wav"));
    REQUIRE((loud && soft && mute));
    CHECK(soft->rmsAmplitude == Approx(loud->rmsAmplitude * 0.25).epsilon(0.05));
    CHECK(mute->rmsAmplitude == 0);
    CHECK(mute->seconds == Approx(loud->seconds).margin(0.05));
}

TEST_CASE("voice: stop cuts a long text at once, and the speaker's thread joins") {
    testing_support::requireVoiceTools();
    testing_support::TempDir dir;
    const std::string text = longText();
    REQUIRE(kiosk::voice::speakToWav(text, {}, dir.file("full.wav")));
    const auto full = soundStat(dir.file("full.wav"));
    REQUIRE(full);
    REQUIRE(full->seconds > 30);

    int sinks = 0;
    auto speaker = std::make_unique<Speaker>([&] {
        ++sinks;
        return std::make_unique<PacedWav>(dir.file("cut" + std::to_string(sinks) + ".wav"));
    });
    speaker->say(text);
    CHECK(speaker->state() == SpeakerState::Speaking);
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    CHECK(speaker->state() == SpeakerState::Speaking);
    const auto stopAt = Clock::now();
    speaker->stop();
    REQUIRE(speaker->waitIdle(2.0));
    const double stopSeconds = secondsSince(stopAt);
    CHECK(stopSeconds < 0.3);  // within a chunk (60 ms) and a file close
    const auto cut = soundStat(dir.file("cut1.wav"));
    REQUIRE(cut);
    INFO("full " << full->seconds << " s, cut after " << cut->seconds << " s, stopped in " << stopSeconds);
    CHECK(cut->seconds > 0.3);
    CHECK(cut->seconds < 2.5);
    CHECK(speaker->state() == SpeakerState::Idle);

    // A new text replaces the one being spoken; the destructor cuts it and joins.
    speaker->say(text);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    speaker->say("Tra cứu hồ sơ");
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    speaker->say(text);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto destroyAt = Clock::now();
    speaker.reset();
    CHECK(secondsSince(destroyAt) < 0.5);
    CHECK(sinks == 4);
    const auto replaced = soundStat(dir.file("cut2.wav"));
    REQUIRE(replaced);
    CHECK(replaced->seconds < 2.0);
}

TEST_CASE("voice: without a sound device the speaker says so at once and stays usable") {
    testing_support::requireVoiceTools();
    int changes = 0;
    std::mutex mutex;
    Speaker speaker([] { return kiosk::voice::deviceSink("kiosk-test-no-such-device"); },
                    [&] {
                        const std::lock_guard<std::mutex> lock(mutex);
                        ++changes;
                    });
    const auto start = Clock::now();
    speaker.say("Xin chào");
    CHECK(secondsSince(start) < 0.05);  // the caller (the UI thread) never waits for the device
    REQUIRE(speaker.waitIdle(5.0));
    CHECK(speaker.state() == SpeakerState::Unavailable);
    REQUIRE(speaker.lastError());
    CHECK(speaker.lastError()->code == "voice.no-device");
    // The window is woken to show "cannot speak" (the call follows the state by a moment).
    int woken = 0;
    for (int i = 0; i < 100 && woken == 0; ++i) {
        {
            const std::lock_guard<std::mutex> lock(mutex);
            woken = changes;
        }
        if (woken == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(woken >= 1);
    speaker.say("Xin chào lần nữa");
    REQUIRE(speaker.waitIdle(5.0));
    CHECK(speaker.state() == SpeakerState::Unavailable);
}
