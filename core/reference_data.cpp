// Reference data from assets/ (reference_data.h): the shared table reader, one parser per file,
// the loader and the assets directory.
//
// [SECTION] Messages
// [SECTION] Table reader
// [SECTION] Cell values
// [SECTION] Parsers
// [SECTION] ReferenceData
// [SECTION] Loading from a directory
#include "core/reference_data.h"
#include "build_paths.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <utf8proc.h>

#include "core/text.h"

namespace kiosk {
namespace {

// [SECTION] Messages ----------------------------------------------------------------------------
//
// Every message names the line, so whoever edits a table (or imports one from the district) can
// find the mistake; the loader adds the file name in front.

Error lineError(const std::string& code, int line, const std::string& vi, const std::string& en) {
    const std::string n = std::to_string(line);
    return makeError(code, "Dòng " + n + ": " + vi, "Line " + n + ": " + en);
}

std::string quoteCell(const std::string& text) {
    // Long cells are cut so a message stays readable (the line number finds the rest), at a
    // character boundary so the message stays valid UTF-8.
    constexpr size_t kShown = 40;
    if (text.size() <= kShown) return "“" + text + "”";
    size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return "“" + text.substr(0, cut) + "…”";
}

// [SECTION] Table reader ------------------------------------------------------------------------

// The 1-based line of byte `offset` in `text`.
int lineOf(const std::string& text, size_t offset) {
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

// Refuses invalid UTF-8 and control characters (other than tab, CR, LF): a table is text people
// read on a screen, and NUL would also cut utf8proc's NFC short.
std::optional<Error> checkText(const std::string& text) {
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    const auto size = static_cast<utf8proc_ssize_t>(text.size());
    utf8proc_ssize_t at = 0;
    while (at < size) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t used = utf8proc_iterate(bytes + at, size - at, &cp);
        if (used <= 0 || cp < 0) {
            return lineError("assets.utf8", lineOf(text, static_cast<size_t>(at)),
                             "văn bản không phải UTF-8 hợp lệ.", "the text is not valid UTF-8.");
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f) {
            return lineError("assets.control", lineOf(text, static_cast<size_t>(at)),
                             "có ký tự điều khiển không được phép.", "a control character is not allowed.");
        }
        at += used;
    }
    return std::nullopt;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \r");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \r");
    return text.substr(first, last - first + 1);
}

std::vector<std::string> splitTabs(const std::string& line) {
    std::vector<std::string> cells;
    size_t start = 0;
    while (true) {
        const size_t tab = line.find('\t', start);
        cells.push_back(trim(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start)));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    return cells;
}

// [SECTION] Cell values -------------------------------------------------------------------------

// A row with its table, so parsers read cells by column name (an absent column reads empty).
struct Cells {
    const TsvTable& table;
    const TsvTable::Row& row;
    const std::string& operator[](const std::string& name) const {
        static const std::string kEmpty;
        const int index = table.column(name);
        return index < 0 ? kEmpty : row.cells[static_cast<size_t>(index)];
    }
};

Error badValue(int line, const std::string& column, const std::string& value, const std::string& expectedVi,
               const std::string& expectedEn) {
    return lineError("assets.value", line,
                     "cột “" + column + "” có giá trị " + quoteCell(value) + ", cần " + expectedVi + ".",
                     "column “" + column + "” has " + quoteCell(value) + ", expected " + expectedEn + ".");
}

// A whole number in [min, max], digits only.
std::optional<int> number(const std::string& text, int min, int max) {
    if (text.empty() || text.size() > 9) return std::nullopt;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    if (value < min || value > max) return std::nullopt;
    return value;
}

Result<int> numberCell(const Cells& cells, const std::string& column, int min, int max) {
    const std::string& text = cells[column];
    if (auto value = number(text, min, max)) return *value;
    return badValue(cells.row.line, column, text,
                    "một số nguyên từ " + std::to_string(min) + " đến " + std::to_string(max),
                    "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
}

// A number from a column a file written before the column existed may lack: such a file (or an
// empty cell) gives `fallback`, the law's figure.
Result<int> optionalNumberCell(const Cells& cells, const std::string& column, int min, int max,
                               int fallback) {
    if (cells[column].empty()) return fallback;
    return numberCell(cells, column, min, max);
}

// "0" or "1"; an empty cell is `whenEmpty` if given, else an error.
Result<bool> flagCell(const Cells& cells, const std::string& column,
                      std::optional<bool> whenEmpty = std::nullopt) {
    const std::string& text = cells[column];
    if (text == "1") return true;
    if (text == "0") return false;
    if (text.empty() && whenEmpty) return *whenEmpty;
    return badValue(cells.row.line, column, text, "0 hoặc 1", "0 or 1");
}

bool allDigits(const std::string& text, size_t length) {
    return text.size() == length &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Longest sensible limit: ten years. Anything larger is a typo, not a law.
constexpr int kMaxLimitDays = 3650;

Error duplicate(int line, int firstLine, const std::string& what, const std::string& value) {
    return lineError("assets.duplicate", line,
                     what + " " + quoteCell(value) + " đã có ở dòng " + std::to_string(firstLine) + ".",
                     quoteCell(value) + " already appears on line " + std::to_string(firstLine) + ".");
}

// Whether a holiday table says it is not the official announcement: a comment line
// "# status: provisional" (spaces and case ignored) before its header.
bool markedProvisional(const std::string& text) {
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line;
        for (size_t i = start; i < end; ++i)
            if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r')
                line += char(std::tolower(static_cast<unsigned char>(text[i])));
        start = end + 1;
        if (line.empty()) continue;
        if (line[0] != '#' && line.rfind("\xef\xbb\xbf#", 0) != 0) return false;  // the header: done
        if (line == "#status:provisional" || line == "\xef\xbb\xbf#status:provisional") return true;
    }
    return false;
}

}  // namespace

// [SECTION] Table reader (public part) ----------------------------------------------------------

int TsvTable::column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
}

