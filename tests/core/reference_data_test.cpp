// Reference data: the real assets load and say what docs/domain.md and the compiled data say; the
// parsers refuse malformed tables with a message naming the line, and survive any input.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/reference_data.h"
#include "tests/support/temp_dir.h"

using namespace kiosk;

namespace {

const std::filesystem::path kAssets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";

std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void writeText(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

const ReferenceData& realData() {
    static const ReferenceData data = [] {
        auto loaded = loadReferenceData(kAssets);
        if (!loaded) FAIL("assets do not load: " << loaded.error().en);
        return *loaded;
    }();
    return data;
}

Date d(int y, int m, int day) { return Date{y, m, day}; }

bool holds(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The error must name the line, in both languages.
void requireLineError(const Error& error, int line) {
    INFO("vi: " << error.vi << "\nen: " << error.en);
    CHECK(holds(error.vi, "Dòng " + std::to_string(line) + ":"));
    CHECK(holds(error.en, "Line " + std::to_string(line) + ":"));
}

// A unit table with one province (line 2) above the communes of each test.
const std::string kUnitsHeader =
    "code\tname\tlevel\tparent\tvalid_from\tvalid_to\tremote\n08\tTỉnh T\tprovince\t\t\t\t0\n";
const std::string kHolidaysHeader = "date\tkind\tname\n";
const std::string kKindsHeader =
    "slug\taccept_days\taccept_working\taccept_confirmed\tresolve_days\tresolve_working\t"
    "complex_days\tremote_days\tremote_complex_days\textension_days\tmax_extensions\n";
const std::string kKindsRows =
    "khieu-nai\t10\t1\t1\t30\t0\t45\t45\t60\t0\t0\n"
    "to-cao\t7\t1\t0\t30\t0\t0\t0\t0\t30\t2\n"
    "kien-nghi\t10\t1\t1\t0\t0\t0\t0\t0\t0\t0\n"
    "phan-anh\t10\t1\t1\t0\t0\t0\t0\t0\t0\t0\n";
const std::string kProceduresHeader =
    "id\tcode\tname\tfield\tprocessing_time\tlimit_days\tlimit_working\tfee\tdocuments\tpostal\t"
    "where\tlegal_basis\n";

}  // namespace

TEST_CASE("the real assets load", "[reference]") {
    auto loaded = loadReferenceData(kAssets);
    INFO((loaded ? std::string() : loaded.error().en));
    REQUIRE(loaded.ok());
}

TEST_CASE("assetsDir: KIOSK_ASSETS wins, else a directory that holds units.tsv", "[reference]") {
    const char* saved = std::getenv("KIOSK_ASSETS");
    const std::string savedValue = saved ? saved : "";

    setenv("KIOSK_ASSETS", "/somewhere/else", 1);
    CHECK(assetsDir() == std::filesystem::path("/somewhere/else"));

    unsetenv("KIOSK_ASSETS");
    const auto found = assetsDir();
    CHECK(std::filesystem::is_regular_file(found / "units.tsv"));
    CHECK(std::filesystem::equivalent(found, kAssets));

    if (saved) setenv("KIOSK_ASSETS", savedValue.c_str(), 1);
}

TEST_CASE("the 18 units of Hàm Yên with their official codes", "[reference]") {
    const auto& data = realData();
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"02374", "Thị trấn Tân Yên"}, {"02377", "Xã Yên Thuận"},  {"02380", "Xã Bạch Xa"},
        {"02383", "Xã Minh Khương"},   {"02386", "Xã Yên Lâm"},    {"02389", "Xã Minh Dân"},
        {"02392", "Xã Phù Lưu"},       {"02395", "Xã Minh Hương"}, {"02398", "Xã Yên Phú"},
        {"02401", "Xã Tân Thành"},     {"02404", "Xã Bình Xa"},    {"02407", "Xã Thái Sơn"},
        {"02410", "Xã Nhân Mục"},      {"02413", "Xã Thành Long"}, {"02416", "Xã Bằng Cốc"},
        {"02419", "Xã Thái Hòa"},      {"02422", "Xã Đức Ninh"},   {"02425", "Xã Hùng Đức"},
    };
    REQUIRE(data.communes.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        CHECK(data.communes[i].code == expected[i].first);
        CHECK(data.communes[i].name == expected[i].second);
        // Off until the district decides which units are remote (docs/domain.md).
        CHECK_FALSE(data.communes[i].remote);
    }
    REQUIRE(data.commune("02422") != nullptr);
    CHECK(data.commune("02422")->name == "Xã Đức Ninh");
    CHECK(data.commune("99999") == nullptr);
    CHECK(data.deadlineRules().remoteCommunes.empty());
}

