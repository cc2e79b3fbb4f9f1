#pragma once
// The agencies a petition may be transferred to (chuyển đơn): data with dates, never code
// (assets/agencies.tsv). A transfer event names one by its slug ("agency" in the payload); the
// state machine checks the slug against this list for the event's day, and the screens, kioskctl,
// district-server and the dashboard offer the agencies in force today. A transfer made before
// transfers named an agency has none and reads as "cơ quan có thẩm quyền" (agencyName).
// Pure; any thread.
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "common/result.h"

namespace kiosk {

struct Agency {
    std::string slug;               // lower-case ASCII letters, digits and "-": "thanh-tra-tinh"
    std::string vi;                 // "Thanh tra tỉnh Tuyên Quang"
    std::string en;                 // "Tuyên Quang Provincial Inspectorate"
    std::optional<Date> validFrom;  // nullopt: since before any record
    std::optional<Date> validTo;    // nullopt: still exists (a district body ended 2025-06-30)
};

// agencies.tsv: slug vi en valid_from valid_to [source]. Slugs are unique; both names required. The
// error names the line.
Result<std::vector<Agency>> parseAgencies(const std::string& text);

// The agency `slug` names if it exists on `day`, else nullptr.
const Agency* agencyOn(const std::vector<Agency>& agencies, const std::string& slug, const Date& day);
// The agencies that exist on `day`, in the file's order.
std::vector<const Agency*> agenciesOn(const std::vector<Agency>& agencies, const Date& day);
// The agency's name for people: its row's name whatever the day (an old record keeps the name it
// went to), or "cơ quan có thẩm quyền" / "the competent authority" when `slug` is "" or unknown.
std::string agencyName(const std::vector<Agency>& agencies, const std::string& slug, bool english = false);
// The error for a transfer naming no agency, or one that does not exist on `day`: both languages,
// listing the slugs in force that day.
Error unknownAgency(const std::vector<Agency>& agencies, const std::string& slug, const Date& day);
// What an officer's new transfer must carry: a slug of an agency that exists on `day`. (The state
// machine also reads transfers from before agencies were named, which carry none.)
Outcome checkTransferAgency(const std::vector<Agency>& agencies, const std::string& slug, const Date& day);

}  // namespace kiosk
