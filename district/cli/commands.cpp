#include "district/cli/commands.h"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/private_file.h"
#include "common/sealing.h"
#include "core/calendar.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "sync/protocol/safe_json.h"
#include "district/cli/backup_command.h"
#include "district/cli/commune_officer_command.h"
#include "district/cli/intake_command.h"
#include "district/cli/migrate_store_command.h"
#include "district/office/actions.h"
#include "district/office/administration.h"
#include "district/office/denouncer_readers.h"
#include "district/office/keys.h"
#include "district/office/officers.h"
#include "district/office/receptions.h"
#include "district/store/district_store.h"
#include "district/office/reference_import.h"
#include "district/review/report.h"
#include "district/review/report_pdf.h"
#include "district/review/report_table.h"

// [SECTION] index
//   plumbing    messages, exit codes, opening the store, reference data
//   officer     add, disable, reset-password, list
//   act
//   report
//   import
//   reception   add, list
//   keys        keygen, rotate-key, identity-reads, unknown-seals

namespace kiosk::district {
namespace {

using common::kBadInput;
using common::kInternal;
using common::kOk;

// [SECTION] plumbing

struct Run {
    const DistrictCommandLine& cl;

    const std::string& say(const std::string& vi, const std::string& en) const {
        return cl.lang == Lang::En ? en : vi;
    }
    int fail(const std::string& vi, const std::string& en, int code = kBadInput) const {
        return failCommand(cl, vi, en, code);
    }
    int fail(const Error& e, int code) const { return fail(e.vi, e.en, code); }
    int fail(const Error& e) const { return failCommand(cl, e); }
    // Option names without "--", as common/args.h keeps them.
    std::optional<std::string> get(std::string_view name) const { return cl.get(name); }
    bool has(std::string_view flag) const { return cl.has(flag); }
};

int64_t nowMs() { return int64_t(wallClockMillis()); }

Result<std::unique_ptr<DistrictStore>> openStore(const std::string& path) {
    if (!districtDatabaseExists(path))
        return makeError("db.missing", "Không có tệp dữ liệu " + path + ".", "No data file " + path + ".");
    return DistrictStore::open(path, false);
}

// The assets with the district's imports applied: what the district's rules are now.
Result<ReferenceData> currentReference(DistrictStore& store) {
    auto ref = loadReferenceData(assetsDir());
    if (!ref) return ref.error();
    if (auto ok = applyImportedReference(store, *ref); !ok) return ok.error();
    return ref;
}

// All of standard input without the line end, for --password-stdin.
std::string readStandardInput() {
    std::ostringstream all;
    all << std::cin.rdbuf();
    std::string text = all.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

std::optional<Date> parseDateOption(const Run& run, const std::string& name, int& failure) {
    auto value = run.get(name);
    if (!value) return std::nullopt;
    auto date = Date::parse(*value);
    if (!date)
        failure = run.fail("--" + name + " phải là một ngày có thật dạng YYYY-MM-DD.",
                           "--" + name + " must be a real date written YYYY-MM-DD.");
    return date;
}

Date today() { return localFromUnix(nowMs() / 1000).date; }

std::string recordLine(const Record& r) {
    return r.code + "\t" + (r.officialCode.empty() ? "-" : r.officialCode) + "\t" +
           std::string(toSlug(r.status)) + "\t" + (hasDue(r) ? r.due.iso() : "-");
}

// [SECTION] officer

int cmdOfficer(const Run& run) {
    const std::string sub = run.cl.positional.empty() ? "" : run.cl.positional[0];
    if (sub != "add" && sub != "disable" && sub != "reset-password" && sub != "list")
        return run.fail(
            "Cách dùng: district-server officer add|disable|reset-password|list --db TỆP --id MÃ ...",
            "Usage: district-server officer add|disable|reset-password|list --db FILE --id ID ...");
    if (run.cl.positional.size() > 1)
        return run.fail("Thừa đối số: " + run.cl.positional[1] + ".",
                        "Unexpected argument: " + run.cl.positional[1] + ".");
    auto store = openStore(run.cl.dbPath);
    if (!store) return run.fail(store.error());
    if (sub == "list") {
        auto list = listDistrictOfficers(**store);
        if (!list) return run.fail(list.error());
        if (run.cl.json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& o : *list)
                out.push_back({{"id", o.id}, {"name", o.name}, {"role", o.slug()}, {"disabled", o.disabled}});
            std::cout << protocol::dumpJson(out) << std::endl;
        } else {
            for (const auto& o : *list)
                std::cout << o.id << "\t" << o.name << "\t" << o.slug() << (o.disabled ? "\tdisabled" : "")
                          << "\n";
        }
        return kOk;
    }
    const auto id = run.get("id");
    if (!id) return run.fail("Thiếu --id MÃ_CÁN_BỘ.", "Missing --id ID.");
    Outcome done;
    if (sub == "add") {
        const auto roleText = run.get("role");
        if (!roleText)
            return run.fail("Thiếu --role officer|inspector|leader|admin.",
                            "Missing --role officer|inspector|leader|admin.");
        // One of the four, or a role the data names competent to resolve denunciations
        // (denouncer_readers.tsv), whose accounts act as officers.
        auto readers = loadDenouncerReaders(assetsDir());
        if (!readers) return run.fail(readers.error(), kInternal);
        // As the dashboard's admin page reads it (administration.h).
        auto role = officerRoleForAccount(*roleText, *readers);
        if (!role)
            return run.fail(
                "--role chỉ nhận officer, inspector, leader, admin hoặc vai trò trong "
                "denouncer_readers.tsv.",
                "--role takes officer, inspector, leader, admin or a role of "
                "denouncer_readers.tsv.");
        if (!run.has("password-stdin"))
            return run.fail(
                "Cần --password-stdin: nhập mật khẩu qua đầu vào chuẩn, không ghi trên dòng lệnh.",
                "--password-stdin is required: the password comes on standard input, never on the command "
                "line.");
        done = addDistrictOfficer(**store,
                                  DistrictOfficer{*id, run.get("name").value_or(""), *role, false, *roleText},
                                  readStandardInput(), nowMs());
        if (done)
            std::fprintf(stderr, "%s\n",
                         run.say("Đã thêm cán bộ " + *id + ".", "Officer " + *id + " added.").c_str());
    } else if (sub == "disable") {
        done = disableDistrictOfficer(**store, *id);
        if (done)
            std::fprintf(stderr, "%s\n",
                         run.say("Đã khoá tài khoản " + *id + ".", "Officer " + *id + " disabled.").c_str());
    } else {
        if (!run.has("password-stdin"))
            return run.fail("Cần --password-stdin: nhập mật khẩu mới qua đầu vào chuẩn.",
                            "--password-stdin is required: the new password comes on standard input.");
        done = resetDistrictOfficerPassword(**store, *id, readStandardInput());
        if (done)
            std::fprintf(
                stderr, "%s\n",
                run.say("Đã đặt lại mật khẩu cho " + *id + ".", "Password of " + *id + " reset.").c_str());
    }
    if (!done) return run.fail(done.error());
    return kOk;
}

// [SECTION] act

int cmdAct(const Run& run) {
    if (run.cl.positional.size() != 2)
        return run.fail(
            "Cách dùng: district-server act --db TỆP MÃ --officer MÃ_CB THAO_TÁC [--note GHI_CHÚ] "
            "[--official-code MÃ] [--agency MÃ_CƠ_QUAN]",
            "Usage: district-server act --db FILE CODE --officer ID ACTION [--note T] [--official-code X] "
            "[--agency SLUG]");
    const auto officer = run.get("officer");
    if (!officer) return run.fail("Thiếu --officer MÃ_CÁN_BỘ.", "Missing --officer ID.");
    const auto action = actionFromSlug(run.cl.positional[1]);
    if (!action || *action == Action::Submit || *action == Action::Register)
        return run.fail(
            "Thao tác “" + run.cl.positional[1] +
                "” không có. Dùng: accept, reject, request-info, resolve, transfer, extend, withdraw, "
                "withdraw-part, process, ready, deliver, suspend, resume, assign-code.",
            "Unknown action \"" + run.cl.positional[1] +
                "\". Use: accept, reject, request-info, resolve, transfer, extend, withdraw, withdraw-part, "
                "process, ready, deliver, suspend, resume, assign-code.");
    if (*action == Action::AssignCode && !run.get("official-code"))
        return run.fail("assign-code cần --official-code <mã cơ quan>-YYMMDD-XXXX.",
                        "assign-code needs --official-code <agency>-YYMMDD-XXXX.");
    auto store = openStore(run.cl.dbPath);
    if (!store) return run.fail(store.error());
    auto reference = currentReference(**store);
    if (!reference) return run.fail(reference.error(), kInternal);
    DistrictAction request;
    request.code = run.cl.positional[0];
    request.officerId = *officer;
    request.action = *action;
    request.note = run.get("note").value_or("");
    request.officialCode = run.get("official-code").value_or("");
    request.complexity = run.get("complexity").value_or("");
    request.agency = run.get("agency").value_or("");
    auto done = actAsDistrict(**store, request, reference->deadlineRules(), nowMs());
    if (!done) return run.fail(done.error());
    const Record& r = done->record;
    if (run.cl.json) {
        std::cout << protocol::dumpJson(
                         {{"code", r.code},
                          {"official_code",
                           r.officialCode.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.officialCode)},
                          {"kind", toSlug(r.kind)},
                          {"commune", r.commune},
                          {"status", toSlug(r.status)},
                          {"due", (hasDue(r) ? nlohmann::json(r.due.iso()) : nlohmann::json(nullptr))},
                          {"event", done->event.uuid},
                          {"change", done->changeSeq}})
                  << std::endl;
    } else {
        std::cout << recordLine(r) << std::endl;
    }
    return kOk;
}

// [SECTION] report

int cmdReport(const Run& run) {
    if (!run.cl.positional.empty())
        return run.fail("Thừa đối số: " + run.cl.positional[0] + ".",
                        "Unexpected argument: " + run.cl.positional[0] + ".");
    int failure = -1;
    const auto from = parseDateOption(run, "from", failure);
    if (failure >= 0) return failure;
    const auto to = parseDateOption(run, "to", failure);
    if (failure >= 0) return failure;
    if (!from || !to)
        return run.fail("Cần --from YYYY-MM-DD và --to YYYY-MM-DD.",
                        "--from YYYY-MM-DD and --to YYYY-MM-DD are required.");
    if (*to < *from) return run.fail("--from phải không sau --to.", "--from must not be after --to.");
    // --today: "overdue now" as of another day (for reproducing an earlier report).
    const auto asOf = parseDateOption(run, "today", failure);
    if (failure >= 0) return failure;
    const auto xlsx = run.get("xlsx");
    const auto pdf = run.get("pdf");
    if (int(run.cl.json) + int(run.has("csv")) + int(bool(xlsx)) + int(bool(pdf)) > 1)
        return run.fail("Chọn một trong --json, --csv, --xlsx hoặc --pdf.",
                        "Choose one of --json, --csv, --xlsx and --pdf.");
    if ((run.has("semicolon") || run.has("decimal-comma")) && !run.has("csv"))
        return run.fail("--semicolon và --decimal-comma đi cùng --csv.",
                        "--semicolon and --decimal-comma go with --csv.");
    auto store = openStore(run.cl.dbPath);
    if (!store) return run.fail(store.error());
    auto reference = currentReference(**store);
    if (!reference) return run.fail(reference.error(), kInternal);
    auto report =
        computeReport(**store, *from, *to, *reference, reference->calendar(), asOf.value_or(today()));
    if (!report) return run.fail(report.error());
    if (run.cl.json) {
        std::cout << protocol::dumpJson(reportJson(*report)) << std::endl;
    } else if (run.has("csv")) {
        std::cout << reportCsv(*report, CsvStyle{run.has("semicolon") ? ';' : ',', run.has("decimal-comma")});
        std::cout.flush();
    } else if (xlsx || pdf) {
        auto bytes = xlsx ? reportXlsx(*report, run.cl.lang) : reportPdf(*report, run.cl.lang);
        if (!bytes) return run.fail(bytes.error(), kInternal);
        const std::string& path = xlsx ? *xlsx : *pdf;
        if (auto written = common::writePrivateFile(path, *bytes); !written)
            return run.fail("Không ghi được " + path + ": " + written.error().vi,
                            "Cannot write " + path + ": " + written.error().en);
    } else {
        std::cout << reportText(*report, run.cl.lang);
        std::cout.flush();
    }
    return kOk;
}

// [SECTION] import

std::string importSummary(const Run& run, ImportKind kind, const ImportResult& done) {
    const std::string items = std::to_string(done.items);
    const std::string after =
        run.say("; các máy kiosk nhận ở lần đồng bộ tới.", "; kiosks get it on their next sync.");
    switch (kind) {
        case ImportKind::Holidays: {
            std::string years;
            for (int y : done.years) years += (years.empty() ? "" : ", ") + std::to_string(y);
            return run.say("Đã nhập bảng ngày nghỉ năm " + years + " (" + items + " ngày trong bảng)",
                           "Imported the holiday table for " + years + " (" + items + " days in the table)") +
                   after;
        }
        case ImportKind::Catalog:
            return run.say("Đã nhập danh mục " + items + " thủ tục",
                           "Imported a catalog of " + items + " procedures") +
                   after;
        case ImportKind::Units:
            return run.say("Đã nhập bảng " + items + " đơn vị hành chính",
                           "Imported a table of " + items + " units") +
                   after;
        case ImportKind::Succession:
            return run.say("Đã nhập bảng kế thừa " + items + " dòng",
                           "Imported a succession table of " + items + " rows") +
                   after;
    }
    return {};
}

int cmdImport(const Run& run) {
    if (run.cl.positional.size() != 2)
        return run.fail("Cách dùng: district-server import holidays|catalog|units|succession TỆP --db TỆP",
                        "Usage: district-server import holidays|catalog|units|succession FILE --db FILE");
    const auto kind = importKindFromSlug(run.cl.positional[0]);
    if (!kind)
        return run.fail("Chỉ nhập được holidays, catalog, units hoặc succession.",
                        "Only holidays, catalog, units or succession can be imported.");
    const std::string file = run.cl.positional[1];
    std::ifstream in(file, std::ios::binary);
    if (!in) return run.fail("Không đọc được tệp " + file + ".", "Cannot read the file " + file + ".");
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().size() > 16 * 1024 * 1024)
        return run.fail("Tệp " + file + " quá lớn.", "The file " + file + " is too large.");
    auto store = openStore(run.cl.dbPath);
    if (!store) return run.fail(store.error());
    auto reference = currentReference(**store);
    if (!reference) return run.fail(reference.error(), kInternal);
    auto done =
        importReference(**store, *kind, text.str(), *reference, run.get("officer").value_or(""), nowMs());
    if (!done) {
        const Error& e = done.error();
        return run.fail(makeError(e.code, file + ": " + e.vi, file + ": " + e.en));
    }
    if (run.cl.json) {
        std::cout << protocol::dumpJson({{"kind", toSlug(*kind)},
                                         {"items", done->items},
                                         {"years", done->years},
                                         {"change", done->changeSeq}})
                  << std::endl;
    }
    std::fprintf(stderr, "%s\n", importSummary(run, *kind, *done).c_str());
    return kOk;
}

