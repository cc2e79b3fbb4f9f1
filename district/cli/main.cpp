// district-server: the district's sync server and its administration commands (docs/ARCHITECTURE.md
// "The command-line contract"). Exit codes: 0 success; 1 internal error; 2 bad input or refused —
// one line on stderr, nothing changed; 3 temporarily impossible (the address is taken). Messages
// are Vietnamese unless --lang en.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/process.h"
#include "core/calendar.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "sync/protocol/safe_json.h"
#include "common/args.h"
#include "common/paths.h"
#include "district/cli/commands.h"
#include "district/cli/service_notify.h"
#include "district/dashboard/client_address.h"
#include "district/office/backup.h"
#include "district/office/administration.h"
#include "district/office/keys.h"
#include "district/server/district_server.h"
#include "district/store/district_store.h"
#include "district/office/reference_import.h"

namespace {

using namespace kiosk;
using namespace kiosk::district;

using common::kBadInput;
using common::kInternal;
using common::kOk;
using common::kTryLater;

// The parsed command line (common/args.h; option names without their "--") and what follows from it.
struct Args : common::Arguments {
    Lang lang = Lang::Vi;
    bool json = false;
    bool help = false;

    const std::string& say(const std::string& vi, const std::string& en) const {
        return lang == Lang::En ? en : vi;
    }
};

int fail(const Args& args, const std::string& vi, const std::string& en, int code = kBadInput) {
    std::fprintf(stderr, "district-server: %s\n", args.say(vi, en).c_str());
    return code;
}

int fail(const Args& args, const Error& error, int code) { return fail(args, error.vi, error.en, code); }

// The options of the sync commands; the district's own commands add theirs (commands.h).
const common::OptionSpec& optionSpec() {
    static const common::OptionSpec spec = [] {
        common::OptionSpec s{
            {"db", "listen", "tls-cert", "tls-key", "commune", "kiosk", "lang", "threads", "trusted-proxy"},
            {"json", "help"}};
        s.values.insert(districtValueOptions().begin(), districtValueOptions().end());
        s.flags.insert(districtFlagOptions().begin(), districtFlagOptions().end());
        return s;
    }();
    return spec;
}

// Parses argv; an unknown option, a missing value or a bad --lang is an Error naming it.
Outcome parseArgs(int argc, char** argv, Args& args) {
    // The language first, so the very first error already speaks it.
    args.lang = common::languageFromCommandLine(argc, argv);
    auto parsed = common::parseArguments(argc, argv, optionSpec());
    if (!parsed) return parsed.error();
    static_cast<common::Arguments&>(args) = std::move(*parsed);
    args.json = args.has("json");
    args.help = args.has("help");
    if (auto lang = args.get("lang"); lang && *lang != "vi" && *lang != "en")
        return makeError("args.lang", "--lang chỉ nhận vi hoặc en.", "--lang takes vi or en.");
    return {};
}

std::string dbPath(const Args& args) { return args.get("db").value_or(common::userDataFile("district.db")); }

// [SECTION] help

const char* kUsageVi = R"(Cách dùng: district-server LỆNH [tuỳ chọn]

Các lệnh:
  serve --db TỆP --listen MÁY:CỔNG [--tls-cert TỆP --tls-key TỆP] [--threads N] [--key-file TỆP]
        [--trusted-proxy ĐỊA_CHỈ]...
        chạy máy chủ đồng bộ; cổng 0 chọn một cổng trống; dòng đầu tiên in ra là
        "listening on MÁY:CỔNG"; dừng gọn khi nhận SIGTERM hoặc SIGINT; tạo cặp
        khoá của máy chủ nếu chưa có (xem keygen)
  enroll-kiosk --db TỆP --commune MÃ_XÃ
        tạo danh tính cho một máy kiosk mới; chỉ in ra mã bí mật (token)
  revoke-kiosk --db TỆP --kiosk MÃ_MÁY
        thu hồi quyền đồng bộ của một máy kiosk
  move-kiosk --db TỆP --kiosk MÃ_MÁY --commune MÃ_XÃ
        chuyển máy sang xã kế thừa xã của nó (giữ mã bí mật, cấp số máy mới)
  kiosks --db TỆP [--json]
        liệt kê các máy kiosk
  records --db TỆP [--commune MÃ_XÃ] [--json]
        liệt kê hồ sơ cấp trên đang giữ
  check-codes --db TỆP [--json]
        liệt kê hồ sơ có mã biên nhận không khớp xã hoặc số máy; mã thoát 1 khi có

Tuỳ chọn chung: --db TỆP (mặc định $XDG_DATA_HOME/commune-kiosk/district.db), --json,
--lang vi|en, --help. Mã thoát: 0 thành công; 1 lỗi nội bộ; 2 dữ liệu sai hoặc bị từ chối;
3 tạm thời không làm được (cổng đang bị dùng).
)";

