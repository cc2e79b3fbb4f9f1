// kioskctl rate: the citizen's satisfaction rating as scripts give it, on the real binary and a
// real database file. No identity is stored with it; one per record and stage.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "common/database.h"
#include "tests/support/temp_dir.h"

using namespace testing_support;

namespace {

struct RatingKiosk {
    TempDir dir;
    std::string db = dir.file("kiosk.db");

    RunResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--db", db});
        return runProgram(binPath("kioskctl"), args);
    }
    std::string submit(const std::string& kind) const {
        auto r = run({"submit-petition", "--type", kind, "--phone", "0912345678", "--content",
                      "Đề nghị sửa đường liên thôn bị sạt lở sau mưa lũ."});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        return r.out.substr(0, r.out.find('\n'));
    }
    // The rows of the ratings table, one "stage|value|criteria" string each.
    std::vector<std::string> rows() const {
        auto opened = kiosk::store::Database::open(db, false);
        REQUIRE(opened);
        auto st =
            opened->prepare("SELECT stage || '|' || value || '|' || criteria FROM ratings ORDER BY rowid");
        REQUIRE(st);
        std::vector<std::string> out;
        while (true) {
            auto row = st->step();
            REQUIRE(row);
            if (!*row) break;
            out.push_back(st->text(0));
        }
        return out;
    }
};

}  // namespace

TEST_CASE("kioskctl: rate stores one rating per record and stage, without identity") {
    RatingKiosk k;
    REQUIRE(k.run({"init", "--commune", "02374"}).exitCode == 0);
    const std::string code = k.submit("kien-nghi");

    auto rated =
        k.run({"rate", code, "--value", "rat-hai-long", "--criteria", "thai-do,huong-dan", "--json"});
    INFO(rated.err);
    REQUIRE(rated.exitCode == 0);
    auto j = nlohmann::json::parse(rated.out);
    CHECK(j["code"] == code);
    CHECK(j["stage"] == "receipt");
    CHECK(j["value"] == "rat-hai-long");
    CHECK(j["criteria"] == nlohmann::json::array({"thai-do", "huong-dan"}));
    CHECK(k.rows() == std::vector<std::string>{"receipt|rat-hai-long|thai-do,huong-dan"});

    // A second rating of the same record and stage: refused kindly, nothing changed.
    auto again = k.run({"rate", code, "--value", "khong-hai-long", "--lang", "en"});
    CHECK(again.exitCode == 2);
    CHECK(again.err.find("already been rated") != std::string::npos);
    CHECK(k.rows().size() == 1);

    // Stage finished of a record still open: refused.
    auto early = k.run({"rate", code, "--value", "hai-long", "--stage", "finished"});
    CHECK(early.exitCode == 2);
    CHECK(k.rows().size() == 1);

    // The table has no column that could hold the phone or a name.
    auto opened = kiosk::store::Database::open(k.db, false);
    REQUIRE(opened);
    auto columns = opened->prepare("SELECT group_concat(name) FROM pragma_table_info('ratings')");
    REQUIRE(columns);
    REQUIRE(*columns->step());
    CHECK(columns->text(0) == "uuid,record_code,stage,value,criteria,at,sent_at");
}

TEST_CASE("kioskctl: rate refuses a bad value, criterion, stage or code") {
    RatingKiosk k;
    REQUIRE(k.run({"init", "--commune", "02374"}).exitCode == 0);
    const std::string code = k.submit("phan-anh");
    CHECK(k.run({"rate", code, "--value", "very-satisfied"}).exitCode == 2);
    CHECK(k.run({"rate", code}).exitCode == 2);
    CHECK(k.run({"rate", code, "--value", "hai-long", "--criteria", "khong-co-tieu-chi-nay"}).exitCode == 2);
    CHECK(k.run({"rate", code, "--value", "hai-long", "--criteria", "thai-do,thai-do"}).exitCode == 2);
    CHECK(k.run({"rate", code, "--value", "hai-long", "--stage", "later"}).exitCode == 2);
    std::string typo = code;
    typo[3] = typo[3] == '9' ? '0' : char(typo[3] + 1);
    CHECK(k.run({"rate", typo, "--value", "hai-long"}).exitCode == 2);
    CHECK(k.rows().empty());
    CHECK(k.run({"rate", code, "--value", "hai-long"}).exitCode == 0);
}

TEST_CASE("kioskctl: submit-petition --no-phone gives a check PIN that the status check takes") {
    RatingKiosk k;
    REQUIRE(k.run({"init", "--commune", "02374"}).exitCode == 0);
    auto submitted = k.run({"submit-petition", "--type", "kien-nghi", "--no-phone", "--content",
                            "Đề nghị sửa đường liên thôn bị sạt lở.", "--json"});
    INFO(submitted.err);
    REQUIRE(submitted.exitCode == 0);
    auto j = nlohmann::json::parse(submitted.out);
    const std::string code = j["code"];
    REQUIRE(j["check_pin"].is_string());
    const std::string pin = j["check_pin"];
    REQUIRE(pin.size() == 4);
    CHECK(pin.find_first_not_of("0123456789") == std::string::npos);

    // Text output: the code, then the PIN on its own line.
    auto text =
        k.run({"submit-petition", "--type", "phan-anh", "--no-phone", "--content", "Đèn đường thôn 2 hỏng."});
    REQUIRE(text.exitCode == 0);
    CHECK(text.out.size() == 16 + 1 + 4 + 1);

    auto status = k.run({"status", code, "--phone-last4", pin, "--json"});
    INFO(status.err);
    CHECK(status.exitCode == 0);

    // A wrong PIN counts as a wrong phone digit does: 5 failures lock the code, the right PIN too.
    const std::string wrong = pin == "0000" ? "0001" : "0000";
    for (int i = 0; i < 5; ++i) CHECK(k.run({"status", code, "--phone-last4", wrong}).exitCode == 2);
    auto locked = k.run({"status", code, "--phone-last4", pin, "--lang", "en"});
    CHECK(locked.exitCode == 2);
    CHECK(locked.err.find("locked") != std::string::npos);

    CHECK(k.run({"submit-petition", "--type", "kien-nghi", "--no-phone", "--phone", "0912345678", "--content",
                 "Đề nghị sửa đường liên thôn."})
              .exitCode == 2);
    // Without --no-phone the phone stays required.
    CHECK(k.run({"submit-petition", "--type", "kien-nghi", "--content", "Đề nghị sửa đường liên thôn."})
              .exitCode == 2);
}
