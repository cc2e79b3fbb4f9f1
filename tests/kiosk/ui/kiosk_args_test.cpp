// The kiosk program's command line (common/args.h): refused before any window opens.
#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

using testing_support::binPath;
using testing_support::runProgram;

TEST_CASE("the kiosk program refuses an unknown option with one line naming it") {
    auto bogus = runProgram(binPath("kiosk"), {"--windowed", "--bogus-flag", "--lang", "en"});
    CHECK(bogus.exitCode == 2);
    CHECK(bogus.err == "kiosk: Unknown option: --bogus-flag.\n");
    auto vi = runProgram(binPath("kiosk"), {"--bogus-flag"});
    CHECK(vi.exitCode == 2);
    CHECK(vi.err.find("--bogus-flag") != std::string::npos);
    auto stray = runProgram(binPath("kiosk"), {"stray", "--lang", "en"});
    CHECK(stray.exitCode == 2);
    CHECK(stray.err == "kiosk: Unknown argument “stray”. See kiosk --help.\n");
    auto size = runProgram(binPath("kiosk"), {"--size", "tiny", "--lang", "en"});
    CHECK(size.exitCode == 2);
    CHECK(size.err == "kiosk: --size must be WxH, e.g. 1920x1080.\n");
    auto help = runProgram(binPath("kiosk"), {"--help", "--lang", "en"});
    CHECK(help.exitCode == 0);
    CHECK(help.out.find("--windowed") != std::string::npos);
    CHECK(help.out.find("KIOSK_BENCH_FRAMES") != std::string::npos);
}
