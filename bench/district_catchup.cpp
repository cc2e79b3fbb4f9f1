// bench_district_catchup: the end of a long outage. Every kiosk of the country (5,000) comes back
// at once, each holding 50 events taken while the district was unreachable, and pushes them; the
// figure is the time from the first push until the district has acknowledged the last event
// (district.national_catchup_s). A real DistrictServer on 127.0.0.1 with a fresh database; the
// kiosks are enrolled and their pushes encoded (gzip, as sync/client sends them: one push holds a
// kiosk's 50 events, under the client's 500-event batch) before the clock starts. --connections
// client threads share the kiosks, one push at a time each, as many kiosks as the server takes at
// once; a push answered 503 or not at all is sent again after its Retry-After (or 100 ms), as the
// client does. Not a test: figures depend on the machine.
//
//   bench_district_catchup [--kiosks 5000] [--events 50] [--connections 128] [--db PATH_OR_URI]
//   bench_district_catchup --quick      (500 kiosks)
//
// --db: the district database, a file (default: a fresh SQLite file in $TMPDIR, removed after) or
// a postgresql:// URI when the server is built with that engine (the database must be empty).
#include <httplib.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "core/event.h"
#include "core/receipt_code.h"
#include "core/state_machine.h"
#include "district/server/district_server.h"
#include "district/store/district_store.h"
#include "kiosk/store/identity_vault.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    int kiosks = 5000;
    int events = 50;
    int connections = 128;
    std::string db;  // empty: a fresh SQLite file
};

struct Kiosk {
    std::string id, token, body;
};

// One sealed private part made once and reused: the district stores it without opening it.
const std::string& sealedPart(const kiosk::Record& r) {
    static const std::string sealed = [&] {
        if (sodium_init() < 0) std::abort();
        kiosk::store::PublicKey districtKey;
        unsigned char secret[crypto_box_SECRETKEYBYTES];
        crypto_box_keypair(districtKey.data(), secret);
        return kiosk::store::sealPrivatePart({r.identity, r.content}, districtKey);
    }();
    return sealed;
}

// A petition as a kiosk submits it offline: its code carries the kiosk's commune and slot.
kiosk::Event submitted(const kiosk::district::Enrollment& me, int64_t seq) {
    kiosk::Record r;
    r.code = kiosk::makeReceiptCode(me.commune, me.slot, uint64_t(seq));
    r.kind = kiosk::RecordKind::Petition;
    r.petitionKind = kiosk::PetitionKind::Feedback;
    r.commune = me.commune;
    r.submittedAt = int64_t(kiosk::wallClockMillis() / 1000);
    r.content = "Phản ánh: đường liên thôn bị sạt lở sau mưa lớn, đề nghị xã kiểm tra và khắc phục sớm.";
    r.identity = {"Nguyễn Thị Hoa", "", "0912345678", "Thôn 3"};
    kiosk::Event e;
    e.uuid = kiosk::newUuid();
    e.recordCode = r.code;
    e.action = kiosk::Action::Submit;
    e.actor = {kiosk::Role::Kiosk, me.kioskId};
    e.hlc = kiosk::Hlc::make(kiosk::wallClockMillis(), 0);
    e.at = r.submittedAt;
    e.payload = kiosk::publicPayload(r);
    e.payload["sealed"] = sealedPart(r);
    e.kioskId = me.kioskId;
    e.seq = seq;
    return e;
}

// Enrolls the kiosks (99 slots per commune: 100 communes hold 9,900) and encodes their pushes.
bool prepare(const Options& o, std::vector<Kiosk>& kiosks) {
    auto store = kiosk::district::DistrictStore::open(o.db, false);
    if (!store) {
        std::fprintf(stderr, "store: %s\n", store.error().en.c_str());
        return false;
    }
    for (int i = 0; i < o.kiosks; ++i) {
        const std::string commune = std::to_string(10000 + i / 50);
        auto e = (*store)->enrollKiosk(commune, 0);
        if (!e) {
            std::fprintf(stderr, "enroll: %s\n", e.error().en.c_str());
            return false;
        }
        std::vector<kiosk::Event> batch;
        for (int k = 1; k <= o.events; ++k) batch.push_back(submitted(*e, k));
        kiosks.push_back(
            {e->kioskId, e->token,
             kiosk::protocol::gzipCompress(kiosk::protocol::encodePushRequest(e->kioskId, batch))});
    }
    return true;
}

struct Outcome {
    std::vector<double> doneS;       // each kiosk: seconds from the start until its events were acked
    std::map<int, int64_t> retries;  // status (0: no answer) -> pushes sent again
    int64_t wrong = 0;               // answers that did not acknowledge exactly the kiosk's events
};

