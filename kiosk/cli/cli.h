#pragma once
// kioskctl's shared plumbing: parsed arguments (common/args.h), the output language, opening the
// kiosk database. Each command lives in its own cmd_*.cpp and is listed, with the options it
// takes, in main.cpp. The use cases themselves are kiosk/service's (KioskService), the same the
// window uses; a command reads its arguments, calls the service and prints the answer.
// Contract (docs/ARCHITECTURE.md): the exit codes are common::Exit — 0 success; 1 internal error;
// 2 bad input or refused — one clear line on stderr, nothing changed; 3 temporarily impossible
// (server unreachable) — try later.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/args.h"
#include "common/result.h"
#include "kiosk/service/store_controller.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::cli {

using common::Exit;
using common::kBadInput;
using common::kInternal;
using common::kOk;
using common::kTryLater;

// The kiosk database and the kiosk's use cases on it, for one command.
struct Service {
    std::unique_ptr<store::KioskStore> store;
    std::unique_ptr<app::StoreController> service;
    app::StoreController* operator->() const { return service.get(); }
};

struct Context {
    common::Arguments args;
    Lang lang = Lang::Vi;
    bool json = false;
    std::string dbPath;  // --db, or $XDG_DATA_HOME/commune-kiosk/kiosk.db

    // Prints "kioskctl: <message>" on stderr in the current language; returns code.
    int fail(const Error& error, int code = kBadInput) const;
    int fail(const std::string& vi, const std::string& en, int code = kBadInput) const;
    const std::string& say(const std::string& vi, const std::string& en) const {
        return lang == Lang::En ? en : vi;
    }
    // Opens the database; refuses (exit 2) when it does not exist or is not initialised, unless
    // create is set (init).
    Result<std::unique_ptr<store::KioskStore>> openStore(bool create = false) const;
    // openStore, then the use cases on it (kiosk/service, the same the window uses).
    Result<Service> openService() const;
};

// The exit code for a use case's Error: 1 when the kiosk itself failed (its database, its keys),
// else 2 (the input was refused).
int exitFor(const Error& error);

// Reads all of standard input (for --pin-stdin and friends), without the trailing newline.
std::string readStdinLine();
// "khieu-nai" … "phan-anh", or "dossier": the kind column of list and find.
std::string kindSlug(const Record& record);

// Commands. Each returns the process exit code.
int cmdInit(Context& ctx);
int cmdSubmitPetition(Context& ctx);
int cmdRegisterDossier(Context& ctx);
int cmdStatus(Context& ctx);
int cmdRate(Context& ctx);  // kiosk/cli/cmd_rate.cpp
int cmdSearch(Context& ctx);
int cmdList(Context& ctx);
int cmdOfficer(Context& ctx);
int cmdFind(Context& ctx);  // kiosk/cli/cmd_officer.cpp
int cmdAct(Context& ctx);
int cmdReception(Context& ctx);
int cmdSync(Context& ctx);  // kiosk/cli/cmd_sync.cpp
int cmdTelex(Context& ctx);
int cmdPrint(Context& ctx);  // kiosk/cli/cmd_print.cpp
// kioskctl init's --printer and --paper: checked before anything is written, saved after.
std::optional<int> checkPrintOptions(Context& ctx);
Outcome savePrintOptions(Context& ctx, store::KioskStore& store);
int cmdSay(Context& ctx);  // kiosk/cli/cmd_voice.cpp
int cmdConfig(Context& ctx);

}  // namespace kiosk::cli
