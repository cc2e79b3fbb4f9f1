// Upgrades one machine at a time: what every released version left behind, opened by this one.
// tests/fixtures/releases/VERSION/ was made by that release's own kioskctl and district-server
// (scripts/make-upgrade-samples): a kiosk's database, the district's database before and after the
// kiosk's first sync, and every request that kiosk sent. Here the current programs migrate each
// database and keep every record; the current district-server, started on the database as it was
// before that sync, takes every recorded request of the released kiosk as that release's server
// did; and the current kiosk, on the released kiosk's database, syncs with the current server.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <httplib.h>
#include <sodium.h>

#include "build_paths.h"
#include "sync/protocol/messages.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

namespace fs = std::filesystem;

struct Release {
    std::string version;
    fs::path dir;
    nlohmann::json manifest;
};

std::vector<Release> releases() {
    std::vector<Release> out;
    const fs::path root = fs::path(KIOSK_SOURCE_DIR) / "tests" / "fixtures" / "releases";
    for (const auto& entry : fs::directory_iterator(root)) {
        std::ifstream in(entry.path() / "manifest.json");
        Release r{entry.path().filename().string(), entry.path(), nlohmann::json::parse(in, nullptr, false)};
        REQUIRE(r.manifest.is_object());
        out.push_back(r);
    }
    std::sort(out.begin(), out.end(),
              [](const Release& a, const Release& b) { return a.version < b.version; });
    return out;
}

// A copy of the release's database (and its key file, when it has one) under a new name in dir.
std::string copyDatabase(const Release& r, const std::string& name, const TempDir& dir,
                         const std::string& as) {
    const std::string target = dir.file(r.version + "-" + as);
    fs::copy_file(r.dir / name, target);
    if (fs::exists(r.dir / (name + ".keys"))) fs::copy_file(r.dir / (name + ".keys"), target + ".keys");
    // A checkout gives files the umask's mode; the programs refuse a key file others can read.
    for (const std::string& file : {target, target + ".keys"})
        if (fs::exists(file))
            fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    return target;
}

// What the current server refuses of a release's requests on purpose: breaking changes CHANGELOG.md
// names. 0.2.0: "Officer actions are signed" — a 0.1.0 kiosk's officer actions carry no signature.
std::set<std::string> refusedOnPurpose(const std::string& version) {
    if (version == "0.1.0") return {"officer.signature"};
    return {};
}

std::map<std::string, std::string> statuses(const nlohmann::json& records) {
    std::map<std::string, std::string> out;
    for (const auto& r : records) out[r["code"].get<std::string>()] = r["status"].get<std::string>();
    return out;
}

std::map<std::string, std::string> expected(const Release& r) {
    std::map<std::string, std::string> out;
    for (const auto& [code, status] : r.manifest["records"].items()) out[code] = status.get<std::string>();
    return out;
}

// A recorded request as the release's kiosk sent it (a gzip body included), and the status its
// server answered. The answers are not compared byte for byte: newer servers add fields.
struct Recorded {
    std::string method, path, body;
    httplib::Headers headers;
    int status = 0;
};

std::string base64Decode(const std::string& text) {
    std::string out(text.size(), '\0');
    size_t length = 0;
    REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.c_str(),
                              text.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
    out.resize(length);
    return out;
}

std::vector<Recorded> wire(const Release& r) {
    std::vector<Recorded> out;
    std::ifstream in(r.dir / "wire.jsonl");
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line);
        Recorded rec{j["method"],
                     j["path"],
                     base64Decode(j["body_b64"].get<std::string>()),
                     {},
                     j["status"].get<int>()};
        for (const auto& [k, v] : j["headers"].items())
            if (k != "Content-Type" && k != "Accept-Encoding") rec.headers.emplace(k, v.get<std::string>());
        rec.headers.emplace("X-Content-Type", j["headers"].value("Content-Type", "application/json"));
        out.push_back(rec);
    }
    return out;
}

}  // namespace

TEST_CASE("e2e upgrade: every released kiosk database opens with every record, and takes new ones") {
    testing_support::sqliteOnly("the released databases are SQLite files");
    const auto all = releases();
    REQUIRE(all.size() >= 3);
    TempDir dir;
    for (const Release& r : all) {
        INFO("release " << r.version);
        const KioskCli kiosk{copyDatabase(r, "kiosk.db", dir, "kiosk.db"), {}};
        CHECK(statuses(kiosk.json({"list"})) == expected(r));
        for (const auto& [code, status] : expected(r))
            CHECK(kiosk.json({"status", code, "--phone-last4", r.manifest["phone_last4"]})["status"] ==
                  status);
        const std::string fresh = kiosk.submit("Khiếu nại sau khi nâng cấp phiên bản.");
        CHECK(expected(r).count(fresh) == 0);
        CHECK(statuses(kiosk.json({"list"})).size() == expected(r).size() + 1);
    }
}

