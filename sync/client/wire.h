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
#include "kiosk/store/reception.h"
#include "kiosk/store/sync_store.h"

namespace kiosk::client {

constexpr int kProtocolVersion = 1;

struct Heartbeat {
    std::string appVersion;
    int64_t queueDepth = 0;
    int64_t clockMs = 0;
    int64_t freeDiskMb = -1;  // -1: unknown, left out
};

std::string encodePushRequest(const std::string& kioskId, const std::vector<store::OutboxEntry>& batch,
                              const std::optional<Heartbeat>& heartbeat,
                              const std::vector<store::StoredReception>& receptions = {});

struct PushReply {
    int64_t ackedSeq = 0;
    std::vector<store::PushResult> results;
    std::optional<int64_t> serverTimeMs;
    std::string kioskId;  // when the district names this kiosk in its answer
};
Result<PushReply> decodePushReply(const std::string& body);

struct PullReply {
    std::vector<store::PulledChange> changes;
    std::string next;
    bool more = false;
    std::optional<int64_t> serverTimeMs;
};
Result<PullReply> decodePullReply(const std::string& body);

// {"error","message","message_vi","acked_seq"?} of a 4xx/5xx answer; fields empty when the body
// is not that.
struct ErrorReply {
    std::string error;
    std::string message;    // English
    std::string messageVi;  // Vietnamese
    std::optional<int64_t> ackedSeq;
};
ErrorReply decodeErrorReply(const std::string& body);

// GET /api/v1/whoami.
struct WhoAmI {
    std::string kioskId;
    std::string commune;
    int64_t ackedSeq = 0;
    std::optional<int64_t> serverTimeMs;
};
Result<WhoAmI> decodeWhoAmI(const std::string& body);

}  // namespace kiosk::client
