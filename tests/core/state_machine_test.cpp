// Every allowed and every forbidden transition of both state machines: the expected table below is
// written independently of state_machine.cpp, and every (status, action, role) combination is
// checked against it.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <tuple>

#include "core/state_machine.h"
#include "core/reference_data.h"

#include <algorithm>

using namespace kiosk;
using S = RecordStatus;
using A = Action;

namespace {

const std::vector<S> kPetitionStatuses{S::Received, S::Accepted,    S::InfoRequested, S::Transferred,
                                       S::Resolved, S::NotAccepted, S::Withdrawn,     S::Suspended};
const std::vector<S> kDossierStatuses{S::Received,    S::Processing, S::SupplementRequested,
                                      S::ResultReady, S::Delivered,  S::Refused,
                                      S::Suspended};
const std::vector<A> kActions{A::Accept,  A::Reject,     A::RequestInfo, A::Resolve,  A::Transfer,
                              A::Extend,  A::Withdraw,   A::Process,     A::Ready,    A::Deliver,
                              A::Suspend, A::AssignCode, A::Submit,      A::Register, A::WithdrawPart,
                              A::Resume,  A::MarkSigned};
const std::vector<Role> kRoles{Role::Kiosk, Role::CommuneOfficer, Role::DistrictOfficer};

using Key = std::tuple<S, A, Role>;

// Petition transitions for a complaint (khiếu nại) with no extension yet.
std::map<Key, S> complaintTable() {
    std::map<Key, S> t;
    for (Role r : {Role::CommuneOfficer, Role::DistrictOfficer}) {
        for (S from : {S::Received, S::InfoRequested}) {
            t[{from, A::Accept, r}] = S::Accepted;
            t[{from, A::Reject, r}] = S::NotAccepted;
            t[{from, A::Withdraw, r}] = S::Withdrawn;
        }
        t[{S::Received, A::RequestInfo, r}] = S::InfoRequested;
        t[{S::Accepted, A::RequestInfo, r}] = S::InfoRequested;
        t[{S::Accepted, A::Resolve, r}] = S::Resolved;
        t[{S::Accepted, A::Extend, r}] = S::Accepted;
        t[{S::Accepted, A::Withdraw, r}] = S::Withdrawn;
    }
    for (S from : {S::Received, S::InfoRequested, S::Accepted}) {
        t[{from, A::Transfer, Role::CommuneOfficer}] = S::Transferred;
        t[{from, A::Transfer, Role::DistrictOfficer}] = S::Transferred;
    }
    // The server passes on what reached it, to the agency the event names.
    t[{S::Transferred, A::Transfer, Role::DistrictOfficer}] = S::Transferred;
    // Luật 136/2025/QH15 (whether the record is recent enough is applyEvent's, from the data):
    // part of the complaint withdrawn, the rest open; suspension of an accepted one and resumption.
    for (Role r : {Role::CommuneOfficer, Role::DistrictOfficer}) {
        for (S from : {S::Received, S::Accepted, S::InfoRequested, S::Suspended})
            t[{from, A::WithdrawPart, r}] = from;
        t[{S::Accepted, A::Suspend, r}] = S::Suspended;
        t[{S::Suspended, A::Resume, r}] = S::Accepted;
        t[{S::Suspended, A::Withdraw, r}] = S::Withdrawn;
    }
    // Đã ký/điểm chỉ: the commune's officer at the counter vouches for the paper; nothing moves.
    for (S from : {S::Received, S::Accepted, S::InfoRequested, S::Suspended})
        t[{from, A::MarkSigned, Role::CommuneOfficer}] = from;
    // Only the district acts on a transferred petition.
    t[{S::Transferred, A::Accept, Role::DistrictOfficer}] = S::Accepted;
    t[{S::Transferred, A::Reject, Role::DistrictOfficer}] = S::NotAccepted;
    t[{S::Transferred, A::RequestInfo, Role::DistrictOfficer}] = S::InfoRequested;
    t[{S::Transferred, A::Resolve, Role::DistrictOfficer}] = S::Resolved;
    t[{S::Transferred, A::Withdraw, Role::DistrictOfficer}] = S::Withdrawn;
    return t;
}

std::map<Key, S> dossierTable() {
    std::map<Key, S> t;
    for (Role r : {Role::CommuneOfficer, Role::DistrictOfficer}) {
        for (S from : {S::Received, S::SupplementRequested, S::Suspended})
            t[{from, A::Process, r}] = S::Processing;
        t[{S::Received, A::RequestInfo, r}] = S::SupplementRequested;
        t[{S::Processing, A::RequestInfo, r}] = S::SupplementRequested;
        t[{S::Processing, A::Ready, r}] = S::ResultReady;
        t[{S::Processing, A::Resolve, r}] = S::ResultReady;
        t[{S::ResultReady, A::Deliver, r}] = S::Delivered;
        for (S from : {S::Received, S::Processing, S::SupplementRequested})
            t[{from, A::Reject, r}] = S::Refused;
        t[{S::Processing, A::Suspend, r}] = S::Suspended;
    }
    // The district assigns the official code in any status; the status does not change.
    for (S s : kDossierStatuses) t[{s, A::AssignCode, Role::DistrictOfficer}] = s;
    return t;
}

void checkAll(Record record, const std::vector<S>& statuses, const std::map<Key, S>& table) {
    int allowed = 0, forbidden = 0;
    for (S from : statuses)
        for (A action : kActions)
            for (Role role : kRoles) {
                record.status = from;
                auto result = nextStatus(record, action, role);
                auto expected = table.find({from, action, role});
                INFO("from " << toSlug(from) << " action " << toSlug(action) << " role " << toSlug(role));
                if (expected != table.end()) {
                    REQUIRE(result.ok());
                    CHECK(*result == expected->second);
                    ++allowed;
                } else {
                    REQUIRE_FALSE(result.ok());
                    CHECK_FALSE(result.error().vi.empty());
                    CHECK_FALSE(result.error().en.empty());
                    ++forbidden;
                }
            }
    CHECK(allowed == int(table.size()));
    CHECK(forbidden > allowed);
}

}  // namespace