Result<TsvTable> parseTsv(const std::string& rawText, const std::vector<std::string>& required) {
    if (auto error = checkText(rawText)) return *error;
    std::string text = toNfc(rawText);
    // A byte-order mark some editors put first is not part of the header.
    static const std::string kBom = "\xEF\xBB\xBF";
    if (text.compare(0, kBom.size(), kBom) == 0) text.erase(0, kBom.size());

    TsvTable table;
    size_t start = 0;
    int line = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        ++line;
        std::string current = text.substr(start, end - start);
        start = end + 1;
        if (!current.empty() && current.back() == '\r') current.pop_back();
        if (trim(current).empty() || current[0] == '#') {
            if (end == text.size()) break;
            continue;
        }
        std::vector<std::string> cells = splitTabs(current);
        if (table.headerLine == 0) {
            for (size_t i = 0; i < cells.size(); ++i) {
                if (cells[i].empty()) {
                    return lineError("assets.header", line, "tiêu đề có cột không tên.",
                                     "the header has a column with no name.");
                }
                for (size_t j = 0; j < i; ++j) {
                    if (cells[j] == cells[i]) {
                        return lineError("assets.header", line,
                                         "tiêu đề có cột " + quoteCell(cells[i]) + " hai lần.",
                                         "the header names column " + quoteCell(cells[i]) + " twice.");
                    }
                }
            }
            table.header = std::move(cells);
            table.headerLine = line;
        } else {
            if (cells.size() != table.header.size()) {
                const std::string got = std::to_string(cells.size());
                const std::string want = std::to_string(table.header.size());
                return lineError("assets.columns", line, "có " + got + " cột, tiêu đề có " + want + " cột.",
                                 got + " columns, the header has " + want + ".");
            }
            table.rows.push_back(TsvTable::Row{line, std::move(cells)});
        }
        if (end == text.size()) break;
    }
    if (table.headerLine == 0) {
        return makeError("assets.header", "Không có dòng tiêu đề (tên các cột).",
                         "There is no header line (the column names).");
    }
    for (const std::string& name : required) {
        if (table.column(name) < 0) {
            return lineError("assets.header", table.headerLine, "thiếu cột " + quoteCell(name) + ".",
                             "column " + quoteCell(name) + " is missing.");
        }
    }
    return table;
}

// [SECTION] Parsers -----------------------------------------------------------------------------