const char* kUsageEn = R"(Usage: district-server COMMAND [options]

Commands:
  serve --db FILE --listen HOST:PORT [--tls-cert FILE --tls-key FILE] [--threads N] [--key-file FILE]
        [--trusted-proxy ADDR]...
        run the sync server; port 0 picks a free port; the first line printed is
        "listening on HOST:PORT"; stops cleanly on SIGTERM or SIGINT; makes the
        district key pair when there is none (see keygen)
  enroll-kiosk --db FILE --commune CODE
        create a new kiosk identity; prints its token alone
  revoke-kiosk --db FILE --kiosk ID
        revoke a kiosk's access
  move-kiosk --db FILE --kiosk ID --commune CODE
        move a kiosk to the commune that succeeded its own (same token, new slot)
  kiosks --db FILE [--json]
        list the kiosks
  records --db FILE [--commune CODE] [--json]
        list the records the district holds
  check-codes --db FILE [--json]
        list records whose receipt code does not match their commune or slot; exit 1 when any

Common options: --db FILE (default $XDG_DATA_HOME/commune-kiosk/district.db), --json,
--lang vi|en, --help. Exit codes: 0 success; 1 internal error; 2 bad input or refused;
3 temporarily impossible (the address is in use).
)";

// The whole usage: the sync commands, the district's own (district_cli.h), then the common options.
std::string usage(Lang lang) {
    const std::string text = lang == Lang::En ? kUsageEn : kUsageVi;
    const size_t common = text.find(lang == Lang::En ? "\nCommon options" : "\nTuỳ chọn chung");
    return text.substr(0, common) + districtCommandsSummary(lang) + text.substr(common);
}

