#pragma once
// district-server commune-officer add|disable|list: the signing keys of commune officers whose
// actions kiosks push (district/office/commune_officers.h). Wired in by commands.cpp.
#include <string>

#include "district/cli/commands.h"

namespace kiosk::district {

int runCommuneOfficerCommand(const DistrictCommandLine& commandLine);
std::string communeOfficerHelp(Lang lang);

}  // namespace kiosk::district