namespace {

// A date cell: ISO, or empty when `emptyOk` (an open end of a period).
Result<std::optional<Date>> dateCell(const Cells& cells, const std::string& column, bool emptyOk) {
    const std::string& text = cells[column];
    if (text.empty() && emptyOk) return std::optional<Date>();
    if (auto date = Date::parse(text)) return std::optional<Date>(*date);
    return badValue(cells.row.line, column, text,
                    emptyOk ? "ngày YYYY-MM-DD hoặc để trống" : "ngày YYYY-MM-DD",
                    emptyOk ? "a date YYYY-MM-DD or empty" : "a date YYYY-MM-DD");
}

// How many digits a unit's code has at each level: province 2, district 3, commune 5.
size_t codeDigits(UnitLevel level) {
    switch (level) {
        case UnitLevel::Province:
            return 2;
        case UnitLevel::District:
            return 3;
        case UnitLevel::Commune:
            return 5;
    }
    return 5;
}

Result<AdminUnit> parseUnitRow(const Cells& cells) {
    const int line = cells.row.line;
    AdminUnit unit;
    const auto level = parseUnitLevel(cells["level"]);
    if (!level) {
        return badValue(line, "level", cells["level"], "province, district hoặc commune",
                        "province, district or commune");
    }
    unit.level = *level;
    unit.code = cells["code"];
    if (!allDigits(unit.code, codeDigits(unit.level))) {
        const std::string n = std::to_string(codeDigits(unit.level));
        return badValue(line, "code", unit.code, "mã " + n + " chữ số cho cấp " + cells["level"],
                        "a " + n + "-digit code for level " + cells["level"]);
    }
    unit.name = cells["name"];
    if (unit.name.empty()) return badValue(line, "name", unit.name, "tên đơn vị", "the unit's name");
    unit.nameEn = cells["name_en"];
    unit.parent = cells["parent"];
    if (unit.level == UnitLevel::Province ? !unit.parent.empty() : unit.parent.empty()) {
        return badValue(
            line, "parent", unit.parent,
            unit.level == UnitLevel::Province ? "để trống với cấp tỉnh" : "mã đơn vị cấp trên",
            unit.level == UnitLevel::Province ? "empty for a province" : "the code of the unit above");
    }
    auto from = dateCell(cells, "valid_from", true);
    if (!from) return from.error();
    auto to = dateCell(cells, "valid_to", true);
    if (!to) return to.error();
    unit.validFrom = *from;
    unit.validTo = *to;
    if (unit.validFrom && unit.validTo && *unit.validTo < *unit.validFrom) {
        return badValue(line, "valid_to", cells["valid_to"], "ngày không trước valid_from",
                        "a date not before valid_from");
    }
    // Remote is off until the district sets it (docs/domain.md), so an empty cell means 0.
    auto remote = flagCell(cells, "remote", false);
    if (!remote) return remote.error();
    unit.remote = *remote;
    return unit;
}

bool periodsOverlap(const AdminUnit& a, const AdminUnit& b) {
    const bool aEndsBeforeB = a.validTo && b.validFrom && *a.validTo < *b.validFrom;
    const bool bEndsBeforeA = b.validTo && a.validFrom && *b.validTo < *a.validFrom;
    return !aEndsBeforeB && !bEndsBeforeA;
}

// Checks that need the whole table: no code twice over one period, every parent a unit of a higher
// level that exists for the whole of its child's period (checked at the child's first day).
std::optional<Error> checkUnitTable(const std::vector<AdminUnit>& units, const std::vector<int>& lines) {
    for (size_t i = 0; i < units.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
            if (units[i].code == units[j].code && periodsOverlap(units[i], units[j])) {
                return lineError(
                    "assets.duplicate", lines[i],
                    "mã “" + units[i].code + "” trùng thời gian với dòng " + std::to_string(lines[j]) + ".",
                    "code “" + units[i].code + "” overlaps the period of line " + std::to_string(lines[j]) +
                        ".");
            }
        }
        if (units[i].parent.empty()) continue;
        const bool parentFound = std::any_of(units.begin(), units.end(), [&](const AdminUnit& p) {
            return p.code == units[i].parent && p.level < units[i].level &&
                   (!units[i].validFrom ? !p.validFrom : p.validOn(*units[i].validFrom));
        });
        if (!parentFound) {
            return lineError(
                "assets.value", lines[i],
                "đơn vị cấp trên “" + units[i].parent +
                    "” không có trong bảng vào ngày bắt đầu của dòng này.",
                "the unit above, “" + units[i].parent + "”, is not in the table on this row's first day.");
        }
    }
    return std::nullopt;
}

}  // namespace

Result<std::vector<AdminUnit>> parseUnits(const std::string& text) {
    auto table = parseTsv(text, {"code", "name", "level", "parent", "valid_from", "valid_to"});
    if (!table) return table.error();
    std::vector<AdminUnit> units;
    std::vector<int> lines;
    for (const auto& row : table->rows) {
        auto unit = parseUnitRow(Cells{*table, row});
        if (!unit) return unit.error();
        units.push_back(std::move(*unit));
        lines.push_back(row.line);
    }
    if (auto error = checkUnitTable(units, lines)) return *error;
    return units;
}

Result<std::vector<Succession>> parseSuccessions(const std::string& text, const UnitMap& units) {
    auto table = parseTsv(text, {"old_code", "new_code", "effective_date"});
    if (!table) return table.error();
    std::vector<Succession> successions;
    std::map<std::string, int> seen;
    for (const auto& row : table->rows) {
        const Cells cells{*table, row};
        Succession s{cells["old_code"], cells["new_code"], {}};
        auto effective = dateCell(cells, "effective_date", false);
        if (!effective) return effective.error();
        s.effective = **effective;
        if (!units.known(s.oldCode)) {
            return badValue(row.line, "old_code", s.oldCode, "mã một đơn vị trong bảng đơn vị",
                            "a code in the unit table");
        }
        if (s.newCode == s.oldCode || !units.find(s.newCode, s.effective)) {
            return badValue(row.line, "new_code", s.newCode,
                            "mã một đơn vị khác còn tồn tại vào ngày hiệu lực",
                            "the code of another unit that exists on the effective date");
        }
        if (units.find(s.oldCode, s.effective)) {
            return badValue(row.line, "effective_date", cells["effective_date"],
                            "ngày mà đơn vị cũ đã không còn (valid_to của nó phải trước ngày này)",
                            "a day on which the old unit no longer exists (its valid_to must be earlier)");
        }
        if (auto [it, inserted] = seen.emplace(s.oldCode, row.line); !inserted) {
            return duplicate(row.line, it->second, "Mã cũ", s.oldCode);
        }
        successions.push_back(std::move(s));
    }
    // A chain that comes back to where it started would leave records with no owner.
    const UnitMap withSuccessions(units.units(), successions);
    for (size_t i = 0; i < successions.size(); ++i) {
        std::string current = successions[i].newCode;
        for (size_t step = 0; step < successions.size(); ++step) {
            if (current == successions[i].oldCode) {
                return lineError("assets.value", table->rows[i].line,
                                 "chuỗi kế thừa quay vòng về chính mã này.",
                                 "the chain of successions comes back to this code.");
            }
            auto next = std::find_if(successions.begin(), successions.end(),
                                     [&](const Succession& s) { return s.oldCode == current; });
            if (next == successions.end()) break;
            current = next->newCode;
        }
    }
    return successions;
}

