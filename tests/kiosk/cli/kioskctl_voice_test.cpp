// kioskctl say and config: the kiosk's voice into a WAV file, measured with sox, at the volume the
// officer set; no loudspeaker is "try later", a bad volume is refused. Exits 77 without sox or the
// Vietnamese voice.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "tests/support/sound_stat.h"
#include "tests/support/temp_dir.h"

using namespace testing_support;

namespace {

RunResult ctl(const std::string& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return runProgram(binPath("kioskctl"), args);
}

}  // namespace

TEST_CASE("kioskctl: say writes speech to a WAV file at the kiosk's volume, config sets it") {
    requireVoiceTools();
    TempDir dir;
    const std::string db = dir.file("kiosk.db");
    REQUIRE(ctl(db, {"init", "--commune", "02374"}).exitCode == 0);
    const std::string text = "Ông bà muốn gửi loại đơn nào? Khiếu nại, tố cáo, kiến nghị hay phản ánh.";

    auto shown = ctl(db, {"config", "--json"});
    INFO(shown.err);
    REQUIRE(shown.exitCode == 0);
    CHECK(nlohmann::json::parse(shown.out)["volume"] == 80);
    auto said = ctl(db, {"say", text, "--wav", dir.file("80.wav"), "--json"});
    INFO(said.err);
    REQUIRE(said.exitCode == 0);
    CHECK(nlohmann::json::parse(said.out)["volume"] == 80);
    const auto normal = soundStat(dir.file("80.wav"));
    REQUIRE(normal);
    CHECK(normal->seconds > 0.2 * wordCount(text));
    CHECK(normal->seconds < 0.8 * wordCount(text));
    CHECK(normal->rmsAmplitude > 0.02);

    REQUIRE(ctl(db, {"config", "--volume", "20"}).exitCode == 0);
    CHECK(ctl(db, {"config"}).out == "volume\t20\n");
    REQUIRE(ctl(db, {"say", text, "--wav", dir.file("20.wav")}).exitCode == 0);
    const auto quiet = soundStat(dir.file("20.wav"));
    REQUIRE(quiet);
    CHECK(quiet->rmsAmplitude == Approx(normal->rmsAmplitude / 4).epsilon(0.05));

    for (const char* bad : {"101", "-1", "loud", ""}) {
        INFO(bad);
        const auto refused = ctl(db, {"config", "--volume", bad});
        CHECK(refused.exitCode == 2);
        CHECK(refused.err.find("--volume") != std::string::npos);
    }
    CHECK(ctl(db, {"config"}).out == "volume\t20\n");
}

TEST_CASE("kioskctl: say without a loudspeaker exits 3 with one line, not a crash") {
    requireVoiceTools();
    TempDir dir;
    // An empty ALSA configuration has no device at all, whatever sound card this machine has.
    const auto r = runProgram("/usr/bin/env", {"ALSA_CONFIG_PATH=/dev/null", binPath("kioskctl"), "--lang",
                                               "en", "--db", dir.file("none.db"), "say", "Xin chào"});
    INFO(r.err);
    CHECK(r.exitCode == 3);
    CHECK(r.err.find("sound device") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}
