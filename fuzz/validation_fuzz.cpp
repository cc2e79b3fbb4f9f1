// Fuzzes the checks every field a citizen types goes through (validation.h) and the text cleanup
// and search folding under them (text.h). The first byte picks the function, the rest is the typed
// text (for whole petitions and dossiers: the fields, separated by 0xFF bytes).
// Properties: what a check returns is valid UTF-8 in NFC, within its length limit, and a fixed
// point (checking the normal form again gives the same); a CCCD comes back as 12 digits and a phone
// as 0 + 9 digits with a listed prefix; search folding gives valid UTF-8; a refusal always carries
// a code and both messages.
#include <set>

#include "fuzz/fuzz_check.h"
#include "core/validation.h"

using namespace kiosk;
using fuzz::require;
using fuzz::requireNfc;

namespace {

// Real entries of assets/cccd_provinces.tsv and mobile_prefixes.tsv: the functions take the lists
// as data, so a few are enough.
const std::set<std::string> kProvinces{"001", "008", "010", "079"};
const std::set<std::string> kPrefixes{"032", "086", "091", "096"};
constexpr int kYear = 2026;  // fixed, so an input means the same thing every day

bool allDigits(const std::string& s) { return s.find_first_not_of("0123456789") == std::string::npos; }

void checkError(const Error& error) {
    require(!error.code.empty() && !error.vi.empty() && !error.en.empty(),
            "a refusal has a code and both messages");
    requireNfc(error.vi, "the Vietnamese message is valid NFC");
}

// A checked free-text field: NFC, at most maxCodepoints, and checking it again changes nothing.
template <class Check>
void checkText(std::string_view input, size_t maxCodepoints, Check check) {
    auto result = check(input);
    if (!result) return checkError(result.error());
    requireNfc(*result, "a checked field is valid NFC");
    require(codepointCount(*result) <= maxCodepoints, "a checked field is within its limit");
    auto again = check(*result);
    require(again && *again == *result, "a checked field is a fixed point");
}

void checkValidation(const Validation& v) {
    for (const FieldError& e : v.errors) {
        require(!e.field.empty(), "a field error names its field");
        checkError(e.error);
    }
    if (!v.ok()) return;
    requireNfc(v.record.identity.name, "the validated name is NFC");
    requireNfc(v.record.identity.address, "the validated address is NFC");
    requireNfc(v.record.content, "the validated content is NFC");
}

std::string part(const std::vector<std::string_view>& parts, size_t i) {
    return i < parts.size() ? std::string(parts[i]) : std::string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const std::string_view text = fuzz::asText(data + 1, size - 1);
    switch (data[0] % 10) {
        case 0: {
            auto cccd = validateCccd(text, kProvinces, kYear);
            if (!cccd) {
                checkError(cccd.error());
                break;
            }
            require(cccd->size() == 12 && allDigits(*cccd), "a CCCD is 12 digits");
            require(kProvinces.count(cccd->substr(0, 3)) == 1, "a CCCD's province is listed");
            auto again = validateCccd(*cccd, kProvinces, kYear);
            require(again && *again == *cccd, "a CCCD is a fixed point");
            break;
        }
        case 1: {
            auto phone = normalizePhone(text, kPrefixes);
            if (!phone) {
                checkError(phone.error());
                break;
            }
            require(phone->size() == 10 && (*phone)[0] == '0' && allDigits(*phone),
                    "a phone is 0 + 9 digits");
            require(kPrefixes.count(phone->substr(0, 3)) == 1, "a phone's prefix is listed");
            auto again = normalizePhone(*phone, kPrefixes);
            require(again && *again == *phone, "a phone is a fixed point");
            break;
        }
        case 2:
            checkText(text, 100, [&](std::string_view s) { return validateName(s, data[0] & 0x10); });
            break;
        case 3:
            checkText(text, 300, [&](std::string_view s) { return validateAddress(s, data[0] & 0x10); });
            break;
        case 4:
            checkText(text, 10000, [](std::string_view s) { return validateContent(s); });
            break;
        case 5: {
            const size_t limit = (data[0] >> 4) * 8 + 1;
            const bool newlines = data[0] & 0x08;
            checkText(text, limit, [&](std::string_view s) { return normalizeText(s, limit, newlines); });
            break;
        }
        case 6: {
            const std::string folded = foldForSearch(text);
            require(isValidUtf8(folded), "folded text is valid UTF-8");
            require(folded.empty() || (folded.front() != ' ' && folded.back() != ' '),
                    "folded text is trimmed");
            break;
        }
        case 7: {
            require(isValidUtf8(text) == isValidUtf8(toNfc(text)), "NFC keeps validity");
            const std::u32string points = toCodepoints(text);
            if (isValidUtf8(text)) {
                std::string back;
                for (char32_t c : points) appendUtf8(back, c);
                require(back == text, "code points re-encode to the same bytes");
                require(points.size() == codepointCount(text), "codepointCount counts code points");
                requireNfc(toNfc(text), "toNfc gives NFC");
            }
            break;
        }
        case 8: {
            const auto f = fuzz::split(text);
            PetitionInput input{part(f, 0), part(f, 1), part(f, 2), part(f, 3), part(f, 4), part(f, 5)};
            checkValidation(validatePetition(input, kProvinces, kPrefixes, kYear));
            break;
        }
        default: {
            const auto f = fuzz::split(text);
            DossierInput input{part(f, 0), part(f, 1), part(f, 2), part(f, 3), part(f, 4), part(f, 5)};
            checkValidation(
                validateDossier(input, kProvinces, kPrefixes, data[0] & 0x10, data[0] & 0x20, kYear));
            break;
        }
    }
    return 0;
}