Result<std::vector<UnitLevelName>> parseUnitLevels(const std::string& text) {
    auto table = parseTsv(text, {"level", "vi", "en"});
    if (!table) return table.error();
    std::vector<UnitLevelName> names;
    for (const auto& row : table->rows) {
        const Cells cells{*table, row};
        const auto level = parseUnitLevel(cells["level"]);
        if (!level) {
            return badValue(row.line, "level", cells["level"], "province, district hoặc commune",
                            "province, district or commune");
        }
        if (cells["vi"].empty() || cells["en"].empty()) {
            return badValue(row.line, cells["vi"].empty() ? "vi" : "en", "", "tên cấp", "the level's name");
        }
        names.push_back(UnitLevelName{*level, cells["vi"], cells["en"]});
    }
    for (UnitLevel level : {UnitLevel::Province, UnitLevel::District, UnitLevel::Commune}) {
        if (std::none_of(names.begin(), names.end(),
                         [&](const UnitLevelName& n) { return n.level == level; })) {
            return makeError("assets.value", std::string("Thiếu tên cấp ") + unitLevelSlug(level) + ".",
                             std::string("The name of level ") + unitLevelSlug(level) + " is missing.");
        }
    }
    return names;
}

std::vector<Commune> communesOf(const UnitMap& units) {
    std::vector<Commune> communes;
    for (const std::string& code : units.communeCodes()) {
        const AdminUnit* unit = units.latest(code);
        communes.push_back(Commune{code, unit->name, unit->remote});
    }
    return communes;
}

Result<std::vector<HolidayEntry>> parseHolidays(const std::string& text) {
    auto table = parseTsv(text, {"date", "kind", "name"});
    if (!table) return table.error();
    std::vector<HolidayEntry> entries;
    std::map<Date, int> seen;
    for (const auto& row : table->rows) {
        const Cells cells{*table, row};
        const auto date = Date::parse(cells["date"]);
        if (!date) {
            return badValue(row.line, "date", cells["date"], "một ngày có thật dạng YYYY-MM-DD",
                            "a real date written YYYY-MM-DD");
        }
        HolidayEntry entry;
        entry.date = *date;
        entry.name = cells["name"];
        const std::string& kind = cells["kind"];
        if (kind == "holiday") {
            entry.workday = false;
        } else if (kind == "makeup-workday") {
            entry.workday = true;
            const int weekday = date->weekday();
            if (weekday != 0 && weekday != 6) {
                return lineError("assets.value", row.line,
                                 "ngày làm bù " + date->iso() + " không phải thứ Bảy hay Chủ nhật.",
                                 "make-up working day " + date->iso() + " is not a Saturday or Sunday.");
            }
        } else {
            return badValue(row.line, "kind", kind, "“holiday” hoặc “makeup-workday”",
                            "“holiday” or “makeup-workday”");
        }
        if (auto [it, inserted] = seen.emplace(entry.date, row.line); !inserted) {
            return duplicate(row.line, it->second, "Ngày", date->iso());
        }
        entries.push_back(std::move(entry));
    }
    std::sort(entries.begin(), entries.end(),
              [](const HolidayEntry& a, const HolidayEntry& b) { return a.date < b.date; });
    if (markedProvisional(text))
        for (HolidayEntry& entry : entries) entry.provisional = true;
    return entries;
}

Result<std::map<int, Date>> parseLunarNewYears(const std::string& text) {
    auto table = parseTsv(text, {"year", "tet_date"});
    if (!table) return table.error();
    std::map<int, Date> out;
    for (const auto& row : table->rows) {
        const Cells cells{*table, row};
        const auto year = number(cells["year"], 1, 9999);
        const auto date = Date::parse(cells["tet_date"]);
        if (!year || !date || date->year != *year)
            return badValue(row.line, "tet_date", cells["tet_date"], "một ngày có thật trong năm đó",
                            "a real date in that year");
        if (!out.emplace(*year, *date).second) return duplicate(row.line, row.line, "Năm", cells["year"]);
    }
    return out;
}

