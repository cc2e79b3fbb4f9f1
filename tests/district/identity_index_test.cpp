// The district's keyed index of sealed identities (district/office/identity_index.h), on a real
// DistrictServer on loopback with records pushed as kiosks push them: the identity search answers
// exactly what the full scan of every seal answered (name prefixes with and without diacritics,
// part of a phone, of a số định danh, of a receipt code, a tố cáo for the role that may read a
// denouncer only, a commune), opening only the candidates' seals; a record that arrives after the
// index was made is still found, and the server's indexer thread indexes it; the database holds no
// name or number in the clear and no token that the database alone reproduces; a rotation keeps
// the index, and a new key file makes it again.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "common/sealing.h"
#include "core/private_part.h"
#include "district/office/identity_index.h"
#include "district/office/keys.h"
#include "district/office/officers.h"
#include "tests/support/dashboard_session.h"
#include "tests/support/server_fixture.h"

using namespace server_test;
using kiosk::district::DistrictKeyRing;

namespace {

struct Citizen {
    std::string name, phone, cccd;
    bool denouncer = false;
    bool communeB = false;
};

// 70 citizens: 55 Nguyễn (more than a search answers), names with the same words in other orders,
// one tố cáo, six in the other commune.
std::vector<Citizen> citizens() {
    static const char* given[] = {"Văn An", "Thị Hoà", "Văn Bình", "Thị Hoa", "Đức Thắng", "Thị Ánh"};
    std::vector<Citizen> out;
    for (int i = 0; i < 70; ++i) {
        Citizen c;
        c.name = (i < 55   ? std::string("Nguyễn ")
                  : i < 62 ? std::string("Trần ")
                           : std::string("Lê ")) +
                 given[i % 6] + (i % 7 == 0 ? " Minh" : "");
        c.phone = "09" + std::to_string(81234500 + i * 37);
        c.cccd = "0011" + std::to_string(90000000 + i * 4111);
        c.communeB = i >= 64;
        out.push_back(c);
    }
    out[20].name = "Ma Văn Thổng Quyết";  // the denouncer
    out[20].denouncer = true;
    out[63].name = "Hoàng Thị Thu";
    return out;
}

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
}

kiosk::Event sealedSubmit(const Kiosk& k, int64_t seq, const std::string& code, const Citizen& c,
                          const std::string& publicKey) {
    kiosk::Event e = submitEvent(k, seq, code);
    if (c.denouncer) e.payload["petition_kind"] = "to-cao";
    kiosk::PrivatePart part;
    part.identity.name = c.name;
    part.identity.phone = c.phone;
    part.identity.cccd = c.cccd;
    part.content = "Kiến nghị số " + std::to_string(seq);
    const auto recipient = kiosk::common::publicKeyFromBase64(publicKey);
    REQUIRE(recipient);
    e.payload["sealed"] = kiosk::common::seal(kiosk::privatePartToJson(part), *recipient);
    return e;
}

struct Answer {
    std::vector<std::string> codes;
    int64_t searched = 0;
    int64_t opened = 0;
};

Answer search(httplib::Client& c, const httplib::Headers& who, const std::string& query,
              const std::string& commune = "") {
    auto res = c.Post("/dash/api/identity-search", who,
                      nlohmann::json{{"query", query}, {"commune", commune}}.dump(), "application/json");
    REQUIRE(res);
    INFO(query << ": " << res->body.substr(0, 300));
    REQUIRE(res->status == 200);
    const auto body = nlohmann::json::parse(res->body);
    Answer out;
    for (const auto& r : body["records"]) out.codes.push_back(r["code"]);
    out.searched = body["searched"];
    out.opened = body.value("opened", int64_t(-1));
    return out;
}

