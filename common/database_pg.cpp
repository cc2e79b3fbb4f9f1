// The PostgreSQL engine of common/database.h (docs/postgresql.md "The engine").
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <regex>
#include <utility>

#include "common/database.h"
#include "common/pg_engine.h"

namespace kiosk::store {

bool isPostgresTarget(std::string_view target) {
    return target.starts_with("postgresql://") || target.starts_with("postgres://");
}

std::string pgDatabaseName(const std::string& uri) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
    if (error) PQfreemem(error);
    if (!options) return {};
    std::string name;
    for (PQconninfoOption* o = options; o->keyword; ++o)
        if (std::strcmp(o->keyword, "dbname") == 0 && o->val) name = o->val;
    PQconninfoFree(options);
    return name;
}

std::string pgRedact(const std::string& uri) {
    // user:password@ in the authority, and password=... among the parameters.
    static const std::regex inAuthority(R"(^(postgres(ql)?://[^:/@?]*):[^@/?]*@)");
    static const std::regex inQuery(R"(([?&]password=)[^&]*)");
    return std::regex_replace(std::regex_replace(uri, inAuthority, "$1:***@"), inQuery, "$1***");
}

PgSql pgRewritePlaceholders(std::string_view sql) {
    PgSql out;
    out.text.reserve(sql.size() + 16);
    int next = 0;
    std::vector<bool> used;
    for (size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {  // a literal or a quoted name, doubled quotes included
            const size_t end = sql.find(c, i + 1);
            const size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.text.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const size_t end = sql.find('\n', i);
            const size_t stop = end == std::string_view::npos ? sql.size() : end;
            out.text.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            size_t j = i + 1;
            int number = 0;
            while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') number = number * 10 + (sql[j++] - '0');
            if (j == i + 1) number = ++next;
            out.text += '$' + std::to_string(number);
            out.parameters = std::max(out.parameters, number);
            if (size_t(number) > used.size()) used.resize(size_t(number), false);
            if (number > 0) used[size_t(number - 1)] = true;
            i = j - 1;
        } else {
            out.text += c;
        }
    }
    constexpr Oid kText = 25;
    for (bool u : used) out.types.push_back(u ? 0 : kText);
    return out;
}

