#pragma once
// district-server migrate-store --from FILE --to postgresql://… [--key-file FILE]: the district's
// SQLite file copied into an empty PostgreSQL database (district/store/store_copy.h), then checked:
// every table's row count, and the key file opening the copied seals. Wired in by commands.cpp.
#include <string>

#include "district/cli/commands.h"

namespace kiosk::district {

int runMigrateStoreCommand(const DistrictCommandLine& commandLine);
std::string migrateStoreHelp(Lang lang);

}  // namespace kiosk::district
