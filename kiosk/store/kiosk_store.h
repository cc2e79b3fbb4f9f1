#pragma once
// KioskStore: the kiosk's SQLite file and the only code on the kiosk that writes SQL.
//
// It is: versioned migrations applied at open (a file newer than this code is refused, not
// touched); the change transaction — one event, the record's current row and the outbox row
// committed together or not at all (docs/sync-rules.md rule 1); lookups by receipt or official code; queues
// sorted by due date; the procedure catalog with full-text search that ignores diacritics; the
// kiosk's configuration and sync bookkeeping.
// It is not: validation of what citizens typed (core/validation.h, called by the use cases
// before submit), the network (sync/client), or the screens.
// Threads: one KioskStore per thread (the UI thread and the sync thread each open their own); WAL
// lets one read while the other writes. Not thread-safe itself.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/reference_data.h"
#include "core/records.h"
#include "common/result.h"
#include "common/database.h"
#include "common/meta.h"  // readMeta, writeMeta: the kiosk keeps its settings in meta
#include "kiosk/store/identity_vault.h"

namespace kiosk::store {

struct KioskConfig {
    std::string kioskId;      // from enrollment ("" until enrolled); events carry it
    std::string commune;      // 5-digit code
    int slot = 0;             // receipt-code slot (00-99)
    std::string serverUrl;    // district server, "" for offline-only
    std::string caFile;       // CA certificate that signs the server's certificate, optional
    std::string districtKey;  // base64 public key identities are sealed to for the district
};

// One line of a record's history, for status screens and the officer console.
struct HistoryEntry {
    std::string uuid;
    Action action = Action::Submit;
    RecordStatus status = RecordStatus::Received;  // status after the event
    Actor actor;
    int64_t at = 0;  // unix seconds (actor's clock)
    uint64_t hlc = 0;
    std::string note;
    bool fromDistrict = false;
    std::string districtVerdict;  // "", "accepted", "duplicate", "rejected"
    std::string rejectReason;     // when the district rejected this kiosk's event
};

struct ListFilter {
    std::optional<RecordStatus> status;
    std::optional<RecordKind> kind;
    std::optional<PetitionKind> petitionKind;
    bool overdueOnly = false;
    bool openOnly = false;  // leave out final statuses
    // Open each record's seal for the unlocked officer (identity and content; one X25519 box per
    // record, about 0.1 ms each). A long queue passes false and opens only the rows it shows
    // (openPrivatePart).
    bool privatePart = true;
    int limit = 1000;
    int offset = 0;
};

struct CatalogHit {
    std::string id;
    std::string code;
    std::string name;
    std::optional<int> days;  // processing days when known
    bool working = false;
    std::string fee;  // "" = unknown
};

class KioskStore {
public:
    // Opens an existing kiosk database (create = false) or creates one; applies migrations.
    static Result<std::unique_ptr<KioskStore>> open(const std::string& path, bool create = false);

    // Configuration (kioskctl init). Loads the reference data into the file on first init.
    Outcome configure(const KioskConfig& config, const ReferenceData& reference);
    Result<KioskConfig> config();
    bool initialized();

    // Reference data held in the file (catalog and holidays may come from the district).
    const ReferenceData& reference() const { return m_reference; }
    const DeadlineRules& rules() const { return m_rules; }
    std::string communeName();

    // The change transaction for a new record: allocates its receipt code, stamps the event, and
    // commits event + record + outbox row. `draft` comes from validatePetition/validateDossier.
    Result<Record> createRecord(Record draft, const Actor& actor, int64_t nowUnix);
    // An officer's action on an existing record, as one event in the outbox.
    Result<Record> act(const std::string& code, Action action, const Actor& actor, nlohmann::json payload,
                       int64_t nowUnix);

    // Receipt code (digits, spaces ignored by the caller) or official code.
    Result<std::optional<Record>> find(const std::string& code);
    Result<std::vector<HistoryEntry>> history(const std::string& code);
    // The citizen's check: do these 4 digits end the phone given with this record? Compared
    // against a keyed hash, so the status check needs no readable phone number.
    Result<bool> phoneMatches(const Record& record, const std::string& last4);
    // Sorted by due date, earliest first (overdue first for open records).
    Result<std::vector<Record>> list(const ListFilter& filter, const Date& today);
    Result<int64_t> countRecords();

