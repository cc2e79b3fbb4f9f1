#pragma once
// The review report as a PDF to print or send upward: A4 landscape, the title with the unit and the
// period, the same table the CSV and .xlsx carry (report_table.h) in bands of columns that fit the
// page (the unit's name and code at the head of each band, the header again on every page), the
// citizens' ratings, the notes on how the figures are counted, and page numbers. Laid out and drawn
// by papers/ (Pango, Cairo): no layout of its own.
// It is not: the figures (report.h), nor HTTP. Pure function of its arguments, any thread.
#include <string>
#include <vector>

#include "common/result.h"
#include "core/strings.h"
#include "district/review/report.h"

namespace kiosk::district {

// The PDF's bytes. Errors: "paper.render" (Cairo).
Result<std::string> reportPdf(const DistrictReport& report, Lang lang = Lang::Vi);

}  // namespace kiosk::district