struct CommandHelp {
    const char* vi;
    const char* en;
};
const std::map<std::string, CommandHelp> kCommandHelp{
    {"serve",
     {"Cách dùng: district-server serve --db TỆP --listen MÁY:CỔNG [--tls-cert TỆP --tls-key TỆP] "
      "[--threads N] [--trusted-proxy ĐỊA_CHỈ]...\n  Chạy máy chủ đồng bộ (HTTP, hoặc HTTPS khi có chứng chỉ "
      "và khoá). Cổng 0 chọn "
      "một cổng trống;\n  dòng đầu tiên in ra là \"listening on MÁY:CỔNG\". Mỗi yêu cầu ghi một dòng "
      "nhật ký ra stderr.\n  Dừng gọn khi nhận SIGTERM hoặc SIGINT. --threads: số luồng phục vụ "
      "(mặc định 64).\n  --trusted-proxy ĐỊA_CHỈ (lặp lại được; IP hoặc CIDR): proxy TLS phía trước, chỉ "
      "tin X-Forwarded-For\n  và X-Forwarded-Proto từ các địa chỉ này.\n",
      "Usage: district-server serve --db FILE --listen HOST:PORT [--tls-cert FILE --tls-key FILE] "
      "[--threads N] [--trusted-proxy ADDR]...\n  Run the sync server (HTTP, or HTTPS with a certificate and "
      "key). Port 0 picks a "
      "free port;\n  the first line printed is \"listening on HOST:PORT\". One log line per request on "
      "stderr.\n  Stops cleanly on SIGTERM or SIGINT. --threads: worker threads (default 64).\n"
      "  --trusted-proxy ADDR (repeatable; an IP or CIDR): a TLS proxy in front; X-Forwarded-For and\n"
      "  X-Forwarded-Proto are believed from these peers only.\n"}},
    {"enroll-kiosk",
     {"Cách dùng: district-server enroll-kiosk --db TỆP --commune MÃ_XÃ [--json]\n  Tạo danh tính cho "
      "một máy kiosk mới của xã. Chỉ in ra mã bí mật (token) — nó chỉ hiện một lần;\n  máy chủ chỉ "
      "lưu SHA-256 của nó. Mỗi lần tạo một mã máy mới, với số máy (slot) nhỏ nhất\n  từ 01 đến 99 chưa "
      "từng dùng ở xã (in ra stderr; truyền cho kioskctl init --slot).\n  --json: "
      "{\"kiosk\",\"commune\",\"token\",\"slot\",\"district_public_key\"}.\n",
      "Usage: district-server enroll-kiosk --db FILE --commune CODE [--json]\n  Create a new kiosk "
      "identity for the commune. Prints its token alone — shown once only;\n  the server keeps only "
      "its SHA-256. Every enrollment makes a new kiosk id, with the lowest slot\n  01 to 99 never used in "
      "the commune (printed on stderr; give it to kioskctl init --slot).\n  --json: "
      "{\"kiosk\",\"commune\",\"token\",\"slot\",\"district_public_key\"}.\n"}},
    {"revoke-kiosk",
     {"Cách dùng: district-server revoke-kiosk --db TỆP --kiosk MÃ_MÁY\n  Thu hồi quyền đồng bộ: "
      "mọi yêu cầu sau đó với mã bí mật của máy này bị từ chối (403).\n",
      "Usage: district-server revoke-kiosk --db FILE --kiosk ID\n  Revoke a kiosk: every later request "
      "with its token is refused (403).\n"}},
    {"move-kiosk",
     {"Cách dùng: district-server move-kiosk --db TỆP --kiosk MÃ_MÁY --commune MÃ_XÃ [--json]\n  Chuyển "
      "máy sang xã kế thừa xã cũ của nó: giữ mã bí mật và số thứ tự sự kiện, cấp số máy\n  mới trong xã mới "
      "(đưa cho kioskctl init --commune MÃ_XÃ --slot N). Số máy cũ không cấp lại.\n  --json: "
      "{\"kiosk\",\"commune\",\"slot\"}\n",
      "Usage: district-server move-kiosk --db FILE --kiosk ID --commune CODE [--json]\n  Move a kiosk to the "
      "commune that succeeded its own: the same token and event sequence, a new\n  slot in the new commune "
      "(give it to kioskctl init --commune CODE --slot N). The old slot is never given again.\n  --json: "
      "{\"kiosk\",\"commune\",\"slot\"}\n"}},
    {"kiosks",
     {"Cách dùng: district-server kiosks --db TỆP [--json]\n  Liệt kê các máy kiosk. --json: "
      "[{\"kiosk\",\"commune\",\"last_seen\",\"revoked\",\"acked_seq\",\"clock_skew_ms\",\"clock_ahead\",...}"
      "]\n",
      "Usage: district-server kiosks --db FILE [--json]\n  List the kiosks. --json: "
      "[{\"kiosk\",\"commune\",\"last_seen\",\"revoked\",\"acked_seq\",\"clock_skew_ms\",\"clock_ahead\",...}"
      "]\n"}},
    {"check-codes",
     {"Cách dùng: district-server check-codes --db TỆP [--json]\n  Liệt kê hồ sơ có mã biên nhận không "
      "khớp: sai dạng hoặc chữ số kiểm tra (code-invalid),\n  mang mã xã khác (code-foreign), hoặc mang số "
      "máy không phải của máy nào trong xã\n  (code-slot; số 00 cấp sau khi mọi máy của xã đã biết số "
      "máy cũng vậy).\n  Mã thoát 0 khi không có, 1 khi có. --json: [{\"code\",\"commune\",\"reason\"}]\n",
      "Usage: district-server check-codes --db FILE [--json]\n  List the records whose receipt code does "
      "not match: malformed or a wrong check digit\n  (code-invalid), another commune's prefix "
      "(code-foreign), or a slot no kiosk of the\n  commune has (code-slot; so is a 00 code issued after "
      "every kiosk of the commune was told its slot).\n  Exit 0 when there are none, 1 when some are listed. "
      "--json: "
      "[{\"code\",\"commune\",\"reason\"}]\n"}},
    {"records",
     {"Cách dùng: district-server records --db TỆP [--commune MÃ_XÃ] [--json]\n  Liệt kê hồ sơ "
      "máy chủ đang giữ. --json: "
      "[{\"code\",\"official_code\",\"kind\",\"commune\",\"status\",\"events\",\"due\"}]\n",
      "Usage: district-server records --db FILE [--commune CODE] [--json]\n  List the records the "
      "district holds. --json: "
      "[{\"code\",\"official_code\",\"kind\",\"commune\",\"status\",\"events\",\"due\"}]\n"}},
};

