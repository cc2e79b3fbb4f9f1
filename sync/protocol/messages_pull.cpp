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
    // "" is a record with no due date (kNoDate: a procedure whose processing time is unknown).
    auto parsedDue = due->empty() ? std::optional<Date>(kNoDate) : Date::parse(*due);
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
    } else if (*type == "units") {
        c.type = ChangeType::Units;
        for (const char* key : {"units", "successions"}) {
            const json* items = member(j, key);
            if (!items) return missing(key);
            if (!items->is_array()) return invalid(key, "not an array");
        }
        c.items = *member(j, "units");
        c.successions = *member(j, "successions");
    } else {
        return invalid("type", "unknown change type");
    }
    return c;
}

}  // namespace detail

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
    appendJsonString(out, s.due == kNoDate ? std::string() : s.due.iso());
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
        case ChangeType::Units:
            j["units"] = c.items;
            j["successions"] = c.successions;
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

Result<PullResponse> decodePullResponse(std::string_view body) {
    if (isValidUtf8(body)) {
        PullResponse page;
        if (readPullPageDirect(body, page)) return page;
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
    std::string text = std::to_string(cursor.seq) + "." + cursor.storeId;
    if (!cursor.holdings.empty()) text += "." + cursor.holdings;
    if (cursor.heldBackAfter >= 0)
        text += "-" + std::to_string(cursor.heldBackAfter) + "-" + std::to_string(cursor.kindsRead);
    return text;
}

namespace {

bool lowerHex(std::string_view text) {
    for (char ch : text)
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
    return true;
}

// "-<held back after>-<kinds read>" at the end of a cursor (encodeCursor), both numbers >= 0.
bool decodeHeldBack(std::string_view text, Cursor& c) {
    const size_t dash = text.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash + 1 >= text.size()) return false;
    int64_t after = 0;
    int kinds = 0;
    auto [endAfter, errAfter] = std::from_chars(text.data(), text.data() + dash, after);
    auto [endKinds, errKinds] = std::from_chars(text.data() + dash + 1, text.data() + text.size(), kinds);
    if (errAfter != std::errc() || endAfter != text.data() + dash || errKinds != std::errc() ||
        endKinds != text.data() + text.size() || after < 0 || kinds < 0)
        return false;
    c.heldBackAfter = after;
    c.kindsRead = kinds;
    return true;
}

}  // namespace

std::optional<Cursor> decodeCursor(std::string_view text) {
    if (text == "0") return Cursor{};
    Cursor c;
    if (const size_t dash = text.find('-'); dash != std::string_view::npos) {
        if (!decodeHeldBack(text.substr(dash + 1), c)) return std::nullopt;
        text = text.substr(0, dash);
    }
    const size_t dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 >= text.size()) return std::nullopt;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + dot, c.seq);
    if (ec != std::errc() || ptr != text.data() + dot || c.seq < 0) return std::nullopt;
    std::string_view rest = text.substr(dot + 1);
    if (const size_t second = rest.find('.'); second != std::string_view::npos) {
        if (second == 0 || second + 1 >= rest.size()) return std::nullopt;
        c.holdings = std::string(rest.substr(second + 1));
        rest = rest.substr(0, second);
        if (!lowerHex(c.holdings)) return std::nullopt;
    }
    c.storeId = std::string(rest);
    if (!lowerHex(c.storeId)) return std::nullopt;
    return c;
}

}  // namespace kiosk::protocol