void addProvisionalTet(std::vector<HolidayEntry>& holidays, const std::map<int, Date>& lunarNewYear) {
    for (const auto& [year, tet] : lunarNewYear) {
        bool listed = false, confirmed = false;
        std::set<Date> days;
        for (const HolidayEntry& h : holidays) {
            if (h.date.year != year) continue;
            listed = true;
            confirmed = confirmed || !h.provisional;
            days.insert(h.date);
        }
        if (listed && confirmed) continue;
        for (int i = 0; i < kProvisionalTetDays; ++i) {
            const Date day = tet.plusDays(i - kProvisionalTetDaysBefore);
            if (days.count(day)) continue;
            holidays.push_back(HolidayEntry{day, false, "Tết Nguyên Đán (tạm tính)", true});
        }
    }
    std::sort(holidays.begin(), holidays.end(),
              [](const HolidayEntry& a, const HolidayEntry& b) { return a.date < b.date; });
}

Result<std::vector<Procedure>> parseProcedures(const std::string& text) {
    auto table = parseTsv(text, {"id", "code", "name", "field", "processing_time", "limit_days",
                                 "limit_working", "fee", "documents", "postal", "where", "legal_basis"});
    if (!table) return table.error();
    std::vector<Procedure> procedures;
    std::map<std::string, int> seen;
    for (const auto& row : table->rows) {
        const Cells cells{*table, row};
        Procedure p;
        p.id = cells["id"];
        p.code = cells["code"];
        p.name = cells["name"];
        p.field = cells["field"];
        p.processingTime = cells["processing_time"];
        p.fee = cells["fee"];
        p.documents = cells["documents"];
        p.where = cells["where"];
        p.legalBasis = cells["legal_basis"];
        // The id travels in records, receipts and URLs: keep it plain ASCII.
        const bool idOk =
            !p.id.empty() && p.id.size() <= 64 && std::all_of(p.id.begin(), p.id.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
            });
        if (!idOk) {
            return badValue(row.line, "id", p.id, "chữ thường không dấu, chữ số, “-” hoặc “.”",
                            "lower-case ASCII letters, digits, “-” or “.”");
        }
        const bool codeOk = p.code.size() <= 32 && std::all_of(p.code.begin(), p.code.end(), [](char c) {
                                return (c >= '0' && c <= '9') || c == '.';
                            });
        if (!codeOk) {
            return badValue(row.line, "code", p.code, "mã thủ tục dạng 1.001193 hoặc để trống",
                            "a procedure code like 1.001193, or empty");
        }
        if (p.name.empty()) {
            return badValue(row.line, "name", p.name, "tên thủ tục", "the procedure's name");
        }
        // Unknown stays unknown: both limit cells empty. One without the other is a mistake.
        const std::string& days = cells["limit_days"];
        const std::string& working = cells["limit_working"];
        if (!days.empty() || !working.empty()) {
            auto parsedDays = numberCell(cells, "limit_days", 0, kMaxLimitDays);
            if (!parsedDays) return parsedDays.error();
            auto parsedWorking = flagCell(cells, "limit_working");
            if (!parsedWorking) return parsedWorking.error();
            p.limit = Limit{*parsedDays, *parsedWorking};
        }
        const std::string& postal = cells["postal"];
        if (!postal.empty()) {
            auto flag = flagCell(cells, "postal");
            if (!flag) return flag.error();
            p.postal = *flag;
        }
        if (auto [it, inserted] = seen.emplace(p.id, row.line); !inserted) {
            return duplicate(row.line, it->second, "Mã", p.id);
        }
        procedures.push_back(std::move(p));
    }
    return procedures;
}

