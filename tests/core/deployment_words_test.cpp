// The deployment's words: strings.tsv names the unit above the communes and the commune's desk
// only through placeholders, and the unit map and words.tsv of the deployment fill them — the
// default 18-commune map says "huyện Hàm Yên", the 2025 map "tỉnh Tuyên Quang", and the desk's
// name follows the map and the date.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <filesystem>

#include "core/deployment_words.h"
#include "core/reference_data.h"
#include "core/strings.h"
#include "tests/support/temp_dir.h"

using namespace kiosk;

namespace {

const std::filesystem::path kAssets = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";

// A copy of assets/ whose unit map and words are the 2025 map's, as an administrator deploys it.
void copy2025Assets(const std::filesystem::path& to) {
    std::filesystem::copy(kAssets, to, std::filesystem::copy_options::recursive);
    for (const char* name : {"units.tsv", "succession.tsv", "words.tsv"}) {
        std::filesystem::copy_file(kAssets / "maps" / "tuyen-quang-2025" / name, to / name,
                                   std::filesystem::copy_options::overwrite_existing);
    }
}

Strings stringsWith(const std::filesystem::path& assets, const Date& day) {
    auto strings = Strings::load(kAssets / "strings.tsv");
    REQUIRE(strings);
    auto words = loadDeploymentWords(assets, day);
    REQUIRE(words);
    strings->setWords(*words);
    return *strings;
}

}  // namespace

TEST_CASE("deployment words: the default map says huyện Hàm Yên, the 2025 map tỉnh Tuyên Quang") {
    const Date day{2026, 1, 15};
    const Strings byDefault = stringsWith(kAssets, day);
    CHECK(byDefault.get("home.online", Lang::Vi) == "Đã kết nối với huyện Hàm Yên");
    CHECK(byDefault.get("home.online", Lang::En) == "Connected to Hàm Yên district");
    CHECK(byDefault.get("app.district", Lang::Vi) == "Huyện Hàm Yên, tỉnh Tuyên Quang");

    testing_support::TempDir dir;
    copy2025Assets(dir.path() / "assets");
    const Strings merged = stringsWith(dir.path() / "assets", day);
    CHECK(merged.get("home.online", Lang::Vi) == "Đã kết nối với tỉnh Tuyên Quang");
    CHECK(merged.get("home.online", Lang::En) == "Connected to Tuyên Quang province");
    CHECK(merged.get("app.district", Lang::Vi) == "Tỉnh Tuyên Quang");
    CHECK(merged.get("officer.actor.district", Lang::Vi) == "cấp tỉnh");
    // Before the merger the 2025 map still has its district.
    const Strings before = stringsWith(dir.path() / "assets", Date{2025, 6, 30});
    CHECK(before.get("home.online", Lang::Vi) == "Đã kết nối với huyện Hàm Yên");
}

TEST_CASE("deployment words: the desk's name switches with the map and its date") {
    CHECK(stringsWith(kAssets, Date{2026, 1, 15}).get("common.ask_desk", Lang::Vi) ==
          "Hỏi tại bộ phận một cửa");
    testing_support::TempDir dir;
    copy2025Assets(dir.path() / "assets");
    const Strings merged = stringsWith(dir.path() / "assets", Date{2025, 7, 1});
    CHECK(merged.get("common.ask_desk", Lang::Vi) == "Hỏi tại Trung tâm Phục vụ hành chính công xã");
    CHECK(merged.get("common.ask_desk", Lang::En) ==
          "Ask at the commune public administration service centre");
    CHECK(stringsWith(dir.path() / "assets", Date{2025, 6, 30}).get("common.ask_desk", Lang::Vi) ==
          "Hỏi tại bộ phận một cửa");
}

TEST_CASE("deployment words: a name without a word stays visible, setWords can be called again") {
    auto strings = Strings::parse("key\tvi\ten\na\tHỏi tại {desk}, {0}, {nope}, {Desk}\tAsk at the {desk}\n");
    REQUIRE(strings);
    strings->setWords({{"desk", {"quầy", "counter"}}});
    CHECK(strings->get("a", Lang::Vi) == "Hỏi tại quầy, {0}, {nope}, {Desk}");
    CHECK(strings->get("a", Lang::En) == "Ask at the counter");
    strings->setWords({{"desk", {"trung tâm", "centre"}}});
    CHECK(strings->get("a", Lang::Vi) == "Hỏi tại trung tâm, {0}, {nope}, {Desk}");
    CHECK(strings->pattern("a", Lang::Vi) == "Hỏi tại {desk}, {0}, {nope}, {Desk}");
}

TEST_CASE("deployment words: words.tsv refuses a bad key, a missing text and overlapping periods") {
    const std::string header = "key\tvi\ten\tvalid_from\tvalid_to\n";
    CHECK(
        parseDeploymentWords(header + "desk\tquầy\tcounter\t\t2025-06-30\ndesk\tTT\tcentre\t2025-07-01\t\n"));
    CHECK_FALSE(parseDeploymentWords(header + "Desk\tquầy\tcounter\t\t\n"));
    CHECK_FALSE(parseDeploymentWords(header + "desk\t\tcounter\t\t\n"));
    CHECK_FALSE(parseDeploymentWords(header + "desk\tquầy\tcounter\t2025-13-01\t\n"));
    CHECK_FALSE(
        parseDeploymentWords(header + "desk\tquầy\tcounter\t\t2025-07-01\ndesk\tTT\tcentre\t2025-07-01\t\n"));
    CHECK_FALSE(parseDeploymentWords(header + "desk\tquầy\tcounter\t2025-07-02\t2025-07-01\n"));
}
