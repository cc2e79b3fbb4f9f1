// The kiosk program's command line (common/args.h): refused before any window opens.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

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

TEST_CASE("a kiosk built as citizens meet it has no way to log an officer in without a PIN") {
    // KIOSK_BENCH_OFFICER=ID:PIN opens the officer console at start for the benchmarks; anyone who
    // can set the kiosk's environment could use it, so only the benchmark build compiles it.
    auto help = runProgram(binPath("kiosk"), {"--help", "--lang", "en"});
    CHECK(help.out.find("KIOSK_BENCH_OFFICER") == std::string::npos);
    std::ifstream program(binPath("kiosk"), std::ios::binary);
    REQUIRE(program);
    const std::string bytes((std::istreambuf_iterator<char>(program)), std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() > 100000);
    CHECK(bytes.find("KIOSK_BENCH_OFFICER") == std::string::npos);
}