Result<std::map<PetitionKind, PetitionLimits>> parsePetitionKinds(const std::string& text) {
    auto table = parseTsv(
        text, {"slug", "accept_days", "accept_working", "accept_confirmed", "resolve_days", "resolve_working",
               "complex_days", "remote_days", "remote_complex_days", "extension_days", "max_extensions"});
    if (!table) return table.error();
    std::map<PetitionKind, PetitionLimits> kinds;
    std::map<PetitionKind, int> seen;
    for (const auto& row : table->rows) {
        const Cells cells{*table, row};
        const auto kind = petitionKindFromSlug(cells["slug"]);
        if (!kind) {
            return badValue(row.line, "slug", cells["slug"], "khieu-nai, to-cao, kien-nghi hoặc phan-anh",
                            "khieu-nai, to-cao, kien-nghi or phan-anh");
        }
        if (auto [it, inserted] = seen.emplace(*kind, row.line); !inserted) {
            return duplicate(row.line, it->second, "Loại", cells["slug"]);
        }
        auto acceptDays = numberCell(cells, "accept_days", 0, kMaxLimitDays);
        auto acceptWorking = flagCell(cells, "accept_working");
        auto acceptConfirmed = flagCell(cells, "accept_confirmed");
        auto resolveDays = numberCell(cells, "resolve_days", 0, kMaxLimitDays);
        auto resolveWorking = flagCell(cells, "resolve_working");
        auto complexDays = numberCell(cells, "complex_days", 0, kMaxLimitDays);
        auto remoteDays = numberCell(cells, "remote_days", 0, kMaxLimitDays);
        auto remoteComplexDays = numberCell(cells, "remote_complex_days", 0, kMaxLimitDays);
        auto extensionDays = numberCell(cells, "extension_days", 0, kMaxLimitDays);
        auto maxExtensions = numberCell(cells, "max_extensions", 0, 10);
        const PetitionLimits law = defaultPetitionLimits(*kind);
        auto maxComplex =
            optionalNumberCell(cells, "max_extensions_complex", 0, 10, law.maxExtensionsComplex);
        auto secondDays = optionalNumberCell(cells, "second_days", 0, kMaxLimitDays, law.secondResolve.days);
        auto secondComplexDays =
            optionalNumberCell(cells, "second_complex_days", 0, kMaxLimitDays, law.secondResolveComplex.days);
        auto secondRemoteDays =
            optionalNumberCell(cells, "second_remote_days", 0, kMaxLimitDays, law.secondResolveRemote.days);
        auto secondRemoteComplexDays = optionalNumberCell(cells, "second_remote_complex_days", 0,
                                                          kMaxLimitDays, law.secondResolveRemoteComplex.days);
        // Empty or absent: the kind has no partial withdrawal or suspension (no date is assumed).
        auto partialFrom = dateCell(cells, "partial_withdrawal_from", true);
        if (!partialFrom) return partialFrom.error();
        auto suspensionFrom = dateCell(cells, "suspension_from", true);
        if (!suspensionFrom) return suspensionFrom.error();
        for (const Result<int>* r : {&acceptDays, &resolveDays, &complexDays, &remoteDays, &remoteComplexDays,
                                     &extensionDays, &maxExtensions, &maxComplex, &secondDays,
                                     &secondComplexDays, &secondRemoteDays, &secondRemoteComplexDays}) {
            if (!r->ok()) return r->error();
        }
        for (const Result<bool>* r : {&acceptWorking, &acceptConfirmed, &resolveWorking}) {
            if (!r->ok()) return r->error();
        }
        PetitionLimits limits;
        limits.accept = Limit{*acceptDays, *acceptWorking};
        limits.acceptConfirmed = *acceptConfirmed;
        // The longer limits count the way resolve does (the file's comment says so).
        limits.resolve = Limit{*resolveDays, *resolveWorking};
        limits.resolveComplex = Limit{*complexDays, *resolveWorking};
        limits.resolveRemote = Limit{*remoteDays, *resolveWorking};
        limits.resolveRemoteComplex = Limit{*remoteComplexDays, *resolveWorking};
        limits.extension = Limit{*extensionDays, *resolveWorking};
        limits.maxExtensions = *maxExtensions;
        limits.maxExtensionsComplex = *maxComplex;
        limits.secondResolve = Limit{*secondDays, *resolveWorking};
        limits.secondResolveComplex = Limit{*secondComplexDays, *resolveWorking};
        limits.secondResolveRemote = Limit{*secondRemoteDays, *resolveWorking};
        limits.secondResolveRemoteComplex = Limit{*secondRemoteComplexDays, *resolveWorking};
        limits.partialWithdrawalFrom = *partialFrom;
        limits.suspensionFrom = *suspensionFrom;
        kinds[*kind] = limits;
    }
    for (PetitionKind kind : {PetitionKind::Complaint, PetitionKind::Denunciation,
                              PetitionKind::Recommendation, PetitionKind::Feedback}) {
        if (kinds.count(kind) == 0) {
            const std::string slug(toSlug(kind));
            return makeError("assets.missing", "Thiếu loại đơn " + quoteCell(slug) + ".",
                             "Petition kind " + quoteCell(slug) + " is missing.");
        }
    }
    return kinds;
}

namespace {

// A set of 3-digit codes from one column, each checked by `valid`.
template <class Valid>
Result<std::set<std::string>> parseCodes(const std::string& text, const std::string& column, Valid valid,
                                         const std::string& expectedVi, const std::string& expectedEn) {
    auto table = parseTsv(text, {column});
    if (!table) return table.error();
    std::set<std::string> codes;
    std::map<std::string, int> seen;
    for (const auto& row : table->rows) {
        const Cells cells{*table, row};
        const std::string& code = cells[column];
        if (!allDigits(code, 3) || !valid(code)) {
            return badValue(row.line, column, code, expectedVi, expectedEn);
        }
        if (auto [it, inserted] = seen.emplace(code, row.line); !inserted) {
            return duplicate(row.line, it->second, "Mã", code);
        }
        codes.insert(code);
    }
    return codes;
}

}  // namespace

