#include "core/record_search.h"

#include <cctype>

#include "core/text.h"

namespace kiosk {
namespace {

std::vector<std::string> splitWords(const std::string& folded) {
    std::vector<std::string> words;
    std::string word;
    for (char ch : folded) {
        if (std::isalnum(static_cast<unsigned char>(ch))) {
            word += ch;
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::vector<std::string> searchWords(std::string_view name) { return splitWords(foldForSearch(name)); }

RecordQuery parseRecordQuery(std::string_view text) {
    RecordQuery query;
    const std::string folded = foldForSearch(text);
    query.folded = folded;
    bool letters = false;
    for (char ch : folded) letters |= std::isalpha(static_cast<unsigned char>(ch)) != 0;
    if (letters) {
        query.words = splitWords(folded);
        return query;
    }
    for (char ch : folded)
        if (std::isdigit(static_cast<unsigned char>(ch))) query.digits += ch;
    const bool international = folded.find('+') != std::string::npos || query.digits.size() >= 11;
    if (international && startsWith(query.digits, "84") && query.digits.size() > 2)
        query.digits = "0" + query.digits.substr(2);
    return query;
}

bool matchesRecordQuery(const Record& record, const RecordQuery& query) {
    if (query.empty()) return true;
    if (!record.officialCode.empty() && query.folded.size() >= 3 &&
        foldForSearch(record.officialCode).find(query.folded) != std::string::npos)
        return true;
    if (!query.digits.empty()) {
        if (query.digits.size() < 3) return startsWith(record.code, query.digits);
        if (record.code.find(query.digits) != std::string::npos) return true;
        if (isDenunciation(record)) return false;
        return record.identity.phone.find(query.digits) != std::string::npos ||
               record.identity.cccd.find(query.digits) != std::string::npos;
    }
    if (isDenunciation(record) || record.identity.name.empty()) return false;
    const std::vector<std::string> nameWords = searchWords(record.identity.name);
    for (const std::string& want : query.words) {
        bool found = false;
        for (const std::string& have : nameWords) found |= startsWith(have, want);
        if (!found) return false;
    }
    return true;
}

}  // namespace kiosk