    Result<std::vector<CatalogHit>> searchCatalog(const std::string& query, int limit = 50);
    const Procedure* procedure(const std::string& id) const { return m_reference.procedure(id); }

    // Outbox bookkeeping for the sync client.
    Result<int64_t> outboxPending();

    // The bearer token from enrollment. Not part of config(): it stays out of the database, which is
    // what gets copied (docs/security.md). systemd's credential "kiosk-token" when the service was
    // given one, else <db>.token (0600); "" when there is none. Read from disk at each call, so a
    // token `kioskctl init` changes reaches a running kiosk's next sync pass. Errors file.read,
    // file.mode (the file may be read by others).
    Result<std::string> token();
    // Keeps the token in <db>.token ("" removes the file). Error file.write.
    Outcome setToken(const std::string& token);

    Database& database() { return m_db; }  // for kiosk/store's own sync code only

    // The hybrid logical clock's last value (meta "hlc"). A value that is not a number (a disk
    // fault, a hand edit) is rebuilt from the events instead of stopping the kiosk; the repair is
    // logged and kept in meta "last_repair" for `kioskctl sync --state`.
    Result<uint64_t> lastHlc();

    // After an officer logs in: find() and list() fill identity and content of the records sealed
    // to that officer (never a tố cáo's). lock() forgets the key. Without it they come back empty.
    void unlock(std::shared_ptr<const OfficerSecret> secret) { m_unlocked = std::move(secret); }
    // Fills identity and content of `record` from its seal to the unlocked officer, as find()
    // does; leaves them as they are when locked, or when nothing is sealed to this officer.
    void openPrivatePart(Record& record);
    void lock() { m_unlocked.reset(); }
    bool unlocked() const { return m_unlocked != nullptr; }

    // Reloads catalog, holidays and the unit map from the file (after a pull changed them).
    Outcome reloadReference();

private:
    explicit KioskStore(Database db) : m_db(std::move(db)) {}
    Outcome migrate();
    Result<Record> commitEvent(const std::optional<Record>& current, Event event,
                               const std::string& phoneCheck = "");
    Outcome sealForRecipients(const Record& record, const PrivatePart& part);
    std::string tokenFile() const;
    // The last receipt serial (meta "last_serial"), rebuilt from this kiosk's codes like lastHlc().
    Result<uint64_t> lastSerial(const KioskConfig& config);

    Database m_db;
    std::string m_memoryToken;  // an in-memory database's token (tests)
    std::shared_ptr<const OfficerSecret> m_unlocked;
    // The status check runs these for every citizen: prepared once per connection.
    std::optional<Statement> m_findStatement;
    std::optional<Statement> m_phoneCheckStatement;
    std::optional<Statement> m_sealStatement;  // a record's seal to one recipient
    std::string m_phoneKey;                    // meta phone_key, read once
    ReferenceData m_reference;
    DeadlineRules m_rules;
};

// Replace the holiday table / the catalog and its search index (inside the caller's transaction).
Outcome replaceHolidays(Database& db, const std::vector<HolidayEntry>& holidays);
Outcome replaceCatalog(Database& db, const std::vector<Procedure>& procedures);
// Replace the unit map (meta "units" and "successions", JSON as core/unit_map_json.h writes it) and
// the communes table derived from it (inside the caller's transaction). The district's imports come
// this way; `init` stores the assets' map the same way, so a restart reads the map the kiosk last had.
Outcome replaceUnits(Database& db, const UnitMap& units);
// The keyed hash of a phone's last 4 digits kept for the citizen's status check.
std::string phoneCheck(const std::string& keyHex, const std::string& code, const std::string& phone);
// The check that travels with a new record (its submit/register event's payload "status_check"),
// so every kiosk that holds the record — the commune's others, its successor's after a succession —
// can answer the citizen's status check: "s1:" and an unkeyed hash of the code and the phone's last
// 4 digits (any key would be one every kiosk holds; docs/security.md "Status check").
std::string sharedPhoneCheck(const std::string& code, const std::string& phone);
constexpr const char* kSharedPhoneCheckPrefix = "s1:";

}  // namespace kiosk::store
