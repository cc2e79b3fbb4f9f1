#pragma once
// The district-server commands of the district's own work (docs/ARCHITECTURE.md "The command-line
// contract"): officer add|disable|reset-password|list, act, report, import holidays|catalog,
// reception add|list. district/cli/main.cpp parses the command line (the options listed here join
// its own) and hands these commands over; serve, enroll-kiosk and the rest stay in main.cpp.
// Exit codes as everywhere: 0 success; 1 internal error; 2 bad input or refused — one line on
// stderr, nothing changed. Messages in Vietnamese unless --lang en.
// Runs on the main thread of a short-lived process; opens its own connection to the database, so it
// is safe while `serve` runs on the same file.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kiosk::district {

struct DistrictCommandLine {
    std::string command;
    std::vector<std::string> positional;         // after the command name
    std::map<std::string, std::string> options;  // "--note" -> value
    std::set<std::string> flags;                 // "--csv"
    Lang lang = Lang::Vi;
    bool json = false;
    std::string dbPath;
};

bool isDistrictCommand(std::string_view command);
const std::set<std::string>& districtValueOptions();
const std::set<std::string>& districtFlagOptions();
// Usage of one command (for --help), or nullopt when it is not one of these.
std::optional<std::string> districtCommandHelp(std::string_view command, Lang lang);
// One line per command for the general usage text.
std::string districtCommandsSummary(Lang lang);

int runDistrictCommand(const DistrictCommandLine& commandLine);

}  // namespace kiosk::district
