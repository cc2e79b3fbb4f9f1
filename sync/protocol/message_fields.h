#pragma once
// Inside sync/protocol only: the field helpers the message families share (messages.cpp,
// messages_push.cpp, messages_pull.cpp, messages_whoami.cpp) and the tree readers the direct reader
// (message_reader.cpp) falls back to for the parts it leaves to the tree. Not for other folders.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::protocol::detail {

using nlohmann::json;

// [SECTION] fields

inline Error missing(const std::string& field) {
    return makeError("missing-field", "Thiếu trường “" + field + "”.", "Missing field \"" + field + "\".");
}

inline Error invalid(const std::string& field, const std::string& why = "") {
    const std::string en = "Invalid field \"" + field + "\"" + (why.empty() ? "." : ": " + why + ".");
    return makeError("invalid-field",
                     "Trường “" + field + "” không hợp lệ" + (why.empty() ? "." : ": " + why + "."), en);
}

// Integers as JSON may hold them: signed, or unsigned up to INT64_MAX.
inline std::optional<int64_t> asInt64(const json& j) {
    if (j.is_number_unsigned()) {
        const uint64_t v = j.get<uint64_t>();
        if (v > uint64_t(std::numeric_limits<int64_t>::max())) return std::nullopt;
        return int64_t(v);
    }
    if (j.is_number_integer()) return j.get<int64_t>();
    return std::nullopt;
}

inline const json* member(const json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

// Reads a required string field; error when missing or not a string.
inline Result<std::string> requiredString(const json& object, const char* key, size_t maxLength = 4096) {
    const json* v = member(object, key);
    if (!v) return missing(key);
    if (!v->is_string()) return invalid(key, "not a string");
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > maxLength) return invalid(key, "too long");
    return s;
}

inline Result<int64_t> requiredInt(const json& object, const char* key) {
    const json* v = member(object, key);
    if (!v) return missing(key);
    auto n = asInt64(*v);
    if (!n) return invalid(key, "not an integer");
    return *n;
}

inline std::optional<std::string> optionalString(const json& object, const char* key) {
    const json* v = member(object, key);
    if (!v || !v->is_string()) return std::nullopt;
    return v->get<std::string>();
}

// Parses, checks it is an object and that "version" is ours.
inline Result<json> openMessage(std::string_view body) {
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

// [SECTION] tree readers shared with the direct reader

json heartbeatToJson(const Heartbeat& h);                         // messages_push.cpp
Result<Heartbeat> heartbeatFromJson(const json& j);               // messages_push.cpp
std::optional<ReceptionReport> receptionFromJson(const json& j);  // messages_push.cpp
std::optional<RatingReport> ratingFromJson(const json& j);        // messages_push.cpp
// The "ratings" list: too-many-ratings when too long; unreadable items are dropped.
Outcome readRatings(const json& list, std::vector<RatingReport>& out);  // messages_push.cpp
Result<RecordSnapshot> snapshotFromJson(const json& j);                 // messages_pull.cpp
Result<Change> changeFromJson(const json& j);                           // messages_pull.cpp
// "too_old" of a push or whoami answer; nullopt when unreadable (it only informs).
std::optional<Error> tooOldFromJson(const json& j);  // messages_whoami.cpp

// [SECTION] the direct reader (message_reader.cpp)

// A pull page or a push request read straight into the structs; false when the text is not in the
// shape the writers use (the caller then decodes it through the tree, which has the final word).
// The text must have been checked to be UTF-8.
bool readPullPageDirect(std::string_view body, PullResponse& out);
bool readPushRequestDirect(std::string_view body, PushRequest& out);

}  // namespace kiosk::protocol::detail
