#include "tests/support/sound_stat.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "kiosk/voice/speech.h"
#include "tests/support/temp_dir.h"

namespace testing_support {
namespace {

std::optional<double> field(const std::string& report, const std::string& label) {
    const size_t at = report.find(label);
    if (at == std::string::npos) return std::nullopt;
    const size_t colon = report.find(':', at);
    if (colon == std::string::npos) return std::nullopt;
    return std::strtod(report.c_str() + colon + 1, nullptr);
}

}  // namespace

std::string soxPath() {
    for (const char* path : {"/usr/bin/sox", "/usr/local/bin/sox"})
        if (access(path, X_OK) == 0) return path;
    return "";
}

void requireVoiceTools() {
    if (soxPath().empty()) {
        std::cerr << "SKIPPED: the voice tests measure sound with sox (apt-get install sox; scripts/setup)\n";
        std::exit(77);
    }
    if (!kiosk::voice::voiceAvailable()) {
        std::cerr << "SKIPPED: espeak-ng's Vietnamese voice is missing (apt-get install espeak-ng-data)\n";
        std::exit(77);
    }
}

std::optional<SoundStat> soundStat(const std::string& path) {
    const RunResult r = runProgram(soxPath(), {path, "-n", "stat"});
    if (r.exitCode != 0) return std::nullopt;
    const auto seconds = field(r.err, "Length (seconds)");
    const auto rms = field(r.err, "RMS     amplitude");
    const auto max = field(r.err, "Maximum amplitude");
    if (!seconds || !rms || !max) return std::nullopt;
    return SoundStat{*seconds, *rms, *max};
}

int wordCount(const std::string& text) {
    std::istringstream words(text);
    std::string word;
    int n = 0;
    while (words >> word) ++n;
    return n;
}

}  // namespace testing_support
