// kiosk/core is the domain: it must never include a UI, network or database header
// (ARCHITECTURE.md). This test reads the sources and fails on any such include.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

TEST_CASE("kiosk/core includes no UI, network or database header") {
    const std::filesystem::path core = std::filesystem::path(KIOSK_SOURCE_DIR) / "kiosk" / "core";
    REQUIRE(std::filesystem::is_directory(core));
    const std::regex forbidden(R"(#\s*include\s*[<"](imgui|GLFW/|curl/|sqlite3|httplib))");
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(core)) {
        const auto ext = entry.path().extension();
        if (ext != ".h" && ext != ".cpp") continue;
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        int lineNo = 0;
        while (std::getline(in, line)) {
            ++lineNo;
            INFO(entry.path().filename().string() << ":" << lineNo << ": " << line);
            CHECK_FALSE(std::regex_search(line, forbidden));
        }
    }
    CHECK(files > 5);
}

TEST_CASE("the layering check itself catches a forbidden include") {
    const std::regex forbidden(R"(#\s*include\s*[<"](imgui|GLFW/|curl/|sqlite3|httplib))");
    CHECK(std::regex_search(std::string("#include <sqlite3.h>"), forbidden));
    CHECK(std::regex_search(std::string("#  include \"imgui.h\""), forbidden));
    CHECK(std::regex_search(std::string("#include <GLFW/glfw3.h>"), forbidden));
    CHECK_FALSE(std::regex_search(std::string("#include <string>"), forbidden));
}
