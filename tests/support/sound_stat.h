#pragma once
// Test support: what sox measures of a sound file (`sox FILE -n stat`), for the tests of the kiosk's
// voice: how long it is and how loud. A test that finds sox or the voice missing exits 77.
#include <optional>
#include <string>

namespace testing_support {

struct SoundStat {
    double seconds = 0;       // "Length (seconds)"
    double rmsAmplitude = 0;  // "RMS amplitude", 0 (silence) to 1 (full scale)
    double maxAmplitude = 0;  // "Maximum amplitude"
};

// sox's path, "" when it is not installed.
std::string soxPath();
// Exits 77 (skipped, with a line saying why) unless sox and espeak-ng's Vietnamese voice are there.
void requireVoiceTools();
// nullopt when sox cannot read the file.
std::optional<SoundStat> soundStat(const std::string& path);
// Words in a text (runs of characters between spaces): Vietnamese is written a syllable a word, so
// this is about the number of syllables the voice says.
int wordCount(const std::string& text);

}  // namespace testing_support
