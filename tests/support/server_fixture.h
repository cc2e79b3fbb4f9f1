#pragma once
// Test support for the district server: a real DistrictServer on 127.0.0.1 with a free port and a
// fresh database in a temp dir, run on its own thread; enrollment straight into its store; events
// built the way a kiosk builds them; and a bounded-time HTTP client. No mocks: the server, SQLite
// and the sockets are the real ones.
#include <httplib.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/event.h"
#include "core/receipt_code.h"
#include "core/state_machine.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "district/server/district_server.h"
#include "district/store/district_store.h"
#include "tests/support/officer_fixture.h"
#include "tests/support/temp_dir.h"

namespace server_test {

constexpr const char* kCommuneA = "02374";  // Thị trấn Tân Yên
constexpr const char* kCommuneB = "02377";  // Xã Yên Thuận

struct Kiosk {
    std::string id;
    std::string commune;
    std::string token;
    int slot = 0;  // its receipt-code slot, given at enrollment
};

// A receipt code kiosk k could have issued (its commune and slot, core/receipt_code.h): what the
// district accepts for a new record from k. Tests number their records by `serial`.
inline std::string codeFor(const Kiosk& k, uint64_t serial) {
    return kiosk::makeReceiptCode(k.commune, k.slot, serial);
}

// A kiosk enrolled straight into a store, with the identity the district judges its pushes by:
// for tests that push through the committer or the judgement without HTTP.
struct Enrolled {
    Kiosk kiosk;
    kiosk::district::KioskIdentity identity;
};

inline Enrolled enroll(kiosk::district::DistrictStore& store, const std::string& commune) {
    auto e = store.enrollKiosk(commune, 0);
    REQUIRE(e);
    testing_support::registerFixtureOfficers(store, commune);
    return {{e->kioskId, e->commune, e->token, e->slot}, {e->kioskId, e->commune, false, e->slot}};
}

class RunningServer {
public:
    explicit RunningServer(kiosk::district::ServerOptions options = {}) {
        options.dbPath = m_dir.file("district.db");
        options.host = "127.0.0.1";
        options.port = 0;
        options.log = [this](const std::string& line) {
            std::lock_guard lock(m_logMutex);
            m_log.push_back(line);
        };
        m_tls = !options.tlsCert.empty();
        auto server = kiosk::district::DistrictServer::create(options, kiosk::DeadlineRules{});
        if (!server) FAIL("server: " << server.error().en);
        m_server = std::move(*server);
        auto port = m_server->bind();
        if (!port) FAIL("bind: " << port.error().en);
        m_port = *port;
        m_thread = std::thread([this] { m_server->run(); });
    }
    ~RunningServer() {
        m_server->stop();
        if (m_thread.joinable()) m_thread.join();
    }
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    int port() const { return m_port; }
    std::string dbPath() const { return m_dir.file("district.db"); }
    const testing_support::TempDir& dir() const { return m_dir; }

    Kiosk enroll(const std::string& commune) {
        auto store = kiosk::district::DistrictStore::open(dbPath(), false);
        REQUIRE(store);
        auto e = (*store)->enrollKiosk(commune, int64_t(kiosk::wallClockMillis()));
        REQUIRE(e);
        testing_support::registerFixtureOfficers(**store, commune);
        return Kiosk{e->kioskId, e->commune, e->token, e->slot};
    }
    void revoke(const Kiosk& k) {
        auto store = kiosk::district::DistrictStore::open(dbPath(), false);
        REQUIRE(store);
        REQUIRE((*store)->revokeKiosk(k.id, int64_t(kiosk::wallClockMillis())));
    }
    std::unique_ptr<kiosk::district::DistrictStore> store() {
        auto store = kiosk::district::DistrictStore::open(dbPath(), false);
        REQUIRE(store);
        return std::move(*store);
    }

    std::unique_ptr<httplib::Client> client() const {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", m_port);
        c->set_connection_timeout(5, 0);
        c->set_read_timeout(20, 0);
        c->set_write_timeout(20, 0);
        return c;
    }

