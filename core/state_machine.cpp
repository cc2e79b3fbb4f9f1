#include "core/state_machine.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace kiosk {
namespace {

std::string_view actionVi(Action action) {
    switch (action) {
        case Action::Submit:
            return "gửi đơn";
        case Action::Register:
            return "tiếp nhận hồ sơ";
        case Action::Accept:
            return "thụ lý";
        case Action::Reject:
            return "từ chối";
        case Action::RequestInfo:
            return "yêu cầu bổ sung";
        case Action::Resolve:
            return "giải quyết";
        case Action::Transfer:
            return "chuyển đến cơ quan có thẩm quyền";
        case Action::Extend:
            return "gia hạn";
        case Action::Withdraw:
            return "rút đơn";
        case Action::Process:
            return "xử lý";
        case Action::Ready:
            return "báo có kết quả";
        case Action::Deliver:
            return "trả kết quả";
        case Action::Suspend:
            return "dừng xử lý";
        case Action::AssignCode:
            return "cấp mã hồ sơ";
        case Action::WithdrawPart:
            return "rút một phần đơn";
        case Action::Resume:
            return "tiếp tục giải quyết";
        case Action::MarkSigned:
            return "ghi nhận đã ký/điểm chỉ";
    }
    return "?";
}

Error notAllowed(const Record& record, Action action) {
    return makeError("transition.not-allowed",
                     "Không thể " + std::string(actionVi(action)) + " khi hồ sơ đang ở tình trạng “" +
                         std::string(displayName(record.status, record.kind)) + "”.",
                     "Cannot " + std::string(toSlug(action)) + " a record that is " +
                         std::string(toSlug(record.status)) + ".");
}

// Luật 136/2025/QH15's actions on a khiếu nại: partial withdrawal (the rest stays open, status
// unchanged), suspension (tạm đình chỉ) of an accepted complaint and its resumption. Whether the
// record was received late enough for them is the data's business (amendmentRefusal).
Result<RecordStatus> complaintOnlyNext(const Record& r, Action action) {
    using S = RecordStatus;
    if (r.petitionKind != PetitionKind::Complaint)
        return makeError("transition.complaint-only",
                         "Chỉ đơn khiếu nại mới được " + std::string(actionVi(action)) + ".",
                         "Only a complaint can take " + std::string(toSlug(action)) + ".");
    switch (action) {
        case Action::WithdrawPart:
            if (r.status == S::Transferred) return notAllowed(r, action);
            return r.status;
        case Action::Suspend:
            if (r.status != S::Accepted) return notAllowed(r, action);
            return S::Suspended;
        default:  // Resume
            if (r.status != S::Suspended) return notAllowed(r, action);
            return S::Accepted;
    }
}

Result<RecordStatus> petitionNext(const Record& r, Action action, Role role) {
    using S = RecordStatus;
    const bool district = role == Role::DistrictOfficer;
    const S s = r.status;
    auto either = [&](std::initializer_list<S> from, S to) -> Result<RecordStatus> {
        if (std::find(from.begin(), from.end(), s) != from.end()) return to;
        return notAllowed(r, action);
    };
    const bool replyKind =
        r.petitionKind == PetitionKind::Recommendation || r.petitionKind == PetitionKind::Feedback;
    if (replyKind && (action == Action::Accept || action == Action::Reject))
        // Luật Tiếp công dân 2013, Điều 28: a kiến nghị or phản ánh is answered, never "thụ lý".
        return makeError("transition.no-acceptance",
                         "Kiến nghị, phản ánh không có bước thụ lý: cán bộ trả lời hoặc chuyển đơn.",
                         "A recommendation or feedback has no acceptance step: reply to it or transfer it.");
    switch (action) {
        case Action::Accept:
            return either({S::Received, S::InfoRequested, S::Transferred}, S::Accepted);
        case Action::Reject:
            return either({S::Received, S::InfoRequested, S::Transferred}, S::NotAccepted);
        case Action::RequestInfo:
            return either({S::Received, S::Accepted, S::Transferred}, S::InfoRequested);
        case Action::Resolve:
            if (s == S::Accepted || (district && s == S::Transferred)) return S::Resolved;
            if (replyKind && (s == S::Received || s == S::InfoRequested)) return S::Resolved;
            return notAllowed(r, action);
        case Action::Transfer:
            // To the agency the event names (agencies.tsv); the server may pass on what reached it.
            if (district)
                return either({S::Received, S::InfoRequested, S::Accepted, S::Transferred}, S::Transferred);
            return either({S::Received, S::InfoRequested, S::Accepted}, S::Transferred);
        case Action::Extend:
            if (s != S::Accepted) return notAllowed(r, action);
            // How many times is the case's class and the data's business (applyEvent).
            if (r.petitionKind == PetitionKind::Denunciation) return S::Accepted;
            if (r.petitionKind == PetitionKind::Complaint) {
                if (r.complex)
                    return makeError("transition.extend-limit",
                                     "Khiếu nại đã được xác định là vụ việc phức tạp.",
                                     "The complaint is already marked complex.");
                return S::Accepted;
            }
            return makeError("transition.extend-kind", "Chỉ gia hạn được khiếu nại và tố cáo.",
                             "Only complaints and denunciations can be extended.");
        case Action::Withdraw:
            return S::Withdrawn;  // any non-final status (checked by caller)
        case Action::WithdrawPart:
        case Action::Suspend:
        case Action::Resume:
            return complaintOnlyNext(r, action);
        default:
            return makeError("transition.wrong-kind",
                             "Thao tác “" + std::string(actionVi(action)) + "” không áp dụng cho đơn.",
                             "Action " + std::string(toSlug(action)) + " does not apply to petitions.");
    }
}

Result<RecordStatus> dossierNext(const Record& r, Action action) {
    using S = RecordStatus;
    const S s = r.status;
    auto either = [&](std::initializer_list<S> from, S to) -> Result<RecordStatus> {
        if (std::find(from.begin(), from.end(), s) != from.end()) return to;
        return notAllowed(r, action);
    };
    switch (action) {
        case Action::Process:
            return either({S::Received, S::SupplementRequested, S::Suspended}, S::Processing);
        case Action::RequestInfo:
            return either({S::Received, S::Processing}, S::SupplementRequested);
        case Action::Ready:
        case Action::Resolve:
            return either({S::Processing}, S::ResultReady);
        case Action::Deliver:
            return either({S::ResultReady}, S::Delivered);
        case Action::Reject:
            return either({S::Received, S::Processing, S::SupplementRequested}, S::Refused);
        case Action::Suspend:
            return either({S::Processing}, S::Suspended);
        default:
            return makeError(
                "transition.wrong-kind",
                "Thao tác “" + std::string(actionVi(action)) + "” không áp dụng cho hồ sơ thủ tục.",
                "Action " + std::string(toSlug(action)) + " does not apply to dossiers.");
    }
}

constexpr std::array<Action, 15> kOfficerActions{
    Action::Accept,  Action::Reject,   Action::RequestInfo,  Action::Resolve,    Action::Transfer,
    Action::Extend,  Action::Withdraw, Action::WithdrawPart, Action::Process,    Action::Ready,
    Action::Deliver, Action::Suspend,  Action::Resume,       Action::AssignCode, Action::MarkSigned,
};

const std::string* payloadString(const nlohmann::json& payload, const char* key) {
    auto it = payload.find(key);
    return it != payload.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

// Extend: a khiếu nại becomes complex (its longer period); a tố cáo takes one more extension if its
// class allows it. The tố cáo's class comes from the payload's "complexity" (the resolver's
// written classification), else the class given before.
Outcome extend(Record& r, const nlohmann::json& payload, const DeadlineRules& rules) {
    auto limits = rules.petitionLimits.find(r.petitionKind);
    if (limits == rules.petitionLimits.end())
        return makeError("deadline.unknown", "Chưa có quy định thời hạn cho loại đơn này.",
                         "No time limits are configured for this kind.");
    const PetitionLimits& l = limits->second;
    Limit added = l.extension;
    if (r.petitionKind == PetitionKind::Complaint) {
        const Limit& plain = complaintResolveLimit(rules, l, r, false);
        const Limit& complexLimit = complaintResolveLimit(rules, l, r, true);
        added = Limit{complexLimit.days - plain.days, complexLimit.working};
        r.complex = true;
    } else {
        Complexity level = complexity(r);
        if (const std::string* given = payloadString(payload, "complexity")) {
            auto parsed = complexityFromSlug(*given);
            if (!parsed)
                return makeError("action.complexity", "Mức độ phức tạp không hợp lệ: " + *given,
                                 "Unknown complexity: " + *given);
            level = std::max(level, *parsed);  // a class once given is never lowered
        }
        const int allowed = extensionsAllowed(l, level);
        if (r.extensions >= allowed) {
            if (level == Complexity::Normal)
                return makeError("transition.extend-normal",
                                 "Vụ việc bình thường không được gia hạn; gia hạn cần xác định vụ việc "
                                 "phức tạp hoặc đặc biệt phức tạp.",
                                 "A normal case cannot be extended; class it complex or especially "
                                 "complex first.");
            return makeError(
                "transition.extend-limit",
                "Đơn tố cáo đã được gia hạn " + std::to_string(r.extensions) + " lần, tối đa cho mức độ này.",
                "The denunciation has had " + std::to_string(r.extensions) +
                    " extension(s), the most its class allows.");
        }
        r.complex = level != Complexity::Normal;
        r.especiallyComplex = level == Complexity::EspeciallyComplex;
        r.extensions += 1;
    }
    r.due = added.working ? rules.calendar.addWorkingDays(r.due, added.days) : r.due.plusDays(added.days);
    return {};
}

// The petition actions that set their own fields and keep or restore the due date rather than
// computing a new one: a transfer (its agency), partial withdrawal (the part, the status and due date
// unchanged), suspension (the day the clock stopped) and resumption (what was left continues).
// nullopt: not one of them, applyEvent goes on.
std::optional<Outcome> foldAmendment(Record& r, const Event& event, const Date& on,
                                     const DeadlineRules& rules) {
    const std::string* note = payloadString(event.payload, "note");
    switch (event.action) {
        case Action::Transfer: {
            // An event without "agency" was made before transfers named one: it still reads, as
            // "cơ quan có thẩm quyền". One naming an agency must name one that exists that day.
            const std::string* agency = payloadString(event.payload, "agency");
            if (agency && !agencyOn(rules.agencies, *agency, on))
                return Outcome(unknownAgency(rules.agencies, *agency, on));
            r.transferAgency = agency ? *agency : std::string();
            r.status = RecordStatus::Transferred;
            if (note) r.resultNote = *note;
            r.acceptedOn.reset();  // the receiving agency starts afresh
            r.suspendedOn.reset();
            return Outcome();
        }
        case Action::WithdrawPart:
            r.withdrawnParts += (r.withdrawnParts.empty() ? "" : "\n") + *note;
            return Outcome();
        case Action::Suspend:
            r.status = RecordStatus::Suspended;
            r.suspendedOn = on;
            r.resultNote = *note;
            return Outcome();
        case Action::Resume:
            r.due = resumedDue(rules, r, on);
            r.status = RecordStatus::Accepted;
            r.suspendedOn.reset();
            if (note) r.resultNote = *note;
            return Outcome();
        default:
            return std::nullopt;
    }
}

std::string dayMonthYear(const Date& d) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d/%02d/%04d", d.day, d.month, d.year);
    return text;
}

}  // namespace