// [SECTION] reception

int cmdReception(const Run& run) {
    const std::string sub = run.cl.positional.empty() ? "" : run.cl.positional[0];
    if ((sub != "add" && sub != "list") || run.cl.positional.size() != 1)
        return run.fail(
            "Cách dùng: district-server reception add --db TỆP --officer MÃ --people N --case new|MÃ "
            "[--kind LOẠI] [--outcome KẾT_QUẢ] [--note GHI_CHÚ] [--date YYYY-MM-DD] [--commune MÃ_XÃ] | "
            "reception list --db TỆP --from NGÀY --to NGÀY",
            "Usage: district-server reception add --db FILE --officer ID --people N --case new|CODE "
            "[--kind K] [--outcome T] [--note T] [--date YYYY-MM-DD] [--commune CODE] | "
            "reception list --db FILE --from DATE --to DATE");
    int failure = -1;
    if (sub == "list") {
        const auto from = parseDateOption(run, "from", failure);
        if (failure >= 0) return failure;
        const auto to = parseDateOption(run, "to", failure);
        if (failure >= 0) return failure;
        auto store = openStore(run.cl.dbPath);
        if (!store) return run.fail(store.error());
        auto list = listReceptions(**store, from.value_or(Date{1970, 1, 1}), to.value_or(today()));
        if (!list) return run.fail(list.error());
        nlohmann::json out = nlohmann::json::array();
        for (const Reception& r : *list) {
            if (run.cl.json) {
                out.push_back(
                    {{"uuid", r.uuid},
                     {"level", toSlug(r.level)},
                     {"commune", r.commune},
                     {"kiosk", r.kioskId},
                     {"officer", r.officerId},
                     {"date", r.receivedOn.iso()},
                     {"people", r.people},
                     {"case", r.caseCode.empty() ? nlohmann::json("new") : nlohmann::json(r.caseCode)},
                     {"kind", r.kind},
                     {"outcome", r.outcome},
                     {"note", r.note}});
            } else {
                std::cout << r.receivedOn.iso() << "\t" << toSlug(r.level) << "\t"
                          << (r.commune.empty() ? "-" : r.commune) << "\t" << r.officerId << "\t" << r.people
                          << "\t" << (r.caseCode.empty() ? "new" : r.caseCode) << "\t"
                          << (r.kind.empty() ? "-" : r.kind) << "\n";
            }
        }
        if (run.cl.json) std::cout << protocol::dumpJson(out) << std::endl;
        return kOk;
    }
    const auto officer = run.get("officer");
    const auto people = run.get("people");
    const auto caseCode = run.get("case");
    if (!officer || !people || !caseCode)
        return run.fail("Cần --officer MÃ, --people N và --case new|MÃ.",
                        "--officer ID, --people N and --case new|CODE are required.");
    char* end = nullptr;
    const long n = std::strtol(people->c_str(), &end, 10);
    if (people->empty() || *end != '\0' || n < 1 || n > 1000)
        return run.fail("--people phải là số người từ 1 đến 1000.",
                        "--people must be a number of people from 1 to 1000.");
    const auto date = parseDateOption(run, "date", failure);
    if (failure >= 0) return failure;
    auto store = openStore(run.cl.dbPath);
    if (!store) return run.fail(store.error());
    auto reference = loadReferenceData(assetsDir());
    if (!reference) return run.fail(reference.error(), kInternal);
    std::vector<std::string> communes;
    for (const Commune& c : reference->communes) communes.push_back(c.code);
    DistrictReceptionInput input;
    input.officerId = *officer;
    input.date = date;
    input.people = int(n);
    input.caseCode = *caseCode;
    input.kind = run.get("kind").value_or("");
    input.outcome = run.get("outcome").value_or("");
    input.note = run.get("note").value_or("");
    input.commune = run.get("commune").value_or("");
    auto added = addDistrictReception(**store, input, communes, nowMs());
    if (!added) return run.fail(added.error());
    if (run.cl.json)
        std::cout << protocol::dumpJson({{"uuid", added->uuid},
                                         {"date", added->receivedOn.iso()},
                                         {"people", added->people},
                                         {"case", added->caseCode.empty() ? nlohmann::json("new")
                                                                          : nlohmann::json(added->caseCode)},
                                         {"kind", added->kind}})
                  << std::endl;
    else
        std::cout << added->uuid << std::endl;
    return kOk;
}