    std::vector<std::string> log() {
        std::lock_guard lock(m_logMutex);
        return m_log;
    }

private:
    testing_support::TempDir m_dir;
    std::unique_ptr<kiosk::district::DistrictServer> m_server;
    std::thread m_thread;
    int m_port = 0;
    bool m_tls = false;
    std::mutex m_logMutex;
    std::vector<std::string> m_log;
};

inline httplib::Headers auth(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// A new petition as a kiosk of `commune` submits it.
inline kiosk::Event submitEvent(const Kiosk& k, int64_t seq, const std::string& code,
                                const std::string& commune = "") {
    kiosk::Record r;
    r.code = code;
    r.kind = kiosk::RecordKind::Petition;
    // A complaint: the kind officers accept (thụ lý) and reject, as the tests' actions do.
    r.petitionKind = kiosk::PetitionKind::Complaint;
    r.commune = commune.empty() ? k.commune : commune;
    r.submittedAt = 1767232800;  // 2026-01-01 09:00 +07:00
    r.content = "Khiếu nại quyết định thu hồi đất.";
    r.identity.name = "Nguyễn Văn An";
    r.identity.cccd = "008090001234";
    r.identity.phone = "0912345678";
    kiosk::Event e;
    e.uuid = kiosk::newUuid();
    e.recordCode = code;
    e.recordKind = kiosk::RecordKind::Petition;
    e.action = kiosk::Action::Submit;
    e.actor = {kiosk::Role::Kiosk, k.id};
    e.hlc = kiosk::Hlc::make(uint64_t(r.submittedAt) * 1000, 0);
    e.at = r.submittedAt;
    e.payload = kiosk::publicPayload(r);  // as a kiosk sends it: identity and content only sealed
    e.kioskId = k.id;
    e.seq = seq;
    return e;
}

// A commune officer's action on an existing record.
inline kiosk::Event actionEvent(const Kiosk& k, int64_t seq, const std::string& code, kiosk::Action action,
                                const std::string& note = "",
                                kiosk::Role role = kiosk::Role::CommuneOfficer) {
    kiosk::Event e;
    e.uuid = kiosk::newUuid();
    e.recordCode = code;
    e.recordKind = kiosk::RecordKind::Petition;
    e.action = action;
    e.actor = {role, "cb01"};
    e.at = 1767319200;  // 2026-01-02 09:00 +07:00
    e.hlc = kiosk::Hlc::make(uint64_t(e.at) * 1000, 0);
    e.payload = nlohmann::json::object();
    if (!note.empty()) e.payload["note"] = note;
    e.kioskId = k.id;
    e.seq = seq;
    testing_support::signAsFixtureOfficer(e);  // as the officer logged in at the kiosk signs it
    return e;
}

inline std::string pushBody(const Kiosk& k, const std::vector<kiosk::Event>& events) {
    return kiosk::protocol::encodePushRequest(k.id, events);
}

// POSTs a push; fails the test when there is no HTTP answer at all.
inline httplib::Result post(RunningServer& server, const std::string& token, const std::string& body,
                            const std::string& path = "/api/v1/push") {
    auto c = server.client();
    auto r = c->Post(path.c_str(), auth(token), body, "application/json");
    REQUIRE(r);
    return r;
}

inline kiosk::protocol::PushResponse push(RunningServer& server, const Kiosk& k,
                                          const std::vector<kiosk::Event>& events) {
    auto r = post(server, k.token, pushBody(k, events));
    INFO(r->body);
    REQUIRE(r->status == 200);
    auto decoded = kiosk::protocol::decodePushResponse(r->body);
    REQUIRE(decoded);
    return *decoded;
}

inline httplib::Result get(RunningServer& server, const std::string& token, const std::string& path) {
    auto c = server.client();
    auto r = c->Get(path.c_str(), auth(token));
    REQUIRE(r);
    return r;
}

inline kiosk::protocol::PullResponse pull(RunningServer& server, const Kiosk& k, const std::string& since,
                                          int limit = 1000) {
    auto r = get(server, k.token, "/api/v1/pull?since=" + since + "&limit=" + std::to_string(limit));
    INFO(r->body);
    REQUIRE(r->status == 200);
    auto decoded = kiosk::protocol::decodePullResponse(r->body);
    REQUIRE(decoded);
    return *decoded;
}

inline std::string errorCode(const httplib::Result& r) {
    auto e = kiosk::protocol::decodeError(r->body);
    return e ? e->error : "<no error body: " + r->body + ">";
}

}  // namespace server_test
