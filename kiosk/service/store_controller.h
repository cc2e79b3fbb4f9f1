#pragma once
// StoreController: the kiosk's use cases, for the screens (ui::KioskController, on the UI thread's
// own KioskStore connection) and for kioskctl (one per process) alike — validate and store a
// petition in one transaction, register a dossier, look a record up for a citizen (same answer for
// an unknown code and a wrong phone; failed checks throttled per code, StatusThrottle), the officer
// queue, search and actions, officer accounts, receptions, the catalog search, and the
// connectivity the home screen shows.
// Connectivity comes from a ConnectivitySource: by default the sync state the store keeps
// (readSyncStatus: online/offline, last success, waiting, last error — also right when no server is
// configured); kiosk/app/sync_hook.cpp points it at the running sync engine instead.
// A tố cáo's identity never leaves this class toward the commune's screens (Luật Tố cáo 2018
// Điều 47): recordDetail and queue clear it.
// UI thread only (the sources it is given may be called from here only).
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "kiosk/service/kiosk_controller.h"
#include "kiosk/service/status_throttle.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/officers.h"
#include "kiosk/store/rating.h"
#include "kiosk/store/reception.h"

namespace kiosk::printing {
class PrintQueue;
}

namespace kiosk::app {

// Clears what a citizen typed about themselves from a record in memory (common::wipe on each field),
// once it has been shown.
void wipeRecord(Record& record);

using ConnectivitySource = std::function<ui::ConnectivityState()>;

// The state the store records for sync (readSyncStatus), for kiosks without a running engine.
ui::ConnectivityState connectivityFromStore(store::KioskStore& store);

class StoreController : public ui::KioskController {
public:
    StoreController(store::KioskStore& store, ComposerOptions defaultInput);

    // [SECTION] hooks the app sets
    // Where connectivity comes from (default: connectivityFromStore on this controller's store).
    void setConnectivitySource(ConnectivitySource source);
    // Called after every local write so the sync engine pushes now (default: nothing).
    void setSyncRequest(std::function<void()> request);
    // The wall clock (tests move it); default time(nullptr).
    void setClock(std::function<int64_t()> nowUnix);
    // The printer thread papers go to (kiosk/printing/print_queue.h; store_controller_papers.cpp).
    // Without one, printPaper only journals the paper, for the officers' list.
    void setPrintQueue(printing::PrintQueue* queue) { m_printQueue = queue; }
    // Any thread: the source has something new, so the next connectivity() reads it again rather
    // than its copy of up to a second ago (the sync hook calls it before waking the UI loop).
    void connectivityChanged() { m_connectivityStale = true; }
    bool exitRequested() const { return m_exit; }

    // [SECTION] ui::KioskController
    const ReferenceData& reference() const override { return m_store.reference(); }
    const DeadlineRules& rules() const override { return m_store.rules(); }
    std::string communeName() override;
    ui::ConnectivityState connectivity() override;
    int64_t nowUnix() override;
    Result<Record> submitPetition(const PetitionInput& input) override;
    // The receipt code of the first complaint a second-time one names, or why it cannot be used.
    Result<std::string> firstComplaint(const PetitionInput& input) override;
    Result<ui::StatusCheck> checkStatus(const std::string& code, const std::string& phoneLast4) override;
    Result<std::vector<ui::ProcedureHit>> searchProcedures(const std::string& query) override;
    Result<ui::OfficerSession> officerLogin(const std::string& id, const std::string& pin) override;
    Result<ui::OfficerSession> changeOwnPin(const std::string& newPin) override;
    void officerLogout() override {
        m_store.lock();
        m_pinChange.reset();
    }
    Result<std::vector<ui::QueueRow>> queue(const ui::QueueFilter& filter) override;
    void openQueueNames(std::vector<ui::QueueRow>& rows, size_t first, size_t last) override;
    size_t openForSearch(std::vector<ui::QueueRow>& rows, size_t first, double budgetMs) override;
    Result<ui::RecordDetail> recordDetail(const ui::OfficerSession& officer,
                                          const std::string& code) override;
    using KioskController::act;
    Result<Record> act(const ui::OfficerSession& officer, const std::string& code, Action action,
                       const ui::ActionDetails& details) override;
    Result<Record> registerDossier(const ui::OfficerSession& officer, const DossierInput& input) override;
    Outcome rate(const std::string& code, RatingStage stage, RatingValue value,
                 const std::vector<std::string>& criteria) override;
    Outcome addRatingReasons(const std::string& code, RatingStage stage,
                             const std::vector<std::string>& criteria) override;
    bool rated(const std::string& code, RatingStage stage) override;
    const std::vector<RatingCriterion>& ratingCriteria() override;
    void requestSync() override;
    Outcome callForHelp() override;
    std::optional<int64_t> helpCall() override;
    Outcome clearHelpCall() override;
    ComposerOptions inputSettings() override;
    Outcome saveInputSettings(const ComposerOptions& options) override;
    int voiceVolume() override;
    Outcome saveVoiceVolume(int volume) override;
    void requestExit() override { m_exit = true; }
    Result<int64_t> printPaper(const std::string& code, const std::string& paper,
                               const std::string& pin = "") override;
    ui::PaperState paperState(int64_t id) override;
    Result<std::vector<ui::UnprintedPaper>> unprintedPapers() override;
    Outcome retryPaper(int64_t id) override;