std::optional<Error> amendmentRefusal(const Record& record, Action action, const DeadlineRules& rules) {
    if (record.kind != RecordKind::Petition || (action != Action::WithdrawPart && action != Action::Suspend))
        return std::nullopt;
    const auto found = rules.petitionLimits.find(record.petitionKind);
    if (found == rules.petitionLimits.end()) return std::nullopt;  // complaintOnlyNext refuses other kinds
    const std::optional<Date>& from =
        action == Action::WithdrawPart ? found->second.partialWithdrawalFrom : found->second.suspensionFrom;
    if (from && *from <= record.receivedOn) return std::nullopt;
    const bool partial = action == Action::WithdrawPart;
    const std::string whatVi = partial ? "Rút một phần đơn khiếu nại" : "Tạm đình chỉ giải quyết khiếu nại";
    const std::string whatEn = partial ? "Withdrawing part of a complaint" : "Suspending a complaint";
    if (!from)
        return makeError("transition.not-in-force", whatVi + " không áp dụng theo quy định hiện có.",
                         whatEn + " is not provided for by the rules in force.");
    return makeError("transition.not-in-force",
                     whatVi + " chỉ áp dụng cho đơn nhận từ ngày " + dayMonthYear(*from) +
                         " (Luật 136/2025/QH15); đơn này nhận ngày " + dayMonthYear(record.receivedOn) + ".",
                     whatEn + " applies only to petitions received from " + from->iso() +
                         " (Luật 136/2025/QH15); this one was received on " + record.receivedOn.iso() + ".");
}

