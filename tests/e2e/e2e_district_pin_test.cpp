// The district key pinned at the kiosk (docs/security.md "Pinning the district"), with the real
// programs: `district-server keygen` prints the district key, `kioskctl init --district-key` pins it.
// A server that answers whoami with another key — unsigned, signed by another identity, with a
// forged signature, or an older key of the right district — gets nothing: the sync stops with
// sync.district-key-mismatch (in `kioskctl sync --state`), not one push reaches it, and what the
// kiosk takes afterwards is still sealed to the pinned key (the seal names its key's fingerprint).
// A rotation the district signed is taken. http:// to another machine is refused, before any
// connection, unless the installer said --insecure-http (then the district lists the kiosk so).
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/database.h"
#include "common/meta.h"
#include "core/private_part.h"
#include "district/office/keys.h"
#include "tests/support/beside_database.h"
#include "tests/support/e2e_support.h"

using namespace e2e;
using testing_support::runProgram;
using testing_support::TempDir;

namespace {

constexpr const char* kCommune = "02374";

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

std::string district(const std::vector<std::string>& args) {
    auto r = runProgram(testing_support::binPath("district-server"), args);
    INFO("district-server " << nlohmann::json(args).dump() << " -> " << r.exitCode << ": " << r.err);
    REQUIRE(r.exitCode == 0);
    return trimmed(r.out);
}

// The fields of "ckd1.<id>.<identity>.<sealing key>.<signature>".
std::vector<std::string> fields(const std::string& districtKey) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        const size_t dot = districtKey.find('.', start);
        out.push_back(districtKey.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) return out;
        start = dot + 1;
    }
}
std::string sealingKeyOf(const std::string& districtKey) {
    auto f = fields(districtKey);
    REQUIRE(f.size() == 5);
    return f[3];
}