    // [SECTION] the same use cases as kioskctl asks for them
    // The catalog search with at most `limit` hits.
    Result<std::vector<ui::ProcedureHit>> searchProcedures(const std::string& query, int limit);
    // A dossier registered at the one-stop desk (the desk's act, as registerDossier above).
    Result<Record> registerDossier(const DossierInput& input);
    // An officer's search by part of a name, phone, CCCD or code (core/record_search.h) among the
    // records (openOnly: not final): each is opened in memory for it, a tố cáo's identity never.
    // The rows keep name, phone and CCCD, which the caller wipes.
    Result<std::vector<ui::QueueRow>> findRecords(const std::string& text, bool openOnly);
    // Whether findRecords can search for `text` (not empty of letters and digits), before anyone
    // logs in for it.
    static Outcome checkFindQuery(const std::string& text);
    // Officer accounts: the name is cleaned (normalizeText) before it is kept.
    Result<std::vector<store::Officer>> officers();
    // add and reset-pin return the officer with the signing key to register at the district.
    Result<store::Officer> addOfficer(const std::string& id, const std::string& name, const std::string& role,
                                      const std::string& pin);
    Outcome disableOfficer(const std::string& id);
    Result<store::Officer> resetOfficerPin(const std::string& id, const std::string& pin);
    // A citizen reception (tiếp công dân) recorded by the officer logged in, and the list of them.
    Result<store::StoredReception> addReception(const ui::OfficerSession& officer,
                                                store::ReceptionInput input);
    Result<std::vector<store::StoredReception>> receptions();

private:
    std::vector<ui::HistoryLine> historyOf(const std::string& code, Result<bool>& ok);
    void changed();  // a local write: refresh connectivity, wake sync

    store::KioskStore& m_store;
    StatusThrottle m_throttle;
    ComposerOptions m_defaultInput;
    ConnectivitySource m_source;
    std::function<void()> m_syncRequest;
    std::function<int64_t()> m_clock;
    std::optional<std::string> m_communeName;
    std::optional<ui::ConnectivityState> m_connectivity;  // cached for a second: Home asks every frame
    std::chrono::steady_clock::time_point m_connectivityAt;
    std::atomic<bool> m_connectivityStale{false};
    bool m_exit = false;
    printing::PrintQueue* m_printQueue = nullptr;
    std::optional<std::vector<RatingCriterion>> m_ratingCriteria;  // read once, when first asked
    // A login under an older PIN policy: its key, held (the store stays locked) until changeOwnPin.
    std::optional<store::OfficerSession> m_pinChange;
    // The waiting call for an officer as last read or written (unix ms); read once, then kept here
    // because only this controller writes it.
    std::optional<std::optional<int64_t>> m_helpCallMs;
};

}  // namespace kiosk::app
