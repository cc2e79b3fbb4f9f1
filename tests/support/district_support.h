#pragma once
// Test support for the district's own work (officers, actions, reports, dashboard): a Seeder that
// fills a real district database the way kiosks do — through applyPush (push_judgement.h), so
// every record is folded by the core state machine and every report date comes from the
// district's own bookkeeping — and small helpers to run the real district-server and kioskctl
// programs.
// No mocks: real SQLite files in a temp dir, the real programs, loopback only.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/calendar.h"
#include "core/event.h"
#include "core/receipt_code.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "common/database.h"
#include "sync/protocol/messages.h"
#include "tests/support/beside_database.h"
#include "tests/support/officer_fixture.h"
#include "district/office/keys.h"
#include "district/store/district_store.h"
#include "district/sync/push_judgement.h"
#include "kiosk/store/identity_vault.h"  // seals as a kiosk does
#include "tests/support/temp_dir.h"

namespace district_test {

// Unix seconds of a local (UTC+7) date and time.
inline int64_t localUnix(const kiosk::Date& d, int hour, int minute = 0) {
    return d.toDays() * 86400 + hour * 3600 + minute * 60 - kiosk::kVietnamUtcOffsetSeconds;
}

inline const kiosk::ReferenceData& reference() {
    static const kiosk::ReferenceData ref = [] {
        auto loaded = kiosk::loadReferenceData(kiosk::assetsDir());
        if (!loaded) FAIL("assets: " << loaded.error().en);
        return *loaded;
    }();
    return ref;
}

// Pushes events into a district database as the communes' kiosks would, in time order.
class Seeder {
public:
    explicit Seeder(const std::string& dbPath) {
        auto store = kiosk::district::DistrictStore::open(dbPath, true);
        REQUIRE(store);
        m_store = std::move(*store);
        m_rules = reference().deadlineRules();
        auto key = kiosk::district::ensureDistrictKey(*m_store, "", int64_t(kiosk::wallClockMillis()));
        REQUIRE(key);
        auto publicKey = kiosk::store::publicKeyFromBase64(*key);
        REQUIRE(publicKey);
        m_districtKey = *publicKey;
    }

    kiosk::district::DistrictStore& store() { return *m_store; }
    const kiosk::DeadlineRules& rules() const { return m_rules; }

    // A petition submitted at `at` (unix s) at the kiosk of `commune`; returns its receipt code.
    std::string petition(const std::string& commune, kiosk::PetitionKind kind, int64_t at) {
        kiosk::Record r;
        r.code = nextCode(commune);
        r.kind = kiosk::RecordKind::Petition;
        r.petitionKind = kind;
        r.commune = commune;
        r.submittedAt = at;
        r.content = "Nội dung đơn thử nghiệm.";
        r.identity.phone = "0912345678";
        if (kiosk::identityRequired(kind)) {
            r.identity.name = "Nguyễn Văn An";
            r.identity.cccd = "008090001234";
        }
        queue(commune, r.code, kiosk::RecordKind::Petition, kiosk::Action::Submit, at, payloadOf(r));
        return r.code;
    }

    std::string dossier(const std::string& commune, const std::string& procedure, int64_t at,
                        kiosk::Delivery delivery = kiosk::Delivery::Counter) {
        kiosk::Record r;
        r.code = nextCode(commune);
        r.kind = kiosk::RecordKind::Dossier;
        r.procedureCode = procedure;
        r.commune = commune;
        r.submittedAt = at;
        r.delivery = delivery;
        r.identity.name = "Trần Thị Bình";
        r.identity.phone = "0987654321";
        r.identity.address = "Thôn 1";
        queue(commune, r.code, kiosk::RecordKind::Dossier, kiosk::Action::Register, at, payloadOf(r));
        return r.code;
    }

    // A commune officer's action at `at`.
    void act(const std::string& code, kiosk::Action action, int64_t at, const std::string& note = "",
             nlohmann::json payload = nlohmann::json::object()) {
        const auto& info = m_records.at(code);
        if (!note.empty()) payload["note"] = note;
        queue(info.first, code, info.second, action, at, payload, kiosk::Role::CommuneOfficer);
    }

    // Sends everything queued, one push per kiosk (in batches of 500), each kiosk's events in time
    // order. Requires every event accepted.
    void flush() {
        for (auto& [commune, pending] : m_pending) {
            std::stable_sort(pending.begin(), pending.end(),
                             [](const kiosk::Event& a, const kiosk::Event& b) { return a.hlc < b.hlc; });
            Kiosk& k = kioskFor(commune);
            for (size_t start = 0; start < pending.size(); start += 500) {
                kiosk::protocol::PushRequest request;
                request.kioskId = k.identity.kioskId;
                for (size_t i = start; i < std::min(pending.size(), start + 500); ++i) {
                    kiosk::Event e = pending[i];
                    e.kioskId = k.identity.kioskId;
                    e.seq = ++k.seq;
                    if (e.actor.role == kiosk::Role::Kiosk) e.actor.id = k.identity.kioskId;
                    testing_support::signAsFixtureOfficer(e);
                    kiosk::protocol::PushedEvent pushed;
                    pushed.seq = e.seq;
                    pushed.uuid = e.uuid;
                    pushed.event = e;
                    request.events.push_back(std::move(pushed));
                }
                auto& db = m_store->database();
                REQUIRE(db.exec("BEGIN IMMEDIATE"));
                auto answer =
                    applyPush(*m_store, k.identity, request, int64_t(kiosk::wallClockMillis()), m_rules);
                REQUIRE(answer);
                REQUIRE(db.exec("COMMIT"));
                for (const auto& r : answer->response.results) {
                    INFO("event " << r.uuid << " of " << r.record << ": "
                                  << (r.reason ? r.reason->en : std::string("no reason")));
                    REQUIRE(r.verdict == kiosk::protocol::Verdict::Accepted);
                }
            }
            pending.clear();
        }
    }