std::string base64(const unsigned char* data, size_t size) {
    std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

// A fresh X25519 public key nobody at the district holds, base64.
std::string strangerKey() {
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(pk, sk);
    return base64(pk, sizeof pk);
}

// The first 8 bytes of BLAKE2b-256 of the key, in hex: the name a seal carries, computed here
// independently of the product.
std::string fingerprint(const std::string& publicKeyBase64) {
    unsigned char raw[64];
    size_t len = 0;
    REQUIRE(sodium_base642bin(raw, sizeof raw, publicKeyBase64.data(), publicKeyBase64.size(), nullptr, &len,
                              nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, raw, len, nullptr, 0);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, hash, 8);
    return hex;
}

// One value read from a SQLite file (the kiosk's or the district's).
std::string query(const std::string& db, const std::string& sql) {
    auto opened = kiosk::store::Database::open(db, false);
    REQUIRE(opened);
    auto st = opened->prepare(sql);
    REQUIRE(st);
    auto row = st->step();
    REQUIRE(row);
    return *row ? st->text(0) : std::string();
}
void execute(const std::string& db, const std::string& sql) {
    auto opened = kiosk::store::Database::open(db, false);
    REQUIRE(opened);
    REQUIRE(opened->exec(sql));
}

// The sealed part of the record's Submit event, as the kiosk keeps it for the push.
std::string sealOf(const KioskCli& k, const std::string& code) {
    return query(k.db, "SELECT json_extract(payload, '$.sealed') FROM events WHERE record_code = '" + code +
                           "' AND action = 'submit'");
}

std::string submit(const KioskCli& k) {
    return k.ok({"submit-petition", "--type", "kien-nghi", "--phone", "0912345678", "--content",
                 "Đề nghị sửa đường liên thôn bị sạt lở."});
}

nlohmann::json syncState(const KioskCli& k) {
    return nlohmann::json::parse(k.ok({"sync", "--state", "--json"}));
}

// A server that is not the district: whoami answers with the given extra fields, and every push
// and pull is counted (and refused).
class RogueServer {
public:
    explicit RogueServer(nlohmann::json keyFields) : m_keyFields(std::move(keyFields)) {
        m_server.Get("/api/v1/whoami", [this](const httplib::Request&, httplib::Response& res) {
            nlohmann::json who{{"version", 1},
                               {"kiosk", "k1"},
                               {"commune", kCommune},
                               {"acked_seq", 0},
                               {"server_time_ms", int64_t(kiosk::wallClockMillis())}};
            who.update(m_keyFields);
            res.set_content(who.dump(), "application/json");
        });
        m_server.Post("/api/v1/push", [this](const httplib::Request&, httplib::Response& res) {
            ++m_pushes;
            res.status = 500;
        });
        m_server.Get("/api/v1/pull", [this](const httplib::Request&, httplib::Response& res) {
            ++m_pulls;
            res.status = 500;
        });
        m_server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        REQUIRE(m_port > 0);
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ~RogueServer() {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int pushes() const { return m_pushes; }
    int pulls() const { return m_pulls; }

private:
    nlohmann::json m_keyFields;
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::atomic<int> m_pushes{0}, m_pulls{0};
};

// The pass against the rogue stops at whoami: exit 2, the error in --state, nothing sent, nothing
// sealed to the rogue's key.
void requireRefusedByPin(const KioskCli& k, const RogueServer& rogue, const std::string& pinnedSealing,
                         const std::string& firstCode) {
    auto r = k.run({"sync", "--once", "--timeout", "5"});
    INFO("sync --once: " << r.exitCode << ": " << r.err);
    CHECK(r.exitCode == 2);
    const auto state = syncState(k);
    INFO(state.dump());
    CHECK(state["last_error"]["code"] == "sync.district-key-mismatch");
    CHECK(rogue.pushes() == 0);
    CHECK(rogue.pulls() == 0);
    CHECK(query(k.db, "SELECT value FROM meta WHERE key = 'district_pk'") == pinnedSealing);
    // Taken after the refusal: still sealed to the pinned key.
    const std::string later = submit(k);
    for (const std::string& code : {firstCode, later}) {
        INFO(code);
        CHECK(sealOf(k, code).rfind(fingerprint(pinnedSealing) + ":", 0) == 0);
    }
}

}  // namespace

TEST_CASE("district pin: a whoami with another key keeps the pin, stops the sync, gets no push") {
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    const std::string pin = district({"keygen", "--db", districtDb});
    const std::string pinnedSealing = sealingKeyOf(pin);
    // Another district's key: well formed and well signed, by another identity.
    const std::string foreign = district({"keygen", "--db", dir.file("other.db")});
    const std::string stranger = strangerKey();
    auto f = fields(pin);
    const std::string forged = f[0] + "." + f[1] + "." + f[2] + "." + stranger + "." + f[4];

    const std::string how =
        GENERATE(std::string("unsigned"), std::string("another identity"), std::string("forged signature"));
    INFO("the rogue's key: " << how);
    nlohmann::json offered{{"district_public_key", stranger}};
    if (how == "another identity")
        offered = {{"district_public_key", sealingKeyOf(foreign)}, {"district_key", foreign}};
    if (how == "forged signature") offered["district_key"] = forged;
    RogueServer rogue(offered);

    KioskCli k{dir.file("kiosk.db")};
    k.ok({"init", "--commune", kCommune, "--server", rogue.url(), "--token", "t0k3n", "--district-key", pin});
    const std::string code = submit(k);
    CHECK(sealOf(k, code).rfind(fingerprint(pinnedSealing) + ":", 0) == 0);
    requireRefusedByPin(k, rogue, pinnedSealing, code);
}

TEST_CASE("district pin: a rotation the district signed is taken, an older key or a bare pin is not") {
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    DistrictProcess server(districtDb);
    server.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
    const std::string token = enroll(districtDb, kCommune).token;
    auto enrolled =
        nlohmann::json::parse(district({"enroll-kiosk", "--db", districtDb, "--commune", "02377", "--json"}));
    const std::string pin = district({"keygen", "--db", districtDb});
    CHECK(enrolled["district_public_key"].get<std::string>() ==
          pin);  // enroll-kiosk --json gives the same string

    KioskCli signedPin{dir.file("signed.db")};
    signedPin.ok({"init", "--commune", kCommune, "--server", url, "--token", token, "--district-key", pin});
    // A bare key, as kiosks were set up before the signed key: a pin of that key alone.
    KioskCli barePin{dir.file("bare.db")};
    barePin.ok({"init", "--commune", "02377", "--server", url, "--token",
                enrolled["token"].get<std::string>(), "--district-key", sealingKeyOf(pin)});
    // Nothing pinned: the first whoami is trusted.
    const std::string thirdToken = enroll(districtDb, "02380").token;
    KioskCli firstUse{dir.file("first-use.db")};
    firstUse.ok({"init", "--commune", "02380", "--server", url, "--token", thirdToken});
    for (const KioskCli* k : {&signedPin, &barePin, &firstUse}) {
        submit(*k);
        auto r = k->run({"sync", "--once", "--timeout", "20"});
        INFO(k->db << ": " << r.err);
        REQUIRE(r.exitCode == 0);
    }
    CHECK(query(firstUse.db, "SELECT value FROM meta WHERE key = 'district_pk'") == sealingKeyOf(pin));
    CHECK(query(firstUse.db, "SELECT value FROM meta WHERE key = 'district_identity'") == fields(pin)[2]);

    auto rotated = nlohmann::json::parse(district({"rotate-key", "--db", districtDb, "--json"}));
    const std::string newPin = rotated["public_key"];
    REQUIRE(newPin != pin);
    CHECK(fields(newPin)[2] == fields(pin)[2]);  // the same identity signs the new key
    CHECK(district({"keygen", "--db", districtDb}) == newPin);
    // As if 6 hours had passed: each kiosk asks whoami again on its next pass.
    for (const KioskCli* k : {&signedPin, &barePin, &firstUse})
        execute(k->db, "UPDATE meta SET value = '0' WHERE key = 'district_pk_checked_ms'");

    for (const KioskCli* k : {&signedPin, &firstUse}) {
        auto r = k->run({"sync", "--once", "--timeout", "20"});
        INFO(k->db << ": " << r.err);
        CHECK(r.exitCode == 0);
        CHECK(query(k->db, "SELECT value FROM meta WHERE key = 'district_pk'") == sealingKeyOf(newPin));
        const std::string code = submit(*k);
        CHECK(sealOf(*k, code).rfind(fingerprint(sealingKeyOf(newPin)) + ":", 0) == 0);
    }
    {
        // The bare pin takes no replacement: it stops and says why.
        auto r = barePin.run({"sync", "--once", "--timeout", "20"});
        CHECK(r.exitCode == 2);
        CHECK(syncState(barePin)["last_error"]["code"] == "sync.district-key-mismatch");
        CHECK(query(barePin.db, "SELECT value FROM meta WHERE key = 'district_pk'") == sealingKeyOf(pin));
    }
    {
        // The district's own older key, replayed by someone who kept it: refused.
        RogueServer rogue({{"district_public_key", sealingKeyOf(pin)}, {"district_key", pin}});
        execute(signedPin.db, "UPDATE meta SET value = '" + rogue.url() + "' WHERE key = 'server_url'");
        execute(signedPin.db, "UPDATE meta SET value = '0' WHERE key = 'district_pk_checked_ms'");
        execute(signedPin.db, "UPDATE meta SET value = '' WHERE key = 'kiosk_id'");
        const std::string code = submit(signedPin);
        requireRefusedByPin(signedPin, rogue, sealingKeyOf(newPin), code);
    }
}

namespace {

// This machine's first IPv4 address that is not loopback, or "".
std::string nonLoopbackAddress() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return "";
    std::string found;
    for (ifaddrs* a = list; a && found.empty(); a = a->ifa_next) {
        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
        const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
        if ((ntohl(in->sin_addr.s_addr) >> 24) == 127) continue;
        char text[INET_ADDRSTRLEN];
        if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) found = text;
    }
    freeifaddrs(list);
    return found;
}

}  // namespace