TEST_CASE("four petition kinds with the limits the law gives", "[reference]") {
    const auto& limits = realData().petitionLimits;
    REQUIRE(limits.size() == 4);
    // The data and deadlines.cpp's fallback must say the same thing, or a kiosk whose data lacks a
    // row would count differently from one that has it.
    for (PetitionKind kind : {PetitionKind::Complaint, PetitionKind::Denunciation,
                              PetitionKind::Recommendation, PetitionKind::Feedback}) {
        INFO(toSlug(kind));
        const PetitionLimits& got = limits.at(kind);
        const PetitionLimits want = defaultPetitionLimits(kind);
        auto same = [](const Limit& a, const Limit& b) {
            return a.days == b.days && (a.days == 0 || a.working == b.working);
        };
        CHECK(same(got.accept, want.accept));
        CHECK(same(got.resolve, want.resolve));
        CHECK(same(got.resolveComplex, want.resolveComplex));
        CHECK(same(got.resolveRemote, want.resolveRemote));
        CHECK(same(got.resolveRemoteComplex, want.resolveRemoteComplex));
        CHECK(same(got.extension, want.extension));
        CHECK(got.maxExtensions == want.maxExtensions);
        CHECK(got.acceptConfirmed == want.acceptConfirmed);
    }
    const PetitionLimits& complaint = limits.at(PetitionKind::Complaint);
    CHECK(complaint.accept.days == 10);
    CHECK(complaint.accept.working);
    CHECK(complaint.resolve.days == 30);
    CHECK_FALSE(complaint.resolve.working);
    CHECK(complaint.resolveComplex.days == 45);
    CHECK(complaint.resolveRemote.days == 45);
    CHECK(complaint.resolveRemoteComplex.days == 60);
    const PetitionLimits& denunciation = limits.at(PetitionKind::Denunciation);
    CHECK(denunciation.accept.days == 7);
    CHECK(denunciation.accept.working);
    CHECK_FALSE(denunciation.acceptConfirmed);
    CHECK(denunciation.extension.days == 30);
    CHECK(denunciation.maxExtensions == 2);
    CHECK(limits.at(PetitionKind::Recommendation).accept.days == 10);
    CHECK(limits.at(PetitionKind::Recommendation).accept.working);
    CHECK(limits.at(PetitionKind::Feedback).accept.days == 10);
}

TEST_CASE("the procedure catalog: every row named, unknowns kept unknown", "[reference]") {
    const auto& procedures = realData().procedures;
    CHECK(procedures.size() >= 30);
    std::set<std::string> ids;
    for (const Procedure& p : procedures) {
        INFO(p.id);
        CHECK_FALSE(p.name.empty());
        CHECK_FALSE(p.where.empty());
        CHECK(ids.insert(p.id).second);
        if (!p.code.empty()) CHECK(p.id == p.code);
        // "unconfirmed" from the compiled data must never reach a citizen as if it were a value.
        for (const std::string* field :
             {&p.code, &p.name, &p.field, &p.processingTime, &p.fee, &p.documents, &p.where, &p.legalBasis}) {
            CHECK_FALSE(holds(*field, "unconfirmed"));
        }
        if (p.limit) CHECK(p.limit->days > 0);
    }

    const auto& data = realData();
    // Same-day service counts as one working day.
    const Procedure* birth = data.procedure("1.001193");
    REQUIRE(birth != nullptr);
    CHECK(birth->name == "Thủ tục đăng ký khai sinh");
    REQUIRE(birth->limit.has_value());
    CHECK(birth->limit->days == 1);
    CHECK(birth->limit->working);
    CHECK_FALSE(birth->postal.has_value());

    const Procedure* residence = data.procedure("1.004222");
    REQUIRE(residence != nullptr);
    REQUIRE(residence->limit.has_value());
    CHECK(residence->limit->days == 7);
    CHECK(residence->limit->working);
    CHECK(data.deadlineRules().procedureLimits.at("1.004222").days == 7);

    // Two provinces publish different times: unknown, not one of them.
    const Procedure* mobileBirth = data.procedure("dang-ky-khai-sinh-luu-dong");
    REQUIRE(mobileBirth != nullptr);
    CHECK(mobileBirth->code.empty());
    CHECK_FALSE(mobileBirth->limit.has_value());
    CHECK(data.deadlineRules().procedureLimits.count("dang-ky-khai-sinh-luu-dong") == 0);

    // Fee "unconfirmed" in the data: unknown here.
    const Procedure* marriage = data.procedure("1.000894");
    REQUIRE(marriage != nullptr);
    CHECK(marriage->fee.empty());
    // Explicitly not by post.
    const Procedure* mobileMarriage = data.procedure("1.000593");
    REQUIRE(mobileMarriage != nullptr);
    REQUIRE(mobileMarriage->postal.has_value());
    CHECK_FALSE(*mobileMarriage->postal);
    CHECK(data.procedure("no-such-procedure") == nullptr);
}

