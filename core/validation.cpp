// Field and record validation for what citizens type (validation.h).
//
// [SECTION] Helpers
// [SECTION] Single fields
// [SECTION] Whole records
#include "core/validation.h"

#include <utf8proc.h>

#include <algorithm>
#include <chrono>

#include "core/calendar.h"
#include "core/text.h"

namespace kiosk {

// [SECTION] Helpers -----------------------------------------------------------------------------

namespace {

// How a field is named in messages ("Họ và tên có ...").
struct FieldLabel {
    std::string_view code;  // "name"
    std::string_view vi;    // "Họ và tên"
    std::string_view en;    // "The name"
};

constexpr FieldLabel kName{"name", "Họ và tên", "The name"};
constexpr FieldLabel kAddress{"address", "Địa chỉ", "The address"};
constexpr FieldLabel kContent{"content", "Nội dung", "The content"};
constexpr FieldLabel kCccd{"cccd", "Số định danh cá nhân", "The personal identification number"};
constexpr FieldLabel kPhone{"phone", "Số điện thoại", "The phone number"};

std::string str(std::string_view s) { return std::string(s); }

// normalizeText's generic "text.*" errors, said about one field: "name.too-long", "Họ và tên dài
// quá: tối đa 100 ký tự."
Error fieldTextError(const Error& textError, const FieldLabel& label, size_t maxCodepoints) {
    const std::string code = textError.code;
    const std::string suffix = code.substr(code.find('.') + 1);
    const std::string vi = str(label.vi);
    const std::string en = str(label.en);
    if (suffix == "utf8") {
        return makeError(str(label.code) + ".utf8", vi + " có ký tự không đọc được.",
                         en + " contains unreadable characters.");
    }
    if (suffix == "newline") {
        return makeError(str(label.code) + ".newline", vi + " chỉ được viết trên một dòng.",
                         en + " must fit on a single line.");
    }
    if (suffix == "too-long") {
        const std::string limit = std::to_string(maxCodepoints);
        return makeError(str(label.code) + ".too-long", vi + " dài quá: tối đa " + limit + " ký tự.",
                         en + " is too long: at most " + limit + " characters.");
    }
    return makeError(str(label.code) + ".control", vi + " có ký tự không được phép (ký tự điều khiển, tab).",
                     en + " contains characters that are not allowed (control characters, tabs).");
}

Result<std::string> cleanText(std::string_view text, const FieldLabel& label, size_t maxCodepoints,
                              bool allowNewlines) {
    auto cleaned = normalizeText(text, maxCodepoints, allowNewlines);
    if (!cleaned) return fieldTextError(cleaned.error(), label, maxCodepoints);
    return cleaned;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isLetterOrMark(char32_t c) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
            return true;
        default:
            return false;
    }
}

bool isNumber(char32_t c) {
    const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    return category == UTF8PROC_CATEGORY_ND || category == UTF8PROC_CATEGORY_NL ||
           category == UTF8PROC_CATEGORY_NO;
}

}  // namespace

int currentYearUtc7() {
    const auto now = std::chrono::system_clock::now();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return localFromUnix(static_cast<int64_t>(seconds)).date.year;
}

const FieldError* Validation::errorFor(std::string_view field) const {
    for (const auto& error : errors) {
        if (error.field == field) return &error;
    }
    return nullptr;
}

// [SECTION] Single fields -----------------------------------------------------------------------

