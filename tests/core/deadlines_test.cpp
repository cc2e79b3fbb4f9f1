// Which legal time limit is in force, per kind and status (docs/domain.md "Petitions — four kinds, four
// sets of rules"), counted on the published 2025 calendar.
#include <catch2/catch.hpp>

#include "core/deadlines.h"

using kiosk::Date;
using kiosk::DeadlineRules;
using kiosk::Limit;
using kiosk::PetitionKind;
using kiosk::Record;
using kiosk::RecordKind;
using kiosk::RecordStatus;

namespace {

Date d(const char* iso) {
    auto parsed = Date::parse(iso);
    REQUIRE(parsed.has_value());
    return *parsed;
}

// 2025's days off and make-up Saturday (holidays.tsv) and the limits of petition_kinds as the
// district ships them.
DeadlineRules rules2025() {
    std::set<Date> holidays;
    for (const char* iso :
         {"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-07",
          "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"}) {
        holidays.insert(d(iso));
    }
    DeadlineRules rules;
    rules.calendar = kiosk::WorkingCalendar(holidays, {d("2025-04-26")});
    for (auto kind : {PetitionKind::Complaint, PetitionKind::Denunciation, PetitionKind::Recommendation,
                      PetitionKind::Feedback}) {
        rules.petitionLimits[kind] = kiosk::defaultPetitionLimits(kind);
    }
    rules.procedureLimits["1.001193"] = Limit{3, true};    // khai sinh: 3 working days
    rules.procedureLimits["1.000656"] = Limit{20, false};  // a limit in calendar days
    return rules;
}

Record petition(PetitionKind kind) {
    Record record;
    record.kind = RecordKind::Petition;
    record.petitionKind = kind;
    record.commune = "02374";
    record.due = d("2000-01-01");  // a marker: "unchanged" returns exactly this
    return record;
}

Record dossier(const char* procedure, const char* receivedOn) {
    Record record;
    record.kind = RecordKind::Dossier;
    record.procedureCode = procedure;
    record.commune = "02374";
    record.receivedOn = d(receivedOn);
    record.due = d("2000-01-01");
    return record;
}

}  // namespace

TEST_CASE("default limits carry the law's numbers and mark tố cáo's accept unconfirmed", "[deadlines]") {
    const auto complaint = kiosk::defaultPetitionLimits(PetitionKind::Complaint);
    CHECK(complaint.accept.days == 10);
    CHECK(complaint.accept.working);
    CHECK(complaint.resolve.days == 30);
    CHECK_FALSE(complaint.resolve.working);
    CHECK(complaint.resolveComplex.days == 45);
    CHECK(complaint.resolveRemote.days == 45);
    CHECK(complaint.resolveRemoteComplex.days == 60);
    CHECK(complaint.acceptConfirmed);
    const auto denunciation = kiosk::defaultPetitionLimits(PetitionKind::Denunciation);
    CHECK_FALSE(denunciation.acceptConfirmed);
    CHECK(denunciation.resolve.days == 30);
    CHECK(denunciation.extension.days == 30);
    CHECK(denunciation.maxExtensions == 2);
    CHECK(kiosk::defaultPetitionLimits(PetitionKind::Feedback).accept.days == 10);
    CHECK(kiosk::defaultPetitionLimits(PetitionKind::Feedback).accept.working);
}

TEST_CASE("calendar-day limits count every day, working-day limits skip days off", "[deadlines]") {
    const auto rules = rules2025();
    CHECK(kiosk::addLimit(rules.calendar, d("2025-03-03"), Limit{30, false}) == d("2025-04-02"));
    // 7/3 + 30 is Sunday 6/4: the end is not moved (BLDS Điều 148 k5 is not applied, unconfirmed).
    CHECK(kiosk::addLimit(rules.calendar, d("2025-03-07"), Limit{30, false}) == d("2025-04-06"));
    CHECK(kiosk::addLimit(rules.calendar, d("2025-03-07"), Limit{30, true}) == d("2025-04-21"));
    CHECK(kiosk::addLimit(rules.calendar, d("2025-01-20"), Limit{10, true}) == d("2025-02-10"));
    CHECK(kiosk::addLimit(rules.calendar, d("2025-01-20"), Limit{0, true}) == d("2025-01-20"));
}

