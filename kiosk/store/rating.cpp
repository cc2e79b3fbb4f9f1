#include "kiosk/store/rating.h"

#include <sqlite3.h>

#include "core/event.h"
#include "core/receipt_code.h"
#include "core/records.h"
#include "kiosk/store/sync_store.h"

namespace kiosk::store {

Result<StoredRating> addRating(KioskStore& store, const RatingInput& input, int64_t nowUnix) {
    auto found = store.find(input.code);
    if (!found) return found.error();
    if (!*found)
        return makeError("record.unknown", "Không tìm thấy hồ sơ " + input.code + ".",
                         "No record " + input.code + ".");
    if (input.stage == RatingStage::Finished && !isFinal((*found)->status))
        return makeError("rating.not-finished",
                         "Hồ sơ chưa giải quyết xong; ông/bà có thể đánh giá khi có kết quả.",
                         "The record is not finished yet; you can rate it once it has a result.");
    StoredRating r;
    r.uuid = newUuid();
    r.recordCode = (*found)->code;
    r.stage = input.stage;
    r.value = input.value;
    r.criteria = input.criteria;
    r.at = nowUnix;

    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    // The unique (record, stage) pair decides, inside the transaction: two windows or a window and
    // kioskctl cannot both get theirs in.
    auto st = db.prepare(
        "INSERT OR IGNORE INTO ratings(uuid, record_code, stage, value, criteria, at) VALUES(?,?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, r.uuid)
        .bind(2, r.recordCode)
        .bind(3, std::string(toSlug(r.stage)))
        .bind(4, std::string(toSlug(r.value)))
        .bind(5, joinCriteria(r.criteria))
        .bind(6, r.at);
    if (auto ok = st->run(); !ok) return ok.error();
    if (sqlite3_changes(db.handle()) == 0)
        return makeError("rating.exists", "Cảm ơn ông/bà, hồ sơ này đã được đánh giá rồi.",
                         "Thank you, this record has already been rated.");
    if (auto ok = tx.commit(); !ok) return ok.error();
    return r;
}

Outcome addRatingReasons(KioskStore& store, const std::string& code, RatingStage stage,
                         const std::vector<std::string>& criteria) {
    if (criteria.empty()) return {};
    auto has = hasRating(store, code, stage);
    if (!has) return has.error();
    if (!*has)
        return makeError("rating.unknown", "Chưa có đánh giá nào cho hồ sơ này.",
                         "This record has no rating yet.");
    Database& db = store.database();
    auto st = db.prepare(
        "UPDATE ratings SET criteria = ?3, sent_at = NULL WHERE stage = ?2 AND criteria = '' AND record_code "
        "IN "
        "(SELECT code FROM records WHERE code = ?1 OR official_code = ?1)");
    if (!st) return st.error();
    st->bind(1, code).bind(2, std::string(toSlug(stage))).bind(3, joinCriteria(criteria));
    if (auto ok = st->run(); !ok) return ok;
    if (sqlite3_changes(db.handle()) == 0)
        return makeError("rating.reasons-given", "Cảm ơn ông/bà, lý do đã được ghi nhận rồi.",
                         "Thank you, the reasons were already recorded.");
    return {};
}

Result<std::vector<StoredRating>> unsentRatings(KioskStore& store, int limit) {
    auto st = store.database().prepare(
        "SELECT uuid, record_code, stage, value, criteria, at FROM ratings WHERE sent_at IS NULL "
        "ORDER BY at, rowid LIMIT ?");
    if (!st) return st.error();
    st->bind(1, int64_t(limit));
    std::vector<StoredRating> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        StoredRating r;
        r.uuid = st->text(0);
        r.recordCode = st->text(1);
        r.stage = ratingStageFromSlug(st->text(2)).value_or(RatingStage::Receipt);
        r.value = ratingValueFromSlug(st->text(3)).value_or(RatingValue::Satisfied);
        r.criteria = splitCriteria(st->text(4));
        r.at = st->integer(5);
        out.push_back(std::move(r));
    }
    return out;
}

Outcome markRatingsSent(KioskStore& store, const std::vector<std::string>& uuids, int64_t nowUnix) {
    return markSentByUuid(store, "ratings", uuids, nowUnix);
}

Result<bool> hasRating(KioskStore& store, const std::string& code, RatingStage stage) {
    auto st = store.database().prepare(
        "SELECT 1 FROM ratings WHERE stage = ?2 AND record_code IN "
        "(SELECT code FROM records WHERE code = ?1 OR official_code = ?1)");
    if (!st) return st.error();
    st->bind(1, code).bind(2, std::string(toSlug(stage)));
    auto row = st->step();
    if (!row) return row.error();
    return *row;
}

}  // namespace kiosk::store
