// common/shared_library.h: a library loaded at first use, all its functions or none; and the
// programs that start a window or a service without the libraries they load that way.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include <zlib.h>

#include "build_paths.h"
#include "common/shared_library.h"

// zlib's functions as pointers of their names, as a folder that loads a library declares them.
namespace lazy_zlib {
KIOSK_LIBRARY_POINTER(zlibVersion)
KIOSK_LIBRARY_POINTER(adler32)
}  // namespace lazy_zlib

namespace {

using kiosk::common::loadSharedLibrary;

// The sonames a program asks the loader for before main(): readelf's NEEDED lines.
std::string neededLibraries(const std::string& program) {
    std::string out;
    FILE* p = popen(("readelf -d '" + program + "' 2>&1").c_str(), "r");
    REQUIRE(p);
    char line[512];
    while (std::fgets(line, sizeof line, p))
        if (std::string(line).find("(NEEDED)") != std::string::npos) out += line;
    REQUIRE(pclose(p) == 0);
    REQUIRE_FALSE(out.empty());
    return out;
}

}  // namespace

namespace lazy_zlib {

TEST_CASE("a library loads with every function asked for, or not at all", "[common][library]") {
    auto missing = loadSharedLibrary(
        "libz.so.1", {KIOSK_LIBRARY_SYMBOL(zlibVersion){"no_such_function_here", [](void*) {}}});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == "library.missing");
    CHECK(missing.error().en.find("no_such_function_here") != std::string::npos);
    CHECK(missing.error().vi.find("Thiếu thư viện libz.so.1") != std::string::npos);
    CHECK(zlibVersion == nullptr);  // nothing stored when one symbol is missing

    auto absent = loadSharedLibrary("libno-such-library.so.9", {KIOSK_LIBRARY_SYMBOL(adler32)});
    REQUIRE_FALSE(absent);
    CHECK(absent.error().code == "library.missing");
    CHECK(adler32 == nullptr);

    REQUIRE(
        loadSharedLibrary("libz.so.1", {KIOSK_LIBRARY_SYMBOL(zlibVersion) KIOSK_LIBRARY_SYMBOL(adler32)}));
    CHECK(std::string(zlibVersion()) == ZLIB_VERSION);
    const unsigned char text[] = "Wikipedia";
    CHECK(adler32(1, text, 9) == 0x11E60398);  // the worked example of Adler-32
}

}  // namespace lazy_zlib

TEST_CASE("load once: every caller gets the first outcome", "[common][library]") {
    kiosk::common::LoadOnce once;
    int runs = 0;
    auto fail = [&]() -> kiosk::Outcome {
        ++runs;
        return kiosk::makeError("x", "x", "x");
    };
    CHECK_FALSE(once(fail));
    CHECK_FALSE(once(fail));
    CHECK(runs == 1);
}

TEST_CASE("the programs start without the libraries they load at first use", "[common][library]") {
    // Printing, the voice, libcurl and libpq: loaded when first used, so the kiosk's window opens
    // without them (docs/benchmarks.md, kiosk.first_frame_ms).
    const char* lazy[] = {"libcups",   "libcairo",  "libpango", "libgobject",
                          "libespeak", "libasound", "libcurl",  "libpq"};
    for (const char* program : {"kiosk", "kioskctl", "district-server"}) {
        const std::string needed = neededLibraries(std::string(KIOSK_BIN_DIR) + "/" + program);
        for (const char* library : lazy) {
            INFO(program << " links " << library);
            CHECK(needed.find(std::string("[") + library) == std::string::npos);
        }
    }
}
