// Sealed identities at the district, end to end with the real programs: a kiosk set up without
// --district-key learns the district's public key from whoami; a petition typed at the kiosk travels
// sealed; at the district an officer opens a kiến nghị and only an inspector a tố cáo, each reading
// recorded and listed for admins (CLI and dashboard); the district's database and WAL never hold the
// plaintext; after rotate-key old and new records both open, and a replaced kiosk's too; a lost key
// file is refused until restored from its backup.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "kiosk/store/kiosk_store.h"
#include "tests/support/beside_database.h"
#include "tests/support/dashboard_session.h"
#include "tests/support/district_support.h"
#include "tests/support/e2e_support.h"

using district_test::district;
using district_test::districtOk;
using district_test::ServerProcess;
using testing_support::TempDir;

namespace {

constexpr const char* kCommune = "02374";

struct Citizen {
    std::string type, name, cccd, phone, address, content;
};

const Citizen kRecommender{"kien-nghi",  "Lò Thị Xuyến Khâm", "008190045127",
                           "0983417265", "Thôn Khuổi Phổng",  "Kiến nghị làm lại cống qua suối Khuổi Phổng."};
const Citizen kDenouncer{"to-cao",     "Ma Văn Thổng Quyết", "008088061359",
                         "0962518734", "Thôn Nà Vài",        "Tố cáo việc thu tiền trái phép ở chợ Nà Vài."};

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
}

std::string submit(const e2e::KioskCli& kiosk, const Citizen& c) {
    auto r = kiosk.run({"submit-petition", "--type", c.type, "--name", c.name, "--cccd", c.cccd, "--phone",
                        c.phone, "--address", c.address, "--content", c.content});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return trimmed(r.out);
}

