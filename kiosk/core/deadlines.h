#pragma once
// Legal time limits (DOMAIN.md "Petitions — four kinds, four sets of rules"): which deadline is
// in force for a record in a given status. The numbers are data (assets/petition_kinds.tsv), so a
// district can correct a limit whose legal wording is unconfirmed; this file only knows how to
// count. Pure.
#include <map>
#include <set>
#include <string>

#include "kiosk/core/calendar.h"
#include "kiosk/core/records.h"

namespace kiosk {

// A span of days, calendar or working.
struct Limit {
    int days = 0;
    bool working = false;  // true: skip weekends and holidays
};

struct PetitionLimits {
    Limit accept;            // from receipt to the accept/refuse decision (or the reply, kiến nghị)
    Limit resolve;           // from acceptance to resolution
    Limit resolveComplex;    // khiếu nại marked complex
    Limit resolveRemote;     // remote, hard-to-reach communes
    Limit resolveRemoteComplex;
    Limit extension;         // tố cáo: each extension
    int maxExtensions = 0;   // tố cáo: 2
    bool acceptConfirmed = true;  // false where the law's wording is unconfirmed (tố cáo accept)
};

struct DeadlineRules {
    WorkingCalendar calendar;
    OfficeHours hours;
    std::map<PetitionKind, PetitionLimits> petitionLimits;
    std::set<std::string> remoteCommunes;         // commune codes flagged remote (off by default)
    std::map<std::string, Limit> procedureLimits; // dossier processing time by procedure code
    Limit defaultProcedureLimit{5, true};         // when the catalog's time is unknown
};

// The due date for `record` once it is in `status`, counting from `from` (the date the status was
// entered: receipt for Received, the decision date for Accepted, ...). For a status with no
// deadline (final ones, InfoRequested) returns record.due unchanged.
Date dueFor(const DeadlineRules& rules, const Record& record, RecordStatus status, const Date& from);

// Overdue is derived, never stored: a non-final record whose due date is before today.
bool isOverdue(const Record& record, const Date& today);
// Due within `days` working days (for "soon due" marks in officer queues).
bool isDueSoon(const DeadlineRules& rules, const Record& record, const Date& today, int days = 2);

}  // namespace kiosk
