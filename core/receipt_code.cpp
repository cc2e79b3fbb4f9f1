// Receipt codes: making, parsing, checking (receipt_code.h).
#include "core/receipt_code.h"

#include <cassert>

#include "core/calendar.h"

namespace kiosk {
namespace {

// Damm's totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004): zero diagonal, and
// (c*x)*y != (c*y)*x whenever x != y, which is what catches neighbour swaps. The tests check
// both properties over the whole table.
constexpr unsigned char kDamm[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3}, {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6}, {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7}, {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool allDigits(std::string_view text) {
    for (char c : text) {
        if (!isDigit(c)) return false;
    }
    return true;
}

int digitsValue(std::string_view text) {
    int value = 0;
    for (char c : text) value = value * 10 + (c - '0');
    return value;
}

}  // namespace

char dammCheckDigit(std::string_view digits) {
    unsigned char interim = 0;
    for (char c : digits) {
        if (isDigit(c)) interim = kDamm[interim][c - '0'];
    }
    return static_cast<char>('0' + interim);
}

bool dammValid(std::string_view digitsWithCheck) {
    if (digitsWithCheck.empty() || !allDigits(digitsWithCheck)) return false;
    return dammCheckDigit(digitsWithCheck) == '0';
}

std::string makeReceiptCode(std::string_view commune, int slot, uint64_t serial) {
    const bool valid =
        commune.size() == 5 && allDigits(commune) && slot >= 0 && slot <= 99 && serial <= kMaxReceiptSerial;
    assert(valid && "makeReceiptCode: commune must be 5 digits, slot 0..99, serial < 10^8");
    if (!valid) return std::string();
    std::string code(commune);
    code.push_back(static_cast<char>('0' + slot / 10));
    code.push_back(static_cast<char>('0' + slot % 10));
    const std::string serialDigits = std::to_string(serial);
    code.append(8 - serialDigits.size(), '0');
    code += serialDigits;
    code.push_back(dammCheckDigit(code));
    return code;
}

uint64_t receiptSerialAt(int64_t unixSeconds) {
    return unixSeconds <= kReceiptSerialEpoch
               ? 0
               : static_cast<uint64_t>((unixSeconds - kReceiptSerialEpoch) / kReceiptSerialSeconds);
}

uint64_t nextReceiptSerial(uint64_t lastSerial, int64_t unixSeconds) {
    const uint64_t clock = receiptSerialAt(unixSeconds);
    return clock > lastSerial ? clock : lastSerial + 1;
}

Result<ReceiptCode> parseReceiptCode(std::string_view typed) {
    std::string digits;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '\t') continue;
        if (!isDigit(c)) {
            return makeError("receipt.characters",
                             "Mã biên nhận chỉ gồm 16 chữ số. Hãy nhập đúng các chữ số in trên "
                             "biên nhận.",
                             "A receipt code is 16 digits. Please type the digits printed on the "
                             "receipt.");
        }
        digits.push_back(c);
    }
    if (digits.empty()) {
        return makeError("receipt.required", "Hãy nhập mã biên nhận (16 chữ số).",
                         "Please enter the receipt code (16 digits).");
    }
    if (digits.size() != kReceiptCodeDigits) {
        const std::string count = std::to_string(digits.size());
        return makeError(
            "receipt.length",
            "Mã biên nhận có 16 chữ số; bạn đã nhập " + count + " chữ số. Hãy so lại với biên nhận.",
            "A receipt code has 16 digits; you entered " + count + ". Please compare with the receipt.");
    }
    if (!dammValid(digits)) {
        return makeError("receipt.check",
                         "Mã biên nhận không đúng. Có thể bạn đã nhập nhầm một chữ số hoặc đảo "
                         "chỗ hai chữ số cạnh nhau; hãy so lại từng nhóm bốn số với biên nhận.",
                         "This receipt code is not right. Perhaps one digit was mistyped or two "
                         "neighbouring digits were swapped; please compare each group of four with "
                         "the receipt.");
    }
    ReceiptCode code;
    code.commune = digits.substr(0, 5);
    code.slot = digitsValue(std::string_view(digits).substr(5, 2));
    code.serial = std::stoull(digits.substr(7, 8));
    code.digits = std::move(digits);
    return code;
}

std::string formatReceiptCode(std::string_view digits) {
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back(' ');
        out.push_back(digits[i]);
    }
    return out;
}

bool looksLikeOfficialCode(std::string_view text) {
    const size_t firstDash = text.find('-');
    if (firstDash == std::string_view::npos) return false;
    const std::string_view agency = text.substr(0, firstDash);
    const std::string_view rest = text.substr(firstDash + 1);
    if (rest.size() != 11 || rest[6] != '-') return false;
    const std::string_view date = rest.substr(0, 6);
    const std::string_view number = rest.substr(7, 4);
    if (!allDigits(date) || !allDigits(number)) return false;

    bool hasAlphanumeric = false;
    for (char c : agency) {
        const bool alphanumeric = isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!alphanumeric && c != '.') return false;
        hasAlphanumeric = hasAlphanumeric || alphanumeric;
    }
    if (!hasAlphanumeric) return false;

    const std::string iso = "20" + std::string(date.substr(0, 2)) + "-" + std::string(date.substr(2, 2)) +
                            "-" + std::string(date.substr(4, 2));
    return Date::parse(iso).has_value();
}

}  // namespace kiosk
