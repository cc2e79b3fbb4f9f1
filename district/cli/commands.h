#pragma once
// The district-server commands of the district's own work (docs/ARCHITECTURE.md "The command-line
// contract"): officer add|disable|reset-password|list, act, report, import holidays|catalog,
// reception add|list. district/cli/main.cpp parses the command line (the options listed here join
// its own) and hands these commands over; serve, enroll-kiosk and the rest stay in main.cpp.
// Exit codes as everywhere (common::Exit): 0 success; 1 internal error; 2 bad input or refused — one line on
// stderr, nothing changed. Messages in Vietnamese unless --lang en.
// Runs on the main thread of a short-lived process; opens its own connection to the database, so it
// is safe while `serve` runs on the same file.
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/args.h"
#include "common/result.h"

namespace kiosk::district {

// The command line as common/args.h parsed it (option names without "--": "note" -> value).
struct DistrictCommandLine : common::Arguments {
    Lang lang = Lang::Vi;
    bool json = false;
    std::string dbPath;
};

bool isDistrictCommand(std::string_view command);
// The options these commands add to district-server's own, without "--".
const std::set<std::string>& districtValueOptions();
const std::set<std::string>& districtFlagOptions();
// Usage of one command (for --help), or nullopt when it is not one of these.
std::optional<std::string> districtCommandHelp(std::string_view command, Lang lang);
// One line per command for the general usage text.
std::string districtCommandsSummary(Lang lang);

int runDistrictCommand(const DistrictCommandLine& commandLine);

// One line "district-server: …" on stderr in the command line's language; returns `code`.
int failCommand(const DistrictCommandLine& commandLine, const std::string& vi, const std::string& en,
                int code);
// The same for an Error: storage trouble ("db.*" other than db.missing and db.too-new) and "crypto"
// are internal (exit 1); everything else is a refusal of what was asked (exit 2).
int failCommand(const DistrictCommandLine& commandLine, const Error& error);

}  // namespace kiosk::district