void syncOnce(const e2e::KioskCli& kiosk) {
    auto r = kiosk.run({"sync", "--once", "--timeout", "60"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
}

// The sealing key a district key ("ckd1.<id>.<identity>.<sealing key>.<signature>") carries.
std::string sealingKey(const std::string& districtKey) {
    size_t start = 0;
    for (int i = 0; i < 3 && start != std::string::npos; ++i) start = districtKey.find('.', start) + 1;
    REQUIRE(start != 0);
    return districtKey.substr(start, districtKey.find('.', start) - start);
}

std::string kioskDistrictKey(const std::string& kioskDb) {
    auto store = kiosk::store::KioskStore::open(kioskDb);
    REQUIRE(store.ok());
    auto config = (*store)->config();
    REQUIRE(config.ok());
    return config->districtKey;
}

httplib::Result reveal(httplib::Client& c, const httplib::Headers& who, const std::string& code) {
    auto res = c.Post("/dash/api/identity", who, nlohmann::json{{"code", code}}.dump(), "application/json");
    REQUIRE(res);
    return res;
}

void checkRevealed(httplib::Client& c, const httplib::Headers& who, const std::string& code,
                   const Citizen& citizen) {
    auto res = reveal(c, who, code);
    INFO(res->body);
    REQUIRE(res->status == 200);
    const auto body = nlohmann::json::parse(res->body);
    CHECK(body["identity"]["name"] == citizen.name);
    CHECK(body["identity"]["cccd"] == citizen.cccd);
    CHECK(body["identity"]["phone"] == citizen.phone);
    CHECK(body["identity"]["address"] == citizen.address);
    CHECK(body["content"] == citizen.content);
}

void addOfficer(const std::string& db, const std::string& id, const std::string& role,
                const std::string& password) {
    districtOk({"officer", "add", "--db", db, "--id", id, "--name", "Cán bộ " + id, "--role", role,
                "--password-stdin"},
               password + "\n");
}

}  // namespace

TEST_CASE(
    "district identity: the kiosk learns the key, officers and inspectors read what they may, every reading "
    "is audited") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const auto enrolled =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", kCommune, "--json"}));
    const std::string districtKey = enrolled["district_public_key"];
    REQUIRE(kiosk::store::publicKeyFromBase64(sealingKey(districtKey)));
    // The secret keys live beside the database, readable by the server's user only.
    struct stat keyStat {};
    REQUIRE(::stat(dir.file("district.db.keys").c_str(), &keyStat) == 0);
    CHECK((keyStat.st_mode & 0777) == 0600);
    CHECK(trimmed(districtOk({"keygen", "--db", db})) == districtKey);  // made once: keygen shows it again
    addOfficer(db, "cb01", "officer", "mat-khau-can-bo");
    addOfficer(db, "tt01", "inspector", "mat-khau-thanh-tra");
    addOfficer(db, "qt01", "admin", "mat-khau-quan-tri");
    ServerProcess server(db);

    e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
    auto init = kiosk.run({"init", "--commune", kCommune, "--server", server.url(), "--token",
                           enrolled["token"], "--slot", enrolled["slot"].dump()});
    INFO(init.err);
    REQUIRE(init.exitCode == 0);
    CHECK(kioskDistrictKey(kiosk.db).empty());
    syncOnce(kiosk);
    REQUIRE(kioskDistrictKey(kiosk.db) == sealingKey(districtKey));

    const std::string recommendation = submit(kiosk, kRecommender);
    const std::string denunciation = submit(kiosk, kDenouncer);
    syncOnce(kiosk);

    httplib::Client c("127.0.0.1", server.port());
    const auto officer = testing_support::dashboardActionSession(c, "cb01", "mat-khau-can-bo");
    const auto inspector = testing_support::dashboardActionSession(c, "tt01", "mat-khau-thanh-tra");
    const auto admin = testing_support::dashboardActionSession(c, "qt01", "mat-khau-quan-tri");

    SECTION("a record carries no identity until a reading is asked for") {
        for (const std::string& code : {recommendation, denunciation}) {
            auto res = c.Get(("/dash/api/record?code=" + code).c_str(), inspector);
            REQUIRE(res);
            REQUIRE(res->status == 200);
            const auto r = nlohmann::json::parse(res->body);
            CHECK(r["identity"].is_null());
            CHECK(r["content"].is_null());
            CHECK(r["identity_hidden"] == true);
            CHECK(res->body.find(kRecommender.name) == std::string::npos);
            CHECK(res->body.find(kDenouncer.name) == std::string::npos);
        }
        auto plain = c.Get(("/dash/api/record?code=" + denunciation).c_str(), officer);
        REQUIRE(plain);
        CHECK(nlohmann::json::parse(plain->body)["may_reveal_identity"] == false);
        CHECK(trimmed(districtOk({"identity-reads", "--db", db})).empty());
    }

    SECTION(
        "an officer reads a kiến nghị, not a tố cáo; an inspector reads the tố cáo; admins see who read "
        "what") {
        checkRevealed(c, officer, recommendation, kRecommender);
        auto refused = reveal(c, officer, denunciation);
        CHECK(refused->status == 403);
        CHECK(refused->body.find(kDenouncer.name) == std::string::npos);
        auto admins = reveal(c, admin, recommendation);
        CHECK(admins->status == 403);
        checkRevealed(c, inspector, denunciation, kDenouncer);

        const auto reads = nlohmann::json::parse(districtOk({"identity-reads", "--db", db, "--json"}));
        REQUIRE(reads.size() == 2);  // the refused attempts read nothing and are not readings
        CHECK(reads[0]["officer"] == "tt01");
        CHECK(reads[0]["record"] == denunciation);
        CHECK(reads[1]["officer"] == "cb01");
        CHECK(reads[1]["record"] == recommendation);
        const auto one = nlohmann::json::parse(
            districtOk({"identity-reads", "--db", db, "--record", denunciation, "--json"}));
        REQUIRE(one.size() == 1);
        CHECK(one[0]["officer"] == "tt01");

        auto listed = c.Get("/dash/api/identity-reads", admin);
        REQUIRE(listed);
        REQUIRE(listed->status == 200);
        CHECK(nlohmann::json::parse(listed->body)["reads"].size() == 2);
        auto filtered = c.Get(("/dash/api/identity-reads?code=" + recommendation).c_str(), admin);
        REQUIRE(filtered);
        const auto f = nlohmann::json::parse(filtered->body)["reads"];
        REQUIRE(f.size() == 1);
        CHECK(f[0]["officer"] == "cb01");
        for (const auto* notAdmin : {&officer, &inspector}) {
            auto no = c.Get("/dash/api/identity-reads", *notAdmin);
            REQUIRE(no);
            CHECK(no->status == 403);
        }

        // Nothing opened was written anywhere: not the database, its WAL, nor the server's log.
        for (const std::string& file : {db, db + "-wal", testing_support::besideDatabase(db, ".log")}) {
            const std::string bytes = fileBytes(file);
            for (const Citizen* citizen : {&kRecommender, &kDenouncer})
                for (const std::string* secret :
                     {&citizen->name, &citizen->cccd, &citizen->phone, &citizen->content}) {
                    INFO(file << " holds " << *secret);
                    CHECK(bytes.find(*secret) == std::string::npos);
                }
        }
    }
}

