// Receipt codes: the Damm check catches every single-digit error and every neighbour swap; codes
// from different kiosks never collide; serials never go back.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "core/receipt_code.h"

using namespace kiosk;

namespace {

const char* const kCommunes[] = {"02374", "02377", "02380", "02383", "02386", "02389",
                                 "02392", "02395", "02398", "02401", "02404", "02407",
                                 "02410", "02413", "02416", "02419", "02422", "02425"};

// Codes spread over all communes, several slots and serials across the whole range.
std::vector<std::string> sampleCodes() {
    std::vector<std::string> codes;
    std::mt19937_64 random(20250129);
    std::uniform_int_distribution<uint64_t> anySerial(0, kMaxReceiptSerial);
    for (const char* commune : kCommunes) {
        for (int slot : {0, 1, 7, 42, 99}) {
            for (uint64_t serial : {uint64_t{0}, uint64_t{1}, kMaxReceiptSerial}) {
                codes.push_back(makeReceiptCode(commune, slot, serial));
            }
            for (int i = 0; i < 20; ++i) {
                codes.push_back(makeReceiptCode(commune, slot, anySerial(random)));
            }
        }
    }
    return codes;
}

}  // namespace

TEST_CASE("Damm: the known example and the table's two properties", "[receipt]") {
    CHECK(dammCheckDigit("572") == '4');
    CHECK(dammValid("5724"));
    CHECK_FALSE(dammValid("5723"));
    CHECK_FALSE(dammValid(""));
    CHECK_FALSE(dammValid("57a4"));
    CHECK(dammCheckDigit("") == '0');
    CHECK(dammCheckDigit("57 2") == '4');  // separators are skipped
    // Every interim value c is reached by a one-digit prefix (row 0 is a permutation)...
    std::string prefixFor[10];
    for (char d = '0'; d <= '9'; ++d) prefixFor[dammCheckDigit(std::string(1, d)) - '0'] = d;
    for (const auto& prefix : prefixFor) REQUIRE_FALSE(prefix.empty());
    for (int c = 0; c < 10; ++c) {
        for (char x = '0'; x <= '9'; ++x) {
            // ...zero diagonal: appending c's own check digit gives 0 (that is what makes a whole
            // code check to zero)...
            REQUIRE(dammValid(prefixFor[c] + dammCheckDigit(prefixFor[c])));
            for (char y = '0'; y <= '9'; ++y) {
                // ...and weak total anti-symmetry: (c*x)*y == (c*y)*x only when x == y.
                const bool same =
                    dammCheckDigit(prefixFor[c] + x + y) == dammCheckDigit(prefixFor[c] + y + x);
                REQUIRE(same == (x == y));
            }
        }
    }
}

TEST_CASE("receipt codes: layout, grouping and parsing back", "[receipt]") {
    const std::string code = makeReceiptCode("02374", 5, 12345678);
    REQUIRE(code.size() == 16);
    CHECK(code.substr(0, 15) == "023740512345678");
    CHECK(dammValid(code));
    CHECK(formatReceiptCode(code) ==
          code.substr(0, 4) + " " + code.substr(4, 4) + " " + code.substr(8, 4) + " " + code.substr(12, 4));
    CHECK(formatReceiptCode("0237405123456789") == "0237 4051 2345 6789");
    CHECK(formatReceiptCode("") == "");
    CHECK(makeReceiptCode("02425", 99, 0).substr(0, 15) == "024259900000000");

    for (const std::string& typed :
         {code, formatReceiptCode(code), " " + formatReceiptCode(code) + " ",
          code.substr(0, 4) + "-" + code.substr(4, 4) + "-" + code.substr(8, 4) + "-" + code.substr(12)}) {
        INFO(typed);
        auto parsed = parseReceiptCode(typed);
        REQUIRE(parsed.ok());
        CHECK(parsed->digits == code);
        CHECK(parsed->commune == "02374");
        CHECK(parsed->slot == 5);
        CHECK(parsed->serial == 12345678);
    }
}

TEST_CASE("receipt codes: helpful refusals", "[receipt]") {
    const std::string code = makeReceiptCode("02401", 12, 3456789);
    CHECK(parseReceiptCode("").error().code == "receipt.required");
    CHECK(parseReceiptCode("  - ").error().code == "receipt.required");
    auto shortCode = parseReceiptCode(code.substr(0, 15));
    REQUIRE_FALSE(shortCode.ok());
    CHECK(shortCode.error().code == "receipt.length");
    CHECK(shortCode.error().vi.find("Mã biên nhận có 16 chữ số") != std::string::npos);
    CHECK(shortCode.error().vi.find("15") != std::string::npos);
    CHECK(parseReceiptCode(code + "0").error().code == "receipt.length");
    CHECK(parseReceiptCode(code.substr(0, 15) + "O").error().code == "receipt.characters");
    CHECK(parseReceiptCode("H59.22-250129-0001").error().code == "receipt.characters");
    std::string wrong = code;
    wrong[3] = wrong[3] == '9' ? '0' : static_cast<char>(wrong[3] + 1);
    auto check = parseReceiptCode(wrong);
    REQUIRE_FALSE(check.ok());
    CHECK(check.error().code == "receipt.check");
    CHECK(check.error().vi.find("Có thể bạn đã nhập nhầm một chữ số") != std::string::npos);
    CHECK_FALSE(check.error().en.empty());
}

