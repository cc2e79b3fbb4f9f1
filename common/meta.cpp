#include "common/meta.h"

#include <charconv>

namespace kiosk::store {

std::string readMeta(Database& db, const std::string& key, const std::string& fallback) {
    auto st = db.prepare("SELECT value FROM meta WHERE key = ?");
    if (!st) return fallback;
    st->bind(1, key);
    auto row = st->step();
    return row.ok() && *row ? st->text(0) : fallback;
}

std::optional<int64_t> readMetaInteger(Database& db, const std::string& key) {
    return parseMetaInteger(readMeta(db, key));
}

std::optional<int64_t> parseMetaInteger(const std::string& text) {
    int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || stop != end) return std::nullopt;
    return value;
}

Outcome writeMeta(Database& db, const std::string& key, const std::string& value) {
    auto st = db.prepare(
        "INSERT INTO meta(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st) return st.error();
    st->bind(1, key).bind(2, value);
    return st->run();
}

}  // namespace kiosk::store