TEST_CASE("holidays: Tết and Giỗ Tổ as lunar_dates.tsv gives them, make-up Saturdays work", "[reference]") {
    const auto& data = realData();
    const WorkingCalendar calendar = data.calendar();
    // 2028-2030: no table, only the provisional Tết from lunar_new_year.tsv.
    CHECK(data.holidayYears() == std::set<int>{2024, 2025, 2026, 2027, 2028, 2029, 2030});

    // Tết Ất Tỵ 2025: Monday 27/1 to Friday 31/1, mùng 1 on 29/1.
    for (int day = 27; day <= 31; ++day) {
        INFO("2025-01-" << day);
        CHECK_FALSE(calendar.isWorkingDay(d(2025, 1, day)));
    }
    CHECK(calendar.isWorkingDay(d(2025, 2, 3)));
    // mùng 1 Tết and Giỗ Tổ (10/3 âm lịch) of each year, as lunar_dates.tsv gives them.
    for (const Date& date : {d(2024, 2, 10), d(2025, 1, 29), d(2026, 2, 17), d(2024, 4, 18), d(2025, 4, 7),
                             d(2026, 4, 26), d(2027, 4, 16)}) {
        INFO(date.iso());
        CHECK(calendar.holidays().count(date) == 1);
    }
    // Saturday 26/4/2025 was worked in exchange for Friday 2/5/2025.
    CHECK(d(2025, 4, 26).weekday() == 6);
    CHECK(calendar.isWorkingDay(d(2025, 4, 26)));
    CHECK_FALSE(calendar.isWorkingDay(d(2025, 5, 2)));
    CHECK_FALSE(calendar.isWorkingDay(d(2025, 4, 27)));  // the Sunday after stays a day off
    CHECK(calendar.isWorkingDay(d(2024, 5, 4)));
    CHECK(calendar.isWorkingDay(d(2026, 1, 10)));
    CHECK(calendar.isWorkingDay(d(2026, 8, 22)));
    // 2027 holds only the statutory days (its table is marked provisional): Tết 2027 was not
    // announced, so the provisional Tết (the last day of the old year + mùng 1-4) stands in.
    CHECK_FALSE(calendar.isWorkingDay(d(2027, 2, 8)));
    CHECK(calendar.isWorkingDay(d(2027, 2, 10)));
    CHECK_FALSE(calendar.isWorkingDay(d(2027, 1, 1)));
}

TEST_CASE("CCCD province codes and mobile prefixes", "[reference]") {
    const auto& data = realData();
    CHECK(data.cccdProvinces.size() == 63);
    CHECK(data.cccdProvinces.count("008") == 1);  // Tuyên Quang
    CHECK(data.cccdProvinces.count("001") == 1);
    CHECK(data.cccdProvinces.count("096") == 1);
    CHECK(data.cccdProvinces.count("003") == 0);
    CHECK(data.mobilePrefixes.size() == 35);
    for (const char* prefix :
         {"032", "039", "086", "098", "081", "088", "070", "090", "052", "092", "059", "099", "087"}) {
        CHECK(data.mobilePrefixes.count(prefix) == 1);
    }
    CHECK(data.mobilePrefixes.count("031") == 0);
    CHECK(data.mobilePrefixes.count("095") == 0);
}

