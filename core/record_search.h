#pragma once
// What an officer types to find a record after login: part of a citizen's name (with or without
// diacritics, words in any order, each the start of a word of the name), or digits — part of a
// phone number (0… or +84…), of a CCCD, or of a receipt code — or part of an official dossier code. Matching runs on records whose
// identity the caller has already opened in memory (KioskStore::openPrivatePart); nothing here
// reads or writes storage. A tố cáo is found by its receipt code only: its denouncer's identity is
// never opened at the commune.
// Pure functions, safe from any thread.
#include <string>
#include <string_view>
#include <vector>

#include "core/records.h"

namespace kiosk {

struct RecordQuery {
    std::vector<std::string> words;  // folded (foldForSearch) words of a name query
    std::string digits;              // a digit query, +84 written as 0; empty for a name query
    std::string folded;              // the whole query folded, for official dossier codes
    bool empty() const { return words.empty() && digits.empty(); }
};

// A query with any letter is a name query; otherwise its digits (spaces, dots, dashes and a
// leading + ignored) are a digit query. A digit query shorter than 3 digits matches nothing but
// receipt codes that start with it, so "0" does not list every phone number.
RecordQuery parseRecordQuery(std::string_view text);

bool matchesRecordQuery(const Record& record, const RecordQuery& query);

// The words of a name as matchesRecordQuery compares them with a query's: folded (foldForSearch)
// and split at anything but an ASCII letter or digit. The district's keyed index of names
// (district/office/identity_index.h) is made of their prefixes, so it must split the same way.
std::vector<std::string> searchWords(std::string_view name);

}  // namespace kiosk
