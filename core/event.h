#pragma once
// Every change to a record is an immutable Event: a citizen submits, an officer accepts, the
// district resolves. Events carry a UUID (unique district-wide), the record's code, the actor, a
// hybrid logical clock timestamp and a JSON payload. The kiosk store adds a per-kiosk gap-free
// sequence when it writes the event to the outbox (docs/sync-rules.md rules 1-2).
// Pure data plus the HLC; the Hlc object is not thread-safe (one per store connection, guarded by
// the store's transaction).
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/records.h"

namespace kiosk {

enum class Action {
    Submit,        // a citizen submits a petition at the kiosk
    Register,      // the one-stop desk registers a dossier
    Accept,        // thụ lý
    Reject,        // không thụ lý (petitions) / từ chối (dossiers)
    RequestInfo,   // yêu cầu bổ sung
    Resolve,       // giải quyết, with the result
    Transfer,      // chuyển đơn, to the agency named in the payload ("agency", agencies.tsv)
    Extend,        // gia hạn (tố cáo ≤ 2; khiếu nại: marks it complex)
    Withdraw,      // rút đơn
    WithdrawPart,  // rút một phần khiếu nại: the part in the note, the rest stays open
    Process,       // dossier: start or resume processing
    Ready,         // dossier: result ready
    Deliver,       // dossier: result delivered
    Suspend,       // dossier: dừng xử lý; khiếu nại: tạm đình chỉ (the clock stops)
    Resume,        // khiếu nại: tiếp tục giải quyết after a suspension
    AssignCode,    // district: official dossier code
    // Đã ký/điểm chỉ: the commune officer saw the citizen sign or fingerprint the printed petition
    // (đơn) at the counter. A petition's status, due date and notes stay as they are.
    MarkSigned,
};

enum class Role {
    Kiosk,            // the citizen at the kiosk (no login)
    CommuneOfficer,   // cán bộ xã (officer or chair)
    DistrictOfficer,  // cán bộ huyện (officer, inspector, leader, admin all act as this)
};

std::string_view toSlug(Action action);  // "submit", "request-info", "assign-code", ...
std::optional<Action> actionFromSlug(std::string_view slug);
std::string_view toSlug(Role role);  // "kiosk", "commune", "district"
std::optional<Role> roleFromSlug(std::string_view slug);

// Hybrid logical clock: 48-bit physical milliseconds, 16-bit counter (docs/sync-rules.md rule 9).
// now() never goes backwards, whatever the wall clock does; observe() merges a remote stamp.
class Hlc {
public:
    explicit Hlc(uint64_t last = 0) : m_last(last) {}
    uint64_t now(uint64_t wallMillis);
    uint64_t observe(uint64_t remote, uint64_t wallMillis);
    uint64_t last() const { return m_last; }
    static uint64_t physicalMillis(uint64_t stamp) { return stamp >> 16; }
    static uint64_t make(uint64_t millis, uint16_t counter) { return (millis << 16) | counter; }

private:
    uint64_t m_last;
};
uint64_t wallClockMillis();

// A version 7 UUID: 48 bits of Unix milliseconds, then 74 bits from the operating system's CSPRNG;
// lowercase with dashes. Time-ordered, so indexes keyed by it grow at the end.
std::string newUuid();
bool isUuid(std::string_view text);

struct Actor {
    Role role = Role::Kiosk;
    std::string id;  // officer id, or the kiosk id for Role::Kiosk
};

struct Event {
    std::string uuid;
    std::string recordCode;
    RecordKind recordKind = RecordKind::Petition;
    Action action = Action::Submit;
    Actor actor;
    uint64_t hlc = 0;
    int64_t at = 0;  // unix seconds, the actor's wall clock (for people; never for order)
    nlohmann::json payload = nlohmann::json::object();
    std::string kioskId;  // origin kiosk ("" for district events)
    int64_t seq = 0;      // per-kiosk gap-free sequence, set by the kiosk store
};

nlohmann::json toJson(const Event& event);
// toJson(event).dump() (invalid UTF-8 replaced), with payloadText, a JSON object's text, spliced in
// as the payload instead of dumping event.payload: the wire and the change feed write many events
// whose payload text is at hand already.
std::string eventJson(const Event& event, std::string_view payloadText);
// A JSON object's dump() (invalid UTF-8 replaced) without the members named: what erasing them
// from a copy and dumping would give, without copying the object.
std::string dumpWithout(const nlohmann::json& object, std::initializer_list<std::string_view> keys);
// text as a JSON string literal, as dump() writes it (invalid UTF-8 replaced): plain ASCII
// (UUIDs, codes, ids) directly, anything else through nlohmann.
void appendJsonString(std::string& out, std::string_view text);
// Refuses missing fields, unknown slugs, a bad UUID. Never throws.
std::optional<Event> eventFromJson(const nlohmann::json& j, std::string* whyNot = nullptr);

}  // namespace kiosk
