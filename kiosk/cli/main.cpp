// kioskctl: the kiosk's use cases without a window, for officers' scripts, installers and tests.
// The command-line contract (names, flags, exit codes, JSON keys) is docs/ARCHITECTURE.md's; keep it.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <set>

#include "kiosk/cli/cli.h"

namespace kiosk::cli {
namespace {

struct Command {
    const char* name;
    int (*run)(Context&);
    const char* usage;
    const char* summaryVi;
    const char* summaryEn;
};

const Command kCommands[] = {
    {"init", cmdInit, "init --commune CODE [--server URL --token TOKEN] [--ca FILE] [--district-key KEY]",
     "tạo hoặc cấu hình lại cơ sở dữ liệu của máy (chạy một lần trước mọi lệnh khác)",
     "create or reconfigure this kiosk's database (once, before anything else)"},
    {"submit-petition", cmdSubmitPetition,
     "submit-petition --type khieu-nai|to-cao|kien-nghi|phan-anh --phone P [--name N] [--cccd C] "
     "[--address A] --content TEXT",
     "gửi một đơn thư; in mã biên nhận", "submit a petition; prints the receipt code"},
    {"register-dossier", cmdRegisterDossier,
     "register-dossier --procedure CODE --name N --phone P [--cccd C] [--delivery counter|post] [--address "
     "A]",
     "tiếp nhận hồ sơ thủ tục hành chính; in mã biên nhận và hạn trả",
     "register an administrative dossier; prints the receipt code and due date"},
    {"status", cmdStatus, "status CODE --phone-last4 NNNN", "tra cứu tình trạng đơn thư hoặc hồ sơ",
     "check the status of a petition or dossier"},
    {"search", cmdSearch, "search QUERY", "tìm thủ tục hành chính (có dấu hoặc không dấu)",
     "search the procedure catalog (with or without diacritics)"},
    {"list", cmdList, "list [--overdue] [--status S]", "danh sách hồ sơ theo hạn xử lý",
     "list records by due date"},
    {"find", cmdFind, "find NAME|PHONE|CCCD|CODE --officer ID --pin-stdin [--open]",
     "cán bộ tìm đơn, hồ sơ theo tên, số điện thoại, CCCD hoặc mã (--json có tên và số điện thoại)",
     "an officer finds records by name, phone, CCCD or code (--json includes name and phone)"},
    {"officer", cmdOfficer,
     "officer add --id ID --name N [--role officer|chair] --pin-stdin | officer disable|reset-pin --id ID "
     "[--pin-stdin]",
     "quản lý tài khoản cán bộ xã", "manage commune officer accounts"},
    {"act", cmdAct,
     "act CODE --officer ID --pin-stdin ACTION [--note T]   (ACTION: accept|reject|request-info|resolve|"
     "transfer|extend|withdraw|process|ready|deliver|suspend)",
     "cán bộ xử lý một hồ sơ", "an officer acts on a record"},
    {"reception", cmdReception,
     "reception add --officer ID --pin-stdin --people N --case new|CODE [--kind K] [--outcome T] [--note T]"
     " | reception list",
     "ghi nhận một lượt tiếp công dân", "record a citizen reception session"},
    {"sync", cmdSync, "sync [--once [--timeout S]] | sync --state", "đồng bộ với máy chủ huyện",
     "synchronise with the district server"},
    {"telex", cmdTelex, "telex [--method telex|vni] [--style old|new]",
     "gõ tiếng Việt: mỗi dòng phím gõ vào -> một dòng chữ ra",
     "Vietnamese input: one keystroke line in -> one text line out"},
};

// Options that take a value; everything else starting with -- is a flag.
const std::set<std::string> kValueOptions = {
    "db",    "lang",          "commune", "server",       "token",     "ca",       "type",        "phone",
    "name",  "cccd",          "address", "content",      "procedure", "delivery", "phone-last4", "status",
    "id",    "role",          "officer", "note",         "people",    "case",     "timeout",     "method",
    "style", "official-code", "limit",   "district-key", "kind",      "outcome",
};

void printHelp(Lang lang, const Command* only) {
    const bool en = lang == Lang::En;
    if (only) {
        std::printf("%s: kioskctl [--db FILE] [--json] [--lang vi|en] %s\n  %s\n", en ? "Usage" : "Cách dùng",
                    only->usage, en ? only->summaryEn : only->summaryVi);
        return;
    }
    std::printf("%s: kioskctl [--db FILE] [--json] [--lang vi|en] %s\n\n", en ? "Usage" : "Cách dùng",
                en ? "COMMAND [ARGS]" : "LỆNH [THAM SỐ]");
    for (const Command& c : kCommands) std::printf("  %-17s %s\n", c.name, en ? c.summaryEn : c.summaryVi);
    std::printf(
        "\n%s\n",
        en ? "Exit codes: 0 done, 1 internal error, 2 bad input or refused, 3 try later.\n"
             "--db defaults to $XDG_DATA_HOME/commune-kiosk/kiosk.db. 'kioskctl COMMAND --help' for details."
           : "Mã thoát: 0 xong, 1 lỗi nội bộ, 2 dữ liệu sai hoặc bị từ chối, 3 thử lại sau.\n"
             "--db mặc định là $XDG_DATA_HOME/commune-kiosk/kiosk.db. 'kioskctl LỆNH --help' để xem chi "
             "tiết.");
}

}  // namespace
}  // namespace kiosk::cli

