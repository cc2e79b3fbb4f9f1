#include "kiosk/service/store_controller.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>

#include <limits>

#include "core/procedure_search.h"
#include "core/receipt_code.h"
#include "core/record_search.h"
#include "core/state_machine.h"
#include "core/text.h"
#include "core/validation.h"
#include "kiosk/store/help_request.h"
#include "kiosk/store/officers.h"
#include "kiosk/store/sync_store.h"
#include "common/sealing.h"

namespace kiosk::app {
namespace {

// A denouncer's identity is readable only by the district's inspectors (docs/domain.md).
void hideIdentity(Record& r) { r.identity = Identity{}; }

using common::wipe;

Error firstError(const Validation& v) {
    std::string vi, en;
    for (const FieldError& f : v.errors) {
        vi += (vi.empty() ? "" : " ") + f.error.vi;
        en += (en.empty() ? "" : " ") + f.error.en;
    }
    return makeError(v.errors.empty() ? "validation" : v.errors.front().error.code, vi, en);
}

// Whether the history holds a mark-signed (Đã ký/điểm chỉ) the district did not refuse.
bool markedSigned(const std::vector<ui::HistoryLine>& history) {
    return std::any_of(history.begin(), history.end(), [](const ui::HistoryLine& h) {
        return h.action == Action::MarkSigned && !h.rejectedByDistrict;
    });
}

}  // namespace

void wipeRecord(Record& r) {
    for (std::string* s : {&r.identity.name, &r.identity.cccd, &r.identity.phone, &r.identity.address,
                           &r.content, &r.checkPin, &r.identity.writerName, &r.identity.writerRelation})
        common::wipe(*s);
}

ui::ConnectivityState connectivityFromStore(store::KioskStore& store) {
    ui::ConnectivityState state;
    auto status = store::readSyncStatus(store);
    if (!status) {
        if (auto pending = store.outboxPending()) state.recordsWaiting = *pending;
        state.lastError = status.error();
        return state;
    }
    state.serverConfigured = status->configured;
    state.online = status->configured && status->online;
    state.lastSuccessUnix = status->lastSuccessMs / 1000;
    state.recordsWaiting = status->recordsWaiting;
    state.lastError = status->lastError;
    state.clockWrong = status->clockWrong();
    state.successorCode = status->successorCode;
    state.successorName = status->successorName;
    state.orphaned = status->orphaned;
    state.tooOld = status->tooOld;
    return state;
}

StoreController::StoreController(store::KioskStore& store, ComposerOptions defaultInput)
    : m_store(store), m_throttle(store.database()), m_defaultInput(defaultInput) {}

void StoreController::setConnectivitySource(ConnectivitySource source) {
    m_source = std::move(source);
    m_connectivity.reset();
}

void StoreController::setSyncRequest(std::function<void()> request) { m_syncRequest = std::move(request); }

void StoreController::setClock(std::function<int64_t()> nowUnix) { m_clock = std::move(nowUnix); }

int64_t StoreController::nowUnix() { return m_clock ? m_clock() : int64_t(std::time(nullptr)); }

std::string StoreController::communeName() {
    if (!m_communeName) m_communeName = m_store.communeName();
    return *m_communeName;
}

ui::ConnectivityState StoreController::connectivity() {
    const auto now = std::chrono::steady_clock::now();
    const bool stale = m_connectivityStale.exchange(false);
    if (!m_connectivity || stale || now - m_connectivityAt > std::chrono::seconds(1)) {
        m_connectivity = m_source ? m_source() : connectivityFromStore(m_store);
        m_connectivityAt = now;
    }
    return *m_connectivity;
}

void StoreController::changed() {
    m_connectivity.reset();
    requestSync();
}

void StoreController::requestSync() {
    if (m_syncRequest) m_syncRequest();
}

Outcome StoreController::callForHelp() {
    if (auto ok = store::requestHelp(m_store, nowUnix() * 1000); !ok) return ok;
    m_helpCallMs = store::helpRequested(m_store);
    requestSync();
    return {};
}

std::optional<int64_t> StoreController::helpCall() {
    if (!m_helpCallMs) m_helpCallMs = store::helpRequested(m_store);
    if (!*m_helpCallMs) return std::nullopt;
    return **m_helpCallMs / 1000;
}

Outcome StoreController::clearHelpCall() {
    if (auto ok = store::clearHelpRequest(m_store); !ok) return ok;
    m_helpCallMs = std::optional<int64_t>();
    requestSync();
    return {};
}

// A second-time complaint names the first one (Luật Khiếu nại 2011, Điều 37): a khiếu nại this
// kiosk knows, by its receipt code (spaces allowed) or its official code. Returns its receipt code.
Result<std::string> StoreController::firstComplaint(const PetitionInput& input) {
    if (input.kind != toSlug(PetitionKind::Complaint))
        return makeError("petition.second-time-kind", "Chỉ đơn khiếu nại mới có thể là đơn lần hai.",
                         "Only a complaint can be a second-time complaint.");
    std::string code = input.firstCode;
    if (auto receipt = parseReceiptCode(code)) code = receipt->digits;
    auto found = m_store.find(code);
    if (!found) return found.error();
    if (!*found || (*found)->kind != RecordKind::Petition ||
        (*found)->petitionKind != PetitionKind::Complaint) {
        if (*found) wipeRecord(**found);
        return makeError("petition.second-time-unknown",
                         "Không tìm thấy đơn khiếu nại lần đầu có mã “" + input.firstCode +
                             "” tại máy này. Xin kiểm tra lại mã trên giấy biên nhận hoặc quyết định.",
                         "No first complaint with the code “" + input.firstCode +
                             "” is known to this kiosk. Please check the code on the receipt or decision.");
    }
    std::string first = (*found)->code;
    wipeRecord(**found);
    return first;
}

Result<Record> StoreController::submitPetition(const PetitionInput& input) {
    std::string firstCode;
    if (!input.firstCode.empty()) {
        auto first = firstComplaint(input);
        if (!first) return first.error();
        firstCode = *first;
    }
    // The identity a kind requires is the law of the day the petition is taken.
    Validation v =
        validatePetition(input, reference().cccdProvinces, reference().mobilePrefixes, currentYearUtc7(),
                         reference().identityRules, localFromUnix(nowUnix()).date);
    if (!v.ok()) {
        Error e = firstError(v);
        wipeRecord(v.record);
        return e;
    }
    v.record.linkedCode = firstCode;
    auto stored = m_store.createRecord(v.record, Actor{Role::Kiosk, ""}, nowUnix());
    wipeRecord(v.record);
    if (!stored) {
        return makeError(stored.error().code, "Đơn CHƯA được lưu: " + stored.error().vi,
                         "The petition was NOT saved: " + stored.error().en);
    }
    changed();
    return stored;
}

std::vector<ui::HistoryLine> StoreController::historyOf(const std::string& code, Result<bool>& ok) {
    std::vector<ui::HistoryLine> lines;
    auto history = m_store.history(code);
    if (!history) {
        ok = history.error();
        return lines;
    }
    for (const store::HistoryEntry& h : *history) {
        ui::HistoryLine line;
        line.at = h.at;
        line.action = h.action;
        line.status = h.status;
        line.actor = h.actor.role;
        line.actorId = h.actor.id;
        line.note = h.note;
        line.rejectedByDistrict = h.districtVerdict == "rejected";
        line.rejectReason = h.rejectReason;
        lines.push_back(std::move(line));
    }
    ok = true;
    return lines;
}

Result<ui::StatusCheck> StoreController::checkStatus(const std::string& code, const std::string& phoneLast4) {
    const int64_t now = nowUnix();
    ui::StatusCheck check;
    auto before = m_throttle.state(code, now);
    if (!before) return before.error();
    if (before->lockedSeconds > 0) {
        check.refused = true;
        check.lockedSeconds = before->lockedSeconds;
        return check;
    }
    auto found = m_store.find(code);
    if (!found) return found.error();
    std::optional<Record> record;
    if (*found) {
        record = std::move(**found);
        auto matches = m_store.phoneMatches(*record, phoneLast4);
        if (!matches) return matches.error();
        hideIdentity(*record);
        if (!*matches) record.reset();
    }
    if (!record) {  // an unknown code and a wrong phone count alike
        auto after = m_throttle.failed(code, now);
        if (!after) return after.error();
        check.lockedSeconds = after->lockedSeconds;
        check.triesLeft = after->triesLeft;
        return check;
    }
    if (auto forgotten = m_throttle.succeeded(code); !forgotten) return forgotten.error();
    ui::StatusReport report;
    Result<bool> ok = true;
    report.history = historyOf(record->code, ok);
    if (!ok) return ok.error();
    const std::string synced = store::readMeta(m_store.database(), "last_sync_at");
    report.syncedAt = synced.empty() ? 0 : std::atoll(synced.c_str());
    report.overdue = isOverdue(*record, localFromUnix(now).date);
    report.agencies = m_store.rules().agencies;
    report.record = std::move(*record);
    check.report = std::move(report);
    check.triesLeft = m_throttle.rules().maxFailures;
    return check;
}

Result<std::vector<ui::ProcedureHit>> StoreController::searchProcedures(const std::string& query) {
    return searchProcedures(query, 200);
}

Result<std::vector<ui::ProcedureHit>> StoreController::searchProcedures(const std::string& query, int limit) {
    // Ranked in memory (core/procedure_search.h): the catalog is a few dozen rows, and a villager's
    // spelling needs more forgiveness than the full-text index gives.
    const std::vector<Procedure>& catalog = reference().procedures;
    std::vector<ui::ProcedureHit> out;
    for (size_t i : rankProcedures(query, catalog)) {
        if (int(out.size()) >= limit) break;
        const Procedure& p = catalog[i];
        out.push_back(ui::ProcedureHit{p.id, p.code, p.name,
                                       p.limit ? std::optional<int>(p.limit->days) : std::nullopt,
                                       p.limit && p.limit->working, p.fee, p.field});
    }
    return out;
}

Result<ui::OfficerSession> StoreController::officerLogin(const std::string& id, const std::string& pin) {
    m_store.lock();
    m_pinChange.reset();
    auto session = store::loginOfficer(m_store, id, pin, nowUnix());
    if (!session) return session.error();
    ui::OfficerSession out{session->officer.id, session->officer.name, session->officer.role,
                           session->mustChangePin};
    if (session->mustChangePin) {
        // Nothing opens and nothing is signed under a key wrapped under the old policy.
        m_pinChange = std::move(*session);
        return out;
    }
    // The officer's key opens the identities sealed to them until logout or the idle reset.
    m_store.unlock(session->secret);
    return out;
}

Result<ui::OfficerSession> StoreController::changeOwnPin(const std::string& newPin) {
    if (!m_pinChange)
        return makeError("officer.no-pin-change", "Không có cán bộ nào đang chờ đổi mã PIN.",
                         "No officer is waiting to change their PIN.");
    auto changed = store::changeOwnPin(m_store, *m_pinChange, newPin);
    if (!changed) return changed.error();
    m_store.unlock(m_pinChange->secret);
    m_pinChange.reset();
    return ui::OfficerSession{changed->id, changed->name, changed->role, false};
}

Result<std::vector<ui::QueueRow>> StoreController::queue(const ui::QueueFilter& filter) {
    store::ListFilter list;
    using Kind = ui::QueueFilter::Kind;
    switch (filter.kind) {
        case Kind::All:
            break;
        case Kind::Dossier:
            list.kind = RecordKind::Dossier;
            break;
        case Kind::Complaint:
            list.petitionKind = PetitionKind::Complaint;
            break;
        case Kind::Denunciation:
            list.petitionKind = PetitionKind::Denunciation;
            break;
        case Kind::Recommendation:
            list.petitionKind = PetitionKind::Recommendation;
            break;
        case Kind::Feedback:
            list.petitionKind = PetitionKind::Feedback;
            break;
    }
    if (list.petitionKind) list.kind = RecordKind::Petition;
    list.status = filter.status;
    list.openOnly = filter.openOnly;
    list.overdueOnly = filter.overdueOnly;
    list.limit = filter.limit;
    list.privatePart = false;  // opened row by row as the list shows them (openQueueNames)
    const Date today = localFromUnix(nowUnix()).date;
    auto records = m_store.list(list, today);
    if (!records) return records.error();
    std::vector<ui::QueueRow> rows;
    rows.reserve(records->size());
    for (Record& r : *records) {
        if (isDenunciation(r)) hideIdentity(r);
        ui::QueueRow row;
        row.overdue = isOverdue(r, today);
        row.dueSoon = !row.overdue && !isFinal(r.status) && isDueSoon(rules(), r, today);
        row.namePending = !isDenunciation(r) && m_store.unlocked();
        row.record = std::move(r);
        rows.push_back(std::move(row));
    }
    return rows;
}

void StoreController::openQueueNames(std::vector<ui::QueueRow>& rows, size_t first, size_t last) {
    for (size_t i = first; i < std::min(last, rows.size()); ++i) {
        ui::QueueRow& row = rows[i];
        if (!row.namePending) continue;
        row.namePending = false;
        if (isDenunciation(row.record)) continue;
        m_store.openPrivatePart(row.record);
        // The queue shows the name only: the rest of what the citizen wrote does not stay in memory.
        std::string name = std::move(row.record.identity.name);
        wipeRecord(row.record);
        row.record.identity.name = std::move(name);
    }
}

size_t StoreController::openForSearch(std::vector<ui::QueueRow>& rows, size_t first, double budgetMs) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double, std::milli>(budgetMs);
    size_t i = first;
    for (; i < rows.size(); ++i) {
        if ((i - first) % 16 == 15 && std::chrono::steady_clock::now() >= deadline) break;
        ui::QueueRow& row = rows[i];
        if (row.searchOpen) continue;
        row.searchOpen = true;
        row.namePending = false;
        if (isDenunciation(row.record) || !m_store.unlocked()) continue;
        m_store.openPrivatePart(row.record);
        // What the search looks at stays in memory until the queue is reloaded or the officer
        // leaves; what the citizen wrote and their address do not.
        wipe(row.record.identity.address);
        wipe(row.record.content);
    }
    return i;
}

