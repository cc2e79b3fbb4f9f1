#pragma once
// The PostgreSQL side of common/database.h, private to common/: the connection shared by a Database
// and its statements, and the `?` to $N rewrite. Nothing outside database*.cpp includes it.
#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/shared_library.h"

namespace kiosk::store {

// libpq is loaded by the first PostgreSQL connection (pgConnect), not at a program's start: the
// kiosk, which never uses PostgreSQL, starts without it and the libraries it brings
// (common/shared_library.h). Each libpq function common/ calls is a pointer of the same name.
// clang-format off
#define KIOSK_LIBPQ_FUNCTIONS(X)                                                                   \
    X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQconninfoFree) X(PQconninfoParse)                  \
    X(PQenterPipelineMode) X(PQerrorMessage) X(PQexec) X(PQexitPipelineMode) X(PQfinish)           \
    X(PQfname) X(PQfreemem) X(PQgetResult) X(PQgetisnull) X(PQgetlength) X(PQgetvalue)             \
    X(PQnfields) X(PQntuples) X(PQpipelineStatus) X(PQpipelineSync) X(PQprepare) X(PQreset)        \
    X(PQresultErrorField) X(PQresultErrorMessage) X(PQresultStatus) X(PQsendQueryPrepared)         \
    X(PQsetNoticeProcessor) X(PQsetSingleRowMode) X(PQstatus) X(PQtransactionStatus)
// clang-format on
KIOSK_LIBPQ_FUNCTIONS(KIOSK_LIBRARY_POINTER)
// Loads libpq once for the process; pgConnect does it first. Error "library.missing".
Outcome loadLibpq();

// `?` becomes $1, $2, ... in order and `?N` becomes $N, outside string literals, quoted names and
// comments. `parameters` is the highest number used; `types` gives the ones the SQL never uses the
// type text (25): PostgreSQL cannot infer a type for a parameter it never sees, SQLite ignores it.
struct PgSql {
    std::string text;
    int parameters = 0;
    std::vector<Oid> types;
};

struct PgConnection {
    PGconn* conn = nullptr;
    int64_t nextStatement = 0;  // server-side prepared statements are named s1, s2, ...
    int64_t changes = 0;        // rows the last INSERT/UPDATE/DELETE changed
    // A connection lost (the primary gone in a failover) is made again by pgRecover, and every
    // statement is prepared again on the new session when next run: the SQL of each live statement
    // by name, and the names prepared on the current session.
    std::map<std::string, PgSql> statements;
    std::set<std::string> preparedHere;
    // Between the caller's BEGIN and its COMMIT or ROLLBACK (not ROLLBACK TO): a connection lost
    // then is not made again until the caller ends the transaction, so no statement of it runs on
    // a new session outside the transaction it belonged to.
    bool transactionOpen = false;
    // Results are read row by row (libpq's single-row mode): a SELECT over a million records never
    // sits whole in memory, only the row being stepped on. While a statement's rows are still
    // arriving, `receiving` names it and the connection can run nothing else; pgSettle reads the
    // rest into `buffered` before another command is sent (a statement run while another's rows are
    // being stepped through: then, and only then, the unread rows are held, as every result was).
    std::string receiving;
    std::map<std::string, std::deque<PGresult*>> buffered;  // by statement, in order, the last final
    PgConnection() = default;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    ~PgConnection() {
        for (auto& [name, results] : buffered)
            for (PGresult* r : results) PQclear(r);
        if (conn) PQfinish(conn);
    }
};

PgSql pgRewritePlaceholders(std::string_view sql);

// When the connection is lost and no transaction of the caller's is open: connects again with the
// same URI (libpq tries every host again and keeps the one that takes writes, so after a failover
// it finds the new primary). False while the connection stays lost or a transaction is still open
// (the caller's next statement then fails with "db.io" as before).
bool pgRecover(PgConnection& pg);
// Before another command is sent: the rows still arriving for a statement are read into its
// buffer, so that statement's next steps still see them.
void pgSettle(PgConnection& pg);
// The next result of statement `name` (buffered first, then from the server); nullptr when none
// is left.
PGresult* pgNextResult(PgConnection& pg, const std::string& name);
// Reads and throws away whatever of statement `name`'s rows is still buffered or arriving (a
// statement reset or destroyed before its last row): the connection is free afterwards.
void pgDiscard(PgConnection& pg, const std::string& name);
// Prepares `name` on the current session when it was prepared only on a lost one.
Outcome pgEnsurePrepared(PgConnection& pg, const std::string& name);
// Keeps transactionOpen up to date after the caller ran `sql`: the server's transaction state, or
// with the connection lost, whether `sql` ended the caller's transaction (COMMIT, ROLLBACK).
void pgTrackTransaction(PgConnection& pg, std::string_view sql);
// Connects to a libpq URI; error "db.open" (vi+en) with libpq's message, the password hidden.
Result<std::shared_ptr<PgConnection>> pgConnect(const std::string& uri);
// An Error for a failed result (or a connection error when result is null): "db.constraint" for
// an integrity violation (SQLSTATE class 23), "db.busy" for a lock or serialization failure,
// "db.full" for disk full, "db.io" for a lost connection, "db.error" otherwise.
Error pgError(PGconn* conn, const PGresult* result, std::string_view during);
// statementsStarted() (database.h) counts one more on the calling thread.
void countStatementStarted();
// The URI with any password replaced by "***", for messages and logs.
std::string pgRedact(const std::string& uri);

// The advisory lock every write transaction takes (BEGIN IMMEDIATE's one writer at a time).
constexpr int64_t kPgWriterLock = 0x6b696f736b;  // "kiosk"

}  // namespace kiosk::store
