// Receipt codes are bound to the kiosk that issued them (core/receipt_code.h): enroll-kiosk gives
// each kiosk of a commune its own slot, whoami and `kioskctl init --slot` tell the kiosk, and the
// district refuses a new record whose code carries another commune, another slot, or a wrong check
// digit — while a kiosk that took petitions before it was enrolled (slot 00) loses none of them.
// The real programs: build/bin/district-server (serve, enroll-kiosk, revoke-kiosk, check-codes)
// and build/bin/kioskctl, pushes over a real socket, the district's real SQLite file.
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <set>

#include "common/database.h"
#include "core/receipt_code.h"
#include "tests/support/e2e_support.h"
#include "tests/support/server_fixture.h"

using namespace e2e;
using kiosk::makeReceiptCode;
using kiosk::protocol::Verdict;
using testing_support::runProgram;
using testing_support::TempDir;

namespace {

constexpr const char* kTanYen = "02374";    // Thị trấn Tân Yên
constexpr const char* kYenThuan = "02377";  // Xã Yên Thuận
constexpr const char* kEnv = "/usr/bin/env";
constexpr const char* kFaketime = "/usr/bin/faketime";

testing_support::RunResult district(const std::vector<std::string>& args) {
    return runProgram(testing_support::binPath("district-server"), args);
}

// enroll-kiosk --json as an installer runs it; the kiosk as the push fixture knows it.
server_test::Kiosk enrollKiosk(const std::string& db, const std::string& commune) {
    auto r = district({"enroll-kiosk", "--db", db, "--commune", commune, "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    REQUIRE(j.is_object());
    REQUIRE(j.contains("slot"));
    REQUIRE(j["slot"].is_number_integer());
    return server_test::Kiosk{j["kiosk"].get<std::string>(), j["commune"].get<std::string>(),
                              j["token"].get<std::string>(), j["slot"].get<int>()};
}

// faketime's LD_PRELOAD goes in front of the ASan runtime in the sanitizer build: its link-order
// check would abort the child; the interception itself works.
std::string asanOptionsForPreload() {
    const char* inherited = std::getenv("ASAN_OPTIONS");
    std::string options = inherited && *inherited ? std::string(inherited) + ":" : std::string();
    return "ASAN_OPTIONS=" + options + "verify_asan_link_order=0";
}

// The serial of the 6-second unit holding now (core/receipt_code.h).
uint64_t serialNow() { return kiosk::receiptSerialAt(int64_t(time(nullptr))); }

kiosk::protocol::PushResponse pushTo(int port, const server_test::Kiosk& k,
                                     const std::vector<kiosk::Event>& events) {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(20, 0);
    auto r = c.Post("/api/v1/push", server_test::auth(k.token), server_test::pushBody(k, events),
                    "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
    auto decoded = kiosk::protocol::decodePushResponse(r->body);
    REQUIRE(decoded);
    return *decoded;
}

std::string rejection(const kiosk::protocol::PushResponse& answer) {
    REQUIRE(answer.results.size() == 1);
    if (answer.results[0].verdict != Verdict::Rejected) return "accepted";
    REQUIRE(answer.results[0].reason);
    return answer.results[0].reason->code;
}

}  // namespace

TEST_CASE("e2e codes: enroll-kiosk gives slots 01, 02, ... per commune and never reuses one") {
    TempDir dir;
    const std::string db = dir.file("district.db");
    const auto first = enrollKiosk(db, kTanYen);
    const auto second = enrollKiosk(db, kTanYen);
    CHECK(first.slot == 1);
    CHECK(second.slot == 2);
    CHECK(enrollKiosk(db, kYenThuan).slot == 1);  // each commune counts its own

    auto revoked = district({"revoke-kiosk", "--db", db, "--kiosk", second.id});
    REQUIRE(revoked.exitCode == 0);
    CHECK(enrollKiosk(db, kTanYen).slot == 3);  // 02 stays the revoked kiosk's
    auto text = district({"enroll-kiosk", "--db", db, "--commune", kTanYen, "--lang", "en"});
    REQUIRE(text.exitCode == 0);
    CHECK(text.err.find("slot 04") != std::string::npos);  // the installer reads it beside the token

    for (int slot = 5; slot <= 99; ++slot) REQUIRE(enrollKiosk(db, kTanYen).slot == slot);
    auto full = district({"enroll-kiosk", "--db", db, "--commune", kTanYen, "--lang", "en"});
    CHECK(full.exitCode == 2);
    CHECK(full.out.empty());
    CHECK(full.err.find("all 99") != std::string::npos);
    auto fullVi = district({"enroll-kiosk", "--db", db, "--commune", kTanYen});
    CHECK(fullVi.err.find("hết 99") != std::string::npos);
    CHECK(enrollKiosk(db, kYenThuan).slot == 2);  // another commune is not affected
}

TEST_CASE("e2e codes: a kiosk cannot take another commune's or another kiosk's codes") {
    TempDir dir;
    DistrictProcess server(dir.file("district.db"));
    const auto a = enrollKiosk(server.db(), kTanYen);
    const auto a2 = enrollKiosk(server.db(), kTanYen);
    const auto b = enrollKiosk(server.db(), kYenThuan);
    server.start();

    SECTION("A's token pushing a code with B's prefix is refused, and B's real petition then goes in") {
        // A future code of B: codes follow the clock, so they can be guessed ahead.
        const std::string bsCode = makeReceiptCode(kYenThuan, b.slot, serialNow() + 100);
        const auto forged = pushTo(server.port(), a, {server_test::submitEvent(a, 1, bsCode)});
        CHECK(rejection(forged) == "record.code-foreign");
        REQUIRE(forged.results[0].reason);
        CHECK(forged.results[0].reason->vi.find(kYenThuan) != std::string::npos);
        const auto real = pushTo(server.port(), b, {server_test::submitEvent(b, 1, bsCode)});
        CHECK(rejection(real) == "accepted");
        const nlohmann::json records = districtRecords(server.db());
        REQUIRE(records.size() == 1);
        CHECK(records[0]["code"] == bsCode);
        CHECK(records[0]["commune"] == kYenThuan);
    }
    SECTION("a code with another kiosk's slot of the same commune is refused") {
        const std::string code = makeReceiptCode(kTanYen, a.slot, serialNow());
        CHECK(rejection(pushTo(server.port(), a2, {server_test::submitEvent(a2, 1, code)})) ==
              "record.code-slot");
        CHECK(rejection(pushTo(server.port(), a, {server_test::submitEvent(a, 1, code)})) == "accepted");
    }
    SECTION("a code whose check digit is wrong, or that is not 16 digits, is refused") {
        std::string code = makeReceiptCode(kTanYen, a.slot, serialNow());
        code.back() = code.back() == '9' ? '0' : char(code.back() + 1);
        CHECK(rejection(pushTo(server.port(), a, {server_test::submitEvent(a, 1, code)})) ==
              "record.code-invalid");
        CHECK(rejection(pushTo(server.port(), a, {server_test::submitEvent(a, 2, "023740100000001")})) ==
              "record.code-invalid");
        CHECK(districtRecords(server.db()).empty());
    }
    SECTION("slot 00 is taken only for serials before the kiosk's enrollment") {
        const uint64_t enrolled = serialNow();
        const std::string before = makeReceiptCode(kTanYen, 0, enrolled - 50);  // 5 minutes before
        const std::string after = makeReceiptCode(kTanYen, 0, enrolled + 20);
        auto answer = pushTo(server.port(), a,
                             {server_test::submitEvent(a, 1, before), server_test::submitEvent(a, 2, after)});
        REQUIRE(answer.results.size() == 2);
        CHECK(answer.results[0].verdict == Verdict::Accepted);
        CHECK(answer.results[1].verdict == Verdict::Rejected);
        REQUIRE(answer.results[1].reason);
        CHECK(answer.results[1].reason->code == "record.code-slot");
        // Another commune's kiosk may not use this commune's 00 codes either.
        const std::string older = makeReceiptCode(kTanYen, 0, enrolled - 60);
        CHECK(rejection(pushTo(server.port(), b, {server_test::submitEvent(b, 1, older)})) ==
              "record.code-foreign");
    }
}

TEST_CASE(
    "e2e codes: slot 00 stays valid until the kiosk has been told its slot, not only until enrollment") {
    // An installer who gives the token but not --slot leaves the kiosk printing 00 until its first
    // whoami: those petitions must reach the district; 00 codes after the whoami must not.
    TempDir dir;
    DistrictProcess server(dir.file("district.db"));
    const auto k = enrollKiosk(server.db(), kTanYen);
    {
        // Through the store's own connection: the same statement on SQLite and PostgreSQL.
        auto db = kiosk::store::Database::open(server.db(), false);
        REQUIRE(db);
        // Enrolled an hour ago; the kiosk has taken petitions since, without a sync.
        CHECK(db->exec("UPDATE kiosks SET created_at = created_at - 3600000"));
    }
    server.start();
    const uint64_t now = serialNow();
    const std::string sinceEnrollment = makeReceiptCode(kTanYen, 0, now - 300);  // 30 minutes ago
    httplib::Client c("127.0.0.1", server.port());
    auto who = c.Get("/api/v1/whoami", server_test::auth(k.token));
    REQUIRE(who);
    REQUIRE(who->status == 200);
    const std::string afterTold = makeReceiptCode(kTanYen, 0, now + 20);
    auto answer =
        pushTo(server.port(), k,
               {server_test::submitEvent(k, 1, sinceEnrollment), server_test::submitEvent(k, 2, afterTold)});
    REQUIRE(answer.results.size() == 2);
    CHECK(answer.results[0].verdict == Verdict::Accepted);
    CHECK(answer.results[1].verdict == Verdict::Rejected);
}

TEST_CASE("e2e codes: whoami says the slot and a kiosk set up with it prints codes with it") {
    TempDir dir;
    DistrictProcess server(dir.file("district.db"));
    const auto first = enrollKiosk(server.db(), kTanYen);
    const auto k = enrollKiosk(server.db(), kTanYen);
    REQUIRE(k.slot == 2);
    server.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(server.port());

    httplib::Client c("127.0.0.1", server.port());
    auto who = c.Get("/api/v1/whoami", server_test::auth(k.token));
    REQUIRE(who);
    REQUIRE(who->status == 200);
    auto whoJson = nlohmann::json::parse(who->body);
    CHECK(whoJson["slot"] == 2);

    const KioskCli kiosk{dir.file("kiosk.db"), {}};
    auto init =
        kiosk.json({"init", "--commune", kTanYen, "--server", url, "--token", k.token, "--slot", "2"});
    CHECK(init["slot"] == 2);
    const std::string code = kiosk.submit("Đề nghị sửa cầu treo thôn Khuôn Khoai.");
    REQUIRE(code.size() == 16);
    CHECK(code.substr(0, 7) == std::string(kTanYen) + "02");
    auto synced = kiosk.json({"sync", "--once", "--timeout", "30"});
    CHECK(synced["pushed"] == 1);
    CHECK(synced["rejected"] == 0);
    REQUIRE(districtRecords(server.db()).size() == 1);

    // A kiosk set up without --slot learns it at its first sync; one set up with another slot than
    // the district gave its token refuses to sync, in both languages, rather than print codes the
    // district would refuse.
    const KioskCli learner{dir.file("learner.db"), {}};
    learner.ok({"init", "--commune", kTanYen, "--server", url, "--token", first.token});
    learner.ok({"sync", "--once", "--timeout", "30"});
    CHECK(learner.submit("Đề nghị lắp đèn đường.").substr(5, 2) == "01");
    const KioskCli wrong{dir.file("wrong.db"), {}};
    wrong.ok({"init", "--commune", kTanYen, "--server", url, "--token", first.token, "--slot", "7"});
    auto refused = wrong.run({"sync", "--once", "--timeout", "30", "--lang", "en"});
    CHECK(refused.exitCode == 2);
    CHECK(refused.err.find("slot 7") != std::string::npos);
    CHECK(refused.err.find("slot 1") != std::string::npos);
    auto refusedVi = wrong.run({"sync", "--once", "--timeout", "30"});
    CHECK(refusedVi.err.find("số máy 1") != std::string::npos);
    CHECK(wrong.run({"init", "--commune", kTanYen, "--slot", "100"}).exitCode == 2);
}

TEST_CASE("e2e codes: petitions a kiosk took before it was enrolled all reach the district") {
    if (access(kFaketime, X_OK) != 0) {
        WARN("faketime missing (apt install faketime): skipped");
        std::exit(77);
    }
    TempDir dir;
    // Installed offline an hour ago, taking petitions before anyone enrolled it.
    const KioskCli hourAgo{
        dir.file("kiosk.db"),
        {kEnv, asanOptionsForPreload(), "FAKETIME_DONT_FAKE_MONOTONIC=1", kFaketime, "-f", "-1h"}};
    hourAgo.ok({"init", "--commune", kTanYen});
    const std::string offline1 = hourAgo.submit("Đề nghị nạo vét kênh mương thôn 4.");
    const std::string offline2 = hourAgo.submit("Đề nghị sửa nhà văn hoá thôn 2.");
    CHECK(offline1.substr(5, 2) == "00");
    CHECK(offline2.substr(5, 2) == "00");

    DistrictProcess server(dir.file("district.db"));
    const auto k = enrollKiosk(server.db(), kTanYen);
    server.start();
    const KioskCli kiosk{dir.file("kiosk.db"), {}};
    kiosk.ok({"init", "--commune", kTanYen, "--server", "http://127.0.0.1:" + std::to_string(server.port()),
              "--token", k.token, "--slot", std::to_string(k.slot)});
    const std::string online = kiosk.submit("Đề nghị làm lại biển báo.");
    CHECK(online.substr(5, 2) == "01");
    auto synced = kiosk.json({"sync", "--once", "--timeout", "30"});
    CHECK(synced["pushed"] == 3);
    CHECK(synced["rejected"] == 0);
    std::set<std::string> codes;
    for (const auto& r : districtRecords(server.db())) codes.insert(r["code"].get<std::string>());
    CHECK(codes == std::set<std::string>{offline1, offline2, online});
}

TEST_CASE("e2e codes: check-codes lists records whose code does not fit their commune") {
    TempDir dir;
    DistrictProcess server(dir.file("district.db"));
    const auto k = enrollKiosk(server.db(), kTanYen);
    server.start();
    const std::string good = makeReceiptCode(kTanYen, k.slot, serialNow());
    REQUIRE(rejection(pushTo(server.port(), k, {server_test::submitEvent(k, 1, good)})) == "accepted");
    server.kill(SIGTERM);

    auto clean = district({"check-codes", "--db", server.db(), "--json"});
    INFO(clean.err);
    CHECK(clean.exitCode == 0);
    CHECK(nlohmann::json::parse(clean.out, nullptr, false) == nlohmann::json::array());

    // What an older district accepted, or a hand edit: Yên Thuận's prefix on a Tân Yên record, and
    // a slot no Tân Yên kiosk has.
    const std::string foreign = makeReceiptCode(kYenThuan, 1, serialNow());
    const std::string noKiosk = makeReceiptCode(kTanYen, 42, serialNow());
    {
        auto db = kiosk::store::Database::open(server.db(), false);
        REQUIRE(db);
        for (const std::string& code : {foreign, noKiosk}) {
            const std::string sql =
                "INSERT INTO records(code, kind, petition_kind, commune, status, submitted_at, received_on, "
                "due, "
                "updated_at) SELECT '" +
                code +
                "', kind, petition_kind, commune, status, submitted_at, received_on, "
                "due, updated_at FROM records WHERE code = '" +
                good + "'";
            REQUIRE(db->exec(sql));
        }
    }

    auto listed = district({"check-codes", "--db", server.db(), "--json"});
    INFO(listed.err);
    CHECK(listed.exitCode == 1);
    auto j = nlohmann::json::parse(listed.out, nullptr, false);
    REQUIRE(j.is_array());
    REQUIRE(j.size() == 2);
    std::map<std::string, std::string> reasons;
    for (const auto& m : j) {
        CHECK(m["commune"] == kTanYen);
        reasons[m["code"]] = m["reason"];
    }
    CHECK(reasons[foreign] == "code-foreign");
    CHECK(reasons[noKiosk] == "code-slot");
    auto text = district({"check-codes", "--db", server.db(), "--lang", "en"});
    CHECK(text.exitCode == 1);
    CHECK(text.out.find(noKiosk) != std::string::npos);
    CHECK(text.out.find(good) == std::string::npos);
}
