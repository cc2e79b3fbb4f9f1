#include "sync/protocol/messages.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "sync/protocol/message_fields.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::protocol {

using nlohmann::json;
using namespace detail;

namespace detail {

json heartbeatToJson(const Heartbeat& h) {
    json j = json::object();
    if (!h.appVersion.empty()) j["app_version"] = h.appVersion;
    if (h.queueDepth) j["queue_depth"] = *h.queueDepth;
    if (h.clockMs) j["clock_ms"] = *h.clockMs;
    if (h.freeDiskMb) j["free_disk_mb"] = *h.freeDiskMb;
    if (h.insecureHttp) j["insecure_http"] = true;
    if (h.helpRequestedMs) j["help_requested_ms"] = *h.helpRequestedMs;
    return j;
}

Result<Heartbeat> heartbeatFromJson(const json& j) {
    if (!j.is_object()) return invalid("heartbeat", "not an object");
    Heartbeat h;
    if (const json* v = member(j, "app_version")) {
        if (!v->is_string() || v->get_ref<const std::string&>().size() > 64)
            return invalid("heartbeat.app_version");
        h.appVersion = v->get<std::string>();
    }
    auto number = [&](const char* key, std::optional<int64_t>& out) -> Outcome {
        const json* v = member(j, key);
        if (!v || v->is_null()) return {};
        auto n = asInt64(*v);
        if (!n) return invalid(std::string("heartbeat.") + key, "not an integer");
        out = *n;
        return {};
    };
    if (auto r = number("queue_depth", h.queueDepth); !r) return r.error();
    if (auto r = number("clock_ms", h.clockMs); !r) return r.error();
    if (auto r = number("free_disk_mb", h.freeDiskMb); !r) return r.error();
    if (auto r = number("help_requested_ms", h.helpRequestedMs); !r) return r.error();
    if (const json* v = member(j, "insecure_http"); v && !v->is_null()) {
        if (!v->is_boolean()) return invalid("heartbeat.insecure_http", "not a boolean");
        h.insecureHttp = v->get<bool>();
    }
    return h;
}
}  // namespace detail

// [SECTION] push

std::string encodePushRequest(const std::string& kioskId, const std::vector<Event>& events,
                              const std::optional<Heartbeat>& heartbeat,
                              const std::vector<ReceptionReport>& receptions,
                              const std::vector<RatingReport>& ratings) {
    json j{{"version", kVersion}, {"kiosk", kioskId}, {"events", json::array()}};
    for (const Event& e : events) j["events"].push_back(kiosk::toJson(e));
    if (heartbeat) j["heartbeat"] = heartbeatToJson(*heartbeat);
    if (!receptions.empty()) {
        json list = json::array();
        for (const ReceptionReport& r : receptions)
            list.push_back({{"uuid", r.uuid},
                            {"officer", r.officerId},
                            {"at", r.at},
                            {"people", r.people},
                            {"case", r.caseCode},
                            {"kind", r.kind},
                            {"outcome", r.outcome},
                            {"note", r.note}});
        j["receptions"] = std::move(list);
    }
    if (!ratings.empty()) {
        json list = json::array();
        for (const RatingReport& r : ratings)
            list.push_back({{"uuid", r.uuid},
                            {"record", r.record},
                            {"stage", r.stage},
                            {"value", r.value},
                            {"criteria", r.criteria},
                            {"at", r.at}});
        j["ratings"] = std::move(list);
    }
    return dumpJson(j);
}

