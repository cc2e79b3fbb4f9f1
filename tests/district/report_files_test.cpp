// The review report in the files it is sent upward in (district/review/report_table.h): CSV in the
// two styles spreadsheets read (",", 81.4 and ";", 81,4), and the .xlsx workbook read back by
// Python's zipfile (the cells' types and values as a spreadsheet program sees them: codes are text
// with their leading zero, figures are numbers); `district-server report --xlsx` on a real
// database and its refusals.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "district/review/report_table.h"
#include "tests/support/district_support.h"

using namespace kiosk;
using namespace kiosk::district;
using testing_support::TempDir;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

DistrictReport sample() {
    DistrictReport r;
    r.from = Date{2026, 1, 1};
    r.to = Date{2026, 6, 30};
    r.previousFrom = Date{2025, 1, 1};
    r.previousTo = Date{2025, 6, 30};
    r.today = Date{2026, 7, 2};
    r.district.code = "074";
    r.district.name = "Huyện Hàm Yên";
    r.district.current.petitionsReceived = 103;
    r.district.current.petitionsCarriedOver = 15;
    r.district.current.petitionsResolved = 96;  // 81.4 % of 118
    r.district.previous.petitionsReceived = 71;
    UnitReport commune;
    commune.code = "02374";
    commune.name = "Xã Tân Yên; thôn 1";
    commune.current.petitionsReceived = 7;
    r.communes.push_back(commune);
    r.districtOffice.name = "Huyện Hàm Yên";
    return r;
}

// "ROW:COL=TYPE:VALUE" for every cell of the workbook's first sheet, shared strings resolved, and
// the sheet names first: what a spreadsheet program would read.
std::string readWorkbook(const std::string& path) {
    const char* script = R"py(
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read('xl/workbook.xml').decode()
print('SHEETS=' + '|'.join(re.findall(r'<sheet name="([^"]*)"', wb)))
shared = [re.sub(r'<[^>]+>', '', si) for si in re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S)]
sheet = z.read('xl/worksheets/sheet1.xml').decode()
for ref, attrs, body in re.findall(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', sheet, re.S):
    t = re.search(r't="(\w+)"', attrs)
    v = re.search(r'<v>(.*?)</v>', body or '')
    kind = t.group(1) if t else ('n' if v else 'blank')
    value = shared[int(v.group(1))] if kind == 's' else (v.group(1) if v else '')
    print(ref + '=' + kind + ':' + value)
)py";
    auto r = testing_support::runProgram(kPython, {"-c", script, path});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return r.out;
}

}  // namespace

TEST_CASE("report files: CSV with a comma and decimal point, or a semicolon and decimal comma") {
    const DistrictReport r = sample();
    const std::string plain = reportCsv(r);
    CHECK(plain.rfind("\xEF\xBB\xBF\xC4\x90\xC6\xA1n v\xE1\xBB\x8B,M\xC3\xA3,", 0) == 0);  // "Đơn vị,Mã,"
    CHECK(plain.find("Huyện Hàm Yên,074,2026-01-01,2026-06-30,") != std::string::npos);
    CHECK(plain.find(",103,71,32,45.1,") != std::string::npos);
    CHECK(plain.find(",15,118,96,81.4,") != std::string::npos);
    CHECK(plain.find("\r\nXã Tân Yên; thôn 1,02374,") != std::string::npos);

    const std::string vi = reportCsv(r, CsvStyle{';', true});
    CHECK(vi.find("Huyện Hàm Yên;074;2026-01-01;2026-06-30;") != std::string::npos);
    CHECK(vi.find(";103;71;32;45,1;") != std::string::npos);
    CHECK(vi.find(";15;118;96;81,4;") != std::string::npos);
    // A name holding the separator is quoted in the style that needs it.
    CHECK(vi.find("\r\n\"Xã Tân Yên; thôn 1\";02374;") != std::string::npos);
}

TEST_CASE("report files: the xlsx keeps codes as text and figures as numbers") {
    if (access(kPython, X_OK) != 0) {
        WARN("python3 missing (apt install python3): skipped");
        std::exit(77);
    }
    auto bytes = reportXlsx(sample());
    REQUIRE(bytes);
    REQUIRE(bytes->rfind("PK", 0) == 0);
    TempDir dir;
    const std::string path = dir.file("report.xlsx");
    std::ofstream(path, std::ios::binary) << *bytes;
    const std::string cells = readWorkbook(path);
    INFO(cells);
    CHECK(cells.find("SHEETS=Báo cáo|Ghi chú\n") != std::string::npos);
    CHECK(cells.find("A1=s:BÁO CÁO") != std::string::npos);
    CHECK(cells.find("A3=s:Số quá hạn tính đến ngày 02/07/2026") != std::string::npos);
    // Row 5 is the header, row 6 the whole, row 7 the commune, row 8 the office.
    CHECK(cells.find("B5=s:Mã\n") != std::string::npos);
    CHECK(cells.find("A6=s:Huyện Hàm Yên\n") != std::string::npos);
    CHECK(cells.find("B6=s:074\n") != std::string::npos);
    CHECK(cells.find("B7=s:02374\n") != std::string::npos);
    CHECK(cells.find("I6=n:103\n") != std::string::npos);
    CHECK(cells.find("T6=n:81.4") != std::string::npos);
    CHECK(cells.find("L7=blank:\n") != std::string::npos);  // no % change from a previous 0
    CHECK(cells.find("C6=s:2026-01-01\n") != std::string::npos);

    auto en = reportXlsx(sample(), Lang::En);
    REQUIRE(en);
    std::ofstream(dir.file("en.xlsx"), std::ios::binary) << *en;
    const std::string english = readWorkbook(dir.file("en.xlsx"));
    CHECK(english.find("SHEETS=Report|Notes\n") != std::string::npos);
    CHECK(english.find("B5=s:Code\n") != std::string::npos);
}

TEST_CASE("report files: district-server report --xlsx writes the workbook, wrong combinations are refused") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    district_test::districtOk({"enroll-kiosk", "--db", db, "--commune", "02374"});
    const std::string xlsx = dir.file("bao-cao.xlsx");
    district_test::districtOk(
        {"report", "--db", db, "--from", "2026-01-01", "--to", "2026-06-30", "--xlsx", xlsx});
    std::ifstream in(xlsx, std::ios::binary);
    std::string head(2, '\0');
    in.read(head.data(), 2);
    CHECK(head == "PK");
    const std::string csv = district_test::districtOk(
        {"report", "--db", db, "--from", "2026-01-01", "--to", "2026-06-30", "--csv", "--semicolon"});
    CHECK(csv.find("Đơn vị;Mã;Từ ngày;") != std::string::npos);
    for (const std::vector<std::string>& wrong :
         {std::vector<std::string>{"--json", "--xlsx", xlsx}, {"--semicolon"}, {"--csv", "--xlsx", xlsx}}) {
        std::vector<std::string> args{"report", "--db", db, "--from", "2026-01-01", "--to", "2026-06-30"};
        args.insert(args.end(), wrong.begin(), wrong.end());
        auto r = district_test::district(args);
        INFO(r.err);
        CHECK(r.exitCode == 2);
        CHECK_FALSE(r.err.empty());
    }
}
