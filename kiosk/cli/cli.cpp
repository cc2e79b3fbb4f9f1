#include "kiosk/cli/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace kiosk::cli {

int Context::fail(const Error& error, int code) const {
    std::fprintf(stderr, "kioskctl: %s\n", error.text(lang).c_str());
    return code;
}

int Context::fail(const std::string& vi, const std::string& en, int code) const {
    return fail(makeError("cli", vi, en), code);
}

Result<std::unique_ptr<store::KioskStore>> Context::openStore(bool create) const {
    if (create) {
        std::error_code ec;
        const auto parent = std::filesystem::path(dbPath).parent_path();
        if (!parent.empty()) {
            std::filesystem::create_directories(parent, ec);
            if (ec)
                return makeError("cli.dir", "Không tạo được thư mục " + parent.string() + ": " + ec.message(),
                                 "Cannot create the directory " + parent.string() + ": " + ec.message());
        }
    } else if (access(dbPath.c_str(), F_OK) != 0) {
        return makeError("config.missing",
                         "Chưa có cơ sở dữ liệu " + dbPath + ": chạy “kioskctl init --commune MÃ_XÃ” trước.",
                         "No database at " + dbPath + ": run “kioskctl init --commune CODE” first.");
    }
    auto store = store::KioskStore::open(dbPath, create);
    if (!store) return store.error();
    if (!create && !(*store)->initialized())
        return makeError("config.missing",
                         "Máy chưa được cài đặt: chạy “kioskctl init --commune MÃ_XÃ” trước.",
                         "This kiosk is not set up: run “kioskctl init --commune CODE” first.");
    return store;
}

Result<Service> Context::openService() const {
    auto store = openStore();
    if (!store) return store.error();
    Service opened;
    opened.store = std::move(*store);
    opened.service = std::make_unique<app::StoreController>(*opened.store, ComposerOptions{});
    return opened;
}

int exitFor(const Error& error) {
    const bool internal = error.code.rfind("db.", 0) == 0 || error.code.rfind("vault.", 0) == 0;
    return internal ? kInternal : kBadInput;
}

std::string readStdinLine() {
    std::string line;
    std::getline(std::cin, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    return line;
}

}  // namespace kiosk::cli