// Polls until `done` or 20 s pass (the indexer thread works on its own time).
template <class Condition>
bool waitUntil(Condition done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

int64_t count(kiosk::district::DistrictStore& store, const std::string& sql, const std::string& arg = "") {
    auto st = store.database().prepare(sql);
    REQUIRE(st);
    if (!arg.empty()) st->bind(1, arg);
    auto row = st->step();
    REQUIRE(row);
    REQUIRE(*row);
    return st->integer(0);
}

std::vector<int64_t> storedTokens(kiosk::district::DistrictStore& store, const std::string& code) {
    auto st = store.database().prepare("SELECT token FROM identity_tokens WHERE record = ? ORDER BY token");
    REQUIRE(st);
    st->bind(1, code);
    std::vector<int64_t> out;
    while (*st->step()) out.push_back(st->integer(0));
    return out;
}

// A district with its key and two officers: cb01 (officer) and tt01 (inspector: reads denouncers).
std::string prepareDistrict(RunningServer& server) {
    auto store = server.store();
    const int64_t now = int64_t(kiosk::wallClockMillis());
    auto made = kiosk::district::ensureDistrictKey(*store, "", now);
    REQUIRE(made);
    using kiosk::district::OfficerRole;
    REQUIRE(kiosk::district::addDistrictOfficer(*store, {"cb01", "Cán bộ", OfficerRole::Officer, false},
                                                "mat-khau-can-bo", now));
    REQUIRE(kiosk::district::addDistrictOfficer(*store, {"tt01", "Thanh tra", OfficerRole::Inspector, false},
                                                "mat-khau-thanh-tra", now));
    return *made;
}

const std::vector<std::pair<std::string, std::string>> kQueries{
    {"nguyen", ""},        {"Nguyễn Thị", ""}, {"thi hoa", ""},     {"hoà", ""},
    {"an ngu", ""},        {"TRẦN đức", ""},   {"nguyen minh", ""}, {"le", "02377"},
    {"Ma Văn Thổng", ""},  {"0981234", ""},    {"234 537", ""},     {"0011900", ""},
    {"90041110", "02377"}, {"thổng", "02374"}, {"xyz", ""},         {"0981234500", ""},
};

}  // namespace

