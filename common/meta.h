#pragma once
// The key/value table both programs keep their settings and marks in:
//   CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)
// (created by each program's own migrations). One connection per thread, as Database.
#include <cstdint>
#include <optional>
#include <string>

#include "common/database.h"
#include "common/result.h"

namespace kiosk::store {

// The value under key, or fallback when there is none (or the read failed).
std::string readMeta(Database& db, const std::string& key, const std::string& fallback = "");
// The value under key as a whole decimal integer; std::nullopt when there is none, or when it is
// not one (a damaged or hand-edited value: callers decide what stands in for it).
std::optional<int64_t> readMetaInteger(Database& db, const std::string& key);
// The same test on a value already read.
std::optional<int64_t> parseMetaInteger(const std::string& text);
// Inserts or replaces the value under key (inside the caller's transaction, when there is one).
Outcome writeMeta(Database& db, const std::string& key, const std::string& value);

}  // namespace kiosk::store
