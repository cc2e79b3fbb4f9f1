#pragma once
// Versioned schema migrations, the same for every database: PRAGMA user_version (PostgreSQL: the
// table kiosk_schema_version, Database::userVersion) counts the
// migrations applied; each further one runs in its own write transaction with the version bump, so
// a crash leaves the file at one version or the next. A file newer than the code ("db.too-new") is
// refused untouched. Another process migrating the same file at the same time is waited for (the
// write lock) and not repeated.
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "common/database.h"
#include "common/result.h"

namespace kiosk::store {

// Called inside migration `version`'s transaction, after its SQL (e.g. to fill rows it created).
using AfterMigration = std::function<Outcome(Database& db, int64_t version)>;

Outcome applyMigrations(Database& db, std::span<const std::string_view> migrations,
                        const AfterMigration& after = {});

}  // namespace kiosk::store
