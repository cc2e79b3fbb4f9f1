#include "common/database.h"

#include <sys/stat.h>

#include <mutex>
#include <utility>

namespace kiosk::store {

namespace {

// SQLite's memory statistics take a process-wide mutex on every allocation; nothing here reads
// them, and with the UI and the sync engine (or the district's workers) allocating at once that
// mutex showed in profiles. Only possible before SQLite initializes; a refusal changes nothing.
void configureSqliteOnce() {
    static std::once_flag once;
    std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Result<Database> Database::open(const std::string& path, bool create) {
    configureSqliteOnce();
    Database db;
    db.m_path = path;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    // Files are created 0600: they hold citizens' data (docs/ARCHITECTURE.md defaults).
    const mode_t previous = umask(0077);
    const int rc = sqlite3_open_v2(path.c_str(), &db.m_db, flags, nullptr);
    umask(previous);
    if (rc != SQLITE_OK) {
        std::string why = db.m_db ? sqlite3_errmsg(db.m_db) : sqlite3_errstr(rc);
        return makeError("db.open", "Không mở được cơ sở dữ liệu " + path + ": " + why,
                         "Cannot open the database " + path + ": " + why);
    }
    sqlite3_extended_result_codes(db.m_db, 1);
    sqlite3_busy_timeout(db.m_db, 10000);
    if (auto r = db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"); !r)
        return r.error();
    return db;
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_path = std::move(other.m_path);
    }
    return *this;
}

Database::~Database() {
    if (m_db) sqlite3_close_v2(m_db);
}

Outcome Database::copyTo(const std::string& target) {
    auto copy = Database::open(target, true);
    if (!copy) return copy.error();
    sqlite3_backup* backup = sqlite3_backup_init(copy->handle(), "main", m_db, "main");
    if (!backup) return copy->lastError("backup");
    // -1: every page in one step, so one read transaction covers the whole copy. Incremental steps
    // would restart each time a writer commits and might never finish under load.
    int rc = sqlite3_backup_step(backup, -1);
    for (int tries = 0; (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 100; ++tries) {
        sqlite3_sleep(50);
        rc = sqlite3_backup_step(backup, -1);
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return copy->lastError("backup");
    // The copy leaves WAL mode's side files behind otherwise; one plain file is what gets moved.
    if (auto ok = copy->exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE"); !ok) return ok;
    return {};
}

Result<std::string> Database::integrityCheck() {
    auto st = prepare("PRAGMA integrity_check");
    if (!st) return st.error();
    std::string result;
    for (int rows = 0; rows < 10; ++rows) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        if (!result.empty()) result += "; ";
        result += st->text(0);
    }
    return result;
}

Error Database::lastError(std::string_view during) const {
    std::string why = m_db ? sqlite3_errmsg(m_db) : "no database";
    const int code = m_db ? sqlite3_extended_errcode(m_db) : 0;
    std::string key = "db.error";
    if ((code & 0xff) == SQLITE_FULL) key = "db.full";
    if ((code & 0xff) == SQLITE_IOERR) key = "db.io";
    if ((code & 0xff) == SQLITE_BUSY) key = "db.busy";
    return makeError(key, "Lỗi cơ sở dữ liệu (" + std::string(during) + "): " + why,
                     "Database error (" + std::string(during) + "): " + why);
}

Outcome Database::exec(std::string_view sql) {
    std::string copy(sql);
    char* message = nullptr;
    if (sqlite3_exec(m_db, copy.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string why = message ? message : "?";
        sqlite3_free(message);
        Error e = lastError("exec");
        e.vi = "Lỗi cơ sở dữ liệu: " + why;
        e.en = "Database error: " + why;
        return e;
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.data(), int(sql.size()), &stmt, nullptr) != SQLITE_OK)
        return lastError("prepare");
    return Statement(stmt);
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt) sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Statement::~Statement() {
    if (m_stmt) sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bindNull(int index) {
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Statement& Statement::bindOptional(int index, const std::string& text) {
    return text.empty() ? bindNull(index) : bind(index, std::string_view(text));
}

Result<bool> Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3* db = sqlite3_db_handle(m_stmt);
    std::string why = sqlite3_errmsg(db);
    const int code = sqlite3_extended_errcode(db) & 0xff;
    std::string key = code == SQLITE_FULL         ? "db.full"
                      : code == SQLITE_IOERR      ? "db.io"
                      : code == SQLITE_CONSTRAINT ? "db.constraint"
                                                  : "db.error";
    return makeError(key, "Lỗi cơ sở dữ liệu: " + why, "Database error: " + why);
}

Outcome Statement::run() {
    while (true) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) break;
    }
    reset();
    return {};
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int column) const {
    const unsigned char* t = sqlite3_column_text(m_stmt, column);
    return t ? std::string(reinterpret_cast<const char*>(t), size_t(sqlite3_column_bytes(m_stmt, column)))
             : std::string();
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(m_stmt, column); }

bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : m_db(db) {
    m_begun = m_db.exec("BEGIN IMMEDIATE");
    m_open = m_begun.ok();
}

Transaction::~Transaction() {
    if (m_open) m_db.exec("ROLLBACK");
}

Outcome Transaction::commit() {
    if (!m_open)
        return m_begun.ok() ? Outcome(makeError("db.tx", "Giao dịch đã đóng.", "Transaction closed."))
                            : m_begun;
    auto r = m_db.exec("COMMIT");
    if (!r) return r;  // still open: the destructor rolls back
    m_open = false;
    return {};
}

}  // namespace kiosk::store
