// The dashboard's overview: overdue records, the fleet per commune, the months.
#include <httplib.h>

#include <algorithm>
#include <map>
#include <vector>

#include "core/deadlines.h"
#include "core/event.h"
#include "core/holdings.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "district/dashboard/dashboard_http.h"
#include "district/dashboard/dashboard_impl.h"
#include "district/office/actions.h"
#include "district/office/keys.h"
#include "district/office/receptions.h"
#include "district/office/reference_import.h"
#include "district/review/report.h"
#include "district/store/district_store.h"
#include "sync/protocol/kiosk_version.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {

using namespace dash;

namespace {

// Per commune: (open records, overdue ones).
using OpenCounts = std::map<std::string, std::pair<int64_t, int64_t>>;

// What the kiosk table says of one kiosk: never synced (enrolled, nothing heard yet), silent (not
// heard from, or enrolled and never heard from, for options.silentAfterMs), its clock, its disk,
// its queue.
struct KioskState {
    bool neverSynced = false;
    bool silent = false;
    bool drift = false;
    bool lowDisk = false;
    bool bigQueue = false;
    bool problem() const { return silent || drift || lowDisk || bigQueue; }
};

KioskState kioskState(const KioskInfo& k, const DashboardOptions& options, int64_t now) {
    KioskState state;
    state.neverSynced = !k.lastSeenMs;
    // A kiosk enrolled an hour ago that has not synced yet is not silent: its silence counts from
    // its enrolment until it is first heard from.
    state.silent = now - k.lastSeenMs.value_or(k.createdAtMs) > options.silentAfterMs;
    state.drift = k.clockSkewMs && std::llabs(*k.clockSkewMs) > options.clockDriftMs;
    state.lowDisk = k.freeDiskMb && *k.freeDiskMb < options.lowDiskMb;
    state.bigQueue = k.queueDepth && *k.queueDepth > options.bigQueue;
    return state;
}

json kioskJson(const KioskInfo& k, const KioskState& state) {
    return {{"kiosk", k.kioskId},
            {"last_seen_ms", optionalInt(k.lastSeenMs)},
            {"last_seen", k.lastSeenMs ? json(isoLocalTime(*k.lastSeenMs / 1000)) : json(nullptr)},
            {"enrolled", isoLocalTime(k.createdAtMs / 1000)},
            {"queue_depth", optionalInt(k.queueDepth)},
            {"clock_skew_ms", optionalInt(k.clockSkewMs)},
            {"app_version", k.appVersion},
            {"free_disk_mb", optionalInt(k.freeDiskMb)},
            {"never_synced", state.neverSynced},
            {"silent", state.silent},
            {"clock_drift", state.drift},
            {"low_disk", state.lowDisk},
            {"big_queue", state.bigQueue},
            {"insecure_http", k.insecureHttp},
            {"help_requested_ms", optionalInt(k.helpRequestedMs)},
            // Below the oldest version the server serves in full: the message the kiosk is sent.
            {"too_old", protocol::reportedTooOld(k.appVersion) ? protocol::toJson(protocol::kioskTooOld())
                                                               : json(nullptr)}};
}

json monthlyJson(const std::vector<MonthFigures>& months) {
    json monthly = json::array();
    for (const MonthFigures& m : months)
        monthly.push_back({{"month", m.month},
                           {"petitions_received", m.petitionsReceived},
                           {"petitions_resolved", m.petitionsResolved},
                           {"dossiers_received", m.dossiersReceived},
                           {"dossiers_resolved", m.dossiersResolved}});
    return monthly;
}

// This year and the next whose days off are not confirmed (reference_data.h): the ones whose
// deadlines officers meet now. Later years stay quiet until they come near.
json provisionalYearsNear(const ReferenceData& reference, const Date& today) {
    json years = json::array();
    for (int year : reference.provisionalHolidayYears())
        if (year >= today.year && year <= today.year + 1) years.push_back(year);
    return years;
}

}  // namespace

