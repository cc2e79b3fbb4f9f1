#include "sync/protocol/messages.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "sync/protocol/safe_json.h"

namespace kiosk::protocol {
namespace {

using nlohmann::json;

Error missing(const std::string& field) {
    return makeError("missing-field", "Thiếu trường “" + field + "”.", "Missing field \"" + field + "\".");
}

Error invalid(const std::string& field, const std::string& why = "") {
    const std::string en = "Invalid field \"" + field + "\"" + (why.empty() ? "." : ": " + why + ".");
    return makeError("invalid-field",
                     "Trường “" + field + "” không hợp lệ" + (why.empty() ? "." : ": " + why + "."), en);
}

// Integers as JSON may hold them: signed, or unsigned up to INT64_MAX.
std::optional<int64_t> asInt64(const json& j) {
    if (j.is_number_unsigned()) {
        const uint64_t v = j.get<uint64_t>();
        if (v > uint64_t(std::numeric_limits<int64_t>::max())) return std::nullopt;
        return int64_t(v);
    }
    if (j.is_number_integer()) return j.get<int64_t>();
    return std::nullopt;
}

const json* member(const json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

// Reads a required string field; error when missing or not a string.
Result<std::string> requiredString(const json& object, const char* key, size_t maxLength = 4096) {
    const json* v = member(object, key);
    if (!v) return missing(key);
    if (!v->is_string()) return invalid(key, "not a string");
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > maxLength) return invalid(key, "too long");
    return s;
}

Result<int64_t> requiredInt(const json& object, const char* key) {
    const json* v = member(object, key);
    if (!v) return missing(key);
    auto n = asInt64(*v);
    if (!n) return invalid(key, "not an integer");
    return *n;
}

std::optional<std::string> optionalString(const json& object, const char* key) {
    const json* v = member(object, key);
    if (!v || !v->is_string()) return std::nullopt;
    return v->get<std::string>();
}

// Parses, checks it is an object and that "version" is ours.
Result<json> openMessage(std::string_view body) {
    auto parsed = parseJsonSafely(body);
    if (!parsed) return parsed.error();
    json& j = *parsed;
    if (!j.is_object())
        return makeError("malformed-json", "Thông điệp phải là một đối tượng JSON.",
                         "The message must be a JSON object.");
    const json* version = member(j, "version");
    if (!version) return missing("version");
    auto v = asInt64(*version);
    if (!v || *v != kVersion)
        return makeError(
            "unsupported-version",
            "Phiên bản giao thức không được hỗ trợ (máy chủ dùng phiên bản " + std::to_string(kVersion) +
                ").",
            "Unsupported protocol version (this server speaks version " + std::to_string(kVersion) + ").");
    return std::move(*parsed);
}

json heartbeatToJson(const Heartbeat& h) {
    json j = json::object();
    if (!h.appVersion.empty()) j["app_version"] = h.appVersion;
    if (h.queueDepth) j["queue_depth"] = *h.queueDepth;
    if (h.clockMs) j["clock_ms"] = *h.clockMs;
    if (h.freeDiskMb) j["free_disk_mb"] = *h.freeDiskMb;
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
    return h;
}

Result<RecordSnapshot> snapshotFromJson(const json& j) {
    if (!j.is_object()) return invalid("record", "not an object");
    RecordSnapshot s;
    auto code = requiredString(j, "code", 64);
    if (!code) return code.error();
    s.code = *code;
    s.officialCode = optionalString(j, "official_code").value_or("");
    auto kind = requiredString(j, "kind");
    if (!kind) return kind.error();
    auto parsedKind = recordKindFromSlug(*kind);
    if (!parsedKind) return invalid("record.kind");
    s.kind = *parsedKind;
    auto status = requiredString(j, "status");
    if (!status) return status.error();
    auto parsedStatus = statusFromSlug(*status);
    if (!parsedStatus) return invalid("record.status");
    s.status = *parsedStatus;
    auto due = requiredString(j, "due");
    if (!due) return due.error();
    auto parsedDue = Date::parse(*due);
    if (!parsedDue) return invalid("record.due", "not a date");
    s.due = *parsedDue;
    if (auto received = optionalString(j, "received_on")) {
        auto parsedReceived = Date::parse(*received);
        if (!parsedReceived) return invalid("record.received_on", "not a date");
        s.receivedOn = *parsedReceived;
    }
    s.commune = optionalString(j, "commune").value_or("");
    s.petitionKind = optionalString(j, "petition_kind").value_or("");
    s.procedure = optionalString(j, "procedure").value_or("");
    s.resultNote = optionalString(j, "result_note").value_or("");
    if (const json* v = member(j, "submitted_at")) s.submittedAt = asInt64(*v).value_or(0);
    if (const json* v = member(j, "complex"); v && v->is_boolean()) s.complex = v->get<bool>();
    if (const json* v = member(j, "extensions")) {
        auto n = asInt64(*v);
        if (!n || *n < 0 || *n > 100) return invalid("record.extensions");
        s.extensions = int(*n);
    }
    return s;
}

Result<Change> changeFromJson(const json& j) {
    if (!j.is_object()) return invalid("changes", "a change is not an object");
    Change c;
    auto seq = requiredInt(j, "seq");
    if (!seq) return seq.error();
    if (*seq < 1) return invalid("seq", "must be positive");
    c.seq = *seq;
    auto type = requiredString(j, "type");
    if (!type) return type.error();
    if (*type == "record") {
        c.type = ChangeType::Record;
        const json* record = member(j, "record");
        if (!record) return missing("record");
        auto snapshot = snapshotFromJson(*record);
        if (!snapshot) return snapshot.error();
        c.record = std::move(*snapshot);
        if (const json* events = member(j, "events")) {
            if (!events->is_array()) return invalid("events", "not an array");
            for (const json& e : *events) {
                std::string why;
                auto event = eventFromJson(e, &why);
                if (!event) return invalid("events", why);
                c.events.push_back(std::move(*event));
            }
        }
    } else if (*type == "rejection") {
        c.type = ChangeType::Rejection;
        auto uuid = requiredString(j, "uuid", 64);
        if (!uuid) return uuid.error();
        c.uuid = *uuid;
        c.recordCode = optionalString(j, "record").value_or("");
        const json* reason = member(j, "reason");
        if (!reason) return missing("reason");
        auto parsedReason = errorFromJson(*reason);
        if (!parsedReason) return invalid("reason");
        c.reason = *parsedReason;
    } else if (*type == "catalog" || *type == "holidays") {
        c.type = *type == "catalog" ? ChangeType::Catalog : ChangeType::Holidays;
        const char* key = c.type == ChangeType::Catalog ? "procedures" : "holidays";
        const json* items = member(j, key);
        if (!items) return missing(key);
        if (!items->is_array()) return invalid(key, "not an array");
        c.items = *items;
    } else {
        return invalid("type", "unknown change type");
    }
    return c;
}

}  // namespace

// [SECTION] shared pieces

nlohmann::json toJson(const Error& error) {
    return json{{"code", error.code}, {"vi", error.vi}, {"en", error.en}};
}

std::optional<Error> errorFromJson(const nlohmann::json& j) {
    if (!j.is_object()) return std::nullopt;
    auto code = optionalString(j, "code");
    if (!code) return std::nullopt;
    return Error{*code, optionalString(j, "vi").value_or(""), optionalString(j, "en").value_or("")};
}

std::string_view toSlug(Verdict verdict) {
    switch (verdict) {
        case Verdict::Accepted:
            return "accepted";
        case Verdict::Duplicate:
            return "duplicate";
        case Verdict::Rejected:
            return "rejected";
    }
    return "?";
}

std::optional<Verdict> verdictFromSlug(std::string_view slug) {
    if (slug == "accepted") return Verdict::Accepted;
    if (slug == "duplicate") return Verdict::Duplicate;
    if (slug == "rejected") return Verdict::Rejected;
    return std::nullopt;
}

std::string_view toSlug(ChangeType type) {
    switch (type) {
        case ChangeType::Record:
            return "record";
        case ChangeType::Rejection:
            return "rejection";
        case ChangeType::Catalog:
            return "catalog";
        case ChangeType::Holidays:
            return "holidays";
    }
    return "?";
}

// [SECTION] push

std::string encodePushRequest(const std::string& kioskId, const std::vector<Event>& events,
                              const std::optional<Heartbeat>& heartbeat,
                              const std::vector<ReceptionReport>& receptions) {
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
    return dumpJson(j);
}

namespace {

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
        if (!pushed.event)
            pushed.problem =
                makeError("event.malformed", "Sự kiện không hợp lệ: " + why, "Malformed event: " + why);
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
    return r;
}

// [SECTION] pull

RecordSnapshot snapshotOf(const Record& record) {
    RecordSnapshot s;
    s.code = record.code;
    s.officialCode = record.officialCode;
    s.kind = record.kind;
    if (record.kind == RecordKind::Petition) s.petitionKind = std::string(toSlug(record.petitionKind));
    s.procedure = record.procedureCode;
    s.commune = record.commune;
    s.status = record.status;
    s.receivedOn = record.receivedOn;
    s.due = record.due;
    s.submittedAt = record.submittedAt;
    s.resultNote = record.resultNote;
    s.complex = record.complex;
    s.extensions = record.extensions;
    return s;
}

namespace {

// A record's snapshot as the change feed carries it, written directly (keys in the order
// nlohmann's dump() writes them, which the kiosk's direct page reader expects): one per record
// change the district stores, where building and dumping a json object showed in profiles.
void appendSnapshotJson(std::string& out, const RecordSnapshot& s) {
    out += "{\"code\":";
    appendJsonString(out, s.code);
    out += ",\"commune\":";
    appendJsonString(out, s.commune);
    out += ",\"complex\":";
    out += s.complex ? "true" : "false";
    out += ",\"due\":";
    appendJsonString(out, s.due.iso());
    out += ",\"extensions\":";
    out += std::to_string(s.extensions);
    out += ",\"kind\":";
    appendJsonString(out, toSlug(s.kind));
    out += ",\"official_code\":";
    appendJsonString(out, s.officialCode);
    if (s.kind == RecordKind::Petition) {
        out += ",\"petition_kind\":";
        appendJsonString(out, s.petitionKind);
    } else {
        out += ",\"procedure\":";
        appendJsonString(out, s.procedure);
    }
    out += ",\"received_on\":";
    appendJsonString(out, s.receivedOn.iso());
    out += ",\"result_note\":";
    appendJsonString(out, s.resultNote);
    out += ",\"status\":";
    appendJsonString(out, toSlug(s.status));
    out += ",\"submitted_at\":";
    out += std::to_string(s.submittedAt);
    out += '}';
}

}  // namespace

std::string encodeRecordChangeBody(const RecordSnapshot& record, const std::vector<std::string>& eventJson) {
    std::string out;
    size_t size = 512;
    for (const std::string& e : eventJson) size += e.size() + 1;
    out.reserve(size);
    out += "{\"type\":\"record\",\"record\":";
    appendSnapshotJson(out, record);
    out += ",\"events\":[";
    for (size_t i = 0; i < eventJson.size(); ++i) {
        if (i) out += ',';
        out += eventJson[i];
    }
    out += "]}";
    return out;
}

std::string encodeChangeBody(const Change& c) {
    json j{{"type", toSlug(c.type)}};
    switch (c.type) {
        case ChangeType::Record: {
            std::vector<std::string> events;
            events.reserve(c.events.size());
            for (const Event& e : c.events) events.push_back(dumpJson(kiosk::toJson(e)));
            return encodeRecordChangeBody(c.record, events);
        }
        case ChangeType::Rejection:
            j["uuid"] = c.uuid;
            j["record"] = c.recordCode;
            j["reason"] = toJson(c.reason);
            break;
        case ChangeType::Catalog:
            j["procedures"] = c.items;
            break;
        case ChangeType::Holidays:
            j["holidays"] = c.items;
            break;
    }
    return dumpJson(j);
}

std::string encodePullResponse(const std::vector<StoredChange>& changes, const std::string& next, bool more,
                               int64_t serverTimeMs, const std::string& kioskId, const std::string& commune) {
    // Stored bodies are objects written by encodeChangeBody: splice "seq" in front of their first
    // member instead of parsing and dumping every one again.
    std::string out = "{\"version\":" + std::to_string(kVersion) + ",\"changes\":[";
    bool first = true;
    for (const StoredChange& c : changes) {
        if (c.body.size() < 2 || c.body.front() != '{') continue;  // never written by us
        if (!first) out += ',';
        first = false;
        out += "{\"seq\":" + std::to_string(c.seq);
        if (c.body != "{}") out += ',';
        out.append(c.body, 1, std::string::npos);
    }
    json tail{{"next", next},
              {"more", more},
              {"server_time_ms", serverTimeMs},
              {"kiosk", kioskId},
              {"commune", commune}};
    std::string tailText = dumpJson(tail);
    out += "],";
    out.append(tailText, 1, std::string::npos);
    return out;
}

std::string encodePullResponse(const PullResponse& r) {
    std::vector<StoredChange> stored;
    stored.reserve(r.changes.size());
    for (const Change& c : r.changes) stored.push_back({c.seq, encodeChangeBody(c)});
    return encodePullResponse(stored, r.next, r.more, r.serverTimeMs, r.kioskId, r.commune);
}

namespace {

// [SECTION] pull: the direct decoder
//
// A pull page is most of what a kiosk reads (1000 changes, each with its events), and building
// nlohmann's tree of it and then copying out of the tree was a third of a pull's CPU
// (docs/benchmarks.md). MessageReader reads the page's JSON text straight into the structs, and a
// push request the same way (the district reads one per push). It is a fast path only: it gives up
// (returns false) on anything it does not expect — a key out of the order the writer uses, a
// duplicate key, a number with a fraction or more than 18 digits, a \u escape of a surrogate, a
// wrong type, a value the checks would refuse — and decodePullResponse / decodePushRequest then
// decode the same text through the tree (decodePullResponseFromTree, decodePushRequestFromTree),
// which has the final word on every error. So where the fast path succeeds the result is the
// tree's; the tests and the fuzzers (fuzz/pull_fuzz.cpp, fuzz/push_fuzz.cpp) compare the two.
class MessageReader {
public:
    explicit MessageReader(std::string_view text) : m_p(text.data()), m_end(text.data() + text.size()) {}

