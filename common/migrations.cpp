#include "common/migrations.h"

#include <string>

namespace kiosk::store {
Outcome applyMigrations(Database& db, std::span<const std::string_view> migrations,
                        const AfterMigration& after) {
    auto version = db.userVersion();
    if (!version) return version.error();
    if (*version > int64_t(migrations.size())) {
        const std::string v = std::to_string(*version);
        return makeError("db.too-new",
                         "Tệp dữ liệu " + db.path() + " được tạo bởi phiên bản mới hơn (lược đồ " + v +
                             "); hãy cập nhật phần mềm. Tệp không bị thay đổi.",
                         "The data file " + db.path() + " was written by a newer version (schema " + v +
                             "); update the software. The file was not changed.");
    }
    for (int64_t v = *version; v < int64_t(migrations.size()); ++v) {
        Transaction tx(db);
        if (!tx.begun()) return tx.begun();
        // Another process may have migrated while we waited for the write lock.
        auto again = db.userVersion();
        if (!again) return again.error();
        if (*again > v) continue;
        if (auto r = db.exec(migrations[size_t(v)]); !r) return r;
        if (after) {
            if (auto r = after(db, v); !r) return r;
        }
        if (auto r = db.setUserVersion(v + 1); !r) return r;
        if (auto r = tx.commit(); !r) return r;
    }
    return {};
}

}  // namespace kiosk::store
