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
#include "sync/protocol/safe_json.h"

namespace kiosk::district {

using namespace dash;

namespace {

// Per commune: (open records, overdue ones).
using OpenCounts = std::map<std::string, std::pair<int64_t, int64_t>>;

json kioskJson(const KioskInfo& k, bool silent, bool drift) {
    return {{"kiosk", k.kioskId},
            {"last_seen_ms", optionalInt(k.lastSeenMs)},
            {"last_seen", k.lastSeenMs ? json(isoLocalTime(*k.lastSeenMs / 1000)) : json(nullptr)},
            {"queue_depth", optionalInt(k.queueDepth)},
            {"clock_skew_ms", optionalInt(k.clockSkewMs)},
            {"app_version", k.appVersion},
            {"free_disk_mb", optionalInt(k.freeDiskMb)},
            {"silent", silent},
            {"clock_drift", drift},
            {"insecure_http", k.insecureHttp}};
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
    auto s = store();
    if (!s) return sendError(res, 503, s.error());
    const Date today = todayLocal();
    const int64_t now = nowMs();
    store::Database& db = (*s)->database();

    auto overdue = overdueRecords(db, today);
    if (!overdue) return sendError(res, 503, overdue.error());
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
              {"overdue", *overdue},
              {"communes", communes},
              {"flagged_communes", flagged},
              {"monthly", monthlyJson(*months)},
              {"provisional_holiday_years", provisionalYearsNear(*ref(), today)},
              {"silent_after_hours", options.silentAfterMs / 3600000},
              {"clock_drift_minutes", options.clockDriftMs / 60000}});
}

// Overdue first: the clock runs and the due date has passed, oldest due first.
Result<json> Dashboard::Impl::overdueRecords(store::Database& db, const Date& today) {
    json overdue = json::array();
    auto st = db.prepare(
        "SELECT code, coalesce(official_code, ''), kind, commune, status, due, petition_kind FROM "
        "records "
        "WHERE status IN ('received', 'accepted', 'info-requested', 'processing') AND due <> "
        "'' AND due < ? "
        "ORDER BY due, code LIMIT 200");
    if (!st) return st.error();
    st->bind(1, today.iso());
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        json row_ = recordRow(summaryFromRow(*st, today), today);
        row_["petition_kind"] = st->text(6);
        row_["kind_name"] =
            kindName(recordKindFromSlug(st->text(2)).value_or(RecordKind::Petition), st->text(6));
        overdue.push_back(std::move(row_));
    }
    return overdue;
}

// Per-commune counts.
Result<std::map<std::string, std::pair<int64_t, int64_t>>> Dashboard::Impl::openCounts(store::Database& db,
                                                                                       const Date& today) {
    OpenCounts counts;  // commune -> (open, overdue)
    // The open statuses named one by one, so the records_open index answers it alone. Named
    // too: left to itself SQLite walks all of records_by_commune for the GROUP BY (1.6 s
    // against 0.4 s on a million records, a third of them open).
    // INDEXED BY is SQLite's alone; PostgreSQL's planner picks the index by itself.
    auto st =
        db.prepare(std::string("SELECT commune, count(*), sum(CASE WHEN status IN ('received', 'accepted', "
                               "'info-requested', 'processing') AND due <> '' AND due < ? THEN 1 ELSE 0 "
                               "END) FROM records") +
                   (db.isPostgres() ? "" : " INDEXED BY records_open") +
                   " WHERE status IN ('received', 'accepted', 'info-requested', 'transferred', 'processing', "
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
// open and overdue records. flagged: communes whose kiosks are all silent, or one drifts.
json Dashboard::Impl::fleet(const std::vector<KioskInfo>& kiosks,
                            std::map<std::string, std::pair<int64_t, int64_t>>& counts, int64_t now,
                            int& flagged) {
    json communes = json::array();
    const auto current = ref();
    const Date today = localFromUnix(now / 1000).date;
    for (const Commune& c : current->communes) {
        json list = json::array();
        std::optional<int64_t> lastSeen;
        int64_t waiting = 0;
        bool silent = true, drift = false, insecure = false;
        std::optional<int64_t> skew;
        std::string version;
        for (const KioskInfo& k : kiosks) {
            if (k.commune != c.code || k.revoked) continue;
            const bool kSilent = !k.lastSeenMs || now - *k.lastSeenMs > options.silentAfterMs;
            const bool kDrift = k.clockSkewMs && std::llabs(*k.clockSkewMs) > options.clockDriftMs;
            list.push_back(kioskJson(k, kSilent, kDrift));
            if (k.lastSeenMs && (!lastSeen || *k.lastSeenMs > *lastSeen)) lastSeen = k.lastSeenMs;
            waiting += k.queueDepth.value_or(0);
            silent = silent && kSilent;
            drift = drift || kDrift;
            insecure = insecure || k.insecureHttp;
            if (k.clockSkewMs && (!skew || std::llabs(*k.clockSkewMs) > std::llabs(*skew)))
                skew = k.clockSkewMs;
            if (!k.appVersion.empty()) version = k.appVersion;
        }
        // A commune with no kiosk enrolled is not "silent": it has nothing to hear from yet.
        if (list.empty()) silent = false;
        // Kiosks still enrolled under a commune that was succeeded: to be moved (move-kiosk).
        const std::string owner = current->units.successor(c.code, today);
        const AdminUnit* successor = owner == c.code ? nullptr : current->units.latest(owner);
        const bool moveDue = successor && !list.empty();
        // Ended with no succession: its records and kiosks belong to nobody until one is imported.
        const auto orphaned = orphanedCommune(current->units, c.code, today);
        const auto count = counts[c.code];
        if (silent || drift || insecure || moveDue || (orphaned && (!list.empty() || count.first))) ++flagged;
        const json successorJson =
            successor ? json{{"code", successor->code}, {"name", successor->name}} : json(nullptr);
        communes.push_back({{"code", c.code},
                            {"name", c.name},
                            {"kiosks", list},
                            {"last_sync_ms", optionalInt(lastSeen)},
                            {"last_sync", lastSeen ? json(isoLocalTime(*lastSeen / 1000)) : json(nullptr)},
                            {"records_waiting", waiting},
                            {"open", count.first},
                            {"overdue", count.second},
                            {"clock_skew_ms", optionalInt(skew)},
                            {"app_version", version},
                            {"silent", silent},
                            {"no_kiosk", list.empty()},
                            {"clock_drift", drift},
                            {"insecure_http", insecure},
                            {"successor", successorJson},
                            {"move_due", moveDue},
                            {"orphaned_since", orphaned ? json(orphaned->since.iso()) : json(nullptr)}});
    }
    return communes;
}

}  // namespace kiosk::district