TEST_CASE("district pin: http:// to another machine is refused before connecting, unless --insecure-http") {
    const std::string address = nonLoopbackAddress();
    if (address.empty()) {
        WARN("no IPv4 address other than loopback on this machine: skipped");
        std::exit(77);
    }
    TempDir dir;
    {
        KioskCli k{dir.file("refused.db")};
        auto r =
            k.run({"init", "--commune", kCommune, "--server", "http://" + address + ":8470", "--token", "t"});
        CHECK(r.exitCode == 2);
        CHECK(r.err.find("--insecure-http") != std::string::npos);
        for (const std::string& loopback :
             std::vector<std::string>{"http://127.0.0.1:8470", "http://127.3.4.5:1", "http://localhost:8470",
                                      "http://[::1]:8470", "https://" + address + ":8470"}) {
            INFO(loopback);
            CHECK(k.run({"init", "--commune", kCommune, "--server", loopback, "--token", "t"}).exitCode == 0);
        }
    }
    {
        // A listener on the machine's own address: the sync client must not even connect.
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        REQUIRE(listener >= 0);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        REQUIRE(inet_pton(AF_INET, address.c_str(), &at.sin_addr) == 1);
        REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
        REQUIRE(::listen(listener, 8) == 0);
        socklen_t size = sizeof at;
        REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&at), &size) == 0);
        const std::string url = "http://" + address + ":" + std::to_string(ntohs(at.sin_port));
        KioskCli k{dir.file("client.db")};
        k.ok({"init", "--commune", kCommune, "--server", "http://127.0.0.1:1", "--token", "t"});
        execute(k.db, "UPDATE meta SET value = '" + url +
                          "' WHERE key = 'server_url'");  // a database edited by hand
        submit(k);
        auto r = k.run({"sync", "--once", "--timeout", "5"});
        INFO(r.err);
        CHECK(r.exitCode == 2);
        CHECK(syncState(k)["last_error"]["code"] == "sync.insecure-http");
        const int accepted = ::accept(listener, nullptr, nullptr);
        CHECK(accepted < 0);  // nobody knocked
        if (accepted >= 0) ::close(accepted);
        ::close(listener);
    }
    {
        // Allowed by the installer: it syncs, and the district knows.
        const std::string districtDb = dir.file("district.db");
        std::vector<std::string> args{"serve", "--db", districtDb, "--listen", address + ":0"};
        Child child(testing_support::binPath("district-server"), args,
                    testing_support::besideDatabase(districtDb, ".log"));
        const std::string line = child.readLine(std::chrono::seconds(20));
        REQUIRE(line.rfind("listening on ", 0) == 0);
        const std::string url = "http://" + address + ":" + line.substr(line.rfind(':') + 1);
        const std::string token = enroll(districtDb, kCommune).token;
        KioskCli k{dir.file("insecure.db")};
        k.ok({"init", "--commune", kCommune, "--server", url, "--token", token, "--insecure-http"});
        submit(k);
        auto r = k.run({"sync", "--once", "--timeout", "20"});
        INFO(r.err);
        CHECK(r.exitCode == 0);
        auto kiosks = nlohmann::json::parse(district({"kiosks", "--db", districtDb, "--json"}));
        REQUIRE(kiosks.size() == 1);
        CHECK(kiosks[0]["insecure_http"] == true);
    }
}

