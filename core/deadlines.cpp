// Which legal time limit is in force for a record in a given status (deadlines.h).
#include "core/deadlines.h"

namespace kiosk {
namespace {

// A limit of zero days is how the data says "not known" (e.g. a kind with no resolve limit of its
// own): the caller keeps the due date it had rather than inventing one.
bool known(const Limit& limit) { return limit.days > 0; }

// The resolve period of a khiếu nại: first or second time (Luật Khiếu nại 2011, Điều 28 and 37),
// plain or remote commune, plain or complex.
const Limit& complaintLimit(const DeadlineRules& rules, const PetitionLimits& limits, const Record& record,
                            bool complex) {
    const bool remote = rules.remoteCommunes.count(record.commune) != 0;
    if (isSecondTime(record))
        return remote ? (complex ? limits.secondResolveRemoteComplex : limits.secondResolveRemote)
                      : (complex ? limits.secondResolveComplex : limits.secondResolve);
    return remote ? (complex ? limits.resolveRemoteComplex : limits.resolveRemote)
                  : (complex ? limits.resolveComplex : limits.resolve);
}

Date petitionDue(const DeadlineRules& rules, const Record& record, RecordStatus status, const Date& from) {
    const auto found = rules.petitionLimits.find(record.petitionKind);
    const PetitionLimits limits =
        found != rules.petitionLimits.end() ? found->second : defaultPetitionLimits(record.petitionKind);
    switch (status) {
        case RecordStatus::Received:
            // Khiếu nại / tố cáo: the accept-or-refuse decision; kiến nghị / phản ánh: the reply.
            return known(limits.accept) ? addLimit(rules.calendar, from, limits.accept) : record.due;
        case RecordStatus::Accepted: {
            if (record.petitionKind == PetitionKind::Complaint) {
                const Limit& limit = complaintLimit(rules, limits, record, record.complex);
                return known(limit) ? addLimit(rules.calendar, from, limit) : record.due;
            }
            if (!known(limits.resolve)) return record.due;
            Date end = addLimit(rules.calendar, from, limits.resolve);
            if (record.petitionKind == PetitionKind::Denunciation) {
                // Each extension is granted by a written decision (Luật Tố cáo 2018, Điều 30) and
                // continues the period; the state machine caps their number, this only counts.
                for (int i = 0; i < record.extensions; ++i) {
                    end = addLimit(rules.calendar, end, limits.extension);
                }
            }
            return end;
        }
        default:
            // Transferred: the receiving agency sets its own clock when it accepts. InfoRequested:
            // the period in force keeps running. Final statuses: nothing is due.
            return record.due;
    }
}

Date dossierDue(const DeadlineRules& rules, const Record& record, RecordStatus status) {
    switch (status) {
        case RecordStatus::Received:
        case RecordStatus::Processing: {
            // The procedure's processing time runs from receipt, not from when an officer starts.
            const auto found = rules.procedureLimits.find(record.procedureCode);
            const Limit& limit =
                found != rules.procedureLimits.end() ? found->second : rules.defaultProcedureLimit;
            return known(limit) ? addLimit(rules.calendar, record.receivedOn, limit) : record.due;
        }
        default:
            // SupplementRequested and Suspended wait on someone else; ResultReady and the final
            // statuses have nothing left to be late for.
            return record.due;
    }
}

}  // namespace

PetitionLimits defaultPetitionLimits(PetitionKind kind) {
    PetitionLimits limits;
    switch (kind) {
        case PetitionKind::Complaint:
            // Luật Khiếu nại 2011, Điều 27 (provincial procedures: working days) and Điều 28.
            limits.accept = Limit{10, true};
            limits.resolve = Limit{30, false};
            limits.resolveComplex = Limit{45, false};
            limits.resolveRemote = Limit{45, false};
            limits.resolveRemoteComplex = Limit{60, false};
            // Điều 37: the second time.
            limits.secondResolve = Limit{45, false};
            limits.secondResolveComplex = Limit{60, false};
            limits.secondResolveRemote = Limit{60, false};
            limits.secondResolveRemoteComplex = Limit{70, false};
            break;
        case PetitionKind::Denunciation:
            // Luật Tố cáo 2018, Điều 30; the accept limit is unconfirmed.
            limits.accept = Limit{7, true};
            limits.acceptConfirmed = false;
            limits.resolve = Limit{30, false};
            limits.extension = Limit{30, false};
            limits.maxExtensions = 2;         // especially complex
            limits.maxExtensionsComplex = 1;  // complex; a normal case has none
            break;
        case PetitionKind::Recommendation:
        case PetitionKind::Feedback:
            // Luật Tiếp công dân 2013, Điều 28: reply within 10 working days.
            limits.accept = Limit{10, true};
            break;
    }
    return limits;
}

const Limit& complaintResolveLimit(const DeadlineRules& rules, const PetitionLimits& limits,
                                   const Record& record, bool complex) {
    return complaintLimit(rules, limits, record, complex);
}

int extensionsAllowed(const PetitionLimits& limits, Complexity complexity) {
    switch (complexity) {
        case Complexity::Normal:
            return 0;  // Điều 30: only a complex case is extended
        case Complexity::Complex:
            return limits.maxExtensionsComplex;
        case Complexity::EspeciallyComplex:
            return limits.maxExtensions;
    }
    return 0;
}

Date addLimit(const WorkingCalendar& calendar, const Date& from, const Limit& limit) {
    return limit.working ? calendar.addWorkingDays(from, limit.days) : from.plusDays(limit.days);
}

Date dueFor(const DeadlineRules& rules, const Record& record, RecordStatus status, const Date& from) {
    return record.kind == RecordKind::Petition ? petitionDue(rules, record, status, from)
                                               : dossierDue(rules, record, status);
}

bool clockRunning(RecordStatus status) {
    switch (status) {
        // InfoRequested (petitions) is not here: the law gives no pause while the citizen is asked
        // for more (docs/domain.md "Asking the citizen for more"). A dossier's supplement request
        // does stop its clock.
        case RecordStatus::SupplementRequested:
        case RecordStatus::Suspended:
        case RecordStatus::ResultReady:
            return false;
        // Passed on: the transferring unit is done with it; whoever receives it keeps its own
        // clock (docs/domain.md "Transfers").
        case RecordStatus::Transferred:
            return false;
        default:
            return !isFinal(status);
    }
}

bool isOverdue(const Record& record, const Date& today) {
    return clockRunning(record.status) && hasDue(record) && record.due < today;
}

Date resumedDue(const DeadlineRules& rules, const Record& record, const Date& resumedOn) {
    if (!record.suspendedOn || !hasDue(record) || record.due <= *record.suspendedOn) return record.due;
    // The period in force is the resolve period (a khiếu nại is suspended once accepted); it counts
    // as the data says, calendar or working days.
    const auto found = rules.petitionLimits.find(record.petitionKind);
    const PetitionLimits limits =
        found != rules.petitionLimits.end() ? found->second : defaultPetitionLimits(record.petitionKind);
    const bool working = complaintLimit(rules, limits, record, record.complex).working;
    if (working) {
        const int left = rules.calendar.workingDaysBetween(*record.suspendedOn, record.due);
        return rules.calendar.addWorkingDays(resumedOn, left);
    }
    return resumedOn.plusDays(record.due.toDays() - record.suspendedOn->toDays());
}

bool isDueSoon(const DeadlineRules& rules, const Record& record, const Date& today, int days) {
    if (!clockRunning(record.status) || !hasDue(record) || record.due < today) return false;
    return rules.calendar.workingDaysBetween(today, record.due) <= days;
}

DeadlineKind deadlineKind(const Record& record) {
    if (record.kind == RecordKind::Dossier) return DeadlineKind::Results;
    // Acceptance replaces the accept-or-reply date with the resolve period (dueFor); before it (a
    // received petition, or one asked for more before a decision) the first date stands.
    if (record.acceptedOn || record.status == RecordStatus::Accepted) return DeadlineKind::Resolution;
    const bool decides =
        record.petitionKind == PetitionKind::Complaint || record.petitionKind == PetitionKind::Denunciation;
    return decides ? DeadlineKind::Acceptance : DeadlineKind::Reply;
}

std::string_view toSlug(DeadlineKind kind) {
    switch (kind) {
        case DeadlineKind::Acceptance:
            return "acceptance";
        case DeadlineKind::Reply:
            return "reply";
        case DeadlineKind::Resolution:
            return "resolution";
        case DeadlineKind::Results:
            return "results";
    }
    return "resolution";
}

}  // namespace kiosk