Result<std::set<std::string>> parseCccdProvinces(const std::string& text) {
    // 001–096 (docs/domain.md); not every number in that range is a province, the file says which.
    return parseCodes(
        text, "code", [](const std::string& code) { return code >= "001" && code <= "096"; },
        "mã tỉnh 3 chữ số từ 001 đến 096", "a 3-digit province code from 001 to 096");
}

Result<std::set<std::string>> parseMobilePrefixes(const std::string& text) {
    return parseCodes(
        text, "prefix", [](const std::string& code) { return code[0] == '0'; },
        "đầu số 3 chữ số bắt đầu bằng 0", "a 3-digit prefix starting with 0");
}

// [SECTION] ReferenceData -----------------------------------------------------------------------

const Commune* ReferenceData::commune(const std::string& code) const {
    for (const Commune& c : communes) {
        if (c.code == code) return &c;
    }
    return nullptr;
}

const Procedure* ReferenceData::procedure(const std::string& id) const {
    for (const Procedure& p : procedures) {
        if (p.id == id) return &p;
    }
    if (id.empty()) return nullptr;
    for (const Procedure& p : procedures) {
        if (p.code == id) return &p;
    }
    return nullptr;
}

std::string ReferenceData::levelName(UnitLevel level, bool english) const {
    for (const UnitLevelName& name : levelNames) {
        if (name.level == level) return english ? name.en : name.vi;
    }
    return unitLevelSlug(level);
}

WorkingCalendar ReferenceData::calendar() const {
    std::set<Date> daysOff;
    std::set<Date> makeUp;
    for (const HolidayEntry& entry : holidays) {
        (entry.workday ? makeUp : daysOff).insert(entry.date);
    }
    return WorkingCalendar(std::move(daysOff), std::move(makeUp));
}

DeadlineRules ReferenceData::deadlineRules(const OfficeHours& hours) const {
    DeadlineRules rules;
    rules.calendar = calendar();
    rules.hours = hours;
    rules.petitionLimits = petitionLimits;
    rules.units = units;
    rules.agencies = agencies;
    for (const Commune& c : communes) {
        if (c.remote) rules.remoteCommunes.insert(c.code);
    }
    for (const Procedure& p : procedures) {
        if (!p.limit) continue;
        rules.procedureLimits[p.id] = *p.limit;
        if (!p.code.empty()) rules.procedureLimits.emplace(p.code, *p.limit);
    }
    return rules;
}

std::set<int> ReferenceData::holidayYears() const {
    std::set<int> years;
    for (const HolidayEntry& entry : holidays) years.insert(entry.date.year);
    return years;
}

std::set<int> ReferenceData::provisionalHolidayYears() const {
    std::set<int> years;
    for (const HolidayEntry& entry : holidays)
        if (entry.provisional) years.insert(entry.date.year);
    return years;
}

// [SECTION] Loading from a directory ------------------------------------------------------------

namespace {

// Whole-file read; files here are small tables, so there is no size limit beyond sanity.
Result<std::string> readFile(const std::filesystem::path& path) {
    constexpr std::uintmax_t kMaxBytes = 64u << 20;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size > kMaxBytes) {
        return makeError("assets.io", "Không đọc được tệp " + path.string() + ".",
                         "Cannot read file " + path.string() + ".");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    if (!in && !in.eof()) {
        return makeError("assets.io", "Không đọc được tệp " + path.string() + ".",
                         "Cannot read file " + path.string() + ".");
    }
    return out.str();
}

Error inFile(const std::string& name, const Error& error) {
    return makeError(error.code, "Tệp " + name + " — " + error.vi, "File " + name + " — " + error.en);
}

// Reads dir/name and runs parse on it; the error names the file.
template <class Parse>
auto loadTable(const std::filesystem::path& dir, const std::string& name, Parse parse)
    -> decltype(parse(std::string())) {
    auto text = readFile(dir / name);
    if (!text) return inFile(name, text.error());
    auto parsed = parse(*text);
    if (!parsed) return inFile(name, parsed.error());
    return parsed;
}

bool hasCommunes(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / "units.tsv", ec);
}

}  // namespace

