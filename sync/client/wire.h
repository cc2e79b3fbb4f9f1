#pragma once
// The sync client's side of protocol v1 (docs/sync-protocol.md): an adapter between the wire
// messages of sync/protocol/messages.h (which encode and decode, never trusting the bytes) and the
// store's structs (kiosk/store/sync_store.h). A malformed answer is an Error: the page is not
// applied and the cursor does not move. Catalog and holiday items, which the protocol carries as
// plain JSON, are read here, tolerantly (an unreadable item refuses the change).
// Pure functions, any thread; callers: sync_engine.cpp and tests.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "kiosk/store/rating.h"
#include "kiosk/store/reception.h"
#include "kiosk/store/sync_store.h"
#include "sync/protocol/messages.h"

namespace kiosk::client {

constexpr int kProtocolVersion = protocol::kVersion;

// The outbox rows' events spliced into protocol::encodePushRequest's envelope (the same text).
std::string encodePushRequest(const std::string& kioskId, const std::vector<store::OutboxEntry>& batch,
                              const std::optional<protocol::Heartbeat>& heartbeat,
                              const std::vector<store::StoredReception>& receptions = {},
                              const std::vector<store::StoredRating>& ratings = {});

// protocol::decodePushResponse, its Error made "wire.malformed". serverTimeMs 0: not sent.
Result<protocol::PushResponse> decodePushReply(const std::string& body);

struct PullReply {
    std::vector<store::PulledChange> changes;
    std::string next;
    bool more = false;
    std::optional<int64_t> serverTimeMs;
};
Result<PullReply> decodePullReply(const std::string& body);

// {"error","message","message_vi","acked_seq"?} of a 4xx/5xx answer; fields empty when the body
// is not that.
protocol::ErrorBody decodeErrorReply(const std::string& body);

// GET /api/v1/whoami; a reply without the kiosk's id is malformed. serverTimeMs 0: not sent.
Result<protocol::WhoAmI> decodeWhoAmI(const std::string& body);

// A server time as the messages carry it (0 = not sent), as the clock check takes it.
inline std::optional<int64_t> sentTime(int64_t serverTimeMs) {
    return serverTimeMs > 0 ? std::optional<int64_t>(serverTimeMs) : std::nullopt;
}

}  // namespace kiosk::client