namespace detail {

// One reception of a push, or nullopt when it cannot be read (it is dropped; the district's own
// checks refuse what is read but wrong).
std::optional<ReceptionReport> receptionFromJson(const json& j) {
    if (!j.is_object()) return std::nullopt;
    auto text = [&](const char* key, size_t limit, bool required) -> std::optional<std::string> {
        const json* v = member(j, key);
        if (!v || v->is_null()) return required ? std::nullopt : std::optional<std::string>("");
        if (!v->is_string() || v->get_ref<const std::string&>().size() > limit) return std::nullopt;
        return v->get<std::string>();
    };
    ReceptionReport r;
    auto uuid = text("uuid", 64, true);
    auto officer = text("officer", 64, true);
    auto caseCode = text("case", 64, false);
    auto kind = text("kind", 16, false);
    auto outcome = text("outcome", 1024, false);
    auto note = text("note", 8192, false);
    const json* at = member(j, "at");
    const json* people = member(j, "people");
    if (!uuid || !officer || !caseCode || !kind || !outcome || !note || !at || !people) return std::nullopt;
    auto atValue = asInt64(*at);
    auto peopleValue = asInt64(*people);
    if (!atValue || !peopleValue) return std::nullopt;
    r.uuid = *uuid;
    r.officerId = *officer;
    r.at = *atValue;
    r.people = *peopleValue;
    r.caseCode = *caseCode;
    r.kind = *kind;
    r.outcome = *outcome;
    r.note = *note;
    return r;
}

// One rating of a push, or nullopt when it cannot be read (it is dropped, and not named in the
// answer: a kiosk that keeps sending it unreadable is a kiosk bug, seen in its unsent count).
std::optional<RatingReport> ratingFromJson(const json& j) {
    if (!j.is_object()) return std::nullopt;
    auto text = [&](const char* key, size_t limit) -> std::optional<std::string> {
        const json* v = member(j, key);
        if (!v || !v->is_string() || v->get_ref<const std::string&>().size() > limit) return std::nullopt;
        return v->get<std::string>();
    };
    auto uuid = text("uuid", 64);
    auto record = text("record", 64);
    auto stage = text("stage", 16);
    auto value = text("value", 32);
    const json* at = member(j, "at");
    if (!uuid || uuid->empty() || !record || !stage || !value || !at) return std::nullopt;
    auto atValue = asInt64(*at);
    if (!atValue) return std::nullopt;
    RatingReport r{*uuid, *record, *stage, *value, {}, *atValue};
    if (const json* criteria = member(j, "criteria"); criteria && !criteria->is_null()) {
        if (!criteria->is_array() || criteria->size() > 16) return std::nullopt;
        for (const json& c : *criteria) {
            if (!c.is_string() || c.get_ref<const std::string&>().size() > 64) return std::nullopt;
            r.criteria.push_back(c.get<std::string>());
        }
    }
    return r;
}

// The "ratings" list of a push: too long a list refuses the push; unreadable items are dropped.
Outcome readRatings(const json& list, std::vector<RatingReport>& out) {
    if (!list.is_array()) return invalid("ratings", "not an array");
    if (list.size() > kMaxRatingsPerPush)
        return makeError("too-many-ratings",
                         "Mỗi lần gửi tối đa " + std::to_string(kMaxRatingsPerPush) + " lượt đánh giá.",
                         "At most " + std::to_string(kMaxRatingsPerPush) + " ratings per push.");
    for (const json& item : list)
        if (auto r = ratingFromJson(item)) out.push_back(std::move(*r));
    return {};
}

}  // namespace detail

namespace {

// Why a pushed event cannot be read. An action this server does not know comes from a kiosk newer
// than the server (a later version's event kind): it is refused by name, so the kiosk shows why and
// keeps the event as refused, rather than being dropped or taken for garbage.
Error unreadableEvent(const json& e, const std::string& why) {
    auto action = e.find("action");
    if (action != e.end() && action->is_string() && !actionFromSlug(action->get_ref<const std::string&>())) {
        std::string slug = action->get<std::string>().substr(0, 40);
        for (char& c : slug)  // slugs are ASCII; anything else is shown as '?', never cut mid-character
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
        return makeError(
            "event.unknown-action",
            "Máy chủ chưa biết thao tác “" + slug +
                "” (máy kiosk mới hơn máy chủ): cần cập nhật máy chủ; sự kiện bị từ chối.",
            "The server does not know the action “" + slug +
                "” (the kiosk is newer than the server): update the server; the event is refused.");
    }
    return makeError("event.malformed", "Sự kiện không hợp lệ: " + why, "Malformed event: " + why);
}

}  // namespace

