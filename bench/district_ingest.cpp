// bench_district_ingest: many kiosks pushing to one district server at once, to measure the
// group-commit ingest path (HTTP + JSON + the core state machine + SQLite with synchronous=FULL).
// A real DistrictServer on 127.0.0.1 with a fresh database in $TMPDIR; each simulated kiosk is a
// thread with its own enrolled identity that pushes batches of 1-20 new petitions, back to back,
// for a fixed time. Reports events/s, pushes/s, latency percentiles and pushes per commit.
// Bounded: it stops by itself after --seconds. Not a test: figures depend on the machine; the
// clients run on the same cores as the server, so they are a floor.
//
//   bench_district_ingest [--kiosks 200] [--seconds 10] [--threads 64] [--gzip] [--keep-alive]
//                         [--pause-ms P]
// Without --pause-ms every kiosk pushes back to back (a closed loop: latency is then the queue
// length over the throughput, by Little's law). With it, each kiosk waits a random 0..2P ms
// between pushes, so the offered load is about kiosks * 10.5 / P events per ms.
#include <httplib.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/core/event.h"
#include "kiosk/core/state_machine.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "sync/server/district_server.h"
#include "sync/server/district_store.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    int kiosks = 200;
    int seconds = 10;
    int threads = 64;
    bool gzip = false;
    bool keepAlive = false;
    int pauseMs = 0;
};

const char* kCommunes[] = {"02374", "02377", "02380", "02383", "02386", "02389", "02392", "02395", "02398",
                           "02401", "02404", "02407", "02410", "02413", "02416", "02419", "02422", "02425"};

kiosk::Event submit(const std::string& kioskId, const std::string& commune, int64_t seq) {
    kiosk::Record r;
    r.code = kioskId + "-" + std::to_string(seq);
    r.kind = kiosk::RecordKind::Petition;
    r.petitionKind = kiosk::PetitionKind::Feedback;
    r.commune = commune;
    r.submittedAt = int64_t(kiosk::wallClockMillis() / 1000);
    r.content = "Phản ánh: đường liên thôn bị sạt lở sau mưa lớn, đề nghị xã kiểm tra và khắc phục sớm.";
    r.identity = {"Nguyễn Thị Hoa", "", "0912345678", "Thôn 3"};
    kiosk::Event e;
    e.uuid = kiosk::newUuid();
    e.recordCode = r.code;
    e.action = kiosk::Action::Submit;
    e.actor = {kiosk::Role::Kiosk, kioskId};
    e.hlc = kiosk::Hlc::make(kiosk::wallClockMillis(), 0);
    e.at = r.submittedAt;
    e.payload = kiosk::recordToPayload(r);
    e.kioskId = kioskId;
    e.seq = seq;
    return e;
}

double percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const size_t i = std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5));
    return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
        if (a == "--kiosks") o.kiosks = std::max(1, next());
        else if (a == "--seconds") o.seconds = std::max(1, next());
        else if (a == "--threads") o.threads = std::max(1, next());
        else if (a == "--gzip") o.gzip = true;
        else if (a == "--keep-alive") o.keepAlive = true;
        else if (a == "--pause-ms") o.pauseMs = std::max(0, next());
        else {
            std::fprintf(stderr, "usage: %s [--kiosks N] [--seconds S] [--threads T] [--gzip] [--keep-alive] [--pause-ms P]\n", argv[0]);
            return 2;
        }
    }
    const char* tmp = std::getenv("TMPDIR");
    const std::filesystem::path dir =
        std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / ("district-ingest-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string db = (dir / "district.db").string();

    kiosk::server::ServerOptions options;
    options.dbPath = db;
    options.threads = o.threads;
    options.log = [](const std::string&) {};  // one line per request would measure the terminal
    auto server = kiosk::server::DistrictServer::create(options, kiosk::DeadlineRules{});
    if (!server) {
        std::fprintf(stderr, "server: %s\n", server.error().en.c_str());
        return 1;
    }
    auto port = (*server)->bind();
    if (!port) return 1;
    std::thread serving([&] { (*server)->run(); });

    struct Identity {
        std::string id, commune, token;
    };
    std::vector<Identity> identities;
    {
        auto store = kiosk::server::DistrictStore::open(db, false);
        if (!store) return 1;
        for (int i = 0; i < o.kiosks; ++i) {
            auto e = (*store)->enrollKiosk(kCommunes[i % 18], 0);
            if (!e) return 1;
            identities.push_back({e->kioskId, e->commune, e->token});
        }
    }

    std::atomic<bool> go{false};
    std::atomic<bool> stop{false};
    std::mutex resultsMutex;
    std::vector<double> latencies;
    std::map<int, int64_t> failures;  // status (0: no answer) -> count
    int64_t events = 0;
    int64_t pushes = 0;
    std::vector<std::thread> kiosks;
    for (int i = 0; i < o.kiosks; ++i) {
        kiosks.emplace_back([&, i] {
            const Identity& me = identities[size_t(i)];
            std::mt19937 rng(uint32_t(i) * 7919u + 1u);
            httplib::Client client("127.0.0.1", *port);
            client.set_keep_alive(o.keepAlive);
            client.set_connection_timeout(10, 0);
            client.set_read_timeout(60, 0);
            httplib::Headers headers{{"Authorization", "Bearer " + me.token}};
            if (o.gzip) headers.emplace("Content-Encoding", "gzip");
            std::vector<double> mine;
            std::map<int, int64_t> myFailures;
            int64_t seq = 0, myEvents = 0;
            while (!go) std::this_thread::yield();
            while (!stop) {
                if (o.pauseMs > 0) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % uint32_t(2 * o.pauseMs + 1)));
                    if (stop) break;
                }
                const int n = 1 + int(rng() % 20);
                std::vector<kiosk::Event> batch;
                for (int k = 0; k < n; ++k) batch.push_back(submit(me.id, me.commune, seq + 1 + k));
                std::string body = kiosk::protocol::encodePushRequest(me.id, batch);
                if (o.gzip) body = kiosk::protocol::gzipCompress(body, 1);
                const auto start = Clock::now();
                auto r = client.Post("/api/v1/push", headers, body, "application/json");
                const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
                if (!r || r->status != 200) {
                    myFailures[r ? r->status : 0] += 1;
                    continue;  // resend the same numbers next time round
                }
                auto answer = kiosk::protocol::decodePushResponse(r->body);
                if (!answer || answer->ackedSeq != seq + n) {
                    myFailures[-1] += 1;
                    if (answer) seq = answer->ackedSeq;
                    continue;
                }
                seq += n;
                myEvents += n;
                mine.push_back(ms);
            }
            std::lock_guard lock(resultsMutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
            for (auto [status, count] : myFailures) failures[status] += count;
            events += myEvents;
            pushes += int64_t(mine.size());
        });
    }
    const auto started = Clock::now();
    go = true;
    std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
    stop = true;
    for (auto& t : kiosks) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    const auto stats = (*server)->stats();
    (*server)->stop();
    serving.join();
    server->reset();

    std::sort(latencies.begin(), latencies.end());
    std::printf("district ingest: %d kiosks, %d worker threads, batches of 1-20 events, %s, %s, %s, %.1f s\n",
                o.kiosks, o.threads, o.gzip ? "gzip" : "plain JSON",
                o.keepAlive ? "keep-alive" : "a connection per push",
                o.pauseMs ? ("pause 0-" + std::to_string(2 * o.pauseMs) + " ms").c_str() : "back to back", elapsed);
    std::printf("  events accepted   %lld  (%.0f events/s)\n", (long long)events, double(events) / elapsed);
    std::printf("  pushes answered   %lld  (%.0f pushes/s)\n", (long long)pushes, double(pushes) / elapsed);
    std::printf("  latency ms        p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n", percentile(latencies, 0.50),
                percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies.empty() ? 0.0 : latencies.back());
    std::printf("  commits           %llu  (%.1f pushes per commit)\n", (unsigned long long)stats.commits,
                stats.commits ? double(stats.pushes) / double(stats.commits) : 0.0);
    for (auto [status, count] : failures)
        std::printf("  failed pushes     status %d: %lld\n", status, (long long)count);
    // On a shared machine the wall-clock rate measures the neighbours too; the CPU spent per event
    // (clients and server together, all threads) is the steadier figure.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpuMs = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                         double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
    std::printf("  cpu               %.0f ms in all threads (%.3f ms per event, %.2f cores used)\n", cpuMs,
                events ? cpuMs / double(events) : 0.0, cpuMs / 1e3 / elapsed);
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return 0;
}
