#include "district/office/denouncer_readers.h"

#include <fstream>
#include <sstream>

#include "core/reference_data.h"

namespace kiosk::district {

namespace {

bool isRoleSlug(const std::string& slug) {
    if (slug.empty() || slug.size() > 32) return false;
    for (char c : slug)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

Error badRow(int line, const std::string& vi, const std::string& en) {
    return makeError("assets.value", "denouncer_readers.tsv dòng " + std::to_string(line) + ": " + vi,
                     "denouncer_readers.tsv line " + std::to_string(line) + ": " + en);
}

// "" is no bound; anything else must be a real date.
bool optionalDate(const std::string& text, std::optional<Date>& out) {
    if (text.empty()) return true;
    out = Date::parse(text);
    return out.has_value();
}

}  // namespace

Result<std::vector<DenouncerReaderRole>> parseDenouncerReaders(const std::string& text) {
    auto table = parseTsv(text, {"role", "name_vi", "name_en", "valid_from", "valid_to"});
    if (!table) return table.error();
    std::vector<DenouncerReaderRole> out;
    for (const auto& row : table->rows) {
        auto cell = [&](const char* name) { return row.cells[size_t(table->column(name))]; };
        DenouncerReaderRole r;
        r.role = cell("role");
        r.nameVi = cell("name_vi");
        r.nameEn = cell("name_en");
        if (!isRoleSlug(r.role))
            return badRow(row.line, "vai trò phải gồm a-z, 0-9, '-' (tối đa 32).",
                          "the role must be a-z, 0-9, '-' (at most 32).");
        if (r.nameVi.empty() || r.nameEn.empty())
            return badRow(row.line, "cần tên tiếng Việt và tiếng Anh.", "both names are required.");
        if (!optionalDate(cell("valid_from"), r.validFrom) || !optionalDate(cell("valid_to"), r.validTo))
            return badRow(row.line, "ngày phải dạng YYYY-MM-DD.", "dates are written YYYY-MM-DD.");
        if (r.validFrom && r.validTo && *r.validTo < *r.validFrom)
            return badRow(row.line, "ngày kết thúc trước ngày bắt đầu.", "the period ends before it starts.");
        out.push_back(std::move(r));
    }
    if (out.empty())
        return makeError("assets.missing", "denouncer_readers.tsv không có dòng nào.",
                         "denouncer_readers.tsv has no row.");
    return out;
}

Result<std::vector<DenouncerReaderRole>> loadDenouncerReaders(const std::filesystem::path& dir) {
    const std::filesystem::path path = dir / "denouncer_readers.tsv";
    if (!std::filesystem::exists(path))
        return std::vector<DenouncerReaderRole>{
            {"inspector", "Thanh tra", "inspector", std::nullopt, std::nullopt}};
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof())
        return makeError("assets.read", "Không đọc được " + path.string() + ".",
                         "Cannot read " + path.string() + ".");
    return parseDenouncerReaders(text.str());
}

std::set<std::string> denouncerReaderRoles(const std::vector<DenouncerReaderRole>& roles, const Date& on) {
    std::set<std::string> out;
    for (const DenouncerReaderRole& r : roles)
        if ((!r.validFrom || *r.validFrom <= on) && (!r.validTo || on <= *r.validTo)) out.insert(r.role);
    return out;
}

const DenouncerReaderRole* findDenouncerReaderRole(const std::vector<DenouncerReaderRole>& roles,
                                                   const std::string& slug) {
    for (const DenouncerReaderRole& r : roles)
        if (r.role == slug) return &r;
    return nullptr;
}

}  // namespace kiosk::district