Result<RecordStatus> nextStatus(const Record& record, Action action, Role role) {
    if (action == Action::Submit || action == Action::Register)
        return makeError("transition.exists", "Hồ sơ này đã tồn tại.", "This record already exists.");
    if (role == Role::Kiosk)
        return makeError("transition.role", "Chỉ cán bộ mới được xử lý hồ sơ.",
                         "Only an officer may act on a record.");
    if (action == Action::AssignCode) {
        if (role != Role::DistrictOfficer || record.kind != RecordKind::Dossier)
            return makeError("transition.assign-code", "Chỉ cán bộ của máy chủ cấp mã hồ sơ chính thức.",
                             "Only the server's officers assign official dossier codes.");
        return record.status;
    }
    if (isFinal(record.status))
        return makeError("transition.final", "Hồ sơ đã kết thúc, không thể xử lý thêm.",
                         "The record is closed; no further action is possible.");
    if (role == Role::CommuneOfficer && record.status == RecordStatus::Transferred)
        return makeError("transition.transferred", "Đơn đã chuyển lên cấp trên; chỉ cấp trên xử lý tiếp.",
                         "The petition was passed on; only the upper level may act on it now.");
    if (action == Action::MarkSigned) {
        // The đơn is printed and signed at the commune's counter: the district never sees the
        // citizen sign, so only a commune officer vouches for it.
        if (record.kind != RecordKind::Petition)
            return makeError("transition.wrong-kind", "Chỉ đơn thư mới cần người gửi ký hoặc điểm chỉ.",
                             "Only a petition is signed or fingerprinted by its sender.");
        if (role != Role::CommuneOfficer)
            return makeError("transition.role", "Chỉ cán bộ xã nhận đơn mới ghi nhận đơn đã ký/điểm chỉ.",
                             "Only the commune officer at the counter marks a petition signed.");
        return record.status;
    }
    if (record.kind == RecordKind::Petition) return petitionNext(record, action, role);
    return dossierNext(record, action);
}