TEST_CASE("received petitions: the accept limit from the date of receipt", "[deadlines]") {
    auto rules = rules2025();
    SECTION("khiếu nại: 10 working days, across Tết") {
        auto record = petition(PetitionKind::Complaint);
        CHECK(kiosk::dueFor(rules, record, RecordStatus::Received, d("2025-01-20")) == d("2025-02-10"));
        CHECK(kiosk::dueFor(rules, record, RecordStatus::Received, d("2025-03-03")) == d("2025-03-17"));
    }
    SECTION("tố cáo: whatever the data says") {
        auto record = petition(PetitionKind::Denunciation);
        CHECK(kiosk::dueFor(rules, record, RecordStatus::Received, d("2025-03-03")) ==
              d("2025-03-12"));  // 7 working days
        rules.petitionLimits[PetitionKind::Denunciation].accept = Limit{10, true};
        CHECK(kiosk::dueFor(rules, record, RecordStatus::Received, d("2025-03-03")) == d("2025-03-17"));
        rules.petitionLimits[PetitionKind::Denunciation].accept = Limit{0, true};  // unknown
        CHECK(kiosk::dueFor(rules, record, RecordStatus::Received, d("2025-03-03")) == record.due);
    }
    SECTION("kiến nghị and phản ánh: the reply in 10 working days, counting a make-up Saturday") {
        // 26/4 (make-up) 1, 28/4 2, 29/4 3, 5/5..9/5 4-8, 12/5 9, 13/5 10.
        for (auto kind : {PetitionKind::Recommendation, PetitionKind::Feedback}) {
            auto record = petition(kind);
            CHECK(kiosk::dueFor(rules, record, RecordStatus::Received, d("2025-04-25")) == d("2025-05-13"));
        }
    }
    SECTION("a kind missing from the data falls back to the law's numbers") {
        rules.petitionLimits.clear();
        auto record = petition(PetitionKind::Complaint);
        CHECK(kiosk::dueFor(rules, record, RecordStatus::Received, d("2025-01-20")) == d("2025-02-10"));
    }
}

TEST_CASE("accepted khiếu nại: 30/45 days, remote 45/60", "[deadlines]") {
    auto rules = rules2025();
    auto record = petition(PetitionKind::Complaint);
    const Date accepted = d("2025-03-03");
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-04-02"));
    record.complex = true;
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-04-17"));
    rules.remoteCommunes.insert("02374");
    record.complex = false;
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-04-17"));
    record.complex = true;
    // 60 calendar days: Friday 2/5, a holiday, counted as it falls.
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-05-02"));
    // Another commune is not remote.
    record.commune = "02377";
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-04-17"));
}

TEST_CASE("accepted tố cáo: 30 days plus each extension", "[deadlines]") {
    const auto rules = rules2025();
    auto record = petition(PetitionKind::Denunciation);
    const Date accepted = d("2025-03-03");
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-04-02"));
    record.extensions = 1;  // 60 days
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-05-02"));
    record.extensions = 2;  // 90 days
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-06-01"));
    // Extensions in working days, if the district sets them so, skip days off.
    auto working = rules;
    working.petitionLimits[PetitionKind::Denunciation].extension = Limit{5, true};
    record.extensions = 1;  // 2/4 + 5 working days: 3, 4, 8 (7/4 Giỗ Tổ), 9, 10
    CHECK(kiosk::dueFor(working, record, RecordStatus::Accepted, accepted) == d("2025-04-10"));
    // complex is a khiếu nại notion; it does not lengthen a tố cáo.
    record.extensions = 0;
    record.complex = true;
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-04-02"));
}

