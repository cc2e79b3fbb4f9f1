#pragma once
// The review report as a table — one row for the whole, one per commune, one for the office of the
// unit above the communes — and the two files it is sent upward in: CSV and an .xlsx workbook
// (libxlsxwriter). Both are written from the same table, so a column added here reaches both.
// It is not: the figures themselves (report.h computes them), HTTP, or the PDF (report_pdf.h, which
// draws the same table).
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "core/strings.h"
#include "district/review/report.h"

namespace kiosk::district {

// One cell: text (a name, a code, a date — "02374" stays text), a count, a decimal (one place), or
// nothing (a figure that does not apply, such as a percentage of zero).
struct ReportCell {
    enum class Type { Text, Count, Decimal, Empty };
    Type type = Type::Empty;
    std::string text;
    double number = 0;
};

struct ReportTable {
    std::vector<std::string> header;
    std::vector<std::vector<ReportCell>> rows;  // the whole first, then the communes, then the office
};

// The table with its header in `lang`.
ReportTable reportTable(const DistrictReport& report, Lang lang = Lang::Vi);

// CSV (RFC 4180, CRLF) starting with a UTF-8 BOM so spreadsheet programs read the Vietnamese right.
// `separator` ',' with decimals written 81.4, or ';' with the decimal comma 81,4 — what a spreadsheet
// set to Vietnamese expects. A text cell that would start a formula in a spreadsheet ('=', '+', '-',
// '@', tab, CR) is written with a leading apostrophe; figures, negative ones included, as numbers.
struct CsvStyle {
    char separator = ',';
    bool decimalComma = false;
};
std::string reportCsv(const DistrictReport& report, const CsvStyle& style = {});

// The lines above the table: the report's title, the unit and the period (with the same period last
// year), and the day "overdue now" is counted on.
struct ReportHeading {
    std::string title;
    std::string period;
    std::string asOf;
};
ReportHeading reportHeading(const DistrictReport& report, Lang lang = Lang::Vi);

// What the figures mean and how received dates are counted, one line each after a heading line: the
// workbook's notes sheet and the PDF's footnotes.
std::vector<std::string> reportNotes(const DistrictReport& report, Lang lang = Lang::Vi);

// Day/month/year as Vietnamese writes a date: 05/12/2026.
std::string dmyDate(const Date& d);

// The workbook's bytes: sheet 1 the table under a title (unit, period, the day "overdue now" is
// counted on), codes as text, figures as numbers, the header frozen; sheet 2 what each figure means
// and how received dates are counted. Errors: "report.xlsx" (libxlsxwriter or the temporary file).
Result<std::string> reportXlsx(const DistrictReport& report, Lang lang = Lang::Vi);

}  // namespace kiosk::district
