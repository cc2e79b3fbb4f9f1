#pragma once
// KioskController: everything the screens ask of the rest of the program — store the petition,
// look a record up, search the catalog, log an officer in, act on a record, report connectivity.
// Screens call it and show the answer; they run no SQL and no HTTP themselves (docs/ARCHITECTURE.md).
// kiosk/service implements it with a KioskStore (store_controller.h) and the sync engine; tests
// use that same implementation against a real store in a temp dir.
// It is not: validation (screens call core/validation.h, which is pure) or the screens' state.
// Threads: called on the UI thread only; an implementation that talks to other threads (the sync
// engine) must return copies.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/composer.h"
#include "core/deadlines.h"
#include "core/event.h"
#include "core/rating.h"
#include "core/holdings.h"
#include "core/records.h"
#include "core/reference_data.h"
#include "common/result.h"
#include "core/validation.h"

namespace kiosk::ui {

// What the home screen's connectivity indicator shows (docs/sync-rules.md rule 14: show the truth).
// Filled by the app from the sync engine's snapshot, or from the store when no engine runs.
struct ConnectivityState {
    bool serverConfigured = false;   // false: this kiosk works offline only (no district server set)
    bool online = false;             // the district answered the last attempt
    bool syncing = false;            // a push/pull is in progress right now
    int64_t lastSuccessUnix = 0;     // the last complete push+pull, unix seconds; 0 = never
    int64_t recordsWaiting = 0;      // records with events the district has not acknowledged
    std::optional<Error> lastError;  // since the last success
    bool clockWrong = false;         // the kiosk's clock is far from the district's
    // The district says the kiosk's commune was succeeded by this one: the officers are told to
    // have the kiosk moved (README "When the commune changes"). "" = no change.
    std::string successorCode;
    std::string successorName;
    // The commune ended and no succession names it: its records have nobody to receive them yet.
    std::optional<OrphanedCommune> orphaned;
    // The district said this kiosk's software is older than the oldest it serves in full
    // (sync/protocol kioskTooOld, its message in both languages): records still go up, but an
    // update is due. Kept until an answer no longer says it.
    std::optional<Error> tooOld;
};

// One line of a record's history as people see it.
struct HistoryLine {
    int64_t at = 0;  // unix seconds, the actor's clock
    Action action = Action::Submit;
    RecordStatus status = RecordStatus::Received;  // after the event
    Role actor = Role::Kiosk;
    std::string actorId;
    std::string note;
    bool rejectedByDistrict = false;  // this kiosk's event was refused by the district
    std::string rejectReason;
};

// The answer to a citizen's status check. The identity is never part of it.
struct StatusReport {
    Record record;  // identity fields cleared
    std::vector<HistoryLine> history;
    int64_t syncedAt = 0;  // "Thông tin tính đến": last pull from the district; 0 = never
    bool overdue = false;
    std::vector<Agency> agencies;  // to name where a transferred record went (agencyName)
};

// The answer to a status check, and the check throttle's word on the code (StatusThrottle: failed
// checks are counted per code, in the kiosk database, the same for the window and kioskctl).
struct StatusCheck {
    std::optional<StatusReport> report;  // nullopt: no record with this code and phone (or refused)
    bool refused = false;                // the code is locked: nothing was looked up
    int64_t lockedSeconds = 0;           // > 0: the code is locked this many seconds from now
    int triesLeft = 0;                   // failed checks left before the code is locked
};

struct ProcedureHit {
    std::string id;    // catalog id (reference().procedure(id) has the details)
    std::string code;  // national code, "" when unconfirmed
    std::string name;
    std::optional<int> days;  // processing time when known
    bool working = false;     // days are working days
    std::string fee;          // "" = unknown
    std::string field;        // lĩnh vực ("Hộ tịch"); the list groups by it when nothing is searched
};

struct OfficerSession {
    std::string id;
    std::string name;
    std::string role;            // "officer" | "chair"
    bool mustChangePin = false;  // the PIN is under an older policy: changeOwnPin before anything else
};

// Which records the officer queue shows.
struct QueueFilter {
    enum class Kind { All, Complaint, Denunciation, Recommendation, Feedback, Dossier };
    Kind kind = Kind::All;
    std::optional<RecordStatus> status;
    bool openOnly = true;  // leave out final statuses
    bool overdueOnly = false;
    int limit = 20000;
};

struct QueueRow {
    Record record;  // of identity and content only identity.name (never a tố cáo's)
    bool overdue = false;
    bool dueSoon = false;
    bool namePending = false;  // the citizen's name is still sealed: openQueueNames opens it
    bool searchOpen = false;   // name, phone and CCCD are open for the officer's search
};

struct RecordDetail {
    Record record;                // identity cleared for tố cáo (identityHidden)
    bool identityHidden = false;  // a denouncer's identity is never shown at the commune
    std::vector<HistoryLine> history;
    std::vector<Action> actions;  // allowedActions(record, Role::CommuneOfficer, rules())
};

// What an officer gives with an action besides the action itself.
struct ActionDetails {
    std::string note;                      // the written reason or result ("" when none)
    std::optional<Complexity> complexity;  // extend on a tố cáo: the resolver's class of the case
    std::string agency;                    // transfer: an agencies.tsv slug in force today (required)
};

// A paper sent to the printer (kiosk/printing), as the receipt screen and the console show it.
struct PaperState {
    enum class State { None, Printing, Printed, Failed };
    State state = State::None;  // None: no printer thread knows this paper (a journal row only)
    Error fault;                // Failed: the printer's fault, for the officer
};

// A paper the journal has as pending or failed (kiosk/store/print_journal.h), for the console.
struct UnprintedPaper {
    int64_t id = 0;
    std::string code;     // the record's receipt code
    std::string paper;    // "slip", "receipt-form", "petition", "supplement", "apology"
    bool failed = false;  // false: still pending
    std::string reason;   // failed: the fault as it was reported (Vietnamese)
    int64_t at = 0;       // unix seconds of the last attempt
    int attempts = 0;
};

inline constexpr int kVoiceVolumeDefault = 80;

class KioskController {
public:
    virtual ~KioskController() = default;

