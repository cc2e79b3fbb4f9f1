// A fee the compiled sources quote for another province is not shown as if it held here: the
// catalog leaves it unknown and the kiosk says "ask at the counter" (scripts/make-assets,
// fee_for_deployment). Fees of commune-level procedures are set by each province.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/reference_data.h"

using namespace kiosk;

namespace {

const std::filesystem::path kAssets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";

std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

TEST_CASE("fees: no fee quoted for another province is shown, a national one stays") {
    auto table = parseTsv(readText(kAssets / "cccd_provinces.tsv"), {"code", "province"});
    REQUIRE(table);
    std::vector<std::string> otherProvinces;
    for (const auto& row : table->rows) {
        const std::string& name = row.cells[static_cast<size_t>(table->column("province"))];
        if (name != "Tuyên Quang") otherProvinces.push_back(name);
    }
    REQUIRE(otherProvinces.size() == 62);
    auto procedures = parseProcedures(readText(kAssets / "procedures.tsv"));
    REQUIRE(procedures);
    for (const Procedure& p : *procedures) {
        INFO(p.id << ": " << p.fee);
        if (p.fee.find("TT-BTC") != std::string::npos) continue;  // a national amount
        for (const std::string& province : otherProvinces) CHECK(p.fee.find(province) == std::string::npos);
        CHECK(p.fee.find("Điện Bàn") == std::string::npos);
    }
    auto byId = [&](const std::string& id) -> const Procedure& {
        for (const Procedure& p : *procedures)
            if (p.id == id) return p;
        FAIL("no procedure " << id);
        return procedures->front();
    };
    CHECK(byId("2.001263").fee.empty());        // 400.000 đồng in Điện Bàn
    CHECK(byId("2.000635").fee.empty());        // 8.000 đồng in Quảng Ninh
    CHECK_FALSE(byId("1.004194").fee.empty());  // TT 75/2022/TT-BTC: the same everywhere
}
