#pragma once
// The sync protocol's wire messages, version 1 (docs/sync-protocol.md has the full text with real
// examples): push requests and their answers, pull pages and their changes, "who am I", and error
// bodies. Each message has an encoder (struct -> JSON text) and a decoder (JSON text -> struct or an
// Error). Decoders take untrusted bytes: they never throw, never crash, refuse bad UTF-8 and JSON
// nested deeper than kMaxJsonDepth, and check types and bounds; the Error's code is the "error"
// the server puts in its 400 answer.
// It is not: HTTP, compression (gzip.h), the store, or the rules that judge events (the core state
// machine does, at the district). Pure functions, any thread. Callers: sync/client and sync/server.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/event.h"
#include "core/records.h"
#include "common/result.h"

namespace kiosk::protocol {

constexpr int kVersion = 1;
constexpr size_t kMaxEventsPerPush = 500;  // a bigger batch is refused (400 "too-many-events")
constexpr int kMaxPullLimit = 1000;        // a bigger ?limit= is served as this
constexpr int kDefaultPullLimit = 500;     // when ?limit= is absent

// [SECTION] kiosk versions
// The oldest kiosk release the district still serves in full, said in this one place: 0.1.0 signed
// no officer action, so every action of its officers is refused (officer.signature). A kiosk
// below it is told so in the push and whoami answers ("too_old", docs/sync-protocol.md "Kiosk
// versions"); its events are judged as any kiosk's.
inline constexpr std::string_view kMinimumKioskVersion = "0.2.0";
// Whether `version` ("0.3.0") is below `minimum`, number by number; an empty or unreadable version
// is not (nothing is known of it).
bool versionBelow(std::string_view version, std::string_view minimum = kMinimumKioskVersion);
// The version a kiosk's User-Agent names ("commune-kiosk/0.3.0" -> "0.3.0"); "" for any other.
std::string kioskVersionOf(std::string_view userAgent);
// What the district tells a kiosk below `minimum` (code "kiosk.too-old"), both languages.
Error kioskTooOld(std::string_view minimum = kMinimumKioskVersion);

// [SECTION] push

// What a kiosk says about itself with each push (all optional on the wire).
struct Heartbeat {
    std::string appVersion;             // "" when not sent
    std::optional<int64_t> queueDepth;  // outbox rows waiting
    std::optional<int64_t> clockMs;     // the kiosk's wall clock when it sent, unix ms
    std::optional<int64_t> freeDiskMb;
    bool insecureHttp =
        false;  // the kiosk speaks plain http:// to a remote host (kioskctl init --insecure-http)
    // A citizen pressed "Gọi cán bộ" then (the kiosk's clock, unix ms) and no officer has cleared it;
    // nullopt: nobody is waiting.
    std::optional<int64_t> helpRequestedMs;
};

// One event of a push as it arrived. Only seq and uuid must be readable for the push to be read at
// all; an event that is otherwise malformed is carried with its problem and rejected at its turn,
// so one bad event never blocks the queue behind it (docs/sync-rules.md rule 4).
struct PushedEvent {
    int64_t seq = 0;   // >= 1, unique within the push
    std::string uuid;  // as sent (1..64 characters; a valid event has a UUID, lowercase hex with dashes)
    std::optional<Event> event;  // nullopt when it could not be read
    Error problem;               // why not, when event is nullopt
};

// A citizen reception (tiếp công dân) recorded at the commune. It travels beside the events, not as
// one: it belongs to no record (a new case has none). The district keeps each once by its UUID, so
// a push resent after a lost answer stores nothing twice (kiosk/store/reception.h).
struct ReceptionReport {
    std::string uuid;
    std::string officerId;  // the commune officer who received
    int64_t at = 0;         // unix seconds, the kiosk's clock
    int64_t people = 1;
    std::string caseCode;  // "" = a new case; else the record's receipt code
    std::string kind;      // petition kind slug, or ""
    std::string outcome;
    std::string note;
};
constexpr size_t kMaxReceptionsPerPush = 200;  // a longer list is refused (400 "too-many-receptions")

// A citizen's satisfaction rating (core/rating.h) taken at the kiosk. Like a reception it travels
// beside the events: it changes no record. No identity: the record, stage, value, criteria, time.
// The district keeps one per record and stage and names in its answer's "ratings_stored" every
// rating it holds now (stored, or held from before), so the kiosk marks those sent; a district
// that does not know ratings ignores the list and names none (kiosk/store/rating.h).
struct RatingReport {
    std::string uuid;
    std::string record;  // receipt code
    std::string stage;   // "receipt" | "finished"
    std::string value;   // "rat-hai-long" | "hai-long" | "khong-hai-long"
    std::vector<std::string> criteria;
    int64_t at = 0;  // unix seconds, the kiosk's clock
};
constexpr size_t kMaxRatingsPerPush = 200;  // a longer list is refused (400 "too-many-ratings")

struct PushRequest {
    std::string kioskId;              // must be the token's kiosk (403 otherwise)
    std::vector<PushedEvent> events;  // in the order sent; the server sorts by seq
    std::optional<Heartbeat> heartbeat;
    std::vector<ReceptionReport>
        receptions;                     // optional on the wire ("receptions"); malformed ones are dropped
    std::vector<RatingReport> ratings;  // optional on the wire ("ratings"); malformed ones are dropped
};

enum class Verdict { Accepted, Duplicate, Rejected };
std::string_view toSlug(Verdict verdict);  // "accepted" | "duplicate" | "rejected"
std::optional<Verdict> verdictFromSlug(std::string_view slug);

struct EventResult {
    std::string uuid;
    int64_t seq = 0;
    Verdict verdict = Verdict::Accepted;
    std::optional<Error> reason;  // Rejected only: {"code","vi","en"}
    std::string record;           // the event's record code ("" when unreadable)
    std::string status;           // Accepted: the record's status slug after it; else ""
};

struct PushResponse {
    int64_t ackedSeq = 0;              // the kiosk's high-water mark after this push
    std::vector<EventResult> results;  // the events processed, in seq order; none past a gap
    int64_t serverTimeMs = 0;
    std::optional<int64_t> clockSkewMs;  // kiosk clock minus server clock, when known
    std::string kioskId;                 // the token's identity (so a client can learn it)
    std::string commune;
    // The pushed ratings the district holds after this push ("ratings_stored", absent when none):
    // the kiosk marks these sent and no others.
    std::vector<std::string> ratingsStored;
    // "too_old": the kiosk is below kMinimumKioskVersion (kioskTooOld); absent otherwise.
    std::optional<Error> tooOld;
};

std::string encodePushRequest(const std::string& kioskId, const std::vector<Event>& events,
                              const std::optional<Heartbeat>& heartbeat = std::nullopt,
                              const std::vector<ReceptionReport>& receptions = {},
                              const std::vector<RatingReport>& ratings = {});
Result<PushRequest> decodePushRequest(std::string_view body);
// decodePushRequest reads a push as kiosks write it straight into the structs, and anything else
// through nlohmann's tree with this: the same answer either way (errors always come from here).
// The tests and the fuzzer check decodePushRequest against it.
Result<PushRequest> decodePushRequestFromTree(std::string_view body);
std::string encodePushResponse(const PushResponse& response);
Result<PushResponse> decodePushResponse(std::string_view body);

// [SECTION] pull

// A record as the district holds it, without the citizen's identity or the content (those travel
// in the record's Submit/Register event).
struct RecordSnapshot {
    std::string code;
    std::string officialCode;  // "" until assigned
    RecordKind kind = RecordKind::Petition;
    std::string petitionKind;  // slug, petitions only
    std::string procedure;     // dossiers only
    std::string commune;
    RecordStatus status = RecordStatus::Received;
    Date receivedOn;
    Date due;
    int64_t submittedAt = 0;
    std::string resultNote;
    bool complex = false;
    int extensions = 0;
};
RecordSnapshot snapshotOf(const Record& record);

enum class ChangeType { Record, Rejection, Catalog, Holidays, Units };
// "record" | "rejection" | "catalog" | "holidays" | "units"
std::string_view toSlug(ChangeType type);

struct Change {
    int64_t seq = 0;  // the district's change sequence (0 before it is stored)
    ChangeType type = ChangeType::Record;
    RecordSnapshot record;      // Record
    std::vector<Event> events;  // Record: accepted events since the previous change for it
    std::string uuid;           // Rejection: the rejected event
    std::string recordCode;     // Rejection: its record
    Error reason;               // Rejection
    nlohmann::json items = nlohmann::json::array();  // Catalog: procedures; Holidays: holidays; Units: units
    nlohmann::json successions = nlohmann::json::array();  // Units: the succession table
};

// A change as the district stores it: its sequence and its body (encodeChangeBody's text).
struct StoredChange {
    int64_t seq = 0;
    std::string body;
};

struct PullResponse {
    std::vector<Change> changes;  // ascending seq
    std::string next;             // opaque cursor for the next ?since=
    bool more = false;            // another page is ready now
    int64_t serverTimeMs = 0;
    std::string kioskId;
    std::string commune;
};

// The body stored in the district's changes table: the change without its seq.
std::string encodeChangeBody(const Change& change);
// The same for a record change whose events are already encoded (each dumpJson(toJson(event))),
// so the district's single writer thread does not encode them again.
std::string encodeRecordChangeBody(const RecordSnapshot& record, const std::vector<std::string>& eventJson);
// Builds a pull page from stored bodies without re-encoding them.
std::string encodePullResponse(const std::vector<StoredChange>& changes, const std::string& next, bool more,
                               int64_t serverTimeMs, const std::string& kioskId, const std::string& commune);
std::string encodePullResponse(const PullResponse& response);
// Reads the page's text straight into the structs when it has the shape the district writes, and
// otherwise through decodePullResponseFromTree: the same answer either way (errors always come from
// the latter).
Result<PullResponse> decodePullResponse(std::string_view body);
// The reference decoder: nlohmann's tree of the whole page, then each change read from it. Slower;
// tests and the fuzzer check decodePullResponse against it.
Result<PullResponse> decodePullResponseFromTree(std::string_view body);

// ?since= and ?limit= as they came in the URL. A missing since means "0"; limit is clamped to
// 1..kMaxPullLimit; a limit that is not a number is refused ("invalid-field").
struct PullQuery {
    std::string since = "0";
    int limit = kDefaultPullLimit;
};
Result<PullQuery> decodePullQuery(const std::optional<std::string>& since,
                                  const std::optional<std::string>& limit);

// Cursors are opaque to clients. The district writes "<seq>.<store id>" so a cursor from another
// (or a rebuilt) district database is recognised and answered with 410 "reset"; "0" is the start.
// A kiosk whose commune holds other communes' records (a succession, core/holdings.h) gets
// "<seq>.<store id>.<holdings fingerprint>": when its holdings change, its cursor no longer names
// them, and the 410 makes it pull the added communes' older records too. A kiosk too old for some
// of the feed's changes (kindsReadBy, kiosk_version.h) gets "...-<held back after>-<kinds read>":
// once it says a newer version, the feed is served to it again from there (district/sync).
struct Cursor {
    int64_t seq = 0;
    std::string storeId;   // "" for "0"
    std::string holdings;  // "" for a commune holding its own records only
    // The seq after which a change was held back from this kiosk (the first one held back, less
    // one); -1 when nothing was.
    int64_t heldBackAfter = -1;
    int kindsRead = 0;  // with heldBackAfter: the kinds the kiosk read then (kindsReadBy)
};
std::string encodeCursor(const Cursor& cursor);
std::optional<Cursor> decodeCursor(std::string_view text);

// [SECTION] who am I, errors

struct WhoAmI {
    std::string kioskId;
    std::string commune;
    int64_t ackedSeq = 0;  // the district's high-water mark for this kiosk
    int64_t serverTimeMs = 0;
    std::optional<int> slot;  // the receipt-code slot (1-99) the district gave this kiosk, if any
    // Set when the kiosk's commune was succeeded (core/units.h): who owns its records now, so the
    // kiosk can say it should be moved there. Absent: no change.
    std::string successorCode;
    std::string successorName;
    std::vector<std::string> holdings;  // the communes whose records it gets; empty: its own only
    std::optional<Error> tooOld;        // as PushResponse's
};
std::string encodeWhoAmI(const WhoAmI& who);
Result<WhoAmI> decodeWhoAmI(std::string_view body);

// Every non-200 answer of the API: {"error": code, "message": English, "message_vi": Vietnamese}
// plus "acked_seq" for 409 "sequence-reused".
struct ErrorBody {
    std::string error;
    std::string message;
    std::string messageVi;
    std::optional<int64_t> ackedSeq;
};
std::string encodeError(const ErrorBody& body);
std::string encodeError(const Error& error);
Result<ErrorBody> decodeError(std::string_view body);

// Reasons and errors as JSON {"code","vi","en"}.
nlohmann::json toJson(const Error& error);
std::optional<Error> errorFromJson(const nlohmann::json& j);

}  // namespace kiosk::protocol
