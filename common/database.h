#pragma once
// A thin RAII layer over one SQLite connection: open with the kiosk's durability settings, prepared
// statements with typed binds, and transactions that roll back unless committed. Used only inside
// kiosk/store (and the district store in sync/server, which shares the same settings); nothing
// above the store layer sees SQL. One Database per thread: connections are never shared.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::store {

class Statement;

class Database {
public:
    // Opens (creating when asked) the file in WAL mode with synchronous=FULL, foreign keys on and a
    // busy timeout, mode 0600 for new files.
    static Result<Database> open(const std::string& path, bool create);
    Database() = default;
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }

    // Runs one or more statements with no results; the Error carries SQLite's message.
    Outcome exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    Error lastError(std::string_view during) const;

    // An online, consistent copy of the whole database into `target` (created 0600, replaced if it
    // exists) with SQLite's backup API, in one read transaction: writers on other connections go
    // on (WAL) and the copy is the database as of the moment it began. The copy is synced to disk.
    Outcome copyTo(const std::string& target);
    // PRAGMA integrity_check: "ok", or SQLite's first complaints.
    Result<std::string> integrityCheck();

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

// A prepared statement. bind* take 1-based indexes; step() returns true while a row is ready.
class Statement {
public:
    explicit Statement(sqlite3_stmt* stmt = nullptr) : m_stmt(stmt) {}
    Statement(Statement&& other) noexcept : m_stmt(other.m_stmt) { other.m_stmt = nullptr; }
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
    sqlite3_stmt* handle() const { return m_stmt; }

    std::string text(int column) const;
    int64_t integer(int column) const;
    bool isNull(int column) const;

private:
    sqlite3_stmt* m_stmt;
};

// BEGIN IMMEDIATE on construction; rolls back on destruction unless commit() succeeded.
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