    kiosk::district::KioskIdentity kiosk(const std::string& commune) { return kioskFor(commune).identity; }

private:
    struct Kiosk {
        kiosk::district::KioskIdentity identity;
        int64_t seq = 0;
    };

    Kiosk& kioskFor(const std::string& commune) {
        auto it = m_kiosks.find(commune);
        if (it != m_kiosks.end()) return it->second;
        auto enrolled = m_store->enrollKiosk(commune, int64_t(kiosk::wallClockMillis()));
        REQUIRE(enrolled);
        Kiosk k;
        k.identity = kiosk::district::KioskIdentity{enrolled->kioskId, commune, false, enrolled->slot};
        testing_support::registerFixtureOfficers(*m_store, commune);
        return m_kiosks.emplace(commune, k).first->second;
    }

    std::string nextCode(const std::string& commune) {
        // The slot enrollment gave the commune's kiosk: the district refuses a code with another.
        return kiosk::makeReceiptCode(commune, *kioskFor(commune).identity.slot, ++m_serial);
    }

    // As a kiosk sends a new record: identity and content only sealed to the district's key.
    nlohmann::json payloadOf(const kiosk::Record& r) const {
        nlohmann::json payload = kiosk::publicPayload(r);
        payload["sealed"] = kiosk::store::sealPrivatePart({r.identity, r.content}, m_districtKey);
        return payload;
    }

    void queue(const std::string& commune, const std::string& code, kiosk::RecordKind kind,
               kiosk::Action action, int64_t at, const nlohmann::json& payload,
               kiosk::Role role = kiosk::Role::Kiosk) {
        m_records.emplace(code, std::pair{commune, kind});
        kiosk::Event e;
        e.uuid = kiosk::newUuid();
        e.recordCode = code;
        e.recordKind = kind;
        e.action = action;
        e.actor = {role, role == kiosk::Role::Kiosk ? "" : "cb01"};
        e.at = at;
        // Distinct stamps in time order, so one record's events keep their order whatever the sort.
        e.hlc = kiosk::Hlc::make(uint64_t(at) * 1000, uint16_t(++m_counter % 60000));
        e.payload = payload;
        m_pending[commune].push_back(std::move(e));
    }

    std::unique_ptr<kiosk::district::DistrictStore> m_store;
    kiosk::DeadlineRules m_rules;
    kiosk::store::PublicKey m_districtKey{};
    std::map<std::string, Kiosk> m_kiosks;
    std::map<std::string, std::vector<kiosk::Event>> m_pending;
    std::map<std::string, std::pair<std::string, kiosk::RecordKind>> m_records;
    uint64_t m_serial = 1000;
    uint64_t m_counter = 0;
};

// [SECTION] programs

inline testing_support::RunResult district(const std::vector<std::string>& args,
                                           const std::string& input = "") {
    return testing_support::runProgram(testing_support::binPath("district-server"), args, input);
}

// Runs district-server and requires exit 0; returns stdout without the trailing newline.
inline std::string districtOk(const std::vector<std::string>& args, const std::string& input = "") {
    auto r = district(args, input);
    INFO("district-server " << nlohmann::json(args).dump() << " -> " << r.exitCode << ": " << r.err);
    REQUIRE(r.exitCode == 0);
    std::string out = r.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

// `district-server serve` on 127.0.0.1 with a free port, killed when the object goes.
class ServerProcess {
public:
    // `extra`: more options for serve (--trusted-proxy ADDR...).
    explicit ServerProcess(const std::string& dbPath, const std::vector<std::string>& extra = {})
        : m_log(testing_support::besideDatabase(dbPath, ".log")) {
        int out[2];
        REQUIRE(pipe2(out, O_CLOEXEC) == 0);
        m_pid = fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            dup2(out[1], 1);
            const int err = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            if (err >= 0) dup2(err, 2);
            const std::string program = testing_support::binPath("district-server");
            std::vector<std::string> args{program, "serve", "--db", dbPath, "--listen", "127.0.0.1:0"};
            args.insert(args.end(), extra.begin(), extra.end());
            std::vector<char*> argv;
            for (std::string& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(program.c_str(), argv.data());
            _exit(127);
        }
        close(out[1]);
        std::string line;
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < until) {
            pollfd p{out[0], POLLIN, 0};
            if (poll(&p, 1, 50) <= 0) continue;
            char c;
            if (read(out[0], &c, 1) != 1) break;
            if (c == '\n') break;
            line += c;
        }
        close(out[0]);
        INFO("district-server said: " << line);
        REQUIRE(line.rfind("listening on ", 0) == 0);
        m_port = std::atoi(line.substr(line.rfind(':') + 1).c_str());
        REQUIRE(m_port > 0);
    }
    ~ServerProcess() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGTERM);
            int status = 0;
            waitpid(m_pid, &status, 0);
        }
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;
    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    const std::string& logPath() const { return m_log; }  // its standard error
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
    std::string m_log;
    pid_t m_pid = -1;
    int m_port = 0;
};

}  // namespace district_test
