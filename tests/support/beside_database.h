#pragma once
// A file beside the district's database, for tests that run on both engines (temp_dir.h).
#include <string>

namespace testing_support {

// db + suffix for an SQLite file; for a PostgreSQL URI the same name under the database's name in
// the test's directory (where TempDir::file put STATE_DIRECTORY).
std::string besideDatabase(const std::string& db, const std::string& suffix);

}  // namespace testing_support
