#include "core/event.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

namespace kiosk {
namespace {

struct ActionSlug {
    Action action;
    std::string_view slug;
};
constexpr std::array<ActionSlug, 17> kActions{{
    {Action::Submit, "submit"},
    {Action::Register, "register"},
    {Action::Accept, "accept"},
    {Action::Reject, "reject"},
    {Action::RequestInfo, "request-info"},
    {Action::Resolve, "resolve"},
    {Action::Transfer, "transfer"},
    {Action::Extend, "extend"},
    {Action::Withdraw, "withdraw"},
    {Action::Process, "process"},
    {Action::Ready, "ready"},
    {Action::Deliver, "deliver"},
    {Action::Suspend, "suspend"},
    {Action::AssignCode, "assign-code"},
    {Action::WithdrawPart, "withdraw-part"},
    {Action::Resume, "resume"},
    {Action::MarkSigned, "mark-signed"},
}};

}  // namespace

std::string_view toSlug(Action action) {
    for (const auto& a : kActions)
        if (a.action == action) return a.slug;
    return "?";
}

std::optional<Action> actionFromSlug(std::string_view slug) {
    for (const auto& a : kActions)
        if (a.slug == slug) return a.action;
    return std::nullopt;
}

std::string_view toSlug(Role role) {
    switch (role) {
        case Role::Kiosk:
            return "kiosk";
        case Role::CommuneOfficer:
            return "commune";
        case Role::DistrictOfficer:
            return "district";
    }
    return "?";
}

std::optional<Role> roleFromSlug(std::string_view slug) {
    if (slug == "kiosk") return Role::Kiosk;
    if (slug == "commune") return Role::CommuneOfficer;
    if (slug == "district") return Role::DistrictOfficer;
    return std::nullopt;
}

uint64_t Hlc::now(uint64_t wallMillis) {
    const uint64_t physical = physicalMillis(m_last);
    if (wallMillis > physical) {
        m_last = make(wallMillis, 0);
    } else {
        // The wall clock stood still or went back: keep the physical part, count up.
        m_last += 1;
    }
    return m_last;
}

uint64_t Hlc::observe(uint64_t remote, uint64_t wallMillis) {
    const uint64_t candidate = make(wallMillis, 0);
    uint64_t highest = std::max({m_last, remote, candidate});
    if (highest == candidate && candidate > m_last && candidate > remote) {
        m_last = candidate;
    } else {
        m_last = highest + 1;
    }
    return m_last;
}

uint64_t wallClockMillis() {
    using namespace std::chrono;
    return uint64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::string newUuid() {
    std::array<unsigned char, 16> bytes{};
    size_t got = 0;
    while (got < bytes.size()) {
        ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
        if (n > 0) got += size_t(n);
    }
    // Version 7 (RFC 9562): the first 48 bits are the Unix time in milliseconds, so UUIDs made later
    // sort later and land at the end of every index keyed by them, not all over it.
    const uint64_t ms = wallClockMillis();
    for (int i = 0; i < 6; ++i) bytes[size_t(i)] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
    bytes[6] = (bytes[6] & 0x0f) | 0x70;  // version 7
    bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
    char out[37];
    std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                  bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                  bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return out;
}

bool isUuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

nlohmann::json toJson(const Event& e) {
    return nlohmann::json{
        {"uuid", e.uuid},
        {"record", e.recordCode},
        {"record_kind", toSlug(e.recordKind)},
        {"action", toSlug(e.action)},
        {"actor", {{"role", toSlug(e.actor.role)}, {"id", e.actor.id}}},
        {"hlc", e.hlc},
        {"at", e.at},
        {"payload", e.payload},
        {"kiosk", e.kioskId},
        {"seq", e.seq},
    };
}

void appendJsonString(std::string& out, std::string_view text) {
    bool plain = true;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') {
            plain = false;
            break;
        }
    }
    if (plain) {
        out += '"';
        out.append(text);
        out += '"';
        return;
    }
    out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string dumpWithout(const nlohmann::json& object, std::initializer_list<std::string_view> keys) {
    auto dump = [](const nlohmann::json& j) {
        return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    if (!object.is_object()) return dump(object);
    // An object's members come in key order, as dump() writes them.
    std::string out = "{";
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(keys.begin(), keys.end(), std::string_view(it.key())) != keys.end()) continue;
        if (out.size() > 1) out += ',';
        appendJsonString(out, it.key());
        out += ':';
        out += dump(it.value());
    }
    out += '}';
    return out;
}

