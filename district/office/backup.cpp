// Backups and restores of the district's database and key file (backup.h).
#include "district/office/backup.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "common/database.h"
#include "common/meta.h"
#include "common/private_file.h"
#include "district/office/keys.h"
#include "district/store/schema.h"

namespace kiosk::district {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMetaPublicKey = "district_pk";
constexpr const char* kMetaDistrictKey = "district_key";
constexpr const char* kMetaKeyFile = "district_key_file";

// "20261205T041500Z" for the UTC time of nowMs.
std::string stamp(int64_t nowMs) {
    const std::time_t seconds = static_cast<std::time_t>(nowMs / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

// fsync of a directory, so a rename in it survives a power cut.
void syncDirectory(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

void removeQuietly(const fs::path& path) {
    std::error_code ec;
    fs::remove(path, ec);
}

// The identity part of the signed district key "ckd1.<id>.<identity>.<sealing key>.<sig>": the same
// district keeps it across key rotations.
std::string districtIdentity(store::Database& db) {
    const std::string key = store::readMeta(db, kMetaDistrictKey);
    size_t at = 0;
    for (int dots = 0; dots < 2; ++dots) {
        at = key.find('.', at);
        if (at == std::string::npos) return "";
        ++at;
    }
    return key.substr(at, key.find('.', at) - at);
}

Outcome copyKeyFile(const std::string& from, const std::string& to) {
    auto text = common::readPrivateFile(from);
    if (!text) return text.error();
    if (!*text)
        return makeError("backup.key", "Không thấy tệp khoá của máy chủ " + from + ".",
                         "The server's key file " + from + " is missing.");
    return common::writePrivateFile(to, **text);
}

// Backup sets in dir, newest first.
std::vector<fs::path> backupSets(const fs::path& dir) {
    std::vector<fs::path> sets;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind("district-", 0) == 0 && it->path().extension() == ".db") sets.push_back(it->path());
        // A set a killed backup left half made, with SQLite's side files of the copy (-journal,
        // -wal, -shm), which a copy killed mid-way leaves too.
        if (name.rfind(".district-", 0) == 0 && name.find(".partial") != std::string::npos)
            removeQuietly(it->path());
    }
    std::sort(sets.rbegin(), sets.rend());
    return sets;
}

Error backupError(const std::string& code, const std::string& vi, const std::string& en) {
    return makeError(code, vi, en);
}

// Copies the database to `partial` and checks it; returns the copy's public key ("" before any key).
Result<std::string> copyAndCheck(DistrictStore& store, const std::string& partial) {
    if (auto ok = store.database().copyTo(partial); !ok) return ok.error();
    auto copy = store::Database::open(partial, false);
    if (!copy) return copy.error();
    auto check = copy->integrityCheck();
    if (!check) return check.error();
    if (*check != "ok")
        return backupError("backup.integrity", "Bản sao không toàn vẹn: " + *check,
                           "The copy failed its integrity check: " + *check);
    return store::readMeta(*copy, kMetaPublicKey);
}

}  // namespace

namespace {

// Backup and restore copy an SQLite file with SQLite's backup API; a district on PostgreSQL is
// backed up with pgBackRest instead (docs/postgresql.md).
Error notOnPostgres(const std::string& command) {
    return makeError("backup.postgresql",
                     "district-server " + command +
                         " chỉ dùng cho tệp SQLite. Máy chủ chạy trên PostgreSQL được sao lưu và phục hồi "
                         "bằng pgBackRest (docs/postgresql.md); tệp khoá vẫn phải sao lưu riêng.",
                     "district-server " + command +
                         " works on an SQLite file only. A district on PostgreSQL is backed up and "
                         "restored with pgBackRest (docs/postgresql.md); back up its key file as well.");
}

}  // namespace

Result<BackupSet> backupDistrict(DistrictStore& store, const std::string& outDir, int keep, int64_t nowMs) {
    if (store.database().isPostgres()) return notOnPostgres("backup");
    std::error_code ec;
    fs::create_directories(outDir, ec);
    fs::permissions(outDir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (!fs::is_directory(outDir))
        return backupError("backup.dir", "Không tạo được thư mục sao lưu " + outDir + ".",
                           "Cannot create the backup directory " + outDir + ".");
    const fs::path dir(outDir);
    std::string name = "district-" + stamp(nowMs);
    for (int n = 2; fs::exists(dir / (name + ".db")); ++n)
        name = "district-" + stamp(nowMs) + "-" + std::to_string(n);
    const fs::path finalDb = dir / (name + ".db");
    const fs::path finalKeys = dir / (name + ".db.keys");
    const fs::path partialDb = dir / ("." + name + ".db.partial");
    const fs::path partialKeys = dir / ("." + name + ".db.keys.partial");
    auto cleanup = [&] {
        removeQuietly(partialDb);
        removeQuietly(partialKeys);
    };

    auto publicKey = copyAndCheck(store, partialDb.string());
    if (!publicKey) {
        cleanup();
        return publicKey.error();
    }
    BackupSet set;
    if (!publicKey->empty()) {
        Outcome keyOk = copyKeyFile(districtKeyFile(store), partialKeys.string());
        if (keyOk) keyOk = checkKeyFileOpens(partialKeys.string(), *publicKey);
        if (!keyOk) {
            cleanup();
            return backupError("backup.key", "Sao lưu tệp khoá không được: " + keyOk.error().vi,
                               "The key file could not be backed up: " + keyOk.error().en);
        }
        fs::rename(partialKeys, finalKeys, ec);
        set.keyFile = finalKeys.string();
    }
    fs::rename(partialDb, finalDb, ec);
    if (ec) {
        cleanup();
        removeQuietly(finalKeys);
        return backupError("backup.dir", "Không ghi được vào " + outDir + ".",
                           "Cannot write to " + outDir + ".");
    }
    syncDirectory(dir);
    set.database = finalDb.string();
    set.bytes = static_cast<int64_t>(fs::file_size(finalDb, ec));

    const std::vector<fs::path> sets = backupSets(dir);
    for (size_t i = static_cast<size_t>(std::max(keep, 1)); i < sets.size(); ++i) {
        removeQuietly(sets[i]);
        removeQuietly(sets[i].string() + ".keys");
        set.removed.push_back(sets[i].string());
    }
    return set;
}

namespace {

bool stepped(store::Statement& st) {
    auto row = st.step();
    return row && *row;
}

// Checks the copy at `partial` is a sound district database of a schema this program knows.
Outcome checkRestorable(store::Database& copy) {
    auto check = copy.integrityCheck();
    if (!check) return makeError("restore.integrity", "Tệp sao lưu hỏng.", "The backup file is damaged.");
    if (*check != "ok")
        return makeError("restore.integrity", "Tệp sao lưu không toàn vẹn: " + *check,
                         "The backup failed its integrity check: " + *check);
    auto tables = copy.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('kiosks', 'records', 'events', "
        "'meta')");
    if (!tables || !stepped(*tables) || tables->integer(0) != 4)
        return makeError("restore.foreign", "Tệp này không phải bản sao lưu cơ sở dữ liệu của máy chủ.",
                         "This file is not a backup of a district-server database.");
    auto version = copy.prepare("PRAGMA user_version");
    if (!version || !stepped(*version) ||
        version->integer(0) > static_cast<int64_t>(kDistrictMigrations.size()))
        return makeError("restore.too-new", "Bản sao lưu do một phiên bản mới hơn của chương trình tạo.",
                         "The backup was made by a newer version of this program.");
    return {};
}

// The key file the restored database will use, and whether it is already there.
Result<RestoreResult> placeKeyFile(store::Database& copy, const std::string& backupFile,
                                   const std::string& target) {
    RestoreResult result;
    result.database = target;
    const std::string named = store::readMeta(copy, kMetaKeyFile);
    result.keyFile = named.empty() ? target + ".keys" : named;
    const std::string publicKey = store::readMeta(copy, kMetaPublicKey);
    if (publicKey.empty()) return result;  // no key made yet: nothing to place
    if (fs::exists(result.keyFile)) {
        // A key file already in place is kept when it opens the backup's seals (it may hold keys
        // rotated since); one that does not is another district's or damaged: refuse.
        if (checkKeyFileOpens(result.keyFile, publicKey)) {
            result.keyFileKept = true;
            return result;
        }
        return makeError("restore.key",
                         "Tệp khoá " + result.keyFile +
                             " đang có không mở được dữ liệu của bản sao lưu; hãy chuyển "
                             "nó đi chỗ khác rồi chạy lại.",
                         "The key file " + result.keyFile +
                             " in place does not open the backup's data; move it away and run again.");
    }
    const std::string backupKeys = backupFile + ".keys";
    if (!fs::exists(backupKeys))
        return makeError("restore.key", "Thiếu tệp khoá " + backupKeys + " đi kèm bản sao lưu.",
                         "The key file " + backupKeys + " that goes with the backup is missing.");
    if (auto ok = checkKeyFileOpens(backupKeys, publicKey); !ok)
        return makeError("restore.key", "Tệp khoá của bản sao lưu không dùng được: " + ok.error().vi,
                         "The backup's key file cannot be used: " + ok.error().en);
    return result;
}

Error busy(const std::string& target) {
    return makeError("db.busy",
                     "Cơ sở dữ liệu " + target + " đang được dùng: hãy dừng máy chủ trước khi khôi phục.",
                     "The database " + target + " is in use: stop the server before restoring.");
}

// Refuses when a running server holds the target, or when the target is another district's.
Outcome checkTarget(store::Database& copy, const std::string& target) {
    if (auto lock = holdServingLock(target); !lock)
        return busy(target);
    else
        ::close(*lock);
    if (!fs::exists(target)) return {};
    auto current = store::Database::open(target, false);
    if (!current) return {};  // damaged beyond opening: that is what a restore is for
    if (!current->exec("PRAGMA busy_timeout = 200; BEGIN EXCLUSIVE")) return busy(target);
    (void)current->exec("ROLLBACK");
    const std::string mine = districtIdentity(*current);
    const std::string theirs = districtIdentity(copy);
    if (!mine.empty() && !theirs.empty() && mine != theirs)
        return makeError("restore.foreign", "Bản sao lưu là của một máy chủ khác (khoá định danh khác).",
                         "The backup belongs to another district server (a different identity key).");
    return {};
}

}  // namespace

Result<int> holdServingLock(const std::string& dbPath) {
    // A file lock beside an SQLite file; on PostgreSQL, restore is pgBackRest's and there is no file.
    if (store::isPostgresTarget(dbPath)) return -1;
    const std::string path = dbPath + ".serving";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return makeError("db.io", "Không mở được " + path + ".", "Cannot open " + path + ".");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return makeError("db.busy", "Một máy chủ khác đang chạy trên " + dbPath + ".",
                         "Another server is running on " + dbPath + ".");
    }
    return fd;
}

Result<RestoreResult> restoreDistrict(const std::string& backupFile, const std::string& target) {
    if (store::isPostgresTarget(target)) return notOnPostgres("restore");
    if (!fs::is_regular_file(backupFile))
        return makeError("restore.missing", "Không thấy tệp sao lưu " + backupFile + ".",
                         "The backup file " + backupFile + " does not exist.");
    // Work on a copy beside the target, so neither the backup nor the target changes until the end.
    const std::string partial = target + ".restore.partial";
    removeQuietly(partial);
    std::error_code ec;
    fs::copy_file(backupFile, partial, fs::copy_options::overwrite_existing, ec);
    if (ec)
        return makeError("restore.missing", "Không chép được " + backupFile + ": " + ec.message(),
                         "Cannot copy " + backupFile + ": " + ec.message());
    fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
    Result<RestoreResult> result = [&]() -> Result<RestoreResult> {
        auto copy = store::Database::open(partial, false);
        if (!copy) return makeError("restore.integrity", "Tệp sao lưu hỏng.", "The backup file is damaged.");
        if (auto ok = checkRestorable(*copy); !ok) return ok.error();
        if (auto ok = checkTarget(*copy, target); !ok) return ok.error();
        auto placed = placeKeyFile(*copy, backupFile, target);
        if (!placed) return placed;
        // A new store id: every kiosk restarts its pull and asks whoami, whose mark reopens what the
        // district lost (sync-protocol.md).
        if (auto ok = DistrictStore::renewStoreId(*copy); !ok) return ok.error();
        if (auto ok = copy->exec("PRAGMA journal_mode=DELETE"); !ok) return ok.error();
        return placed;
    }();
    if (!result) {
        removeQuietly(partial);
        removeQuietly(partial + "-wal");
        removeQuietly(partial + "-shm");
        return result;
    }
    if (!result->keyFileKept && fs::exists(backupFile + ".keys")) {
        if (auto ok = copyKeyFile(backupFile + ".keys", result->keyFile); !ok) {
            removeQuietly(partial);
            return ok.error();
        }
    }
    // A stale write-ahead log beside the new file would be replayed into it.
    removeQuietly(target + "-wal");
    removeQuietly(target + "-shm");
    fs::rename(partial, target, ec);
    if (ec)
        return makeError("restore.missing", "Không thay được " + target + ": " + ec.message(),
                         "Cannot replace " + target + ": " + ec.message());
    syncDirectory(fs::path(target).parent_path().empty() ? fs::path(".") : fs::path(target).parent_path());
    return result;
}

}  // namespace kiosk::district
