#pragma once
// district-server backup|restore: the district's database and key file copied, checked and rotated,
// and put back (district/office/backup.h). Wired in by commands.cpp.
#include <string>

#include "district/cli/commands.h"

namespace kiosk::district {

int runBackupCommand(const DistrictCommandLine& commandLine);
int runRestoreCommand(const DistrictCommandLine& commandLine);
std::string backupHelp(Lang lang);
std::string restoreHelp(Lang lang);

}  // namespace kiosk::district