std::string eventJson(const Event& e, std::string_view payloadText) {
    // toJson's keys in the order dump() writes them (sorted).
    std::string out;
    out.reserve(payloadText.size() + 256);
    out += "{\"action\":";
    appendJsonString(out, toSlug(e.action));
    out += ",\"actor\":{\"id\":";
    appendJsonString(out, e.actor.id);
    out += ",\"role\":";
    appendJsonString(out, toSlug(e.actor.role));
    out += "},\"at\":";
    out += std::to_string(e.at);
    out += ",\"hlc\":";
    out += std::to_string(e.hlc);
    out += ",\"kiosk\":";
    appendJsonString(out, e.kioskId);
    out += ",\"payload\":";
    out.append(payloadText);
    out += ",\"record\":";
    appendJsonString(out, e.recordCode);
    out += ",\"record_kind\":";
    appendJsonString(out, toSlug(e.recordKind));
    out += ",\"seq\":";
    out += std::to_string(e.seq);
    out += ",\"uuid\":";
    appendJsonString(out, e.uuid);
    out += '}';
    return out;
}

std::optional<Event> eventFromJson(const nlohmann::json& j, std::string* whyNot) {
    auto fail = [&](const char* why) -> std::optional<Event> {
        if (whyNot) *whyNot = why;
        return std::nullopt;
    };
    if (!j.is_object()) return fail("event is not an object");
    auto str = [&](const char* key) -> const std::string* {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
    };
    Event e;
    const std::string* uuid = str("uuid");
    if (!uuid || !isUuid(*uuid)) return fail("missing or malformed uuid");
    e.uuid = *uuid;
    const std::string* record = str("record");
    if (!record || record->empty() || record->size() > 64) return fail("missing record");
    e.recordCode = *record;
    const std::string* kind = str("record_kind");
    auto recordKind = kind ? recordKindFromSlug(*kind) : std::nullopt;
    if (!recordKind) return fail("missing or unknown record_kind");
    e.recordKind = *recordKind;
    const std::string* action = str("action");
    auto parsedAction = action ? actionFromSlug(*action) : std::nullopt;
    if (!parsedAction) return fail("missing or unknown action");
    e.action = *parsedAction;
    auto actor = j.find("actor");
    if (actor == j.end() || !actor->is_object()) return fail("missing actor");
    auto role = actor->find("role");
    auto id = actor->find("id");
    if (role == actor->end() || !role->is_string() || id == actor->end() || !id->is_string())
        return fail("malformed actor");
    auto parsedRole = roleFromSlug(role->get<std::string>());
    if (!parsedRole) return fail("unknown actor role");
    e.actor = Actor{*parsedRole, id->get<std::string>()};
    auto hlc = j.find("hlc");
    if (hlc == j.end() || !hlc->is_number_unsigned()) return fail("missing hlc");
    e.hlc = hlc->get<uint64_t>();
    auto at = j.find("at");
    if (at == j.end() || !at->is_number_integer()) return fail("missing at");
    e.at = at->get<int64_t>();
    auto payload = j.find("payload");
    if (payload == j.end() || !payload->is_object()) return fail("missing payload");
    e.payload = *payload;
    if (const std::string* kiosk = str("kiosk")) e.kioskId = *kiosk;
    auto seq = j.find("seq");
    if (seq != j.end()) {
        if (!seq->is_number_integer()) return fail("malformed seq");
        e.seq = seq->get<int64_t>();
    }
    return e;
}

}  // namespace kiosk