Result<std::string> validateCccd(std::string_view text, const std::set<std::string>& provinceCodes,
                                 int currentYear) {
    auto cleaned = cleanText(text, kCccd, 10000, false);
    if (!cleaned) return cleaned.error();
    std::string digits;
    for (char c : *cleaned) {
        if (c == ' ') continue;  // "008 123 456 789" as printed on some cards
        if (!isDigit(c)) {
            return makeError("cccd.digits", "Số định danh cá nhân chỉ gồm các chữ số 0-9.",
                             "A personal identification number has digits 0-9 only.");
        }
        digits.push_back(c);
    }
    if (digits.empty()) {
        return makeError("cccd.required", "Hãy nhập số định danh cá nhân (12 số trên thẻ căn cước).",
                         "Please enter the personal identification number (the 12 digits on the ID card).");
    }
    if (digits.size() != 12) {
        const std::string count = std::to_string(digits.size());
        if (digits.size() == 9) {
            return makeError(
                "cccd.length",
                "Số định danh cá nhân có 12 chữ số; số 9 chữ số là chứng minh nhân dân cũ. "
                "Hãy nhập số in trên thẻ căn cước.",
                "A personal identification number has 12 digits; 9 digits is an old ID card (CMND). "
                "Please enter the number printed on the ID card.");
        }
        return makeError("cccd.length",
                         "Số định danh cá nhân có 12 chữ số; bạn đã nhập " + count + " chữ số.",
                         "A personal identification number has 12 digits; you entered " + count + ".");
    }
    const std::string province = digits.substr(0, 3);
    if (provinceCodes.count(province) == 0) {
        return makeError(
            "cccd.province",
            "Ba chữ số đầu (" + province +
                ") không phải mã nơi đăng ký khai sinh nào. Hãy kiểm tra lại số định danh cá nhân.",
            "The first three digits (" + province +
                ") are not a place-of-registration code. Please check the personal identification number.");
    }
    const int centuryDigit = digits[3] - '0';
    if (centuryDigit > 5) {
        return makeError("cccd.century",
                         "Chữ số thứ tư (giới tính và thế kỷ sinh) phải từ 0 đến 5. Hãy kiểm tra "
                         "lại số định danh cá nhân.",
                         "The fourth digit (sex and century of birth) must be 0 to 5. Please "
                         "check the personal identification number.");
    }
    const int birthYear = 1900 + 100 * (centuryDigit / 2) + (digits[4] - '0') * 10 + (digits[5] - '0');
    if (birthYear > currentYear) {
        return makeError("cccd.year",
                         "Năm sinh trong số định danh cá nhân (" + std::to_string(birthYear) +
                             ") chưa tới. Hãy kiểm tra lại số định danh cá nhân.",
                         "The birth year in the personal identification number (" +
                             std::to_string(birthYear) +
                             ") is in the future. Please check the personal identification number.");
    }
    return digits;
}

Result<std::string> normalizePhone(std::string_view text, const std::set<std::string>& mobilePrefixes) {
    auto cleaned = cleanText(text, kPhone, 10000, false);
    if (!cleaned) return cleaned.error();
    bool plus = false;
    std::string digits;
    for (size_t i = 0; i < cleaned->size(); ++i) {
        const char c = (*cleaned)[i];
        if (c == ' ' || c == '.' || c == '-') continue;
        if (c == '+' && digits.empty() && !plus) {
            plus = true;
            continue;
        }
        if (!isDigit(c)) {
            return makeError("phone.characters",
                             "Số điện thoại chỉ gồm chữ số (có thể có dấu cách, dấu chấm, "
                             "gạch ngang hoặc +84 ở đầu).",
                             "A phone number has digits only (spaces, dots, dashes and a leading "
                             "+84 are fine).");
        }
        digits.push_back(c);
    }
    if (digits.empty()) {
        return makeError("phone.required", "Hãy nhập số điện thoại di động (10 chữ số).",
                         "Please enter a mobile phone number (10 digits).");
    }
    const bool international = digits.rfind("84", 0) == 0;
    if (plus && !international) {
        return makeError("phone.country", "Chỉ nhận số điện thoại di động Việt Nam (+84).",
                         "Only Vietnamese mobile numbers (+84) are accepted.");
    }
    std::string local;
    if (international && digits.size() == 11) {
        local = "0" + digits.substr(2);
    } else if (international && digits.size() == 12 && digits[2] == '0') {
        local = digits.substr(2);  // +84 0912 345 678: the trunk 0 written after the country code
    } else if (!plus && digits[0] == '0' && digits.size() == 10) {
        local = digits;
    } else {
        return makeError("phone.length",
                         "Số điện thoại di động có 10 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678).",
                         "A mobile number has 10 digits starting with 0 (e.g. 0912 345 678).");
    }
    const std::string prefix = local.substr(0, 3);
    if (mobilePrefixes.count(prefix) == 0) {
        return makeError("phone.prefix",
                         "Đầu số " + prefix +
                             " không phải đầu số di động Việt Nam. Hãy nhập số di động (không "
                             "nhận số máy bàn).",
                         "The prefix " + prefix +
                             " is not a Vietnamese mobile prefix. Please enter a mobile number "
                             "(landlines are not accepted).");
    }
    return local;
}