    bool page(PullResponse& out);
    bool pushRequest(PushRequest& out);

private:
    bool giveUp() { return false; }

    void skipSpace() {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t')) ++m_p;
    }
    char peek() {
        skipSpace();
        return m_p < m_end ? *m_p : '\0';
    }
    bool consume(char c) {
        if (peek() != c) return false;
        ++m_p;
        return true;
    }

    // A JSON string into out (decoded). The text was checked to be UTF-8 before.
    bool string(std::string& out) {
        if (!consume('"')) return giveUp();
        out.clear();
        while (true) {
            const char* run = m_p;
            while (m_p < m_end && *m_p != '"' && *m_p != '\\' && static_cast<unsigned char>(*m_p) >= 0x20)
                ++m_p;
            out.append(run, m_p);
            if (m_p >= m_end || static_cast<unsigned char>(*m_p) < 0x20) return giveUp();
            if (*m_p == '"') {
                ++m_p;
                return true;
            }
            if (m_end - m_p < 2) return giveUp();
            const char escape = m_p[1];
            m_p += 2;
            switch (escape) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    if (m_end - m_p < 4) return giveUp();
                    unsigned code = 0;
                    for (int i = 0; i < 4; ++i) {
                        const char h = m_p[i];
                        code <<= 4;
                        if (h >= '0' && h <= '9')
                            code |= unsigned(h - '0');
                        else if (h >= 'a' && h <= 'f')
                            code |= unsigned(h - 'a' + 10);
                        else if (h >= 'A' && h <= 'F')
                            code |= unsigned(h - 'A' + 10);
                        else
                            return giveUp();
                    }
                    m_p += 4;
                    if (code >= 0xD800 && code <= 0xDFFF) return giveUp();  // pairs: the tree's job
                    if (code < 0x80) {
                        out += char(code);
                    } else if (code < 0x800) {
                        out += char(0xC0 | (code >> 6));
                        out += char(0x80 | (code & 0x3F));
                    } else {
                        out += char(0xE0 | (code >> 12));
                        out += char(0x80 | ((code >> 6) & 0x3F));
                        out += char(0x80 | (code & 0x3F));
                    }
                    break;
                }
                default:
                    return giveUp();
            }
        }
    }