TEST_CASE("every single-digit substitution and neighbour swap is caught", "[receipt]") {
    const auto codes = sampleCodes();
    REQUIRE(codes.size() == 18 * 5 * 23);
    size_t substitutions = 0, swaps = 0;
    for (const std::string& code : codes) {
        REQUIRE(code.size() == 16);
        REQUIRE(dammValid(code));
        for (size_t i = 0; i < code.size(); ++i) {
            for (char digit = '0'; digit <= '9'; ++digit) {
                if (digit == code[i]) continue;
                std::string typo = code;
                typo[i] = digit;
                REQUIRE_FALSE(dammValid(typo));
                ++substitutions;
            }
            if (i + 1 < code.size() && code[i] != code[i + 1]) {
                std::string swapped = code;
                std::swap(swapped[i], swapped[i + 1]);
                REQUIRE_FALSE(dammValid(swapped));
                ++swaps;
            }
        }
    }
    CHECK(substitutions == codes.size() * 16 * 9);
    CHECK(swaps > codes.size() * 5);
    // parseReceiptCode says so too (a sample: the whole loop above with messages would be slow).
    for (size_t n = 0; n < codes.size(); n += 97) {
        std::string typo = codes[n];
        typo[15 - n % 16] = typo[15 - n % 16] == '5' ? '6' : '5';
        CHECK(parseReceiptCode(typo).error().code == "receipt.check");
    }
}

TEST_CASE("codes from different kiosks and serials never collide", "[receipt]") {
    std::set<std::string> seen;
    size_t made = 0;
    for (const char* commune : kCommunes) {
        for (int slot : {0, 1, 2, 10, 55, 99}) {
            for (uint64_t serial = 0; serial < 500; ++serial) {
                seen.insert(makeReceiptCode(commune, slot, serial * 199'999));
                ++made;
            }
        }
    }
    CHECK(seen.size() == made);
    CHECK(made == 18 * 6 * 500);
}

TEST_CASE("serials follow the clock and never go back", "[receipt]") {
    CHECK(nextReceiptSerial(0, kReceiptSerialEpoch) == 1);
    CHECK(nextReceiptSerial(0, kReceiptSerialEpoch - 86400) == 1);  // clock before 2024
    CHECK(nextReceiptSerial(0, 0) == 1);
    CHECK(nextReceiptSerial(0, kReceiptSerialEpoch + 60) == 10);
    // 2025-01-29 10:00 UTC+7: (unix - epoch) / 6.
    const int64_t tet = 1738119600;
    CHECK(nextReceiptSerial(5, tet) == static_cast<uint64_t>((tet - kReceiptSerialEpoch) / 6));
    // Several receipts within 6 seconds run ahead of the clock by one each...
    uint64_t last = nextReceiptSerial(0, tet);
    const uint64_t first = last;
    for (int i = 1; i <= 5; ++i) {
        last = nextReceiptSerial(last, tet + i / 2);
        CHECK(last == first + static_cast<uint64_t>(i));
    }
    // ...and a clock set back by a day still gives a larger serial.
    for (int64_t back : {1, 60, 86400, 86400 * 365}) {
        const uint64_t next = nextReceiptSerial(last, tet - back);
        CHECK(next == last + 1);
        last = next;
    }
    // A kiosk restored from a week-old backup resumes from the clock, past what it issued since.
    const uint64_t inBackup = nextReceiptSerial(0, tet - 7 * 86400);
    const uint64_t issuedSince = nextReceiptSerial(nextReceiptSerial(inBackup, tet - 1), tet);
    CHECK(nextReceiptSerial(inBackup, tet + 60) > issuedSince);
    // Monotonic over a long, jittery sequence.
    std::mt19937 random(7);
    std::uniform_int_distribution<int> jitter(-3600, 600);
    int64_t clock = tet;
    last = 0;
    for (int i = 0; i < 100000; ++i) {
        clock += jitter(random);
        const uint64_t next = nextReceiptSerial(last, clock);
        REQUIRE(next > last);
        last = next;
    }
    // The 8 digits last about 19 years.
    CHECK(nextReceiptSerial(0, kReceiptSerialEpoch + 19LL * 365 * 86400) < kMaxReceiptSerial);
}

#ifdef NDEBUG
TEST_CASE("makeReceiptCode refuses impossible parts in a release build", "[receipt]") {
    CHECK(makeReceiptCode("2374", 1, 1).empty());
    CHECK(makeReceiptCode("02374", 100, 1).empty());
    CHECK(makeReceiptCode("02374", -1, 1).empty());
    CHECK(makeReceiptCode("0237a", 1, 1).empty());
    CHECK(makeReceiptCode("02374", 1, kMaxReceiptSerial + 1).empty());
}
#endif

TEST_CASE("official dossier codes are told apart by shape", "[receipt]") {
    for (const char* good :
         {"H59.22-250129-0001", "000.00.20.H59-240101-9999", "UBND-240229-0042", "X1-991231-0000"}) {
        INFO(good);
        CHECK(looksLikeOfficialCode(good));
    }
    for (const char* bad :
         {"", "0237405123456789", "H59.22-250230-0001", "H59.22-251301-0001", "H59.22-230229-0001",
          "-250129-0001", "...-250129-0001", "H59 22-250129-0001", "H59-22-250129-0001", "H59.22-250129-001",
          "H59.22-250129-00011", "H59.22-2501290-001", "H59.22_250129_0001", "Hà.59-250129-0001",
          "H59.22-25012a-0001"}) {
        INFO(bad);
        CHECK_FALSE(looksLikeOfficialCode(bad));
    }
}