Result<std::string> validateName(std::string_view text, bool required) {
    constexpr size_t kMaxName = 100;
    auto cleaned = cleanText(text, kName, kMaxName, false);
    if (!cleaned) return cleaned;
    if (cleaned->empty()) {
        if (!required) return cleaned;
        return makeError("name.required", "Hãy nhập họ và tên.", "Please enter your full name.");
    }
    bool hasLetter = false;
    for (char32_t c : toCodepoints(*cleaned)) {
        if (isLetterOrMark(c)) {
            hasLetter = true;
            continue;
        }
        if (c == U' ' || c == U'.' || c == U'\'' || c == U'-' || c == 0x2019) continue;
        if (isNumber(c)) {
            return makeError("name.digits", "Họ và tên không được có chữ số.",
                             "A name cannot contain digits.");
        }
        return makeError("name.characters", "Họ và tên chỉ gồm chữ cái, dấu cách và các dấu . ' -",
                         "A name may contain only letters, spaces and . ' -");
    }
    if (!hasLetter) {
        return makeError("name.characters", "Họ và tên phải có chữ cái.", "A name must contain letters.");
    }
    return cleaned;
}

Result<std::string> validateAddress(std::string_view text, bool required) {
    constexpr size_t kMaxAddress = 300;
    auto cleaned = cleanText(text, kAddress, kMaxAddress, false);
    if (!cleaned) return cleaned;
    if (cleaned->empty() && required) {
        return makeError("address.required", "Hãy nhập địa chỉ.", "Please enter an address.");
    }
    return cleaned;
}

Result<std::string> validateContent(std::string_view text) {
    constexpr size_t kMinContent = 10;
    constexpr size_t kMaxContent = 10000;
    auto cleaned = cleanText(text, kContent, kMaxContent, true);
    if (!cleaned) return cleaned;
    if (cleaned->empty()) {
        return makeError("content.required", "Hãy viết nội dung đơn.",
                         "Please write what the petition is about.");
    }
    if (codepointCount(*cleaned) < kMinContent) {
        return makeError("content.too-short",
                         "Nội dung ngắn quá: hãy viết ít nhất 10 ký tự để cán bộ hiểu được sự việc.",
                         "The content is too short: write at least 10 characters so that an "
                         "officer can understand the matter.");
    }
    return cleaned;
}

// [SECTION] Whole records -----------------------------------------------------------------------

namespace {

// Runs one check; on success stores the value, on failure records the field's error.
template <class Check>
void field(Validation& validation, std::string_view name, std::string& target, Check&& check) {
    Result<std::string> result = check();
    if (result) {
        target = std::move(*result);
    } else {
        validation.errors.push_back(FieldError{std::string(name), result.error()});
    }
}

std::string trimmedAscii(std::string_view text) {
    size_t begin = 0, end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
    return std::string(text.substr(begin, end - begin));
}

}  // namespace

Validation validatePetition(const PetitionInput& input, const std::set<std::string>& provinces,
                            const std::set<std::string>& prefixes, int currentYear,
                            const IdentityRules& identity, const Date& today) {
    Validation v;
    v.record.kind = RecordKind::Petition;
    const auto kind = petitionKindFromSlug(trimmedAscii(input.kind));
    if (kind) {
        v.record.petitionKind = *kind;
    } else {
        v.errors.push_back(FieldError{
            "kind",
            makeError("kind.unknown", "Hãy chọn loại đơn: khiếu nại, tố cáo, kiến nghị hoặc phản ánh.",
                      "Choose the kind of petition: complaint, denunciation, "
                      "recommendation or feedback.")});
    }
    // Unknown kind: check what was typed without requiring it; the kind error already stops it.
    std::set<IdentityField> required;
    if (kind) required = requiredIdentity(identity, *kind, today);
    const auto needs = [&](IdentityField f) { return required.count(f) != 0; };
    Identity& who = v.record.identity;

    field(v, "name", who.name, [&]() -> Result<std::string> {
        auto name = validateName(input.name, needs(IdentityField::Name));
        if (!name && name.error().code == "name.required") {
            return makeError("name.required", "Đơn khiếu nại, tố cáo phải ghi rõ họ và tên người gửi.",
                             "A complaint or denunciation must give the sender's full name.");
        }
        return name;
    });
    field(v, "cccd", who.cccd, [&]() -> Result<std::string> {
        if (trimmedAscii(input.cccd).empty() && !needs(IdentityField::Cccd)) return std::string();
        auto cccd = validateCccd(input.cccd, provinces, currentYear);
        if (!cccd && cccd.error().code == "cccd.required") {
            return makeError("cccd.required",
                             "Đơn khiếu nại, tố cáo phải có số định danh cá nhân (12 số trên thẻ căn "
                             "cước) của người gửi.",
                             "A complaint or denunciation must give the sender's personal "
                             "identification number (the 12 digits on the ID card).");
        }
        return cccd;
    });
    // Without a phone nothing typed there is kept: the check PIN replaces it.
    field(v, "phone", who.phone, [&]() -> Result<std::string> {
        if (input.noPhone) return std::string();
        return normalizePhone(input.phone, prefixes);
    });
    field(v, "address", who.address, [&]() -> Result<std::string> {
        auto address = validateAddress(input.address, needs(IdentityField::Address));
        if (!address && address.error().code == "address.required") {
            return makeError("address.required",
                             "Đơn khiếu nại, tố cáo phải ghi địa chỉ của người gửi (thôn, xóm, xã).",
                             "A complaint or denunciation must give the sender's address (village, "
                             "commune).");
        }
        return address;
    });
    field(v, "content", v.record.content, [&] { return validateContent(input.content); });
    field(v, "writer", who.writerName, [&] { return validateName(input.writerName, false); });
    field(v, "writer", who.writerRelation, [&] {
        // A relation without a name says nothing: dropped.
        return input.writerName.empty() ? Result<std::string>(std::string())
                                        : validateName(input.writerRelation, false);
    });
    return v;
}