Result<ReferenceData> loadReferenceData(const std::filesystem::path& dir) {
    ReferenceData data;

    auto units = loadTable(dir, "units.tsv", parseUnits);
    if (!units) return units.error();
    if (units->empty()) {
        return inFile("units.tsv", makeError("assets.missing", "Không có đơn vị hành chính nào.",
                                             "There are no administrative units."));
    }
    // The succession table is the administrator's: a deployment starts without one.
    std::vector<Succession> successions;
    if (std::error_code ec; std::filesystem::is_regular_file(dir / "succession.tsv", ec)) {
        const UnitMap map(*units, {});
        auto parsed = loadTable(dir, "succession.tsv",
                                [&](const std::string& text) { return parseSuccessions(text, map); });
        if (!parsed) return parsed.error();
        successions = std::move(*parsed);
    }
    data.units = UnitMap(std::move(*units), std::move(successions));
    data.communes = communesOf(data.units);
    if (data.communes.empty()) {
        return inFile("units.tsv", makeError("assets.missing", "Không có đơn vị cấp cơ sở (commune) nào.",
                                             "There is no commune-level unit."));
    }
    auto levels = loadTable(dir, "unit_levels.tsv", parseUnitLevels);
    if (!levels) return levels.error();
    data.levelNames = std::move(*levels);
    // Without words.tsv the named placeholders stay visible rather than guessed (deployment_words.h).
    if (std::error_code ec; std::filesystem::is_regular_file(dir / "words.tsv", ec)) {
        auto words = loadTable(dir, "words.tsv", parseDeploymentWords);
        if (!words) return words.error();
        data.words = std::move(*words);
    }

    if (std::error_code ec; std::filesystem::is_regular_file(dir / "agencies.tsv", ec)) {
        auto agencies = loadTable(dir, "agencies.tsv", parseAgencies);
        if (!agencies) return agencies.error();
        data.agencies = std::move(*agencies);
    }

    auto kinds = loadTable(dir, "petition_kinds.tsv", parsePetitionKinds);
    if (!kinds) return kinds.error();
    data.petitionLimits = std::move(*kinds);
    auto identity = loadTable(dir, "petition_kinds.tsv", parsePetitionIdentity);
    if (!identity) return identity.error();
    data.identityRules = std::move(*identity);

    auto procedures = loadTable(dir, "procedures.tsv", parseProcedures);
    if (!procedures) return procedures.error();
    data.procedures = std::move(*procedures);

    auto cccd = loadTable(dir, "cccd_provinces.tsv", parseCccdProvinces);
    if (!cccd) return cccd.error();
    auto prefixes = loadTable(dir, "mobile_prefixes.tsv", parseMobilePrefixes);
    if (!prefixes) return prefixes.error();
    if (cccd->empty() || prefixes->empty()) {
        return makeError("assets.missing", "Thiếu bảng mã tỉnh CCCD hoặc bảng đầu số di động.",
                         "The CCCD province codes or the mobile prefixes are empty.");
    }
    data.cccdProvinces = std::move(*cccd);
    data.mobilePrefixes = std::move(*prefixes);

    // One table per year, holidays/YYYY.tsv: a kiosk without any would count Tết as working days.
    std::vector<std::filesystem::path> years;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir / "holidays", ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".tsv") years.push_back(it->path());
    }
    std::sort(years.begin(), years.end());
    if (years.empty()) {
        const std::string where = (dir / "holidays").string();
        return makeError("assets.missing", "Không có bảng ngày nghỉ nào trong " + where + ".",
                         "There is no holiday table in " + where + ".");
    }
    for (const auto& path : years) {
        const std::string name = "holidays/" + path.filename().string();
        auto entries = loadTable(dir, name, parseHolidays);
        if (!entries) return entries.error();
        const auto year = number(path.stem().string(), 1, 9999);
        if (!year) {
            return inFile(name, makeError("assets.value", "Tên tệp phải là năm, ví dụ 2025.tsv.",
                                          "The file name must be the year, e.g. 2025.tsv."));
        }
        for (const HolidayEntry& entry : *entries) {
            if (entry.date.year != *year) {
                return inFile(
                    name,
                    makeError("assets.value",
                              "Ngày " + entry.date.iso() + " không thuộc năm " + std::to_string(*year) + ".",
                              "Date " + entry.date.iso() + " is not in " + std::to_string(*year) + "."));
            }
        }
        data.holidays.insert(data.holidays.end(), entries->begin(), entries->end());
    }
    // Optional: without it no year gets a provisional Tết (assets from before the file existed).
    if (std::filesystem::exists(dir / "lunar_new_year.tsv")) {
        auto lunar = loadTable(dir, "lunar_new_year.tsv", parseLunarNewYears);
        if (!lunar) return lunar.error();
        data.lunarNewYear = std::move(*lunar);
    }
    addProvisionalTet(data.holidays, data.lunarNewYear);
    return data;
}

std::filesystem::path assetsDir() {
    if (const char* env = std::getenv("KIOSK_ASSETS"); env != nullptr && *env != '\0') {
        return std::filesystem::path(env);
    }
    // An installed program finds its data beside it: <prefix>/bin/kiosk ->
    // <prefix>/share/commune-kiosk/assets.
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed = exe.parent_path() / ".." / "share" / "commune-kiosk" / "assets";
        if (hasCommunes(installed)) return installed.lexically_normal();
    }
#ifdef KIOSK_SOURCE_ASSETS
    // A build tree: the repository's assets/.
    const std::filesystem::path source(KIOSK_SOURCE_ASSETS);
    if (hasCommunes(source)) return source;
#endif
    // Nothing found: return the place an installed program would use, so the loader's error
    // names a sensible path.
    if (!ec) return (exe.parent_path() / ".." / "share" / "commune-kiosk" / "assets").lexically_normal();
    return std::filesystem::path("assets");
}

}  // namespace kiosk
