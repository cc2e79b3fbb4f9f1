#include "papers/layout.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <memory>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "common/shared_library.h"

namespace kiosk::papers {
namespace {

// Cairo and Pango are loaded at the first paper drawn, not at a program's start
// (common/shared_library.h): each function this file calls is a pointer of the same name.
// clang-format off
#define KIOSK_CAIRO_FUNCTIONS(X)                                                                   \
    X(cairo_create) X(cairo_destroy) X(cairo_fill) X(cairo_image_surface_create)                   \
    X(cairo_line_to) X(cairo_move_to) X(cairo_paint) X(cairo_pdf_surface_create_for_stream)        \
    X(cairo_pdf_surface_set_metadata) X(cairo_recording_surface_create) X(cairo_rectangle)         \
    X(cairo_scale) X(cairo_set_line_width) X(cairo_set_source_rgb) X(cairo_show_page)              \
    X(cairo_status) X(cairo_status_to_string) X(cairo_stroke) X(cairo_surface_destroy)             \
    X(cairo_surface_finish) X(cairo_surface_status) X(cairo_surface_write_to_png)
#define KIOSK_PANGO_FUNCTIONS(X)                                                                   \
    X(pango_font_description_free) X(pango_font_description_new)                                   \
    X(pango_font_description_set_absolute_size) X(pango_font_description_set_family)               \
    X(pango_font_description_set_style) X(pango_font_description_set_weight)                       \
    X(pango_layout_get_extents) X(pango_layout_get_size) X(pango_layout_set_alignment)             \
    X(pango_layout_set_font_description) X(pango_layout_set_text) X(pango_layout_set_width)        \
    X(pango_layout_set_wrap)
#define KIOSK_PANGOCAIRO_FUNCTIONS(X)                                                              \
    X(pango_cairo_create_layout) X(pango_cairo_show_layout)
#define KIOSK_GOBJECT_FUNCTIONS(X)                                                                 \
    X(g_object_unref)
// clang-format on
KIOSK_CAIRO_FUNCTIONS(KIOSK_LIBRARY_POINTER)
KIOSK_PANGO_FUNCTIONS(KIOSK_LIBRARY_POINTER)
KIOSK_PANGOCAIRO_FUNCTIONS(KIOSK_LIBRARY_POINTER)
KIOSK_GOBJECT_FUNCTIONS(KIOSK_LIBRARY_POINTER)

Outcome loadCairoPango() {
    static common::LoadOnce once;
    return once([]() -> Outcome {
        if (auto r =
                common::loadSharedLibrary("libcairo.so.2", {KIOSK_CAIRO_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
            !r)
            return r;
        if (auto r =
                common::loadSharedLibrary("libpango-1.0.so.0", {KIOSK_PANGO_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
            !r)
            return r;
        if (auto r = common::loadSharedLibrary("libpangocairo-1.0.so.0",
                                               {KIOSK_PANGOCAIRO_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
            !r)
            return r;
        return common::loadSharedLibrary("libgobject-2.0.so.0",
                                         {KIOSK_GOBJECT_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
    });
}

constexpr double kPointsPerMm = 72.0 / 25.4;

// Where a page's content goes, in points.
struct Geometry {
    double pageWidth = 0;
    double pageHeight = 0;  // 0 for a roll: as long as the content
    double margin = 0;
    double body = 11;  // body text size in points
    double left() const { return margin; }
    double width() const { return pageWidth - 2 * margin; }
};

Geometry uprightGeometry(PageSize size) {
    switch (size) {
        case PageSize::Roll80:
            // 80 mm paper, 72 mm printable: the usual thermal head; 4 mm each side.
            return {80 * kPointsPerMm, 0, 4 * kPointsPerMm, 9.5};
        case PageSize::A5:
            return {148 * kPointsPerMm, 210 * kPointsPerMm, 14 * kPointsPerMm, 11.5};
        case PageSize::A4:
            break;
    }
    return {210 * kPointsPerMm, 297 * kPointsPerMm, 20 * kPointsPerMm, 13};
}

Geometry geometryFor(const Paper& paper) {
    Geometry g = uprightGeometry(paper.size());
    if (paper.isLandscape() && g.pageHeight > 0) {
        std::swap(g.pageWidth, g.pageHeight);
        // A landscape page holds wide tables: keep more of its width for them.
        g.margin = 12 * kPointsPerMm;
    }
    return g;
}

// Serif for a đơn's formal look; the same face has every Vietnamese mark (fonts-noto-core).
constexpr const char* kFamily = "Noto Serif";

double fontSize(const Block& b, const Geometry& g) {
    if (b.size > 0 && b.kind != Block::Kind::Qr && b.kind != Block::Kind::Space) return b.size;
    switch (b.kind) {
        case Block::Kind::Title:
            return g.body * 1.45;
        case Block::Kind::Subtitle:
            return g.body * 1.1;
        case Block::Kind::Code:
            return g.body * 2.6;
        case Block::Kind::Columns:
            return g.body * 0.92;
        default:
            return g.body;
    }
}

using LayoutPtr = std::unique_ptr<PangoLayout, decltype(g_object_unref)>;

LayoutPtr makeLayout(cairo_t* cr, const std::string& text, double size, bool bold, bool italic, double width,
                     Align align) {
    LayoutPtr layout(pango_cairo_create_layout(cr), g_object_unref);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, kFamily);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(font, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align == Align::Center  ? PANGO_ALIGN_CENTER
                                             : align == Align::Right ? PANGO_ALIGN_RIGHT
                                                                     : PANGO_ALIGN_LEFT);
    pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
    return layout;
}

double layoutHeight(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
}

double layoutWidth(PangoLayout* layout) {
    PangoRectangle ink{}, logical{};
    pango_layout_get_extents(layout, &ink, &logical);
    return static_cast<double>(logical.width) / PANGO_SCALE;
}

void showLayout(cairo_t* cr, PangoLayout* layout, double x, double y) {
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout);
}

// The code's size: as large as asked, smaller when it would not fit the width on one line.
double codeSize(cairo_t* cr, const Block& b, const Geometry& g) {
    double size = fontSize(b, g);
    while (size > g.body) {
        LayoutPtr probe = makeLayout(cr, b.text, size, true, false, -1, Align::Left);
        pango_layout_set_width(probe.get(), -1);
        if (layoutWidth(probe.get()) <= g.width()) break;
        size -= 0.5;
    }
    return size;
}

struct RowsMetrics {
    double labelWidth = 0;
};

RowsMetrics rowsMetrics(cairo_t* cr, const Block& b, const Geometry& g) {
    double widest = 0;
    for (const auto& [label, value] : b.rows) {
        LayoutPtr l = makeLayout(cr, label, g.body, false, false, -1, Align::Left);
        pango_layout_set_width(l.get(), -1);
        widest = std::max(widest, layoutWidth(l.get()));
    }
    return {std::min(widest + g.body * 0.8, g.width() * 0.42)};
}

void drawQr(cairo_t* cr, const std::string& data, double x, double y, double side) {
    QRcode* qr = QRcode_encodeString(data.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return;      // only when out of memory: the code is printed in digits beside it anyway
    const int quiet = 2;  // modules of white around it so a phone finds its edges
    const double module = side / (qr->width + 2 * quiet);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int row = 0; row < qr->width; ++row)
        for (int col = 0; col < qr->width; ++col)
            if (qr->data[row * qr->width + col] & 1)
                cairo_rectangle(cr, x + (col + quiet) * module, y + (row + quiet) * module, module, module);
    cairo_fill(cr);
    QRcode_free(qr);
}

// Lays out one block at y; draws it when `draw`. Returns its height including the space after it.
double placeBlock(cairo_t* cr, const Block& b, const Geometry& g, double y, bool draw) {
    const double gap = g.body * 0.55;
    const double x = g.left(), w = g.width();
    cairo_set_source_rgb(cr, 0, 0, 0);
    switch (b.kind) {
        case Block::Kind::Space:
            return b.size;
        case Block::Kind::Rule:
            if (draw) {
                cairo_set_line_width(cr, 0.6);
                cairo_move_to(cr, x, y + gap / 2);
                cairo_line_to(cr, x + w, y + gap / 2);
                cairo_stroke(cr);
            }
            return gap;
        case Block::Kind::Qr: {
            const double side = std::min(b.size, w);
            if (draw) drawQr(cr, b.text, x + (w - side) / 2, y, side);
            return side + gap;
        }
        case Block::Kind::Columns: {
            // Each pair of lines below the one before: the authority beside the quốc hiệu, then the
            // desk beside the tiêu ngữ.
            double h = 0;
            const double half = w / 2;
            for (const auto& [left, right] : b.rows) {
                LayoutPtr l = makeLayout(cr, left, fontSize(b, g), true, false, half - 4, Align::Center);
                LayoutPtr r = makeLayout(cr, right, fontSize(b, g), true, false, half + 4, Align::Center);
                if (draw) {
                    showLayout(cr, l.get(), x, y + h);
                    showLayout(cr, r.get(), x + half - 4, y + h);
                }
                h += std::max(layoutHeight(l.get()), layoutHeight(r.get())) + g.body * 0.2;
            }
            return h + gap;
        }
        case Block::Kind::Rows: {
            const RowsMetrics m = rowsMetrics(cr, b, g);
            double h = 0;
            for (const auto& [label, value] : b.rows) {
                LayoutPtr l = makeLayout(cr, label, g.body, false, false, m.labelWidth, Align::Left);
                LayoutPtr v = makeLayout(cr, value, g.body, true, false, w - m.labelWidth, Align::Left);
                if (draw) {
                    showLayout(cr, l.get(), x, y + h);
                    showLayout(cr, v.get(), x + m.labelWidth, y + h);
                }
                h += std::max(layoutHeight(l.get()), layoutHeight(v.get())) + g.body * 0.25;
            }
            return h + gap;
        }
        case Block::Kind::Signatures: {
            const size_t n = std::max<size_t>(1, b.captions.size());
            const double boxW = (w - (n - 1) * g.body) / n;
            double captionH = 0;
            for (size_t i = 0; i < b.captions.size(); ++i) {
                LayoutPtr c = makeLayout(cr, b.captions[i], g.body, true, false, boxW, Align::Center);
                const double bx = x + i * (boxW + g.body);
                if (draw) showLayout(cr, c.get(), bx, y);
                captionH = std::max(captionH, layoutHeight(c.get()));
            }
            if (draw) {
                cairo_set_line_width(cr, 0.6);
                for (size_t i = 0; i < n; ++i)
                    cairo_rectangle(cr, x + i * (boxW + g.body), y + captionH + 3, boxW, b.size);
                cairo_stroke(cr);
            }
            return captionH + 3 + b.size + gap;
        }
        default:
            break;
    }
    // Title, Subtitle, Paragraph, Code: one text layout.
    const bool code = b.kind == Block::Kind::Code;
    const bool centred = code || b.kind == Block::Kind::Title || b.kind == Block::Kind::Subtitle;
    const double size = code ? codeSize(cr, b, g) : fontSize(b, g);
    const bool bold = b.bold || b.kind != Block::Kind::Paragraph;
    LayoutPtr layout = makeLayout(cr, b.text, size, bold, b.italic, w, centred ? Align::Center : b.align);
    if (draw) showLayout(cr, layout.get(), x, y);
    return layoutHeight(layout.get()) + gap;
}

// [SECTION] tables

// Where a table's columns start and how wide each is, in points.
std::vector<double> columnWidths(const TableContent& t, double width) {
    // Widths beyond the header's columns leave that share of the line blank.
    double total = 0;
    for (size_t i = 0; i < std::max(t.header.size(), t.widths.size()); ++i)
        total += i < t.widths.size() ? t.widths[i] : 1;
    std::vector<double> out;
    for (size_t i = 0; i < t.header.size(); ++i)
        out.push_back(width * (i < t.widths.size() ? t.widths[i] : 1) / total);
    return out;
}

// One row of a table at y; draws it (cells framed, a header shaded) when `draw`. Returns its height.
double placeTableRow(cairo_t* cr, const TableContent& t, const std::vector<std::string>& cells, bool header,
                     bool bold, double size, const Geometry& g, double y, bool draw) {
    const std::vector<double> widths = columnWidths(t, g.width());
    const double pad = size * 0.3;
    std::vector<LayoutPtr> layouts;
    double height = 0;
    for (size_t i = 0; i < cells.size(); ++i) {
        const Align align = header ? Align::Center : i < t.aligns.size() ? t.aligns[i] : Align::Left;
        layouts.push_back(makeLayout(cr, cells[i], size, header || bold, false, widths[i] - 2 * pad, align));
        height = std::max(height, layoutHeight(layouts.back().get()));
    }
    height += 2 * pad;
    if (!draw) return height;
    double x = g.left();
    cairo_set_line_width(cr, 0.4);
    for (size_t i = 0; i < cells.size(); ++i) {
        if (header) {
            cairo_set_source_rgb(cr, 0.87, 0.92, 0.97);
            cairo_rectangle(cr, x, y, widths[i], height);
            cairo_fill(cr);
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_rectangle(cr, x, y, widths[i], height);
        cairo_stroke(cr);
        showLayout(cr, layouts[i].get(), x + pad, y + pad);
        x += widths[i];
    }
    return height;
}

// [SECTION] the flow of blocks onto pages

// Walks the blocks from the top; a block that does not fit what is left of a page starts the next
// one (not on a roll), and a table goes on between its rows, its header first on each page.
class Flow {
public:
    Flow(cairo_t* cr, const Paper& paper, const Geometry& g, bool draw, int totalPages, bool firstPageOnly)
        : m_cr(cr), m_paper(paper), m_g(g), m_draw(draw), m_total(totalPages), m_firstOnly(firstPageOnly) {}

    // Returns the content's height on the last page.
    double run() {
        m_y = m_g.margin;
        for (const Block& b : m_paper.blocks()) {
            if (m_stopped) break;
            if (b.kind == Block::Kind::Table) {
                table(b);
                continue;
            }
            const double h = placeBlock(m_cr, b, m_g, m_y, false);
            if (!fits(h)) newPage();
            if (m_stopped) break;
            if (m_draw) placeBlock(m_cr, b, m_g, m_y, true);
            m_y += h;
        }
        if (!m_stopped) footer();
        return m_y;
    }
    int pages() const { return m_page; }

private:
    bool fits(double h) const { return m_g.pageHeight <= 0 || m_y + h <= bottom() || m_y <= m_g.margin; }
    // Room is kept at the foot for the page numbers.
    double bottom() const {
        return m_g.pageHeight - m_g.margin - (m_paper.pageNumberLabel().empty() ? 0 : m_g.body * 1.6);
    }

    void footer() {
        const std::string& label = m_paper.pageNumberLabel();
        if (!m_draw || label.empty() || m_g.pageHeight <= 0) return;
        std::string text = label;
        auto replace = [&text](const std::string& key, int value) {
            if (auto at = text.find(key); at != std::string::npos)
                text.replace(at, key.size(), std::to_string(value));
        };
        replace("{page}", m_page);
        replace("{pages}", std::max(m_total, m_page));
        LayoutPtr l = makeLayout(m_cr, text, m_g.body * 0.8, false, false, m_g.width(), Align::Center);
        cairo_set_source_rgb(m_cr, 0, 0, 0);
        showLayout(m_cr, l.get(), m_g.left(), m_g.pageHeight - m_g.margin - layoutHeight(l.get()));
    }

    void newPage() {
        footer();
        if (m_firstOnly) {
            m_stopped = true;
            return;
        }
        if (m_draw) cairo_show_page(m_cr);
        ++m_page;
        m_y = m_g.margin;
    }

    void table(const Block& b) {
        const TableContent& t = b.table;
        const double size = b.size > 0 ? b.size : m_g.body;
        auto header = [&](bool draw) {
            return placeTableRow(m_cr, t, t.header, true, true, size, m_g, m_y, draw);
        };
        const double headerH = header(false);
        for (size_t r = 0; r < t.rows.size(); ++r) {
            const bool bold = r < t.boldRows;
            const double h = placeTableRow(m_cr, t, t.rows[r], false, bold, size, m_g, m_y, false);
            // The header goes with at least its first row, and again at the top of each new page.
            const bool first = r == 0;
            if (first || !fits(h)) {
                if (!fits(first ? headerH + h : h)) newPage();
                if (m_stopped) return;
                if (m_draw) header(true);
                m_y += headerH;
            }
            if (m_draw) placeTableRow(m_cr, t, t.rows[r], false, bold, size, m_g, m_y, true);
            m_y += h;
        }
        m_y += m_g.body * 0.55;
    }

    cairo_t* m_cr;
    const Paper& m_paper;
    const Geometry& m_g;
    bool m_draw;
    int m_total;       // pages in all, for "{pages}" (0 while counting)
    bool m_firstOnly;  // stop at the first page's end (a PNG preview)
    double m_y = 0;
    int m_page = 1;
    bool m_stopped = false;
};

double placeAll(cairo_t* cr, const Paper& paper, const Geometry& g, bool draw, int* pages,
                int totalPages = 0) {
    Flow flow(cr, paper, g, draw, totalPages, false);
    const double y = flow.run();
    if (pages) *pages = flow.pages();
    return y;
}

// The roll's length: the content measured on a recording surface, plus the bottom margin and room
// for the cutter.
double pageHeightFor(const Paper& paper, const Geometry& g) {
    if (g.pageHeight > 0) return g.pageHeight;
    cairo_surface_t* recording = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr);
    cairo_t* cr = cairo_create(recording);
    const double content = placeAll(cr, paper, g, false, nullptr);
    cairo_destroy(cr);
    cairo_surface_destroy(recording);
    return content + g.margin + 10 * kPointsPerMm;
}

cairo_status_t appendToString(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

Error renderError(cairo_status_t status) {
    const std::string what = cairo_status_to_string(status);
    return makeError("paper.render", "Không tạo được giấy in: " + what,
                     "Could not render the paper: " + what);
}

}  // namespace

std::string_view toSlug(PageSize size) {
    switch (size) {
        case PageSize::Roll80:
            return "roll80";
        case PageSize::A5:
            return "a5";
        case PageSize::A4:
            return "a4";
    }
    return "a5";
}

std::optional<PageSize> pageSizeFromSlug(std::string_view slug) {
    for (PageSize s : {PageSize::Roll80, PageSize::A5, PageSize::A4})
        if (toSlug(s) == slug) return s;
    return std::nullopt;
}

Paper& Paper::columns(std::string left, std::string right) {
    if (m_blocks.empty() || m_blocks.back().kind != Block::Kind::Columns)
        m_blocks.push_back(Block{Block::Kind::Columns});
    m_blocks.back().rows.emplace_back(std::move(left), std::move(right));
    return *this;
}

Paper& Paper::title(std::string text) {
    m_blocks.push_back(Block{Block::Kind::Title, std::move(text)});
    return *this;
}

Paper& Paper::subtitle(std::string text) {
    m_blocks.push_back(Block{Block::Kind::Subtitle, std::move(text)});
    return *this;
}

Paper& Paper::paragraph(std::string text, Align align, bool bold, bool italic) {
    Block b{Block::Kind::Paragraph, std::move(text)};
    b.align = align;
    b.bold = bold;
    b.italic = italic;
    m_blocks.push_back(std::move(b));
    return *this;
}

Paper& Paper::row(std::string label, std::string value) {
    if (m_blocks.empty() || m_blocks.back().kind != Block::Kind::Rows)
        m_blocks.push_back(Block{Block::Kind::Rows});
    m_blocks.back().rows.emplace_back(std::move(label), std::move(value));
    return *this;
}

Paper& Paper::code(std::string text) {
    m_blocks.push_back(Block{Block::Kind::Code, std::move(text)});
    return *this;
}

Paper& Paper::qr(std::string data, double sideMm) {
    Block b{Block::Kind::Qr, std::move(data)};
    b.size = sideMm * kPointsPerMm;
    m_blocks.push_back(std::move(b));
    return *this;
}

Paper& Paper::signatures(std::vector<std::string> captions, double heightMm) {
    Block b{Block::Kind::Signatures};
    b.captions = std::move(captions);
    b.size = heightMm * kPointsPerMm;
    m_blocks.push_back(std::move(b));
    return *this;
}

Paper& Paper::space(double mm) {
    Block b{Block::Kind::Space};
    b.size = mm * kPointsPerMm;
    m_blocks.push_back(std::move(b));
    return *this;
}

Paper& Paper::rule() {
    m_blocks.push_back(Block{Block::Kind::Rule});
    return *this;
}

Paper& Paper::table(TableContent content, double size) {
    for ([[maybe_unused]] const auto& row : content.rows)
        assert(row.size() == content.header.size() && "every table row has a cell per header column");
    Block b{Block::Kind::Table};
    b.table = std::move(content);
    b.size = size;
    m_blocks.push_back(std::move(b));
    return *this;
}

Paper& Paper::landscape() {
    m_landscape = true;
    return *this;
}

Paper& Paper::pageNumbers(std::string label) {
    m_pageNumbers = std::move(label);
    return *this;
}

Result<std::string> renderPdf(const Paper& paper) {
    if (auto loaded = loadCairoPango(); !loaded) return loaded.error();
    const Geometry g = geometryFor(paper);
    const int total = paper.pageNumberLabel().empty() ? 0 : pageCount(paper);
    std::string bytes;
    cairo_surface_t* surface =
        cairo_pdf_surface_create_for_stream(appendToString, &bytes, g.pageWidth, pageHeightFor(paper, g));
    if (!paper.documentTitle().empty())
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, paper.documentTitle().c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "commune-kiosk");
    cairo_t* cr = cairo_create(surface);
    placeAll(cr, paper, g, true, nullptr, total);
    cairo_show_page(cr);
    const cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t finished = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) return renderError(status);
    if (finished != CAIRO_STATUS_SUCCESS) return renderError(finished);
    return bytes;
}

Outcome writePdf(const Paper& paper, const std::string& path) {
    auto bytes = renderPdf(paper);
    if (!bytes) return bytes.error();
    FILE* f = std::fopen(path.c_str(), "wb");
    const bool ok = f && std::fwrite(bytes->data(), 1, bytes->size(), f) == bytes->size();
    if (f && std::fclose(f) != 0)
        return makeError("file.write", "Không ghi được " + path, "Could not write " + path);
    if (!ok) return makeError("file.write", "Không ghi được " + path, "Could not write " + path);
    return {};
}

Outcome writePng(const Paper& paper, const std::string& path, double dpi) {
    if (auto loaded = loadCairoPango(); !loaded) return loaded;
    const Geometry g = geometryFor(paper);
    const double scale = dpi / 72.0;
    const double height = pageHeightFor(paper, g);
    cairo_surface_t* surface =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(std::ceil(g.pageWidth * scale)),
                                   static_cast<int>(std::ceil(height * scale)));
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    // Only the first page: later pages would draw over it.
    Flow(cr, paper, g, true, paper.pageNumberLabel().empty() ? 0 : pageCount(paper), true).run();
    const cairo_status_t drawn = cairo_status(cr);
    cairo_destroy(cr);
    const cairo_status_t written =
        drawn == CAIRO_STATUS_SUCCESS ? cairo_surface_write_to_png(surface, path.c_str()) : drawn;
    cairo_surface_destroy(surface);
    if (written == CAIRO_STATUS_WRITE_ERROR)
        return makeError("file.write", "Không ghi được " + path, "Could not write " + path);
    if (written != CAIRO_STATUS_SUCCESS) return renderError(written);
    return {};
}

int pageCount(const Paper& paper) {
    if (!loadCairoPango()) return 0;
    const Geometry g = geometryFor(paper);
    cairo_surface_t* recording = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr);
    cairo_t* cr = cairo_create(recording);
    int pages = 1;
    placeAll(cr, paper, g, false, &pages);
    cairo_destroy(cr);
    cairo_surface_destroy(recording);
    return pages;
}

}  // namespace kiosk::papers
