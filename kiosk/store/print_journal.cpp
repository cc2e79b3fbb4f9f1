#include "kiosk/store/print_journal.h"

namespace kiosk::store {
namespace {

constexpr const char* kColumns =
    "id, record_code, paper, status, reason, printer, job, attempts, created_at, updated_at";

PaperStatus statusFrom(const std::string& text) {
    if (text == "printed") return PaperStatus::Printed;
    if (text == "failed") return PaperStatus::Failed;
    return PaperStatus::Pending;
}

JournalEntry fromRow(const Statement& st) {
    JournalEntry e;
    e.id = st.integer(0);
    e.recordCode = st.text(1);
    e.paper = st.text(2);
    e.status = statusFrom(st.text(3));
    const std::string reason = st.text(4);
    // code TAB vietnamese TAB english
    const size_t tab = reason.find('\t');
    const size_t tab2 = tab == std::string::npos ? tab : reason.find('\t', tab + 1);
    e.reasonCode = reason.substr(0, tab);
    if (tab != std::string::npos)
        e.reasonMessage = reason.substr(tab + 1, tab2 == std::string::npos ? tab2 : tab2 - tab - 1);
    if (tab2 != std::string::npos) e.reasonMessageEn = reason.substr(tab2 + 1);
    e.printer = st.text(5);
    e.job = st.integer(6);
    e.attempts = int(st.integer(7));
    e.createdAt = st.integer(8);
    e.updatedAt = st.integer(9);
    return e;
}

Result<std::vector<JournalEntry>> query(Database& db, const std::string& sql, const std::string& bound) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    if (!bound.empty()) st->bind(1, bound);
    std::vector<JournalEntry> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(fromRow(*st));
    }
    return out;
}

Outcome update(Database& db, const std::string& sql, int64_t id, const std::string& a, int64_t b,
               int64_t now) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    st->bind(1, a).bind(2, b).bind(3, now).bind(4, id);
    return st->run();
}

}  // namespace

std::string_view toSlug(PaperStatus status) {
    switch (status) {
        case PaperStatus::Printed:
            return "printed";
        case PaperStatus::Failed:
            return "failed";
        case PaperStatus::Pending:
            break;
    }
    return "pending";
}

Result<JournalEntry> journalPaper(KioskStore& store, const std::string& recordCode, const std::string& paper,
                                  int64_t nowUnix) {
    Database& db = store.database();
    auto known =
        query(db, "SELECT 0, code, '', '', '', '', 0, 0, 0, 0 FROM records WHERE code = ?", recordCode);
    if (!known) return known.error();
    if (known->empty())
        return makeError("record.unknown", "Không có hồ sơ " + recordCode + " trên máy này.",
                         "No record " + recordCode + " on this kiosk.");
    auto st = db.prepare(
        "INSERT INTO papers(record_code, paper, status, created_at, updated_at) VALUES(?,?,'pending',?,?)");
    if (!st) return st.error();
    st->bind(1, recordCode).bind(2, paper).bind(3, nowUnix).bind(4, nowUnix);
    if (auto ok = st->run(); !ok) return ok.error();
    auto id = db.prepare("SELECT last_insert_rowid()");
    if (!id) return id.error();
    if (auto row = id->step(); !row || !*row)
        return makeError("db.read", "Lỗi đọc CSDL", "Database read error");
    return journalEntry(store, id->integer(0));
}

Result<JournalEntry> journalEntry(KioskStore& store, int64_t id) {
    auto rows = query(store.database(), std::string("SELECT ") + kColumns + " FROM papers WHERE id = ?",
                      std::to_string(id));
    if (!rows) return rows.error();
    if (rows->empty())
        return makeError("paper.unknown", "Không có giấy in số " + std::to_string(id) + ".",
                         "No paper number " + std::to_string(id) + ".");
    return rows->front();
}

Outcome markPaperPrinted(KioskStore& store, int64_t id, const std::string& printer, int64_t job,
                         int64_t nowUnix) {
    return update(store.database(),
                  "UPDATE papers SET status = 'printed', reason = '', printer = ?, job = ?, "
                  "attempts = attempts + 1, updated_at = ? WHERE id = ?",
                  id, printer, job, nowUnix);
}

Outcome markPaperFailed(KioskStore& store, int64_t id, const std::string& printer, const Error& reason,
                        int64_t nowUnix) {
    auto st = store.database().prepare(
        "UPDATE papers SET status = 'failed', reason = ?, printer = ?, attempts = attempts + 1, "
        "updated_at = ? WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, reason.code + "\t" + reason.vi + "\t" + reason.en)
        .bind(2, printer)
        .bind(3, nowUnix)
        .bind(4, id);
    return st->run();
}

Outcome markPaperPending(KioskStore& store, int64_t id, int64_t nowUnix) {
    auto st = store.database().prepare("UPDATE papers SET status = 'pending', updated_at = ? WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, nowUnix).bind(2, id);
    return st->run();
}

Result<std::vector<JournalEntry>> unprintedPapers(KioskStore& store, int limit) {
    return query(store.database(),
                 std::string("SELECT ") + kColumns +
                     " FROM papers WHERE status <> 'printed' ORDER BY id LIMIT " + std::to_string(limit),
                 "");
}

Result<std::vector<JournalEntry>> recordPapers(KioskStore& store, const std::string& recordCode) {
    return query(store.database(),
                 std::string("SELECT ") + kColumns + " FROM papers WHERE record_code = ? ORDER BY id DESC",
                 recordCode);
}

PrintSettings printSettings(KioskStore& store) {
    PrintSettings s;
    s.printer = readMeta(store.database(), "printer", "");
    s.paper = readMeta(store.database(), "paper", "a5");
    return s;
}

Outcome savePrintSettings(KioskStore& store, const PrintSettings& settings) {
    if (auto ok = writeMeta(store.database(), "printer", settings.printer); !ok) return ok;
    return writeMeta(store.database(), "paper", settings.paper);
}

}  // namespace kiosk::store
