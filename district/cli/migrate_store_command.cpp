#include "district/cli/migrate_store_command.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/database.h"
#include "common/meta.h"
#include "district/office/keys.h"
#include "district/store/district_store.h"
#include "district/store/store_copy.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {

namespace {

std::string absolutePath(const std::string& path) {
    std::error_code ignored;
    auto full = std::filesystem::absolute(path, ignored);
    return ignored ? path : full.lexically_normal().string();
}

// The copy's key file is the source's (or --key-file): the target database names it, since the
// default beside an SQLite file means nothing for a PostgreSQL database. It must hold every key
// the records were sealed to and open a seal made to the current one: checked on the file before
// the copy (a wrong file changes nothing) and on the copy after it.
Outcome checkKeys(const std::string& database, const std::string& keyFile, bool name) {
    auto store = DistrictStore::open(database, false);
    if (!store) return store.error();
    const std::string publicKey = districtPublicKey(**store);
    if (publicKey.empty()) return {};  // no key was ever made: nothing was sealed
    if (name)
        if (auto ok = store::writeMeta((*store)->database(), "district_key_file", absolutePath(keyFile)); !ok)
            return ok;
    if (auto ok = checkKeyFileOpens(keyFile, publicKey); !ok) return ok;
    auto unknown = listUnknownSeals(**store);
    if (!unknown) return unknown.error();
    if (!unknown->empty())
        return makeError("migrate.keys",
                         "Tệp khoá " + keyFile + " không mở được " + std::to_string(unknown->size()) +
                             " hồ sơ niêm phong đã chép (xem district-server unknown-seals).",
                         "Key file " + keyFile + " cannot open " + std::to_string(unknown->size()) +
                             " copied sealed records (see district-server unknown-seals).");
    return {};
}

}  // namespace

std::string migrateStoreHelp(Lang lang) {
    if (lang == Lang::En)
        return "Usage: district-server migrate-store --from FILE --to postgresql://… [--key-file FILE] "
               "[--json]\n"
               "  Copies the district's SQLite file into an empty PostgreSQL database (every table, the\n"
               "  store id kept so kiosks' cursors stay valid), checks each table's row count and that the\n"
               "  key file (default: the file's own) opens the copied seals. Stop `serve` first. Progress\n"
               "  on stderr; stdout: TABLE<TAB>ROWS; --json: {\"tables\":{TABLE:ROWS},\"key_file\"}.\n";
    return "Cách dùng: district-server migrate-store --from TỆP --to postgresql://… [--key-file TỆP] "
           "[--json]\n"
           "  Chép tệp SQLite của máy chủ vào một cơ sở dữ liệu PostgreSQL trống (mọi bảng, giữ mã định\n"
           "  danh để con trỏ của máy kiosk vẫn đúng), kiểm tra số hàng từng bảng và tệp khoá (mặc định:\n"
           "  tệp khoá của tệp nguồn) mở được các niêm phong đã chép. Dừng `serve` trước. Tiến độ in ra\n"
           "  stderr; stdout: BẢNG<TAB>SỐ_HÀNG; --json: {\"tables\":{BẢNG:SỐ_HÀNG},\"key_file\"}.\n";
}

int runMigrateStoreCommand(const DistrictCommandLine& cl) {
    const auto from = cl.get("from");
    const auto to = cl.get("to");
    if (!from || !to)
        return failCommand(cl, migrateStoreHelp(Lang::Vi), migrateStoreHelp(Lang::En), common::kBadInput);
    if (!store::isPostgresTarget(*to))
        return failCommand(cl, "--to phải là địa chỉ postgresql://… của cơ sở dữ liệu đích.",
                           "--to must be the target database's postgresql://… URI.", common::kBadInput);
    if (store::isPostgresTarget(*from) || !std::filesystem::exists(*from))
        return failCommand(cl, "Không có tệp dữ liệu SQLite " + *from + ".",
                           "No SQLite data file " + *from + ".", common::kBadInput);
    std::string keyFile = cl.get("key-file").value_or("");
    if (keyFile.empty()) {
        auto source = DistrictStore::open(*from, false);
        if (!source) return failCommand(cl, source.error());
        keyFile = districtKeyFile(**source);
    }
    if (auto ok = checkKeys(*from, keyFile, false); !ok)
        return failCommand(cl, ok.error().vi, ok.error().en, common::kBadInput);
    auto copied = copyDistrictStore(
        *from, *to, [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
    if (!copied) {
        const Error& e = copied.error();
        return failCommand(cl, e.vi, e.en,
                           e.code == "migrate.not-empty" ? common::kBadInput : common::kInternal);
    }
    if (auto ok = checkKeys(*to, keyFile, true); !ok)
        return failCommand(cl, ok.error().vi, ok.error().en, common::kInternal);
    if (cl.json) {
        nlohmann::json tables = nlohmann::json::object();
        for (const CopiedTable& t : *copied) tables[t.name] = t.rows;
        std::cout << protocol::dumpJson({{"tables", tables}, {"key_file", absolutePath(keyFile)}}) << "\n";
    } else {
        for (const CopiedTable& t : *copied) std::cout << t.name << "\t" << t.rows << "\n";
    }
    return 0;
}

}  // namespace kiosk::district
