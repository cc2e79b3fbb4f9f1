// kioskctl as scripts use it: the real binary on a real database file.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/database.h"
#include "core/calendar.h"
#include "core/receipt_code.h"
#include "tests/support/temp_dir.h"

using namespace testing_support;

namespace {

struct Kiosk {
    TempDir dir;
    std::string db = dir.file("kiosk.db");

    RunResult run(std::vector<std::string> args, const std::string& input = "") const {
        args.insert(args.begin(), {"--db", db});
        return runProgram(binPath("kioskctl"), args, input);
    }
    // Everything a change could touch: the database and its WAL, byte for byte.
    std::string snapshot() const { return fileBytes(db) + fileBytes(db + "-wal"); }
};

// Kiosk owns a TempDir, which cannot be copied or moved: initialise one in place.
void initialise(const Kiosk& k) {
    auto r = k.run({"init", "--commune", "02374"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
}

const std::vector<std::string> kGoodComplaint = {"submit-petition",
                                                 "--type",
                                                 "khieu-nai",
                                                 "--name",
                                                 "Nguyễn Văn An",
                                                 "--cccd",
                                                 "008090001234",
                                                 "--phone",
                                                 "+84 912 345 678",
                                                 "--address",
                                                 "Thôn 2, Thị trấn Tân Yên",
                                                 "--content",
                                                 "Tôi khiếu nại quyết định thu hồi đất số 12 của UBND xã."};

}  // namespace

TEST_CASE("kioskctl: submit then status round trip") {
    Kiosk k;
    initialise(k);
    auto submitted = k.run(kGoodComplaint);
    INFO(submitted.err);
    REQUIRE(submitted.exitCode == 0);
    std::string code = submitted.out.substr(0, submitted.out.find('\n'));
    REQUIRE(code.size() == 16);
    CHECK(kiosk::parseReceiptCode(code).ok());

    auto status = k.run({"status", code, "--phone-last4", "5678", "--json"});
    INFO(status.err);
    REQUIRE(status.exitCode == 0);
    auto j = nlohmann::json::parse(status.out);
    CHECK(j["code"] == code);
    CHECK(j["kind"] == "khieu-nai");
    CHECK(j["status"] == "received");
    CHECK(j["overdue"] == false);
    CHECK(j["synced_at"].is_null());
    REQUIRE(j["history"].size() == 1);
    CHECK(j["history"][0]["status"] == "received");
    CHECK(j["history"][0].contains("at"));
    CHECK(j["history"][0].contains("actor"));
    CHECK(j["history"][0].contains("note"));

    // Grouped as printed on the receipt, typed with spaces.
    const std::string grouped = kiosk::formatReceiptCode(code);
    auto text = k.run({"status", grouped, "--phone-last4", "5678"});
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.find("Đã tiếp nhận") != std::string::npos);
    CHECK(text.out.find("chưa đồng bộ") != std::string::npos);
    auto english = k.run({"--lang", "en", "status", code, "--phone-last4", "5678"});
    CHECK(english.out.find("Received") != std::string::npos);

    // The wrong phone digits and a mistyped code are refused alike, with exit 2.
    CHECK(k.run({"status", code, "--phone-last4", "1111"}).exitCode == 2);
    std::string typo = code;
    typo[7] = typo[7] == '9' ? '0' : char(typo[7] + 1);
    auto mistyped = k.run({"status", typo, "--phone-last4", "5678"});
    CHECK(mistyped.exitCode == 2);
    CHECK_FALSE(mistyped.err.empty());

    auto list = k.run({"list", "--json"});
    REQUIRE(list.exitCode == 0);
    auto rows = nlohmann::json::parse(list.out);
    REQUIRE(rows.size() == 1);
    for (const char* key : {"code", "kind", "status", "due", "overdue"}) CHECK(rows[0].contains(key));
}

TEST_CASE("kioskctl: every bad input exits 2, says why in one line, and changes nothing") {
    Kiosk k;
    initialise(k);
    REQUIRE(k.run(kGoodComplaint).exitCode == 0);
    const std::string before = k.snapshot();
    const std::vector<std::vector<std::string>> bad = {
        {"submit-petition", "--type", "khieu-nai", "--phone", "0912345678", "--content",
         "Nội dung đủ dài để hợp lệ"},  // no name/CCCD
        {"submit-petition", "--type", "to-cao", "--name", "Lê Văn B", "--phone", "0912345678", "--content",
         "Nội dung đủ dài để hợp lệ"},
        {"submit-petition", "--type", "gop-y", "--phone", "0912345678", "--content",
         "Nội dung đủ dài để hợp lệ"},
        {"submit-petition", "--type", "kien-nghi", "--content", "Nội dung đủ dài để hợp lệ"},  // no phone
        {"submit-petition", "--type", "kien-nghi", "--phone", "0112345678", "--content",
         "Nội dung đủ dài để hợp lệ"},
        {"submit-petition", "--type", "kien-nghi", "--phone", "091234567", "--content",
         "Nội dung đủ dài để hợp lệ"},
        {"submit-petition", "--type", "kien-nghi", "--phone", "0912345678", "--content", "ngắn"},
        {"submit-petition", "--type", "kien-nghi", "--phone", "0912345678", "--content",
         "Nội dung \xC3\x28 hỏng UTF-8"},
        {"submit-petition", "--type", "kien-nghi", "--phone", "0912345678", "--content",
         "Nội dung có ký tự \x07 điều khiển"},
        {"submit-petition", "--type", "khieu-nai", "--name", "Nguyễn Văn An", "--cccd", "999090001234",
         "--phone", "0912345678", "--content", "Nội dung đủ dài để hợp lệ"},
        {"submit-petition", "--type", "khieu-nai", "--name", "Nguyễn Văn An", "--cccd", "00809000123",
         "--phone", "0912345678", "--content", "Nội dung đủ dài để hợp lệ"},
        {"submit-petition", "--type", "khieu-nai", "--name", "Nguyễn 3 An", "--cccd", "008090001234",
         "--phone", "0912345678", "--content", "Nội dung đủ dài để hợp lệ"},
        {"register-dossier", "--procedure", "9.999999", "--name", "Lê Thị Mai", "--phone", "0987654321"},
        {"register-dossier", "--procedure", "1.001193", "--name", "Lê Thị Mai", "--phone", "0987654321",
         "--delivery", "post"},  // no address
        {"register-dossier", "--procedure", "1.001193", "--name", "Lê Thị Mai", "--phone", "0987654321",
         "--delivery", "drone"},
        {"status", "1234", "--phone-last4", "5678"},
        {"status", "0237400000000000", "--phone-last4", "56a8"},
        {"list", "--status", "sleeping"},
        {"init", "--commune", "99999"},
        {"init", "--commune", "02374", "--server", "http://127.0.0.1:1"},  // token missing
        {"act", "0237400000000000", "--officer", "cb01", "--pin-stdin", "accept"},
        {"no-such-command"},
        {"submit-petition", "--type"},
    };
    for (const auto& args : bad) {
        auto r = k.run(args, "123456\n");
        std::string joined;
        for (const auto& a : args) joined += a + " ";
        INFO(joined << "\nstderr: " << r.err);
        CHECK(r.exitCode == 2);
        CHECK(r.out.empty());
        REQUIRE_FALSE(r.err.empty());
        CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
        CHECK(k.snapshot() == before);
    }
}

TEST_CASE("kioskctl: messages follow --lang, and commands refuse before init") {
    Kiosk k;
    auto vi = k.run({"list"});
    CHECK(vi.exitCode == 2);
    CHECK(vi.err.find("kioskctl init") != std::string::npos);
    CHECK(vi.err.find("cơ sở dữ liệu") != std::string::npos);
    auto en = k.run({"--lang", "en", "list"});
    CHECK(en.exitCode == 2);
    CHECK(en.err.find("run") != std::string::npos);
    auto help = runProgram(binPath("kioskctl"), {"--help"});
    CHECK(help.exitCode == 0);
    CHECK(help.out.find("submit-petition") != std::string::npos);
    auto subHelp = runProgram(binPath("kioskctl"), {"status", "--help"});
    CHECK(subHelp.exitCode == 0);
    CHECK(subHelp.out.find("--phone-last4") != std::string::npos);
}

TEST_CASE("kioskctl: dossiers get a due date from the procedure and search finds procedures") {
    Kiosk k;
    initialise(k);
    auto reg = k.run({"register-dossier", "--procedure", "1.001193", "--name", "Lê Thị Mai", "--phone",
                      "0987654321", "--delivery", "post", "--address", "Thôn 5, xã Yên Phú", "--json"});
    INFO(reg.err);
    REQUIRE(reg.exitCode == 0);
    auto j = nlohmann::json::parse(reg.out);
    CHECK(j["code"].get<std::string>().size() == 16);
    CHECK(j["due"].get<std::string>().size() == 10);
    auto status = k.run({"status", j["code"], "--phone-last4", "4321", "--json"});
    REQUIRE(status.exitCode == 0);
    CHECK(nlohmann::json::parse(status.out)["kind"] == "dossier");

    for (const char* q : {"dang ky khai sinh", "đăng ký khai sinh"}) {
        auto s = k.run({"search", q, "--json"});
        REQUIRE(s.exitCode == 0);
        auto hits = nlohmann::json::parse(s.out);
        REQUIRE_FALSE(hits.empty());
        for (const char* key : {"code", "name", "days", "fee"}) CHECK(hits[0].contains(key));
        CHECK(hits[0]["name"].get<std::string>().find("khai sinh") != std::string::npos);
    }
}

TEST_CASE("kioskctl: an officer acts with a PIN on standard input") {
    Kiosk k;
    initialise(k);
    auto sub = k.run(kGoodComplaint);
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, 16);
    REQUIRE(
        k.run({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, "2468101214\n")
            .exitCode == 0);
    CHECK(k.run({"act", code, "--officer", "cb01", "--pin-stdin", "accept"}, "000000\n").exitCode == 2);
    auto ok = k.run({"act", code, "--officer", "cb01", "--pin-stdin", "accept", "--json"}, "2468101214\n");
    INFO(ok.err);
    REQUIRE(ok.exitCode == 0);
    CHECK(nlohmann::json::parse(ok.out)["status"] == "accepted");
    auto wrong = k.run({"act", code, "--officer", "cb01", "--pin-stdin", "deliver"}, "2468101214\n");
    CHECK(wrong.exitCode == 2);
    auto resolve = k.run(
        {"act", code, "--officer", "cb01", "--pin-stdin", "resolve", "--note", "Đã trả lời bằng văn bản"},
        "2468101214\n");
    REQUIRE(resolve.exitCode == 0);
    auto status = k.run({"status", code, "--phone-last4", "5678", "--json"});
    auto j = nlohmann::json::parse(status.out);
    CHECK(j["status"] == "resolved");
    REQUIRE(j["history"].size() == 3);
    CHECK(j["history"][2]["note"] == "Đã trả lời bằng văn bản");
}

TEST_CASE("kioskctl: an officer finds records by name or phone, never a denouncer by identity") {
    Kiosk k;
    initialise(k);
    REQUIRE(
        k.run({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, "2468101214\n")
            .exitCode == 0);
    auto complaint = k.run(kGoodComplaint);
    REQUIRE(complaint.exitCode == 0);
    const std::string code = complaint.out.substr(0, complaint.out.find('\n'));
    std::vector<std::string> denunciation = kGoodComplaint;
    denunciation[2] = "to-cao";
    auto denounced = k.run(denunciation);
    REQUIRE(denounced.exitCode == 0);
    const std::string secretCode = denounced.out.substr(0, denounced.out.find('\n'));

    auto byName = k.run({"find", "nguyen an", "--officer", "cb01", "--pin-stdin", "--json"}, "2468101214\n");
    INFO(byName.err);
    REQUIRE(byName.exitCode == 0);
    auto hits = nlohmann::json::parse(byName.out);
    REQUIRE(hits.size() == 1);  // the complaint; the tố cáo with the same identity is not found by it
    CHECK(hits[0]["code"] == code);
    CHECK(hits[0]["name"] == "Nguyễn Văn An");
    CHECK(hits[0]["phone"] == "0912345678");

    auto byPhone = k.run({"find", "0912 345 678", "--officer", "cb01", "--pin-stdin"}, "2468101214\n");
    REQUIRE(byPhone.exitCode == 0);
    CHECK(byPhone.out.find(code) != std::string::npos);
    CHECK(byPhone.out.find(secretCode) == std::string::npos);
    auto byCode = k.run({"find", secretCode, "--officer", "cb01", "--pin-stdin", "--json"}, "2468101214\n");
    REQUIRE(byCode.exitCode == 0);
    REQUIRE(nlohmann::json::parse(byCode.out).size() == 1);
    CHECK(nlohmann::json::parse(byCode.out)[0]["name"] == "");

    // The search writes nothing it opened: the name is still nowhere in the files.
    CHECK(k.snapshot().find("Nguyễn Văn An") == std::string::npos);
    CHECK(k.run({"find", "an", "--officer", "cb01", "--pin-stdin"}, "000000\n").exitCode == 2);
    CHECK(k.run({"find", "an", "--officer", "cb01"}).exitCode == 2);
    auto empty = k.run({"find", " ", "--officer", "cb01", "--pin-stdin", "--lang", "en"}, "2468101214\n");
    CHECK(empty.exitCode == 2);
    CHECK(empty.err.find("part of a name") != std::string::npos);
}

TEST_CASE("kioskctl telex composes one line per line") {
    auto r = runProgram(binPath("kioskctl"), {"telex"}, "tieesng Vieetj\nDDaij\nhoaf\n");
    REQUIRE(r.exitCode == 0);
    CHECK(r.out == "tiếng Việt\nĐại\nhòa\n");
    auto newStyle = runProgram(binPath("kioskctl"), {"telex", "--style", "new"}, "hoaf\n");
    CHECK(newStyle.out == "hoà\n");
    auto vni = runProgram(binPath("kioskctl"), {"telex", "--method", "vni"}, "tie61ng\n");
    CHECK(vni.out == "tiếng\n");
    CHECK(runProgram(binPath("kioskctl"), {"telex", "--method", "morse"}).exitCode == 2);
}

TEST_CASE("kioskctl: an unknown option is refused with one line naming it") {
    Kiosk k;
    initialise(k);
    const std::string before = k.snapshot();
    auto r = k.run({"submit-petition", "--type", "kien-nghi", "--bogus-flag", "12", "--phone", "0912345678",
                    "--content", "Nội dung đủ dài để hợp lệ", "--lang", "en"});
    INFO(r.err);
    CHECK(r.exitCode == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "kioskctl: Unknown option: --bogus-flag.\n");
    CHECK(k.snapshot() == before);  // nothing stored
    auto vi = k.run({"list", "--overdue", "--bogus-flag"});
    CHECK(vi.exitCode == 2);
    CHECK(vi.err.find("--bogus-flag") != std::string::npos);
    CHECK(vi.err.find('\n') == vi.err.size() - 1);
    // An option of another command is unknown to this one.
    CHECK(k.run({"status", "0237400000000000", "--phone-last4", "5678", "--officer", "cb01"}).exitCode == 2);
    // --help still works on every command.
    for (const char* command : {"init", "submit-petition", "register-dossier", "status", "search", "list",
                                "find", "officer", "act", "reception", "sync", "telex"}) {
        INFO(command);
        auto help = k.run({command, "--help"});
        CHECK(help.exitCode == 0);
        CHECK(help.out.find(command) != std::string::npos);
    }
}

TEST_CASE("kioskctl: status refuses a code guessed at too often, as the window does") {
    Kiosk k;
    initialise(k);
    auto submitted = k.run(kGoodComplaint);
    REQUIRE(submitted.exitCode == 0);
    const std::string code = submitted.out.substr(0, submitted.out.find('\n'));
    auto other = k.run(kGoodComplaint);
    REQUIRE(other.exitCode == 0);
    const std::string otherCode = other.out.substr(0, other.out.find('\n'));
    for (int i = 0; i < 5; ++i) {
        INFO("try " << i);
        auto wrong = k.run({"status", code, "--phone-last4", "0000", "--lang", "en"});
        CHECK(wrong.exitCode == 2);
        CHECK(wrong.err == "kioskctl: No record matches this code and these 4 phone digits.\n");
    }
    // Each call is a new process: the count is kept in the kiosk database.
    auto locked = k.run({"status", code, "--phone-last4", "5678", "--lang", "en"});
    INFO(locked.err);
    CHECK(locked.exitCode == 2);
    CHECK(locked.out.empty());
    CHECK(locked.err.find("Too many failed checks of this code") != std::string::npos);
    // 60 s from the last failure, rounded up: 59 when a second has passed since (a slow machine).
    CHECK((locked.err.find("in 60 seconds") != std::string::npos ||
           locked.err.find("in 59 seconds") != std::string::npos));
    CHECK(locked.err.find('\n') == locked.err.size() - 1);  // one line
    auto lockedVi = k.run({"status", code, "--phone-last4", "5678", "--json"});
    CHECK(lockedVi.exitCode == 2);
    CHECK(lockedVi.err.find("quá nhiều lần") != std::string::npos);
    // The lock belongs to the code checked: another code answers.
    auto fine = k.run({"status", otherCode, "--phone-last4", "5678", "--json"});
    INFO(fine.err);
    CHECK(fine.exitCode == 0);
}

TEST_CASE("kioskctl: the kiosk's token is never in its database, and an old database gives it up") {
    const std::string token = "tok-3f9a61c2e7d04b5a8c1e2f3a4b5c6d7e";
    Kiosk k;
    auto init = k.run({"init", "--commune", "02374", "--server", "http://127.0.0.1:1", "--token", token});
    INFO(init.err);
    REQUIRE(init.exitCode == 0);
    // A copy of the database (a backup, a technician's laptop) must not let anyone push as this kiosk.
    CHECK(k.snapshot().find(token) == std::string::npos);
    CHECK(fileBytes(k.db + ".token").find(token) != std::string::npos);
    struct stat st {};
    REQUIRE(::stat((k.db + ".token").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto state = k.run({"sync", "--state", "--json"});
    REQUIRE(state.exitCode == 0);
    CHECK(nlohmann::json::parse(state.out)["configured"] == true);

    // A database from before kept the token in its meta table: the next opening moves it out.
    ::unlink((k.db + ".token").c_str());
    {
        auto opened = kiosk::store::Database::open(k.db, false);
        REQUIRE(opened.ok());
        kiosk::store::Database& db = *opened;
        REQUIRE(db.exec("INSERT OR REPLACE INTO meta(key, value) VALUES('token', '" + token + "')").ok());
        REQUIRE(db.exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    }
    REQUIRE(fileBytes(k.db).find(token) != std::string::npos);
    state = k.run({"sync", "--state", "--json"});
    REQUIRE(state.exitCode == 0);
    CHECK(nlohmann::json::parse(state.out)["configured"] == true);
    CHECK(k.snapshot().find(token) == std::string::npos);
    CHECK(fileBytes(k.db + ".token").find(token) != std::string::npos);

    // A token file others may read is refused, not used.
    REQUIRE(::chmod((k.db + ".token").c_str(), 0644) == 0);
    auto loose = k.run({"sync", "--state", "--lang", "en"});
    CHECK(loose.exitCode != 0);
    CHECK(loose.err.find("chmod 600") != std::string::npos);
}

namespace {

// kioskctl run at a given local time (faketime), for limits counted in days.
RunResult runAt(const Kiosk& k, const std::string& when, std::vector<std::string> args,
                const std::string& input = "") {
    // Under the sanitizer build faketime's LD_PRELOAD comes before the ASan runtime, whose link-order
    // check would abort kioskctl; the interception itself works.
    const char* inherited = std::getenv("ASAN_OPTIONS");
    const std::string asan =
        "ASAN_OPTIONS=" + std::string(inherited && *inherited ? std::string(inherited) + ":" : "") +
        "verify_asan_link_order=0";
    args.insert(args.begin(),
                {asan, "/usr/bin/faketime", "-f", "@" + when, binPath("kioskctl"), "--db", k.db});
    return runProgram("/usr/bin/env", args, input);
}

}  // namespace

TEST_CASE("kioskctl: accepting again after a request for information keeps the due date") {
    if (access("/usr/bin/faketime", X_OK) != 0) {
        WARN("faketime is not installed");
        std::exit(77);
    }
    Kiosk k;
    initialise(k);
    const std::string pin = "2468101214\n";
    REQUIRE(
        k.run({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, pin).exitCode ==
        0);
    auto sub = runAt(k, "2026-03-02 09:00:00", kGoodComplaint);
    INFO(sub.err);
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, 16);
    auto act = [&](const char* when, std::vector<std::string> action) {
        std::vector<std::string> args{"act", code, "--officer", "cb01", "--pin-stdin"};
        args.insert(args.end(), action.begin(), action.end());
        auto r = runAt(k, when, args, pin);
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    };
    auto due = [&] {
        auto s = k.run({"status", code, "--phone-last4", "5678", "--json"});
        REQUIRE(s.exitCode == 0);
        return nlohmann::json::parse(s.out)["due"];
    };
    act("2026-03-03 09:00:00", {"accept"});
    CHECK(due() == "2026-04-02");  // 30 days from acceptance
    act("2026-03-05 09:00:00", {"request-info", "--note", "Bổ sung bản sao quyết định"});
    CHECK(due() == "2026-04-02");
    act("2026-03-20 09:00:00", {"accept"});
    CHECK(due() == "2026-04-02");  // not 30 days from 20/3
}

TEST_CASE("kioskctl: a procedure with no known processing time gets no due date") {
    Kiosk k;
    initialise(k);
    // tach-ho: the catalog gives no processing time.
    auto reg = k.run({"register-dossier", "--procedure", "tach-ho", "--name", "Lê Thị Mai", "--phone",
                      "0987654321", "--json"});
    INFO(reg.err);
    REQUIRE(reg.exitCode == 0);
    auto j = nlohmann::json::parse(reg.out);
    CHECK(j["due"].is_null());
    auto status = k.run({"status", j["code"], "--phone-last4", "4321", "--json"});
    REQUIRE(status.exitCode == 0);
    auto s = nlohmann::json::parse(status.out);
    CHECK(s["due"].is_null());
    CHECK(s["overdue"] == false);
    auto text = k.run({"status", j["code"], "--phone-last4", "4321"});
    CHECK(text.out.find("cán bộ sẽ hẹn ngày trả kết quả") != std::string::npos);
    // In the list it comes after a dated record, not hidden.
    auto dated = k.run({"register-dossier", "--procedure", "1.001193", "--name", "Lê Văn Nam", "--phone",
                        "0987654322", "--json"});
    REQUIRE(dated.exitCode == 0);
    auto list = nlohmann::json::parse(k.run({"list", "--json"}).out);
    REQUIRE(list.size() == 2);
    CHECK(list[0]["due"].is_string());
    CHECK(list[1]["due"].is_null());
}

TEST_CASE("kioskctl: a tố cáo is extended only as its class allows") {
    Kiosk k;
    initialise(k);
    const std::string pin = "2468101214\n";
    REQUIRE(
        k.run({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, pin).exitCode ==
        0);
    std::vector<std::string> denunciation = kGoodComplaint;
    denunciation[2] = "to-cao";
    auto sub = k.run(denunciation);
    INFO(sub.err);
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, 16);
    auto act = [&](std::vector<std::string> action) {
        std::vector<std::string> args{"act", code, "--officer", "cb01", "--pin-stdin"};
        args.insert(args.end(), action.begin(), action.end());
        return k.run(args, pin);
    };
    REQUIRE(act({"accept"}).exitCode == 0);
    // A normal case (no class given) has no extension.
    auto normal = act({"extend", "--note", "Cần thêm thời gian"});
    CHECK(normal.exitCode == 2);
    CHECK(normal.err.find("bình thường") != std::string::npos);
    CHECK(act({"extend", "--note", "x", "--complexity", "rat-kho"}).exitCode == 2);
    auto once = act({"extend", "--note", "Vụ việc phức tạp", "--complexity", "complex", "--json"});
    INFO(once.err);
    REQUIRE(once.exitCode == 0);
    auto twice = act({"extend", "--note", "Lần hai"});
    CHECK(twice.exitCode == 2);
    // Classed especially complex, it may take a second one.
    CHECK(act({"extend", "--note", "Đặc biệt phức tạp", "--complexity", "especially-complex"}).exitCode == 0);
    CHECK(act({"extend", "--note", "Lần ba"}).exitCode == 2);
}

TEST_CASE("kioskctl: a second-time complaint names the first one and gets its longer period") {
    Kiosk k;
    initialise(k);
    auto first = k.run(kGoodComplaint);
    REQUIRE(first.exitCode == 0);
    const std::string firstCode = first.out.substr(0, 16);
    // The first code as printed on the receipt, in groups.
    std::vector<std::string> second = kGoodComplaint;
    second.insert(second.end(), {"--second-time", kiosk::formatReceiptCode(firstCode)});
    auto sub = k.run(second);
    INFO(sub.err);
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, 16);
    auto status = k.run({"status", code, "--phone-last4", "5678", "--json"});
    REQUIRE(status.exitCode == 0);
    CHECK(nlohmann::json::parse(status.out)["first_code"] == firstCode);
    // The first complaint itself names none.
    auto firstStatus = k.run({"status", firstCode, "--phone-last4", "5678", "--json"});
    CHECK_FALSE(nlohmann::json::parse(firstStatus.out).contains("first_code"));

    // Accepted, it runs 45 days (Điều 37), not 30.
    const std::string pin = "2468101214\n";
    REQUIRE(
        k.run({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, pin).exitCode ==
        0);
    auto accepted = k.run({"act", code, "--officer", "cb01", "--pin-stdin", "accept", "--json"}, pin);
    REQUIRE(accepted.exitCode == 0);
    const auto due = kiosk::Date::parse(nlohmann::json::parse(accepted.out)["due"].get<std::string>());
    REQUIRE(due);
    auto firstAccepted =
        k.run({"act", firstCode, "--officer", "cb01", "--pin-stdin", "accept", "--json"}, pin);
    const auto firstDue =
        kiosk::Date::parse(nlohmann::json::parse(firstAccepted.out)["due"].get<std::string>());
    REQUIRE(firstDue);
    CHECK(due->toDays() - firstDue->toDays() == 15);

    // An unknown first code, or a second time for another kind, is refused in both languages.
    std::vector<std::string> unknown = kGoodComplaint;
    unknown.insert(unknown.end(), {"--second-time", "0237400000000000"});
    auto refused = k.run(unknown);
    CHECK(refused.exitCode == 2);
    CHECK(refused.err.find("lần đầu") != std::string::npos);
    auto english = k.run([&] {
        auto args = unknown;
        args.insert(args.begin(), {"--lang", "en"});
        return args;
    }());
    CHECK(english.err.find("first complaint") != std::string::npos);
    std::vector<std::string> wrongKind = second;
    wrongKind[2] = "to-cao";
    CHECK(k.run(wrongKind).exitCode == 2);
}

TEST_CASE("kioskctl: an officer marks a petition signed once, and nothing else about it changes") {
    Kiosk k;
    initialise(k);
    auto sub = k.run(kGoodComplaint);
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, 16);
    const std::string pin = "2468101214\n";
    REQUIRE(
        k.run({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, pin).exitCode ==
        0);
    const auto before = nlohmann::json::parse(k.run({"status", code, "--phone-last4", "5678", "--json"}).out);
    auto marked = k.run({"act", code, "--officer", "cb01", "--pin-stdin", "mark-signed", "--json"}, pin);
    INFO(marked.err);
    REQUIRE(marked.exitCode == 0);
    CHECK(nlohmann::json::parse(marked.out)["status"] == "received");
    const auto after = nlohmann::json::parse(k.run({"status", code, "--phone-last4", "5678", "--json"}).out);
    CHECK(after["status"] == "received");
    CHECK(after["due"] == before["due"]);
    REQUIRE(after["history"].size() == 2);
    CHECK(after["history"][1]["action"] == "mark-signed");
    CHECK(after["history"][1]["actor"] == "commune");
    // Once: a second mark is refused in one line, and the history keeps one.
    const std::string snapshot = k.snapshot();
    auto again = k.run({"act", code, "--officer", "cb01", "--pin-stdin", "mark-signed", "--lang", "en"}, pin);
    CHECK(again.exitCode == 2);
    CHECK(again.err.find("already marked signed") != std::string::npos);
    CHECK(k.snapshot() == snapshot);
    // A dossier is not signed by its citizen this way.
    auto dossier = k.run(
        {"register-dossier", "--procedure", "1.001193", "--name", "Nguyễn Văn An", "--phone", "0912345678"});
    REQUIRE(dossier.exitCode == 0);
    auto refused =
        k.run({"act", dossier.out.substr(0, 16), "--officer", "cb01", "--pin-stdin", "mark-signed"}, pin);
    CHECK(refused.exitCode == 2);
    // The officer can still act on the petition as before.
    CHECK(k.run({"act", code, "--officer", "cb01", "--pin-stdin", "accept"}, pin).exitCode == 0);
}

TEST_CASE("kioskctl: a dossier without a phone gets a check PIN that opens its status") {
    Kiosk k;
    initialise(k);
    const std::vector<std::string> dossier{"register-dossier", "--procedure", "1.001193",
                                           "--name",           "Lê Thị Mai",  "--no-phone"};
    auto both = dossier;
    both.insert(both.end(), {"--phone", "0987654321"});
    CHECK(k.run(both).exitCode == 2);
    auto text = k.run(dossier);
    INFO(text.err);
    REQUIRE(text.exitCode == 0);
    // stdout: the code, then the PIN, as submit-petition --no-phone prints them.
    REQUIRE(text.out.size() == 16 + 1 + 4 + 1);
    const std::string code = text.out.substr(0, 16);
    const std::string pin = text.out.substr(17, 4);
    CHECK(pin.find_first_not_of("0123456789") == std::string::npos);
    auto status = k.run({"status", code, "--phone-last4", pin, "--json"});
    INFO(status.err);
    REQUIRE(status.exitCode == 0);
    CHECK(nlohmann::json::parse(status.out)["kind"] == "dossier");
    auto json = k.run(
        {"register-dossier", "--procedure", "1.001193", "--name", "Lê Thị Mai", "--no-phone", "--json"});
    REQUIRE(json.exitCode == 0);
    CHECK(nlohmann::json::parse(json.out)["check_pin"].get<std::string>().size() == 4);
    // With a phone nothing changes: no PIN.
    auto phone = k.run({"register-dossier", "--procedure", "1.001193", "--name", "Lê Thị Mai", "--phone",
                        "0987654321", "--json"});
    REQUIRE(phone.exitCode == 0);
    CHECK_FALSE(nlohmann::json::parse(phone.out).contains("check_pin"));
}

TEST_CASE("kioskctl: status of a transferred petition names the agency and shows no due date") {
    Kiosk k;
    initialise(k);
    auto sub = k.run(kGoodComplaint);
    REQUIRE(sub.exitCode == 0);
    const std::string code = sub.out.substr(0, 16);
    const std::string pin = "2468101214\n";
    REQUIRE(
        k.run({"officer", "add", "--id", "cb01", "--name", "Trần Văn Bình", "--pin-stdin"}, pin).exitCode ==
        0);
    auto moved = k.run(
        {"act", code, "--officer", "cb01", "--pin-stdin", "transfer", "--agency", "thanh-tra-tinh"}, pin);
    INFO(moved.err);
    REQUIRE(moved.exitCode == 0);
    auto text = k.run({"status", code, "--phone-last4", "5678"});
    REQUIRE(text.exitCode == 0);
    INFO(text.out);
    CHECK(text.out.find("Thanh tra") != std::string::npos);
    CHECK(text.out.find("Hạn:") == std::string::npos);
    auto json = nlohmann::json::parse(k.run({"status", code, "--phone-last4", "5678", "--json"}).out);
    CHECK(json["status"] == "transferred");
    CHECK(json["due"].is_null());
    CHECK(json["overdue"] == false);
    CHECK(json["agency"]["slug"] == "thanh-tra-tinh");
}
