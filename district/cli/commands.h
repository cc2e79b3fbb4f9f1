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

}  // namespace kiosk::district