TEST_CASE("identity index: the search answers as the full scan did, opening only its candidates' seals") {
    kiosk::district::ServerOptions options;
    options.identityIndexIntervalMs = 0;  // this test indexes by hand, at chosen moments
    RunningServer server(options);
    const Kiosk a = server.enroll(kCommuneA);
    const Kiosk b = server.enroll(kCommuneB);
    const std::string publicKey = prepareDistrict(server);
    const auto people = citizens();
    std::vector<kiosk::Event> fromA, fromB;
    std::vector<std::string> codes;
    for (size_t i = 0; i < people.size(); ++i) {
        const Kiosk& k = people[i].communeB ? b : a;
        auto& events = people[i].communeB ? fromB : fromA;
        codes.push_back(codeFor(k, 900 + i));
        events.push_back(sealedSubmit(k, int64_t(events.size() + 1), codes.back(), people[i], publicKey));
    }
    push(server, a, fromA);
    push(server, b, fromB);
    // A digit query that is part of a receipt code finds that record, as the scan did.
    const std::vector<std::pair<std::string, std::string>> byCode{
        {codes[33].substr(codes[33].size() - 5), ""}};

    auto c = server.client();
    const httplib::Headers officer = testing_support::dashboardActionSession(*c, "cb01", "mat-khau-can-bo");
    const httplib::Headers inspector =
        testing_support::dashboardActionSession(*c, "tt01", "mat-khau-thanh-tra");
    // The full scan: nothing indexed yet, every seal of the scope opened.
    std::map<std::string, Answer> scanned;
    for (const auto* queries : {&kQueries, &byCode})
        for (const auto& [q, commune] : *queries) {
            scanned["cb01 " + q + commune] = search(*c, officer, q, commune);
            scanned["tt01 " + q + commune] = search(*c, inspector, q, commune);
        }
    CHECK(scanned["cb01 nguyen"].codes.size() == 50);   // the cap
    CHECK(scanned["cb01 Ma Văn Thổng"].codes.empty());  // a tố cáo, not for an officer
    CHECK(scanned["tt01 Ma Văn Thổng"].codes == std::vector<std::string>{codes[20]});
    CHECK(scanned["cb01 0981234500"].codes == std::vector<std::string>{codes[0]});
    CHECK(scanned["cb01 hoà"].codes.size() == 24);  // Hoà and Hoa both, and Hoàng
    CHECK(scanned["cb01 le02377"].codes.size() == 6);
    CHECK(scanned["cb01 " + byCode[0].first].codes.size() >= 1);

    {
        auto store = server.store();
        auto ring = DistrictKeyRing::load(*store);
        REQUIRE(ring);
        REQUIRE(kiosk::district::alignIdentityIndex(*store, *ring));
        std::string after;
        auto indexed = kiosk::district::indexIdentities(*store, *ring, 1000, after);
        REQUIRE(indexed);
        CHECK(*indexed == people.size());
        CHECK(count(*store, "SELECT COUNT(*) FROM identity_indexed WHERE opened = 1") == 70);
        // The denouncer's tokens are made with a key of their own: not those of the index key.
        kiosk::Identity denouncer;
        denouncer.name = people[20].name;
        denouncer.phone = people[20].phone;
        denouncer.cccd = people[20].cccd;
        CHECK(storedTokens(*store, codes[20]) ==
              kiosk::district::identityTokens(ring->denouncerIndexKey(), denouncer));
        CHECK(storedTokens(*store, codes[20]) !=
              kiosk::district::identityTokens(ring->indexKey(), denouncer));
    }
    for (const auto* queries : {&kQueries, &byCode})
        for (const auto& [q, commune] : *queries)
            for (const auto& [who, headers] : {std::pair{"cb01", officer}, std::pair{"tt01", inspector}}) {
                INFO(who << " searches " << q << " in '" << commune << "'");
                const Answer& before = scanned[who + (" " + q) + commune];
                const Answer after = search(*c, headers, q, commune);
                CHECK(after.codes == before.codes);
                CHECK(after.searched == before.searched);
                if (commune.empty() && before.codes.size() < 50)
                    CHECK(before.opened > 60);  // the scan opened every seal of the scope
                // Indexed: the matches' seals and a rare collision.
                CHECK(after.opened >= int64_t(after.codes.size()));
                CHECK(after.opened <= int64_t(after.codes.size()) + 3);
            }

    // A record that arrives after the index was made: found, its seal opened as it is not indexed.
    Citizen late{"Phùng Thị Muộn", "0977000111", "001190777111"};
    const std::string lateCode = codeFor(a, 2000);
    push(server, a, {sealedSubmit(a, int64_t(fromA.size() + 1), lateCode, late, publicKey)});
    const Answer found = search(*c, officer, "phung muon");
    CHECK(found.codes == std::vector<std::string>{lateCode});
    CHECK(found.opened == 1);
    CHECK(search(*c, officer, "7000 111").codes == std::vector<std::string>{lateCode});
}

