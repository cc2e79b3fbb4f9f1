#include <catch2/catch.hpp>

#include <vector>

#include "common/args.h"

using kiosk::common::OptionSpec;
using kiosk::common::parseArguments;

namespace {

kiosk::Result<kiosk::common::Arguments> parse(std::vector<const char*> words) {
    words.insert(words.begin(), "prog");
    const OptionSpec spec{{"db", "type"}, {"json", "overdue"}};
    return parseArguments(int(words.size()), words.data(), spec);
}

}  // namespace

TEST_CASE("args: a command, its words and the options the program knows") {
    auto args = parse({"submit-petition", "--type", "kien-nghi", "--db=/tmp/k.db", "--json", "extra"});
    REQUIRE(args);
    CHECK(args->command == "submit-petition");
    CHECK(args->positional == std::vector<std::string>{"extra"});
    CHECK(args->get("type") == "kien-nghi");
    CHECK(args->get("db") == "/tmp/k.db");
    CHECK(args->has("json"));
    CHECK_FALSE(args->has("overdue"));
    CHECK_FALSE(args->get("missing").has_value());
}

TEST_CASE("args: an unknown option is refused and named") {
    auto args = parse({"submit-petition", "--type", "kien-nghi", "--bogus-flag", "12"});
    REQUIRE_FALSE(args);
    CHECK(args.error().code == "args.unknown");
    CHECK(args.error().en == "Unknown option: --bogus-flag.");
    CHECK(args.error().vi.find("--bogus-flag") != std::string::npos);
}

TEST_CASE("args: a value option needs its value, a flag takes none") {
    auto missing = parse({"list", "--db"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == "args.value");
    auto valued = parse({"list", "--json=yes"});
    REQUIRE_FALSE(valued);
    CHECK(valued.error().code == "args.no-value");
}

TEST_CASE("args: -h is help, and after -- every word is a word") {
    auto args = parse({"-h", "status", "--", "--not-an-option"});
    REQUIRE(args);
    CHECK(args->has("help"));
    CHECK(args->command == "status");
    CHECK(args->positional == std::vector<std::string>{"--not-an-option"});
}

TEST_CASE("args: the language is read before the arguments are parsed") {
    const char* en[] = {"prog", "--bogus", "--lang", "en"};
    CHECK(kiosk::common::languageFromCommandLine(4, en) == kiosk::Lang::En);
    const char* enEq[] = {"prog", "--lang=en"};
    CHECK(kiosk::common::languageFromCommandLine(2, enEq) == kiosk::Lang::En);
    const char* vi[] = {"prog", "--lang", "vi"};
    CHECK(kiosk::common::languageFromCommandLine(3, vi) == kiosk::Lang::Vi);
}