TEST_CASE("the table reader: comments, CRLF, BOM, NFC, any column order", "[reference]") {
    // "Xã" with the tilde as a combining mark (NFD) comes back precomposed.
    const std::string text =
        "\xEF\xBB\xBF# comment\r\n\r\nname\tremote\tcode\tlevel\tparent\tvalid_to\tvalid_from\r\n"
        "Tỉnh T\t0\t08\tprovince\t\t\t\r\nXa\xCC\x83 A\t1\t02374\tcommune\t08\t\t\r\n";
    auto units = parseUnits(text);
    INFO((units ? std::string() : units.error().en));
    REQUIRE(units.ok());
    REQUIRE(units->size() == 2);
    CHECK((*units)[1].name == "Xã A");
    CHECK((*units)[1].code == "02374");
    CHECK((*units)[1].remote);
    // An empty remote cell is the default, off.
    auto empty = parseUnits(kUnitsHeader + "02374\tXã A\tcommune\t08\t\t\t\n");
    REQUIRE(empty.ok());
    CHECK_FALSE((*empty)[1].remote);
    // A header and nothing else is an empty table, not an error.
    auto none = parseUnits("code\tname\tlevel\tparent\tvalid_from\tvalid_to\n");
    REQUIRE(none.ok());
    CHECK(none->empty());
}