TEST_CASE("district pin: the district names the records sealed to a key it does not hold") {
    TempDir dir;
    const std::string districtDb = dir.file("district.db");
    DistrictProcess server(districtDb);
    server.start();
    const std::string url = "http://127.0.0.1:" + std::to_string(server.port());
    const std::string pin = district({"keygen", "--db", districtDb});
    // A kiosk installed with a key that is not the district's (a typo, or a rogue's): it seals to
    // it, until the installer corrects the key; what it took meanwhile goes out as it was sealed.
    const std::string stranger = strangerKey();
    KioskCli misled{dir.file("misled.db")};
    const std::string token = enroll(districtDb, kCommune).token;
    misled.ok({"init", "--commune", kCommune, "--server", url, "--token", token, "--district-key", stranger});
    const std::string lost = submit(misled);
    CHECK(sealOf(misled, lost).rfind(fingerprint(stranger) + ":", 0) == 0);
    misled.ok({"init", "--commune", kCommune, "--server", url, "--token", token, "--district-key", pin});
    // ... and one installed right.
    KioskCli right{dir.file("right.db")};
    right.ok({"init", "--commune", "02377", "--server", url, "--token", enroll(districtDb, "02377").token,
              "--district-key", pin});
    const std::string fine = submit(right);
    for (const KioskCli* k : {&misled, &right}) {
        auto r = k->run({"sync", "--once", "--timeout", "20"});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }

    auto listed = nlohmann::json::parse(district({"unknown-seals", "--db", districtDb, "--json"}));
    INFO(listed.dump());
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["record"] == lost);
    CHECK(listed[0]["fingerprint"] == fingerprint(stranger));
    CHECK(district({"unknown-seals", "--db", districtDb}).find(lost + "\t") == 0);

    auto store = kiosk::district::DistrictStore::open(districtDb, false);
    REQUIRE(store);
    for (const std::string& code : {lost, fine}) {
        auto sealed = kiosk::district::sealedPrivatePart(**store, code);
        REQUIRE(sealed);
        REQUIRE(*sealed);
        auto opened = kiosk::district::openSealedPrivatePart(**store, **sealed);
        INFO(code);
        if (code == fine) {
            CHECK(opened);
            continue;
        }
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == "keys.unknown-seal");
        CHECK(opened.error().en.find(fingerprint(stranger)) != std::string::npos);
    }
    // A seal from before seals named their key (plain base64) still opens.
    unsigned char sealing[crypto_box_PUBLICKEYBYTES];
    size_t len = 0;
    const std::string sealingBase64 = sealingKeyOf(pin);
    REQUIRE(sodium_base642bin(sealing, sizeof sealing, sealingBase64.data(), sealingBase64.size(), nullptr,
                              &len, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
    kiosk::PrivatePart part;
    part.identity.name = "Nguyễn Thị Cũ";
    part.content = "Một đơn niêm phong theo cách cũ.";
    const std::string plain = kiosk::privatePartToJson(part);
    std::string box(plain.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()),
                    reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), sealing);
    auto opened = kiosk::district::openSealedPrivatePart(
        **store, base64(reinterpret_cast<const unsigned char*>(box.data()), box.size()));
    REQUIRE(opened);
    CHECK(opened->identity.name == "Nguyễn Thị Cũ");
}