TEST_CASE("complaint: every allowed and forbidden transition") {
    Record r;
    r.kind = RecordKind::Petition;
    r.petitionKind = PetitionKind::Complaint;
    checkAll(r, kPetitionStatuses, complaintTable());
}

TEST_CASE("recommendation and feedback: the reply resolves straight from received") {
    for (PetitionKind kind : {PetitionKind::Recommendation, PetitionKind::Feedback}) {
        Record r;
        r.petitionKind = kind;
        auto table = complaintTable();
        for (Role role : {Role::CommuneOfficer, Role::DistrictOfficer}) {
            table[{S::Received, A::Resolve, role}] = S::Resolved;
            table[{S::InfoRequested, A::Resolve, role}] = S::Resolved;
            table.erase({S::Accepted, A::Extend, role});  // only complaints and denunciations
            // Partial withdrawal and suspension are a complaint's.
            for (S from : {S::Received, S::Accepted, S::InfoRequested, S::Suspended})
                table.erase({from, A::WithdrawPart, role});
            table.erase({S::Accepted, A::Suspend, role});
            table.erase({S::Suspended, A::Resume, role});
            // No thụ lý step (Luật Tiếp công dân 2013, Điều 28): neither accept nor its refusal.
            for (S from : {S::Received, S::InfoRequested, S::Transferred}) {
                table.erase({from, A::Accept, role});
                table.erase({from, A::Reject, role});
            }
        }
        checkAll(r, kPetitionStatuses, table);
    }
}

TEST_CASE("denunciation: extensions by class, complaint: complex once") {
    Record r;
    r.petitionKind = PetitionKind::Denunciation;
    r.status = S::Accepted;
    // A tố cáo may be extended while accepted; how many times is judged by applyEvent from its
    // class and the data (see "a tố cáo is extended as its class allows").
    CHECK(nextStatus(r, A::Extend, Role::CommuneOfficer).ok());
    r.petitionKind = PetitionKind::Complaint;
    r.extensions = 0;
    r.complex = true;
    CHECK_FALSE(nextStatus(r, A::Extend, Role::CommuneOfficer).ok());
}

TEST_CASE("dossier: every allowed and forbidden transition") {
    Record r;
    r.kind = RecordKind::Dossier;
    checkAll(r, kDossierStatuses, dossierTable());
}