    // An integer without fraction or exponent, at most 18 digits (so it fits either way nlohmann
    // would store it). negative says whether it had a minus sign ("-0" is left to the tree).
    bool integer(int64_t& out, bool& negative) {
        skipSpace();
        negative = m_p < m_end && *m_p == '-';
        if (negative) ++m_p;
        const char* digits = m_p;
        int64_t value = 0;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9') {
            if (m_p - digits >= 18) return giveUp();  // a 19th digit: value * 10 could overflow
            value = value * 10 + (*m_p++ - '0');
        }
        const ptrdiff_t count = m_p - digits;
        if (count == 0 || count > 18 || (count > 1 && *digits == '0')) return giveUp();
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E')) return giveUp();
        if (negative && value == 0) return giveUp();
        out = negative ? -value : value;
        return true;
    }
    bool integer(int64_t& out) {
        bool negative = false;
        return integer(out, negative);
    }

    bool literal(std::string_view word) {
        skipSpace();
        if (size_t(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word) return giveUp();
        m_p += word.size();
        return true;
    }
    bool boolean(bool& out) {
        const char c = peek();
        if (c == 't') return (out = true, literal("true"));
        if (c == 'f') return (out = false, literal("false"));
        return giveUp();
    }

    // An object at nesting depth `depth`: member(key) is called with the reader at each value and
    // must read it whole.
    template <class Member>
    bool object(int depth, Member&& member) {
        if (depth > kMaxJsonDepth || !consume('{')) return giveUp();
        if (consume('}')) return true;
        std::string key;
        while (true) {
            if (!string(key) || !consume(':') || !member(key)) return giveUp();
            if (consume(',')) continue;
            return consume('}');
        }
    }
    template <class Element>
    bool array(int depth, Element&& element) {
        if (depth > kMaxJsonDepth || !consume('[')) return giveUp();
        if (consume(']')) return true;
        while (true) {
            if (!element()) return giveUp();
            if (consume(',')) continue;
            return consume(']');
        }
    }

    // Any value, as nlohmann's parser would build it (a later duplicate key wins, as there).
    bool value(json& out, int depth) {
        switch (peek()) {
            case '{': {
                out = json::object();
                auto& members = out.get_ref<json::object_t&>();
                return object(depth, [&](const std::string& key) {
                    json member;
                    if (!value(member, depth + 1)) return false;
                    members[key] = std::move(member);
                    return true;
                });
            }
            case '[': {
                out = json::array();
                auto& elements = out.get_ref<json::array_t&>();
                return array(depth, [&] {
                    elements.emplace_back();
                    return value(elements.back(), depth + 1);
                });
            }
            case '"': {
                std::string text;
                if (!string(text)) return false;
                out = std::move(text);
                return true;
            }
            case 't':
                return (out = true, literal("true"));
            case 'f':
                return (out = false, literal("false"));
            case 'n':
                return (out = nullptr, literal("null"));
            default: {
                int64_t n = 0;
                bool negative = false;
                if (!integer(n, negative)) return false;
                if (negative)
                    out = n;
                else
                    out = uint64_t(n);
                return true;
            }
        }
    }
    bool skip(int depth) {
        json ignored;
        return value(ignored, depth);
    }

    // Each key once: a duplicate is left to the tree.
    static bool once(uint32_t& seen, uint32_t bit) {
        if (seen & bit) return false;
        seen |= bit;
        return true;
    }

    bool shortString(std::string& out, size_t maxLength) { return string(out) && out.size() <= maxLength; }

    bool reason(Error& out, int depth);
    bool snapshot(RecordSnapshot& out, int depth);
    bool event(Event& out, int depth);
    bool change(Change& out, int depth);
    bool typedChange(Change& out, int depth);

    const char* m_p;
    const char* m_end;
};