// [SECTION] keys

std::string fingerprintOf(const std::string& publicKey) {
    auto key = common::publicKeyFromBase64(publicKey);
    return key ? common::keyFingerprint(*key) : std::string();
}

int cmdKeys(const Run& run) {
    if (!run.cl.positional.empty())
        return run.fail("Thừa đối số: " + run.cl.positional[0] + ".",
                        "Unexpected argument: " + run.cl.positional[0] + ".");
    const bool rotate = run.cl.command == "rotate-key";
    if (rotate && (run.get("key-file") || run.has("replace-lost")))
        return run.fail(
            "rotate-key dùng tệp khoá đã ghi trong dữ liệu; không nhận --key-file hay --replace-lost.",
            "rotate-key uses the key file the database names; it takes no --key-file or --replace-lost.");
    auto store = rotate || districtDatabaseExists(run.cl.dbPath) ? openStore(run.cl.dbPath)
                                                                 : DistrictStore::open(run.cl.dbPath, true);
    if (!store) return run.fail(store.error());
    const std::string keyFile = run.get("key-file").value_or("");
    auto key = rotate                    ? rotateDistrictKey(**store, nowMs())
               : run.has("replace-lost") ? replaceLostDistrictKey(**store, keyFile, nowMs())
                                         : ensureDistrictKey(**store, keyFile, nowMs());
    if (!key)
        return run.fail(key.error(), key.error().code == "keys.write" || key.error().code == "crypto"
                                         ? kInternal
                                         : kBadInput);
    if (run.cl.json) {
        auto keys = listDistrictKeys(**store);
        if (!keys) return run.fail(keys.error());
        nlohmann::json list = nlohmann::json::array();
        for (const DistrictKeyInfo& k : *keys)
            list.push_back({{"id", k.id},
                            {"public_key", k.publicKey},
                            {"fingerprint", fingerprintOf(k.publicKey)},
                            {"created_at", isoLocalTime(k.createdAtMs / 1000)}});
        // public_key: what kioskctl init --district-key takes (the signed district key);
        // sealing_key: the bare current public key it carries.
        std::cout << protocol::dumpJson({{"public_key", districtKeyString(**store)},
                                         {"sealing_key", *key},
                                         {"key_file", districtKeyFile(**store)},
                                         {"keys", list}})
                  << std::endl;
    } else {
        std::cout << districtKeyString(**store) << std::endl;
    }
    if (rotate)
        std::fprintf(
            stderr, "%s\n",
            run.say("Đã đổi khoá của máy chủ; khoá cũ vẫn giữ để mở các niêm phong cũ. Hãy sao lưu lại " +
                        districtKeyFile(**store) + ".",
                    "District key rotated; the old keys are kept for older seals. Back up " +
                        districtKeyFile(**store) + " again.")
                .c_str());
    return kOk;
}

