#pragma once
// What citizens may type into each field of a petition or dossier (docs/domain.md "Validating what
// citizens type"), and the normal form it is stored in. Every refusal is an Error with a stable
// code ("cccd.province", "phone.prefix", "name.required", ...) and a message in Vietnamese and
// English that tells the citizen how to fix it. Reference lists (CCCD province codes, mobile
// prefixes) are data passed in, never built in. Called by kioskctl and the kiosk's forms (which
// show one message per field) and by the district when it imports; pure, safe from any thread.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/identity_rules.h"
#include "core/records.h"
#include "common/result.h"

namespace kiosk {

// The calendar year now at UTC+7, from the system clock.
int currentYearUtc7();

// A 12-digit CCCD (căn cước công dân): 3 digits of the province where the birth was registered
// (must be in provinceCodes), 1 digit of century and sex (0/1 1900s, 2/3 2000s, 4/5 2100s), 2 digits
// of birth year (the year may not be after currentYear), 6 digits. Spaces are ignored. Returns the
// 12 digits. Codes: cccd.required (empty), cccd.digits, cccd.length, cccd.province, cccd.century,
// cccd.year.
Result<std::string> validateCccd(std::string_view text, const std::set<std::string>& provinceCodes,
                                 int currentYear = currentYearUtc7());

// A Vietnamese mobile number typed as 0xxxxxxxxx, 84xxxxxxxxx or +84xxxxxxxxx (also +84 0xxxxxxxxx),
// with any spaces, dots and dashes. Returns "0" + 9 digits. The prefix (first 3 digits with the 0,
// e.g. "032") must be in mobilePrefixes: landlines are refused. Codes: phone.required,
// phone.characters, phone.country, phone.length, phone.prefix.
Result<std::string> normalizePhone(std::string_view text, const std::set<std::string>& mobilePrefixes);

// A person's name: NFC, 1..100 code points of letters (with their marks), spaces and . ' - only.
// Returns "" for an empty optional name. Codes: name.required, name.digits, name.characters,
// name.too-long, name.utf8, name.control, name.newline.
Result<std::string> validateName(std::string_view text, bool required);

// An address: free text on one line, at most 300 code points. Codes: address.required,
// address.too-long, address.utf8, address.control, address.newline.
Result<std::string> validateAddress(std::string_view text, bool required);

// The content of a petition: required, 10..10000 code points, line breaks kept. Codes:
// content.required, content.too-short, content.too-long, content.utf8, content.control.
Result<std::string> validateContent(std::string_view text);

// What the citizen typed, as the CLI and the kiosk's forms collect it.
struct PetitionInput {
    std::string kind;  // slug: khieu-nai | to-cao | kien-nghi | phan-anh
    std::string name;
    std::string cccd;
    std::string phone;
    std::string address;
    std::string content;
    std::string firstCode;  // khiếu nại lần hai: the first complaint's receipt or official code, or ""
    // "Tôi không có điện thoại": no phone is asked or kept; the kiosk issues a 4-digit check PIN
    // that stands in for the phone's last 4 digits in the status check (kiosk/store createRecord).
    bool noPhone = false;
    // Người viết hộ (nếu có): who wrote it for the citizen, and their relation; both optional,
    // checked as names are. Sealed with the identity.
    std::string writerName;
    std::string writerRelation;
};

struct DossierInput {
    std::string procedure;  // catalog id
    std::string name;
    std::string phone;
    std::string cccd;
    std::string delivery;  // "counter" (also when empty) | "post"
    std::string address;
    // "Không có điện thoại", as on the petition form: no phone is asked or kept, and the receipt
    // carries a 4-digit check PIN for the status check (kiosk/store createRecord).
    bool noPhone = false;
};

struct FieldError {
    std::string field;  // "kind", "procedure", "name", "cccd", "phone", "address", "content",
                        // "delivery": the form field to mark
    Error error;
};

struct Validation {
    Record record;                   // the fields that passed, in normal form
    std::vector<FieldError> errors;  // every field that did not, in form order
    bool ok() const { return errors.empty(); }
    // The first error for `field`, or nullptr.
    const FieldError* errorFor(std::string_view field) const;
};

// Checks every field (all errors at once, so a form can mark them all) and fills record.kind,
// petitionKind, identity and content. The identity fields a kind requires on `today` come from
// `identity` (petition_kinds.tsv; a kind it lacks gets defaultIdentityRule(): name and CCCD for
// khiếu nại and tố cáo); the phone is required unless input.noPhone. Codes for a missing field: name.required,
// cccd.required, address.required. The receipt code, commune and dates are the caller's.
Validation validatePetition(const PetitionInput& input, const std::set<std::string>& provinces,
                            const std::set<std::string>& prefixes, int currentYear = currentYearUtc7(),
                            const IdentityRules& identity = {}, const Date& today = {});

// Fills record.kind, procedureCode, delivery and identity. The name is required, and the phone
// unless input.noPhone; the CCCD is checked when given. Delivery by post needs an address and a procedure that allows it
// (postalAllowed: the catalog says yes).
Validation validateDossier(const DossierInput& input, const std::set<std::string>& provinces,
                           const std::set<std::string>& prefixes, bool procedureExists, bool postalAllowed,
                           int currentYear = currentYearUtc7());

}  // namespace kiosk
