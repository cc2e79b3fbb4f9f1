// The identity a petition kind requires is the law of the day it is taken: from 1 July 2026 a
// khiếu nại or tố cáo without the sender's address is refused, before that it is taken. kioskctl
// runs under faketime on a real database; without faketime the test exits 77 (skipped).
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdlib>

#include "tests/support/temp_dir.h"

using namespace testing_support;

namespace {

constexpr const char* kFaketime = "/usr/bin/faketime";
constexpr const char* kEnv = "/usr/bin/env";

// kioskctl on `db` with the machine's clock set to `when` (local time of the test's TZ, UTC).
RunResult kioskctlOn(const std::string& when, const std::string& db, std::vector<std::string> args) {
    const char* inherited = std::getenv("ASAN_OPTIONS");
    // Under the sanitizer build faketime's LD_PRELOAD comes before the ASan runtime.
    std::string asan =
        "ASAN_OPTIONS=" + std::string(inherited && *inherited ? std::string(inherited) + ":" : "") +
        "verify_asan_link_order=0";
    std::vector<std::string> full{
        asan, "TZ=UTC", "FAKETIME_DONT_FAKE_MONOTONIC=1", kFaketime, when, binPath("kioskctl"), "--db", db};
    full.insert(full.end(), args.begin(), args.end());
    return runProgram(kEnv, full);
}

std::vector<std::string> petition(const std::string& kind, bool withAddress) {
    std::vector<std::string> args{"submit-petition",
                                  "--type",
                                  kind,
                                  "--name",
                                  "Nguyễn Văn An",
                                  "--cccd",
                                  "008090001234",
                                  "--phone",
                                  "0912345678",
                                  "--content",
                                  "Tôi khiếu nại quyết định thu hồi đất số 12 của UBND xã."};
    if (withAddress) args.insert(args.end(), {"--address", "Thôn 2, xã Yên Phú"});
    return args;
}

}  // namespace

TEST_CASE("kioskctl identity: the address is required for khieu-nai and to-cao from 2026-07-01 on") {
    if (access(kFaketime, X_OK) != 0) {
        WARN("faketime is missing (Debian package faketime): skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("kiosk.db");
    auto init = kioskctlOn("2026-06-30 03:00:00", db, {"init", "--commune", "02374"});
    INFO(init.err);
    REQUIRE(init.exitCode == 0);

    for (const char* kind : {"khieu-nai", "to-cao"}) {
        INFO(kind);
        // The last day before the law: taken without an address.
        auto before = kioskctlOn("2026-06-30 03:00:00", db, petition(kind, false));
        INFO(before.err);
        CHECK(before.exitCode == 0);
        // The first day of the law: refused with a message in both languages, and taken with one.
        for (const char* lang : {"vi", "en"}) {
            auto missing = kioskctlOn("2026-07-01 03:00:00", db, [&] {
                auto args = petition(kind, false);
                args.insert(args.begin(), {"--lang", lang});
                return args;
            }());
            INFO(missing.err);
            CHECK(missing.exitCode == 2);
            CHECK(missing.err.find(std::string(lang) == "vi" ? "địa chỉ" : "address") != std::string::npos);
        }
        auto with = kioskctlOn("2026-07-01 03:00:00", db, petition(kind, true));
        INFO(with.err);
        CHECK(with.exitCode == 0);
    }
    // Kiến nghị asks for no address whatever the day.
    auto recommendation = kioskctlOn("2026-07-01 03:00:00", db, petition("kien-nghi", false));
    INFO(recommendation.err);
    CHECK(recommendation.exitCode == 0);
}