// Records whose seal names a key the district does not hold (keys.h listUnknownSeals).
int cmdUnknownSeals(const Run& run) {
    if (!run.cl.positional.empty())
        return run.fail("Thừa đối số: " + run.cl.positional[0] + ".",
                        "Unexpected argument: " + run.cl.positional[0] + ".");
    auto store = openStore(run.cl.dbPath);
    if (!store) return run.fail(store.error());
    auto seals = listUnknownSeals(**store);
    if (!seals) return run.fail(seals.error());
    if (run.cl.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const UnknownSeal& u : *seals)
            out.push_back({{"record", u.record},
                           {"kiosk", u.kiosk},
                           {"fingerprint", u.fingerprint},
                           {"received_at", isoLocalTime(u.receivedAtMs / 1000)}});
        std::cout << protocol::dumpJson(out) << std::endl;
        return kOk;
    }
    for (const UnknownSeal& u : *seals)
        std::cout << u.record << "\t" << u.kiosk << "\t" << u.fingerprint << "\n";
    std::cout << std::flush;
    return kOk;
}

int cmdIdentityReads(const Run& run) {
    if (!run.cl.positional.empty())
        return run.fail("Thừa đối số: " + run.cl.positional[0] + ".",
                        "Unexpected argument: " + run.cl.positional[0] + ".");
    auto store = openStore(run.cl.dbPath);
    if (!store) return run.fail(store.error());
    auto reads = listIdentityReads(**store, run.get("record").value_or(""), 1000000);
    if (!reads) return run.fail(reads.error());
    if (run.cl.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const IdentityRead& r : *reads)
            out.push_back({{"officer", r.officerId},
                           {"record", r.recordCode},
                           {"at", isoLocalTime(r.atMs / 1000)},
                           {"at_ms", r.atMs}});
        std::cout << protocol::dumpJson(out) << std::endl;
        return kOk;
    }
    for (const IdentityRead& r : *reads)
        std::cout << isoLocalTime(r.atMs / 1000) << "\t" << r.officerId << "\t" << r.recordCode << "\n";
    return kOk;
}

}  // namespace