    // Reference data and rules held in the kiosk database (catalog, limits, calendar, lists that
    // validation needs).
    virtual const ReferenceData& reference() const = 0;
    virtual const DeadlineRules& rules() const = 0;
    virtual std::string communeName() = 0;
    virtual ConnectivityState connectivity() = 0;
    virtual int64_t nowUnix() = 0;

    // A citizen's petition: validated again, then stored with its event and outbox row in one
    // transaction. An Error means nothing was stored.
    virtual Result<Record> submitPetition(const PetitionInput& input) = 0;
    // A second-time complaint's first one (input.firstCode): a khiếu nại this kiosk knows, by receipt
    // or official code. Its receipt code, or why not (both languages); nothing is stored.
    virtual Result<std::string> firstComplaint(const PetitionInput& input) = 0;
    // code: receipt digits (check digit already verified) or an official dossier code. No report
    // when no record has this code or the phone does not match — one answer, so the check does not
    // tell which — and that failure is counted against the code; a code with too many failures is
    // locked for a while and refused unlooked (StatusCheck). An Error is a failure of the kiosk itself.
    virtual Result<StatusCheck> checkStatus(const std::string& code, const std::string& phoneLast4) = 0;
    // With or without diacritics; an empty query lists the whole catalog.
    virtual Result<std::vector<ProcedureHit>> searchProcedures(const std::string& query) = 0;