Result<PushRequest> decodePushRequestFromTree(std::string_view body) {
    auto opened = openMessage(body);
    if (!opened) return opened.error();
    const json& j = *opened;
    PushRequest request;
    auto kiosk = requiredString(j, "kiosk", 64);
    if (!kiosk) return kiosk.error();
    request.kioskId = *kiosk;
    const json* events = member(j, "events");
    if (!events) return missing("events");
    if (!events->is_array()) return invalid("events", "not an array");
    if (events->size() > kMaxEventsPerPush)
        return makeError("too-many-events",
                         "Mỗi lần gửi tối đa " + std::to_string(kMaxEventsPerPush) + " sự kiện.",
                         "At most " + std::to_string(kMaxEventsPerPush) + " events per push.");
    std::set<int64_t> seen;
    for (const json& e : *events) {
        if (!e.is_object()) return invalid("events", "an event is not an object");
        PushedEvent pushed;
        auto seq = requiredInt(e, "seq");
        if (!seq) return seq.error();
        if (*seq < 1) return invalid("seq", "must be positive");
        if (!seen.insert(*seq).second) return invalid("seq", "the same seq twice in one push");
        pushed.seq = *seq;
        auto uuid = requiredString(e, "uuid", 64);
        if (!uuid) return uuid.error();
        if (uuid->empty()) return invalid("uuid", "empty");
        pushed.uuid = *uuid;
        std::string why;
        pushed.event = eventFromJson(e, &why);
        if (!pushed.event) pushed.problem = unreadableEvent(e, why);
        request.events.push_back(std::move(pushed));
    }
    if (const json* heartbeat = member(j, "heartbeat"); heartbeat && !heartbeat->is_null()) {
        auto parsed = heartbeatFromJson(*heartbeat);
        if (!parsed) return parsed.error();
        request.heartbeat = std::move(*parsed);
    }
    if (const json* receptions = member(j, "receptions"); receptions && !receptions->is_null()) {
        if (!receptions->is_array()) return invalid("receptions", "not an array");
        if (receptions->size() > kMaxReceptionsPerPush)
            return makeError(
                "too-many-receptions",
                "Mỗi lần gửi tối đa " + std::to_string(kMaxReceptionsPerPush) + " lượt tiếp công dân.",
                "At most " + std::to_string(kMaxReceptionsPerPush) + " receptions per push.");
        for (const json& item : *receptions)
            if (auto r = receptionFromJson(item)) request.receptions.push_back(std::move(*r));
    }
    if (const json* ratings = member(j, "ratings"); ratings && !ratings->is_null())
        if (auto ok = readRatings(*ratings, request.ratings); !ok) return ok.error();
    return request;
}

