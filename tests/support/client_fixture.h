#pragma once
// Test support for the sync client: kiosk databases configured for a district server on loopback,
// engine options with short delays (the policy is the same, only the durations shrink), and the
// district's view counted through its own store. Real SQLite files, a real server, real sockets.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <thread>

#include "kiosk/store/officers.h"
#include "kiosk/store/sync_store.h"
#include "sync/client/sync_engine.h"
#include "tests/support/store_fixture.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/officer_fixture.h"
#include "tests/support/server_fixture.h"

namespace client_test {

using namespace std::chrono_literals;

constexpr int64_t kMonday = 1764554400;  // 2025-12-01 09:00 +07:00

// The engine's policy with durations fit for tests.
inline kiosk::client::SyncOptions fastOptions(const std::string& dbPath) {
    kiosk::client::SyncOptions o;
    o.dbPath = dbPath;
    o.probeInterval = 200ms;
    o.pullInterval = 500ms;
    o.refusedRetry = 500ms;
    o.backoffBase = 50ms;
    o.backoffCap = 1000ms;
    o.connectTimeoutSeconds = 3;
    o.lowSpeedSeconds = 2;
    o.lowSpeedBytesPerSecond = 1;
    return o;
}

// One kiosk: its database in a temp dir, set up for `commune` and pointed at a server.
class TestKiosk {
public:
    TestKiosk(const std::string& commune, int slot, const std::string& url, const std::string& token)
        : m_store(testing_support::makeKioskStore(m_dir.file("kiosk.db"), commune, slot)) {
        kiosk::store::KioskConfig config = m_store->config().value();
        config.kioskId.clear();  // learned from the district
        config.serverUrl = url;
        REQUIRE(m_store->configure(config, testing_support::realReference()).ok());
        REQUIRE(m_store->setToken(token).ok());
        // act() below acts as cb01, logged in: its actions carry cb01's signature.
        m_store->unlock(testing_support::fixtureOfficerSecret("cb01"));
    }
    kiosk::store::KioskStore& store() { return *m_store; }
    std::string path() const { return m_dir.file("kiosk.db"); }
    const testing_support::TempDir& dir() const { return m_dir; }

    kiosk::Record submit(const std::string& kind = "kien-nghi", int64_t at = kMonday) {
        auto r = m_store->createRecord(testing_support::petitionDraft(*m_store, kind),
                                       kiosk::Actor{kiosk::Role::Kiosk, ""}, at);
        INFO((r.ok() ? std::string() : r.error().en));
        REQUIRE(r.ok());
        return *r;
    }
    kiosk::Record act(const std::string& code, kiosk::Action action, const std::string& note = "") {
        nlohmann::json payload = nlohmann::json::object();
        if (!note.empty()) payload["note"] = note;
        auto r = m_store->act(code, action, kiosk::Actor{kiosk::Role::CommuneOfficer, "cb01"}, payload,
                              kMonday + 3600);
        INFO((r.ok() ? std::string() : r.error().en));
        REQUIRE(r.ok());
        return *r;
    }
    int64_t waiting() { return m_store->outboxPending().value(); }
    kiosk::RecordStatus status(const std::string& code) {
        auto found = m_store->find(code);
        REQUIRE(found.ok());
        REQUIRE(found->has_value());
        return (**found).status;
    }
    std::string verdict(const std::string& uuidOrCode) {
        auto st = m_store->database().prepare(
            "SELECT group_concat(verdict, ',') FROM (SELECT verdict FROM events WHERE (uuid = ?1 OR "
            "record_code = ?1) "
            "AND origin = 'local' ORDER BY hlc)");
        REQUIRE(st.ok());
        st->bind(1, uuidOrCode);
        REQUIRE(st->step().ok());
        return st->text(0);
    }
    kiosk::client::OnceResult syncOnce(std::chrono::milliseconds timeout = 30s,
                                       kiosk::client::SyncOptions options = {}) {
        if (options.dbPath.empty()) options = fastOptions(path());
        kiosk::client::SyncEngine engine(options);
        return engine.runOnce(timeout);
    }

private:
    testing_support::TempDir m_dir;
    std::unique_ptr<kiosk::store::KioskStore> m_store;
};

inline std::string url(int port, bool tls = false) {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port);
}

inline std::string describe(const kiosk::client::OnceResult& r) {
    return std::string(r.error ? r.error->code + ": " + r.error->en : "no error") + " (end " +
           std::to_string(int(r.end)) + ")";
}

// The district's records for a commune: code -> (status, accepted events).
struct DistrictView {
    std::map<std::string, std::pair<kiosk::RecordStatus, int64_t>> records;
};
inline DistrictView districtView(server_test::RunningServer& server, const std::string& commune) {
    auto store = server.store();
    auto records = store->records(commune);
    REQUIRE(records.ok());
    DistrictView view;
    for (const auto& r : *records) view.records[r.code] = {r.status, r.events};
    return view;
}

// Waits (bounded) until `done` holds; false when it never did.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds limit = 20s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return done();
}

}  // namespace client_test