Result<ui::RecordDetail> StoreController::recordDetail(const ui::OfficerSession&, const std::string& code) {
    auto found = m_store.find(code);
    if (!found) return found.error();
    if (!*found) return makeError("record.unknown", "Không tìm thấy hồ sơ.", "No such record.");
    ui::RecordDetail detail;
    detail.record = std::move(**found);
    if (isDenunciation(detail.record)) {
        hideIdentity(detail.record);
        detail.identityHidden = true;
    }
    Result<bool> ok = true;
    detail.history = historyOf(detail.record.code, ok);
    if (!ok) return ok.error();
    detail.actions = allowedActions(detail.record, Role::CommuneOfficer, m_store.rules());
    if (markedSigned(detail.history))
        detail.actions.erase(std::remove(detail.actions.begin(), detail.actions.end(), Action::MarkSigned),
                             detail.actions.end());
    return detail;
}

Result<Record> StoreController::act(const ui::OfficerSession& officer, const std::string& code, Action action,
                                    const ui::ActionDetails& details) {
    if (action == Action::MarkSigned) {
        // The paper is signed once: a second mark would only repeat the first in the history.
        Result<bool> ok = true;
        const std::vector<ui::HistoryLine> history = historyOf(code, ok);
        if (!ok) return ok.error();
        if (markedSigned(history))
            return makeError("action.already-signed", "Đơn này đã được ghi nhận là đã ký/điểm chỉ.",
                             "This petition is already marked signed.");
    }
    nlohmann::json payload = nlohmann::json::object();
    if (!details.note.empty()) {
        auto clean = normalizeText(details.note, 2000, true);
        if (!clean) return clean.error();
        payload["note"] = *clean;
    }
    if (details.complexity) payload["complexity"] = toSlug(*details.complexity);
    if (action == Action::Transfer) {
        // A new transfer names where it goes; the list is data (agencies.tsv).
        const Date today = localFromUnix(nowUnix()).date;
        if (auto ok = checkTransferAgency(m_store.rules().agencies, details.agency, today); !ok)
            return ok.error();
        payload["agency"] = details.agency;
    }
    auto record = m_store.act(code, action, Actor{Role::CommuneOfficer, officer.id}, payload, nowUnix());
    if (!record) return record.error();
    changed();
    if (isDenunciation(*record)) hideIdentity(*record);
    return record;
}

