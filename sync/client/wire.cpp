#include "sync/client/wire.h"

#include "core/unit_map_json.h"
#include "sync/protocol/messages.h"

namespace kiosk::client {
namespace {

using nlohmann::json;

Error malformed(const Error& why) {
    return makeError("wire.malformed", "Máy chủ trả lời sai định dạng (" + why.vi + ").",
                     "The server's answer is malformed (" + why.en + ").");
}

Error malformed(const std::string& what) { return malformed(makeError("", what, what)); }

std::string stringField(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int64_t> intField(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<int64_t>();
}

bool truthy(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return false;
    if (it->is_boolean()) return it->get<bool>();
    if (it->is_number_integer()) return it->get<int64_t>() != 0;
    return false;
}

// A catalog entry; the same names as the catalog table and the assets (limit as {days, working}
// or limit_days/limit_working).
std::optional<Procedure> procedureFrom(const json& j) {
    if (!j.is_object()) return std::nullopt;
    Procedure p;
    p.id = stringField(j, "id");
    p.code = stringField(j, "code");
    if (p.id.empty()) p.id = p.code;
    p.name = stringField(j, "name");
    if (p.id.empty() || p.name.empty()) return std::nullopt;
    p.field = stringField(j, "field");
    p.processingTime = stringField(j, "processing_time");
    if (auto limit = j.find("limit"); limit != j.end() && limit->is_object()) {
        if (auto days = intField(*limit, "days")) p.limit = Limit{int(*days), truthy(*limit, "working")};
    } else if (auto days = intField(j, "limit_days")) {
        p.limit = Limit{int(*days), truthy(j, "limit_working")};
    }
    p.fee = stringField(j, "fee");
    p.documents = stringField(j, "documents");
    if (auto postal = j.find("postal"); postal != j.end() && postal->is_boolean())
        p.postal = postal->get<bool>();
    p.where = stringField(j, "where");
    if (p.where.empty()) p.where = stringField(j, "place");
    p.legalBasis = stringField(j, "legal_basis");
    return p;
}

std::optional<HolidayEntry> holidayFrom(const json& j) {
    if (!j.is_object()) return std::nullopt;
    auto date = Date::parse(stringField(j, "date"));
    if (!date) return std::nullopt;
    return HolidayEntry{*date, truthy(j, "workday"), stringField(j, "name"), truthy(j, "provisional")};
}

Result<store::PulledChange> changeFrom(protocol::Change& c) {
    using Type = store::PulledChange::Type;
    store::PulledChange out;
    out.seq = c.seq;
    switch (c.type) {
        case protocol::ChangeType::Record:
            out.type = Type::Record;
            out.record.code = c.record.code;
            out.record.officialCode = c.record.officialCode;
            out.record.kind = std::string(toSlug(c.record.kind));
            out.record.status = std::string(toSlug(c.record.status));
            out.record.due = c.record.due == kNoDate ? std::string() : c.record.due.iso();
            out.record.resultNote = c.record.resultNote;
            out.record.complex = c.record.complex;
            out.record.extensions = c.record.extensions;
            out.events = std::move(c.events);
            break;
        case protocol::ChangeType::Rejection:
            out.type = Type::Rejection;
            out.uuid = c.uuid;
            out.recordCode = std::move(c.recordCode);
            out.reason = std::move(c.reason);
            break;
        case protocol::ChangeType::Catalog:
            out.type = Type::Catalog;
            for (const json& item : c.items) {
                auto procedure = procedureFrom(item);
                if (!procedure) return malformed("catalog entry");
                out.procedures.push_back(std::move(*procedure));
            }
            break;
        case protocol::ChangeType::Holidays:
            out.type = Type::Holidays;
            for (const json& item : c.items) {
                auto holiday = holidayFrom(item);
                if (!holiday) return malformed("holiday entry");
                out.holidays.push_back(std::move(*holiday));
            }
            break;
        case protocol::ChangeType::Units: {
            out.type = Type::Units;
            auto units = unitsFromJson(c.items);
            auto successions = successionsFromJson(c.successions);
            if (!units || units->empty() || !successions) return malformed("unit map");
            out.units = UnitMap(std::move(*units), std::move(*successions));
            break;
        }
    }
    return out;
}

}  // namespace

std::string encodePushRequest(const std::string& kioskId, const std::vector<store::OutboxEntry>& batch,
                              const std::optional<protocol::Heartbeat>& heartbeat,
                              const std::vector<store::StoredReception>& receptions,
                              const std::vector<store::StoredRating>& ratings) {
    // The events' wire text was made when the batch was read (OutboxEntry::json): splice it into
    // the envelope instead of copying, re-encoding and dumping every event again. Entries without
    // it, or made under another kiosk id or number, are encoded here.
    bool spliced = true;
    for (const store::OutboxEntry& entry : batch)
        if (entry.json.empty() || entry.event.kioskId != kioskId || entry.event.seq != entry.seq)
            spliced = false;
    std::vector<Event> events;
    if (!spliced) {
        events.reserve(batch.size());
        for (const store::OutboxEntry& entry : batch) {
            events.push_back(entry.event);
            events.back().kioskId = kioskId;
            events.back().seq = entry.seq;
        }
    }
    std::vector<protocol::ReceptionReport> reports;
    reports.reserve(receptions.size());
    for (const store::StoredReception& r : receptions)
        reports.push_back(protocol::ReceptionReport{r.uuid, r.officerId, r.at, r.people, r.caseCode, r.kind,
                                                    r.outcome, r.note});
    std::vector<protocol::RatingReport> ratingReports;
    ratingReports.reserve(ratings.size());
    for (const store::StoredRating& r : ratings)
        ratingReports.push_back(protocol::RatingReport{r.uuid, r.recordCode, std::string(toSlug(r.stage)),
                                                       std::string(toSlug(r.value)), r.criteria, r.at});
    std::string envelope = protocol::encodePushRequest(kioskId, events, heartbeat, reports, ratingReports);
    if (!spliced || batch.empty()) return envelope;
    // nlohmann writes keys in order, so "events" (first of events, heartbeat, kiosk, ratings,
    // receptions, version) opens the object.
    static constexpr std::string_view kOpen = "{\"events\":[";
    if (envelope.compare(0, kOpen.size(), kOpen) != 0 || envelope.size() <= kOpen.size() ||
        envelope[kOpen.size()] != ']') {
        for (const store::OutboxEntry& entry : batch) {  // not the shape expected: encode plainly
            events.push_back(entry.event);
            events.back().kioskId = kioskId;
            events.back().seq = entry.seq;
        }
        return protocol::encodePushRequest(kioskId, events, heartbeat, reports, ratingReports);
    }
    size_t size = envelope.size() + batch.size();
    for (const store::OutboxEntry& entry : batch) size += entry.json.size();
    std::string out;
    out.reserve(size);
    out.append(envelope, 0, kOpen.size());
    for (size_t i = 0; i < batch.size(); ++i) {
        if (i) out += ',';
        out += batch[i].json;
    }
    out.append(envelope, kOpen.size(), std::string::npos);
    return out;
}

Result<protocol::PushResponse> decodePushReply(const std::string& body) {
    auto decoded = protocol::decodePushResponse(body);
    if (!decoded) return malformed(decoded.error());
    return std::move(*decoded);
}

Result<PullReply> decodePullReply(const std::string& body) {
    auto decoded = protocol::decodePullResponse(body);
    if (!decoded) return malformed(decoded.error());
    PullReply reply;
    reply.changes.reserve(decoded->changes.size());
    for (protocol::Change& c : decoded->changes) {
        auto change = changeFrom(c);
        if (!change) return change.error();
        reply.changes.push_back(std::move(*change));
    }
    reply.next = decoded->next;
    reply.more = decoded->more;
    if (decoded->serverTimeMs > 0) reply.serverTimeMs = decoded->serverTimeMs;
    return reply;
}

protocol::ErrorBody decodeErrorReply(const std::string& body) {
    auto decoded = protocol::decodeError(body);
    if (!decoded) return {};
    return std::move(*decoded);
}

Result<protocol::WhoAmI> decodeWhoAmI(const std::string& body) {
    auto decoded = protocol::decodeWhoAmI(body);
    if (!decoded) return malformed(decoded.error());
    if (decoded->kioskId.empty()) return malformed("whoami without kiosk");
    return std::move(*decoded);
}

}  // namespace kiosk::client
