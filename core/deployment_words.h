#pragma once
// The deployment's words: the names a screen or a report puts where a sentence speaks of the unit
// above the communes ("gửi lên {unit.top}") or of the commune's desk that receives people
// ("hỏi tại {desk}"). The law renames both — the district level ended on 1 July 2025 and the
// commune's "bộ phận một cửa" became the "Trung tâm Phục vụ hành chính công xã" (NĐ 118/2025/NĐ-CP)
// — so no level name or desk name is written in code or in strings.tsv: the unit words come from
// the unit map (units.tsv, unit_levels.tsv) for a given day, the other words from words.tsv, each
// with the dates it holds. Strings::setWords() fills them into every text.
// Pure; any thread.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/strings.h"
#include "common/result.h"

namespace kiosk {

struct ReferenceData;

// One row of words.tsv: what `key` reads as from validFrom to validTo (both inclusive).
struct DeploymentWord {
    std::string key;  // a placeholder name: letters, digits, "." and "_" ("desk")
    std::string vi;
    std::string en;
    std::optional<Date> validFrom;  // nullopt: since before any record
    std::optional<Date> validTo;    // nullopt: still in use
};

// words.tsv: key vi en valid_from valid_to. A key may have several rows whose periods do not
// overlap; both texts are required. The error names the line.
Result<std::vector<DeploymentWord>> parseDeploymentWords(const std::string& text);

// The words of `reference` on `day`, for Strings::setWords():
//   unit.top        "huyện Hàm Yên" / "Hàm Yên district" — the unit above the communes, mid-sentence
//   unit.top.title  "Huyện Hàm Yên" / "Hàm Yên district" — the same at the start of a line
//   unit.top.full   "Huyện Hàm Yên, tỉnh Tuyên Quang" — with every unit above it
//   unit.top_level  "huyện" / "district" — its level, as unit_levels.tsv words it
//   and every words.tsv key valid on `day` ("desk").
// A word the data cannot give (no commune exists that day, no row for a key) is left out, so its
// placeholder shows as written and gets noticed.
Strings::WordMap deploymentWords(const ReferenceData& reference, const Date& day);
// deploymentWords() of the reference data in `dir` (loadReferenceData): for a program whose store
// keeps no unit map of its own. The error names the file and line.
Result<Strings::WordMap> loadDeploymentWords(const std::filesystem::path& dir, const Date& day);
// The local (UTC+7) date of the machine's clock: the day the words are chosen for at start-up.
Date deploymentToday();

}  // namespace kiosk