TEST_CASE("district identity: rotate-key, a replaced kiosk, a lost key file and its backup") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const auto first =
        nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", kCommune, "--json"}));
    const std::string oldKey = first["district_public_key"];
    addOfficer(db, "cb01", "officer", "mat-khau-can-bo");
    const Citizen before{"kien-nghi", "Hoàng Thị Lự Trước",           "008190033218", "0973152846",
                         "Thôn 3",    "Kiến nghị trước khi đổi khoá."};
    const Citizen after{"phan-anh", "Triệu Văn Sáng Sau",        "008089074412", "0915263748",
                        "Thôn 7",   "Phản ánh sau khi đổi khoá."};
    const Citizen replaced{"khieu-nai",  "Bàn Thị Mỷ Thay", "008192081530",
                           "0906172839", "Thôn 9",          "Khiếu nại từ máy thay thế."};

    std::string codeBefore, codeAfter, codeReplaced;
    {
        ServerProcess server(db);
        e2e::KioskCli kiosk{dir.file("kiosk.db"), {}};
        REQUIRE(kiosk
                    .run({"init", "--commune", kCommune, "--server", server.url(), "--token", first["token"],
                          "--slot", first["slot"].dump()})
                    .exitCode == 0);
        syncOnce(kiosk);
        REQUIRE(kioskDistrictKey(kiosk.db) == sealingKey(oldKey));
        codeBefore = submit(kiosk, before);
        syncOnce(kiosk);

        // Rotation while the server runs: whoami serves the new key at once.
        const auto rotated = nlohmann::json::parse(districtOk({"rotate-key", "--db", db, "--json"}));
        const std::string newKey = rotated["public_key"];
        CHECK(newKey != oldKey);
        REQUIRE(rotated["keys"].size() == 2);
        CHECK(rotated["keys"][0]["public_key"] == sealingKey(oldKey));
        // The kiosk asks again at its next sync once its check is due (every few hours): make it due.
        {
            auto store = kiosk::store::KioskStore::open(kiosk.db);
            REQUIRE(store.ok());
            REQUIRE(kiosk::store::writeMeta((*store)->database(), "district_pk_checked_ms", "0"));
        }
        syncOnce(kiosk);
        REQUIRE(kioskDistrictKey(kiosk.db) == sealingKey(newKey));
        codeAfter = submit(kiosk, after);
        syncOnce(kiosk);

        // The kiosk is replaced: a new enrollment, a new database; the old one is revoked.
        const auto second =
            nlohmann::json::parse(districtOk({"enroll-kiosk", "--db", db, "--commune", kCommune, "--json"}));
        CHECK(second["district_public_key"] == newKey);
        districtOk({"revoke-kiosk", "--db", db, "--kiosk", first["kiosk"]});
        e2e::KioskCli fresh{dir.file("kiosk-2.db"), {}};
        REQUIRE(fresh
                    .run({"init", "--commune", kCommune, "--server", server.url(), "--token", second["token"],
                          "--slot", second["slot"].dump(), "--district-key", second["district_public_key"]})
                    .exitCode == 0);
        codeReplaced = submit(fresh, replaced);
        syncOnce(fresh);

        httplib::Client c("127.0.0.1", server.port());
        const auto officer = testing_support::dashboardActionSession(c, "cb01", "mat-khau-can-bo");
        checkRevealed(c, officer, codeBefore, before);
        checkRevealed(c, officer, codeAfter, after);
        checkRevealed(c, officer, codeReplaced, replaced);
    }

    // Recovery: the key file is gone. Nothing starts a new key silently; the backup brings it back.
    const std::string keyFile = dir.file("district.db.keys");
    const std::string backup = dir.file("backup.keys");
    std::filesystem::copy_file(keyFile, backup);
    std::filesystem::remove(keyFile);
    auto missing = district({"keygen", "--db", db});
    CHECK(missing.exitCode == 2);
    CHECK(missing.err.find("keys") != std::string::npos);
    if (missing.exitCode == 2) {  // serve makes its key the same way; were it not refused it would not return
        auto refusedServe = district({"serve", "--db", db, "--listen", "127.0.0.1:0"});
        CHECK(refusedServe.exitCode == 2);
    }
    std::filesystem::copy_file(backup, keyFile);
    {
        ServerProcess server(db);
        httplib::Client c("127.0.0.1", server.port());
        const auto officer = testing_support::dashboardActionSession(c, "cb01", "mat-khau-can-bo");
        checkRevealed(c, officer, codeBefore, before);
    }
    // No backup at all: --replace-lost starts a new key; what was sealed to the lost ones stays shut.
    std::filesystem::remove(keyFile);
    const std::string lostKey = trimmed(districtOk({"keygen", "--db", db, "--replace-lost"}));
    CHECK(lostKey != oldKey);
    {
        ServerProcess server(db);
        httplib::Client c("127.0.0.1", server.port());
        const auto officer = testing_support::dashboardActionSession(c, "cb01", "mat-khau-can-bo");
        auto shut = reveal(c, officer, codeBefore);
        CHECK(shut->status == 500);
        // The seal names the lost key, which the new file does not hold.
        CHECK(nlohmann::json::parse(shut->body)["error"] == "keys.unknown-seal");
    }
}

