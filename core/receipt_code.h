#pragma once
// The receipt code (mã biên nhận) a kiosk gives a citizen the moment it commits a record, with no
// network: unique without coordination, easy to read aloud and type back, and checked so that a
// mistyped digit is caught before any lookup. It is not the official dossier code
// (<agency>-YYMMDD-XXXX, Thông tư 01/2018/TT-VPCP Điều 19), which only the district can assign;
// the store maps one to the other and finds a record by either. Pure; any thread.
//
// Format: 16 digits, shown in four groups of four ("0237 4051 2345 6789"):
//
//     CCCCC SS NNNNNNNN D
//     |     |  |        +-- Damm check digit over the first 15 digits: catches every single wrong
//     |     |  |            digit and every swap of two neighbouring digits
//     |     |  +----------- serial: units of 6 seconds since 2024-01-01 00:00 UTC+7, or the last
//     |     |               serial + 1 if that is larger (nextReceiptSerial); 10^8 units ≈ 19 years
//     |     +-------------- kiosk slot 01-99, given by the district at enrollment, never reused
//     |                     in a commune; 00 for codes a kiosk issues before it knows its slot
//     +-------------------- the commune's 5-digit administrative code (02374 ...)
//
// Why unique: two kiosks differ in commune or slot. One kiosk never repeats a serial: serials only
// grow, and because they follow the clock, a kiosk restored from an old backup (whose last serial
// is behind) resumes from the present time instead of reissuing codes it gave after the backup.
// A replaced kiosk is enrolled again and gets a new slot.
//
// Petitions received on paper at the server (by post or in person, `district-server intake`) get
// codes of the same shape with the commune part 00000 (kServerIntakeCommune) and slot 00: no
// administrative unit has the code 00000 (the national list numbers communes from 00001), a kiosk
// is enrolled only for a listed commune, and the district refuses a kiosk's record whose prefix is
// not its own commune, so no kiosk code can ever start with 00000. The server draws serials as a
// kiosk does (nextReceiptSerial over the last one it kept), so its own codes never repeat either.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk {

// 2024-01-01 00:00:00 at UTC+7, in unix seconds: serial 0.
constexpr int64_t kReceiptSerialEpoch = 1704042000;
constexpr int64_t kReceiptSerialSeconds = 6;
constexpr uint64_t kMaxReceiptSerial = 99'999'999;
constexpr size_t kReceiptCodeDigits = 16;
// The commune part of the codes the server gives petitions received on paper (see above); it is
// also the commune column of those records, so no commune's kiosk ever pulls them.
constexpr std::string_view kServerIntakeCommune = "00000";

// The 16 digits for commune (5 digits), slot (0..99) and serial (0..kMaxReceiptSerial). Arguments
// outside those ranges are a programmer's mistake: asserted, and "" in a release build.
std::string makeReceiptCode(std::string_view commune, int slot, uint64_t serial);

// The serial of the 6-second unit holding unixSeconds (0 before the epoch): a code whose serial is
// below receiptSerialAt(t) was issued before t, unless its kiosk's clock was wrong.
uint64_t receiptSerialAt(int64_t unixSeconds);

// The serial to use next: max(lastSerial + 1, clock units since the epoch). Strictly greater than
// lastSerial whatever the clock says, so a clock set backwards never repeats a code.
uint64_t nextReceiptSerial(uint64_t lastSerial, int64_t unixSeconds);

struct ReceiptCode {
    std::string digits;   // the 16 digits, no separators (the record's key)
    std::string commune;  // digits 1-5
    int slot = 0;         // digits 6-7
    uint64_t serial = 0;  // digits 8-15
};

// What a citizen or officer typed, spaces and dashes ignored. Errors (vi+en, saying what to do):
// receipt.required, receipt.characters, receipt.length ("Mã biên nhận có 16 chữ số ..."),
// receipt.check ("Có thể bạn đã nhập nhầm một chữ số ..."). Whether the commune exists is the
// caller's question.
Result<ReceiptCode> parseReceiptCode(std::string_view typed);

// Groups of four separated by spaces: "0237405123456789" -> "0237 4051 2345 6789".
std::string formatReceiptCode(std::string_view digits);

// The Damm check digit ('0'..'9') of the digits given; other characters are skipped, so a grouped
// code works too.
char dammCheckDigit(std::string_view digits);
// True when digitsWithCheck is non-empty, all digits, and its last digit is the check digit of the
// rest.
bool dammValid(std::string_view digitsWithCheck);

// Whether text has the shape of an official dossier code <agency>-YYMMDD-XXXX: agency made of
// ASCII letters, digits and dots; a real date; a 4-digit daily number. Shape only: it does not say
// such a dossier exists.
bool looksLikeOfficialCode(std::string_view text);

}  // namespace kiosk