TEST_CASE("applyEvent folds a petition's life and refuses what the machine forbids") {
    DeadlineRules rules;
    PetitionLimits complaint;
    complaint.accept = {10, true};
    complaint.resolve = {30, false};
    complaint.resolveComplex = {45, false};
    complaint.resolveRemote = {45, false};
    complaint.resolveRemoteComplex = {60, false};
    rules.petitionLimits[PetitionKind::Complaint] = complaint;

    Record draft;
    draft.code = "0237400000000010";
    draft.kind = RecordKind::Petition;
    draft.petitionKind = PetitionKind::Complaint;
    draft.commune = "02374";
    draft.submittedAt = 1764122400;  // 2025-11-26 09:00 +07:00, a Wednesday
    draft.content = "Nội dung khiếu nại về đất đai";
    draft.identity = Identity{"Nguyễn Văn A", "008090001234", "0912345678", ""};

    Event submit;
    submit.uuid = newUuid();
    submit.recordCode = draft.code;
    submit.action = A::Submit;
    submit.actor = Actor{Role::Kiosk, "k1"};
    submit.payload = recordToPayload(draft);
    auto created = applyEvent(std::nullopt, submit, rules);
    REQUIRE(created.ok());
    CHECK(created->status == S::Received);
    CHECK(created->receivedOn == Date{2025, 11, 26});
    CHECK(created->due == Date{2025, 12, 10});  // 10 working days
    CHECK(created->identity.name == "Nguyễn Văn A");

    // Submitting the same code twice is refused.
    CHECK_FALSE(applyEvent(created.value(), submit, rules).ok());

    Event accept = submit;
    accept.uuid = newUuid();
    accept.action = A::Accept;
    accept.actor = Actor{Role::CommuneOfficer, "cb01"};
    accept.at = 1764295200;  // 2025-11-28 09:00 +07:00
    accept.payload = nlohmann::json::object();
    auto accepted = applyEvent(created.value(), accept, rules);
    REQUIRE(accepted.ok());
    CHECK(accepted->status == S::Accepted);
    CHECK(accepted->due == Date{2025, 12, 28});  // 30 calendar days

    Event kiosk = accept;
    kiosk.actor = Actor{Role::Kiosk, "k1"};
    CHECK_FALSE(applyEvent(accepted.value(), kiosk, rules).ok());

    Event extend = accept;
    extend.action = A::Extend;
    CHECK_FALSE(applyEvent(accepted.value(), extend, rules).ok());  // needs a written reason
    extend.payload = {{"note", "Vụ việc phức tạp"}};
    auto extended = applyEvent(accepted.value(), extend, rules);
    REQUIRE(extended.ok());
    CHECK(extended->complex);
    CHECK(extended->due == Date{2026, 1, 12});  // 45 days from acceptance

    Event resolve = accept;
    resolve.action = A::Resolve;
    resolve.payload = {{"note", "Đã giải quyết"}};
    auto resolved = applyEvent(extended.value(), resolve, rules);
    REQUIRE(resolved.ok());
    CHECK(resolved->status == S::Resolved);
    CHECK(resolved->resultNote == "Đã giải quyết");
    CHECK(isFinal(resolved->status));
    CHECK_FALSE(applyEvent(resolved.value(), accept, rules).ok());
}

TEST_CASE("events round-trip through JSON and malformed ones are refused") {
    Event e;
    e.uuid = newUuid();
    e.recordCode = "0237400000000010";
    e.action = A::RequestInfo;
    e.actor = Actor{Role::CommuneOfficer, "cb01"};
    e.hlc = Hlc::make(1764122400000, 3);
    e.at = 1764122400;
    e.payload = {{"note", "Bổ sung giấy tờ"}};
    e.kioskId = "k7";
    e.seq = 42;
    auto back = eventFromJson(toJson(e));
    REQUIRE(back);
    CHECK(back->uuid == e.uuid);
    CHECK(back->action == e.action);
    CHECK(back->actor.id == "cb01");
    CHECK(back->hlc == e.hlc);
    CHECK(back->seq == 42);
    CHECK(back->payload["note"] == "Bổ sung giấy tờ");

    for (const char* key : {"uuid", "record", "record_kind", "action", "actor", "hlc", "at", "payload"}) {
        auto j = toJson(e);
        j.erase(key);
        std::string why;
        INFO(key);
        CHECK_FALSE(eventFromJson(j, &why));
        CHECK_FALSE(why.empty());
    }
    auto j = toJson(e);
    j["action"] = "dance";
    CHECK_FALSE(eventFromJson(j));
    j = toJson(e);
    j["uuid"] = "not-a-uuid";
    CHECK_FALSE(eventFromJson(j));
    CHECK_FALSE(eventFromJson(nlohmann::json::array()));
}

