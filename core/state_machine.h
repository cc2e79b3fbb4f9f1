#pragma once
// The status state machines of petitions and dossiers: which action, by whom, moves a record from
// one status to the next. Both the kiosk store and the district server fold events into records
// with applyEvent, so the commune and the district judge transitions by the same rules; the
// district is authoritative (docs/sync-rules.md rule 8). Overdue is derived from the due date, never a status.
//
// Petitions (đơn thư):
//
//             submit (kiosk)
//                  |
//                  v            request-info              accept
//   +--------- [received] -------------------> [info-requested] ---------+
//   |              |  \                                ^                 |
//   | reject       |   \ transfer (commune)            | request-info    v
//   v              |    \                              +------------ [accepted] <--+ extend
//  [not-accepted]  |     v                                            |  |   |  |  | (self)
//                  |   [transferred] -- accept (district) ----------->+  |   +--+
//                  |        |  reject (district) -> [not-accepted]       | resolve
//                  |        |  resolve (district) -> [resolved]          v
//                  |        |                                       [resolved]
//                  +-- resolve (kiến nghị / phản ánh only: the reply) --^
//   withdraw (commune or district, on the citizen's written request): any non-final -> [withdrawn]
//   accept/request-info/transfer also apply from [info-requested] as from [received];
//   transfer also applies from [accepted]; the district may transfer too, also from [transferred].
//   A transfer names its agency (payload "agency", agencies.tsv); [transferred] stops the clock.
//
//   Khiếu nại only, for records received from the dates in petition_kinds.tsv (Luật 136/2025/QH15;
//   amendmentRefusal):
//     withdraw-part: any non-final but [transferred] -> the same status; the part goes to withdrawnParts
//     suspend (tạm đình chỉ): [accepted] -> [suspended]; the clock stops (suspendedOn)
//     resume (tiếp tục giải quyết): [suspended] -> [accepted]; the days left continue (resumedDue)
//
// Dossiers (hồ sơ):
//
//   register (kiosk/one-stop) -> [received] --process--> [processing] --ready--> [result-ready]
//        |  request-info                  |  ^  request-info              |
//        v                                v  |                            | deliver
//   [supplement-requested] --process-->---+  |                            v
//   reject: received|processing|supplement-requested -> [refused]    [delivered]
//   suspend: processing -> [suspended] --process--> [processing]
//   assign-code (district only): any status, sets the official code, status unchanged.
//
// mark-signed (Đã ký/điểm chỉ; petitions, commune officers only): the citizen signed or
// fingerprinted the printed đơn at the counter; any non-final status the commune may act on;
// status, due date and note unchanged. Marking once is the kiosk's business (StoreController).
//
// Who: Role::Kiosk may only submit/register. Commune officers act on records not transferred;
// once transferred, only the district acts. District officers may take every action.
// Final statuses: resolved, not-accepted, withdrawn, delivered, refused.
//
// Transitions are checked by nextStatus(); applyEvent() makes them (and recomputes the due date).
#include <optional>
#include <vector>

#include "core/deadlines.h"
#include "core/event.h"
#include "core/records.h"
#include "common/result.h"

namespace kiosk {

// The status after `action` by `role`, or an Error saying why it is not allowed (both languages).
Result<RecordStatus> nextStatus(const Record& record, Action action, Role role);

// The actions `role` may take on `record` now, by the status machine alone.
std::vector<Action> allowedActions(const Record& record, Role role);
// The same, without the actions the data does not allow this record (amendmentRefusal): what
// officer consoles and the dashboard offer.
std::vector<Action> allowedActions(const Record& record, Role role, const DeadlineRules& rules);
// Why `action` is not available to this record under the data's effective dates (a khiếu nại's
// partial withdrawal or suspension, for records received before partial_withdrawal_from /
// suspension_from), both languages; nullopt when the dates do not stand in the way.
std::optional<Error> amendmentRefusal(const Record& record, Action action, const DeadlineRules& rules);

// Folds one event into the record. For Submit/Register, `current` must be empty and the payload
// holds the record (see recordToPayload); for others it must hold the record. Checks the
// transition, sets status, due date, notes, extensions, official code. Refuses (Error) otherwise,
// leaving nothing changed.
Result<Record> applyEvent(const std::optional<Record>& current, const Event& event,
                          const DeadlineRules& rules);

// The payload of a Submit/Register event: every field of a new record, identity included.
nlohmann::json recordToPayload(const Record& record);
// The payload as a kiosk sends it: recordToPayload without the identity and with content "" —
// identity and content travel only sealed (payload "sealed", docs/security.md).
nlohmann::json publicPayload(const Record& record);
// Whether a Submit/Register payload carries a citizen's identity or content in the clear (a kiosk
// from before sealing, or a seeder): the district refuses such an event instead of storing it.
bool carriesPrivatePartInClear(const nlohmann::json& payload);
std::optional<Record> recordFromPayload(const nlohmann::json& payload, std::string* whyNot = nullptr);

}  // namespace kiosk