// [SECTION] contract

int failCommand(const DistrictCommandLine& commandLine, const std::string& vi, const std::string& en,
                int code) {
    std::fprintf(stderr, "district-server: %s\n", (commandLine.lang == Lang::En ? en : vi).c_str());
    return code;
}

int failCommand(const DistrictCommandLine& commandLine, const Error& error) {
    const bool internal =
        (error.code.rfind("db.", 0) == 0 && error.code != "db.missing" && error.code != "db.too-new") ||
        error.code == "crypto";
    return failCommand(commandLine, error.vi, error.en, internal ? kInternal : kBadInput);
}

bool isDistrictCommand(std::string_view command) {
    return command == "officer" || command == "act" || command == "report" || command == "import" ||
           command == "reception" || command == "keygen" || command == "rotate-key" ||
           command == "identity-reads" || command == "commune-officer" || command == "unknown-seals" ||
           command == "backup" || command == "restore" || command == "intake" || command == "migrate-store";
}

const std::set<std::string>& districtValueOptions() {
    static const std::set<std::string> options{
        "id",          "name",   "role", "officer",    "note",    "official-code", "from",     "to",
        "today",       "people", "case", "kind",       "outcome", "date",          "key-file", "record",
        "signing-key", "out",    "keep", "complexity", "xlsx",    "agency",        "pdf"};
    static const std::set<std::string> withIntake = [] {
        std::set<std::string> all = options;
        all.insert(intakeValueOptions().begin(), intakeValueOptions().end());
        return all;
    }();
    return withIntake;
}

const std::set<std::string>& districtFlagOptions() {
    static const std::set<std::string> flags{"password-stdin", "csv", "replace-lost", "semicolon",
                                             "decimal-comma"};
    return flags;
}

static std::string unknownSealsHelp(bool en) {
    return std::string(en ? "Usage: district-server unknown-seals --db FILE [--json]\n"
                            "  Records whose identity was sealed to a key that is none of the server's\n"
                            "  (the server cannot open them). stdout: RECORD<TAB>KIOSK<TAB>FINGERPRINT;\n"
                            "  --json: [{\"record\",\"kiosk\",\"fingerprint\",\"received_at\"}]\n"
                          : "Cách dùng: district-server unknown-seals --db TỆP [--json]\n"
                            "  Hồ sơ có thông tin người gửi niêm phong cho khoá không phải của máy chủ\n"
                            "  (máy chủ không mở được). In ra: HỒ_SƠ<TAB>MÁY<TAB>DẤU_KHOÁ.\n");
}