TEST_CASE("hybrid logical clock never goes backwards") {
    Hlc clock;
    uint64_t a = clock.now(1000);
    uint64_t b = clock.now(900);  // the wall clock jumped back
    uint64_t c = clock.now(900);
    CHECK(a < b);
    CHECK(b < c);
    CHECK(Hlc::physicalMillis(c) == 1000);
    uint64_t remote = Hlc::make(5000, 7);
    uint64_t d = clock.observe(remote, 1200);
    CHECK(d > remote);
    CHECK(clock.now(1300) > d);
    CHECK(isUuid(newUuid()));
    CHECK(newUuid() != newUuid());
}

TEST_CASE("UUIDs are version 7: the time in milliseconds first, so later ones sort later") {
    const uint64_t before = wallClockMillis();
    const std::string first = newUuid();
    const uint64_t after = wallClockMillis();
    REQUIRE(isUuid(first));
    CHECK(first[14] == '7');                                          // version
    CHECK(std::string("89ab").find(first[19]) != std::string::npos);  // RFC variant
    const uint64_t stamped = std::stoull(first.substr(0, 8) + first.substr(9, 4), nullptr, 16);
    CHECK(stamped >= before);
    CHECK(stamped <= after);
    // Across a millisecond boundary the order is the time's.
    while (wallClockMillis() <= after) {}
    CHECK(newUuid() > first);
    // Within one millisecond the rest is random: a thousand in a row are all different.
    std::set<std::string> many;
    for (int i = 0; i < 1000; ++i) many.insert(newUuid());
    CHECK(many.size() == 1000);
}

TEST_CASE("a kiosk's payload carries no identity or content in the clear, one that does is recognised") {
    Record r;
    r.code = "0237471152852999";
    r.kind = RecordKind::Petition;
    r.petitionKind = PetitionKind::Complaint;
    r.commune = "02374";
    r.submittedAt = 1767232800;
    r.content = "Khiếu nại việc thu hồi đất.";
    r.identity = {"Nguyễn Văn An", "008090001234", "0912345678", "Thôn 2"};
    const auto kiosk = publicPayload(r);
    CHECK_FALSE(kiosk.contains("identity"));
    CHECK(kiosk["content"] == "");
    CHECK_FALSE(carriesPrivatePartInClear(kiosk));
    auto back = recordFromPayload(kiosk);
    REQUIRE(back.has_value());  // still a whole record for the state machine
    CHECK(back->code == r.code);
    CHECK(back->identity.phone.empty());

    CHECK(carriesPrivatePartInClear(recordToPayload(r)));
    auto onlyPhone = kiosk;
    onlyPhone["identity"] = {{"name", ""}, {"phone", "0912345678"}};
    CHECK(carriesPrivatePartInClear(onlyPhone));
    auto onlyContent = kiosk;
    onlyContent["content"] = "x";
    CHECK(carriesPrivatePartInClear(onlyContent));
    auto emptyIdentity = kiosk;
    emptyIdentity["identity"] = {{"name", ""}, {"cccd", ""}, {"phone", ""}, {"address", ""}};
    CHECK_FALSE(carriesPrivatePartInClear(emptyIdentity));
}

namespace {

Event eventOn(const Record& record, A action, int64_t at, nlohmann::json payload = nlohmann::json::object()) {
    Event e;
    e.uuid = newUuid();
    e.recordCode = record.code;
    e.action = action;
    e.actor = Actor{Role::CommuneOfficer, "cb01"};
    e.at = at;
    e.payload = std::move(payload);
    return e;
}

Record received(PetitionKind kind, const DeadlineRules& rules) {
    Record draft;
    draft.code = "0237400000000011";
    draft.kind = RecordKind::Petition;
    draft.petitionKind = kind;
    draft.commune = "02374";
    draft.submittedAt = 1764122400;  // 2025-11-26 09:00 +07:00
    Event submit;
    submit.uuid = newUuid();
    submit.recordCode = draft.code;
    submit.action = A::Submit;
    submit.actor = Actor{Role::Kiosk, "k1"};
    submit.payload = recordToPayload(draft);
    auto created = applyEvent(std::nullopt, submit, rules);
    REQUIRE(created.ok());
    return *created;
}

DeadlineRules defaultRules() {
    DeadlineRules rules;
    for (auto kind : {PetitionKind::Complaint, PetitionKind::Denunciation, PetitionKind::Recommendation,
                      PetitionKind::Feedback})
        rules.petitionLimits[kind] = defaultPetitionLimits(kind);
    return rules;
}

}  // namespace