Outcome loadLibpq() {
    static common::LoadOnce once;
    return once([] {
        return common::loadSharedLibrary("libpq.so.5", {KIOSK_LIBPQ_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
    });
}

Result<std::shared_ptr<PgConnection>> pgConnect(const std::string& uri) {
    if (auto loaded = loadLibpq(); !loaded) return loaded.error();
    auto pg = std::make_shared<PgConnection>();
    pg->conn = PQconnectdb(uri.c_str());
    if (!pg->conn || PQstatus(pg->conn) != CONNECTION_OK) {
        std::string why = pg->conn ? PQerrorMessage(pg->conn) : "out of memory";
        while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
        const std::string target = pgRedact(uri);
        return makeError("db.open", "Không kết nối được cơ sở dữ liệu PostgreSQL " + target + ": " + why,
                         "Cannot connect to the PostgreSQL database " + target + ": " + why);
    }
    // Notices (a table that already exists, ...) would go to stderr: the server logs them anyway.
    PQsetNoticeProcessor(
        pg->conn, [](void*, const char*) {}, nullptr);
    // lock_timeout as SQLite's busy timeout: a writer waiting longer for the lock gets "db.busy".
    PGresult* r = PQexec(pg->conn, "SET client_min_messages = warning; SET lock_timeout = '10s'");
    PQclear(r);
    return pg;
}

void pgSettle(PgConnection& pg) {
    if (pg.receiving.empty()) return;
    const std::string name = std::exchange(pg.receiving, std::string());
    std::deque<PGresult*> rest;
    while (PGresult* r = PQgetResult(pg.conn)) rest.push_back(r);
    if (!rest.empty()) pg.buffered[name] = std::move(rest);  // an entry is never empty
}

PGresult* pgNextResult(PgConnection& pg, const std::string& name) {
    if (auto it = pg.buffered.find(name); it != pg.buffered.end()) {
        PGresult* r = it->second.front();
        it->second.pop_front();
        if (it->second.empty()) pg.buffered.erase(it);
        return r;
    }
    if (pg.receiving != name) return nullptr;
    PGresult* r = PQgetResult(pg.conn);
    if (!r) pg.receiving.clear();
    return r;
}

void pgDiscard(PgConnection& pg, const std::string& name) {
    while (PGresult* r = pgNextResult(pg, name)) PQclear(r);
}

bool pgRecover(PgConnection& pg) {
    pgSettle(pg);
    if (!pg.conn || PQstatus(pg.conn) == CONNECTION_OK) return true;
    if (pg.transactionOpen) return false;
    PQreset(pg.conn);
    if (PQstatus(pg.conn) != CONNECTION_OK) return false;
    PQsetNoticeProcessor(
        pg.conn, [](void*, const char*) {}, nullptr);
    PQclear(PQexec(pg.conn, "SET client_min_messages = warning"));
    pg.preparedHere.clear();
    return true;
}

Outcome pgEnsurePrepared(PgConnection& pg, const std::string& name) {
    if (pg.preparedHere.count(name)) return {};
    auto it = pg.statements.find(name);
    if (it == pg.statements.end()) return {};
    pgSettle(pg);
    const PgSql& sql = it->second;
    PGresult* r = PQprepare(pg.conn, name.c_str(), sql.text.c_str(), int(sql.types.size()), sql.types.data());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        Error e = pgError(pg.conn, r, "prepare");
        PQclear(r);
        return e;
    }
    PQclear(r);
    pg.preparedHere.insert(name);
    return {};
}

void pgTrackTransaction(PgConnection& pg, std::string_view sql) {
    switch (PQtransactionStatus(pg.conn)) {
        case PQTRANS_IDLE:
            pg.transactionOpen = false;
            return;
        case PQTRANS_INTRANS:
        case PQTRANS_INERROR:
        case PQTRANS_ACTIVE:
            pg.transactionOpen = true;
            return;
        default:
            break;  // the connection is lost: what the caller ran says whether it ended its transaction
    }
    auto startsWith = [&](std::string_view word) {
        return sql.size() >= word.size() &&
               std::equal(word.begin(), word.end(), sql.begin(),
                          [](char a, char b) { return a == std::toupper(static_cast<unsigned char>(b)); });
    };
    if (startsWith("COMMIT") || startsWith("END") || (startsWith("ROLLBACK") && !startsWith("ROLLBACK TO")))
        pg.transactionOpen = false;
}

Error pgError(PGconn* conn, const PGresult* result, std::string_view during) {
    std::string why = result ? PQresultErrorMessage(result) : "";
    if (why.empty() && conn) why = PQerrorMessage(conn);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : "";
    std::string key = "db.error";
    if (code.starts_with("23")) key = "db.constraint";
    if (code == "40001" || code == "40P01" || code == "55P03") key = "db.busy";
    if (code == "53100") key = "db.full";
    if (code.starts_with("08") || (conn && PQstatus(conn) != CONNECTION_OK)) key = "db.io";
    return makeError(key, "Lỗi cơ sở dữ liệu (" + std::string(during) + "): " + why,
                     "Database error (" + std::string(during) + "): " + why);
}

Outcome Database::pgExec(std::string_view sql) {
    pgRecover(*m_pg);
    // SQLite's BEGIN IMMEDIATE, taken to mean the same: a transaction that holds the one write lock.
    const std::string text = sql == "BEGIN IMMEDIATE" ? "BEGIN; SELECT pg_advisory_xact_lock(" +
                                                            std::to_string(kPgWriterLock) + ")"
                                                      : std::string(sql);
    PGresult* r = PQexec(m_pg->conn, text.c_str());
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        Error e = pgError(m_pg->conn, r, "exec");
        PQclear(r);
        pgTrackTransaction(*m_pg, sql);
        return e;
    }
    pgTrackTransaction(*m_pg, sql);
    m_pg->changes = std::atoll(PQcmdTuples(r));
    PQclear(r);
    return {};
}

namespace {

// After a pipeline: whatever results are still to come are read and dropped, and the connection
// leaves pipeline mode (a lost connection leaves it when PQreset makes it again).
void pgLeavePipeline(PGconn* conn) {
    for (int tries = 0; tries < 3 && PQpipelineStatus(conn) != PQ_PIPELINE_OFF; ++tries) {
        if (PQexitPipelineMode(conn)) return;
        if (PQstatus(conn) != CONNECTION_OK) return;
        while (PGresult* r = PQgetResult(conn)) PQclear(r);
    }
}

}  // namespace