    // Officers. Login errors carry the lockout message. While an officer is logged in the records
    // sealed to them show identity and content; officerLogout forgets the key.
    // A session with mustChangePin opens nothing and may do nothing but changeOwnPin.
    virtual Result<OfficerSession> officerLogin(const std::string& id, const std::string& pin) = 0;
    // The logged-in officer's new PIN (kMinPinDigits or more); the session is then a full one.
    virtual Result<OfficerSession> changeOwnPin(const std::string& newPin) = 0;
    virtual void officerLogout() = 0;
    // The queue comes back with the citizens' names still sealed (namePending), so a queue of
    // 10,000 records opens at once; the screen asks for the names of the rows it draws.
    virtual Result<std::vector<QueueRow>> queue(const QueueFilter& filter) = 0;
    // Opens the names of rows[first, last) that are pending (nothing else of the private part is
    // kept). Rows whose seal does not open for this officer keep an empty name.
    virtual void openQueueNames(std::vector<QueueRow>& rows, size_t first, size_t last) = 0;
    // The officer's search by name or phone: opens name, phone and CCCD (in memory only; content and
    // address are not kept) of rows from `first` on until about `budgetMs` has passed, and returns
    // the index of the first row not yet opened. A tố cáo's row is passed over unopened.
    virtual size_t openForSearch(std::vector<QueueRow>& rows, size_t first, double budgetMs) = 0;
    virtual Result<RecordDetail> recordDetail(const OfficerSession& officer, const std::string& code) = 0;
    // `details` beyond the note: the tố cáo's class for an extension (docs/domain.md).
    virtual Result<Record> act(const OfficerSession& officer, const std::string& code, Action action,
                               const ActionDetails& details) = 0;
    Result<Record> act(const OfficerSession& officer, const std::string& code, Action action,
                       const std::string& note) {
        return act(officer, code, action, ActionDetails{note, std::nullopt});
    }
    virtual Result<Record> registerDossier(const OfficerSession& officer, const DossierInput& input) = 0;
    // The citizen's satisfaction rating of a record at a stage (core/rating.h); nothing about the
    // citizen is kept with it. `criteria` are ids of ratingCriteria(). Errors: rating.exists (one
    // per record and stage; its message thanks the citizen), rating.not-finished, rating.criteria,
    // record.unknown, db.*.
    virtual Outcome rate(const std::string& code, RatingStage stage, RatingValue value,
                         const std::vector<std::string>& criteria) = 0;
    // The reasons ticked after the value was stored (kiosk/store/rating.h addRatingReasons).
    virtual Outcome addRatingReasons(const std::string& code, RatingStage stage,
                                     const std::vector<std::string>& criteria) = 0;
    // Whether the record has its rating at this stage already (the screens then offer none).
    virtual bool rated(const std::string& code, RatingStage stage) = 0;
    // The reasons a rating may tick (assets/rating_criteria.tsv); empty when the file is unreadable.
    virtual const std::vector<RatingCriterion>& ratingCriteria() = 0;

    // Ask the sync engine to push now (no effect when no engine runs).
    virtual void requestSync() = 0;

    // "Gọi cán bộ": a citizen's call for an officer (kiosk/store/help_request.h). callForHelp keeps
    // it (a call already waiting keeps its first time) and asks the sync engine to tell the
    // district; helpCall is when the waiting call was made (unix seconds), until an officer clears
    // it. Cheap enough to ask every frame.
    virtual Outcome callForHelp() = 0;
    virtual std::optional<int64_t> helpCall() = 0;
    virtual Outcome clearHelpCall() = 0;

    // The on-screen keyboard's input method and tone style (officer settings).
    virtual ComposerOptions inputSettings() = 0;
    virtual Outcome saveInputSettings(const ComposerOptions& options) = 0;
    // The volume of the "Nghe" voice, 0 (off: no button) to 100, set by an officer (console or
    // kioskctl config --volume); kVoiceVolumeDefault until one does.
    virtual int voiceVolume() = 0;
    virtual Outcome saveVoiceVolume(int volume) = 0;

    // The officer ends the program (kiosk mode): the app leaves its loop after this frame.
    virtual void requestExit() = 0;

    // Papers. printPaper journals the paper (pending) and hands it to the printer thread; the id
    // is the journal's, for paperState. With an officer logged in the paper is drawn from the
    // record as the officer may open it. Errors: record.unknown, paper.kind, db.*; a printer fault
    // is not one (paperState says Failed). `pin`: a citizen's check PIN for the slip, known only
    // on the receipt screen (the store keeps its hash). The defaults are a kiosk without printing.
    virtual Result<int64_t> printPaper(const std::string& code, const std::string& paper,
                                       const std::string& pin = "") {
        (void)code;
        (void)paper;
        (void)pin;
        return makeError("printer.none", "Máy không có máy in.", "This kiosk has no printer.");
    }
    virtual PaperState paperState(int64_t id) {
        (void)id;
        return {};
    }
    virtual Result<std::vector<UnprintedPaper>> unprintedPapers() { return std::vector<UnprintedPaper>{}; }
    // The paper printed again (pending once more, then as printPaper).
    virtual Outcome retryPaper(int64_t id) {
        (void)id;
        return makeError("printer.none", "Máy không có máy in.", "This kiosk has no printer.");
    }
};

}  // namespace kiosk::ui