TEST_CASE("accepting again after a request for information keeps the original due date") {
    const auto rules = defaultRules();
    const Record r = received(PetitionKind::Complaint, rules);
    auto accepted = applyEvent(r, eventOn(r, A::Accept, 1764295200), rules);  // 2025-11-28
    REQUIRE(accepted.ok());
    CHECK(accepted->due == Date{2025, 12, 28});
    auto asked = applyEvent(*accepted, eventOn(r, A::RequestInfo, 1764554400, {{"note", "Thiếu giấy tờ"}}),
                            rules);  // 2025-12-01
    REQUIRE(asked.ok());
    CHECK(asked->due == Date{2025, 12, 28});
    auto again = applyEvent(*asked, eventOn(r, A::Accept, 1765332000), rules);  // 2025-12-10
    REQUIRE(again.ok());
    CHECK(again->status == S::Accepted);
    CHECK(again->due == Date{2025, 12, 28});  // not 30 days from 10/12
    // A first acceptance after a request made before it still starts the resolve period then.
    auto askedFirst =
        applyEvent(r, eventOn(r, A::RequestInfo, 1764295200, {{"note", "Thiếu giấy tờ"}}), rules);
    REQUIRE(askedFirst.ok());
    auto firstAccept = applyEvent(*askedFirst, eventOn(r, A::Accept, 1765332000), rules);
    REQUIRE(firstAccept.ok());
    CHECK(firstAccept->due == Date{2026, 1, 9});
}

TEST_CASE("a tố cáo is extended as its class allows: normal 0, complex 1, especially complex 2") {
    auto rules = defaultRules();
    const Record r = received(PetitionKind::Denunciation, rules);
    auto accepted = applyEvent(r, eventOn(r, A::Accept, 1764295200), rules);
    REQUIRE(accepted.ok());
    const int64_t later = 1765332000;
    // Unclassed (normal): no extension.
    auto normal =
        applyEvent(*accepted, eventOn(r, A::Extend, later, {{"note", "Cần thêm thời gian"}}), rules);
    REQUIRE_FALSE(normal.ok());
    CHECK_FALSE(normal.error().vi.empty());
    auto asNormal =
        applyEvent(*accepted, eventOn(r, A::Extend, later, {{"note", "x"}, {"complexity", "normal"}}), rules);
    CHECK_FALSE(asNormal.ok());
    // Complex: once.
    auto complexOnce = applyEvent(
        *accepted, eventOn(r, A::Extend, later, {{"note", "Phức tạp"}, {"complexity", "complex"}}), rules);
    REQUIRE(complexOnce.ok());
    CHECK(complexOnce->extensions == 1);
    CHECK(complexity(*complexOnce) == Complexity::Complex);
    CHECK(complexOnce->due == Date{2026, 1, 27});
    CHECK_FALSE(applyEvent(*complexOnce, eventOn(r, A::Extend, later, {{"note", "Lần hai"}}), rules).ok());
    // Especially complex: twice, and the second needs no class again.
    auto especially = applyEvent(
        *accepted,
        eventOn(r, A::Extend, later, {{"note", "Đặc biệt phức tạp"}, {"complexity", "especially-complex"}}),
        rules);
    REQUIRE(especially.ok());
    auto twice = applyEvent(*especially, eventOn(r, A::Extend, later, {{"note", "Lần hai"}}), rules);
    REQUIRE(twice.ok());
    CHECK(twice->extensions == 2);
    CHECK(complexity(*twice) == Complexity::EspeciallyComplex);
    CHECK_FALSE(applyEvent(*twice, eventOn(r, A::Extend, later, {{"note", "Lần ba"}}), rules).ok());
    // The numbers are data: a district that reads the law as allowing 2 for a complex case says so.
    rules.petitionLimits[PetitionKind::Denunciation].maxExtensionsComplex = 2;
    auto secondComplex = applyEvent(*complexOnce, eventOn(r, A::Extend, later, {{"note", "Lần hai"}}), rules);
    CHECK(secondComplex.ok());
}