void Dashboard::Impl::overview(const httplib::Request& req, httplib::Response& res) {
    auto session = apiSession(req, res);
    if (!session) return;
    // Due within this many working days (the calendar of core/deadlines.h): 3 unless asked.
    int dueSoonDays = 3;
    if (req.has_param("due_soon")) {
        const std::string given = req.get_param_value("due_soon");
        if (given.empty() || given.size() > 2 || given.find_first_not_of("0123456789") != std::string::npos)
            return sendError(res, 400, "list.due-soon",
                             "Số ngày làm việc không hợp lệ: \"" + given + "\" (từ 0 đến 99).",
                             "Not a number of working days: \"" + given + "\" (0 to 99).");
        dueSoonDays = std::stoi(given);
    }
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const Date today = todayLocal();
    const int64_t now = nowMs();
    store::Database& db = (*s)->database();

    // The first rows of each list and its true size; the records page holds every page of it.
    RecordFilter overdueFilter;
    overdueFilter.overdue = true;
    auto overdue = recordPage(db, overdueFilter, today, 1, kOverviewRows);
    if (!overdue) return sendError(res, 503, overdue.error());
    RecordFilter soonFilter;
    soonFilter.dueSoonDays = dueSoonDays;
    auto soon = recordPage(db, soonFilter, today, 1, kOverviewRows);
    if (!soon) return sendError(res, 503, soon.error());
    auto counts = openCounts(db, today);
    if (!counts) return sendError(res, 503, counts.error());
    auto kiosks = (*s)->kiosks();
    if (!kiosks) return sendError(res, 503, kiosks.error());
    int flagged = 0;
    json communes = fleet(*kiosks, *counts, now, flagged);
    auto months = monthlyFigures(**s, today, 12);
    if (!months) return sendError(res, 503, months.error());
    sendJson(res, 200,
             {{"today", today.iso()},
              {"server_time_ms", now},
              {"overdue", overdue->rows},
              {"overdue_total", overdue->total},
              {"due_soon", soon->rows},
              {"due_soon_total", soon->total},
              {"due_soon_days", dueSoonDays},
              {"communes", communes},
              {"flagged_communes", flagged},
              {"monthly", monthlyJson(*months)},
              {"provisional_holiday_years", provisionalYearsNear(*ref(), today)},
              {"silent_after_hours", options.silentAfterMs / 3600000},
              {"clock_drift_minutes", options.clockDriftMs / 60000},
              {"low_disk_mb", options.lowDiskMb},
              {"big_queue", options.bigQueue}});
}

// Per-commune counts.
Result<std::map<std::string, std::pair<int64_t, int64_t>>> Dashboard::Impl::openCounts(store::Database& db,
                                                                                       const Date& today) {
    OpenCounts counts;  // commune -> (open, overdue)
    // The open statuses named one by one, so the records_open index answers it alone. Named
    // too: left to itself SQLite walks all of records_by_commune for the GROUP BY (1.6 s
    // against 0.4 s on a million records, a third of them open). Transferred is not among them:
    // a transferred record has left the commune's pool, as the report counts it (report.cpp).
    // INDEXED BY is SQLite's alone; PostgreSQL's planner picks the index by itself.
    auto st =
        db.prepare(std::string("SELECT commune, count(*), sum(CASE WHEN status IN ('received', 'accepted', "
                               "'info-requested', 'processing') AND due <> '' AND due < ? THEN 1 ELSE 0 "
                               "END) FROM records") +
                   (db.isPostgres() ? "" : " INDEXED BY records_open") +
                   " WHERE status IN ('received', 'accepted', 'info-requested', 'processing', "
                   "'supplement-requested', 'result-ready', 'suspended') GROUP BY commune");
    if (!st) return st.error();
    st->bind(1, today.iso());
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        counts[st->text(0)] = {st->integer(1), st->integer(2)};
    }
    return counts;
}

