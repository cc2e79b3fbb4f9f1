#pragma once
// Citizen reception (tiếp công dân) sessions as the district holds them: those its own officers
// record (`district-server reception add`, the dashboard) and those the communes' kiosks send
// (`kioskctl reception add`, carried in the push request's "receptions" list).
//
// A reception is one lượt: one person, or a group received together, counted once, with the number
// of people beside it (docs/domain.md "What the district counts"). Its case (vụ việc) is either new or
// an existing record's code; distinct cases are counted as distinct case codes plus one per new
// case. Receptions are keyed by UUID, so a kiosk that resends one (its answer was lost) changes
// nothing.
// It is not: the report (report.h counts them) or HTTP. Free functions on a DistrictStore.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

enum class ReceptionLevel { District, Commune };  // tiếp công dân cấp huyện / cấp xã
std::string_view toSlug(ReceptionLevel level);    // "district" | "commune"

struct Reception {
    std::string uuid;
    ReceptionLevel level = ReceptionLevel::District;
    std::string commune;    // commune level: where received; district level: the citizens' commune, or ""
    std::string kioskId;    // commune level: the kiosk that sent it; "" at the district
    std::string officerId;  // the receiving officer (commune or district officer id)
    int64_t at = 0;         // unix seconds, when received (the recorder's clock)
    Date receivedOn;        // the local date of `at` (UTC+7), or the date the officer gave
    int people = 1;         // 1..1000
    std::string caseCode;   // "" = a new case (vụ việc mới); else the record's receipt code
    std::string kind;       // petition kind slug of the matter, or "" when not known
    std::string outcome;    // what was done (hướng dẫn, nhận đơn, trả lời...), free text ≤ 200
    std::string note;       // ≤ 2000
};

// Shape checks shared by every source: a UUID, 1..1000 people, a known kind slug or "", text
// that normalizes (NFC) within its limits. Returns the reception with its text normalized.
// Errors "reception.*", "text.*".
Result<Reception> normalizeReception(Reception reception);

// What an officer types at the district (`district-server reception add`, the dashboard).
struct DistrictReceptionInput {
    std::string officerId;     // a district officer (any role but admin)
    std::optional<Date> date;  // default: today (UTC+7)
    int people = 1;
    std::string caseCode;  // "new" or "" = new case; else a receipt or official code the district holds
    std::string kind;
    std::string outcome;
    std::string note;
    std::string commune;  // optional: the citizens' commune
};

// Records one district-level reception. A case code must name a record the district holds; its
// kind defaults to that record's petition kind. Errors: "officer.*", "record.unknown",
// "reception.*", "db.*".
Result<Reception> addDistrictReception(DistrictStore& store, const DistrictReceptionInput& input,
                                       const std::vector<std::string>& communeCodes, int64_t nowMs);

// Stores receptions a kiosk sent, each under the kiosk's commune, skipping those already held.
// Must run inside the caller's write transaction (the push's). Returns how many were new.
// A malformed one is skipped and counted in `refused`.
struct ReceptionIngest {
    int stored = 0;
    int duplicate = 0;
    int refused = 0;
};
Result<ReceptionIngest> storeKioskReceptions(DistrictStore& store, const KioskIdentity& kiosk,
                                             const std::vector<Reception>& receptions, int64_t nowMs);

// Receptions received between from and to inclusive (by receivedOn), oldest first.
Result<std::vector<Reception>> listReceptions(DistrictStore& store, const Date& from, const Date& to);

}  // namespace kiosk::district
