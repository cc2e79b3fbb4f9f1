#pragma once
// copyDistrictStore: the district's SQLite file copied into an empty PostgreSQL database
// (`district-server migrate-store`, docs/postgresql.md "Moving a district to PostgreSQL").
//
// It is: the target migrated to the same schema version as the source, then every table's rows
// copied in one transaction (in the order SQLite stored them, so the events' storing order and the
// change feed's sequence numbers stay the same; identity sequences continue after the copied
// values), and each table's row count compared. The store id is copied too: kiosks' cursors stay
// valid. It is not: the key file (the caller checks that it opens the copied seals, keys.h).
// Refuses ("migrate.not-empty") a target that already holds a district schema.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace kiosk::district {

struct CopiedTable {
    std::string name;
    int64_t rows = 0;
};

// progress(line) is called per table and every 10 000 rows, in English and Vietnamese.
Result<std::vector<CopiedTable>> copyDistrictStore(const std::string& fromFile, const std::string& toUri,
                                                   const std::function<void(const std::string&)>& progress);

}  // namespace kiosk::district