TEST_CASE("kiến nghị with no resolve limit keeps the reply deadline when accepted", "[deadlines]") {
    const auto rules = rules2025();
    auto record = petition(PetitionKind::Recommendation);
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, d("2025-03-03")) == record.due);
}

TEST_CASE("statuses with no clock of their own keep the due date", "[deadlines]") {
    const auto rules = rules2025();
    for (auto kind : {PetitionKind::Complaint, PetitionKind::Denunciation, PetitionKind::Feedback}) {
        auto record = petition(kind);
        for (auto status : {RecordStatus::Transferred, RecordStatus::InfoRequested, RecordStatus::Resolved,
                            RecordStatus::NotAccepted, RecordStatus::Withdrawn}) {
            CHECK(kiosk::dueFor(rules, record, status, d("2025-03-03")) == record.due);
        }
    }
    auto record = dossier("1.001193", "2025-03-03");
    for (auto status : {RecordStatus::SupplementRequested, RecordStatus::Suspended, RecordStatus::ResultReady,
                        RecordStatus::Delivered, RecordStatus::Refused}) {
        CHECK(kiosk::dueFor(rules, record, status, d("2025-03-10")) == record.due);
    }
}

TEST_CASE("dossiers: the procedure's limit from the date of receipt", "[deadlines]") {
    auto rules = rules2025();
    auto record = dossier("1.001193", "2025-01-24");
    // 3 working days from Friday 24/1, after Tết: 3/2, 4/2, 5/2.
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Received, d("2025-01-24")) == d("2025-02-05"));
    // Processing counts from receipt too, whatever day the officer starts.
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Processing, d("2025-02-04")) == d("2025-02-05"));
    // Calendar days: 20 days from 7/3 is Thursday 27/3.
    auto calendarDays = dossier("1.000656", "2025-03-07");
    CHECK(kiosk::dueFor(rules, calendarDays, RecordStatus::Received, d("2025-03-07")) == d("2025-03-27"));
    // Unknown procedure: no limit is invented; the due date stays what it was.
    auto unknown = dossier("9.999999", "2025-03-03");
    CHECK(kiosk::dueFor(rules, unknown, RecordStatus::Received, d("2025-03-03")) == unknown.due);
}

TEST_CASE("overdue is derived from the due date and the status", "[deadlines]") {
    auto record = petition(PetitionKind::Complaint);
    record.status = RecordStatus::Accepted;
    record.due = d("2025-04-02");
    CHECK_FALSE(kiosk::isOverdue(record, d("2025-04-01")));
    CHECK_FALSE(kiosk::isOverdue(record, d("2025-04-02")));  // due today is not late yet
    CHECK(kiosk::isOverdue(record, d("2025-04-03")));
    for (auto final : {RecordStatus::Resolved, RecordStatus::NotAccepted, RecordStatus::Withdrawn,
                       RecordStatus::Delivered, RecordStatus::Refused}) {
        record.status = final;
        CHECK_FALSE(kiosk::isOverdue(record, d("2025-04-03")));
    }
}

TEST_CASE("due soon counts working days", "[deadlines]") {
    const auto rules = rules2025();
    auto record = petition(PetitionKind::Complaint);
    record.status = RecordStatus::Received;
    const Date friday = d("2025-03-07");
    record.due = d("2025-03-11");  // Tuesday: 2 working days after Friday
    CHECK(kiosk::isDueSoon(rules, record, friday));
    record.due = d("2025-03-12");  // Wednesday: 3
    CHECK_FALSE(kiosk::isDueSoon(rules, record, friday));
    CHECK(kiosk::isDueSoon(rules, record, friday, 3));
    record.due = friday;  // due today
    CHECK(kiosk::isDueSoon(rules, record, friday));
    record.due = d("2025-03-06");  // already overdue: not "soon"
    CHECK_FALSE(kiosk::isDueSoon(rules, record, friday));
    // Over Tết: due 4/2 is 2 working days after 24/1.
    record.due = d("2025-02-04");
    CHECK(kiosk::isDueSoon(rules, record, d("2025-01-24")));
    record.status = RecordStatus::Resolved;
    CHECK_FALSE(kiosk::isDueSoon(rules, record, d("2025-01-24")));
}