TEST_CASE(
    "identity index: the indexer thread indexes what arrives, keyed by the key file, kept by a rotation") {
    kiosk::district::ServerOptions options;
    options.identityIndexIntervalMs = 20;
    RunningServer server(options);
    const Kiosk a = server.enroll(kCommuneA);
    const std::string publicKey = prepareDistrict(server);
    const auto people = citizens();
    std::vector<kiosk::Event> events;
    for (int i = 0; i < 12; ++i)
        events.push_back(
            sealedSubmit(a, i + 1, codeFor(a, 300 + uint64_t(i)), people[size_t(i) + 50], publicKey));
    push(server, a, events);
    auto store = server.store();
    REQUIRE(waitUntil([&] { return !*kiosk::district::identitiesToIndex(*store); }));

    auto c = server.client();
    const httplib::Headers officer = testing_support::dashboardActionSession(*c, "cb01", "mat-khau-can-bo");
    const Answer tran = search(*c, officer, "tran thi");
    CHECK(tran.codes.size() == 4);
    CHECK(tran.opened == 4);

    // Nothing of a name or number in the clear; the stored tokens are those of the key file's index
    // key, and another key file makes others.
    const Citizen& one = people[57];
    const std::string code = codeFor(a, 307);
    if (!store->database().isPostgres()) {
        const std::string bytes = fileBytes(server.dbPath()) + fileBytes(server.dbPath() + "-wal");
        for (const std::string& secret : {one.name, one.phone, one.cccd, std::string("Trần")})
            CHECK(bytes.find(secret) == std::string::npos);
    }
    auto ring = DistrictKeyRing::load(*store);
    REQUIRE(ring);
    kiosk::Identity identity;
    identity.name = one.name;
    identity.phone = one.phone;
    identity.cccd = one.cccd;
    const auto tokens = kiosk::district::identityTokens(ring->indexKey(), identity);
    CHECK(storedTokens(*store, code) == tokens);
    CHECK(tokens.size() > 20);
    {
        // Another district's key file (an SQLite store beside, whichever engine this test runs on).
        testing_support::TempDir otherDir;
        auto otherStore = kiosk::district::DistrictStore::open(otherDir.file("other.db"), true);
        REQUIRE(otherStore);
        REQUIRE(kiosk::district::ensureDistrictKey(**otherStore, "", 1));
        auto otherRing = DistrictKeyRing::load(**otherStore);
        REQUIRE(otherRing);
        const auto others = kiosk::district::identityTokens(otherRing->indexKey(), identity);
        std::vector<int64_t> shared;
        std::set_intersection(tokens.begin(), tokens.end(), others.begin(), others.end(),
                              std::back_inserter(shared));
        CHECK(shared.size() < 4);  // 16-bit tokens: a few equal by chance, not the set
        CHECK(otherRing->indexKeyName() != ring->indexKeyName());
    }

    // A rotation keeps the index key: nothing is indexed again, and a record sealed to the new key is
    // indexed beside the old ones and found with them.
    const int64_t tokensBefore = count(*store, "SELECT COUNT(*) FROM identity_tokens");
    auto rotated = kiosk::district::rotateDistrictKey(*store, int64_t(kiosk::wallClockMillis()));
    INFO((rotated ? std::string() : rotated.error().en));
    REQUIRE(rotated);
    const std::string newCode = codeFor(a, 400);
    push(server, a, {sealedSubmit(a, 13, newCode, Citizen{"Trần Thị Mới", "0966123123", ""}, *rotated)});
    REQUIRE(waitUntil([&] {
        return count(*store, "SELECT COUNT(*) FROM identity_indexed WHERE record = ? AND opened = 1",
                     newCode) == 1;
    }));
    auto after = DistrictKeyRing::load(*store);
    REQUIRE(after);
    CHECK(after->indexKeyName() == ring->indexKeyName());
    CHECK(count(*store, "SELECT COUNT(*) FROM identity_tokens") > tokensBefore);
    const Answer both = search(*c, officer, "tran thi");
    CHECK(both.codes.size() == 5);
    CHECK(std::find(both.codes.begin(), both.codes.end(), newCode) != both.codes.end());
    CHECK(both.opened == 5);

    // The key file lost, a new one made: the tokens of the old index key are dropped and the index
    // made again with the new one, where the old records' seals no longer open.
    REQUIRE(std::filesystem::remove(kiosk::district::districtKeyFile(*store)));
    auto replaced = kiosk::district::replaceLostDistrictKey(*store, "", int64_t(kiosk::wallClockMillis()));
    REQUIRE(replaced);
    const std::string lastCode = codeFor(a, 401);
    push(server, a, {sealedSubmit(a, 14, lastCode, Citizen{"Trần Thị Sau", "0966123124", ""}, *replaced)});
    REQUIRE(waitUntil([&] {
        return count(*store, "SELECT COUNT(*) FROM identity_indexed WHERE record = ? AND opened = 1",
                     lastCode) == 1;
    }));
    CHECK(count(*store, "SELECT COUNT(*) FROM identity_indexed WHERE opened = 1") == 1);
    CHECK(count(*store, "SELECT COUNT(*) FROM identity_tokens WHERE record <> ?", lastCode) == 0);
    const Answer afterLoss = search(*c, officer, "tran thi");
    CHECK(afterLoss.codes == std::vector<std::string>{lastCode});
    CHECK(afterLoss.opened == 1);
}
