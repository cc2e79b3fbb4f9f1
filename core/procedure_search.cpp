#include "core/procedure_search.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <tuple>

#include "core/text.h"

namespace kiosk {
namespace {

// Words of folded text; 'y' is written 'i', as Vietnamese spelling lets people write either
// ("kỹ"/"kĩ", "lý"/"lí", "ký"/"kí").
std::vector<std::string> wordsOf(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (char ch : foldForSearch(text)) {
        if (std::isalnum(static_cast<unsigned char>(ch))) {
            word += ch == 'y' ? 'i' : ch;
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

// How many letters a word may have wrong: none in a short word, where one wrong letter makes
// another common word ("con"/"hon"), one from four letters, two from eight.
int allowedEdits(const std::string& word) {
    if (word.size() >= 8) return 2;
    return word.size() >= 4 ? 1 : 0;
}

constexpr int kNoMatch = std::numeric_limits<int>::max();

// The cost of matching one typed word against `word`: 0 exact, 1 the start of it (only for the
// word still being typed), 2 per wrong letter; kNoMatch otherwise.
int wordCost(const std::string& typed, const std::string& word, bool typing, bool fuzzy) {
    if (typed == word) return 0;
    if (typing && word.compare(0, typed.size(), typed) == 0) return 1;
    if (!fuzzy) return kNoMatch;
    const int allowed = allowedEdits(typed);
    if (allowed == 0) return kNoMatch;
    const int edits = editDistance(typed, word);
    return edits <= allowed ? 2 * edits : kNoMatch;
}

// The best word of `words` for a typed word: its cost and position, preferring the first best
// position after `after` so words typed in order find the phrase in order.
std::pair<int, int> bestWord(const std::string& typed, const std::vector<std::string>& words, int after,
                             bool typing, bool fuzzy) {
    int best = kNoMatch, bestAt = -1;
    for (int i = 0; i < int(words.size()); ++i) {
        const int cost = wordCost(typed, words[i], typing, fuzzy);
        const bool better = cost < best || (cost == best && bestAt <= after && i > after);
        if (cost != kNoMatch && better) {
            best = cost;
            bestAt = i;
        }
    }
    return {best, bestAt};
}

struct Score {
    int cost = 0;        // sum of the words' costs
    int breaks = 0;      // typed words not following the previous one in the name
    int otherWords = 0;  // words of the name nobody typed ("Thủ tục" at its start not counted)
    bool operator<(const Score& o) const {
        return std::tie(cost, breaks, otherWords) < std::tie(o.cost, o.breaks, o.otherWords);
    }
};

// The name's words without a leading "Thủ tục", which names of the catalog may or may not carry.
std::vector<std::string> nameWords(const Procedure& p) {
    std::vector<std::string> words = wordsOf(p.name);
    if (words.size() > 2 && words[0] == "thu" && words[1] == "tuc")
        words.erase(words.begin(), words.begin() + 2);
    return words;
}

bool matchesCode(std::string_view query, const Procedure& p) {
    std::string typed;
    for (char ch : query)
        if (ch != ' ') typed += ch;
    const bool digit =
        std::any_of(typed.begin(), typed.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    return digit && !p.code.empty() && p.code.compare(0, typed.size(), typed) == 0;
}

// The score of one procedure, or nothing when a typed word matches none of its words.
std::optional<Score> scoreOf(const std::vector<std::string>& typed, const Procedure& p) {
    const std::vector<std::string> name = nameWords(p);
    const std::vector<std::string> field = wordsOf(p.field);
    std::vector<std::string> documents;
    Score score;
    std::vector<bool> used(name.size(), false);
    int previous = -2;
    for (size_t i = 0; i < typed.size(); ++i) {
        const bool typing = i + 1 == typed.size();
        auto [cost, at] = bestWord(typed[i], name, previous, typing, true);
        if (cost == kNoMatch) {
            cost = bestWord(typed[i], field, -1, typing, true).first;
            if (cost != kNoMatch) cost += 3;
        }
        if (cost == kNoMatch) {
            if (documents.empty()) documents = wordsOf(p.documents);
            cost = bestWord(typed[i], documents, -1, typing, false).first;
            if (cost == kNoMatch) return std::nullopt;
            cost += 4;
        }
        score.cost += cost;
        if (at >= 0) {
            if (previous >= -1 && at != previous + 1) ++score.breaks;
            used[at] = true;
            previous = at;
        }
    }
    score.otherWords = int(std::count(used.begin(), used.end(), false));
    return score;
}

}  // namespace

int editDistance(std::string_view a, std::string_view b) {
    const size_t n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = 0; i <= n; ++i) d[i][0] = int(i);
    for (size_t j = 0; j <= m; ++j) d[0][j] = int(j);
    for (size_t i = 1; i <= n; ++i) {
        for (size_t j = 1; j <= m; ++j) {
            const int substitute = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitute});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

std::vector<size_t> rankProcedures(std::string_view query, const std::vector<Procedure>& procedures) {
    const std::vector<std::string> typed = wordsOf(query);
    std::vector<std::pair<Score, size_t>> hits;
    for (size_t i = 0; i < procedures.size(); ++i) {
        if (typed.empty() || matchesCode(query, procedures[i])) {
            hits.push_back({Score{}, i});
        } else if (auto score = scoreOf(typed, procedures[i])) {
            hits.push_back({*score, i});
        }
    }
    std::stable_sort(hits.begin(), hits.end(), [&](const auto& x, const auto& y) {
        const Procedure& a = procedures[x.second];
        const Procedure& b = procedures[y.second];
        if (typed.empty()) return std::tie(a.field, a.name) < std::tie(b.field, b.name);
        if (x.first < y.first || y.first < x.first) return x.first < y.first;
        return a.name < b.name;
    });
    std::vector<size_t> out;
    for (const auto& hit : hits) out.push_back(hit.second);
    return out;
}

}  // namespace kiosk