std::vector<Action> allowedActions(const Record& record, Role role) {
    std::vector<Action> out;
    for (Action a : kOfficerActions)
        if (nextStatus(record, a, role).ok()) out.push_back(a);
    return out;
}

std::vector<Action> allowedActions(const Record& record, Role role, const DeadlineRules& rules) {
    std::vector<Action> out = allowedActions(record, role);
    out.erase(std::remove_if(out.begin(), out.end(),
                             [&](Action a) { return amendmentRefusal(record, a, rules).has_value(); }),
              out.end());
    return out;
}

nlohmann::json recordToPayload(const Record& r) {
    nlohmann::json j{
        {"code", r.code},
        {"kind", toSlug(r.kind)},
        {"commune", r.commune},
        {"submitted_at", r.submittedAt},
        {"content", r.content},
        {"identity",
         {{"name", r.identity.name},
          {"cccd", r.identity.cccd},
          {"phone", r.identity.phone},
          {"address", r.identity.address}}},
    };
    if (r.kind == RecordKind::Petition) {
        j["petition_kind"] = toSlug(r.petitionKind);
        if (!r.linkedCode.empty()) j["linked_code"] = r.linkedCode;
    } else {
        j["procedure"] = r.procedureCode;
        j["delivery"] = toSlug(r.delivery);
    }
    return j;
}

nlohmann::json publicPayload(const Record& r) {
    nlohmann::json j = recordToPayload(r);
    j.erase("identity");
    j["content"] = "";
    return j;
}

bool carriesPrivatePartInClear(const nlohmann::json& payload) {
    if (!payload.is_object()) return false;
    if (const std::string* content = payloadString(payload, "content"); content && !content->empty())
        return true;
    auto identity = payload.find("identity");
    if (identity == payload.end() || !identity->is_object()) return false;
    for (const auto& [key, value] : identity->items())
        if (!value.is_string() || !value.get_ref<const std::string&>().empty()) return true;
    return false;
}

std::optional<Record> recordFromPayload(const nlohmann::json& p, std::string* whyNot) {
    auto fail = [&](const char* why) -> std::optional<Record> {
        if (whyNot) *whyNot = why;
        return std::nullopt;
    };
    if (!p.is_object()) return fail("payload is not an object");
    Record r;
    const std::string* code = payloadString(p, "code");
    const std::string* kind = payloadString(p, "kind");
    const std::string* commune = payloadString(p, "commune");
    const std::string* content = payloadString(p, "content");
    if (!code || code->empty() || !kind || !commune || !content) return fail("missing record fields");
    auto parsedKind = recordKindFromSlug(*kind);
    if (!parsedKind) return fail("unknown record kind");
    r.code = *code;
    r.kind = *parsedKind;
    r.commune = *commune;
    r.content = *content;
    auto submitted = p.find("submitted_at");
    if (submitted == p.end() || !submitted->is_number_integer()) return fail("missing submitted_at");
    r.submittedAt = submitted->get<int64_t>();
    auto identity = p.find("identity");
    if (identity != p.end()) {
        if (!identity->is_object()) return fail("malformed identity");
        auto field = [&](const char* key, std::string& out) {
            if (const std::string* v = payloadString(*identity, key)) out = *v;
        };
        field("name", r.identity.name);
        field("cccd", r.identity.cccd);
        field("phone", r.identity.phone);
        field("address", r.identity.address);
    }
    if (r.kind == RecordKind::Petition) {
        const std::string* pk = payloadString(p, "petition_kind");
        auto parsed = pk ? petitionKindFromSlug(*pk) : std::nullopt;
        if (!parsed) return fail("missing or unknown petition_kind");
        r.petitionKind = *parsed;
        if (const std::string* linked = payloadString(p, "linked_code")) r.linkedCode = *linked;
    } else {
        const std::string* procedure = payloadString(p, "procedure");
        if (!procedure || procedure->empty()) return fail("missing procedure");
        r.procedureCode = *procedure;
        const std::string* delivery = payloadString(p, "delivery");
        auto parsed = delivery ? deliveryFromSlug(*delivery) : std::optional<Delivery>(Delivery::Counter);
        if (!parsed) return fail("unknown delivery");
        r.delivery = *parsed;
    }
    return r;
}

