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

// [SECTION] who am I, errors

std::string encodeWhoAmI(const WhoAmI& who) {
    json j{{"version", kVersion},
           {"kiosk", who.kioskId},
           {"commune", who.commune},
           {"acked_seq", who.ackedSeq},
           {"server_time_ms", who.serverTimeMs}};
    if (who.slot) j["slot"] = *who.slot;
    if (!who.successorCode.empty())
        j["successor"] = json{{"code", who.successorCode}, {"name", who.successorName}};
    if (!who.holdings.empty()) j["holdings"] = who.holdings;
    if (who.tooOld) j["too_old"] = toJson(*who.tooOld);
    return dumpJson(j);
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
    if (const json* s = member(j, "slot")) {
        const std::optional<int64_t> slot = asInt64(*s);
        if (!slot || *slot < 1 || *slot > 99) return invalid("slot", "not a kiosk slot 1-99");
        who.slot = int(*slot);
    }
    // A successor or holdings that cannot be read are ignored: they only inform (absent: no change).
    if (const json* s = member(j, "successor"); s && s->is_object()) {
        who.successorCode = optionalString(*s, "code").value_or("");
        who.successorName = optionalString(*s, "name").value_or("");
        if (who.successorCode.size() > 16 || who.successorName.size() > 256) who.successorCode.clear();
        if (who.successorCode.empty()) who.successorName.clear();
    }
    if (const json* h = member(j, "holdings"); h && h->is_array() && h->size() <= 256)
        for (const json& code : *h)
            if (code.is_string() && code.get_ref<const std::string&>().size() <= 16)
                who.holdings.push_back(code.get<std::string>());
    if (const json* old = member(j, "too_old")) who.tooOld = tooOldFromJson(*old);
    return who;
}

// [SECTION] kiosk versions

namespace {

std::optional<std::vector<long>> versionNumbers(std::string_view version) {
    std::vector<long> numbers;
    while (!version.empty()) {
        long n = 0;
        auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), n);
        if (ec != std::errc() || n < 0) return std::nullopt;
        numbers.push_back(n);
        version.remove_prefix(size_t(end - version.data()));
        if (version.empty()) break;
        if (version.front() != '.') break;  // "0.4.0-dev": the numbers before the suffix
        version.remove_prefix(1);
    }
    if (numbers.empty() || numbers.size() > 4) return std::nullopt;
    return numbers;
}

}  // namespace

bool versionBelow(std::string_view version, std::string_view minimum) {
    const auto have = versionNumbers(version);
    const auto least = versionNumbers(minimum);
    if (!have || !least) return false;
    return std::lexicographical_compare(have->begin(), have->end(), least->begin(), least->end());
}

std::string kioskVersionOf(std::string_view userAgent) {
    constexpr std::string_view kPrefix = "commune-kiosk/";
    if (userAgent.substr(0, kPrefix.size()) != kPrefix) return "";
    std::string_view version = userAgent.substr(kPrefix.size());
    version = version.substr(0, version.find(' '));
    if (version.size() > 32 || !versionNumbers(version)) return "";
    return std::string(version);
}

Error kioskTooOld(std::string_view minimum) {
    const std::string least(minimum);
    return makeError("kiosk.too-old",
                     "Phần mềm máy kiosk quá cũ, cần cập nhật (phiên bản tối thiểu " + least + ").",
                     "The kiosk's software is too old and must be updated (minimum version " + least + ").");
}

namespace detail {

std::optional<Error> tooOldFromJson(const json& j) {
    // It only informs: a notice that cannot be read is ignored, as a successor is.
    auto e = errorFromJson(j);
    if (!e || e->code.size() > 64 || e->vi.size() > 512 || e->en.size() > 512) return std::nullopt;
    return e;
}

}  // namespace detail

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
