#include "district/office/ratings.h"

#include <sqlite3.h>

#include "core/calendar.h"
#include "core/rating.h"

namespace kiosk::district {

using store::Database;

Result<std::vector<std::string>> storeKioskRatings(DistrictStore& store, const KioskIdentity& kiosk,
                                                   const std::vector<protocol::RatingReport>& ratings,
                                                   const CommuneHoldings& holdings, int64_t nowMs) {
    std::vector<std::string> held;
    if (ratings.empty()) return held;
    Database& db = store.database();
    auto record = db.prepare("SELECT commune FROM records WHERE code = ?");
    if (!record) return record.error();
    auto insert = db.prepare(
        "INSERT INTO ratings(uuid, record, stage, value, criteria, commune, kiosk, at, rated_on, "
        "received_at) VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
    if (!insert) return insert.error();
    // Reasons a kiosk sends after the value (kiosk/store/rating.h addRatingReasons): set once.
    auto reasons = db.prepare("UPDATE ratings SET criteria = ?1 WHERE uuid = ?2 AND criteria = ''");
    if (!reasons) return reasons.error();
    for (const protocol::RatingReport& r : ratings) {
        const auto stage = ratingStageFromSlug(r.stage);
        const auto value = ratingValueFromSlug(r.value);
        // Any well-formed criterion is kept, listed here or not: a kiosk with a newer list is right.
        auto criteria = checkRatingCriteria(r.criteria, {});
        if (!stage || !value || !criteria || r.at <= 0) {
            held.push_back(r.uuid);  // unreadable: dropped, and the kiosk stops sending it
            continue;
        }
        record->bind(1, r.record);
        auto row = record->step();
        if (!row) return row.error();
        const std::string commune = *row ? record->text(0) : std::string();
        record->reset();
        if (!*row) continue;  // not here yet: the kiosk sends it again with a later push
        if (holdings.holds(commune)) {
            insert->bind(1, r.uuid)
                .bind(2, r.record)
                .bind(3, r.stage)
                .bind(4, r.value)
                .bind(5, joinCriteria(*criteria))
                .bind(6, commune)
                .bind(7, kiosk.kioskId)
                .bind(8, r.at)
                .bind(9, localFromUnix(r.at).date.iso())
                .bind(10, nowMs);
            if (auto ok = insert->run(); !ok) return ok.error();
            insert->reset();
            if (!criteria->empty()) {
                reasons->bind(1, joinCriteria(*criteria)).bind(2, r.uuid);
                if (auto ok = reasons->run(); !ok) return ok.error();
                reasons->reset();
            }
        }
        held.push_back(r.uuid);
    }
    return held;
}

}  // namespace kiosk::district