namespace {

std::string reportHelp(bool en) {
    return std::string(
        en ? "Usage: district-server report --db FILE --from YYYY-MM-DD --to YYYY-MM-DD "
             "[--json | --csv [--semicolon] [--decimal-comma] | --xlsx FILE | --pdf FILE] [--today D]\n"
             "  Citizens received, petitions (received, carried over, resolved, % "
             "resolved), dossiers and\n"
             "  satisfaction, district-wide and per commune, against the same period of "
             "the previous year.\n"
             "  --csv starts with a UTF-8 BOM; --semicolon and --decimal-comma suit a "
             "spreadsheet set to\n"
             "  Vietnamese. --xlsx FILE: an Excel workbook (codes as text, figures as "
             "numbers).\n"
             "  --pdf FILE: the report to print, A4 landscape.\n"
           : "Cách dùng: district-server report --db TỆP --from YYYY-MM-DD --to "
             "YYYY-MM-DD [--json | --csv [--semicolon] [--decimal-comma] | --xlsx TỆP | --pdf TỆP] "
             "[--today NGÀY]\n"
             "  Tiếp công dân, đơn (tiếp nhận, kỳ trước chuyển sang, đã giải quyết, "
             "tỷ lệ), hồ sơ thủ tục và\n"
             "  mức độ hài lòng, tổng cộng và từng xã, so với cùng kỳ năm trước. --csv "
             "bắt đầu bằng BOM UTF-8;\n"
             "  --semicolon và --decimal-comma (81,4) hợp với bảng tính đặt tiếng Việt. "
             "--xlsx TỆP: tệp Excel\n"
             "  (mã là chữ, số liệu là số). --pdf TỆP: báo cáo để in, A4 khổ ngang.\n");
}

std::string importHelp(bool en) {
    return std::string(
        en ? "Usage: district-server import holidays|catalog|units|succession FILE --db FILE [--officer "
             "ID] [--json]\n"
             "  A holiday table (date, kind, name; replaces the years it lists) or the procedure "
             "catalog\n"
             "  (the whole catalog), in the assets' TSV format. Every kiosk gets it on its next pull.\n"
             "  units: the unit table with its history (units.tsv columns; it keeps every commune code\n"
             "  that has records or kiosks). succession: old_code, new_code, effective_date, checked\n"
             "  against the units in force. Either replaces its whole table.\n"
           : "Cách dùng: district-server import holidays|catalog|units|succession TỆP --db TỆP "
             "[--officer MÃ] [--json]\n"
             "  Bảng ngày nghỉ (date, kind, name; thay các năm có trong tệp) hoặc danh mục thủ tục (toàn "
             "bộ),\n"
             "  cùng định dạng TSV với assets/. Mọi máy kiosk nhận ở lần đồng bộ tới.\n"
             "  units: bảng đơn vị hành chính và lịch sử (cột như units.tsv; phải giữ mọi mã xã đã có\n"
             "  hồ sơ hoặc máy kiosk). succession: old_code, new_code, effective_date, đối chiếu với\n"
             "  bảng đơn vị đang dùng. Mỗi lần nhập thay cả bảng.\n");
}

}  // namespace