TEST_CASE("e2e upgrade: every released district database opens with every record") {
    testing_support::sqliteOnly("the released databases are SQLite files");
    TempDir dir;
    for (const Release& r : releases()) {
        INFO("release " << r.version);
        const std::string db = copyDatabase(r, "district.db", dir, "district.db");
        CHECK(statuses(districtRecords(db)) == expected(r));
        auto report = testing_support::runProgram(
            testing_support::binPath("district-server"),
            {"report", "--db", db, "--from", "2026-01-01", "--to", "2026-12-31", "--json"});
        INFO(report.err);
        CHECK(report.exitCode == 0);
    }
}

TEST_CASE("e2e upgrade: the current server takes every request a released kiosk sent") {
    testing_support::sqliteOnly("the released databases are SQLite files");
    TempDir dir;
    for (const Release& r : releases()) {
        INFO("release " << r.version);
        DistrictProcess server(copyDatabase(r, "district-before.db", dir, "district.db"));
        server.start();
        httplib::Client c("127.0.0.1", server.port());
        c.set_read_timeout(30, 0);
        int pushes = 0;
        int toldTooOld = 0;
        std::set<std::string> refused;
        for (const Recorded& rec : wire(r)) {
            INFO(rec.method << " " << rec.path);
            httplib::Headers headers = rec.headers;
            const std::string type = headers.find("X-Content-Type")->second;
            headers.erase("X-Content-Type");
            auto res = rec.method == "POST" ? c.Post(rec.path.c_str(), headers, rec.body, type.c_str())
                                            : c.Get(rec.path.c_str(), headers);
            REQUIRE(res);
            INFO(res->body.substr(0, 400));
            CHECK(res->status == rec.status);
            if (res->status != 200 || rec.path.rfind("/api/v1/pull", 0) == 0) continue;
            const auto answer = nlohmann::json::parse(res->body, nullptr, false);
            REQUIRE(answer.is_object());
            // A release below the oldest the server serves in full is told so (0.1.0: with the
            // answer to its push of unsigned officer actions; each release said "0.1.0").
            if (answer.contains("too_old")) {
                ++toldTooOld;
                CHECK(answer["too_old"]["vi"].get<std::string>().find("Phần mềm máy kiosk quá cũ") == 0);
            }
            if (rec.path.rfind("/api/v1/push", 0) != 0) continue;
            ++pushes;
            for (const auto& result : answer["results"]) {
                if (result["outcome"] == "rejected") {
                    INFO("rejected: " << result.dump());
                    CHECK(refusedOnPurpose(r.version).count(result["reason"]["code"].get<std::string>()) ==
                          1);
                    refused.insert(result["record"].get<std::string>());
                    continue;
                }
                CHECK((result["outcome"] == "accepted" || result["outcome"] == "duplicate"));
            }
        }
        CHECK(pushes > 0);
        CHECK((toldTooOld > 0) == kiosk::protocol::versionBelow(r.version));
        // Every record arrived; those whose later actions were refused on purpose stay as submitted.
        auto atDistrict = statuses(districtRecords(server.db()));
        auto want = expected(r);
        for (const std::string& code : refused) want[code] = "received";
        CHECK(atDistrict == want);

        // The released kiosk's database, opened by the current kioskctl, pointed at this server.
        const KioskCli kiosk{copyDatabase(r, "kiosk.db", dir, "kiosk.db"), {}};
        kiosk.ok({"init", "--commune", r.manifest["commune"], "--server",
                  "http://127.0.0.1:" + std::to_string(server.port()), "--token", r.manifest["token"]});
        kiosk.ok({"sync", "--once", "--timeout", "60"});
        const std::string fresh = kiosk.submit("Khiếu nại sau khi nâng cấp máy kiosk.");
        kiosk.ok({"sync", "--once", "--timeout", "60"});
        CHECK(kiosk.json({"sync", "--state"})["events_waiting"] == 0);
        auto held = statuses(districtRecords(server.db()));
        CHECK(held.size() == expected(r).size() + 1);
        CHECK(held.count(fresh) == 1);
    }
}