// [SECTION] shared steps

Result<ReferenceData> reference(const Args& args) {
    (void)args;
    return loadReferenceData(assetsDir());
}

// Opens the store; read-only commands refuse a file that does not exist rather than create it.
Result<std::unique_ptr<DistrictStore>> openStore(const Args& args, bool create) {
    const std::string path = dbPath(args);
    if (!create && !districtDatabaseExists(path))
        return makeError("db.missing", "Không có tệp dữ liệu " + path + ".", "No data file " + path + ".");
    if (create && !store::isPostgresTarget(path)) {
        std::error_code ignored;
        const auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
    }
    return DistrictStore::open(path, create);
}

int storeFailure(const Args& args, const Error& error) {
    return fail(args, error,
                error.code == "db.missing" || error.code == "db.too-new" ? kBadInput : kInternal);
}

nlohmann::json optionalJson(const std::optional<int64_t>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string isoOrDash(const std::optional<int64_t>& ms) {
    return ms ? isoLocalTime(*ms / 1000) : std::string("-");
}

// [SECTION] commands

int cmdEnroll(const Args& args) {
    const auto commune = args.get("commune");
    if (!commune) return fail(args, "Thiếu --commune MÃ_XÃ.", "Missing --commune CODE.");
    auto ref = reference(args);
    if (!ref) return fail(args, ref.error(), kInternal);
    if (!ref->commune(*commune))
        return fail(args, "Không có xã mã “" + *commune + "” trong danh sách đơn vị hành chính.",
                    "There is no commune with code \"" + *commune + "\".");
    auto store = openStore(args, true);
    if (!store) return storeFailure(args, store.error());
    // As the dashboard's admin page does (administration.h): the key pair with the first kiosk.
    auto made = enrollDistrictKiosk(**store, *ref, *commune, args.get("key-file").value_or(""),
                                    int64_t(wallClockMillis()));
    if (!made) {
        const std::string& code = made.error().code;
        const bool internal =
            code == "keys.write" || (code != "kiosk.slots-full" && code.rfind("keys.", 0) != 0);
        return fail(args, made.error(), internal ? kInternal : kBadInput);
    }
    const Enrollment* enrolled = &made->enrollment;
    const Commune* known = ref->commune(*commune);
    const std::string slot = (enrolled->slot < 10 ? "0" : "") + std::to_string(enrolled->slot);
    if (args.json) {
        std::cout << protocol::dumpJson({{"kiosk", enrolled->kioskId},
                                         {"commune", enrolled->commune},
                                         {"token", enrolled->token},
                                         {"slot", enrolled->slot},
                                         {"district_public_key", made->districtPublicKey}})
                  << std::endl;
    } else {
        std::cout << enrolled->token << std::endl;
    }
    std::fprintf(
        stderr, "%s\n",
        args.say("Đã tạo máy " + enrolled->kioskId + " cho " + known->name + " (" + *commune + "), số máy " +
                     slot + " (kioskctl init --slot " + slot + "). Mã bí mật chỉ hiện một lần này.",
                 "Enrolled kiosk " + enrolled->kioskId + " for " + known->name + " (" + *commune +
                     "), slot " + slot + " (kioskctl init --slot " + slot +
                     "). The token is shown this once only.")
            .c_str());
    return kOk;
}

int cmdRevoke(const Args& args) {
    const auto kioskId = args.get("kiosk");
    if (!kioskId) return fail(args, "Thiếu --kiosk MÃ_MÁY.", "Missing --kiosk ID.");
    auto store = openStore(args, false);
    if (!store) return storeFailure(args, store.error());
    auto revoked = (*store)->revokeKiosk(*kioskId, int64_t(wallClockMillis()));
    if (!revoked)
        return fail(args, revoked.error(), revoked.error().code == "kiosk.unknown" ? kBadInput : kInternal);
    std::fprintf(stderr, "%s\n",
                 (*revoked ? args.say("Đã thu hồi máy " + *kioskId + ".", "Kiosk " + *kioskId + " revoked.")
                           : args.say("Máy " + *kioskId + " đã bị thu hồi từ trước.",
                                      "Kiosk " + *kioskId + " was already revoked."))
                     .c_str());
    return kOk;
}

int cmdMoveKiosk(const Args& args) {
    const auto kioskId = args.get("kiosk");
    const auto commune = args.get("commune");
    if (!kioskId || !commune)
        return fail(args, "Cần --kiosk MÃ_MÁY và --commune MÃ_XÃ.",
                    "--kiosk ID and --commune CODE are needed.");
    auto ref = reference(args);
    if (!ref) return fail(args, ref.error(), kInternal);
    const Commune* known = ref->commune(*commune);
    if (!known)
        return fail(args, "Không có xã mã “" + *commune + "” trong danh sách đơn vị hành chính.",
                    "There is no commune with code \"" + *commune + "\".");
    auto store = openStore(args, false);
    if (!store) return storeFailure(args, store.error());
    auto moved = (*store)->moveKiosk(*kioskId, *commune, int64_t(wallClockMillis()));
    if (!moved) {
        const std::string& code = moved.error().code;
        const bool refused = code == "kiosk.unknown" || code == "kiosk.revoked" ||
                             code == "kiosk.same-commune" || code == "kiosk.slots-full";
        return fail(args, moved.error(), refused ? kBadInput : kInternal);
    }
    const std::string slot = (moved->slot < 10 ? "0" : "") + std::to_string(moved->slot);
    if (args.json)
        std::cout << protocol::dumpJson(
                         {{"kiosk", moved->kioskId}, {"commune", moved->commune}, {"slot", moved->slot}})
                  << std::endl;
    std::fprintf(
        stderr, "%s\n",
        args.say("Đã chuyển máy " + *kioskId + " sang " + known->name + " (" + *commune + "), số máy " +
                     slot + ". Trên máy: kioskctl init --commune " + *commune + " --slot " + slot + ".",
                 "Moved kiosk " + *kioskId + " to " + known->name + " (" + *commune + "), slot " + slot +
                     ". On the kiosk: kioskctl init --commune " + *commune + " --slot " + slot + ".")
            .c_str());
    return kOk;
}

int cmdKiosks(const Args& args) {
    auto store = openStore(args, false);
    if (!store) return storeFailure(args, store.error());
    auto list = (*store)->kiosks();
    if (!list) return fail(args, list.error(), kInternal);
    if (args.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const KioskInfo& k : *list) {
            out.push_back({
                {"kiosk", k.kioskId},
                {"commune", k.commune},
                {"slot", k.slot ? nlohmann::json(*k.slot) : nlohmann::json(nullptr)},
                {"last_seen",
                 k.lastSeenMs ? nlohmann::json(isoLocalTime(*k.lastSeenMs / 1000)) : nlohmann::json(nullptr)},
                {"last_seen_ms", optionalJson(k.lastSeenMs)},
                {"revoked", k.revoked},
                {"created_at", isoLocalTime(k.createdAtMs / 1000)},
                {"acked_seq", k.ackedSeq},
                {"clock_skew_ms", optionalJson(k.clockSkewMs)},
                {"clock_ahead", k.clockSkewMs && *k.clockSkewMs > kClockAheadFlagMs},
                {"app_version",
                 k.appVersion.empty() ? nlohmann::json(nullptr) : nlohmann::json(k.appVersion)},
                {"queue_depth", optionalJson(k.queueDepth)},
                {"free_disk_mb", optionalJson(k.freeDiskMb)},
                {"insecure_http", k.insecureHttp},
                {"help_requested_ms", optionalJson(k.helpRequestedMs)},
            });
        }
        std::cout << protocol::dumpJson(out) << std::endl;
        return kOk;
    }
    if (list->empty()) {
        std::cout << args.say("Chưa có máy kiosk nào.", "No kiosks yet.") << std::endl;
        return kOk;
    }
    std::cout << args.say("máy\txã\tlần cuối\ttình trạng\tđã nhận đến\tđồng hồ",
                          "kiosk\tcommune\tlast seen\tstate\tacked\tclock")
              << "\n";
    for (const KioskInfo& k : *list) {
        std::string clock = "-";
        if (k.clockSkewMs) {
            clock = std::to_string(*k.clockSkewMs / 1000) + "s";
            if (*k.clockSkewMs > kClockAheadFlagMs)
                clock += args.say(" (nhanh quá 5 phút!)", " (over 5 min ahead!)");
        }
        std::cout << k.kioskId << "\t" << k.commune << "\t" << isoOrDash(k.lastSeenMs) << "\t"
                  << (k.revoked ? args.say("đã thu hồi", "revoked") : args.say("hoạt động", "active")) << "\t"
                  << k.ackedSeq << "\t" << clock << "\n";
    }
    return kOk;
}