Outcome Database::pgRunAll(const std::vector<Statement*>& statements) {
    PgConnection& pg = *m_pg;
    auto resetAll = [&] {
        for (Statement* st : statements) st->reset();
    };
    pgRecover(pg);  // settles another statement's rows first
    for (Statement* st : statements) {
        if (auto prepared = pgEnsurePrepared(pg, st->m_name); !prepared) {
            resetAll();
            return prepared.error();
        }
        pgDiscard(pg, st->m_name);
    }
    if (!PQenterPipelineMode(pg.conn)) {
        resetAll();
        return pgError(pg.conn, nullptr, "pipeline");
    }
    // Every statement goes out, then one Sync: the server runs them in order and answers them all.
    size_t sent = 0;
    for (Statement* st : statements) {
        std::vector<const char*> values(st->m_values.size());
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = st->m_values[i] ? st->m_values[i]->c_str() : nullptr;
        if (!PQsendQueryPrepared(pg.conn, st->m_name.c_str(), int(values.size()), values.data(), nullptr,
                                 nullptr, 0))
            break;
        ++sent;
    }
    std::optional<Error> failed;
    if (sent < statements.size()) failed = pgError(pg.conn, nullptr, "pipeline");
    // The Sync also sends what is queued: without it the answers below would never come.
    if (!PQpipelineSync(pg.conn)) {
        if (!failed) failed = pgError(pg.conn, nullptr, "pipeline");
        sent = 0;  // nothing will be answered
    }
    // Each statement's results end with a null; one that failed aborts the rest (PIPELINE_ABORTED).
    for (size_t i = 0; i < sent && PQstatus(pg.conn) == CONNECTION_OK; ++i) {
        while (PGresult* r = PQgetResult(pg.conn)) {
            const auto status = PQresultStatus(r);
            if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
                pg.changes = std::atoll(PQcmdTuples(r));
            else if (status != PGRES_PIPELINE_ABORTED && !failed)
                failed = pgError(pg.conn, r, "step");
            PQclear(r);
        }
    }
    if (failed && PQstatus(pg.conn) != CONNECTION_OK) failed = pgError(pg.conn, nullptr, "step");
    pgLeavePipeline(pg.conn);  // reads the Sync's answer (and what an error left unread)
    pgTrackTransaction(pg, "");
    resetAll();
    if (failed) return *failed;
    if (PQstatus(pg.conn) != CONNECTION_OK) return pgError(pg.conn, nullptr, "step");
    return {};
}

Statement::Statement(std::shared_ptr<PgConnection> pg, std::string name, int parameters)
    : m_stmt(nullptr), m_pg(std::move(pg)), m_name(std::move(name)), m_values(size_t(parameters)) {}

Result<bool> Statement::pgStep() {
    if (!m_executed) {
        pgRecover(*m_pg);  // settles another statement's rows first
        if (auto prepared = pgEnsurePrepared(*m_pg, m_name); !prepared) return prepared.error();
        pgDiscard(*m_pg, m_name);
        countStatementStarted();
        std::vector<const char*> values(m_values.size());
        for (size_t i = 0; i < m_values.size(); ++i) values[i] = m_values[i] ? m_values[i]->c_str() : nullptr;
        if (!PQsendQueryPrepared(m_pg->conn, m_name.c_str(), int(values.size()), values.data(), nullptr,
                                 nullptr, 0))
            return pgError(m_pg->conn, nullptr, "step");
        // Row by row: each step() holds one row, whatever the size of the whole result.
        PQsetSingleRowMode(m_pg->conn);
        m_pg->receiving = m_name;
        m_executed = true;
    }
    if (m_result) PQclear(static_cast<PGresult*>(std::exchange(m_result, nullptr)));
    m_row = 0;
    PGresult* r = pgNextResult(*m_pg, m_name);
    if (!r) return false;
    switch (PQresultStatus(r)) {
        case PGRES_SINGLE_TUPLE:
            m_result = r;
            return true;
        case PGRES_TUPLES_OK:  // the end of the rows: no row, but the columns stay described
            m_result = r;
            pgDiscard(*m_pg, m_name);
            return false;
        case PGRES_COMMAND_OK:
            m_pg->changes = std::atoll(PQcmdTuples(r));
            PQclear(r);
            pgDiscard(*m_pg, m_name);
            return false;
        default: {
            Error e = pgError(m_pg->conn, r, "step");
            PQclear(r);
            pgDiscard(*m_pg, m_name);
            m_executed = false;  // as before: a step after an error runs the statement again
            return e;
        }
    }
}

}  // namespace kiosk::store