bool MessageReader::reason(Error& out, int depth) {
    uint32_t seen = 0;
    const bool ok = object(depth, [&](const std::string& key) {
        if (key == "code") return once(seen, 1) && string(out.code);
        if (key == "vi") return once(seen, 2) && string(out.vi);
        if (key == "en") return once(seen, 4) && string(out.en);
        return skip(depth + 1);
    });
    return ok && (seen & 1);
}

bool MessageReader::snapshot(RecordSnapshot& s, int depth) {
    uint32_t seen = 0;
    std::string text;
    const bool ok = object(depth, [&](const std::string& key) {
        if (key == "code") return once(seen, 1) && shortString(s.code, 64);
        if (key == "kind") {
            if (!once(seen, 2) || !string(text)) return false;
            auto kind = recordKindFromSlug(text);
            if (!kind) return false;
            s.kind = *kind;
            return true;
        }
        if (key == "status") {
            if (!once(seen, 4) || !string(text)) return false;
            auto status = statusFromSlug(text);
            if (!status) return false;
            s.status = *status;
            return true;
        }
        if (key == "due") {
            if (!once(seen, 8) || !string(text)) return false;
            auto due = Date::parse(text);
            if (!due) return false;
            s.due = *due;
            return true;
        }
        if (key == "received_on") {
            if (!once(seen, 16) || !string(text)) return false;
            auto received = Date::parse(text);
            if (!received) return false;
            s.receivedOn = *received;
            return true;
        }
        if (key == "official_code") return once(seen, 32) && string(s.officialCode);
        if (key == "commune") return once(seen, 64) && string(s.commune);
        if (key == "petition_kind") return once(seen, 128) && string(s.petitionKind);
        if (key == "procedure") return once(seen, 256) && string(s.procedure);
        if (key == "result_note") return once(seen, 512) && string(s.resultNote);
        if (key == "submitted_at") return once(seen, 1024) && integer(s.submittedAt);
        if (key == "complex") return once(seen, 2048) && boolean(s.complex);
        if (key == "extensions") {
            int64_t n = 0;
            if (!once(seen, 4096) || !integer(n) || n < 0 || n > 100) return false;
            s.extensions = int(n);
            return true;
        }
        return skip(depth + 1);
    });
    return ok && (seen & 15) == 15;
}