Validation validateDossier(const DossierInput& input, const std::set<std::string>& provinces,
                           const std::set<std::string>& prefixes, bool procedureExists, bool postalAllowed,
                           int currentYear) {
    Validation v;
    v.record.kind = RecordKind::Dossier;
    const std::string procedure = trimmedAscii(input.procedure);
    if (procedure.empty()) {
        v.errors.push_back(FieldError{
            "procedure", makeError("procedure.required", "Hãy chọn thủ tục.", "Choose a procedure.")});
    } else if (!procedureExists) {
        // Catalog ids are printable ASCII: anything else is not echoed, so the message stays valid
        // UTF-8 in NFC whatever was sent (fuzz/regressions/validation).
        const bool echo = procedure.size() <= 64 && std::all_of(procedure.begin(), procedure.end(),
                                                                [](char c) { return c > ' ' && c < 0x7f; });
        const std::string vi = echo ? " mã " + procedure : "";
        const std::string en = echo ? " " + procedure : "";
        v.errors.push_back(FieldError{
            "procedure", makeError("procedure.unknown", "Không có thủ tục" + vi + " trong danh mục của xã.",
                                   "There is no procedure" + en + " in the commune's catalog.")});
    }
    v.record.procedureCode = procedure;

    Identity& who = v.record.identity;
    field(v, "name", who.name, [&] { return validateName(input.name, true); });
    field(v, "phone", who.phone, [&]() -> Result<std::string> {
        if (input.noPhone) return std::string();  // the check PIN replaces it
        return normalizePhone(input.phone, prefixes);
    });
    field(v, "cccd", who.cccd, [&]() -> Result<std::string> {
        if (trimmedAscii(input.cccd).empty()) return std::string();
        return validateCccd(input.cccd, provinces, currentYear);
    });

    const std::string deliverySlug = trimmedAscii(input.delivery);
    const auto delivery =
        deliverySlug.empty() ? std::optional<Delivery>(Delivery::Counter) : deliveryFromSlug(deliverySlug);
    if (!delivery) {
        v.errors.push_back(FieldError{
            "delivery",
            makeError("delivery.unknown", "Hãy chọn cách nhận kết quả: trực tiếp tại xã hoặc qua bưu điện.",
                      "Choose how to receive the result: in person at the commune or by post.")});
    } else {
        v.record.delivery = *delivery;
        if (*delivery == Delivery::Post && !postalAllowed) {
            v.errors.push_back(
                FieldError{"delivery",
                           makeError("delivery.post-unavailable",
                                     "Thủ tục này chưa nhận trả kết quả qua bưu điện. Hãy nhận trực tiếp tại "
                                     "xã.",
                                     "This procedure's result cannot be sent by post yet. Please collect it "
                                     "in person at the commune.")});
        }
    }
    const bool post = delivery && *delivery == Delivery::Post;
    field(v, "address", who.address, [&]() -> Result<std::string> {
        auto address = validateAddress(input.address, post);
        if (!address && address.error().code == "address.required") {
            return makeError("address.required",
                             "Nhận kết quả qua bưu điện cần địa chỉ nhận: hãy nhập địa chỉ.",
                             "Delivery by post needs an address: please enter one.");
        }
        return address;
    });
    return v;
}

}  // namespace kiosk