// The name of the former unit a listed record came from (its commune, when that is not the one
// asked for: a predecessor whose records the asked one now holds), or "".
std::string formerUnitName(const RecordSummary& r, const std::optional<std::string>& asked,
                           const ReferenceData& ref) {
    if (!asked || r.commune == *asked) return {};
    const AdminUnit* unit = ref.units.latest(r.commune);
    if (unit) return unit->name;
    const Commune* c = ref.commune(r.commune);
    return c ? c->name : r.commune;
}

int cmdRecords(const Args& args) {
    const auto commune = args.get("commune");
    auto store = openStore(args, false);
    if (!store) return storeFailure(args, store.error());
    // The district's map with its imports: after a succession, the successor holds its
    // predecessors' records (UnitMap::holdings on today's date).
    auto ref = reference(args);
    if (!ref) return fail(args, ref.error(), kInternal);
    if (auto ok = applyImportedReference(**store, *ref); !ok) return fail(args, ok.error(), kInternal);
    std::vector<std::string> holdings;
    if (commune) {
        if (!ref->commune(*commune))
            return fail(args, "Không có xã mã “" + *commune + "” trong danh sách đơn vị hành chính.",
                        "There is no commune with code \"" + *commune + "\".");
        holdings = ref->units.empty()
                       ? std::vector<std::string>{*commune}
                       : ref->units.holdings(*commune, localFromUnix(int64_t(wallClockMillis()) / 1000).date);
    }
    auto list = commune ? (*store)->records(holdings) : (*store)->records(std::nullopt);
    if (!list) return fail(args, list.error(), kInternal);
    if (args.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const RecordSummary& r : *list) {
            const std::string former = formerUnitName(r, commune, *ref);
            out.push_back({
                {"code", r.code},
                {"official_code",
                 r.officialCode.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.officialCode)},
                {"kind", toSlug(r.kind)},
                {"commune", r.commune},
                {"status", toSlug(r.status)},
                {"events", r.events},
                {"due", r.due == kNoDate ? nlohmann::json(nullptr) : nlohmann::json(r.due.iso())},
                {"former_unit", former.empty() ? nlohmann::json(nullptr) : nlohmann::json(former)},
            });
        }
        std::cout << protocol::dumpJson(out) << std::endl;
        return kOk;
    }
    if (list->empty()) {
        std::cout << args.say("Chưa có hồ sơ nào.", "No records.") << std::endl;
        return kOk;
    }
    std::cout << args.say("mã\tmã chính thức\tloại\txã\ttình trạng\tsự kiện\thạn",
                          "code\tofficial code\tkind\tcommune\tstatus\tevents\tdue")
              << "\n";
    for (const RecordSummary& r : *list) {
        std::cout << r.code << "\t" << (r.officialCode.empty() ? "-" : r.officialCode) << "\t"
                  << toSlug(r.kind) << "\t" << r.commune << "\t"
                  << displayName(r.status, r.kind, args.lang == Lang::En) << "\t" << r.events << "\t"
                  << (r.due == kNoDate ? "-" : r.due.iso());
        if (const std::string former = formerUnitName(r, commune, *ref); !former.empty())
            std::cout << "\t" << args.say("từ ", "from ") << former;
        std::cout << "\n";
    }
    return kOk;
}

