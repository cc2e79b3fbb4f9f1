// Fuzzes the push messages: decodePushRequest (what the district reads from every kiosk) and
// decodePushResponse (what a kiosk reads back), each given the whole input. Properties: a decoded
// request holds at most kMaxEventsPerPush events with distinct positive seqs, each either readable
// or carrying its problem; decoding is a fixed point of encoding (encode, decode, encode gives the
// same text) for both messages; decodePushRequest (its direct reader, falling back to the tree)
// answers as decodePushRequestFromTree does; a refusal has a code and both messages.
#include <set>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "sync/protocol/messages.h"

using namespace kiosk;
using namespace kiosk::protocol;
using fuzz::require;

namespace {

void checkError(const Error& error) {
    require(!error.code.empty() && !error.vi.empty() && !error.en.empty(),
            "a refusal has a code and both messages");
}

// What a decoded push says, as text: its readable events, heartbeat and receptions re-encoded, and
// each event's seq, uuid and problem.
std::string describe(const PushRequest& r) {
    std::vector<Event> readable;
    std::string out;
    for (const PushedEvent& pushed : r.events) {
        out += std::to_string(pushed.seq) + " " + pushed.uuid + " " +
               (pushed.event ? "ok" : pushed.problem.en) + "\n";
        if (pushed.event) readable.push_back(*pushed.event);
    }
    return out + encodePushRequest(r.kioskId, readable, r.heartbeat, r.receptions);
}

void checkRequest(std::string_view body) {
    auto request = decodePushRequest(body);
    // The direct reader is a fast path of the tree decoder: the same answer, or the same error.
    auto tree = decodePushRequestFromTree(body);
    require(request.ok() == tree.ok(), "the direct and the tree decoder accept the same pushes");
    if (request)
        require(describe(*request) == describe(*tree),
                "the direct and the tree decoder read a push the same");
    else
        require(request.error().code == tree.error().code && request.error().en == tree.error().en,
                "the direct and the tree decoder refuse a push with the same error");
    if (!request) return checkError(request.error());
    require(request->events.size() <= kMaxEventsPerPush, "a push holds at most 500 events");
    std::set<int64_t> seqs;
    std::vector<Event> readable;
    for (const PushedEvent& pushed : request->events) {
        require(pushed.seq >= 1, "seqs are positive");
        require(seqs.insert(pushed.seq).second, "seqs are distinct");
        require(!pushed.uuid.empty() && pushed.uuid.size() <= 64, "a uuid is 1..64 characters");
        if (pushed.event) {
            require(pushed.event->uuid == pushed.uuid, "the event's uuid is the pushed uuid");
            readable.push_back(*pushed.event);
        } else {
            checkError(pushed.problem);
        }
    }
    const std::string encoded = encodePushRequest(request->kioskId, readable, request->heartbeat);
    auto again = decodePushRequest(encoded);
    require(again.ok(), "an encoded push decodes");
    require(again->events.size() == readable.size(), "every readable event survives");
    std::vector<Event> readableAgain;
    for (const PushedEvent& pushed : again->events) {
        require(pushed.event.has_value(), "an encoded event is readable");
        readableAgain.push_back(*pushed.event);
    }
    require(encodePushRequest(again->kioskId, readableAgain, again->heartbeat) == encoded,
            "a push request round-trips");
}

void checkResponse(std::string_view body) {
    auto response = decodePushResponse(body);
    if (!response) return checkError(response.error());
    const std::string encoded = encodePushResponse(*response);
    auto again = decodePushResponse(encoded);
    require(again.ok(), "an encoded push response decodes");
    require(encodePushResponse(*again) == encoded, "a push response round-trips");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view body = fuzz::asText(data, size);
    checkRequest(body);
    checkResponse(body);
    return 0;
}
