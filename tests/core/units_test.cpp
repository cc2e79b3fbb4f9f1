// Administrative units with their history: the shipped maps, the succession rules and the tables'
// checks.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "build_paths.h"
#include "core/reference_data.h"
#include "core/units.h"

using namespace kiosk;

namespace {

const std::filesystem::path kAssets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";

std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

UnitMap loadMap(const std::filesystem::path& file, const std::string& succession = {}) {
    auto units = parseUnits(readText(file));
    INFO((units ? std::string() : units.error().en));
    REQUIRE(units.ok());
    const UnitMap bare(*units, {});
    if (succession.empty()) return bare;
    auto rows = parseSuccessions(succession, bare);
    INFO((rows ? std::string() : rows.error().en));
    REQUIRE(rows.ok());
    return UnitMap(*units, *rows);
}

constexpr Date kBefore{2025, 6, 30};
constexpr Date kAfter{2025, 7, 1};
constexpr Date kToday{2026, 12, 5};

const char* kSuccessionHeader = "old_code\tnew_code\teffective_date\n";

}  // namespace

TEST_CASE("the default map: 18 communes under huyện Hàm Yên, whatever the day", "[units]") {
    const UnitMap map = loadMap(kAssets / "units.tsv");
    CHECK(map.communesOn(kToday).size() == 18);
    CHECK(map.communeCodes().size() == 18);
    const AdminUnit* top = map.topOn(kToday);
    REQUIRE(top != nullptr);
    CHECK(top->code == "074");
    CHECK(top->name == "Huyện Hàm Yên");
    CHECK(top->level == UnitLevel::District);
    REQUIRE(map.parentOn("02377", kToday) != nullptr);
    CHECK(map.parentOn("02377", kToday)->code == "074");
    CHECK(map.successor("02377", kToday) == "02377");
}

TEST_CASE("the 2025 map: 8 communes under the province, the other 10 codes dissolved", "[units]") {
    const UnitMap map = loadMap(kAssets / "maps/tuyen-quang-2025/units.tsv");
    CHECK(map.communesOn(kBefore).size() == 18);
    CHECK(map.communesOn(kAfter).size() == 8);
    CHECK(map.communeCodes().size() == 18);  // every code ever, so old records keep a name
    REQUIRE(map.topOn(kBefore) != nullptr);
    CHECK(map.topOn(kBefore)->code == "074");
    REQUIRE(map.topOn(kAfter) != nullptr);
    CHECK(map.topOn(kAfter)->code == "08");
    CHECK(map.topOn(kAfter)->level == UnitLevel::Province);
    // A kept code is a new unit with a new name from the day of the reform.
    REQUIRE(map.find("02374", kBefore) != nullptr);
    CHECK(map.find("02374", kBefore)->name == "Thị trấn Tân Yên");
    REQUIRE(map.find("02374", kAfter) != nullptr);
    CHECK(map.find("02374", kAfter)->name == "Xã Hàm Yên");
    // A dissolved code names nothing after the reform but keeps its last name.
    CHECK(map.find("02377", kAfter) == nullptr);
    REQUIRE(map.latest("02377") != nullptr);
    CHECK(map.latest("02377")->name == "Xã Yên Thuận");
    // No succession is shipped as fact: the records of a dissolved code stay its own.
    CHECK(readText(kAssets / "maps/tuyen-quang-2025/succession.tsv").find("\n0") == std::string::npos);
    CHECK(map.successor("02377", kToday) == "02377");
}

TEST_CASE("a succession moves a unit's holdings from its effective day, following chains", "[units]") {
    const UnitMap map =
        loadMap(kAssets / "maps/tuyen-quang-2025/units.tsv",
                std::string(kSuccessionHeader) +
                    "02377\t02374\t2025-07-01\n02383\t02374\t2025-07-01\n02386\t02380\t2025-07-01\n");
    CHECK(map.successor("02377", kBefore) == "02377");
    CHECK(map.successor("02377", kAfter) == "02374");
    CHECK(map.successor("02374", kAfter) == "02374");
    CHECK(map.predecessors("02374", kAfter) == std::vector<std::string>{"02377", "02383"});
    CHECK(map.predecessors("02374", kBefore).empty());
    CHECK(map.holdings("02374", kToday) == std::vector<std::string>{"02374", "02377", "02383"});
    CHECK(map.holdings("02380", kToday) == std::vector<std::string>{"02380", "02386"});
    // A kiosk still enrolled under a dissolved code belongs to the province through its successor.
    REQUIRE(map.parentOn("02377", kToday) != nullptr);
    CHECK(map.parentOn("02377", kToday)->code == "08");
}