namespace {

// The rules as the shipped data gives them: limits, the 2026 dates, the agencies.
DeadlineRules shippedRules() {
    auto reference = loadReferenceData(assetsDir());
    REQUIRE(reference.ok());
    return reference->deadlineRules();
}

// A complaint received on `submittedAt` (unix seconds), accepted `acceptAt`.
Record acceptedComplaint(const DeadlineRules& rules, int64_t submittedAt, int64_t acceptAt) {
    Record draft;
    draft.code = "0237400000000029";
    draft.kind = RecordKind::Petition;
    draft.petitionKind = PetitionKind::Complaint;
    draft.commune = "02374";
    draft.submittedAt = submittedAt;
    Event submit;
    submit.uuid = newUuid();
    submit.recordCode = draft.code;
    submit.action = A::Submit;
    submit.actor = Actor{Role::Kiosk, "k1"};
    submit.payload = recordToPayload(draft);
    auto created = applyEvent(std::nullopt, submit, rules);
    REQUIRE(created.ok());
    auto accepted = applyEvent(*created, eventOn(*created, A::Accept, acceptAt), rules);
    REQUIRE(accepted.ok());
    return *accepted;
}

}  // namespace

TEST_CASE("a transfer names its agency from the data and stops the transferring unit's clock") {
    const auto rules = shippedRules();
    const Record r = received(PetitionKind::Complaint, rules);  // 2025-11-26
    const int64_t dec1 = 1764554400;                            // 2025-12-01
    auto toInspectorate = applyEvent(r, eventOn(r, A::Transfer, dec1, {{"agency", "thanh-tra-tinh"}}), rules);
    REQUIRE(toInspectorate.ok());
    CHECK(toInspectorate->status == S::Transferred);
    CHECK(toInspectorate->transferAgency == "thanh-tra-tinh");
    CHECK(agencyName(rules.agencies, toInspectorate->transferAgency) == "Thanh tra tỉnh Tuyên Quang");
    // Never overdue after the transfer, however late it is now.
    CHECK_FALSE(isOverdue(*toInspectorate, Date{2027, 1, 1}));
    CHECK_FALSE(clockRunning(S::Transferred));
    // An unknown slug is refused, naming the choices of the day in both languages.
    auto unknown = applyEvent(r, eventOn(r, A::Transfer, dec1, {{"agency", "cap-huyen"}}), rules);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "action.agency-unknown");
    CHECK(unknown.error().vi.find("thanh-tra-tinh") != std::string::npos);
    CHECK(unknown.error().en.find("thanh-tra-tinh") != std::string::npos);
    // The district bodies of the 18-commune map exist until 30 June 2025 only.
    CHECK_FALSE(applyEvent(r, eventOn(r, A::Transfer, dec1, {{"agency", "ubnd-huyen"}}), rules).ok());
    CHECK(agencyOn(rules.agencies, "ubnd-huyen", Date{2025, 6, 30}) != nullptr);
    CHECK(agencyOn(rules.agencies, "ubnd-huyen", Date{2025, 7, 1}) == nullptr);
    // A transfer made before transfers named an agency still reads, as the competent authority.
    auto old = applyEvent(r, eventOn(r, A::Transfer, dec1), rules);
    REQUIRE(old.ok());
    CHECK(old->transferAgency.empty());
    CHECK(agencyName(rules.agencies, old->transferAgency) == "cơ quan có thẩm quyền");
    CHECK(agencyName(rules.agencies, old->transferAgency, true) == "the competent authority");
}

