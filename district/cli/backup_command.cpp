#include "district/cli/backup_command.h"

#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "district/office/backup.h"
#include "district/store/district_store.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district {
namespace {

// Besides failCommand's classes: a server holding the target is temporary (exit 3), and a backup
// directory that cannot be written or a copy that fails its check is internal (exit 1).
int fail(const DistrictCommandLine& cl, const Error& e) {
    if (e.code == "db.busy") return failCommand(cl, e.vi, e.en, common::kTryLater);
    if (e.code == "backup.dir" || e.code == "backup.integrity")
        return failCommand(cl, e.vi, e.en, common::kInternal);
    return failCommand(cl, e);
}

int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int runBackupCommand(const DistrictCommandLine& cl) {
    const auto out = cl.get("out");
    if (!out || out->empty())
        return failCommand(cl, "Thiếu --out THƯ_MỤC.", "Missing --out DIR.", common::kBadInput);
    int keep = 7;
    if (auto text = cl.get("keep")) {
        try {
            size_t used = 0;
            keep = std::stoi(*text, &used);
            if (used != text->size() || keep < 1 || keep > 1000) throw std::out_of_range("keep");
        } catch (const std::exception&) {
            return failCommand(cl, "--keep nhận một số từ 1 đến 1000.",
                               "--keep takes a number from 1 to 1000.", common::kBadInput);
        }
    }
    auto store = DistrictStore::open(cl.dbPath, false);
    if (!store) return fail(cl, store.error());
    auto set = backupDistrict(**store, *out, keep, nowMs());
    if (!set) return fail(cl, set.error());
    if (cl.json) {
        nlohmann::json removed = nlohmann::json::array();
        for (const std::string& r : set->removed) removed.push_back(r);
        std::cout << protocol::dumpJson({{"database", set->database},
                                         {"key_file", set->keyFile},
                                         {"bytes", set->bytes},
                                         {"removed", removed}})
                  << std::endl;
    } else {
        std::cout << set->database << "\n";
        if (!set->keyFile.empty()) std::cout << set->keyFile << "\n";
    }
    return common::kOk;
}

int runRestoreCommand(const DistrictCommandLine& cl) {
    const auto from = cl.get("from");
    if (!from || from->empty())
        return failCommand(cl, "Thiếu --from TỆP_SAO_LƯU.", "Missing --from BACKUP_FILE.", common::kBadInput);
    auto restored = restoreDistrict(*from, cl.dbPath);
    if (!restored) return fail(cl, restored.error());
    if (cl.json) {
        std::cout << protocol::dumpJson({{"database", restored->database},
                                         {"key_file", restored->keyFile},
                                         {"key_file_kept", restored->keyFileKept}})
                  << std::endl;
    } else {
        std::cout << restored->database << "\n";
    }
    return common::kOk;
}

std::string backupHelp(Lang lang) {
    if (lang == Lang::En)
        return "Usage: district-server backup --db FILE --out DIR [--keep N] [--json]\n"
               "  An online, consistent copy of the database and its key file while kiosks push: checked\n"
               "  (integrity_check on the copy; the copied key opens a seal made to the current key), then\n"
               "  named DIR/district-YYYYMMDDTHHMMSSZ.db and .db.keys (mode 0600). The newest N sets are\n"
               "  kept (default 7). Prints the files made. --json: "
               "{\"database\",\"key_file\",\"bytes\",\"removed\"}.\n";
    return "Cách dùng: district-server backup --db TỆP --out THƯ_MỤC [--keep N] [--json]\n"
           "  Sao lưu cơ sở dữ liệu và tệp khoá ngay khi máy kiosk đang gửi lên: kiểm tra bản sao\n"
           "  (integrity_check; khoá chép ra mở được niêm phong làm cho khoá hiện hành), rồi đặt tên\n"
           "  THƯ_MỤC/district-YYYYMMDDTHHMMSSZ.db và .db.keys (quyền 0600). Giữ N bộ mới nhất (mặc định "
           "7).\n"
           "  In ra các tệp đã tạo. --json: {\"database\",\"key_file\",\"bytes\",\"removed\"}.\n";
}

std::string restoreHelp(Lang lang) {
    if (lang == Lang::En)
        return "Usage: district-server restore --from BACKUP.db --db FILE [--json]\n"
               "  Puts a backup back as FILE, with its key file (BACKUP.db.keys) beside it unless a key\n"
               "  file already there opens the backup's seals. Refused, with nothing changed, when the\n"
               "  backup is damaged, not a district database, made by a newer version, another\n"
               "  district's, or its key does not open its seals; exit 3 while a server has FILE open.\n"
               "  Kiosks then resend whatever the district acknowledged after the backup was taken.\n";
    return "Cách dùng: district-server restore --from SAO_LƯU.db --db TỆP [--json]\n"
           "  Khôi phục bản sao lưu thành TỆP, kèm tệp khoá (SAO_LƯU.db.keys) trừ khi tệp khoá đang có\n"
           "  mở được dữ liệu của bản sao lưu. Từ chối, không đổi gì, khi bản sao lưu hỏng, không phải\n"
           "  cơ sở dữ liệu của máy chủ, do phiên bản mới hơn tạo, của máy chủ khác, hoặc khoá không mở\n"
           "  được niêm phong; mã thoát 3 khi máy chủ đang mở TỆP. Sau đó các máy kiosk tự gửi lại những\n"
           "  gì máy chủ đã nhận sau lúc sao lưu.\n";
}

}  // namespace kiosk::district