Result<Record> StoreController::registerDossier(const ui::OfficerSession&, const DossierInput& input) {
    return registerDossier(input);
}

Result<Record> StoreController::registerDossier(const DossierInput& input) {
    const Procedure* procedure = m_store.procedure(input.procedure);
    const bool postal = procedure && procedure->postal.value_or(true);
    Validation v = validateDossier(input, reference().cccdProvinces, reference().mobilePrefixes,
                                   procedure != nullptr, postal);
    if (!v.ok()) {
        Error e = firstError(v);
        wipeRecord(v.record);
        return e;
    }
    // Registering is the kiosk's (desk's) act, whoever is at the desk.
    auto stored = m_store.createRecord(v.record, Actor{Role::Kiosk, "one-stop-desk"}, nowUnix());
    wipeRecord(v.record);
    if (!stored) {
        return makeError(stored.error().code, "Hồ sơ CHƯA được lưu: " + stored.error().vi,
                         "The dossier was NOT saved: " + stored.error().en);
    }
    changed();
    return stored;
}

ComposerOptions StoreController::inputSettings() {
    ComposerOptions options = m_defaultInput;
    if (auto m = parseInputMethod(store::readMeta(m_store.database(), "ui.input_method")))
        options.method = *m;
    if (auto s = parseToneStyle(store::readMeta(m_store.database(), "ui.tone_style"))) options.toneStyle = *s;
    return options;
}

