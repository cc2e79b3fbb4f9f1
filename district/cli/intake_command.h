#pragma once
// district-server intake: a petition received on paper at the server (by post or in person)
// becomes a record of the server's own (district/office/intake.h). Wired in by commands.cpp.
#include <set>
#include <string>

#include "district/cli/commands.h"

namespace kiosk::district {

int runIntakeCommand(const DistrictCommandLine& commandLine);
std::string intakeHelp(Lang lang);
// The options intake adds to district-server's own, without "--".
const std::set<std::string>& intakeValueOptions();

}  // namespace kiosk::district
