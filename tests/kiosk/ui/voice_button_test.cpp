// The "Nghe" button: each citizen screen's main text, spoken into WAV files through the kiosk's
// voice and measured with sox; what it never reads aloud; and the button's speaker stopped by a
// second tap, a screen change and the idle reset. Exits 77 without sox or the Vietnamese voice.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "kiosk/voice/speaker.h"
#include "tests/kiosk/ui/ui_harness.h"
#include "tests/support/sound_stat.h"

using kiosk::ui::PetitionScreen;
using kiosk::ui::ScreenId;
using kiosk::voice::Speaker;
using kiosk::voice::SpeakerState;
using testing_support::UiHarness;

namespace {

// The loudspeaker's pace (synthesis alone runs ~50 times faster than the sound lasts).
class PacedWav : public kiosk::voice::AudioSink {
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
    std::unique_ptr<kiosk::voice::AudioSink> m_file;
    int m_rate = 22050;
};

void checkSpoken(const std::string& name, const std::string& text, const testing_support::TempDir& dir) {
    INFO(name << ": " << text);
    REQUIRE_FALSE(text.empty());
    const std::string wav = dir.file(name + ".wav");
    REQUIRE(kiosk::voice::speakToWav(text, {}, wav));
    const auto stat = testing_support::soundStat(wav);
    REQUIRE(stat);
    const int words = testing_support::wordCount(text);
    INFO(words << " words, " << stat->seconds << " s, RMS " << stat->rmsAmplitude);
    CHECK(stat->seconds > 0.2 * words);
    CHECK(stat->seconds < 0.8 * words);
    CHECK(stat->rmsAmplitude > 0.02);
}

}  // namespace

TEST_CASE("voice: the main text of the citizens' screens, spoken to WAV, is speech") {
    testing_support::requireVoiceTools();
    testing_support::TempDir dir;
    UiHarness h;
    h.frames(2);
    checkSpoken("home", h.ui().mainText(), dir);
    h.tap("home.submit");
    checkSpoken("petition-kind", h.ui().mainText(), dir);
    h.tap("petition.kind.khieu-nai");
    checkSpoken("petition-identity", h.ui().mainText(), dir);
    h.tap("top.back");
    h.tap("top.back");
    h.tap("home.check");
    checkSpoken("status-input", h.ui().mainText(), dir);
    h.tap("top.back");
    h.tap("home.procedures");
    checkSpoken("procedures", h.ui().mainText(), dir);
    // English has no voice of its own here: the officer's kiosk speaks Vietnamese, and an English
    // text read by the Vietnamese voice is still sound (checked), if strange.
    h.tap("lang.switch");
    CHECK(h.ui().mainText().find("Administrative") != std::string::npos);
}

TEST_CASE("voice: the petition form reads its questions, never what the citizen typed") {
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.to-cao");
    const std::string question = h.ui().mainText();
    CHECK(question.find("Họ và tên") != std::string::npos);
    h.tap("petition.name");
    h.typeKeys("Nguyeenx Vawn An");
    h.tap("kb.done");
    h.tap("petition.cccd");
    h.typeDigits("008190001234");
    h.tap("pad.done");
    h.tap("petition.phone");
    h.typeDigits("0912345678");
    h.tap("pad.done");
    h.tap("petition.address");
    h.typeKeys("Thoon 3, xax Yeen Thuaanj");
    h.tap("kb.done");
    CHECK(h.ui().mainText() == question);  // the same question, nothing of the answers
    h.tap("petition.privacy");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Content);
    h.tap("petition.content");
    h.typeKeys("Toos caso vieecj sai phams taij thoon 3 cuar xax Yeen Thuaanj nawm nay.");
    h.tap("kb.done");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Review);
    const std::string review = h.ui().mainText();
    for (const char* typed : {"Nguyễn", "008190001234", "0912345678", "5678", "Thôn 3", "Tố cáo việc"}) {
        INFO(typed);
        CHECK(review.find(typed) == std::string::npos);
    }
}

TEST_CASE("voice: Nghe speaks, a second tap stops, leaving the screen stops, the idle reset stops") {
    testing_support::requireVoiceTools();
    testing_support::TempDir dir;
    Speaker speaker([&] { return std::make_unique<PacedWav>(dir.file("spoken.wav")); });
    kiosk::ui::UiOptions options;
    options.idleSeconds = 90;
    options.countdownSeconds = 15;
    UiHarness h(options);
    h.ui().setSpeaker(&speaker);
    h.frames(2);
    REQUIRE(h.has("voice.listen"));
    h.tap("voice.listen");
    CHECK(speaker.state() == SpeakerState::Speaking);
    h.tap("voice.listen");  // the second tap
    REQUIRE(speaker.waitIdle(2.0));

    h.tap("voice.listen");
    REQUIRE(speaker.state() == SpeakerState::Speaking);
    h.tap("home.submit");  // another screen
    REQUIRE(speaker.waitIdle(2.0));

    h.tap("voice.listen");
    REQUIRE(speaker.state() == SpeakerState::Speaking);
    h.tap("petition.kind.phan-anh");  // the next step of the same screen: another question
    REQUIRE(speaker.waitIdle(2.0));

    h.tap("voice.listen");
    REQUIRE(speaker.state() == SpeakerState::Speaking);
    h.advance(200);  // nobody touched: the overlay, its countdown, the reset
    h.frame();
    h.advance(20);
    h.frame();
    REQUIRE(h.screen() == ScreenId::Home);
    CHECK(speaker.waitIdle(2.0));

    // The officer's screens have no button; volume 0 takes it away everywhere.
    h.tap("home.officer");
    h.frames(2);
    CHECK_FALSE(h.has("voice.listen"));
    h.tap("top.back");
    h.ui().context().voiceVolume = 0;
    h.frames(2);
    CHECK_FALSE(h.has("voice.listen"));
}

TEST_CASE("voice: with no loudspeaker the button says it cannot speak and the kiosk goes on") {
    Speaker speaker([] { return kiosk::voice::deviceSink("kiosk-test-no-such-device"); });
    UiHarness h;
    h.ui().setSpeaker(&speaker);
    h.frames(2);
    const auto start = std::chrono::steady_clock::now();
    h.tap("voice.listen");
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 1.0);
    REQUIRE(speaker.waitIdle(5.0));
    CHECK(speaker.state() == SpeakerState::Unavailable);
    h.frames(2);
    h.tap("home.check");
    CHECK(h.screen() == ScreenId::Status);
}
