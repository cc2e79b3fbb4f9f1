// Agencies a transfer may name (agencies.h).
#include "core/agencies.h"

#include <algorithm>

#include "core/reference_data.h"

namespace kiosk {
namespace {

Error rowError(int line, const std::string& vi, const std::string& en) {
    const std::string n = std::to_string(line);
    return makeError("assets.value", "Dòng " + n + ": " + vi, "Line " + n + ": " + en);
}

bool validSlug(const std::string& slug) {
    if (slug.empty() || slug.size() > 64) return false;
    return std::all_of(slug.begin(), slug.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool existsOn(const Agency& agency, const Date& day) {
    return (!agency.validFrom || *agency.validFrom <= day) && (!agency.validTo || day <= *agency.validTo);
}

}  // namespace

Result<std::vector<Agency>> parseAgencies(const std::string& text) {
    auto table = parseTsv(text, {"slug", "vi", "en", "valid_from", "valid_to"});
    if (!table) return table.error();
    const auto cell = [&](const TsvTable::Row& row, const char* column) -> const std::string& {
        return row.cells[static_cast<size_t>(table->column(column))];
    };
    std::vector<Agency> agencies;
    for (const auto& row : table->rows) {
        Agency agency{cell(row, "slug"), cell(row, "vi"), cell(row, "en"), {}, {}};
        if (!validSlug(agency.slug))
            return rowError(row.line, "mã cơ quan không hợp lệ (chữ thường không dấu, chữ số, “-”).",
                            "invalid agency slug (lower-case ASCII letters, digits, “-”).");
        if (agency.vi.empty() || agency.en.empty())
            return rowError(row.line, "thiếu tên tiếng Việt hoặc tiếng Anh.",
                            "the Vietnamese or English name is missing.");
        for (const char* column : {"valid_from", "valid_to"}) {
            const std::string& value = cell(row, column);
            if (value.empty()) continue;
            const auto date = Date::parse(value);
            if (!date)
                return rowError(row.line,
                                std::string("cột “") + column + "” cần ngày YYYY-MM-DD hoặc để trống.",
                                std::string("column “") + column + "” needs a date YYYY-MM-DD or nothing.");
            (std::string(column) == "valid_from" ? agency.validFrom : agency.validTo) = date;
        }
        if (agency.validFrom && agency.validTo && *agency.validTo < *agency.validFrom)
            return rowError(row.line, "ngày kết thúc trước ngày bắt đầu.",
                            "the period ends before it begins.");
        for (const Agency& other : agencies)
            if (other.slug == agency.slug)
                return rowError(row.line, "mã cơ quan “" + agency.slug + "” đã có ở dòng trước.",
                                "agency “" + agency.slug + "” is listed twice.");
        agencies.push_back(std::move(agency));
    }
    return agencies;
}

const Agency* agencyOn(const std::vector<Agency>& agencies, const std::string& slug, const Date& day) {
    for (const Agency& agency : agencies)
        if (agency.slug == slug && existsOn(agency, day)) return &agency;
    return nullptr;
}

std::vector<const Agency*> agenciesOn(const std::vector<Agency>& agencies, const Date& day) {
    std::vector<const Agency*> out;
    for (const Agency& agency : agencies)
        if (existsOn(agency, day)) out.push_back(&agency);
    return out;
}

std::string agencyName(const std::vector<Agency>& agencies, const std::string& slug, bool english) {
    for (const Agency& agency : agencies)
        if (!slug.empty() && agency.slug == slug) return english ? agency.en : agency.vi;
    return english ? "the competent authority" : "cơ quan có thẩm quyền";
}

Error unknownAgency(const std::vector<Agency>& agencies, const std::string& slug, const Date& day) {
    std::string choices;
    for (const Agency* agency : agenciesOn(agencies, day)) {
        if (!choices.empty()) choices += ", ";
        choices += agency->slug;
    }
    if (choices.empty()) choices = "-";
    if (slug.empty())
        return makeError("action.agency-required", "Cần chọn cơ quan nhận đơn (--agency): " + choices + ".",
                         "Choose the agency the petition goes to (--agency): " + choices + ".");
    return makeError(
        "action.agency-unknown",
        "Không có cơ quan “" + slug + "” vào ngày " + day.iso() + ". Chọn một trong: " + choices + ".",
        "No agency “" + slug + "” on " + day.iso() + ". Choose one of: " + choices + ".");
}

Outcome checkTransferAgency(const std::vector<Agency>& agencies, const std::string& slug, const Date& day) {
    if (slug.empty() || !agencyOn(agencies, slug, day)) return unknownAgency(agencies, slug, day);
    return {};
}

}  // namespace kiosk