Outcome StoreController::saveInputSettings(const ComposerOptions& options) {
    if (auto ok = store::writeMeta(m_store.database(), "ui.input_method",
                                   options.method == InputMethod::Vni ? "vni" : "telex");
        !ok)
        return ok;
    return store::writeMeta(m_store.database(), "ui.tone_style",
                            options.toneStyle == ToneStyle::New ? "new" : "old");
}

int StoreController::voiceVolume() {
    const auto stored = store::readMetaInteger(m_store.database(), "ui.voice_volume");
    return stored ? int(std::clamp<int64_t>(*stored, 0, 100)) : ui::kVoiceVolumeDefault;
}

Outcome StoreController::saveVoiceVolume(int volume) {
    if (volume < 0 || volume > 100)
        return makeError("voice.volume", "Âm lượng phải từ 0 đến 100.", "The volume must be 0 to 100.");
    return store::writeMeta(m_store.database(), "ui.voice_volume", std::to_string(volume));
}

Outcome StoreController::checkFindQuery(const std::string& text) {
    if (parseRecordQuery(text).empty())
        return makeError("find.empty", "Hãy nhập một phần tên, số điện thoại, số CCCD hoặc mã hồ sơ.",
                         "Give part of a name, a phone number, a CCCD number or a record code.");
    return {};
}

