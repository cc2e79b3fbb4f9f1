#pragma once
// One command-line parser for every program (kiosk, kioskctl, district-server) and the exit codes
// they share. A program names the options it knows; anything else starting with "--" is refused
// with one line naming it, so a mistyped option never passes silently.
//   program [COMMAND] [ARGS] --name VALUE --name=VALUE --flag -h
// Option names are given and kept without their leading "--"; "-h" is "help"; "--" ends the options.
// Pure parsing, any thread.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kiosk::common {

// Exit codes (the command-line contract): 0 done; 1 internal error; 2 bad input or refused — one
// clear line on stderr, nothing changed; 3 temporarily impossible (server unreachable) — try later.
enum Exit { kOk = 0, kInternal = 1, kBadInput = 2, kTryLater = 3 };

struct OptionSpec {
    std::set<std::string> values;  // options that take a value: "db" for --db FILE
    std::set<std::string> flags;   // options without a value: "json" for --json
    bool command = true;           // the first word that is not an option is the command
};

struct Arguments {
    std::string command;                         // "" when the spec has none or none was given
    std::vector<std::string> positional;         // the other words, in order
    std::map<std::string, std::string> options;  // "db" -> "/var/lib/..."; the last one given wins
    std::set<std::string> flags;                 // "json"
    // Every value given, option by option in the order given: for options that may repeat.
    std::multimap<std::string, std::string> all;

    bool has(std::string_view flag) const;
    std::optional<std::string> get(std::string_view name) const;
    // Every value given for a repeatable option, in the order given.
    std::vector<std::string> getAll(std::string_view name) const;
};

// Parses argv[1..argc). The Error (code "args.unknown", "args.value" or "args.no-value") names the
// offending option in both languages.
Result<Arguments> parseArguments(int argc, const char* const* argv, const OptionSpec& spec);

// The language of the messages before the arguments are parsed: "--lang en" or "--lang=en"
// anywhere on the line, else KIOSK_LANG=en, else Vietnamese.
Lang languageFromCommandLine(int argc, const char* const* argv);

}  // namespace kiosk::common