// The records whose code could not have come from a kiosk of their commune (DistrictStore::
// codeMismatches): what was accepted before the district checked codes at push, or written by hand.
int cmdCheckCodes(const Args& args) {
    auto store = openStore(args, false);
    if (!store) return storeFailure(args, store.error());
    auto list = (*store)->codeMismatches();
    if (!list) return fail(args, list.error(), kInternal);
    if (args.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const CodeMismatch& m : *list)
            out.push_back({{"code", m.code}, {"commune", m.commune}, {"reason", m.reason}});
        std::cout << protocol::dumpJson(out) << std::endl;
    } else if (list->empty()) {
        std::cout << args.say("Mọi mã biên nhận đều khớp xã và số máy.",
                              "Every receipt code matches its commune and slot.")
                  << std::endl;
    } else {
        std::cout << args.say("mã\txã\tlý do", "code\tcommune\treason") << "\n";
        for (const CodeMismatch& m : *list)
            std::cout << m.code << "\t" << m.commune << "\t" << m.reason << "\n";
    }
    // 1 like grep's "found": the listing is the answer, not a failure of the command.
    return list->empty() ? kOk : 1;
}

// [SECTION] serve

sigset_t stopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);  // sent by main itself to end the signal thread
    return set;
}

int cmdServe(const Args& args) {
    const auto listen = args.get("listen");
    if (!listen) return fail(args, "Thiếu --listen MÁY:CỔNG.", "Missing --listen HOST:PORT.");
    const size_t colon = listen->rfind(':');
    std::string host = colon == std::string::npos ? std::string() : listen->substr(0, colon);
    const std::string portText = colon == std::string::npos ? std::string() : listen->substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    char* end = nullptr;
    const long port = std::strtol(portText.c_str(), &end, 10);
    if (host.empty() || portText.empty() || *end != '\0' || port < 0 || port > 65535)
        return fail(args, "--listen phải có dạng MÁY:CỔNG, ví dụ 127.0.0.1:8470.",
                    "--listen must be HOST:PORT, e.g. 127.0.0.1:8470.");
    ServerOptions options;
    options.dbPath = dbPath(args);
    options.host = host;
    options.port = int(port);
    options.tlsCert = args.get("tls-cert").value_or("");
    options.tlsKey = args.get("tls-key").value_or("");
    if (auto threads = args.get("threads")) {
        const long n = std::strtol(threads->c_str(), &end, 10);
        if (threads->empty() || *end != '\0' || n < 1 || n > 1024)
            return fail(args, "--threads phải là số từ 1 đến 1024.", "--threads must be 1 to 1024.");
        options.threads = int(n);
    }
    options.trustedProxies = args.getAll("trusted-proxy");
    if (auto proxies = TrustedProxies::parse(options.trustedProxies); !proxies)
        return fail(args, proxies.error(), kBadInput);
    for (const std::string& file : {options.tlsCert, options.tlsKey})
        if (!file.empty() && !std::filesystem::exists(file))
            return fail(args, "Không có tệp " + file + ".", "No such file: " + file + ".");
    auto ref = reference(args);
    if (!ref) return fail(args, ref.error(), kInternal);
    // The assets, not the imports: the server re-reads these while it runs (ImportedReference).
    options.reference = std::make_shared<ImportedReference>(*ref);
    if (!store::isPostgresTarget(options.dbPath)) {
        std::error_code ignored;
        const auto parent = std::filesystem::path(options.dbPath).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
    }
    // Held until the process ends: a restore or a second server on this file is refused meanwhile.
    auto servingLock = holdServingLock(options.dbPath);
    if (!servingLock)
        return fail(args, servingLock.error(), servingLock.error().code == "db.busy" ? kTryLater : kInternal);
    if (districtDatabaseExists(options.dbPath)) {
        // The holidays and catalog the district imported are the rules it judges by.
        auto existing = DistrictStore::open(options.dbPath, false);
        if (!existing) return fail(args, existing.error(), kInternal);
        if (auto applied = applyImportedReference(**existing, *ref); !applied)
            return fail(args, applied.error(), kInternal);
        if (auto followed = options.reference->follow(**existing); !followed)
            return fail(args, followed.error(), kInternal);
    }
    {
        // The first serve makes the district's key pair if enroll-kiosk or keygen did not; a key
        // file that went missing stops the server rather than start a new key silently.
        auto store = DistrictStore::open(options.dbPath, true);
        if (!store) return fail(args, store.error(), kInternal);
        auto key = ensureDistrictKey(**store, args.get("key-file").value_or(""), int64_t(wallClockMillis()));
        if (!key) return fail(args, key.error(), key.error().code == "keys.write" ? kInternal : kBadInput);
    }

    // Signals are taken by one thread with sigwait, never by a handler: stop() is not
    // async-signal-safe. The mask is set before any other thread exists so every thread inherits it.
    sigset_t signals = stopSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto server = DistrictServer::create(options, ref->deadlineRules());
    if (!server) {
        const int code = server.error().code == "tls" ? kBadInput : kInternal;
        return fail(args, server.error(), code);
    }
    auto bound = (*server)->bind();
    if (!bound) return fail(args, bound.error(), kTryLater);
    std::printf("listening on %s:%d\n", host.c_str(), *bound);
    std::fflush(stdout);

    DistrictServer* running = server->get();
    std::thread signalThread([signals, running] {
        int signal = 0;
        while (sigwait(&signals, &signal) == 0) {
            if (signal == SIGTERM || signal == SIGINT) running->stop();
            return;
        }
    });
    // Under systemd (Type=notify): ready now, and watchdog pings while the server answers.
    auto notifier = std::make_unique<ServiceNotifier>(
        [running](std::chrono::milliseconds timeout) { return running->healthy(timeout); },
        [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
    notifier->ready("listening on " + host + ":" + std::to_string(*bound));
    auto served = (*server)->run();
    notifier.reset();
    pthread_kill(signalThread.native_handle(), SIGUSR1);
    signalThread.join();
    const CommitterStats stats = (*server)->stats();
    std::fprintf(
        stderr, "%s\n",
        args.say("Đã dừng: " + std::to_string(stats.pushes) + " lần gửi, " + std::to_string(stats.events) +
                     " sự kiện, " + std::to_string(stats.commits) + " giao dịch.",
                 "Stopped: " + std::to_string(stats.pushes) + " pushes, " + std::to_string(stats.events) +
                     " events, " + std::to_string(stats.commits) + " commits.")
            .c_str());
    server->reset();
    if (!served) return fail(args, served.error(), kInternal);
    return kOk;
}

}  // namespace

int main(int argc, char** argv) {
    kiosk::common::disableCoreDumps();  // the district's secret keys pass through this process
    try {
        Args args;
        if (auto parsed = parseArgs(argc, argv, args); !parsed) return fail(args, parsed.error(), kBadInput);
        if (args.command.empty()) {
            std::cout << usage(args.lang);
            return args.help ? kOk : kBadInput;
        }
        if (args.command == "help") {
            std::cout << usage(args.lang);
            return kOk;
        }
        if (isDistrictCommand(args.command)) {
            if (args.help) {
                std::cout << districtCommandHelp(args.command, args.lang).value_or("");
                return kOk;
            }
            DistrictCommandLine commandLine;
            static_cast<common::Arguments&>(commandLine) = args;
            commandLine.lang = args.lang;
            commandLine.json = args.json;
            commandLine.dbPath = dbPath(args);
            return runDistrictCommand(commandLine);
        }
        auto help = kCommandHelp.find(args.command);
        if (help == kCommandHelp.end())
            return fail(args, "Lệnh không rõ: " + args.command + " (xem district-server --help).",
                        "Unknown command: " + args.command + " (see district-server --help).");
        if (args.help) {
            std::cout << (args.lang == Lang::En ? help->second.en : help->second.vi);
            return kOk;
        }
        if (!args.positional.empty())
            return fail(args, "Thừa đối số: " + args.positional.front() + ".",
                        "Unexpected argument: " + args.positional.front() + ".");
        if (args.command == "serve") return cmdServe(args);
        if (args.command == "enroll-kiosk") return cmdEnroll(args);
        if (args.command == "revoke-kiosk") return cmdRevoke(args);
        if (args.command == "move-kiosk") return cmdMoveKiosk(args);
        if (args.command == "kiosks") return cmdKiosks(args);
        if (args.command == "records") return cmdRecords(args);
        if (args.command == "check-codes") return cmdCheckCodes(args);
        return kBadInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "district-server: internal error: %s\n", e.what());
        return kInternal;
    }
}
