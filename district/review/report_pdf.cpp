#include "district/review/report_pdf.h"

#include <algorithm>
#include <cstdio>

#include "core/rating.h"
#include "district/review/report_table.h"
#include "papers/layout.h"

namespace kiosk::district {

namespace {

using papers::Align;
using papers::TableContent;

// The unit's name and code head every band of columns; the figures follow, this many to a band, so
// a band's columns stay wide enough for a five-digit count and a three-line header at 8 points.
constexpr size_t kKeyColumns = 2;
constexpr size_t kColumnsPerBand = 12;
constexpr double kTableFont = 8;

std::string englishNumber(int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    for (int at = int(digits.size()) - 3; at > 0; at -= 3) digits.insert(size_t(at), ",");
    return (n < 0 ? "-" : "") + digits;
}

std::string cellText(const ReportCell& cell, Lang lang) {
    switch (cell.type) {
        case ReportCell::Type::Text:
            return cell.text;
        case ReportCell::Type::Count:
            return lang == Lang::En ? englishNumber(int64_t(cell.number)) : viNumber(int64_t(cell.number));
        case ReportCell::Type::Decimal: {
            if (lang != Lang::En) return viDecimal(cell.number);
            char out[32];
            std::snprintf(out, sizeof out, "%.1f", cell.number);
            return out;
        }
        case ReportCell::Type::Empty:
            break;
    }
    return "—";  // a figure that does not apply, as the dashboard shows it
}

// The table's columns from `first` to `last` (exclusive), behind the unit's name and code.
TableContent band(const ReportTable& table, size_t first, size_t last, Lang lang) {
    TableContent out;
    out.boldRows = 1;  // the whole
    std::vector<size_t> columns{0, 1};
    for (size_t c = first; c < last; ++c) columns.push_back(c);
    for (size_t c : columns) {
        out.header.push_back(table.header[c]);
        out.widths.push_back(c == 0 ? 3.2 : c == 1 ? 1.2 : 1);
        const bool figure =
            c >= kKeyColumns && !(table.rows.empty() || table.rows[0][c].type == ReportCell::Type::Text);
        out.aligns.push_back(figure ? Align::Right : Align::Left);
    }
    // A band narrower than a full one keeps the others' column widths, the rest of the line blank.
    for (size_t pad = last - first; pad < kColumnsPerBand; ++pad) out.widths.push_back(1);
    for (const auto& row : table.rows) {
        std::vector<std::string> cells;
        for (size_t c : columns) cells.push_back(cellText(row[c], lang));
        out.rows.push_back(std::move(cells));
    }
    return out;
}

std::string percentText(int64_t part, int64_t whole, Lang lang) {
    if (whole <= 0) return "—";
    const double value = double(int64_t(1000.0 * double(part) / double(whole) + 0.5)) / 10;
    return cellText(ReportCell{ReportCell::Type::Decimal, {}, value}, lang);
}

// The citizens' ratings: per unit, by value, the share satisfied and the reasons ticked.
TableContent ratingsTable(const DistrictReport& r, Lang lang) {
    const bool en = lang == Lang::En;
    std::vector<RatingCriterion> criteria;
    if (auto loaded = loadRatingCriteria()) criteria = std::move(*loaded);
    auto reasons = [&](const PeriodFigures& f) {
        std::vector<std::pair<std::string, int64_t>> ticked(f.ratingCriteria.begin(), f.ratingCriteria.end());
        std::stable_sort(ticked.begin(), ticked.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        std::string out;
        for (const auto& [id, n] : ticked) {
            std::string name = id;
            for (const RatingCriterion& c : criteria)
                if (c.id == id) name = en ? c.en : c.vi;
            out += (out.empty() ? "" : "; ") + name + ": " +
                   cellText(ReportCell{ReportCell::Type::Count, {}, double(n)}, lang);
        }
        return out.empty() ? std::string("—") : out;
    };
    auto count = [&](int64_t n) {
        return cellText(ReportCell{ReportCell::Type::Count, {}, double(n)}, lang);
    };
    TableContent t;
    t.header = en ? std::vector<std::string>{"Unit",      "Code",        "Ratings",       "Very satisfied",
                                             "Satisfied", "Unsatisfied", "Satisfied (%)", "Reasons ticked"}
                  : std::vector<std::string>{"Đơn vị",
                                             "Mã",
                                             "Lượt đánh giá",
                                             "Rất hài lòng",
                                             "Hài lòng",
                                             "Không hài lòng",
                                             "Tỷ lệ hài lòng (%)",
                                             "Lý do được chọn"};
    t.widths = {3.2, 1.2, 1, 1, 1, 1, 1, 6.6};
    t.aligns = {Align::Left,  Align::Left,  Align::Right, Align::Right,
                Align::Right, Align::Right, Align::Right, Align::Left};
    t.boldRows = 1;
    auto row = [&](const UnitReport& u) {
        const PeriodFigures& f = u.current;
        t.rows.push_back({u.name, u.code, count(f.ratings()), count(f.ratingVerySatisfied),
                          count(f.ratingSatisfied), count(f.ratingUnsatisfied),
                          percentText(f.ratingVerySatisfied + f.ratingSatisfied, f.ratings(), lang),
                          reasons(f)});
    };
    row(r.district);
    for (const UnitReport& u : r.communes) row(u);
    return t;
}

}  // namespace

Result<std::string> reportPdf(const DistrictReport& r, Lang lang) {
    const bool en = lang == Lang::En;
    const ReportHeading heading = reportHeading(r, lang);
    papers::Paper paper(papers::PageSize::A4, heading.title);
    paper.landscape().pageNumbers(en ? "Page {page} of {pages}" : "Trang {page}/{pages}");
    paper.title(heading.title).subtitle(heading.period).paragraph(heading.asOf, Align::Center, false, true);
    const ReportTable table = reportTable(r, lang);
    for (size_t first = kKeyColumns; first < table.header.size(); first += kColumnsPerBand)
        paper.table(band(table, first, std::min(first + kColumnsPerBand, table.header.size()), lang),
                    kTableFont);
    paper.subtitle(en ? "Citizens' satisfaction" : "Mức độ hài lòng của người dân");
    paper.table(ratingsTable(r, lang), kTableFont);
    const std::vector<std::string> notes = reportNotes(r, lang);
    for (size_t i = 0; i < notes.size(); ++i)
        if (i == 0)
            paper.subtitle(notes[i]);
        else
            paper.paragraph(notes[i]);
    return papers::renderPdf(paper);
}

}  // namespace kiosk::district
