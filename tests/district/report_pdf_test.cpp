// The review report as a PDF (district/review/report_pdf.h) from `district-server report --pdf` on a
// real database: read back with poppler's pdftotext, every commune's figures in the PDF are those of
// the CSV (the same table) and of --json; the table's header is on every page, each page numbered;
// the rating section and the notes on received dates are there. The first page is drawn to
// build/test-artifacts/report-pdf-page1.png by pdftoppm, to be looked at. Exits 77 (skipped) without
// poppler-utils.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "build_paths.h"
#include "core/text.h"
#include "tests/support/district_support.h"

using testing_support::TempDir;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream in(text);
    while (std::getline(in, cell, separator)) out.push_back(cell);
    return out;
}

std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// The words after `code` on each line of the PDF's text where `code` stands as a word of its own.
std::vector<std::vector<std::string>> linesOf(const std::vector<std::string>& lines,
                                              const std::string& code) {
    std::vector<std::vector<std::string>> out;
    for (const std::string& line : lines) {
        const auto w = words(line);
        for (size_t i = 0; i < w.size(); ++i)
            if (w[i] == code) {
                out.emplace_back(w.begin() + long(i) + 1, w.end());
                break;
            }
    }
    return out;
}

}  // namespace

TEST_CASE("report files: district-server report --pdf draws the figures of the CSV and --json") {
    if (std::system("command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1") != 0) {
        WARN("poppler-utils (pdftotext, pdftoppm) not installed: skipped");
        std::exit(77);
    }
    TempDir dir;
    const std::string db = dir.file("district.db");
    {
        // Different work in six communes: 1 to 6 petitions each in March, every other one resolved in
        // April, and a dossier in two of them.
        district_test::Seeder seeder(db);
        const std::vector<std::string> communes{"02374", "02377", "02380", "02395", "02401", "02404"};
        for (size_t c = 0; c < communes.size(); ++c)
            for (size_t i = 0; i <= c; ++i) {
                const std::string code = seeder.petition(
                    communes[c], i % 2 ? kiosk::PetitionKind::Feedback : kiosk::PetitionKind::Recommendation,
                    district_test::localUnix(kiosk::Date{2026, 3, int(2 + i)}, 9));
                if (i % 2 == 0)
                    seeder.act(code, kiosk::Action::Resolve,
                               district_test::localUnix(kiosk::Date{2026, 4, 10}, 10), "Đã trả lời.");
            }
        seeder.flush();
    }
    const std::vector<std::string> period{"--db", db,           "--from",  "2026-01-01",
                                          "--to", "2026-06-30", "--today", "2026-07-01"};
    auto args = [&](std::vector<std::string> extra) {
        std::vector<std::string> all{"report"};
        all.insert(all.end(), period.begin(), period.end());
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    };
    const std::string pdf = dir.file("bao-cao.pdf");
    district_test::districtOk(args({"--pdf", pdf}));
    REQUIRE(readFile(pdf).rfind("%PDF-", 0) == 0);
    const std::string txt = dir.file("bao-cao.txt");
    REQUIRE(std::system(("pdftotext -layout '" + pdf + "' '" + txt + "'").c_str()) == 0);
    const std::string text = kiosk::toNfc(readFile(txt));
    const std::string png = std::string(KIOSK_ARTIFACT_DIR) + "/report-pdf-page1";
    REQUIRE(std::system(("mkdir -p '" KIOSK_ARTIFACT_DIR "' && pdftoppm -png -r 80 -singlefile '" + pdf +
                         "' '" + png + "'")
                            .c_str()) == 0);

    // Every page: the table's header (or the rating table's, which starts the same), and its number.
    const std::vector<std::string> pages = split(text, '\f');
    const size_t pageCount = pages.size() - (pages.back().find_first_not_of(" \n") == std::string::npos);
    INFO(text);
    REQUIRE(pageCount >= 2);
    for (size_t p = 0; p < pageCount; ++p) {
        INFO("page " << p + 1);
        CHECK(pages[p].find("Đơn vị") != std::string::npos);
        CHECK(pages[p].find("Trang " + std::to_string(p + 1) + "/" + std::to_string(pageCount)) !=
              std::string::npos);
    }
    // Sentences as read, whatever the lines they were broken into.
    std::string flat;
    for (const std::string& w : words(text)) flat += w + " ";
    CHECK(flat.find("BÁO CÁO CÔNG TÁC TIẾP CÔNG DÂN") != std::string::npos);
    CHECK(flat.find("từ ngày 01/01/2026 đến ngày 30/06/2026") != std::string::npos);
    CHECK(flat.find("Mức độ hài lòng") != std::string::npos);
    CHECK(flat.find("được tính là nhận vào ngày làm việc kế tiếp") != std::string::npos);

    // The figures: for each commune, its cells in the PDF (the bands of columns in turn) are the
    // CSV's, the empty ones drawn as "—"; and the CSV's are --json's.
    const auto csv =
        split(district_test::districtOk(args({"--csv", "--semicolon", "--decimal-comma"})), '\n');
    const auto header = split(csv[0].substr(3), ';');  // after the BOM
    const auto json = nlohmann::json::parse(district_test::districtOk(args({"--json"})));
    const std::vector<std::string> lines = split(text, '\n');
    int communesChecked = 0;
    for (const auto& commune : json["communes"]) {
        const std::string code = commune["code"];
        std::vector<std::string> row;
        for (const std::string& line : csv)
            if (auto cells = split(line, ';'); cells.size() > 1 && cells[1] == code) row = cells;
        REQUIRE(row.size() == header.size());
        row.resize(header.size());
        for (auto& cell : row)
            if (!cell.empty() && cell.back() == '\r') cell.pop_back();
        auto column = [&](const std::string& name) {
            for (size_t i = 0; i < header.size(); ++i)
                if (header[i] == name || header[i] == name + "\r") return row[i];
            FAIL("no column " << name);
            return std::string();
        };
        CHECK(column("Đơn tiếp nhận") == std::to_string(commune["petitions_received"].get<int64_t>()));
        CHECK(column("Đã giải quyết") == std::to_string(commune["petitions_resolved"].get<int64_t>()));
        CHECK(column("Hồ sơ tiếp nhận") == std::to_string(commune["dossiers_received"].get<int64_t>()));
        CHECK(column("Lượt tiếp") == std::to_string(commune["receptions_visits"].get<int64_t>()));
        std::vector<std::string> expected;
        for (size_t i = 2; i < row.size(); ++i) expected.push_back(row[i].empty() ? "—" : row[i]);
        std::vector<std::string> drawn;
        const auto found = linesOf(lines, code);
        REQUIRE(found.size() >= 3);  // three bands of columns (then the rating table)
        for (size_t band = 0; band < 3; ++band)
            drawn.insert(drawn.end(), found[band].begin(), found[band].end());
        INFO("commune " << code);
        CHECK(drawn == expected);
        ++communesChecked;
    }
    CHECK(communesChecked >= 6);
}