std::optional<std::string> districtCommandHelp(std::string_view command, Lang lang) {
    const bool en = lang == Lang::En;
    if (command == "officer")
        return std::string(
            en ? "Usage: district-server officer add --db FILE --id ID --name N --role "
                 "officer|inspector|leader|admin "
                 "--password-stdin\n       district-server officer disable|reset-password --db FILE --id ID "
                 "[--password-stdin]\n       district-server officer list --db FILE [--json]\n"
                 "  District officer accounts. The password comes on standard input (8 to 256 bytes), is "
                 "stored\n"
                 "  as an argon2id hash only. Roles: officer (acts on records), inspector (also reads a\n"
                 "  denouncer's identity), leader (reads records and reports), admin (kiosks, imports, "
                 "officers).\n"
               : "Cách dùng: district-server officer add --db TỆP --id MÃ --name TÊN --role "
                 "officer|inspector|leader|admin "
                 "--password-stdin\n           district-server officer disable|reset-password --db TỆP --id "
                 "MÃ "
                 "[--password-stdin]\n           district-server officer list --db TỆP [--json]\n"
                 "  Tài khoản cán bộ của máy chủ. Mật khẩu nhập qua đầu vào chuẩn (8 đến 256 byte), chỉ lưu "
                 "dạng "
                 "băm\n"
                 "  argon2id. Vai trò: officer (xử lý hồ sơ), inspector (thanh tra, được xem danh tính người "
                 "tố\n"
                 "  cáo), leader (lãnh đạo, xem hồ sơ và báo cáo), admin (quản trị máy kiosk, nhập dữ liệu, "
                 "tài khoản).\n");
    if (command == "act")
        return std::string(
            en ? "Usage: district-server act --db FILE CODE --officer ID ACTION [--note T] [--official-code "
                 "X] [--agency SLUG] [--json]\n"
                 "  A district officer's action on a record (receipt or official code): accept, reject,\n"
                 "  request-info, resolve, transfer (--agency: assets/agencies.tsv), extend, withdraw,\n"
                 "  withdraw-part (--note: the part), process, ready, deliver, suspend, resume, "
                 "assign-code.\n"
                 "  The state machine decides which apply. The commune's kiosk gets it on its next pull.\n"
                 "  stdout: CODE<TAB>OFFICIAL_CODE<TAB>STATUS<TAB>DUE; --json: "
                 "{\"code\",\"official_code\",\"status\",\"due\",...}\n"
               : "Cách dùng: district-server act --db TỆP MÃ --officer MÃ_CB THAO_TÁC [--note GHI_CHÚ] "
                 "[--official-code MÃ] [--agency MÃ_CƠ_QUAN] [--json]\n"
                 "  Cán bộ của máy chủ xử lý một hồ sơ (mã biên nhận hoặc mã chính thức): accept, reject, "
                 "request-info,\n"
                 "  resolve, transfer (--agency: assets/agencies.tsv), extend, withdraw, withdraw-part "
                 "(--note: phần rút),\n"
                 "  process, ready, deliver, suspend, resume, assign-code. Máy kiosk của xã\n"
                 "  nhận quyết định ở lần đồng bộ tới. In ra: "
                 "MÃ<TAB>MÃ_CHÍNH_THỨC<TAB>TRẠNG_THÁI<TAB>HẠN.\n");
    if (command == "report") return reportHelp(en);
    if (command == "import") return importHelp(en);
    if (command == "keygen" || command == "rotate-key")
        return std::string(
            en ? "Usage: district-server keygen --db FILE [--key-file FILE] [--replace-lost] [--json]\n"
                 "       district-server rotate-key --db FILE [--json]\n"
                 "  keygen makes the server's key pair and signing identity once (serve and enroll-kiosk\n"
                 "  do too) and prints the district key for kioskctl init --district-key (ckd1.…: the\n"
                 "  public key signed by the identity); run again it prints the current one. The secret keys "
                 "stay in the key file\n"
                 "  (mode 0600, default <db>.keys): back it up offline. rotate-key makes a new pair current "
                 "and\n"
                 "  keeps the old ones for older seals; kiosks take the new public key at their next sync.\n"
                 "  --replace-lost: the key file is gone without a backup — start a new one (older seals "
                 "stay\n"
                 "  unreadable). --json: {\"public_key\",\"key_file\",\"keys\"}.\n"
               : "Cách dùng: district-server keygen --db TỆP [--key-file TỆP] [--replace-lost] [--json]\n"
                 "           district-server rotate-key --db TỆP [--json]\n"
                 "  keygen tạo cặp khoá và khoá ký của máy chủ một lần (serve và enroll-kiosk cũng tạo) và "
                 "in\n"
                 "  khoá máy chủ cho kioskctl init --district-key (ckd1.…: khoá công khai có chữ ký của "
                 "máy chủ);\n"
                 "  chạy lại thì in khoá hiện hành. Khoá bí mật nằm trong tệp khoá (quyền 0600, mặc định\n"
                 "  <db>.keys): hãy sao lưu ngoại tuyến. rotate-key tạo cặp khoá mới và giữ các khoá cũ để "
                 "mở\n"
                 "  các niêm phong cũ; máy kiosk nhận khoá công khai mới ở lần đồng bộ tới. --replace-lost: "
                 "mất\n"
                 "  tệp khoá mà không có bản sao lưu — tạo tệp mới (niêm phong cũ không mở được nữa).\n");
    if (command == "commune-officer") return communeOfficerHelp(lang);
    if (command == "backup") return backupHelp(lang);
    if (command == "restore") return restoreHelp(lang);
    if (command == "migrate-store") return migrateStoreHelp(lang);
    if (command == "intake") return intakeHelp(lang);
    if (command == "unknown-seals") return unknownSealsHelp(en);
    if (command == "identity-reads")
        return std::string(en ? "Usage: district-server identity-reads --db FILE [--record CODE] [--json]\n"
                                "  Who read which citizen's identity, and when (newest first). stdout: "
                                "TIME<TAB>OFFICER<TAB>RECORD;\n"
                                "  --json: [{\"officer\",\"record\",\"at\",\"at_ms\"}]\n"
                              : "Cách dùng: district-server identity-reads --db TỆP [--record MÃ] [--json]\n"
                                "  Ai đã xem danh tính người gửi của hồ sơ nào, lúc nào (mới nhất trước).\n"
                                "  In ra: THỜI_ĐIỂM<TAB>CÁN_BỘ<TAB>HỒ_SƠ.\n");
    if (command == "reception")
        return std::string(
            en ? "Usage: district-server reception add --db FILE --officer ID --people N --case new|CODE "
                 "[--kind K]\n"
                 "         [--outcome T] [--note T] [--date YYYY-MM-DD] [--commune CODE] [--json]\n"
                 "       district-server reception list --db FILE [--from D] [--to D] [--json]\n"
                 "  Citizen reception at the district: one session (lượt) with its number of people; --case "
                 "new\n"
                 "  or the code of the record it is about. stdout: the session's id.\n"
               : "Cách dùng: district-server reception add --db TỆP --officer MÃ --people N --case new|MÃ "
                 "[--kind LOẠI]\n"
                 "         [--outcome KẾT_QUẢ] [--note GHI_CHÚ] [--date YYYY-MM-DD] [--commune MÃ_XÃ] "
                 "[--json]\n"
                 "           district-server reception list --db TỆP [--from NGÀY] [--to NGÀY] [--json]\n"
                 "  Tiếp công dân tại cấp trên: một lượt với số người; --case new (vụ việc mới) hoặc mã hồ "
                 "sơ\n"
                 "  của vụ việc cũ. In ra mã của lượt tiếp.\n");
    return std::nullopt;
}