TEST_CASE("parsers refuse malformed tables, naming the line", "[reference]") {
    SECTION("invalid UTF-8") {
        auto r =
            parseUnits(kUnitsHeader + "02374\tXã A\tcommune\t08\t\t\t0\n02377\tX\xC3\tcommune\t08\t\t\t0\n");
        REQUIRE_FALSE(r.ok());
        requireLineError(r.error(), 4);
    }
    SECTION("a control character") {
        auto r = parseUnits(kUnitsHeader + "02374\tX\x01\tcommune\t08\t\t\t0\n");
        REQUIRE_FALSE(r.ok());
        requireLineError(r.error(), 3);
    }
    SECTION("a missing column") {
        auto r = parseUnits("# units\ncode\tname\tlevel\tparent\tvalid_from\n02374\tXã A\tcommune\t08\t\n");
        REQUIRE_FALSE(r.ok());
        requireLineError(r.error(), 2);
        CHECK(holds(r.error().en, "valid_to"));
    }
    SECTION("a row with too few cells") {
        auto r = parseUnits(kUnitsHeader + "02374\tXã A\tcommune\t08\t\t\t0\n02377\tXã B\tcommune\n");
        REQUIRE_FALSE(r.ok());
        requireLineError(r.error(), 4);
    }
    SECTION("no header at all") {
        CHECK_FALSE(parseUnits("").ok());
        CHECK_FALSE(parseUnits("# only comments\n").ok());
    }
    SECTION("a bad commune code and a duplicate") {
        auto bad = parseUnits(kUnitsHeader + "2374\tXã A\tcommune\t08\t\t\t0\n");
        REQUIRE_FALSE(bad.ok());
        requireLineError(bad.error(), 3);
        auto twice =
            parseUnits(kUnitsHeader + "02374\tXã A\tcommune\t08\t\t\t0\n02374\tXã B\tcommune\t08\t\t\t0\n");
        REQUIRE_FALSE(twice.ok());
        requireLineError(twice.error(), 4);
        CHECK(holds(twice.error().en, "line 3"));
    }
    SECTION("a bad flag") {
        auto r = parseUnits(kUnitsHeader + "02374\tXã A\tcommune\t08\t\t\tyes\n");
        REQUIRE_FALSE(r.ok());
        requireLineError(r.error(), 3);
    }
    SECTION("impossible dates, unknown kinds, duplicates, a make-up day on a weekday") {
        for (const std::string& row :
             std::vector<std::string>{"2025-02-30\tholiday\tX\n", "2025-1-01\tholiday\tX\n",
                                      "2025-01-01\tday-off\tX\n", "2025-04-28\tmakeup-workday\tX\n"}) {
            INFO(row);
            auto r = parseHolidays(kHolidaysHeader + row);
            REQUIRE_FALSE(r.ok());
            requireLineError(r.error(), 2);
        }
        auto twice = parseHolidays(kHolidaysHeader + "2025-01-01\tholiday\tA\n2025-01-01\tholiday\tB\n");
        REQUIRE_FALSE(twice.ok());
        requireLineError(twice.error(), 3);
    }
    SECTION("holidays come back sorted") {
        auto r = parseHolidays(kHolidaysHeader + "2025-05-01\tholiday\tB\n2025-04-26\tmakeup-workday\tA\n");
        REQUIRE(r.ok());
        REQUIRE(r->size() == 2);
        CHECK((*r)[0].date == d(2025, 4, 26));
        CHECK((*r)[0].workday);
        CHECK_FALSE((*r)[1].workday);
    }
    SECTION("petition kinds: bad numbers, unknown slugs, a kind missing") {
        auto good = parsePetitionKinds(kKindsHeader + kKindsRows);
        INFO((good ? std::string() : good.error().en));
        REQUIRE(good.ok());
        CHECK(good->size() == 4);

        auto negative = parsePetitionKinds(kKindsHeader + "khieu-nai\t-1\t1\t1\t30\t0\t45\t45\t60\t0\t0\n");
        REQUIRE_FALSE(negative.ok());
        requireLineError(negative.error(), 2);
        auto huge =
            parsePetitionKinds(kKindsHeader + "khieu-nai\t99999999999\t1\t1\t30\t0\t45\t45\t60\t0\t0\n");
        REQUIRE_FALSE(huge.ok());
        requireLineError(huge.error(), 2);
        auto text = parsePetitionKinds(kKindsHeader + "khieu-nai\tmười\t1\t1\t30\t0\t45\t45\t60\t0\t0\n");
        REQUIRE_FALSE(text.ok());
        requireLineError(text.error(), 2);
        auto slug = parsePetitionKinds(kKindsHeader + "khieu_nai\t10\t1\t1\t30\t0\t45\t45\t60\t0\t0\n");
        REQUIRE_FALSE(slug.ok());
        requireLineError(slug.error(), 2);
        auto twice =
            parsePetitionKinds(kKindsHeader + kKindsRows + "to-cao\t7\t1\t0\t30\t0\t0\t0\t0\t30\t2\n");
        REQUIRE_FALSE(twice.ok());
        requireLineError(twice.error(), 6);
        auto three = parsePetitionKinds(kKindsHeader + "khieu-nai\t10\t1\t1\t30\t0\t45\t45\t60\t0\t0\n");
        REQUIRE_FALSE(three.ok());
        CHECK(holds(three.error().en, "to-cao"));
    }
    SECTION("procedures: an id that is not ASCII, a limit half given, a bad postal flag") {
        const std::string rest = "\tKhai sinh\tHộ tịch\t3 ngày\t";
        auto good =
            parseProcedures(kProceduresHeader + "1.001193\t1.001193" + rest + "3\t0\t\t\t1\tUBND xã\t\n");
        INFO((good ? std::string() : good.error().en));
        REQUIRE(good.ok());
        REQUIRE((*good)[0].limit.has_value());
        CHECK((*good)[0].limit->days == 3);
        CHECK_FALSE((*good)[0].limit->working);
        CHECK((*good)[0].postal == std::optional<bool>(true));

        for (const std::string& row : std::vector<std::string>{
                 "khai-sinh-lưu-động\t" + rest + "\t\t\t\t\tUBND xã\t\n",
                 "\t" + rest + "\t\t\t\t\tUBND xã\t\n", "a\t1.001193" + rest + "3\t\t\t\t\tUBND xã\t\n",
                 "a\tmã" + rest + "\t\t\t\t\tUBND xã\t\n", "a\t\t\tHộ tịch\t3 ngày\t\t\t\t\t\tUBND xã\t\n",
                 "a\t" + rest + "\t\t\t\tcó\tUBND xã\t\n"}) {
            INFO(row);
            auto r = parseProcedures(kProceduresHeader + row);
            REQUIRE_FALSE(r.ok());
            requireLineError(r.error(), 2);
        }
    }
    SECTION("CCCD codes and prefixes") {
        auto cccd = parseCccdProvinces("code\n008\n097\n");
        REQUIRE_FALSE(cccd.ok());
        requireLineError(cccd.error(), 3);
        auto prefix = parseMobilePrefixes("prefix\n032\n32\n");
        REQUIRE_FALSE(prefix.ok());
        requireLineError(prefix.error(), 3);
    }
}

