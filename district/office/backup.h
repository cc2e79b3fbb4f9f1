#pragma once
// Backups and restores of the district: the database and its key file together, because one without
// the other is no backup (a database whose seals no key opens, or keys with no records).
//
// A backup is an online, consistent copy taken while kiosks push (SQLite's backup API in one read
// transaction, common/database.h copyTo), checked before it counts: PRAGMA integrity_check on the
// copy, and the copied key file must open a seal made to the copy's current public key. Only then
// are the files renamed to their final names, so a backup killed halfway leaves a hidden
// ".partial" file (removed by the next backup) and never a set that looks whole. Sets are
// "district-YYYYMMDDTHHMMSSZ.db" and the same name + ".keys", mode 0600, the newest `keep` kept.
//
// A restore checks the backup before it touches anything: a district database (its tables), an
// intact file, a schema this program knows, the same district as the target when the target still
// exists (the district key's identity), and a key file that opens its seals. The target is replaced
// in one rename, with its stale -wal and -shm files removed first; it refuses while a server holds
// the target open. Kiosks then resend what the district acknowledged after the backup was taken
// (they keep every event and reopen those above the district's mark: docs/sync-protocol.md).
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

struct BackupSet {
    std::string database;              // the copied database
    std::string keyFile;               // the copied key file; "" when the district has no key yet
    int64_t bytes = 0;                 // size of the database copy
    std::vector<std::string> removed;  // older sets removed to keep `keep`
};

// Errors: "backup.dir" (cannot make or write outDir), "backup.integrity", "backup.key" (the key
// file is missing or does not open a seal), "db.*". On error no new set is left in outDir.
Result<BackupSet> backupDistrict(DistrictStore& store, const std::string& outDir, int keep, int64_t nowMs);

struct RestoreResult {
    std::string database;
    std::string keyFile;       // where the key file now is
    bool keyFileKept = false;  // an existing key file that opens the backup's seals was kept
};

// Errors: "restore.missing", "restore.foreign" (not a district database, or another district's),
// "restore.integrity", "restore.too-new", "restore.key", "db.busy" (the target is open in a running
// server: stop it first). On error the target and its key file are untouched.
Result<RestoreResult> restoreDistrict(const std::string& backupFile, const std::string& target);

// `serve` holds an exclusive lock (flock) on "<db>.serving" while it runs, so a restore (and a second
// server) can tell the database is in use even while it is idle. Returns the open descriptor, kept
// for the life of the process; error "db.busy" when another process holds it.
Result<int> holdServingLock(const std::string& dbPath);

}  // namespace kiosk::district
