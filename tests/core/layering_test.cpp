// The layers, as docs/ARCHITECTURE.md draws them, checked from the sources: each rule names a
// folder and the includes it must never have. The targets' link lines keep the libraries apart;
// this keeps the headers apart, which the linker cannot see.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

struct Rule {
    const char* folder;  // relative to the repository root, searched recursively
    const char* why;
    std::regex forbidden;  // matched against each line
};

const std::vector<Rule>& rules() {
    static const std::vector<Rule> all = {
        {"core", "core is the domain: no UI, network or database, and no program's code",
         std::regex(R"(#\s*include\s*[<"](imgui|GLFW/|curl/|sqlite3|httplib|kiosk/|district/|sync/))")},
        {"common", "common is plumbing: it knows no product code",
         std::regex(R"(#\s*include\s*"(core|kiosk|district|sync)/)")},
        {"kiosk", "the kiosk never includes the district's code", std::regex(R"(#\s*include\s*"district/)")},
        {"district", "the district never includes the kiosk's code", std::regex(R"(#\s*include\s*"kiosk/)")},
        {"sync/protocol", "the wire protocol does no I/O and knows neither program",
         std::regex(R"(#\s*include\s*[<"](curl/|sqlite3|httplib|kiosk/|district/))")},
        {"kiosk/service", "the use cases draw nothing, speak no HTTP and leave CUPS to kiosk/printing",
         std::regex(R"(#\s*include\s*[<"](imgui|GLFW/|httplib|curl/|cups/|kiosk/ui/|kiosk/app/))")},
        {"kiosk/ui",
         "screens and widgets run no SQL, speak no HTTP and print nothing themselves; they ask kiosk/voice "
         "to speak",
         std::regex(
             R"(#\s*include\s*[<"](sqlite3|httplib|curl/|cups/|kiosk/store/|kiosk/printing/|sync/|espeak-ng/|alsa/))")},
        {"papers", "papers lay out and draw: no database, network, printer or program code",
         std::regex(R"(#\s*include\s*[<"](sqlite3|httplib|curl/|cups/|imgui|GLFW/|kiosk/|district/|sync/))")},
        {"kiosk/printing", "printing draws no screen, syncs nothing and is below the use cases",
         std::regex(
             R"(#\s*include\s*[<"](imgui|GLFW/|httplib|curl/|kiosk/ui/|kiosk/app/|kiosk/service/|sync/))")},
        {"kiosk/voice", "the voice draws nothing, stores nothing, speaks no HTTP and knows no screen",
         std::regex(
             R"(#\s*include\s*[<"](imgui|GLFW/|sqlite3|httplib|curl/|kiosk/(ui|app|store|service|cli)/|sync/))")},
    };
    return all;
}

// Every offending line under `folder`, as "file:line: text".
std::vector<std::string> violations(const Rule& rule) {
    std::vector<std::string> found;
    const std::filesystem::path root = std::filesystem::path(KIOSK_SOURCE_DIR) / rule.folder;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        const auto ext = entry.path().extension();
        if (ext != ".h" && ext != ".cpp") continue;
        std::ifstream in(entry.path());
        std::string line;
        for (int lineNo = 1; std::getline(in, line); ++lineNo)
            if (std::regex_search(line, rule.forbidden))
                found.push_back(entry.path().lexically_relative(KIOSK_SOURCE_DIR).string() + ":" +
                                std::to_string(lineNo) + ": " + line);
    }
    return found;
}

int sourceFiles(const char* folder) {
    int files = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::filesystem::path(KIOSK_SOURCE_DIR) / folder)) {
        const auto ext = entry.path().extension();
        if (ext == ".h" || ext == ".cpp") ++files;
    }
    return files;
}

const Rule& ruleFor(const std::string& folder) {
    for (const Rule& rule : rules())
        if (folder == rule.folder) return rule;
    throw std::logic_error("no rule for " + folder);
}

}  // namespace

TEST_CASE("every layer includes only what it may") {
    for (const Rule& rule : rules()) {
        INFO(rule.folder << ": " << rule.why);
        REQUIRE(std::filesystem::is_directory(std::filesystem::path(KIOSK_SOURCE_DIR) / rule.folder));
        CHECK(sourceFiles(rule.folder) > 1);
        CHECK(violations(rule) == std::vector<std::string>{});
    }
}

TEST_CASE("the layering rules catch the includes they forbid") {
    auto catches = [](const char* folder, const std::string& line) {
        return std::regex_search(line, ruleFor(folder).forbidden);
    };
    CHECK(catches("core", "#include <sqlite3.h>"));
    CHECK(catches("core", "#  include \"imgui.h\""));
    CHECK(catches("core", "#include <GLFW/glfw3.h>"));
    CHECK(catches("core", "#include <curl/curl.h>"));
    CHECK(catches("core", "#include <httplib.h>"));
    CHECK(catches("core", "#include \"kiosk/store/kiosk_store.h\""));
    CHECK_FALSE(catches("core", "#include <string>"));
    CHECK_FALSE(catches("core", "#include \"common/result.h\""));
    CHECK(catches("common", "#include \"core/records.h\""));
    CHECK(catches("common", "#include \"district/store/district_store.h\""));
    CHECK_FALSE(catches("common", "#include <sqlite3.h>"));
    CHECK(catches("kiosk", "#include \"district/store/district_store.h\""));
    CHECK_FALSE(catches("kiosk", "#include \"sync/client/sync_engine.h\""));
    CHECK(catches("district", "#include \"kiosk/store/kiosk_store.h\""));
    CHECK_FALSE(catches("district", "#include \"core/state_machine.h\""));
    CHECK(catches("kiosk/ui", "#include \"kiosk/store/kiosk_store.h\""));
    CHECK(catches("kiosk/service", "#include \"imgui.h\""));
    CHECK(catches("kiosk/service", "#include <cups/cups.h>"));
    CHECK(catches("kiosk/ui", "#include \"kiosk/printing/print_queue.h\""));
    CHECK(catches("papers", "#include \"kiosk/store/kiosk_store.h\""));
    CHECK(catches("papers", "#include <cups/cups.h>"));
    CHECK_FALSE(catches("papers", "#include <pango/pangocairo.h>"));
    CHECK(catches("kiosk/printing", "#include \"kiosk/service/store_controller.h\""));
    CHECK_FALSE(catches("kiosk/printing", "#include <cups/cups.h>"));
    CHECK(catches("kiosk/ui", "#include <espeak-ng/speak_lib.h>"));
    CHECK_FALSE(catches("kiosk/ui", "#include \"kiosk/voice/speaker.h\""));
    CHECK(catches("kiosk/voice", "#include \"imgui.h\""));
    CHECK(catches("kiosk/voice", "#include \"kiosk/ui/screen.h\""));
    CHECK_FALSE(catches("kiosk/voice", "#include <espeak-ng/espeak_ng.h>"));
}
