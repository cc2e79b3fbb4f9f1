#pragma once
// A paper: a page size and a list of blocks (a header of two columns, titles, paragraphs,
// label/value rows, a big code, a QR code, signature boxes, a table) laid out top to bottom with Pango
// (Vietnamese shaping, line breaking) and drawn with Cairo into a PDF, or a PNG for tests and
// previews. An 80 mm roll takes the height its blocks need; A5 and A4 (upright or landscape) break
// onto new pages, a table between its rows with its header again at the top of the next page.
// It is not: the content of any paper (record_papers.h fills papers from a record), nor printing
// (kiosk/printing sends the PDF to CUPS). Knows nothing of kiosks or districts, so the district's
// report can reuse it.
// Threads: pure functions of their arguments; Pango's font map is shared and thread-safe, so
// several threads may render at once.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace kiosk::papers {

enum class PageSize {
    Roll80,  // 80 mm thermal roll (72 mm printable), as long as the content
    A5,      // 148 × 210 mm
    A4,      // 210 × 297 mm
};
std::string_view toSlug(PageSize size);  // "roll80" | "a5" | "a4"
std::optional<PageSize> pageSizeFromSlug(std::string_view slug);

enum class Align { Left, Center, Right };

// A table's content. Every row has as many cells as the header; `widths` are relative (each column
// gets its share of the page's width; widths past the last column leave their share blank, so tables
// of fewer columns can keep another's column widths), `aligns` one per column.
struct TableContent {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<double> widths;
    std::vector<Align> aligns;
    size_t boldRows = 0;  // the first rows drawn in bold (a total)
};

struct Block {
    enum class Kind {
        Columns,     // two centred columns side by side (a đơn's authority and quốc hiệu)
        Title,       // large, bold, centred
        Subtitle,    // bold, centred
        Paragraph,   // body text, wrapped
        Rows,        // label: value lines, labels in a column
        Code,        // a code in very large bold digits, centred
        Qr,          // a QR code of `text`, centred
        Signatures,  // boxes side by side, a caption above each, room to sign below
        Space,       // vertical space of `size` points
        Rule,        // a thin horizontal line
        Table,       // a grid: a header row, then rows; split between rows across pages
    };
    Kind kind = Kind::Paragraph;
    std::string text;                                       // Pango markup is not interpreted: plain text
    std::vector<std::pair<std::string, std::string>> rows;  // Rows: (label, value); Columns: (left, right)
    std::vector<std::string> captions;                      // Signatures
    Align align = Align::Left;
    bool bold = false;
    bool italic = false;
    double size = 0;     // points: font size (0 = the kind's own), Space's height, Qr's side
    TableContent table;  // Table
};

// The paper as a list of blocks; the builder functions return *this so a paper reads top down.
class Paper {
public:
    explicit Paper(PageSize size, std::string title = {}) : m_size(size), m_title(std::move(title)) {}

    Paper& columns(std::string left, std::string right);
    Paper& title(std::string text);
    Paper& subtitle(std::string text);
    Paper& paragraph(std::string text, Align align = Align::Left, bool bold = false, bool italic = false);
    Paper& row(std::string label, std::string value);  // joins a Rows block just before it
    Paper& code(std::string text);
    Paper& qr(std::string data, double sideMm = 30);
    Paper& signatures(std::vector<std::string> captions, double heightMm = 28);
    Paper& space(double mm);
    Paper& rule();
    // `size`: the font size in points (0 = the body's). Asserts each row is as wide as the header.
    Paper& table(TableContent content, double size = 0);
    // The page turned on its side (A4 and A5; a roll stays upright).
    Paper& landscape();
    // A line at the foot of every page: `label` with "{page}" and "{pages}" replaced ("Trang {page}/{pages}").
    Paper& pageNumbers(std::string label);

    PageSize size() const { return m_size; }
    const std::string& documentTitle() const { return m_title; }  // the PDF's title (and a job's name)
    const std::vector<Block>& blocks() const { return m_blocks; }
    bool isLandscape() const { return m_landscape; }
    const std::string& pageNumberLabel() const { return m_pageNumbers; }  // "" = none

private:
    PageSize m_size;
    std::string m_title;
    bool m_landscape = false;
    std::string m_pageNumbers;
    std::vector<Block> m_blocks;
};

// The paper as a PDF file's bytes. Error paper.render when Cairo fails (out of memory).
Result<std::string> renderPdf(const Paper& paper);
// Writes the PDF to path. Errors paper.render, file.write.
Outcome writePdf(const Paper& paper, const std::string& path);
// The first page as a PNG at `dpi` (tests look at it; an officer's preview). Errors as writePdf.
Outcome writePng(const Paper& paper, const std::string& path, double dpi = 150);
// How many pages the paper takes (1 for a roll).
int pageCount(const Paper& paper);

}  // namespace kiosk::papers