bool MessageReader::event(Event& e, int depth) {
    uint32_t seen = 0;
    std::string text;
    const bool ok = object(depth, [&](const std::string& key) {
        if (key == "uuid") return once(seen, 1) && string(e.uuid) && isUuid(e.uuid);
        if (key == "record")
            return once(seen, 2) && string(e.recordCode) && !e.recordCode.empty() &&
                   e.recordCode.size() <= 64;
        if (key == "record_kind") {
            if (!once(seen, 4) || !string(text)) return false;
            auto kind = recordKindFromSlug(text);
            if (!kind) return false;
            e.recordKind = *kind;
            return true;
        }
        if (key == "action") {
            if (!once(seen, 8) || !string(text)) return false;
            auto action = actionFromSlug(text);
            if (!action) return false;
            e.action = *action;
            return true;
        }
        if (key == "actor") {
            if (!once(seen, 16)) return false;
            uint32_t actorSeen = 0;
            const bool actorOk = object(depth + 1, [&](const std::string& actorKey) {
                if (actorKey == "role") {
                    if (!once(actorSeen, 1) || !string(text)) return false;
                    auto role = roleFromSlug(text);
                    if (!role) return false;
                    e.actor.role = *role;
                    return true;
                }
                if (actorKey == "id") return once(actorSeen, 2) && string(e.actor.id);
                return skip(depth + 2);
            });
            return actorOk && actorSeen == 3;
        }
        if (key == "hlc") {
            int64_t n = 0;
            bool negative = false;
            if (!once(seen, 32) || !integer(n, negative) || negative) return false;
            e.hlc = uint64_t(n);
            return true;
        }
        if (key == "at") return once(seen, 64) && integer(e.at);
        if (key == "payload") return once(seen, 128) && peek() == '{' && value(e.payload, depth + 1);
        if (key == "kiosk") return once(seen, 256) && string(e.kioskId);
        if (key == "seq") return once(seen, 512) && integer(e.seq);
        return skip(depth + 1);
    });
    return ok && (seen & 255) == 255;
}