// One entry per listed commune: its kiosks, their last sync, queue, clock and version, and its
// open and overdue records; the communes with a kiosk to look at first (revoked kiosks are left
// out). flagged: communes whose kiosks are all silent, or one drifts, speaks plain http, runs low on
// disk or holds a big queue.
json Dashboard::Impl::fleet(const std::vector<KioskInfo>& kiosks,
                            std::map<std::string, std::pair<int64_t, int64_t>>& counts, int64_t now,
                            int& flagged) {
    json problems = json::array(), quiet = json::array();
    const auto current = ref();
    const Date today = localFromUnix(now / 1000).date;
    for (const Commune& c : current->communes) {
        json list = json::array();
        std::optional<int64_t> lastSeen;
        int64_t waiting = 0;
        bool silent = true, neverSynced = true, drift = false, insecure = false, lowDisk = false,
             bigQueue = false, tooOld = false;
        std::optional<int64_t> helpSince;  // a citizen waiting at one of its kiosks since
        std::optional<int64_t> skew;
        std::string version;
        for (const KioskInfo& k : kiosks) {
            if (k.commune != c.code || k.revoked) continue;
            const KioskState state = kioskState(k, options, now);
            list.push_back(kioskJson(k, state));
            if (k.lastSeenMs && (!lastSeen || *k.lastSeenMs > *lastSeen)) lastSeen = k.lastSeenMs;
            waiting += k.queueDepth.value_or(0);
            silent = silent && state.silent;
            neverSynced = neverSynced && state.neverSynced;
            drift = drift || state.drift;
            lowDisk = lowDisk || state.lowDisk;
            bigQueue = bigQueue || state.bigQueue;
            insecure = insecure || k.insecureHttp;
            tooOld = tooOld || protocol::reportedTooOld(k.appVersion);
            if (k.helpRequestedMs && (!helpSince || *k.helpRequestedMs < *helpSince))
                helpSince = k.helpRequestedMs;
            if (k.clockSkewMs && (!skew || std::llabs(*k.clockSkewMs) > std::llabs(*skew)))
                skew = k.clockSkewMs;
            if (!k.appVersion.empty()) version = k.appVersion;
        }
        // A commune with no kiosk enrolled is not "silent": it has nothing to hear from yet.
        if (list.empty()) silent = neverSynced = false;
        // Kiosks still enrolled under a commune that was succeeded: to be moved (move-kiosk).
        const std::string owner = current->units.successor(c.code, today);
        const AdminUnit* successor = owner == c.code ? nullptr : current->units.latest(owner);
        const bool moveDue = successor && !list.empty();
        // Ended with no succession: its records and kiosks belong to nobody until one is imported.
        const auto orphaned = orphanedCommune(current->units, c.code, today);
        const auto count = counts[c.code];
        const bool problem = helpSince || silent || drift || insecure || lowDisk || bigQueue || tooOld ||
                             moveDue || (orphaned && (!list.empty() || count.first));
        if (problem) ++flagged;
        const json successorJson =
            successor ? json{{"code", successor->code}, {"name", successor->name}} : json(nullptr);
        (problem ? problems : quiet)
            .push_back({{"code", c.code},
                        {"name", c.name},
                        {"kiosks", list},
                        {"last_sync_ms", optionalInt(lastSeen)},
                        {"last_sync", lastSeen ? json(isoLocalTime(*lastSeen / 1000)) : json(nullptr)},
                        {"records_waiting", waiting},
                        {"open", count.first},
                        {"overdue", count.second},
                        {"clock_skew_ms", optionalInt(skew)},
                        {"app_version", version},
                        {"flagged", problem},
                        {"silent", silent},
                        {"never_synced", neverSynced},
                        {"no_kiosk", list.empty()},
                        {"clock_drift", drift},
                        {"low_disk", lowDisk},
                        {"big_queue", bigQueue},
                        {"insecure_http", insecure},
                        {"too_old", tooOld ? protocol::toJson(protocol::kioskTooOld()) : json(nullptr)},
                        {"help_requested_ms", optionalInt(helpSince)},
                        {"successor", successorJson},
                        {"move_due", moveDue},
                        {"orphaned_since", orphaned ? json(orphaned->since.iso()) : json(nullptr)}});
    }
    for (json& c : quiet) problems.push_back(std::move(c));
    return problems;
}

}  // namespace kiosk::district
