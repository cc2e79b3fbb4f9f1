#pragma once
// The citizen's satisfaction rating (đánh giá mức độ hài lòng): one of three values, given at one of
// two stages of a record, with optional reasons from the criteria in assets/rating_criteria.tsv.
// A rating carries no identity: the record's code, the stage, the value, the criteria and the time.
// It is not: storage (kiosk/store/rating.h, the district's district/office/ratings.h) or the wire
// (sync/protocol/messages.h RatingReport). Pure; safe from any thread.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kiosk {

enum class RatingValue {
    VerySatisfied,  // rất hài lòng
    Satisfied,      // hài lòng
    Unsatisfied,    // không hài lòng
};
// "rat-hai-long" | "hai-long" | "khong-hai-long"
std::string_view toSlug(RatingValue value);
std::optional<RatingValue> ratingValueFromSlug(std::string_view slug);

enum class RatingStage {
    Receipt,   // on the receipt screen, right after the record was stored
    Finished,  // at a status check of a record in a final status
};
// "receipt" | "finished"
std::string_view toSlug(RatingStage stage);
std::optional<RatingStage> ratingStageFromSlug(std::string_view slug);

// One reason a citizen may tick (tiêu chí).
struct RatingCriterion {
    std::string id;  // stable slug, stored and synced
    std::string vi;
    std::string en;
};
constexpr size_t kMaxRatingCriteria = 9;  // the official list has nine; a rating ticks at most these

// rating_criteria.tsv (columns id, vi, en). Errors: reference.* as parseTsv's, rating.criteria-file.
Result<std::vector<RatingCriterion>> parseRatingCriteria(const std::string& text);
// $KIOSK_ASSETS or the installed assets (assetsDir()) / rating_criteria.tsv.
Result<std::vector<RatingCriterion>> loadRatingCriteria();

// The ticked criteria, checked: each one of `known` (when `known` is empty, any slug of a-z, 0-9
// and '-' up to 40 characters: the district takes what a newer kiosk's list names), none twice, at
// most kMaxRatingCriteria. Returns them in the order given. Code: rating.criteria.
Result<std::vector<std::string>> checkRatingCriteria(const std::vector<std::string>& ids,
                                                     const std::vector<RatingCriterion>& known);

// "a,b,c" <-> {"a","b","c"}; empty parts are dropped.
std::vector<std::string> splitCriteria(std::string_view joined);
std::string joinCriteria(const std::vector<std::string>& ids);

}  // namespace kiosk
