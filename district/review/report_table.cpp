#include "district/review/report_table.h"

#include <unistd.h>

#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>

#include "core/records.h"

namespace kiosk::district {

namespace {

// [SECTION] the table

struct Column {
    const char* vi;
    const char* en;
};

// The columns, in the order the rows below fill them.
constexpr Column kColumns[] = {
    {"Đơn vị", "Unit"},
    {"Mã", "Code"},
    {"Từ ngày", "From"},
    {"Đến ngày", "To"},
    {"Lượt tiếp", "Receptions"},
    {"Số người", "People received"},
    {"Vụ việc", "Cases"},
    {"Vụ việc cùng kỳ", "Cases, last year"},
    {"Đơn tiếp nhận", "Petitions received"},
    {"Đơn cùng kỳ", "Petitions, last year"},
    {"Tăng/giảm (đơn)", "Change (petitions)"},
    {"Tăng/giảm (%)", "Change (%)"},
    {"Khiếu nại", "Complaints"},
    {"Tố cáo", "Denunciations"},
    {"Kiến nghị", "Proposals"},
    {"Phản ánh", "Reports"},
    {"Kỳ trước chuyển sang", "Carried over"},
    {"Phải giải quyết", "To resolve"},
    {"Đã giải quyết", "Resolved"},
    {"Tỷ lệ giải quyết (%)", "Resolved (%)"},
    {"Không thụ lý", "Not accepted"},
    {"Rút đơn", "Withdrawn"},
    {"Đã chuyển đơn", "Transferred"},
    {"Đơn quá hạn hiện nay", "Petitions overdue now"},
    {"Ngày làm việc bình quân", "Average working days"},
    {"Hồ sơ tiếp nhận", "Dossiers received"},
    {"Hồ sơ cùng kỳ", "Dossiers, last year"},
    {"Hồ sơ đã giải quyết", "Dossiers resolved"},
    {"Trước hạn", "Early"},
    {"Đúng hạn", "On time"},
    {"Quá hạn", "Late"},
    {"Trả qua bưu chính", "Delivered by post"},
    {"Từ chối", "Refused"},
    {"Hồ sơ quá hạn hiện nay", "Dossiers overdue now"},
    {"Rất hài lòng", "Very satisfied"},
    {"Hài lòng", "Satisfied"},
    {"Không hài lòng", "Unsatisfied"},
};
constexpr size_t kTextColumns = 4;  // name, code, from, to

ReportCell text(std::string t) { return {ReportCell::Type::Text, std::move(t), 0}; }
ReportCell count(int64_t n) { return {ReportCell::Type::Count, {}, double(n)}; }
ReportCell count(const std::optional<int64_t>& n) { return n ? count(*n) : ReportCell{}; }
ReportCell decimal(const std::optional<double>& v) {
    return v ? ReportCell{ReportCell::Type::Decimal, {}, *v} : ReportCell{};
}

std::vector<ReportCell> unitRow(const UnitReport& u, const DistrictReport& r) {
    const PeriodFigures& c = u.current;
    const PeriodFigures& p = u.previous;
    return {text(u.name),
            text(u.code),
            text(r.from.iso()),
            text(r.to.iso()),
            count(c.receptionVisits),
            count(c.receptionPeople),
            count(c.receptionCases),
            count(p.receptionCases),
            count(c.petitionsReceived),
            count(p.petitionsReceived),
            count(c.petitionsReceived - p.petitionsReceived),
            decimal(changePercent(c.petitionsReceived, p.petitionsReceived)),
            count(c.petitionsReceivedByKind[0]),
            count(c.petitionsReceivedByKind[1]),
            count(c.petitionsReceivedByKind[2]),
            count(c.petitionsReceivedByKind[3]),
            count(c.petitionsCarriedOver),
            count(c.petitionsToResolve()),
            count(c.petitionsResolved),
            decimal(c.resolvedPercent()),
            count(c.petitionsNotAccepted),
            count(c.petitionsWithdrawn),
            count(c.petitionsTransferred),
            count(c.petitionsOverdueNow),
            decimal(c.averageWorkingDaysToResolve()),
            count(c.dossiersReceived),
            count(p.dossiersReceived),
            count(c.dossiersResolved),
            count(c.dossiersEarly),
            count(c.dossiersOnTime),
            count(c.dossiersLate),
            count(c.dossiersByPost),
            count(c.dossiersRefused),
            count(c.dossiersOverdueNow),
            count(c.ratingVerySatisfied),
            count(c.ratingSatisfied),
            count(c.ratingUnsatisfied)};
}

// [SECTION] CSV

std::string csvField(const std::string& value, char separator) {
    if (value.find_first_of(std::string("\"\r\n") + separator) == std::string::npos) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// Text from the data (a commune's name, a code) as a cell: one that starts like a formula ('=', '+',
// '-', '@', or a tab or carriage return ahead of one) gets a leading apostrophe, which spreadsheet
// programs take as "this is text" — opened in one, the report runs nothing.
std::string csvText(const std::string& value, char separator) {
    if (!value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos)
        return csvField("'" + value, separator);
    return csvField(value, separator);
}

std::string csvCell(const ReportCell& cell, const CsvStyle& style) {
    switch (cell.type) {
        case ReportCell::Type::Text:
            return csvText(cell.text, style.separator);
        case ReportCell::Type::Count:
            return std::to_string(int64_t(cell.number));
        case ReportCell::Type::Decimal: {
            char out[32];
            std::snprintf(out, sizeof out, "%.1f", cell.number);
            std::string s = out;
            if (style.decimalComma)
                for (char& c : s)
                    if (c == '.') c = ',';
            return csvField(s, style.separator);
        }
        case ReportCell::Type::Empty:
            break;
    }
    return "";
}

// [SECTION] xlsx

Error xlsxError(const std::string& what) {
    return makeError("report.xlsx", "Không tạo được tệp Excel của báo cáo (" + what + ").",
                     "Could not write the report's Excel file (" + what + ").");
}

struct Formats {
    lxw_format* title;
    lxw_format* header;
    lxw_format* text;
    lxw_format* count;
    lxw_format* decimal;
    lxw_format* totalText;
    lxw_format* totalCount;
    lxw_format* totalDecimal;
};

Formats makeFormats(lxw_workbook* book) {
    Formats f{};
    f.title = workbook_add_format(book);
    format_set_bold(f.title);
    format_set_font_size(f.title, 13);
    f.header = workbook_add_format(book);
    format_set_bold(f.header);
    format_set_text_wrap(f.header);
    format_set_align(f.header, LXW_ALIGN_CENTER);
    format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(f.header, LXW_BORDER_THIN);
    format_set_bg_color(f.header, 0xDDEBF7);
    lxw_format** plain[] = {&f.text, &f.count, &f.decimal, &f.totalText, &f.totalCount, &f.totalDecimal};
    for (lxw_format** each : plain) {
        *each = workbook_add_format(book);
        format_set_border(*each, LXW_BORDER_THIN);
    }
    format_set_num_format(f.text, "@");
    format_set_num_format(f.totalText, "@");
    format_set_num_format(f.count, "#,##0");
    format_set_num_format(f.totalCount, "#,##0");
    format_set_num_format(f.decimal, "0.0");
    format_set_num_format(f.totalDecimal, "0.0");
    for (lxw_format* total : {f.totalText, f.totalCount, f.totalDecimal}) format_set_bold(total);
    return f;
}

void writeTableSheet(lxw_workbook* book, const Formats& f, const DistrictReport& r, const ReportTable& table,
                     Lang lang) {
    const bool en = lang == Lang::En;
    lxw_worksheet* sheet = workbook_add_worksheet(book, en ? "Report" : "Báo cáo");
    const ReportHeading heading = reportHeading(r, lang);
    worksheet_write_string(sheet, 0, 0, heading.title.c_str(), f.title);
    worksheet_write_string(sheet, 1, 0, heading.period.c_str(), nullptr);
    worksheet_write_string(sheet, 2, 0, heading.asOf.c_str(), nullptr);
    constexpr lxw_row_t kHeaderRow = 4;
    worksheet_set_row(sheet, kHeaderRow, 45, nullptr);
    for (size_t c = 0; c < table.header.size(); ++c)
        worksheet_write_string(sheet, kHeaderRow, lxw_col_t(c), table.header[c].c_str(), f.header);
    for (size_t i = 0; i < table.rows.size(); ++i) {
        const bool total = i == 0;
        const auto row = lxw_row_t(kHeaderRow + 1 + i);
        for (size_t c = 0; c < table.rows[i].size(); ++c) {
            const ReportCell& cell = table.rows[i][c];
            const auto col = lxw_col_t(c);
            switch (cell.type) {
                case ReportCell::Type::Text:
                    worksheet_write_string(sheet, row, col, cell.text.c_str(), total ? f.totalText : f.text);
                    break;
                case ReportCell::Type::Count:
                    worksheet_write_number(sheet, row, col, cell.number, total ? f.totalCount : f.count);
                    break;
                case ReportCell::Type::Decimal:
                    worksheet_write_number(sheet, row, col, cell.number, total ? f.totalDecimal : f.decimal);
                    break;
                case ReportCell::Type::Empty:
                    worksheet_write_blank(sheet, row, col, total ? f.totalCount : f.count);
                    break;
            }
        }
    }
    worksheet_set_column(sheet, 0, 0, 28, nullptr);
    worksheet_set_column(sheet, 1, 3, 11, nullptr);
    worksheet_set_column(sheet, lxw_col_t(kTextColumns), lxw_col_t(table.header.size() - 1), 12, nullptr);
    worksheet_freeze_panes(sheet, kHeaderRow + 1, 2);
    worksheet_set_landscape(sheet);
    worksheet_set_paper(sheet, 9);  // A4
    worksheet_fit_to_pages(sheet, 1, 0);
    worksheet_repeat_rows(sheet, kHeaderRow, kHeaderRow);
}

// What the figures mean, on a sheet of their own (report.h's definitions, in the officers' words).
void writeNotesSheet(lxw_workbook* book, const Formats& f, const DistrictReport& r, Lang lang) {
    lxw_worksheet* sheet = workbook_add_worksheet(book, lang == Lang::En ? "Notes" : "Ghi chú");
    const std::vector<std::string> lines = reportNotes(r, lang);
    worksheet_set_column(sheet, 0, 0, 110, nullptr);
    for (size_t i = 0; i < lines.size(); ++i)
        worksheet_write_string(sheet, lxw_row_t(i), 0, lines[i].c_str(), i == 0 ? f.title : nullptr);
}

std::string readWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

ReportHeading reportHeading(const DistrictReport& r, Lang lang) {
    const bool en = lang == Lang::En;
    ReportHeading h;
    h.title = en ? "REPORT ON CITIZEN RECEPTION, PETITIONS AND ADMINISTRATIVE DOSSIERS"
                 : "BÁO CÁO CÔNG TÁC TIẾP CÔNG DÂN, GIẢI QUYẾT ĐƠN VÀ HỒ SƠ THỦ TỤC HÀNH CHÍNH";
    h.period = en ? (r.districtNameEn.empty() ? r.district.name : r.districtNameEn) + ", " + r.from.iso() +
                        " to " + r.to.iso() + " (same period last year: " + r.previousFrom.iso() + " to " +
                        r.previousTo.iso() + ")"
                  : r.district.name + ", từ ngày " + dmyDate(r.from) + " đến ngày " + dmyDate(r.to) +
                        " (cùng kỳ: " + dmyDate(r.previousFrom) + " – " + dmyDate(r.previousTo) + ")";
    h.asOf = en ? "Overdue counted as of " + r.today.iso() : "Số quá hạn tính đến ngày " + dmyDate(r.today);
    return h;
}

std::vector<std::string> reportNotes(const DistrictReport& r, Lang lang) {
    const bool en = lang == Lang::En;
    return
        en ? std::vector<std::string>{
                 "How the figures are counted",
                 "Received: on the legal date of receipt. A petition or dossier handed in after working "
                 "hours, on a weekend or a holiday counts as received on the next working day.",
                 "Carried over: received before the period and not closed before it.",
                 "To resolve = carried over + received. Resolved (%) = resolved / to resolve.",
                 "Not accepted and withdrawn petitions are closed but not counted as resolved.",
                 "Overdue now: the legal time limit has passed on " + r.today.iso() + " and the case is open.",
                 "Change: against the same period of the previous year; no % when that was 0.",
                 "Each commune's line counts the records of the units it succeeded (the map of " + r.to.iso() +
                     ").",
             }
           : std::vector<std::string>{
                 "Cách tính các số liệu",
                 "Tiếp nhận: theo ngày nhận hợp lệ. Đơn, hồ sơ nộp ngoài giờ làm việc, ngày nghỉ, ngày lễ "
                 "được tính là nhận vào ngày làm việc kế tiếp.",
                 "Kỳ trước chuyển sang: nhận trước kỳ và chưa kết thúc trước kỳ.",
                 "Phải giải quyết = kỳ trước chuyển sang + tiếp nhận. Tỷ lệ giải quyết = đã giải quyết / "
                 "phải giải quyết.",
                 "Đơn không thụ lý và đơn rút đã kết thúc nhưng không tính là đã giải quyết.",
                 "Quá hạn hiện nay: đã quá thời hạn theo luật tính đến ngày " + dmyDate(r.today) +
                     " mà chưa kết thúc.",
                 "Tăng/giảm: so với cùng kỳ năm trước; không có % khi cùng kỳ bằng 0.",
                 "Mỗi dòng của xã gồm cả hồ sơ của các đơn vị cũ mà xã kế thừa (theo bản đồ ngày " + dmyDate(r.to) +
                     ").",
             };
}

std::string dmyDate(const Date& d) {
    char out[16];
    std::snprintf(out, sizeof out, "%02d/%02d/%04d", d.day, d.month, d.year);
    return out;
}

ReportTable reportTable(const DistrictReport& r, Lang lang) {
    ReportTable table;
    for (const Column& c : kColumns) table.header.push_back(lang == Lang::En ? c.en : c.vi);
    table.rows.push_back(unitRow(r.district, r));
    for (const UnitReport& u : r.communes) table.rows.push_back(unitRow(u, r));
    table.rows.push_back(unitRow(r.districtOffice, r));
    return table;
}

std::string reportCsv(const DistrictReport& report, const CsvStyle& style) {
    const ReportTable table = reportTable(report);
    std::string out = "\xEF\xBB\xBF";
    for (size_t i = 0; i < table.header.size(); ++i)
        out +=
            (i ? std::string(1, style.separator) : std::string()) + csvText(table.header[i], style.separator);
    out += "\r\n";
    for (const auto& row : table.rows) {
        for (size_t i = 0; i < row.size(); ++i)
            out += (i ? std::string(1, style.separator) : std::string()) + csvCell(row[i], style);
        out += "\r\n";
    }
    return out;
}

Result<std::string> reportXlsx(const DistrictReport& report, Lang lang) {
    // libxlsxwriter 1.1.4 writes only to a file: a private temporary one, read back and removed.
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/commune-report-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) return xlsxError("mkstemp");
    close(fd);
    lxw_workbook_options options{};
    options.tmpdir = nullptr;
    lxw_workbook* book = workbook_new_opt(path.c_str(), &options);
    if (!book) {
        unlink(path.c_str());
        return xlsxError("workbook_new");
    }
    const Formats formats = makeFormats(book);
    writeTableSheet(book, formats, report, reportTable(report, lang), lang);
    writeNotesSheet(book, formats, report, lang);
    const lxw_error closed = workbook_close(book);
    std::string bytes = closed == LXW_NO_ERROR ? readWhole(path) : std::string();
    unlink(path.c_str());
    if (closed != LXW_NO_ERROR) return xlsxError(lxw_strerror(closed));
    if (bytes.empty()) return xlsxError("empty file");
    return bytes;
}

}  // namespace kiosk::district