Outcome catchUp(const Options& o, int port, const std::vector<Kiosk>& kiosks, Clock::time_point start) {
    Outcome out;
    std::mutex mutex;
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < o.connections; ++t) {
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            client.set_connection_timeout(10, 0);
            client.set_read_timeout(120, 0);
            for (size_t i = next++; i < kiosks.size(); i = next++) {
                const Kiosk& k = kiosks[i];
                const httplib::Headers headers{{"Authorization", "Bearer " + k.token},
                                               {"Accept-Encoding", "gzip"},
                                               {"Content-Encoding", "gzip"}};
                for (;;) {
                    auto r = client.Post("/api/v1/push", headers, k.body, "application/json");
                    if (r && r->status == 200) {
                        auto answer = kiosk::protocol::decodePushResponse(r->body);
                        const double s = std::chrono::duration<double>(Clock::now() - start).count();
                        std::lock_guard lock(mutex);
                        if (!answer || answer->ackedSeq != o.events) out.wrong += 1;
                        out.doneS.push_back(s);
                        break;
                    }
                    const int retryAfter = r && r->has_header("Retry-After")
                                               ? std::atoi(r->get_header_value("Retry-After").c_str())
                                               : 0;
                    {
                        std::lock_guard lock(mutex);
                        out.retries[r ? r->status : 0] += 1;
                    }
                    client.stop();
                    std::this_thread::sleep_for(
                        std::chrono::milliseconds(retryAfter > 0 ? 1000 * retryAfter : 100));
                }
                // A kiosk closes its connection when its pass ends; the next kiosk connects anew.
                client.stop();
            }
        });
    }
    for (auto& t : threads) t.join();
    return out;
}

int parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--quick")
            o.kiosks = 500;
        else if (a == "--kiosks")
            o.kiosks = std::clamp(std::atoi(next().c_str()), 1, 9900);
        else if (a == "--events")
            o.events = std::clamp(std::atoi(next().c_str()), 1, 500);
        else if (a == "--connections")
            o.connections = std::max(1, std::atoi(next().c_str()));
        else if (a == "--db")
            o.db = next();
        else {
            std::fprintf(
                stderr,
                "usage: %s [--quick] [--kiosks N] [--events N] [--connections N] [--db PATH_OR_URI]\n",
                argv[0]);
            return 2;
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    if (const int rc = parse(argc, argv, o)) return rc;
    const char* tmp = std::getenv("TMPDIR");
    const std::filesystem::path dir =
        std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / ("district-catchup-" + std::to_string(getpid()));
    const bool ownFile = o.db.empty();
    if (ownFile) {
        std::filesystem::create_directories(dir);
        o.db = (dir / "district.db").string();
    }
    kiosk::district::ServerOptions options;
    options.dbPath = o.db;
    options.log = [](const std::string&) {};
    auto server = kiosk::district::DistrictServer::create(options, kiosk::DeadlineRules{});
    if (!server) {
        std::fprintf(stderr, "server: %s\n", server.error().en.c_str());
        return 1;
    }
    auto port = (*server)->bind();
    if (!port) return 1;
    std::thread serving([&] { (*server)->run(); });

    std::vector<Kiosk> kiosks;
    const double prepareStart = bench::nowMs();
    const bool prepared = prepare(o, kiosks);
    const double prepareS = (bench::nowMs() - prepareStart) / 1e3;
    Outcome out;
    const auto start = Clock::now();
    if (prepared) out = catchUp(o, *port, kiosks, start);
    const double totalS = std::chrono::duration<double>(Clock::now() - start).count();
    const auto stats = (*server)->stats();
    (*server)->stop();
    serving.join();
    server->reset();
    std::error_code ignored;
    if (ownFile) std::filesystem::remove_all(dir, ignored);
    if (!prepared) return 1;

    std::sort(out.doneS.begin(), out.doneS.end());
    const double events = double(o.kiosks) * o.events;
    std::fprintf(
        stderr,
        "district catch-up: %d kiosks x %d events, %d connections, %s; enrolled and encoded in %.1f s\n"
        "  all acknowledged in %.2f s (%.0f events/s); kiosk done p50 %.2f s p99 %.2f s\n"
        "  %llu commits (%.1f pushes per commit)\n",
        o.kiosks, o.events, o.connections, ownFile ? "SQLite" : o.db.c_str(), prepareS, totalS,
        events / totalS, out.doneS.empty() ? 0.0 : out.doneS[out.doneS.size() / 2],
        out.doneS.empty() ? 0.0 : out.doneS[std::min(out.doneS.size() - 1, out.doneS.size() * 99 / 100)],
        (unsigned long long)stats.commits,
        stats.commits ? double(stats.pushes) / double(stats.commits) : 0.0);
    for (auto [status, count] : out.retries)
        std::fprintf(stderr, "  pushes sent again  status %d: %lld\n", status, (long long)count);
    if (out.wrong) std::fprintf(stderr, "  WRONG answers     %lld\n", (long long)out.wrong);
    char note[160];
    std::snprintf(note, sizeof note, "%d kiosks x %d events, %d connections, %s, %.0f events/s", o.kiosks,
                  o.events, o.connections, ownFile ? "SQLite" : "PostgreSQL", events / totalS);
    bench::Stats s;
    s.median = s.min = s.max = totalS;
    s.n = 1;
    bench::report("district.national_catchup_s", s, "s", {}, note);
    return out.wrong || out.doneS.size() != size_t(o.kiosks) ? 1 : 0;
}
