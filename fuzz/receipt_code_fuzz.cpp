// Fuzzes what a citizen or officer types into the "receipt code" and "official code" boxes:
// parseReceiptCode, looksLikeOfficialCode and the Damm check. Properties: a parsed code is 16
// digits whose parts rebuild it exactly, its grouped form parses back to it, and appending the
// check digit to any digit string makes it valid.
#include <cstring>

#include "fuzz/fuzz_check.h"
#include "core/receipt_code.h"

using namespace kiosk;
using fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::asText(data, size);

    auto parsed = parseReceiptCode(text);
    if (parsed) {
        const ReceiptCode& code = *parsed;
        require(code.digits.size() == kReceiptCodeDigits, "a parsed code has 16 digits");
        require(code.digits.find_first_not_of("0123456789") == std::string::npos,
                "a parsed code is only digits");
        require(dammValid(code.digits), "a parsed code passes the Damm check");
        require(code.commune == code.digits.substr(0, 5), "commune is digits 1-5");
        require(code.slot >= 0 && code.slot <= 99, "slot is 00-99");
        require(code.serial <= kMaxReceiptSerial, "serial has 8 digits");
        require(makeReceiptCode(code.commune, code.slot, code.serial) == code.digits,
                "commune, slot and serial rebuild the code");
        auto again = parseReceiptCode(formatReceiptCode(code.digits));
        require(again && again->digits == code.digits, "the grouped form parses back");
    } else {
        require(!parsed.error().code.empty() && !parsed.error().vi.empty() && !parsed.error().en.empty(),
                "a refusal has a code and both messages");
        fuzz::requireNfc(parsed.error().vi, "the Vietnamese message is NFC");
    }

    (void)looksLikeOfficialCode(text);
    (void)dammValid(text);
    const char check = dammCheckDigit(text);
    require(check >= '0' && check <= '9', "the check digit is a digit");
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos)
        require(dammValid(std::string(text) + check), "digits plus their check digit are valid");

    // The serial allocator: strictly growing whatever the clock says.
    if (size >= 16) {
        uint64_t last = 0;
        int64_t seconds = 0;
        std::memcpy(&last, data, 8);
        std::memcpy(&seconds, data + 8, 8);
        last %= kMaxReceiptSerial + 1;
        require(nextReceiptSerial(last, seconds) > last, "the next serial is greater");
    }
    return 0;
}