// Written directly, keys in the order nlohmann's dump() writes them (a test holds it to that): one
// answer per push, one item per event, where building the tree showed in the district's profile.
std::string encodePushResponse(const PushResponse& r) {
    std::string out;
    out.reserve(160 + r.results.size() * 120);
    out += "{\"acked_seq\":";
    out += std::to_string(r.ackedSeq);
    if (r.clockSkewMs) {
        out += ",\"clock_skew_ms\":";
        out += std::to_string(*r.clockSkewMs);
    }
    out += ",\"commune\":";
    appendJsonString(out, r.commune);
    out += ",\"kiosk\":";
    appendJsonString(out, r.kioskId);
    if (!r.ratingsStored.empty()) {
        out += ",\"ratings_stored\":[";
        for (size_t i = 0; i < r.ratingsStored.size(); ++i) {
            if (i) out += ',';
            appendJsonString(out, r.ratingsStored[i]);
        }
        out += ']';
    }
    out += ",\"results\":[";
    for (size_t i = 0; i < r.results.size(); ++i) {
        const EventResult& e = r.results[i];
        if (i) out += ',';
        out += "{\"outcome\":";
        appendJsonString(out, toSlug(e.verdict));
        if (e.reason) {
            out += ",\"reason\":{\"code\":";
            appendJsonString(out, e.reason->code);
            out += ",\"en\":";
            appendJsonString(out, e.reason->en);
            out += ",\"vi\":";
            appendJsonString(out, e.reason->vi);
            out += '}';
        }
        if (!e.record.empty()) {
            out += ",\"record\":";
            appendJsonString(out, e.record);
        }
        out += ",\"seq\":";
        out += std::to_string(e.seq);
        if (!e.status.empty()) {
            out += ",\"status\":";
            appendJsonString(out, e.status);
        }
        out += ",\"uuid\":";
        appendJsonString(out, e.uuid);
        out += '}';
    }
    out += "],\"server_time_ms\":";
    out += std::to_string(r.serverTimeMs);
    if (r.tooOld) {
        out += ",\"too_old\":{\"code\":";
        appendJsonString(out, r.tooOld->code);
        out += ",\"en\":";
        appendJsonString(out, r.tooOld->en);
        out += ",\"vi\":";
        appendJsonString(out, r.tooOld->vi);
        out += '}';
    }
    out += ",\"version\":";
    out += std::to_string(kVersion);
    out += '}';
    return out;
}

Result<PushResponse> decodePushResponse(std::string_view body) {
    auto opened = openMessage(body);
    if (!opened) return opened.error();
    const json& j = *opened;
    PushResponse r;
    auto acked = requiredInt(j, "acked_seq");
    if (!acked) return acked.error();
    r.ackedSeq = *acked;
    const json* results = member(j, "results");
    if (!results) return missing("results");
    if (!results->is_array()) return invalid("results", "not an array");
    for (const json& item : *results) {
        if (!item.is_object()) return invalid("results", "not an object");
        EventResult e;
        auto uuid = requiredString(item, "uuid", 64);
        if (!uuid) return uuid.error();
        e.uuid = *uuid;
        auto seq = requiredInt(item, "seq");
        if (!seq) return seq.error();
        e.seq = *seq;
        auto outcome = requiredString(item, "outcome");
        if (!outcome) return outcome.error();
        auto verdict = verdictFromSlug(*outcome);
        if (!verdict) return invalid("outcome");
        e.verdict = *verdict;
        if (const json* reason = member(item, "reason")) {
            e.reason = errorFromJson(*reason);
            if (!e.reason) return invalid("reason");
        }
        e.record = optionalString(item, "record").value_or("");
        e.status = optionalString(item, "status").value_or("");
        r.results.push_back(std::move(e));
    }
    if (const json* t = member(j, "server_time_ms")) r.serverTimeMs = asInt64(*t).value_or(0);
    if (const json* s = member(j, "clock_skew_ms")) r.clockSkewMs = asInt64(*s);
    r.kioskId = optionalString(j, "kiosk").value_or("");
    r.commune = optionalString(j, "commune").value_or("");
    // Absent from a district that does not know ratings; anything unreadable names none.
    if (const json* stored = member(j, "ratings_stored"); stored && stored->is_array())
        for (const json& uuid : *stored)
            if (uuid.is_string()) r.ratingsStored.push_back(uuid.get<std::string>());
    if (const json* old = member(j, "too_old")) r.tooOld = tooOldFromJson(*old);
    return r;
}
Result<PushRequest> decodePushRequest(std::string_view body) {
    if (isValidUtf8(body)) {
        PushRequest request;
        if (readPushRequestDirect(body, request)) return request;
    }
    return decodePushRequestFromTree(body);
}

}  // namespace kiosk::protocol
