// Fuzzes event decoding and the state machine that folds events into records — the code the kiosk
// store and the district run on every event they read. The input is JSON text:
//   an object: decoded as an Event (eventFromJson) and as a record payload (recordFromPayload);
//   an array: its items decoded as events and folded in order with applyEvent, starting from no
//     record, so the fuzzer can walk records through their statuses.
// JSON deeper than 64 levels is cut off while parsing (the network path refuses it before it gets
// here, sync/protocol/safe_json.h). Properties: whatever decodes re-encodes to the same JSON;
// applyEvent agrees with nextStatus, never revives a final record, and a record it makes survives
// recordToPayload/recordFromPayload.
#include <optional>

#include "fuzz/fuzz_check.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "core/state_machine.h"

using namespace kiosk;
using fuzz::require;
using nlohmann::json;

namespace {

// The real deadline rules (calendar with holidays, limits from assets/), or the built-in ones when
// the assets cannot be read.
const DeadlineRules& rules() {
    static const DeadlineRules r = [] {
        auto data = loadReferenceData(assetsDir());
        return data ? data->deadlineRules() : DeadlineRules{};
    }();
    return r;
}

std::optional<json> parseShallow(std::string_view text) {
    json j = json::parse(
        text.begin(), text.end(), [](int depth, json::parse_event_t, json&) { return depth <= 64; },
        /*allow_exceptions=*/false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

void checkRecordPayload(const json& payload) {
    std::string why;
    auto record = recordFromPayload(payload, &why);
    if (!record) {
        require(!why.empty(), "a refused payload says why");
        return;
    }
    const json encoded = recordToPayload(*record);
    auto again = recordFromPayload(encoded);
    require(again.has_value(), "an encoded record decodes");
    require(recordToPayload(*again) == encoded, "a record payload round-trips");
}

std::optional<Event> decodeEvent(const json& j) {
    std::string why;
    auto event = eventFromJson(j, &why);
    if (!event) {
        require(!why.empty(), "a refused event says why");
        return std::nullopt;
    }
    const json encoded = toJson(*event);
    auto again = eventFromJson(encoded);
    require(again.has_value(), "an encoded event decodes");
    require(toJson(*again) == encoded, "an event round-trips");
    (void)encoded.dump();  // what the store writes: must not throw on decoded text
    return event;
}

void fold(const json& events) {
    std::optional<Record> record;
    for (const json& item : events) {
        auto event = decodeEvent(item);
        if (!event) continue;
        auto next = applyEvent(record, *event, rules());
        if (!next) {
            require(!next.error().code.empty(), "a refusal has a code");
            continue;
        }
        if (record) {
            auto status = nextStatus(*record, event->action, event->actor.role);
            require(status.ok(), "applyEvent allows only what nextStatus allows");
            if (event->action != Action::AssignCode) {
                require(*status == next->status, "applyEvent moves to nextStatus's status");
                require(!isFinal(record->status), "a final record takes no more actions");
            }
        } else {
            require(event->action == Action::Submit || event->action == Action::Register,
                    "only submit and register create a record");
            require(next->code == event->recordCode, "a new record has the event's code");
        }
        checkRecordPayload(recordToPayload(*next));
        record = std::move(*next);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto j = parseShallow(fuzz::asText(data, size));
    if (!j) return 0;
    if (j->is_array()) {
        fold(*j);
    } else if (j->is_object()) {
        if (auto event = decodeEvent(*j)) checkRecordPayload(event->payload);
        checkRecordPayload(*j);
    }
    return 0;
}
