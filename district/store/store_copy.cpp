#include "district/store/store_copy.h"

#include "common/database.h"
#include "common/meta.h"
#include "district/store/district_store.h"

namespace kiosk::district {

using store::Database;
using store::Statement;

namespace {

Result<std::vector<std::string>> sourceTables(Database& from) {
    auto st = from.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    if (!st) return st.error();
    std::vector<std::string> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(st->text(0));
    }
    return out;
}

Result<int64_t> countRows(Database& db, const std::string& table) {
    auto st = db.prepare("SELECT count(*) FROM " + table);
    if (!st) return st.error();
    if (auto row = st->step(); !row) return row.error();
    return st->integer(0);
}

// Every row of `table`, in SQLite's storing order (a WITHOUT ROWID table: its key's).
Result<int64_t> copyTable(Database& from, Database& to, const std::string& table,
                          const std::function<void(const std::string&)>& progress) {
    const bool rowid = table != "kiosk_sequence" && table != "identity_tokens";
    auto read = from.prepare("SELECT * FROM " + table + (rowid ? " ORDER BY rowid" : ""));
    if (!read) return read.error();
    std::optional<Statement> write;
    int64_t rows = 0;
    while (true) {
        auto row = read->step();
        if (!row) return row.error();
        if (!*row) break;
        const int columns = read->columnCount();
        if (!write) {
            std::string names, marks;
            for (int c = 0; c < columns; ++c) {
                names += (c ? ", " : "") + read->columnName(c);
                marks += c ? ", ?" : "?";
            }
            auto prepared = to.prepare("INSERT INTO " + table + "(" + names + ") VALUES(" + marks + ")");
            if (!prepared) return prepared.error();
            write = std::move(*prepared);
        }
        for (int c = 0; c < columns; ++c) {
            if (read->isNull(c))
                write->bindNull(c + 1);
            else
                write->bind(c + 1, read->view(c));
        }
        if (auto ok = write->run(); !ok) return ok.error();
        if (++rows % 10000 == 0) progress("  " + table + ": " + std::to_string(rows) + " hàng / rows");
    }
    return rows;
}

Outcome checkEmpty(Database& to) {
    auto version = to.userVersion();
    if (!version) return version.error();
    if (*version == 0) return {};
    return makeError("migrate.not-empty",
                     "Cơ sở dữ liệu đích " + to.path() +
                         " đã có dữ liệu của máy chủ; chỉ chuyển vào một cơ sở dữ liệu trống.",
                     "The target database " + to.path() +
                         " already holds a district's data; migrate into an empty database only.");
}

}  // namespace

Result<std::vector<CopiedTable>> copyDistrictStore(const std::string& fromFile, const std::string& toUri,
                                                   const std::function<void(const std::string&)>& progress) {
    {
        auto target = Database::open(toUri, false);
        if (!target) return target.error();
        if (auto ok = checkEmpty(*target); !ok) return ok.error();
    }
    // Both at the code's schema version: the source migrated in place (as any command would), the
    // target made from the PostgreSQL migrations; the target's own meta rows give way to the source's.
    auto source = DistrictStore::open(fromFile, false);
    if (!source) return source.error();
    auto target = DistrictStore::open(toUri, true);
    if (!target) return target.error();
    Database& from = (*source)->database();
    Database& to = (*target)->database();
    auto tables = sourceTables(from);
    if (!tables) return tables.error();
    store::Transaction fromTx(from);  // one snapshot of the source, writers held off
    if (!fromTx.begun()) return fromTx.begun().error();
    store::Transaction tx(to);
    if (!tx.begun()) return tx.begun().error();
    if (auto ok = to.exec("DELETE FROM meta"); !ok) return ok.error();
    std::vector<CopiedTable> out;
    for (const std::string& table : *tables) {
        progress(table + "…");
        auto rows = copyTable(from, to, table, progress);
        if (!rows) return rows.error();
        auto counted = countRows(to, table);
        if (!counted) return counted.error();
        if (*counted != *rows)
            return makeError("migrate.count",
                             "Bảng " + table + ": chép " + std::to_string(*rows) + " hàng nhưng đích có " +
                                 std::to_string(*counted) + ".",
                             "Table " + table + ": copied " + std::to_string(*rows) +
                                 " rows but the target has " + std::to_string(*counted) + ".");
        out.push_back({table, *rows});
        progress("  " + table + ": " + std::to_string(*rows) + " hàng / rows");
    }
    // Identity columns continue after the copied values (the next change's seq, the next read's id).
    if (auto ok = to.exec("SELECT setval(pg_get_serial_sequence('changes', 'seq'), "
                          "coalesce((SELECT max(seq) FROM changes), 0) + 1, false); "
                          "SELECT setval(pg_get_serial_sequence('identity_reads', 'id'), "
                          "coalesce((SELECT max(id) FROM identity_reads), 0) + 1, false)");
        !ok)
        return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return out;
}

}  // namespace kiosk::district