std::string districtCommandsSummary(Lang lang) {
    if (lang == Lang::En)
        return "  officer add|disable|reset-password|list --db FILE --id ID ...\n"
               "        district officer accounts (password on standard input)\n"
               "  act --db FILE CODE --officer ID ACTION [--note T] [--official-code X] [--agency SLUG]\n"
               "        a district officer's decision on a record; reaches the kiosk on its next pull\n"
               "  report --db FILE --from YYYY-MM-DD --to YYYY-MM-DD [--json|--csv|--xlsx FILE|--pdf FILE]\n"
               "        the district's report, per commune, against the same period last year\n"
               "  import holidays|catalog|units|succession FILE --db FILE\n"
               "        new holiday table or procedure catalog for every kiosk\n"
               "  reception add|list --db FILE ...\n"
               "        citizen reception sessions at the district\n"
               "  keygen|rotate-key --db FILE [--key-file FILE]\n"
               "        the server's key pair for sealed identities (made once; rotation keeps old keys)\n"
               "  identity-reads --db FILE [--record CODE]\n"
               "        who read which citizen's identity, and when\n"
               "  commune-officer add|disable|list --db FILE --commune CODE --id ID [--signing-key KEY]\n"
               "        commune officers' signing keys; their pushed actions need one\n"

               "  intake --db FILE --officer ID --kind K --channel post|in-person --received YYYY-MM-DD ...\n"
               "        a petition received on paper at the server\n"
               "  unknown-seals --db FILE\n"
               "        records sealed to a key that is none of the server's\n"
               "  backup --db FILE --out DIR [--keep N] | restore --from BACKUP.db --db FILE\n"
               "        checked copies of the database and key file while kiosks push, and putting one "
               "back\n"
               "  migrate-store --from FILE --to postgresql://… [--key-file FILE]\n"
               "        the SQLite file copied into an empty PostgreSQL database, checked\n";
    return "  officer add|disable|reset-password|list --db TỆP --id MÃ ...\n"
           "        tài khoản cán bộ của máy chủ (mật khẩu qua đầu vào chuẩn)\n"
           "  act --db TỆP MÃ --officer MÃ_CB THAO_TÁC [--note GHI_CHÚ] [--official-code MÃ] [--agency "
           "MÃ_CƠ_QUAN]\n"
           "        cán bộ của máy chủ xử lý hồ sơ; máy kiosk nhận ở lần đồng bộ tới\n"
           "  report --db TỆP --from YYYY-MM-DD --to YYYY-MM-DD [--json|--csv|--xlsx TỆP|--pdf TỆP]\n"
           "        báo cáo tổng hợp và từng xã, so với cùng kỳ năm trước\n"
           "  import holidays|catalog|units|succession TỆP --db TỆP\n"
           "        bảng ngày nghỉ hoặc danh mục thủ tục mới cho mọi máy kiosk\n"
           "  reception add|list --db TỆP ...\n"
           "        tiếp công dân tại cấp trên\n"
           "  keygen|rotate-key --db TỆP [--key-file TỆP]\n"
           "        cặp khoá của máy chủ cho thông tin người gửi được niêm phong (tạo một lần; đổi khoá giữ "
           "khoá cũ)\n"
           "  identity-reads --db TỆP [--record MÃ]\n"
           "        ai đã xem danh tính người gửi, lúc nào\n"
           "  commune-officer add|disable|list --db TỆP --commune MÃ_XÃ --id MÃ [--signing-key KHOÁ]\n"
           "        khoá ký của cán bộ xã; máy chủ chỉ nhận thao tác của họ khi có chữ ký\n"

           "  intake --db TỆP --officer MÃ --kind LOẠI --channel post|in-person --received YYYY-MM-DD ...\n"
           "        vào sổ đơn giấy máy chủ nhận qua bưu chính hoặc trực tiếp\n"
           "  unknown-seals --db TỆP\n"
           "        hồ sơ niêm phong cho khoá không phải của máy chủ\n"
           "  backup --db TỆP --out THƯ_MỤC [--keep N] | restore --from SAO_LƯU.db --db TỆP\n"
           "        sao lưu có kiểm tra cơ sở dữ liệu và tệp khoá khi máy kiosk đang gửi, và khôi phục\n"
           "  migrate-store --from TỆP --to postgresql://… [--key-file TỆP]\n"
           "        chép tệp SQLite sang một cơ sở dữ liệu PostgreSQL trống, có kiểm tra\n";
}

int runDistrictCommand(const DistrictCommandLine& commandLine) {
    const Run run{commandLine};
    if (commandLine.command == "officer") return cmdOfficer(run);
    if (commandLine.command == "act") return cmdAct(run);
    if (commandLine.command == "report") return cmdReport(run);
    if (commandLine.command == "import") return cmdImport(run);
    if (commandLine.command == "reception") return cmdReception(run);
    if (commandLine.command == "keygen" || commandLine.command == "rotate-key") return cmdKeys(run);
    if (commandLine.command == "identity-reads") return cmdIdentityReads(run);
    if (commandLine.command == "commune-officer") return runCommuneOfficerCommand(commandLine);
    if (commandLine.command == "backup") return runBackupCommand(commandLine);
    if (commandLine.command == "restore") return runRestoreCommand(commandLine);
    if (commandLine.command == "migrate-store") return runMigrateStoreCommand(commandLine);
    if (commandLine.command == "intake") return runIntakeCommand(commandLine);
    if (commandLine.command == "unknown-seals") return cmdUnknownSeals(run);
    return run.fail("Lệnh không rõ: " + commandLine.command + ".",
                    "Unknown command: " + commandLine.command + ".");
}

}  // namespace kiosk::district