bool MessageReader::change(Change& c, int depth) {
    const char* start = m_p;
    if (typedChange(c, depth)) return true;
    // Members in another order ("type" after those that depend on it, as in a rejection, whose
    // body nlohmann wrote with its keys sorted) or anything else typedChange does not take: this
    // change alone is read again as a tree, by the tree decoder's own changeFromJson.
    m_p = start;
    json tree;
    if (!value(tree, depth)) return false;
    auto read = changeFromJson(tree);
    if (!read) return false;
    c = std::move(*read);
    return true;
}

// A change with "seq" and "type" before the members that depend on the type, as the district
// writes a record change.
bool MessageReader::typedChange(Change& c, int depth) {
    uint32_t seen = 0;
    std::string type;
    const bool ok = object(depth, [&](const std::string& key) {
        if (key == "seq") return once(seen, 1) && integer(c.seq) && c.seq >= 1;
        if (key == "type") {
            if (!once(seen, 2) || !string(type)) return false;
            if (type == "record")
                c.type = ChangeType::Record;
            else if (type == "rejection")
                c.type = ChangeType::Rejection;
            else if (type == "catalog")
                c.type = ChangeType::Catalog;
            else if (type == "holidays")
                c.type = ChangeType::Holidays;
            else
                return false;
            return true;
        }
        const bool typed = seen & 2;
        if (key == "record") {
            if (!typed || !once(seen, 4)) return false;
            if (c.type == ChangeType::Record) return snapshot(c.record, depth + 1);
            if (c.type == ChangeType::Rejection) return string(c.recordCode);
            return skip(depth + 1);
        }
        if (key == "events") {
            if (!typed || !once(seen, 8)) return false;
            if (c.type != ChangeType::Record) return skip(depth + 1);
            return array(depth + 1, [&] {
                c.events.emplace_back();
                return event(c.events.back(), depth + 2);
            });
        }
        if (key == "uuid") {
            if (!typed || !once(seen, 16)) return false;
            return c.type == ChangeType::Rejection ? shortString(c.uuid, 64) : skip(depth + 1);
        }
        if (key == "reason") {
            if (!typed || !once(seen, 32)) return false;
            return c.type == ChangeType::Rejection ? reason(c.reason, depth + 1) : skip(depth + 1);
        }
        if (key == "procedures" || key == "holidays") {
            const bool wanted = (key == "procedures") == (c.type == ChangeType::Catalog) &&
                                (c.type == ChangeType::Catalog || c.type == ChangeType::Holidays);
            if (!typed || !once(seen, key == "procedures" ? 64 : 128)) return false;
            if (!wanted) return skip(depth + 1);
            return peek() == '[' && value(c.items, depth + 1);
        }
        return skip(depth + 1);
    });
    if (!ok || (seen & 3) != 3) return false;
    switch (c.type) {
        case ChangeType::Record:
            return seen & 4;
        case ChangeType::Rejection:
            return (seen & 16) && (seen & 32);
        case ChangeType::Catalog:
            return seen & 64;
        case ChangeType::Holidays:
            return seen & 128;
    }
    return false;
}

