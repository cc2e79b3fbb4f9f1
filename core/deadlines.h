#pragma once
// Legal time limits (docs/domain.md "Petitions — four kinds, four sets of rules"): which deadline is
// in force for a record in a given status. The numbers are data (assets/petition_kinds.tsv), so a
// district can correct a limit whose legal wording is unconfirmed; this file only knows how to
// count. Pure.
#include <map>
#include <set>
#include <string>

#include "core/agencies.h"
#include "core/calendar.h"
#include "core/units.h"
#include "core/records.h"

namespace kiosk {

// A span of days, calendar or working.
struct Limit {
    int days = 0;
    bool working = false;  // true: skip weekends and holidays
};

struct PetitionLimits {
    Limit accept;          // from receipt to the accept/refuse decision (or the reply, kiến nghị)
    Limit resolve;         // from acceptance to resolution
    Limit resolveComplex;  // khiếu nại marked complex
    Limit resolveRemote;   // remote, hard-to-reach communes
    Limit resolveRemoteComplex;
    // Khiếu nại lần hai (a record linked to the first one): the same four, longer.
    Limit secondResolve;
    Limit secondResolveComplex;
    Limit secondResolveRemote;
    Limit secondResolveRemoteComplex;
    Limit extension;               // tố cáo: each extension
    int maxExtensions = 0;         // tố cáo classed especially complex: 2
    int maxExtensionsComplex = 0;  // tố cáo classed complex: 1 (a normal case has none)
    bool acceptConfirmed = true;   // false where the law's wording is unconfirmed (tố cáo accept)
    // Luật 136/2025/QH15: the first day of receipt from which a khiếu nại may be withdrawn in part,
    // and suspended (tạm đình chỉ) then resumed; nullopt: never (the data's partial_withdrawal_from,
    // suspension_from). Judged by the record's date of receipt, not the day of the action.
    std::optional<Date> partialWithdrawalFrom;
    std::optional<Date> suspensionFrom;
};

struct DeadlineRules {
    WorkingCalendar calendar;
    OfficeHours hours;
    std::map<PetitionKind, PetitionLimits> petitionLimits;
    std::set<std::string> remoteCommunes;          // commune codes flagged remote (off by default)
    std::map<std::string, Limit> procedureLimits;  // dossier processing time by procedure code
    // When the catalog gives no processing time: none (0 days), so the record gets no due date
    // (kNoDate) and the citizen is told an officer will give one; never an invented default.
    Limit defaultProcedureLimit{0, true};
    // The units and their successions: whose records a commune holds (core/holdings.h). Empty:
    // every commune holds its own records only.
    UnitMap units;
    // The agencies a transfer may name (agencies.tsv); a transfer event's "agency" must be one that
    // exists on the event's day.
    std::vector<Agency> agencies;
};

// The limits the law gives (docs/domain.md), used when the data has no row for a kind. Tố cáo's accept
// limit (7 working days) is the commonly cited figure, not confirmed: acceptConfirmed is false.
PetitionLimits defaultPetitionLimits(PetitionKind kind);

// The resolve period of an accepted khiếu nại as `complex` or not: first or second time (a record
// linked to the first, Luật Khiếu nại 2011 Điều 37), remote commune or not.
const Limit& complaintResolveLimit(const DeadlineRules& rules, const PetitionLimits& limits,
                                   const Record& record, bool complex);

// How many extensions a tố cáo of this class may have (Luật Tố cáo 2018, Điều 30; the numbers are
// data): normal 0, complex maxExtensionsComplex, especially complex maxExtensions.
int extensionsAllowed(const PetitionLimits& limits, Complexity complexity);

// The end of `limit` counted from `from` (which does not count): calendar days are added as they
// are, working days skip weekends and holidays. A calendar-day period may end on a day off; the
// Civil Code would move such an end to the next working day (Bộ luật Dân sự 2015, Điều 148 khoản 5)
// but whether that applies to these administrative limits is unconfirmed, so it is not done.
Date addLimit(const WorkingCalendar& calendar, const Date& from, const Limit& limit);

// The due date for `record` once it is in `status`, counting from `from` (the date the status was
// entered: receipt for Received, the decision date for Accepted, ...). For a status with no
// deadline (final ones, InfoRequested) returns record.due unchanged.
// Petitions use rules.petitionLimits, or defaultPetitionLimits when the kind has no row; a limit of
// 0 days means "unknown" and also leaves record.due unchanged. Dossiers count the procedure's limit
// from record.receivedOn (not `from`) in Received and Processing.
Date dueFor(const DeadlineRules& rules, const Record& record, RecordStatus status, const Date& from);

// Whether the record's legal clock is running: not final, and not waiting on a dossier's
// supplement (supplement-requested), stopped (suspended: a dossier, or a khiếu nại tạm đình chỉ),
// done (result-ready) or passed on (transferred: the transferring unit's clock stops, the receiving
// agency keeps its own). A petition's info-requested does not stop it: the law gives no pause.
bool clockRunning(RecordStatus status);
// Overdue is derived, never stored: a record whose clock runs and whose due date is before today.
// A record with no due date (kNoDate) is never overdue nor due soon.
bool isOverdue(const Record& record, const Date& today);
// Due within `days` working days (for "soon due" marks in officer queues).
bool isDueSoon(const DeadlineRules& rules, const Record& record, const Date& today, int days = 2);
// The due date of a khiếu nại resumed on `resumedOn` after a suspension since record.suspendedOn:
// what was left of its period then continues, counted as that period counts (calendar days for the
// resolve period the data gives in calendar days). A period that had run out before the suspension
// keeps its date. docs/domain.md "Suspension and partial withdrawal" (the product's reading).
Date resumedDue(const DeadlineRules& rules, const Record& record, const Date& resumedOn);

// What a record's due date is the deadline for, so every screen and paper names the same date the
// same way (strings.tsv "deadline.<slug>"): a received khiếu nại / tố cáo awaits the decision to
// accept it or not (thụ lý), a received kiến nghị / phản ánh its reply; an accepted petition (and
// one asked for more after acceptance) its resolution; a dossier the return of its results.
enum class DeadlineKind {
    Acceptance,  // thông báo thụ lý hay không
    Reply,       // trả lời
    Resolution,  // giải quyết
    Results,     // trả kết quả (a dossier)
};
DeadlineKind deadlineKind(const Record& record);
std::string_view toSlug(DeadlineKind kind);  // "acceptance" | "reply" | "resolution" | "results"

}  // namespace kiosk