TEST_CASE("a request for information does not stop a petition's legal clock", "[deadlines]") {
    // The law gives no pause for it (docs/domain.md "Asking the citizen for more"): a petition
    // waiting on the citizen past its due date is overdue like any other.
    auto record = petition(PetitionKind::Complaint);
    record.status = RecordStatus::InfoRequested;
    record.due = d("2025-04-02");
    CHECK(kiosk::isOverdue(record, d("2025-04-03")));
    CHECK_FALSE(kiosk::isOverdue(record, d("2025-04-02")));
}

TEST_CASE("a procedure whose processing time is unknown gets no due date", "[deadlines]") {
    const auto rules = rules2025();
    auto unknown = dossier("9.999999", "2025-03-03");
    unknown.due = kiosk::kNoDate;
    const Date due = kiosk::dueFor(rules, unknown, RecordStatus::Received, d("2025-03-03"));
    CHECK(due == kiosk::kNoDate);
    unknown.due = due;
    CHECK_FALSE(kiosk::hasDue(unknown));
    unknown.status = RecordStatus::Processing;
    // No date, so never overdue nor due soon, however late it is.
    CHECK_FALSE(kiosk::isOverdue(unknown, d("2030-01-01")));
    CHECK_FALSE(kiosk::isDueSoon(rules, unknown, d("2025-03-03")));
    // A new record starts with no due date at all.
    CHECK_FALSE(kiosk::hasDue(Record{}));
}

TEST_CASE("second-time khiếu nại: 45/60 days, remote 60/70, from the data", "[deadlines]") {
    auto rules = rules2025();
    auto record = petition(PetitionKind::Complaint);
    record.linkedCode = "0237400000000001";  // the first complaint
    const Date accepted = d("2025-03-03");
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-04-17"));  // 45
    record.complex = true;
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-05-02"));  // 60
    rules.remoteCommunes.insert("02374");
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-05-12"));  // 70
    record.complex = false;
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-05-02"));  // 60
    rules.petitionLimits[PetitionKind::Complaint].secondResolveRemote = Limit{50, false};
    CHECK(kiosk::dueFor(rules, record, RecordStatus::Accepted, accepted) == d("2025-04-22"));
}

TEST_CASE("core: a due date is named by what it is the deadline for") {
    using kiosk::DeadlineKind;
    Record r;
    r.kind = RecordKind::Petition;
    r.status = RecordStatus::Received;
    r.petitionKind = PetitionKind::Complaint;
    CHECK(kiosk::deadlineKind(r) == DeadlineKind::Acceptance);
    r.petitionKind = PetitionKind::Denunciation;
    CHECK(kiosk::deadlineKind(r) == DeadlineKind::Acceptance);
    r.petitionKind = PetitionKind::Recommendation;
    CHECK(kiosk::deadlineKind(r) == DeadlineKind::Reply);
    r.status = RecordStatus::InfoRequested;  // asked for more before any decision: the first date stands
    CHECK(kiosk::deadlineKind(r) == DeadlineKind::Reply);
    r.petitionKind = PetitionKind::Complaint;
    r.status = RecordStatus::Accepted;
    r.acceptedOn = d("2025-03-03");
    CHECK(kiosk::deadlineKind(r) == DeadlineKind::Resolution);
    r.status = RecordStatus::InfoRequested;
    CHECK(kiosk::deadlineKind(r) == DeadlineKind::Resolution);
    r.kind = RecordKind::Dossier;
    r.status = RecordStatus::Received;
    CHECK(kiosk::deadlineKind(r) == DeadlineKind::Results);
    CHECK(kiosk::toSlug(DeadlineKind::Results) == "results");
}