TEST_CASE("partial withdrawal and suspension of a complaint follow the data's effective date") {
    const auto rules = shippedRules();
    // Received 2026-06-30 (a Tuesday, 09:00): before Luật 136/2025/QH15 is in force.
    const Record before = acceptedComplaint(rules, 1782784800, 1782871200);
    auto refused =
        applyEvent(before, eventOn(before, A::WithdrawPart, 1782871200, {{"note", "Phần 2"}}), rules);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "transition.not-in-force");
    CHECK(refused.error().vi.find("01/07/2026") != std::string::npos);
    CHECK(refused.error().en.find("2026-07-01") != std::string::npos);
    CHECK_FALSE(applyEvent(before, eventOn(before, A::Suspend, 1782871200, {{"note", "Chờ"}}), rules).ok());
    const auto offered = allowedActions(before, Role::CommuneOfficer, rules);
    CHECK(std::find(offered.begin(), offered.end(), A::WithdrawPart) == offered.end());
    CHECK(std::find(offered.begin(), offered.end(), A::Suspend) == offered.end());

    // Received 2026-07-01 09:00, accepted 2026-07-02: due 30 days later, 2026-08-01.
    const Record after = acceptedComplaint(rules, 1782871200, 1782957600);
    REQUIRE(after.due == Date{2026, 8, 1});
    const auto offeredAfter = allowedActions(after, Role::CommuneOfficer, rules);
    CHECK(std::find(offeredAfter.begin(), offeredAfter.end(), A::WithdrawPart) != offeredAfter.end());
    CHECK(std::find(offeredAfter.begin(), offeredAfter.end(), A::Suspend) != offeredAfter.end());
    // Part withdrawn: recorded, the record stays open with its due date; the part must be written.
    CHECK_FALSE(applyEvent(after, eventOn(after, A::WithdrawPart, 1783044000), rules).ok());
    auto part = applyEvent(
        after, eventOn(after, A::WithdrawPart, 1783044000, {{"note", "Yêu cầu bồi thường"}}), rules);
    REQUIRE(part.ok());
    CHECK(part->status == S::Accepted);
    CHECK(part->due == Date{2026, 8, 1});
    CHECK(part->withdrawnParts == "Yêu cầu bồi thường");
    // Suspended on 2026-07-11 (21 days left): never overdue while suspended.
    auto suspended =
        applyEvent(*part, eventOn(*part, A::Suspend, 1783735200, {{"note", "Chờ bản án"}}), rules);
    REQUIRE(suspended.ok());
    CHECK(suspended->status == S::Suspended);
    CHECK(suspended->suspendedOn == Date{2026, 7, 11});
    CHECK_FALSE(isOverdue(*suspended, Date{2026, 12, 1}));
    CHECK(displayName(S::Suspended, RecordKind::Petition) == std::string_view("Tạm đình chỉ"));
    // Resumed on 2026-09-01: the 21 days left continue, to 2026-09-22.
    auto resumed = applyEvent(*suspended, eventOn(*suspended, A::Resume, 1788228000), rules);
    REQUIRE(resumed.ok());
    CHECK(resumed->status == S::Accepted);
    CHECK(resumed->due == Date{2026, 9, 22});
    CHECK_FALSE(resumed->suspendedOn.has_value());
    CHECK(resumed->withdrawnParts == "Yêu cầu bồi thường");
}

TEST_CASE("mark-signed keeps a petition's status, due date and note, and is the commune's alone") {
    const DeadlineRules rules = shippedRules();
    Event submit;
    submit.uuid = newUuid();
    submit.recordCode = "0237401000000011";
    submit.action = A::Submit;
    Record draft;
    draft.code = submit.recordCode;
    draft.commune = "02374";
    draft.petitionKind = PetitionKind::Feedback;
    draft.submittedAt = 1780000000;  // 2026-05-28
    submit.payload = publicPayload(draft);
    submit.at = draft.submittedAt;
    auto received = applyEvent(std::nullopt, submit, rules);
    REQUIRE(received.ok());
    received->resultNote = "Đã hẹn trả lời";
    Event mark = submit;
    mark.uuid = newUuid();
    mark.action = A::MarkSigned;
    mark.actor = Actor{Role::CommuneOfficer, "cb01"};
    mark.at = submit.at + 86400 * 40;
    mark.payload = {{"note", "điểm chỉ ngón trỏ phải"}};
    auto marked = applyEvent(*received, mark, rules);
    REQUIRE(marked.ok());
    CHECK(marked->status == S::Received);
    CHECK(marked->due == received->due);
    CHECK(marked->resultNote == "Đã hẹn trả lời");
    CHECK(toSlug(A::MarkSigned) == "mark-signed");
    CHECK(actionFromSlug("mark-signed") == A::MarkSigned);
    mark.actor = Actor{Role::DistrictOfficer, "ld01"};
    CHECK(applyEvent(*received, mark, rules).error().code == "transition.role");
}
