// The deployment's words (deployment_words.h): words.tsv and the unit map, as placeholder values.
#include "core/deployment_words.h"

#include <algorithm>
#include <ctime>

#include "core/reference_data.h"

namespace kiosk {

namespace {

Error rowError(int line, const std::string& vi, const std::string& en) {
    const std::string n = std::to_string(line);
    return makeError("assets.value", "Dòng " + n + ": " + vi, "Line " + n + ": " + en);
}

bool validWordKey(const std::string& key) {
    if (key.empty() || key.size() > 64) return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
    });
}

bool holdsOn(const DeploymentWord& word, const Date& day) {
    return (!word.validFrom || *word.validFrom <= day) && (!word.validTo || day <= *word.validTo);
}

// Two periods share a day.
bool overlaps(const DeploymentWord& a, const DeploymentWord& b) {
    const bool aEndsBefore = a.validTo && b.validFrom && *a.validTo < *b.validFrom;
    const bool bEndsBefore = b.validTo && a.validFrom && *b.validTo < *a.validFrom;
    return !aEndsBefore && !bEndsBefore;
}

// "Huyện Hàm Yên" -> "huyện Hàm Yên" for the middle of a sentence. Unit names begin with their
// level word ("Xã", "Huyện", "Tỉnh", "Thị trấn"), whose first letter is ASCII; anything else is
// left as written rather than guessed at.
std::string midSentence(const std::string& name) {
    std::string out = name;
    if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
    return out;
}

}  // namespace

Result<std::vector<DeploymentWord>> parseDeploymentWords(const std::string& text) {
    auto table = parseTsv(text, {"key", "vi", "en", "valid_from", "valid_to"});
    if (!table) return table.error();
    const auto cell = [&](const TsvTable::Row& row, const char* column) -> const std::string& {
        return row.cells[static_cast<size_t>(table->column(column))];
    };
    std::vector<DeploymentWord> words;
    for (const auto& row : table->rows) {
        DeploymentWord word{cell(row, "key"), cell(row, "vi"), cell(row, "en"), {}, {}};
        if (!validWordKey(word.key)) {
            return rowError(row.line, "khóa không hợp lệ (chữ thường không dấu, chữ số, “.”, “_”).",
                            "invalid key (lower-case ASCII letters, digits, “.”, “_”).");
        }
        if (word.vi.empty() || word.en.empty()) {
            return rowError(row.line, "thiếu bản tiếng Việt hoặc tiếng Anh.",
                            "the Vietnamese or English text is missing.");
        }
        for (const char* column : {"valid_from", "valid_to"}) {
            const std::string& value = cell(row, column);
            if (value.empty()) continue;
            const auto date = Date::parse(value);
            if (!date) {
                return rowError(row.line,
                                std::string("cột “") + column + "” cần ngày YYYY-MM-DD hoặc để trống.",
                                std::string("column “") + column + "” needs a date YYYY-MM-DD or nothing.");
            }
            (std::string(column) == "valid_from" ? word.validFrom : word.validTo) = date;
        }
        if (word.validFrom && word.validTo && *word.validTo < *word.validFrom) {
            return rowError(row.line, "ngày kết thúc trước ngày bắt đầu.",
                            "the period ends before it begins.");
        }
        for (const DeploymentWord& other : words) {
            if (other.key == word.key && overlaps(other, word)) {
                return rowError(row.line, "khóa “" + word.key + "” đã có một dòng cùng thời gian.",
                                "key “" + word.key + "” already has a row for the same days.");
            }
        }
        words.push_back(std::move(word));
    }
    return words;
}

Strings::WordMap deploymentWords(const ReferenceData& reference, const Date& day) {
    Strings::WordMap words;
    for (const DeploymentWord& word : reference.words) {
        if (holdsOn(word, day)) words[word.key] = {word.vi, word.en};
    }
    const AdminUnit* top = reference.units.topOn(day);
    if (!top) return words;
    words["unit.top"] = {midSentence(top->displayName(false)), top->displayName(true)};
    words["unit.top.title"] = {top->displayName(false), top->displayName(true)};
    words["unit.top_level"] = {reference.levelName(top->level, false), reference.levelName(top->level, true)};
    Strings::Words full{top->displayName(false), top->displayName(true)};
    for (const AdminUnit* above = top; (above = reference.units.parentOn(above->code, day)) != nullptr;) {
        full.vi += ", " + midSentence(above->displayName(false));
        full.en += ", " + above->displayName(true);
    }
    words["unit.top.full"] = full;
    return words;
}

Result<Strings::WordMap> loadDeploymentWords(const std::filesystem::path& dir, const Date& day) {
    auto reference = loadReferenceData(dir);
    if (!reference) return reference.error();
    return deploymentWords(*reference, day);
}

Date deploymentToday() { return localFromUnix(static_cast<int64_t>(std::time(nullptr))).date; }

}  // namespace kiosk
