#include "core/rating.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/reference_data.h"

namespace kiosk {

std::string_view toSlug(RatingValue value) {
    switch (value) {
        case RatingValue::VerySatisfied:
            return "rat-hai-long";
        case RatingValue::Satisfied:
            return "hai-long";
        case RatingValue::Unsatisfied:
            return "khong-hai-long";
    }
    return "hai-long";
}

std::optional<RatingValue> ratingValueFromSlug(std::string_view slug) {
    for (RatingValue v : {RatingValue::VerySatisfied, RatingValue::Satisfied, RatingValue::Unsatisfied})
        if (toSlug(v) == slug) return v;
    return std::nullopt;
}

std::string_view toSlug(RatingStage stage) { return stage == RatingStage::Receipt ? "receipt" : "finished"; }

std::optional<RatingStage> ratingStageFromSlug(std::string_view slug) {
    if (slug == "receipt") return RatingStage::Receipt;
    if (slug == "finished") return RatingStage::Finished;
    return std::nullopt;
}

namespace {

bool isCriterionSlug(std::string_view id) {
    return !id.empty() && id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

Error criteriaFileError(int line, const std::string& why) {
    return makeError("rating.criteria-file",
                     "Tệp tiêu chí đánh giá, dòng " + std::to_string(line) + ": " + why,
                     "Rating criteria file, line " + std::to_string(line) + ": " + why);
}

}  // namespace

Result<std::vector<RatingCriterion>> parseRatingCriteria(const std::string& text) {
    auto table = parseTsv(text, {"id", "vi", "en"});
    if (!table) return table.error();
    const int id = table->column("id"), vi = table->column("vi"), en = table->column("en");
    std::vector<RatingCriterion> out;
    for (const TsvTable::Row& row : table->rows) {
        RatingCriterion c{row.cells[size_t(id)], row.cells[size_t(vi)], row.cells[size_t(en)]};
        if (!isCriterionSlug(c.id) || c.vi.empty() || c.en.empty())
            return criteriaFileError(row.line, "id a-z 0-9 -, vi, en");
        for (const RatingCriterion& seen : out)
            if (seen.id == c.id) return criteriaFileError(row.line, c.id + " twice");
        out.push_back(std::move(c));
    }
    if (out.empty() || out.size() > kMaxRatingCriteria)
        return criteriaFileError(table->headerLine, "1-" + std::to_string(kMaxRatingCriteria) + " criteria");
    return out;
}

Result<std::vector<RatingCriterion>> loadRatingCriteria() {
    const std::filesystem::path path = assetsDir() / "rating_criteria.tsv";
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError("rating.criteria-file", "Không đọc được " + path.string() + ".",
                         "Cannot read " + path.string() + ".");
    std::ostringstream text;
    text << in.rdbuf();
    return parseRatingCriteria(text.str());
}

Result<std::vector<std::string>> checkRatingCriteria(const std::vector<std::string>& ids,
                                                     const std::vector<RatingCriterion>& known) {
    auto refuse = [](const std::string& id) {
        return makeError("rating.criteria", "Tiêu chí đánh giá không hợp lệ: " + id + ".",
                         "Not a rating criterion: " + id + ".");
    };
    if (ids.size() > kMaxRatingCriteria) return refuse(std::to_string(ids.size()) + " criteria");
    std::vector<std::string> out;
    for (const std::string& id : ids) {
        const bool listed =
            std::any_of(known.begin(), known.end(), [&](const auto& c) { return c.id == id; });
        if (known.empty() ? !isCriterionSlug(id) : !listed) return refuse(id);
        if (std::find(out.begin(), out.end(), id) != out.end()) return refuse(id);
        out.push_back(id);
    }
    return out;
}

std::vector<std::string> splitCriteria(std::string_view joined) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= joined.size()) {
        const size_t comma = std::min(joined.find(',', start), joined.size());
        std::string part(joined.substr(start, comma - start));
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        if (!part.empty()) out.push_back(std::move(part));
        start = comma + 1;
    }
    return out;
}

std::string joinCriteria(const std::vector<std::string>& ids) {
    std::string out;
    for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
    return out;
}

}  // namespace kiosk
