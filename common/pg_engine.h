#pragma once
// The PostgreSQL side of common/database.h, private to common/: the connection shared by a Database
// and its statements, and the `?` to $N rewrite. Nothing outside database*.cpp includes it.
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace kiosk::store {

struct PgConnection {
    PGconn* conn = nullptr;
    int64_t nextStatement = 0;  // server-side prepared statements are named s1, s2, ...
    int64_t changes = 0;        // rows the last INSERT/UPDATE/DELETE changed
    PgConnection() = default;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    ~PgConnection() {
        if (conn) PQfinish(conn);
    }
};

// `?` becomes $1, $2, ... in order and `?N` becomes $N, outside string literals, quoted names and
// comments. `parameters` is the highest number used; `types` gives the ones the SQL never uses the
// type text (25): PostgreSQL cannot infer a type for a parameter it never sees, SQLite ignores it.
struct PgSql {
    std::string text;
    int parameters = 0;
    std::vector<Oid> types;
};
PgSql pgRewritePlaceholders(std::string_view sql);

// Connects to a libpq URI; error "db.open" (vi+en) with libpq's message, the password hidden.
Result<std::shared_ptr<PgConnection>> pgConnect(const std::string& uri);
// An Error for a failed result (or a connection error when result is null): "db.constraint" for
// an integrity violation (SQLSTATE class 23), "db.busy" for a lock or serialization failure,
// "db.full" for disk full, "db.io" for a lost connection, "db.error" otherwise.
Error pgError(PGconn* conn, const PGresult* result, std::string_view during);
// The URI with any password replaced by "***", for messages and logs.
std::string pgRedact(const std::string& uri);

// The advisory lock every write transaction takes (BEGIN IMMEDIATE's one writer at a time).
constexpr int64_t kPgWriterLock = 0x6b696f736b;  // "kiosk"

}  // namespace kiosk::store
