// kioskctl: the kiosk's use cases without a window, for officers' scripts, installers and tests.
// The command-line contract (names, flags, exit codes, JSON keys) is docs/ARCHITECTURE.md's; keep it.
// Every command names the options it takes (kCommands); any other option is refused with one line
// naming it (exit 2), so a mistyped option never passes silently.

#include <cstdio>
#include <exception>
#include <iostream>
#include <set>
#include <string>

#include "common/args.h"
#include "common/process.h"
#include "common/paths.h"
#include "kiosk/cli/cli.h"

namespace kiosk::cli {
namespace {

struct Command {
    const char* name;
    int (*run)(Context&);
    const char* usage;
    const char* summaryVi;
    const char* summaryEn;
    std::set<std::string> values;  // the command's options that take a value (besides kGlobal's)
    std::set<std::string> flags;   // and those that take none
};

// Options every command takes: --db FILE, --lang vi|en, --json (and --help, -h).
const common::OptionSpec kGlobal{{"db", "lang"}, {"json"}};

const Command kCommands[] = {
    {"init",
     cmdInit,
     "init --commune CODE [--server URL --token TOKEN [--slot N]] [--ca FILE] [--district-key KEY] "
     "[--insecure-http] [--printer NAME] [--paper roll80|a5|a4]",
     "tạo hoặc cấu hình lại cơ sở dữ liệu của máy (chạy một lần trước mọi lệnh khác); --slot: số máy "
     "do enroll-kiosk in ra",
     "create or reconfigure this kiosk's database (once, before anything else); --slot: the slot "
     "enroll-kiosk printed",
     {"commune", "server", "token", "ca", "district-key", "slot", "printer", "paper"},
     {"insecure-http"}},
    {"submit-petition",
     cmdSubmitPetition,
     "submit-petition --type khieu-nai|to-cao|kien-nghi|phan-anh --phone P|--no-phone [--name N] [--cccd C] "
     "[--address A] --content TEXT [--second-time FIRST_CODE] [--writer NAME [--writer-relation R]]",
     "gửi một đơn; in mã biên nhận. Họ tên, số định danh cá nhân và (từ 1/7/2026) địa chỉ: bắt buộc với "
     "khiếu nại, tố cáo (petition_kinds.tsv)",
     "submit a petition; prints the receipt code. Name, personal ID number and (from 2026-07-01) "
     "address are required for khieu-nai and to-cao (petition_kinds.tsv)",
     {"type", "phone", "name", "cccd", "address", "content", "second-time", "writer", "writer-relation"},
     {"no-phone"}},
    {"register-dossier",
     cmdRegisterDossier,
     "register-dossier --procedure CODE --name N --phone P|--no-phone [--cccd C] [--delivery counter|post] "
     "[--address A]   (--no-phone: the second line is the 4-digit check PIN for status)",
     "tiếp nhận hồ sơ thủ tục hành chính; in mã biên nhận và hạn trả",
     "register an administrative dossier; prints the receipt code and due date",
     {"procedure", "name", "phone", "cccd", "delivery", "address"},
     {"no-phone"}},
    {"status",
     cmdStatus,
     "status CODE --phone-last4 NNNN",
     "tra cứu tình trạng đơn hoặc hồ sơ",
     "check the status of a petition or dossier",
     {"phone-last4"},
     {}},
    {"rate",
     cmdRate,
     "rate CODE --value rat-hai-long|hai-long|khong-hai-long [--criteria a,b] [--stage receipt|finished]",
     "ghi một lượt đánh giá mức độ hài lòng (không kèm danh tính); một lượt cho mỗi hồ sơ và giai đoạn",
     "record a satisfaction rating (no identity); one per record and stage",
     {"value", "criteria", "stage"},
     {}},
    {"search",
     cmdSearch,
     "search QUERY",
     "tìm thủ tục hành chính (có dấu hoặc không dấu)",
     "search the procedure catalog (with or without diacritics)",
     {},
     {}},
    {"list",
     cmdList,
     "list [--overdue] [--status S]",
     "danh sách hồ sơ theo hạn xử lý",
     "list records by due date",
     {"status", "limit"},
     {"overdue"}},
    {"find",
     cmdFind,
     "find NAME|PHONE|CCCD|CODE --officer ID --pin-stdin [--open]",
     "cán bộ tìm đơn, hồ sơ theo tên, số điện thoại, CCCD hoặc mã (--json có tên và số điện thoại)",
     "an officer finds records by name, phone, CCCD or code (--json includes name and phone)",
     {"officer"},
     {"pin-stdin", "open"}},
    {"officer",
     cmdOfficer,
     "officer add --id ID --name N [--role officer|chair] --pin-stdin | officer disable|reset-pin --id ID "
     "[--pin-stdin]",
     "quản lý tài khoản cán bộ xã",
     "manage commune officer accounts",
     {"id", "name", "role"},
     {"pin-stdin"}},
    {"act",
     cmdAct,
     "act CODE --officer ID --pin-stdin ACTION [--note T] [--complexity normal|complex|especially-complex]"
     " [--agency SLUG]   (ACTION: accept|reject|request-info|resolve|transfer|extend|withdraw|withdraw-part|"
     "process|ready|deliver|suspend|resume|mark-signed; transfer needs --agency from assets/agencies.tsv;"
     " mark-signed: the citizen signed or fingerprinted the printed petition)",
     "cán bộ xử lý một hồ sơ",
     "an officer acts on a record",
     {"officer", "note", "complexity", "agency"},
     {"pin-stdin"}},
    {"reception",
     cmdReception,
     "reception add --officer ID --pin-stdin --people N --case new|CODE [--kind K] [--outcome T] [--note T]"
     " | reception list",
     "ghi nhận một lượt tiếp công dân",
     "record a citizen reception session",
     {"officer", "people", "case", "kind", "outcome", "note"},
     {"pin-stdin"}},
    {"sync",
     cmdSync,
     "sync [--once [--timeout S]] | sync --state",
     "đồng bộ với máy chủ",
     "synchronise with the server",
     {"timeout", "limit"},
     {"once", "state"}},
    {"print",
     cmdPrint,
     "print CODE [--paper slip|receipt-form|petition|supplement|apology] [--printer NAME] [--pdf FILE] "
     "[--new-date YYYY-MM-DD] [--officer ID --pin-stdin]",
     "in giấy của một hồ sơ qua máy in (CUPS), hoặc ra tệp PDF với --pdf",
     "print a record's paper through the printer (CUPS), or to a PDF file with --pdf",
     {"paper", "printer", "pdf", "new-date", "officer"},
     {"pin-stdin"}},
    {"telex",
     cmdTelex,
     "telex [--method telex|vni] [--style old|new]",
     "gõ tiếng Việt: mỗi dòng phím gõ vào -> một dòng chữ ra",
     "Vietnamese input: one keystroke line in -> one text line out",
     {"method", "style"},
     {}},
    {"say",
     cmdSay,
     "say TEXT [--wav FILE] [--volume 0-100]",
     "đọc văn bản bằng giọng tiếng Việt của máy (ra loa, hoặc ghi vào tệp WAV)",
     "speak the text in the kiosk's Vietnamese voice (to the loudspeaker, or into a WAV file)",
     {"wav", "volume"},
     {}},
    {"config",
     cmdConfig,
     "config [--volume 0-100]",
     "xem hoặc đặt cài đặt của máy: âm lượng giọng đọc (0 = tắt nút Nghe)",
     "show or set the kiosk's settings: the voice's volume (0 = no Nghe button)",
     {"volume"},
     {}},
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

const Command* findCommand(const std::string& name) {
    for (const Command& c : kCommands)
        if (name == c.name) return &c;
    return nullptr;
}

// Every option any command takes: enough to find the command word (which options eat the next
// word) before the command's own options are checked.
common::OptionSpec anyCommandSpec() {
    common::OptionSpec spec = kGlobal;
    for (const Command& c : kCommands) {
        spec.values.insert(c.values.begin(), c.values.end());
        spec.flags.insert(c.flags.begin(), c.flags.end());
    }
    return spec;
}

common::OptionSpec commandSpec(const Command& command) {
    common::OptionSpec spec = kGlobal;
    spec.values.insert(command.values.begin(), command.values.end());
    spec.flags.insert(command.flags.begin(), command.flags.end());
    return spec;
}

// Parses the line into ctx: the command (nullptr when none or unknown) and its arguments. An exit
// code when the line is refused (or only asks for help).
std::optional<int> parseLine(int argc, char** argv, Context& ctx, const Command*& found) {
    ctx.lang = common::languageFromCommandLine(argc, argv);
    auto any = common::parseArguments(argc, argv, anyCommandSpec());
    if (!any) return ctx.fail(any.error());
    found = findCommand(any->command);
    auto parsed = found ? common::parseArguments(argc, argv, commandSpec(*found)) : std::move(any);
    if (!parsed) return ctx.fail(parsed.error());
    ctx.args = std::move(*parsed);
    if (auto lang = ctx.args.get("lang"); lang && *lang != "vi" && *lang != "en") {
        std::fprintf(stderr, "kioskctl: --lang phải là vi hoặc en / --lang must be vi or en\n");
        return kBadInput;
    }
    ctx.json = ctx.args.has("json");
    ctx.dbPath = ctx.args.get("db").value_or(common::userDataFile("kiosk.db"));
    const std::string& command = ctx.args.command;
    if (command.empty() || (!found && ctx.args.has("help"))) {
        printHelp(ctx.lang, nullptr);
        return command.empty() && !ctx.args.has("help") ? kBadInput : kOk;
    }
    if (!found)
        return ctx.fail("Không có lệnh “" + command + "”. Xem kioskctl --help.",
                        "No such command “" + command + "”. See kioskctl --help.");
    if (ctx.args.has("help")) {
        printHelp(ctx.lang, found);
        return kOk;
    }
    return std::nullopt;
}

}  // namespace
}  // namespace kiosk::cli

int main(int argc, char** argv) {
    using namespace kiosk::cli;
    kiosk::common::disableCoreDumps();

    Context ctx;
    const Command* command = nullptr;
    if (auto refused = parseLine(argc, argv, ctx, command)) return *refused;
    try {
        return command->run(ctx);
    } catch (const std::exception& e) {
        return ctx.fail(std::string("Lỗi nội bộ: ") + e.what(), std::string("Internal error: ") + e.what(),
                        kInternal);
    }
}
