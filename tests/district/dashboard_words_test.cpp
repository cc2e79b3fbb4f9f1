// The dashboard names the unit above the communes as the deployment's data words it: the login
// page's title reads "huyện Hàm Yên" under the default map and "tỉnh Tuyên Quang" under the 2025
// map, from the real district-server.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <httplib.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/district_support.h"

using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

const std::filesystem::path kAssets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";

std::string loginPage(const std::string& db) {
    districtOk({"enroll-kiosk", "--db", db, "--commune", "02374"});
    ServerProcess server(db);
    httplib::Client c("127.0.0.1", server.port());
    auto page = c.Get("/login");
    REQUIRE(page);
    REQUIRE(page->status == 200);
    return page->body;
}

}  // namespace

TEST_CASE("dashboard words: the login page names the unit of the deployment's map") {
    TempDir dir;
    const std::string byDefault = loginPage(dir.file("default.db"));
    CHECK(byDefault.find("<h1>Bảng điều hành huyện Hàm Yên</h1>") != std::string::npos);
    CHECK(byDefault.find("{{") == std::string::npos);

    const auto assets = dir.path() / "assets";
    std::filesystem::copy(kAssets, assets, std::filesystem::copy_options::recursive);
    for (const char* name : {"units.tsv", "succession.tsv", "words.tsv"})
        std::filesystem::copy_file(kAssets / "maps" / "tuyen-quang-2025" / name, assets / name,
                                   std::filesystem::copy_options::overwrite_existing);
    setenv("KIOSK_ASSETS", assets.c_str(), 1);
    const std::string merged = loginPage(dir.file("merged.db"));
    unsetenv("KIOSK_ASSETS");
    CHECK(merged.find("<h1>Bảng điều hành tỉnh Tuyên Quang</h1>") != std::string::npos);
    CHECK(merged.find("huyện") == std::string::npos);
}