bool MessageReader::page(PullResponse& out) {
    uint32_t seen = 0;
    const bool ok = object(1, [&](const std::string& key) {
        if (key == "version") {
            int64_t version = 0;
            return once(seen, 1) && integer(version) && version == kVersion;
        }
        if (key == "changes") {
            if (!once(seen, 2)) return false;
            return array(2, [&] {
                out.changes.emplace_back();
                return change(out.changes.back(), 3);
            });
        }
        if (key == "next") return once(seen, 4) && shortString(out.next, 128);
        if (key == "more") return once(seen, 8) && boolean(out.more);
        if (key == "server_time_ms") return once(seen, 16) && integer(out.serverTimeMs);
        if (key == "kiosk") return once(seen, 32) && string(out.kioskId);
        if (key == "commune") return once(seen, 64) && string(out.commune);
        return skip(2);
    });
    skipSpace();
    return ok && m_p == m_end && (seen & 15) == 15;
}

// A push as kiosks write it ({"events", "heartbeat", "kiosk", "receptions", "version"}). Gives
// up on an event eventFromJson would not read (the tree then says why), and on anything
// decodePushRequestFromTree refuses.
bool MessageReader::pushRequest(PushRequest& out) {
    uint32_t seen = 0;
    std::set<int64_t> seqs;
    constexpr int64_t kNoSeq = std::numeric_limits<int64_t>::min();  // integer() never gives it
    const bool ok = object(1, [&](const std::string& key) {
        if (key == "version") {
            int64_t version = 0;
            return once(seen, 1) && integer(version) && version == kVersion;
        }
        if (key == "kiosk") return once(seen, 2) && shortString(out.kioskId, 64);
        if (key == "events") {
            if (!once(seen, 4)) return false;
            return array(2, [&] {
                if (out.events.size() >= kMaxEventsPerPush) return false;
                Event e;
                e.seq = kNoSeq;
                if (!event(e, 3) || e.seq == kNoSeq || e.seq < 1 || !seqs.insert(e.seq).second) return false;
                PushedEvent& pushed = out.events.emplace_back();
                pushed.seq = e.seq;
                pushed.uuid = e.uuid;
                pushed.event = std::move(e);
                return true;
            });
        }
        if (key == "heartbeat") {
            json tree;
            if (!once(seen, 8) || !value(tree, 2)) return false;
            if (tree.is_null()) return true;
            auto heartbeat = heartbeatFromJson(tree);
            if (!heartbeat) return false;
            out.heartbeat = std::move(*heartbeat);
            return true;
        }
        if (key == "receptions") {
            json tree;
            if (!once(seen, 16) || !value(tree, 2)) return false;
            if (tree.is_null()) return true;
            if (!tree.is_array() || tree.size() > kMaxReceptionsPerPush) return false;
            for (const json& item : tree)
                if (auto r = receptionFromJson(item)) out.receptions.push_back(std::move(*r));
            return true;
        }
        return skip(2);
    });
    skipSpace();
    return ok && m_p == m_end && (seen & 7) == 7;
}

}  // namespace

Result<PushRequest> decodePushRequest(std::string_view body) {
    if (isValidUtf8(body)) {
        PushRequest request;
        if (MessageReader(body).pushRequest(request)) return request;
    }
    return decodePushRequestFromTree(body);
}

Result<PullResponse> decodePullResponse(std::string_view body) {
    if (isValidUtf8(body)) {
        PullResponse page;
        if (MessageReader(body).page(page)) return page;
    }
    return decodePullResponseFromTree(body);
}