Result<std::vector<ui::QueueRow>> StoreController::findRecords(const std::string& text, bool openOnly) {
    if (auto ok = checkFindQuery(text); !ok) return ok.error();
    const RecordQuery query = parseRecordQuery(text);
    ui::QueueFilter filter;
    filter.openOnly = openOnly;
    filter.limit = 10'000'000;
    auto rows = queue(filter);
    if (!rows) return rows.error();
    openForSearch(*rows, 0, std::numeric_limits<double>::infinity());
    std::vector<ui::QueueRow> hits;
    for (ui::QueueRow& row : *rows) {
        if (matchesRecordQuery(row.record, query))
            hits.push_back(std::move(row));
        else
            wipeRecord(row.record);
    }
    return hits;
}

Result<std::vector<store::Officer>> StoreController::officers() { return store::listOfficers(m_store); }

Result<store::Officer> StoreController::addOfficer(const std::string& id, const std::string& name,
                                                   const std::string& role, const std::string& pin) {
    auto clean = normalizeText(name, 100, false);
    if (!clean) return clean.error();
    return store::addOfficer(m_store, store::Officer{id, *clean, role, false}, pin);
}

Outcome StoreController::disableOfficer(const std::string& id) { return store::disableOfficer(m_store, id); }

Result<store::Officer> StoreController::resetOfficerPin(const std::string& id, const std::string& pin) {
    return store::resetOfficerPin(m_store, id, pin);
}

Result<store::StoredReception> StoreController::addReception(const ui::OfficerSession& officer,
                                                             store::ReceptionInput input) {
    input.officerId = officer.id;
    auto added = store::addReception(m_store, input, nowUnix());
    if (added) changed();
    return added;
}

Result<std::vector<store::StoredReception>> StoreController::receptions() {
    return store::listReceptions(m_store);
}

}  // namespace kiosk::app

// [SECTION] ratings

namespace kiosk::app {

const std::vector<RatingCriterion>& StoreController::ratingCriteria() {
    if (!m_ratingCriteria) {
        auto loaded = loadRatingCriteria();
        m_ratingCriteria = loaded ? std::move(*loaded) : std::vector<RatingCriterion>{};
    }
    return *m_ratingCriteria;
}

Outcome StoreController::rate(const std::string& code, RatingStage stage, RatingValue value,
                              const std::vector<std::string>& criteria) {
    auto checked = checkRatingCriteria(criteria, ratingCriteria());
    if (!checked) return checked.error();
    store::RatingInput input{code, stage, value, std::move(*checked)};
    auto stored = store::addRating(m_store, input, nowUnix());
    if (!stored) return stored.error();
    changed();
    return {};
}

Outcome StoreController::addRatingReasons(const std::string& code, RatingStage stage,
                                          const std::vector<std::string>& criteria) {
    auto checked = checkRatingCriteria(criteria, ratingCriteria());
    if (!checked) return checked.error();
    if (auto ok = store::addRatingReasons(m_store, code, stage, *checked); !ok) return ok;
    changed();
    return {};
}

bool StoreController::rated(const std::string& code, RatingStage stage) {
    auto has = store::hasRating(m_store, code, stage);
    return has && *has;
}

}  // namespace kiosk::app
