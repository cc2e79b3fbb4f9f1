// No level name in code or in a UI string: since July 2025 the unit above the communes may be a
// district or a province, and the commune's desk has a new name, so every text that names them takes
// the words from the deployment's data (core/deployment_words.h). This reads strings.tsv, the
// dashboard's pages and every string literal of the product's sources, and fails on a level word.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/text.h"

namespace {

const std::filesystem::path kRoot = KIOSK_SOURCE_DIR;

// Vietnamese words that name a level or the desk; a name like "xã" stays: communes are the product.
const std::regex kVietnamese(R"((H|h)uyện|(T|t)ỉnh|(Q|q)uận|một cửa)");
// The same in the English texts of strings.tsv.
const std::regex kEnglish(R"((D|d)istrict|(P|p)rovince|one-stop)");

// Keys of strings.tsv that may keep a level word, each with the reason.
const std::map<std::string, std::string> kAllowedKeys = {
    {"petition.to-cao.confidential",
     "names who may read a denouncer's identity: that role's words come "
     "with the denouncer-identity role's data"},
    {"officer.identity_hidden", "the same role, on the officer console"},
};

// Source files whose literals may keep a level word, each with the reason.
const std::map<std::string, std::string> kAllowedSources = {
    {"core/reference_data.cpp",
     "messages about the columns of units.tsv and cccd_provinces.tsv, for the "
     "administrator who edits them: they name the level a row describes"},
    {"district/review/report.cpp", "the review report's header and rows are worded by the report"},
};

// Lines of the dashboard that may keep a level word, each with the reason.
const std::map<std::string, std::string> kAllowedDashboardLines = {
    {R"(row("Toàn huyện")", "the review report's total row, worded with the report"},
};

std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

struct Literal {
    int line = 0;
    std::string text;
};

// The string literals of a C++ source, comments skipped ("…", R"d(…)d", with escapes kept as written).
std::vector<Literal> stringLiterals(const std::string& src) {
    std::vector<Literal> out;
    int line = 1;
    size_t i = 0;
    auto advance = [&](size_t to) {
        for (; i < to && i < src.size(); ++i)
            if (src[i] == '\n') ++line;
    };
    while (i < src.size()) {
        if (src.compare(i, 2, "//") == 0) {
            advance(src.find('\n', i) == std::string::npos ? src.size() : src.find('\n', i));
        } else if (src.compare(i, 2, "/*") == 0) {
            const size_t end = src.find("*/", i + 2);
            advance(end == std::string::npos ? src.size() : end + 2);
        } else if (src.compare(i, 2, "R\"") == 0) {
            const size_t open = src.find('(', i);
            const std::string close = ")" + src.substr(i + 2, open - i - 2) + "\"";
            const size_t end = src.find(close, open);
            out.push_back({line, src.substr(open + 1, end - open - 1)});
            advance(end + close.size());
        } else if (src[i] == '"' || src[i] == '\'') {
            const char quote = src[i];
            size_t j = i + 1;
            while (j < src.size() && src[j] != quote && src[j] != '\n') j += src[j] == '\\' ? 2 : 1;
            if (quote == '"') out.push_back({line, src.substr(i + 1, j - i - 1)});
            advance(j + 1);
        } else {
            advance(i + 1);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("level words: no text of strings.tsv names a level or the desk") {
    std::vector<std::string> found;
    int rows = 0;
    for (const std::string& line : lines(readText(kRoot / "assets" / "strings.tsv"))) {
        if (line.empty() || line[0] == '#' || line.rfind("key\t", 0) == 0) continue;
        const size_t tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
        if (tab1 == std::string::npos || tab2 == std::string::npos) continue;
        ++rows;
        const std::string key = line.substr(0, tab1);
        if (kAllowedKeys.count(key)) continue;
        if (std::regex_search(line.substr(tab1 + 1, tab2 - tab1 - 1), kVietnamese) ||
            std::regex_search(line.substr(tab2 + 1), kEnglish))
            found.push_back(line);
    }
    CHECK(rows > 300);
    for (const std::string& line : found) UNSCOPED_INFO(line);
    CHECK(found.empty());
}

TEST_CASE("level words: the dashboard's pages name no level or desk") {
    std::vector<std::string> found;
    for (const char* name : {"app.html", "login.html", "app.js"}) {
        const auto text = readText(kRoot / "assets" / "dashboard" / name);
        REQUIRE_FALSE(text.empty());
        int lineNo = 0;
        for (const std::string& line : lines(text)) {
            ++lineNo;
            const std::string code = line.substr(0, line.find("// "));  // a comment is for developers
            if (!std::regex_search(code, kVietnamese)) continue;
            bool allowed = false;
            for (const auto& [fragment, why] : kAllowedDashboardLines)
                allowed |= code.find(fragment) != std::string::npos;
            if (!allowed) found.push_back(std::string(name) + ":" + std::to_string(lineNo) + ": " + line);
        }
    }
    for (const std::string& line : found) UNSCOPED_INFO(line);
    CHECK(found.empty());
}

TEST_CASE("level words: no string literal of the product's sources names a level or the desk") {
    std::vector<std::string> found;
    int files = 0;
    for (const char* folder : {"common", "core", "sync", "kiosk", "district"}) {
        for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot / folder)) {
            const auto ext = entry.path().extension();
            if (ext != ".h" && ext != ".cpp") continue;
            ++files;
            const std::string relative = entry.path().lexically_relative(kRoot).generic_string();
            if (kAllowedSources.count(relative)) continue;
            for (const Literal& literal : stringLiterals(readText(entry.path())))
                if (std::regex_search(literal.text, kVietnamese))
                    found.push_back(relative + ":" + std::to_string(literal.line) + ": " + literal.text);
        }
    }
    CHECK(files > 100);
    for (const std::string& line : found) UNSCOPED_INFO(line);
    CHECK(found.empty());
}

TEST_CASE("level words: the literal reader skips comments and reads raw strings") {
    const auto literals =
        stringLiterals("// \"huyện\"\nint a = 'x'; /* \"tỉnh\" */ f(\"một\", R\"x(hai \"ba\")x\");\n");
    REQUIRE(literals.size() == 2);
    CHECK(literals[0].text == "một");
    CHECK(literals[0].line == 2);
    CHECK(literals[1].text == "hai \"ba\"");
}

// One term per concept (docs/domain.md "Words the screens use"): the kiosk says "đơn" and names a
// petition by its kind; the dashboard says the same, never the officialese "đơn thư".
TEST_CASE("words: the dashboard's pages say đơn, never đơn thư") {
    const std::regex officialese(R"((Đ|đ)ơn thư)");
    std::vector<std::string> found;
    for (const char* name : {"app.html", "login.html", "app.js"}) {
        int lineNo = 0;
        for (const std::string& line : lines(readText(kRoot / "assets" / "dashboard" / name))) {
            ++lineNo;
            const std::string code = line.substr(0, line.find("// "));
            if (std::regex_search(code, officialese))
                found.push_back(std::string(name) + ":" + std::to_string(lineNo) + ": " + line);
        }
    }
    for (const char* file : {"district/dashboard/records.cpp", "district/dashboard/overview.cpp",
                             "district/dashboard/pages.cpp", "district/dashboard/office_api.cpp"})
        for (const Literal& literal : stringLiterals(readText(kRoot / file)))
            if (std::regex_search(literal.text, officialese))
                found.push_back(std::string(file) + ":" + std::to_string(literal.line) + ": " + literal.text);
    for (const std::string& line : found) UNSCOPED_INFO(line);
    CHECK(found.empty());
}

// Unit names come from data as they stand at the start of a line ("Xã Bạch Xa"). A text that puts
// one after other words ("Ủy ban nhân dân {0}", "nay là {0}") must get it in sentence form
// (unitNameMidSentence / the dashboard's inSentence), or the screen reads "Ủy ban nhân dân Xã".
TEST_CASE("words: a unit's name after other words is written in sentence form") {
    // Keys whose Vietnamese text has {0} after a word, filled with a unit's name somewhere.
    std::vector<std::string> keys;
    for (const std::string& line : lines(readText(kRoot / "assets" / "strings.tsv"))) {
        const size_t tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
        if (line.empty() || line[0] == '#' || tab2 == std::string::npos) continue;
        const std::string vi = line.substr(tab1 + 1, tab2 - tab1 - 1);
        const size_t at = vi.find("{0}");
        if (at != std::string::npos && at > 0) keys.push_back(line.substr(0, tab1));
    }
    REQUIRE(keys.size() > 10);
    // Calls trf("key", {NAME …}) where NAME is a unit's name from the data.
    const std::regex call(R"re(trf\("([a-z_.\-]+)",\s*\{([^,}]*))re");
    const std::regex unitName(R"(communeName\(\)|successorName|orphaned->name)");
    std::vector<std::string> found;
    int calls = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot / "kiosk")) {
        if (entry.path().extension() != ".cpp") continue;
        const std::string text = readText(entry.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), call); it != std::sregex_iterator();
             ++it) {
            const std::string key = (*it)[1], first = (*it)[2];
            if (std::find(keys.begin(), keys.end(), key) == keys.end() || !std::regex_search(first, unitName))
                continue;
            ++calls;
            if (first.find("unitNameMidSentence(") == std::string::npos)
                found.push_back(entry.path().filename().string() + ": " + key + " <- " + first);
        }
    }
    CHECK(calls >= 2);
    for (const std::string& line : found) UNSCOPED_INFO(line);
    CHECK(found.empty());
    // The dashboard: a name after "nay là", "gồm cả", "Đơn vị" goes through inSentence().
    const std::string js = readText(kRoot / "assets" / "dashboard" / "app.js");
    const std::regex bare(R"re((nay là |gồm cả |Đơn vị )"\s*\+\s*[a-z.]+\.name)re");
    CHECK_FALSE(std::regex_search(js, bare));
}

TEST_CASE("words: unitNameMidSentence lowers the level word and keeps the proper name") {
    CHECK(kiosk::unitNameMidSentence("Xã Bạch Xa") == "xã Bạch Xa");
    CHECK(kiosk::unitNameMidSentence("Thị trấn Tân Yên") == "thị trấn Tân Yên");
    CHECK(kiosk::unitNameMidSentence("Đặc khu Côn Đảo") == "đặc khu Côn Đảo");
    CHECK(kiosk::unitNameMidSentence("Ủy ban") == "ủy ban");
    CHECK(kiosk::unitNameMidSentence("Ấp Một") == "ấp Một");
    CHECK(kiosk::unitNameMidSentence("xã Hàm Yên") == "xã Hàm Yên");
    CHECK(kiosk::unitNameMidSentence("") == "");
}