TEST_CASE("succession tables are refused with the line of the first bad row", "[units]") {
    auto units = parseUnits(readText(kAssets / "maps/tuyen-quang-2025/units.tsv"));
    REQUIRE(units.ok());
    const UnitMap map(*units, {});
    const std::string h = kSuccessionHeader;
    struct Case {
        std::string rows;
        int line;
        const char* says;
    };
    for (const Case& c : std::vector<Case>{
             {"02377\t02374\t2025-07-01\n99999\t02374\t2025-07-01\n", 3, "old_code"},  // unknown code
             {"02377\t02383\t2025-07-01\n", 2, "new_code"},                            // dissolved target
             {"02377\t02374\t2025-06-01\n", 2, "effective_date"},                      // old still exists
             {"02377\t02374\t2025-07-32\n", 2, "effective_date"},                      // no such day
             {"02377\t02374\t2025-07-01\n02377\t02380\t2025-07-01\n", 3, "line 2"},    // twice
             {"02377\t02377\t2025-07-01\n", 2, "new_code"},                            // itself
         }) {
        INFO(c.rows);
        auto r = parseSuccessions(h + c.rows, map);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().en.find("Line " + std::to_string(c.line)) != std::string::npos);
        CHECK(r.error().en.find(c.says) != std::string::npos);
        CHECK(r.error().vi.find("Dòng " + std::to_string(c.line)) != std::string::npos);
    }
}

TEST_CASE("a chain of successions that comes back to its start is refused", "[units]") {
    // A exists, then B, then A again: A -> B and B -> A would leave the records with no owner.
    const std::string units =
        "code\tname\tlevel\tparent\tvalid_from\tvalid_to\n"
        "08\tTỉnh T\tprovince\t\t\t\n"
        "00001\tXã A\tcommune\t08\t\t2025-06-30\n"
        "00001\tXã A mới\tcommune\t08\t2026-01-01\t\n"
        "00002\tXã B\tcommune\t08\t2025-07-01\t2025-12-31\n";
    auto parsed = parseUnits(units);
    REQUIRE(parsed.ok());
    const UnitMap map(*parsed, {});
    auto r = parseSuccessions(
        std::string(kSuccessionHeader) + "00001\t00002\t2025-07-01\n00002\t00001\t2026-01-01\n", map);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().en.find("comes back") != std::string::npos);
}

TEST_CASE("unit tables: periods, parents and levels are checked", "[units]") {
    const std::string h = "code\tname\tlevel\tparent\tvalid_from\tvalid_to\n08\tTỉnh T\tprovince\t\t\t\n";
    struct Case {
        std::string row;
        const char* says;
    };
    for (const Case& c : std::vector<Case>{
             {"02374\tXã A\tcommune\t074\t\t\n", "unit above"},                   // parent absent
             {"02374\tXã A\tward\t08\t\t\n", "level"},                            // unknown level
             {"0237\tXã A\tcommune\t08\t\t\n", "5-digit"},                        // wrong length
             {"02374\tXã A\tcommune\t08\t2025-07-01\t2025-06-30\n", "valid_to"},  // ends before it starts
             {"02374\tXã A\tcommune\t08\t\t2025-06-30\n02374\tXã B\tcommune\t08\t2025-06-01\t\n", "overlaps"},
             {"02374\tXã A\tcommune\t\t\t\n", "parent"},  // commune with no parent
         }) {
        INFO(c.row);
        auto r = parseUnits(h + c.row);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().en.find(c.says) != std::string::npos);
        CHECK(r.error().en.find("Line ") != std::string::npos);
    }
}

TEST_CASE("level names come from data", "[units]") {
    auto names = parseUnitLevels(readText(kAssets / "unit_levels.tsv"));
    REQUIRE(names.ok());
    ReferenceData data;
    data.levelNames = *names;
    CHECK(data.levelName(UnitLevel::District, false) == "huyện");
    CHECK(data.levelName(UnitLevel::Province, true) == "province");
    CHECK_FALSE(parseUnitLevels("level\tvi\ten\nprovince\ttỉnh\tprovince\n").ok());  // two levels unnamed
}
