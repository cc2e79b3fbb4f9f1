#pragma once
// A thin RAII layer over one database connection: open with the kiosk's durability settings,
// prepared statements with typed binds, and transactions that roll back unless committed. Used only
// inside kiosk/store and the district store; nothing above the store layer sees SQL. One Database
// per thread: connections are never shared.
//
// Two engines behind the one API (docs/postgresql.md): SQLite for a file path (the kiosk always,
// the district by default) and PostgreSQL 15 through libpq for a "postgresql://" or "postgres://"
// connection URI (the district only). SQL is written once with `?` / `?N` placeholders; the
// PostgreSQL side rewrites them to $N at prepare, sends every value as text and reads every column
// as text (integer() parses it; a boolean reads as 1 or 0). Transactions are the same: one writer
// at a time (SQLite's BEGIN IMMEDIATE; on PostgreSQL BEGIN and a transaction-scoped advisory lock).
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kiosk::store {

class Statement;
struct PgConnection;

// Whether `target` names a PostgreSQL database (a libpq connection URI) rather than a file.
bool isPostgresTarget(std::string_view target);
// The database name a PostgreSQL URI gives ("" when it gives none or does not parse).
std::string pgDatabaseName(const std::string& uri);
// Requests started on the calling thread since it began, either engine: each exec(), each
// Statement::step() that starts an execution, each runAll(). On PostgreSQL each one is a round trip
// to the server, the cost that dominates a busy writer there (docs/postgresql.md), so tests bound
// what a piece of work costs with it. Prepares are not counted (a cached statement is prepared
// once per connection).
uint64_t statementsStarted();

class Database {
public:
    // SQLite: opens (creating when asked) the file in WAL mode with synchronous=FULL, foreign keys
    // on and a busy timeout, mode 0600 for new files. PostgreSQL (isPostgresTarget): connects to the
    // existing database (`create` does not apply: the database is made by its administrator).
    static Result<Database> open(const std::string& path, bool create);
    Database() = default;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // SQLite only (nullptr on PostgreSQL).
    sqlite3* handle() const { return m_db; }
    // The file path or the connection URI, as given to open().
    const std::string& path() const { return m_path; }
    bool isPostgres() const { return m_pg != nullptr; }
    // Rows changed by the last INSERT, UPDATE or DELETE run on this connection.
    int64_t changes() const;
    // Inside an explicit transaction (BEGIN ... not yet committed or rolled back) that can still
    // commit: false after SQLite rolled it back by itself, or once a PostgreSQL statement failed in
    // it (until a ROLLBACK TO a savepoint).
    bool inTransaction() const;
    // The schema version common/migrations.h counts: SQLite's PRAGMA user_version; on PostgreSQL
    // the one row of the table kiosk_schema_version (0 when there is none yet).
    Result<int64_t> userVersion();
    Outcome setUserVersion(int64_t version);
    // BEGIN for a multi-statement read that must see one snapshot: SQLite's deferred BEGIN; on
    // PostgreSQL BEGIN ISOLATION LEVEL REPEATABLE READ. Ended with exec("COMMIT").
    Outcome beginRead();

    // Runs one or more statements with no results; the Error carries SQLite's message.
    Outcome exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    // Runs statements already bound, in order, for what they change (rows they return are not
    // read), and resets them: on SQLite one after the other; on PostgreSQL all in one round trip
    // (libpq's pipeline mode), for a writer whose statements need no answer before the next. Stops
    // at the first error and returns it; on PostgreSQL the later statements are then skipped and
    // the transaction is aborted, as that statement's error alone leaves it. Counts as one request
    // in statementsStarted(). Each statement at most once in the list.
    Outcome runAll(const std::vector<Statement*>& statements);
    Error lastError(std::string_view during) const;

    // An online, consistent copy of the whole database into `target` (created 0600, replaced if it
    // exists) with SQLite's backup API, in one read transaction: writers on other connections go
    // on (WAL) and the copy is the database as of the moment it began. The copy is synced to disk.
    // SQLite only ("db.sqlite-only" on PostgreSQL).
    Outcome copyTo(const std::string& target);
    // PRAGMA integrity_check: "ok", or SQLite's first complaints. SQLite only.
    Result<std::string> integrityCheck();

private:
    friend class Transaction;
    Outcome pgExec(std::string_view sql);
    Outcome pgRunAll(const std::vector<Statement*>& statements);

    sqlite3* m_db = nullptr;
    std::shared_ptr<PgConnection> m_pg;
    std::string m_path;
};

// A prepared statement. bind* take 1-based indexes; step() returns true while a row is ready.
class Statement {
public:
    explicit Statement(sqlite3_stmt* stmt = nullptr) : m_stmt(stmt) {}
    Statement(std::shared_ptr<PgConnection> pg, std::string name, int parameters);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, int64_t(value)); }
    Statement& bind(int index, uint64_t value) { return bind(index, int64_t(value)); }
    Statement& bindNull(int index);
    Statement& bindOptional(int index, const std::string& text);  // NULL when empty

    // One step: a row is ready (true), done (false), or an error (Error).
    Result<bool> step();
    // Steps to completion, for statements that return no rows.
    Outcome run();
    void reset();
    // SQLite only (nullptr on PostgreSQL).
    sqlite3_stmt* handle() const { return m_stmt; }

    std::string text(int column) const;
    // The column's text without a copy, valid until the next step() or reset().
    std::string_view view(int column) const;
    int64_t integer(int column) const;
    bool isNull(int column) const;
    // The result's columns (after a step() on PostgreSQL, which describes a result only once run).
    int columnCount() const;
    std::string columnName(int column) const;

private:
    friend class Database;  // runAll sends what is bound
    void release();
    Result<bool> pgStep();

    sqlite3_stmt* m_stmt;
    // PostgreSQL: the connection, the server-side prepared statement's name, the values bound
    // (nullopt: NULL), the rows of the last execution and the current row.
    std::shared_ptr<PgConnection> m_pg;
    std::string m_name;
    std::vector<std::optional<std::string>> m_values;
    void* m_result = nullptr;  // PGresult*
    int m_row = -1;
    bool m_executed = false;
};

// BEGIN IMMEDIATE on construction (PostgreSQL: BEGIN and pg_advisory_xact_lock on one constant, so
// writers queue exactly as on SQLite); rolls back on destruction unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    const Outcome& begun() const { return m_begun; }
    Outcome commit();

private:
    Database& m_db;
    Outcome m_begun;
    bool m_open = false;
};

}  // namespace kiosk::store
