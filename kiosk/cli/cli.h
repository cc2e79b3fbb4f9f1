#pragma once
// kioskctl's shared plumbing: parsed arguments, the output language, exit codes, opening the
// kiosk database. Each command lives in its own cmd_*.cpp and is listed in main.cpp.
// Contract (docs/ARCHITECTURE.md): exit 0 success; 1 internal error; 2 bad input or refused — one clear
// line on stderr, nothing changed; 3 temporarily impossible (server unreachable) — try later.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::cli {

enum Exit { kOk = 0, kInternal = 1, kBadInput = 2, kTryLater = 3 };

struct Args {
    std::vector<std::string> positional;         // after the command name
    std::map<std::string, std::string> options;  // --name value
    std::vector<std::string> flags;              // --name without a value
    bool has(const std::string& flag) const;
    std::optional<std::string> get(const std::string& name) const;
};

struct Context {
    Args args;
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
};

// Reads all of standard input (for --pin-stdin and friends), without the trailing newline.
std::string readStdinLine();
std::string defaultDataDir();
// "khieu-nai" … "phan-anh", or "dossier": the kind column of list and find.
std::string kindSlug(const Record& record);

// Commands. Each returns the process exit code.
int cmdInit(Context& ctx);
int cmdSubmitPetition(Context& ctx);
int cmdRegisterDossier(Context& ctx);
int cmdStatus(Context& ctx);
int cmdSearch(Context& ctx);
int cmdList(Context& ctx);
int cmdOfficer(Context& ctx);
int cmdFind(Context& ctx);  // kiosk/cli/cmd_officer.cpp
int cmdAct(Context& ctx);
int cmdReception(Context& ctx);
int cmdSync(Context& ctx);  // kiosk/cli/cmd_sync.cpp
int cmdTelex(Context& ctx);

}  // namespace kiosk::cli