TEST_CASE(
    "district identity: --key-file keeps the keys elsewhere, another file is refused, the default moves with "
    "the database") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    std::filesystem::create_directories(dir.path() / "vault");
    const std::string vault = dir.file("vault/district.keys");
    const auto made =
        nlohmann::json::parse(districtOk({"keygen", "--db", db, "--key-file", vault, "--json"}));
    CHECK(made["key_file"] == std::filesystem::absolute(vault).lexically_normal().string());
    struct stat keyStat {};
    REQUIRE(::stat(vault.c_str(), &keyStat) == 0);
    CHECK((keyStat.st_mode & 0777) == 0600);
    CHECK_FALSE(std::filesystem::exists(dir.file("district.db.keys")));
    CHECK(trimmed(districtOk({"keygen", "--db", db})) == made["public_key"]);
    auto other = district({"keygen", "--db", db, "--key-file", dir.file("other.keys")});
    CHECK(other.exitCode == 2);
    CHECK_FALSE(std::filesystem::exists(dir.file("other.keys")));

    // The default file beside the database goes where the database goes.
    const std::string second = dir.file("second.db");
    const std::string key = trimmed(districtOk({"keygen", "--db", second}));
    std::filesystem::create_directories(dir.path() / "moved");
    for (const std::string suffix : {"", ".keys"})
        std::filesystem::rename(second + suffix, dir.file("moved/second.db" + suffix));
    CHECK(trimmed(districtOk({"keygen", "--db", dir.file("moved/second.db")})) == key);
}