TEST_CASE("loadReferenceData names the file of a broken table", "[reference]") {
    testing_support::TempDir dir;
    std::filesystem::copy(kAssets, dir.path(), std::filesystem::copy_options::recursive);
    REQUIRE(loadReferenceData(dir.path()).ok());

    SECTION("a bad row in a year's holidays") {
        const auto path = dir.path() / "holidays" / "2025.tsv";
        std::string text = readText(path);
        const int line = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
        writeText(path, text + "2025-13-01\tholiday\tX\tY\n");
        auto r = loadReferenceData(dir.path());
        REQUIRE_FALSE(r.ok());
        CHECK(holds(r.error().vi, "holidays/2025.tsv"));
        CHECK(holds(r.error().en, "holidays/2025.tsv"));
        requireLineError(r.error(), line);
    }
    SECTION("a date filed under the wrong year") {
        const auto path = dir.path() / "holidays" / "2026.tsv";
        writeText(path, readText(path) + "2025-12-31\tholiday\tX\tY\n");
        auto r = loadReferenceData(dir.path());
        REQUIRE_FALSE(r.ok());
        CHECK(holds(r.error().en, "holidays/2026.tsv"));
    }
    SECTION("no holiday tables") {
        std::filesystem::remove_all(dir.path() / "holidays");
        auto r = loadReferenceData(dir.path());
        REQUIRE_FALSE(r.ok());
        CHECK(holds(r.error().en, "holiday"));
    }
    SECTION("a missing file") {
        std::filesystem::remove(dir.path() / "procedures.tsv");
        auto r = loadReferenceData(dir.path());
        REQUIRE_FALSE(r.ok());
        CHECK(holds(r.error().en, "procedures.tsv"));
    }
    SECTION("a truncated catalog") {
        // Cut in the middle of the first row, as a copy interrupted there would leave it.
        const auto path = dir.path() / "procedures.tsv";
        const std::string text = readText(path);
        size_t cut = text.find('\n', text.find("\nid\t") + 1);
        for (int tabs = 0; tabs < 5; ++tabs) cut = text.find('\t', cut + 1);
        REQUIRE(cut != std::string::npos);
        writeText(path, text.substr(0, cut));
        auto r = loadReferenceData(dir.path());
        REQUIRE_FALSE(r.ok());
        CHECK(holds(r.error().en, "procedures.tsv — Line"));
    }
}

TEST_CASE("parsers survive mangled input", "[reference][fuzz]") {
    // Not a fuzzer (that runs with libFuzzer on demand), but a bounded, deterministic shake of the
    // real files: flipped bytes, cut lines, inserted tabs and broken UTF-8 must give a value or an
    // Error, never a crash, a hang or an exception.
    std::vector<std::string> seeds;
    for (const char* name : {"units.tsv", "petition_kinds.tsv", "procedures.tsv", "cccd_provinces.tsv",
                             "mobile_prefixes.tsv", "holidays/2025.tsv"}) {
        seeds.push_back(readText(kAssets / name));
        REQUIRE_FALSE(seeds.back().empty());
    }
    std::mt19937 random(20250129);
    const char inserts[] = {'\t', '\n', '\r', '#', '\0', '\xC3', '\xFF', '-', '9', ' '};
    int parsed = 0;
    for (int round = 0; round < 600; ++round) {
        std::string text = seeds[static_cast<size_t>(round) % seeds.size()];
        const int edits = 1 + static_cast<int>(random() % 8);
        for (int e = 0; e < edits && !text.empty(); ++e) {
            const size_t at = random() % text.size();
            switch (random() % 4) {
                case 0:
                    text[at] = static_cast<char>(random() % 256);
                    break;
                case 1:
                    text.erase(at, 1 + random() % 40);
                    break;
                case 2:
                    text.insert(at, 1, inserts[random() % sizeof inserts]);
                    break;
                default:
                    text.resize(at);
                    break;
            }
        }
        CHECK_NOTHROW(parseUnits(text));
        CHECK_NOTHROW(parseUnitLevels(text));
        CHECK_NOTHROW(parseHolidays(text));
        CHECK_NOTHROW(parseProcedures(text));
        CHECK_NOTHROW(parsePetitionKinds(text));
        CHECK_NOTHROW(parseCccdProvinces(text));
        CHECK_NOTHROW(parseMobilePrefixes(text));
        auto r = parseTsv(text, {});
        if (r)
            ++parsed;
        else
            CHECK_FALSE(r.error().en.empty());
    }
    CHECK(parsed > 0);  // the mangling leaves some files readable: the parsers were exercised
}
