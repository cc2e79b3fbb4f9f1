#pragma once
// Who may read a denouncer's identity: the role competent to resolve the denunciation (Luật Tố cáo
// 2018 Điều 47, 56), as the data names it — assets/denouncer_readers.tsv, one row per role with its
// display names and the dates it is in force — never a name written in the code. Since the 2025
// reform the competent body changes with the deployment (the chair of the commune's People's
// Committee, or the inspectorate above it), so a deployment edits the file; the default names the
// `inspector` role, which keeps the 18-commune deployment's inspector accounts working.
// It is not: the check itself (officers.h maySeeDenouncer) or the audit (recordIdentityRead).
// Pure data and functions; loaded once by the dashboard and by `district-server officer add`.
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "common/result.h"

namespace kiosk::district {

struct DenouncerReaderRole {
    std::string role;                        // the officer role slug: 1-32 of a-z, 0-9, '-'
    std::string nameVi, nameEn;              // for people ("Thanh tra", "inspector")
    std::optional<Date> validFrom, validTo;  // in force on these days (inclusive); none = unbounded
};

// Columns role, name_vi, name_en, valid_from, valid_to (source and others ignored). Errors
// "assets.*" naming the line: a bad slug or date, a period that ends before it starts, no row.
Result<std::vector<DenouncerReaderRole>> parseDenouncerReaders(const std::string& text);
// dir/denouncer_readers.tsv; when the file is absent, the default: `inspector` ("Thanh tra").
Result<std::vector<DenouncerReaderRole>> loadDenouncerReaders(const std::filesystem::path& dir);

// The role slugs in force on `on`.
std::set<std::string> denouncerReaderRoles(const std::vector<DenouncerReaderRole>& roles, const Date& on);
// The row of a slug (the first), or nullptr.
const DenouncerReaderRole* findDenouncerReaderRole(const std::vector<DenouncerReaderRole>& roles,
                                                   const std::string& slug);

}  // namespace kiosk::district
