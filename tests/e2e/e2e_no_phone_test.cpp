// A citizen without a phone, end to end: the kiosk that takes the petition gives a 4-digit check
// PIN (kioskctl submit-petition --no-phone), the record reaches the district, and another kiosk of
// the same commune answers the status check with that PIN in place of the phone's last 4 digits.
// The real programs, a real socket, the real SQLite files.
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

TEST_CASE("e2e: a check PIN opens the status check at another kiosk of the commune") {
    constexpr const char* kTanYen = "02374";
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    const Enrolled first = enroll(districtDb, kTanYen);
    const Enrolled second = enroll(districtDb, kTanYen);
    DistrictProcess district(districtDb);
    district.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(district.port());
    const KioskCli taker{dir.file("taker.db"), {}};
    const KioskCli other{dir.file("other.db"), {}};
    taker.ok({"init", "--commune", kTanYen, "--server", url, "--token", first.token, "--slot", first.slot});
    other.ok({"init", "--commune", kTanYen, "--server", url, "--token", second.token, "--slot", second.slot});

    const auto submitted =
        taker.json({"submit-petition", "--type", "phan-anh", "--no-phone", "--writer", "Nguyễn Văn Bình",
                    "--writer-relation", "cháu", "--content", "Đèn đường thôn 2 hỏng đã hai tháng."});
    const std::string code = submitted["code"];
    const std::string pin = submitted["check_pin"];
    REQUIRE(pin.size() == 4);
    taker.ok({"sync", "--once", "--timeout", "60"});
    other.ok({"sync", "--once", "--timeout", "60"});

    const auto status = other.json({"status", code, "--phone-last4", pin});
    CHECK(status["code"] == code);
    CHECK(status["kind"] == "phan-anh");
    const std::string wrong = pin == "1234" ? "4321" : "1234";
    CHECK(other.run({"status", code, "--phone-last4", wrong}).exitCode == 2);
}
