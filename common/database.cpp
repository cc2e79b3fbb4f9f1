#include "common/database.h"

#include <sys/stat.h>

#include <charconv>
#include <mutex>
#include <utility>

#include "common/pg_engine.h"

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
    Database db;
    db.m_path = path;
    if (isPostgresTarget(path)) {
        auto pg = pgConnect(path);
        if (!pg) return pg.error();
        db.m_pg = std::move(*pg);
        return db;
    }
    configureSqliteOnce();
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
    : m_db(std::exchange(other.m_db, nullptr)),
      m_pg(std::move(other.m_pg)),
      m_path(std::move(other.m_path)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (m_db) sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
        m_pg = std::move(other.m_pg);
        m_path = std::move(other.m_path);
    }
    return *this;
}

namespace {

Error sqliteOnly(const std::string& what) {
    return makeError("db.sqlite-only",
                     what +
                         " chỉ dùng được với tệp SQLite; cơ sở dữ liệu PostgreSQL được sao lưu bằng "
                         "pgBackRest (docs/postgresql.md).",
                     what +
                         " works on an SQLite file only; a PostgreSQL database is backed up with "
                         "pgBackRest (docs/postgresql.md).");
}

}  // namespace

int64_t Database::changes() const {
    if (m_pg) return m_pg->changes;
    return m_db ? sqlite3_changes(m_db) : 0;
}

bool Database::inTransaction() const {
    if (m_pg) {
        // While a statement's rows arrive the server reports itself busy, not in a transaction.
        pgSettle(*m_pg);
        return PQtransactionStatus(m_pg->conn) == PQTRANS_INTRANS;
    }
    return m_db && !sqlite3_get_autocommit(m_db);
}

Result<int64_t> Database::userVersion() {
    if (m_pg) {
        // The table is named only once it exists: a statement naming a missing table fails to prepare.
        auto exists = prepare("SELECT to_regclass('kiosk_schema_version') IS NOT NULL");
        if (!exists) return exists.error();
        if (auto row = exists->step(); !row) return row.error();
        if (exists->integer(0) == 0) return int64_t(0);
    }
    auto st =
        prepare(m_pg ? "SELECT coalesce(max(version), 0) FROM kiosk_schema_version" : "PRAGMA user_version");
    if (!st) return st.error();
    if (auto row = st->step(); !row) return row.error();
    return st->integer(0);
    // st is finalized here: a statement still running would lock the tables a migration drops.
}

Outcome Database::setUserVersion(int64_t version) {
    if (!m_pg) return exec("PRAGMA user_version = " + std::to_string(version));
    // Inside the migration's write transaction: no other writer races the CREATE.
    return exec(
        "CREATE TABLE IF NOT EXISTS kiosk_schema_version(version BIGINT NOT NULL); "
        "DELETE FROM kiosk_schema_version; INSERT INTO kiosk_schema_version(version) VALUES(" +
        std::to_string(version) + ")");
}