Result<Record> applyEvent(const std::optional<Record>& current, const Event& event,
                          const DeadlineRules& rules) {
    if (event.action == Action::Submit || event.action == Action::Register) {
        if (current)
            return makeError("record.exists", "Mã biên nhận này đã được dùng cho hồ sơ khác.",
                             "This receipt code is already used by another record.");
        std::string why;
        auto record = recordFromPayload(event.payload, &why);
        if (!record)
            return makeError("record.payload", "Dữ liệu hồ sơ không hợp lệ: " + why,
                             "Invalid record data: " + why);
        const RecordKind expected =
            event.action == Action::Submit ? RecordKind::Petition : RecordKind::Dossier;
        if (record->kind != expected || record->code != event.recordCode || record->kind != event.recordKind)
            return makeError("record.payload", "Dữ liệu hồ sơ không khớp với sự kiện.",
                             "The record data does not match its event.");
        record->status = RecordStatus::Received;
        record->receivedOn = receivedDate(rules.calendar, rules.hours, record->submittedAt);
        record->due = dueFor(rules, *record, RecordStatus::Received, record->receivedOn);
        return *record;
    }
    if (!current) return makeError("record.unknown", "Không tìm thấy hồ sơ.", "No such record.");
    if (current->code != event.recordCode)
        return makeError("record.mismatch", "Sự kiện không thuộc hồ sơ này.",
                         "The event belongs to another record.");
    auto next = nextStatus(*current, event.action, event.actor.role);
    if (!next) return next.error();
    if (auto refused = amendmentRefusal(*current, event.action, rules)) return *refused;

    Record r = *current;
    const std::string* note = payloadString(event.payload, "note");
    const bool petition = r.kind == RecordKind::Petition;
    const bool needsNote = event.action == Action::Reject || event.action == Action::Extend ||
                           event.action == Action::RequestInfo || event.action == Action::WithdrawPart ||
                           (petition && event.action == Action::Suspend);
    if (needsNote && (!note || note->empty())) {
        if (event.action == Action::WithdrawPart)
            return makeError("action.part-required", "Cần ghi rõ phần nội dung được rút.",
                             "Write which part of the complaint is withdrawn.");
        return makeError("action.note-required", "Cần ghi rõ lý do.", "A written reason is required.");
    }
    if (event.action == Action::AssignCode) {
        const std::string* official = payloadString(event.payload, "official_code");
        if (!official || official->empty())
            return makeError("action.official-code", "Thiếu mã hồ sơ chính thức.",
                             "The official dossier code is missing.");
        r.officialCode = *official;
        return r;
    }
    // A fact about the paper, not a decision: status, due date and the last decision's note stay.
    if (event.action == Action::MarkSigned) return r;
    const Date on = localFromUnix(event.at).date;
    if (event.action == Action::Extend) {
        if (auto extended = extend(r, event.payload, rules); !extended) return extended.error();
    }
    if (petition && event.action != Action::Extend) {
        if (auto folded = foldAmendment(r, event, on, rules)) {
            if (!*folded) return folded->error();
            return r;
        }
    }
    const RecordStatus before = r.status;
    r.status = *next;
    if (note) r.resultNote = *note;
    if (event.action == Action::Accept && before == RecordStatus::InfoRequested && r.acceptedOn) {
        // Accepted before the request for information: the law gives no pause nor restart, so the
        // period that acceptance started stays in force (docs/domain.md).
        return r;
    }
    if (event.action == Action::Accept) r.acceptedOn = on;
    if (event.action != Action::Extend) r.due = dueFor(rules, r, r.status, on);
    return r;
}

}  // namespace kiosk