int main(int argc, char** argv) {
    using namespace kiosk::cli;
    // No core dumps: a crash must not write what a citizen typed to disk.
    rlimit noCore{0, 0};
    setrlimit(RLIMIT_CORE, &noCore);

    Context ctx;
    std::string command;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string name = a.substr(2), value;
            const auto eq = name.find('=');
            if (eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                ctx.args.options[name] = value;
            } else if (kValueOptions.count(name)) {
                if (i + 1 >= argc) {
                    std::fprintf(stderr, "kioskctl: --%s cần một giá trị / --%s needs a value\n",
                                 name.c_str(), name.c_str());
                    return kBadInput;
                }
                ctx.args.options[name] = argv[++i];
            } else {
                ctx.args.flags.push_back(name);
            }
        } else if (a == "-h") {
            ctx.args.flags.push_back("help");
        } else if (command.empty()) {
            command = a;
        } else {
            ctx.args.positional.push_back(a);
        }
    }
    if (auto lang = ctx.args.get("lang")) {
        if (*lang == "en")
            ctx.lang = kiosk::Lang::En;
        else if (*lang != "vi") {
            std::fprintf(stderr, "kioskctl: --lang phải là vi hoặc en / --lang must be vi or en\n");
            return kBadInput;
        }
    } else if (const char* env = std::getenv("KIOSK_LANG"); env && std::strcmp(env, "en") == 0) {
        ctx.lang = kiosk::Lang::En;
    }
    ctx.json = ctx.args.has("json");
    ctx.dbPath = ctx.args.get("db").value_or(defaultDataDir() + "/kiosk.db");

    const Command* found = nullptr;
    for (const Command& c : kCommands)
        if (command == c.name) found = &c;
    if (command.empty() || (!found && ctx.args.has("help"))) {
        printHelp(ctx.lang, nullptr);
        return command.empty() && !ctx.args.has("help") ? kBadInput : kOk;
    }
    if (!found) {
        return ctx.fail("Không có lệnh “" + command + "”. Xem kioskctl --help.",
                        "No such command “" + command + "”. See kioskctl --help.");
    }
    if (ctx.args.has("help")) {
        printHelp(ctx.lang, found);
        return kOk;
    }
    try {
        return found->run(ctx);
    } catch (const std::exception& e) {
        return ctx.fail(std::string("Lỗi nội bộ: ") + e.what(), std::string("Internal error: ") + e.what(),
                        kInternal);
    }
}