Result<PullResponse> decodePullResponseFromTree(std::string_view body) {
    auto opened = openMessage(body);
    if (!opened) return opened.error();
    const json& j = *opened;
    PullResponse r;
    const json* changes = member(j, "changes");
    if (!changes) return missing("changes");
    if (!changes->is_array()) return invalid("changes", "not an array");
    for (const json& c : *changes) {
        auto change = changeFromJson(c);
        if (!change) return change.error();
        r.changes.push_back(std::move(*change));
    }
    auto next = requiredString(j, "next", 128);
    if (!next) return next.error();
    r.next = *next;
    const json* more = member(j, "more");
    if (!more) return missing("more");
    if (!more->is_boolean()) return invalid("more", "not a boolean");
    r.more = more->get<bool>();
    if (const json* t = member(j, "server_time_ms")) r.serverTimeMs = asInt64(*t).value_or(0);
    r.kioskId = optionalString(j, "kiosk").value_or("");
    r.commune = optionalString(j, "commune").value_or("");
    return r;
}

Result<PullQuery> decodePullQuery(const std::optional<std::string>& since,
                                  const std::optional<std::string>& limit) {
    PullQuery q;
    if (since && !since->empty()) {
        if (since->size() > 128 || !decodeCursor(*since)) return invalid("since", "not a cursor");
        q.since = *since;
    }
    if (limit && !limit->empty()) {
        int64_t n = 0;
        const char* begin = limit->data();
        const char* end = begin + limit->size();
        auto [ptr, ec] = std::from_chars(begin, end, n);
        if (ec != std::errc() || ptr != end) return invalid("limit", "not a number");
        q.limit = int(std::clamp<int64_t>(n, 1, kMaxPullLimit));
    }
    return q;
}

std::string encodeCursor(const Cursor& cursor) {
    if (cursor.seq == 0 && cursor.storeId.empty()) return "0";
    return std::to_string(cursor.seq) + "." + cursor.storeId;
}

std::optional<Cursor> decodeCursor(std::string_view text) {
    if (text == "0") return Cursor{};
    const size_t dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 >= text.size()) return std::nullopt;
    Cursor c;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + dot, c.seq);
    if (ec != std::errc() || ptr != text.data() + dot || c.seq < 0) return std::nullopt;
    c.storeId = std::string(text.substr(dot + 1));
    for (char ch : c.storeId)
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return std::nullopt;
    return c;
}

// [SECTION] who am I, errors

std::string encodeWhoAmI(const WhoAmI& who) {
    return dumpJson(json{{"version", kVersion},
                         {"kiosk", who.kioskId},
                         {"commune", who.commune},
                         {"acked_seq", who.ackedSeq},
                         {"server_time_ms", who.serverTimeMs}});
}

Result<WhoAmI> decodeWhoAmI(std::string_view body) {
    auto opened = openMessage(body);
    if (!opened) return opened.error();
    const json& j = *opened;
    WhoAmI who;
    auto kiosk = requiredString(j, "kiosk", 64);
    if (!kiosk) return kiosk.error();
    who.kioskId = *kiosk;
    auto commune = requiredString(j, "commune", 16);
    if (!commune) return commune.error();
    who.commune = *commune;
    if (const json* a = member(j, "acked_seq")) who.ackedSeq = asInt64(*a).value_or(0);
    if (const json* t = member(j, "server_time_ms")) who.serverTimeMs = asInt64(*t).value_or(0);
    return who;
}

std::string encodeError(const ErrorBody& body) {
    json j{{"error", body.error}, {"message", body.message}, {"message_vi", body.messageVi}};
    if (body.ackedSeq) j["acked_seq"] = *body.ackedSeq;
    return dumpJson(j);
}

std::string encodeError(const Error& error) {
    return encodeError(ErrorBody{error.code, error.en, error.vi, std::nullopt});
}

Result<ErrorBody> decodeError(std::string_view body) {
    auto parsed = parseJsonSafely(body);
    if (!parsed) return parsed.error();
    const json& j = *parsed;
    if (!j.is_object()) return invalid("error", "not an object");
    ErrorBody e;
    auto code = requiredString(j, "error", 128);
    if (!code) return code.error();
    e.error = *code;
    e.message = optionalString(j, "message").value_or("");
    e.messageVi = optionalString(j, "message_vi").value_or("");
    if (const json* a = member(j, "acked_seq")) e.ackedSeq = asInt64(*a);
    return e;
}

}  // namespace kiosk::protocol