Outcome Database::beginRead() { return exec(m_pg ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN"); }

Database::~Database() {
    if (m_db) sqlite3_close_v2(m_db);
}

Outcome Database::copyTo(const std::string& target) {
    if (m_pg) return sqliteOnly("Sao chép / Copying");
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
    if (m_pg) return sqliteOnly("integrity_check");
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

namespace {
thread_local uint64_t t_statementsStarted = 0;
}  // namespace

uint64_t statementsStarted() { return t_statementsStarted; }
void countStatementStarted() { ++t_statementsStarted; }

Outcome Database::exec(std::string_view sql) {
    countStatementStarted();
    if (m_pg) return pgExec(sql);
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

Outcome Database::runAll(const std::vector<Statement*>& statements) {
    if (statements.empty()) return {};
    if (m_pg) {
        countStatementStarted();
        return pgRunAll(statements);
    }
    // One request for the whole list, as on PostgreSQL, however many steps it takes here.
    const uint64_t before = t_statementsStarted;
    Outcome outcome;
    for (Statement* st : statements) {
        outcome = st->run();
        if (!outcome) break;
    }
    for (Statement* st : statements) st->reset();
    t_statementsStarted = before + 1;
    return outcome;
}

Result<Statement> Database::prepare(std::string_view sql) {
    if (m_pg) {
        pgRecover(*m_pg);
        std::string name = "s" + std::to_string(++m_pg->nextStatement);
        const int parameters =
            m_pg->statements.emplace(name, pgRewritePlaceholders(sql)).first->second.parameters;
        if (auto prepared = pgEnsurePrepared(*m_pg, name); !prepared) {
            m_pg->statements.erase(name);
            return prepared.error();
        }
        return Statement(m_pg, std::move(name), parameters);
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.data(), int(sql.size()), &stmt, nullptr) != SQLITE_OK)
        return lastError("prepare");
    return Statement(stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr)),
      m_pg(std::move(other.m_pg)),
      m_name(std::move(other.m_name)),
      m_values(std::move(other.m_values)),
      m_result(std::exchange(other.m_result, nullptr)),
      m_row(other.m_row),
      m_executed(other.m_executed) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        release();
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_pg = std::move(other.m_pg);
        m_name = std::move(other.m_name);
        m_values = std::move(other.m_values);
        m_result = std::exchange(other.m_result, nullptr);
        m_row = other.m_row;
        m_executed = other.m_executed;
    }
    return *this;
}

void Statement::release() {
    if (m_stmt) sqlite3_finalize(std::exchange(m_stmt, nullptr));
    if (m_result) PQclear(static_cast<PGresult*>(std::exchange(m_result, nullptr)));
    if (m_pg && m_pg->conn && !m_name.empty()) {
        pgDiscard(*m_pg, m_name);
        // Fails harmlessly inside an aborted transaction: the name is never reused.
        if (m_pg->preparedHere.erase(m_name)) {
            pgSettle(*m_pg);
            PQclear(PQexec(m_pg->conn, ("DEALLOCATE " + m_name).c_str()));
        }
        m_pg->statements.erase(m_name);
    }
    m_pg.reset();
}

Statement::~Statement() { release(); }

namespace {

void setValue(std::vector<std::optional<std::string>>& values, int index, std::optional<std::string> value) {
    if (index < 1) return;
    if (size_t(index) > values.size()) values.resize(size_t(index));
    values[size_t(index - 1)] = std::move(value);
}

}  // namespace

Statement& Statement::bind(int index, std::string_view text) {
    if (m_pg) {
        setValue(m_values, index, std::string(text));
        return *this;
    }
    sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    if (m_pg) {
        setValue(m_values, index, std::to_string(value));
        return *this;
    }
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (m_pg) {
        setValue(m_values, index, std::nullopt);
        return *this;
    }
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Statement& Statement::bindOptional(int index, const std::string& text) {
    return text.empty() ? bindNull(index) : bind(index, std::string_view(text));
}

Result<bool> Statement::step() {
    if (m_pg) return pgStep();
    if (!sqlite3_stmt_busy(m_stmt)) countStatementStarted();  // not begun, or done and restarting
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
    if (m_pg) {
        if (m_result) PQclear(static_cast<PGresult*>(std::exchange(m_result, nullptr)));
        pgDiscard(*m_pg, m_name);  // the rows not read yet: the connection is needed for others
        m_executed = false;
        m_row = -1;
        for (auto& v : m_values) v.reset();
        return;
    }
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::string Statement::text(int column) const {
    if (m_pg) return std::string(view(column));
    const unsigned char* t = sqlite3_column_text(m_stmt, column);
    return t ? std::string(reinterpret_cast<const char*>(t), size_t(sqlite3_column_bytes(m_stmt, column)))
             : std::string();
}

std::string_view Statement::view(int column) const {
    if (m_pg) {
        const auto* r = static_cast<const PGresult*>(m_result);
        if (!r || m_row < 0 || m_row >= PQntuples(r) || column >= PQnfields(r)) return {};
        return std::string_view(PQgetvalue(r, m_row, column), size_t(PQgetlength(r, m_row, column)));
    }
    const unsigned char* t = sqlite3_column_text(m_stmt, column);
    return t ? std::string_view(reinterpret_cast<const char*>(t),
                                size_t(sqlite3_column_bytes(m_stmt, column)))
             : std::string_view();
}

int64_t Statement::integer(int column) const {
    if (!m_pg) return sqlite3_column_int64(m_stmt, column);
    // As SQLite reads text as a number: the leading integer, 0 when there is none. A boolean
    // (a comparison in the select list) reads 1 or 0 as it does in SQLite.
    const std::string_view v = view(column);
    if (v == "t") return 1;
    if (v == "f") return 0;
    int64_t value = 0;
    std::from_chars(v.data(), v.data() + v.size(), value);
    return value;
}

int Statement::columnCount() const {
    if (m_pg) return m_result ? PQnfields(static_cast<const PGresult*>(m_result)) : 0;
    return sqlite3_column_count(m_stmt);
}

std::string Statement::columnName(int column) const {
    const char* name = m_pg ? (m_result ? PQfname(static_cast<const PGresult*>(m_result), column) : nullptr)
                            : sqlite3_column_name(m_stmt, column);
    return name ? name : "";
}

bool Statement::isNull(int column) const {
    if (m_pg) {
        const auto* r = static_cast<const PGresult*>(m_result);
        return !r || m_row < 0 || m_row >= PQntuples(r) || PQgetisnull(r, m_row, column);
    }
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

Transaction::Transaction(Database& db) : m_db(db) {
    m_begun = m_db.exec("BEGIN IMMEDIATE");  // on PostgreSQL: BEGIN and the writers' advisory lock
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
