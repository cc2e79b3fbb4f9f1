// Which legal time limit is in force for a record in a given status (deadlines.h).
#include "core/deadlines.h"

namespace kiosk {
namespace {

// A limit of zero days is how the data says "not known" (e.g. a kind with no resolve limit of its
// own): the caller keeps the due date it had rather than inventing one.
bool known(const Limit& limit) { return limit.days > 0; }

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
                const bool remote = rules.remoteCommunes.count(record.commune) != 0;
                const Limit& limit =
                    remote ? (record.complex ? limits.resolveRemoteComplex : limits.resolveRemote)
                           : (record.complex ? limits.resolveComplex : limits.resolve);
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
            // Transferred: the receiving level sets its own clock when it accepts. InfoRequested:
            // the clock waits for the citizen. Final statuses: nothing is due.
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
            break;
        case PetitionKind::Denunciation:
            // Luật Tố cáo 2018, Điều 30; the accept limit is unconfirmed.
            limits.accept = Limit{7, true};
            limits.acceptConfirmed = false;
            limits.resolve = Limit{30, false};
            limits.extension = Limit{30, false};
            limits.maxExtensions = 2;
            break;
        case PetitionKind::Recommendation:
        case PetitionKind::Feedback:
            // Luật Tiếp công dân 2013, Điều 28: reply within 10 working days.
            limits.accept = Limit{10, true};
            break;
    }
    return limits;
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
        case RecordStatus::InfoRequested:
        case RecordStatus::SupplementRequested:
        case RecordStatus::Suspended:
        case RecordStatus::ResultReady:
            return false;
        default:
            return !isFinal(status);
    }
}

bool isOverdue(const Record& record, const Date& today) {
    return clockRunning(record.status) && record.due < today;
}

bool isDueSoon(const DeadlineRules& rules, const Record& record, const Date& today, int days) {
    if (!clockRunning(record.status) || record.due < today) return false;
    return rules.calendar.workingDaysBetween(today, record.due) <= days;
}

}  // namespace kiosk
