#pragma once
// Procedure search as a villager types it on the kiosk: without diacritics ("dang ky ket hon"), with
// a letter wrong ("khai xinh"), i/y either way ("dang ki"), the last word half typed. The plain
// procedure comes before its special cases: for "khai sinh", "Thủ tục đăng ký khai sinh" before
// "… khai sinh lưu động" and the joint procedures that merely mention it.
// Not a full-text engine: the catalog is a few dozen rows, ranked in memory on every keystroke.
// Pure functions, safe from any thread; the kiosk's controller and kioskctl call rankProcedures.
#include <string>
#include <string_view>
#include <vector>

#include "core/reference_data.h"

namespace kiosk {

// Indices into `procedures`, best match first. Every word of the query must match a word of the
// name, of the field (lĩnh vực) or, exactly or as its start, of the documents, or the national
// code. Ranking, in order: how well the words match (exact, then started, then misspelt; name
// before field before documents), whether they stand in the name in the order typed, how few
// other words the name has, then the name. An empty query lists everything by field, then name.
std::vector<size_t> rankProcedures(std::string_view query, const std::vector<Procedure>& procedures);

// Optimal string alignment distance between two byte strings (folded ASCII in practice): the
// fewest insertions, deletions, substitutions and swaps of two neighbouring letters.
int editDistance(std::string_view a, std::string_view b);

}  // namespace kiosk
