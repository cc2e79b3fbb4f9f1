// bench_district_ingest: many kiosks pushing to one district server at once, to measure the
// group-commit ingest path (HTTP + gzip + JSON + the core state machine + SQLite with
// synchronous=FULL). A real DistrictServer on 127.0.0.1 with a fresh database in $TMPDIR; each
// simulated kiosk is a thread with its own enrolled identity that pushes batches of 1-20 new
// petitions for a fixed time. Reports events/s, pushes/s, latency percentiles and pushes per commit.
// Bounded: it stops by itself after --seconds. Not a test: figures depend on the machine.
//
//   bench_district_ingest [--kiosks 200] [--seconds 10] [--threads 64] [--rate 5500 | --closed-loop]
//                         [--plain] [--keep-alive | --connection-per-push] [--no-identity-index]
//                         [--db URI]
//   bench_district_ingest --writer-only [--kiosks 200] [--events 40000] [--db URI]
//
// --no-identity-index: the server without its identity indexer thread (district/office/
// identity_index.h), to see what indexing the arriving records costs the pushes.
// --db: the district on PostgreSQL (a postgresql:// URI) instead of a fresh SQLite file; the
// database may hold earlier runs' kiosks and records (each run enrolls kiosks of its own) and is
// left as it is.
//
// Each kiosk talks like sync/client does: a pass's pushes on one kept-alive connection, closed when
// the pass ends (here: after a push, unless the next one is already due), the body gzipped at
// zlib's default level, "Accept-Encoding: gzip" (the answer comes back gzipped), no Expect:
// 100-continue. --keep-alive holds each kiosk's connection open between passes instead, as the
// client did before: cpp-httplib 0.11 then keeps a worker on every idle connection, polling it
// about 90 times a second, and that CPU is taken from the writer. --connection-per-push connects
// for every push.
// The bodies are made before the clock starts (a kiosk encodes on its own CPU, not the server's);
// the HTTP client, loopback TCP and the 200 threads still run on the server's cores.
//
// The load (the target: 200 kiosks, batches of 1-20, more than 5,000 events/s, p99 < 250 ms):
// by default the kiosks together offer --rate events/s, 10% above the target, so the figure
// "events accepted ... events/s" is what the server sustained at that offered load. Each kiosk
// pushes at random times (a Poisson process, mean interval kiosks * 10.5 / rate s); one push at a
// time per kiosk, as the client does: when the previous answer comes late, the next push leaves at
// once. Latency is counted from the time the push was due, not from when it could leave, so a
// server that falls behind shows it in full (no coordinated omission); "service ms" is the time
// from sending to the answer. --closed-loop pushes back to back instead: it measures capacity
// (the most events/s the server takes), but its latency is the queue of 200 kiosks over that
// throughput (Little's law) and says nothing about a push's wait at a sustainable load.
//
// --writer-only leaves HTTP, gzip and the clients out: --kiosks threads hand decoded pushes of 1-20
// events straight to a PushCommitter (as the server's workers do) until --events were committed,
// and the committer's writer thread's CPU time per event is printed. It is the serial stage of
// the ingest path, and CPU time hardly moves with the neighbours' load, so before/after
// comparisons of the writer are steadier this way than through the rates.
#include <httplib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/receipt_code.h"
#include "core/event.h"
#include "core/state_machine.h"
#include "kiosk/store/identity_vault.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "district/server/district_server.h"
#include "district/store/district_store.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    int kiosks = 200;
    int seconds = 10;
    int threads = 64;
    double rate = 5500;  // events/s offered by all kiosks together; 0: closed loop
    bool gzip = true;
    enum class Connections { PerPass, KeptAlive, PerPush } connections = Connections::PerPass;
    bool writerOnly = false;
    bool identityIndex = true;  // --no-identity-index: the server without its indexer thread
    int64_t events = 40000;     // --writer-only
    std::string db;             // --db: a PostgreSQL URI; empty: a fresh SQLite file
};

constexpr double kMeanBatch = 10.5;  // batches of 1-20 events

const char* kCommunes[] = {"02374", "02377", "02380", "02383", "02386", "02389", "02392", "02395", "02398",
                           "02401", "02404", "02407", "02410", "02413", "02416", "02419", "02422", "02425"};

// The code is one the kiosk could have issued (its commune and slot): the district refuses others.
kiosk::Event submit(const std::string& kioskId, const std::string& commune, int slot, int64_t seq) {
    kiosk::Record r;
    r.code = kiosk::makeReceiptCode(commune, slot, uint64_t(seq));
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
    // As a kiosk sends it: identity and content only sealed to the district (the district refuses
    // them in the clear). One seal made once and reused: the server stores it without opening it,
    // and a kiosk seals at submit time, not while pushing.
    static const std::string sealed = [&] {
        if (sodium_init() < 0) std::abort();
        kiosk::store::PublicKey districtKey;
        unsigned char secret[crypto_box_SECRETKEYBYTES];
        crypto_box_keypair(districtKey.data(), secret);
        return kiosk::store::sealPrivatePart({r.identity, r.content}, districtKey);
    }();
    e.payload = kiosk::publicPayload(r);
    e.payload["sealed"] = sealed;
    e.kioskId = kioskId;
    e.seq = seq;
    return e;
}

// utime + stime of each thread of this process, in clock ticks.
std::map<int, int64_t> threadTicks() {
    std::map<int, int64_t> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec)) {
        std::ifstream in(entry.path() / "stat");
        std::string line;
        std::getline(in, line);
        const size_t close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(line.substr(close + 2));
        std::string field;
        int64_t utime = 0, stime = 0;
        for (int i = 3; fields >> field && i <= 15; ++i) {
            if (i == 14) utime = std::atoll(field.c_str());
            if (i == 15) stime = std::atoll(field.c_str());
        }
        out[std::atoi(entry.path().filename().c_str())] = utime + stime;
    }
    return out;
}

double percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const size_t i = std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5));
    return sorted[i];
}

// --writer-only: pushes decoded as the server's workers decode them, handed to the committer by
// one thread per kiosk, back to back; the committer's writer CPU per event.
int writerOnly(const Options& o, const std::string& db) {
    std::vector<kiosk::district::KioskIdentity> identities;
    {
        auto store = kiosk::district::DistrictStore::open(db, true);
        if (!store) return 1;
        for (int i = 0; i < o.kiosks; ++i) {
            auto e = (*store)->enrollKiosk(kCommunes[i % 18], 0);
            if (!e) return 1;
            identities.push_back({e->kioskId, e->commune, false, e->slot});
        }
    }
    // Every kiosk's pushes, decoded before the clock starts.
    const int64_t perKiosk = o.events / o.kiosks + 1;
    std::vector<std::vector<kiosk::protocol::PushRequest>> requests(size_t(o.kiosks));
    for (int i = 0; i < o.kiosks; ++i) {
        std::mt19937 rng(uint32_t(i) * 7919u + 1u);
        const auto& me = identities[size_t(i)];
        for (int64_t made = 0; made < perKiosk;) {
            const int n = 1 + int(rng() % 20);
            std::vector<kiosk::Event> batch;
            for (int k = 0; k < n; ++k)
                batch.push_back(submit(me.kioskId, me.commune, *me.slot, made + 1 + k));
            made += n;
            auto decoded =
                kiosk::protocol::decodePushRequest(kiosk::protocol::encodePushRequest(me.kioskId, batch));
            if (!decoded) return 1;
            requests[size_t(i)].push_back(std::move(*decoded));
        }
    }
    const std::map<int, int64_t> threadsBefore = threadTicks();
    auto committer = kiosk::district::PushCommitter::start(db, false, kiosk::DeadlineRules{},
                                                           kiosk::district::ServerOptions{}.committer);
    if (!committer) return 1;
    std::atomic<int64_t> failures{0};
    const auto started = Clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < o.kiosks; ++i) {
        threads.emplace_back([&, i] {
            for (auto& request : requests[size_t(i)]) {
                const size_t n = request.events.size();
                auto answer = (*committer)->push(identities[size_t(i)], std::move(request), 0);
                if (!answer || !answer->sequenceOk || answer->response.results.size() != n) failures += 1;
            }
        });
    }
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    const auto stats = (*committer)->stats();
    double busiestMs = 0;
    for (const auto& [tid, ticks] : threadTicks()) {
        auto it = threadsBefore.find(tid);
        busiestMs = std::max(busiestMs, double(ticks - (it == threadsBefore.end() ? 0 : it->second)) * 1e3 /
                                            double(sysconf(_SC_CLK_TCK)));
    }
    committer->reset();
    std::printf(
        "district writer only: %d kiosks, %llu events in %llu pushes, %llu commits (%.1f pushes per "
        "commit), %.2f s\n",
        o.kiosks, (unsigned long long)stats.events, (unsigned long long)stats.pushes,
        (unsigned long long)stats.commits, stats.commits ? double(stats.pushes) / double(stats.commits) : 0.0,
        elapsed);
    std::printf("  writer thread     %.0f ms (%.4f ms per event)\n", busiestMs,
                stats.events ? busiestMs / double(stats.events) : 0.0);
    if (failures) std::printf("  failed pushes     %lld\n", (long long)failures.load());
    return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::atof(argv[++i]) : 0.0; };
        if (a == "--kiosks")
            o.kiosks = std::max(1, int(next()));
        else if (a == "--seconds")
            o.seconds = std::max(1, int(next()));
        else if (a == "--threads")
            o.threads = std::max(1, int(next()));
        else if (a == "--rate")
            o.rate = std::max(0.0, next());
        else if (a == "--closed-loop")
            o.rate = 0;
        else if (a == "--plain")
            o.gzip = false;
        else if (a == "--connection-per-push")
            o.connections = Options::Connections::PerPush;
        else if (a == "--keep-alive")
            o.connections = Options::Connections::KeptAlive;
        else if (a == "--writer-only")
            o.writerOnly = true;
        else if (a == "--no-identity-index")
            o.identityIndex = false;
        else if (a == "--events")
            o.events = std::max(1LL, (long long)next());
        else if (a == "--gzip")
            continue;  // the default now; kept for old command lines
        else if (a == "--db" && i + 1 < argc)
            o.db = argv[++i];
        else {
            std::fprintf(
                stderr,
                "usage: %s [--kiosks N] [--seconds S] [--threads T] [--rate EVENTS_PER_S | --closed-loop] "
                "[--plain] [--keep-alive | --connection-per-push] [--no-identity-index] [--db URI]\n"
                "       %s --writer-only [--kiosks N] [--events N] [--db URI]\n",
                argv[0], argv[0]);
            return 2;
        }
    }
    const char* tmp = std::getenv("TMPDIR");
    const std::filesystem::path dir =
        std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / ("district-ingest-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string db = o.db.empty() ? (dir / "district.db").string() : o.db;
    if (o.writerOnly) {
        const int rc = writerOnly(o, db);
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
        return rc;
    }

    kiosk::district::ServerOptions options;
    options.dbPath = db;
    options.threads = o.threads;
    if (!o.identityIndex) options.identityIndexIntervalMs = 0;
    options.log = [](const std::string&) {};  // one line per request would measure the terminal
    auto server = kiosk::district::DistrictServer::create(options, kiosk::DeadlineRules{});
    if (!server) {
        std::fprintf(stderr, "server: %s\n", server.error().en.c_str());
        return 1;
    }
    auto port = (*server)->bind();
    if (!port) return 1;
    std::thread serving([&] { (*server)->run(); });

    struct Identity {
        std::string id, commune, token;
        int slot = 0;
    };
    std::vector<Identity> identities;
    {
        auto store = kiosk::district::DistrictStore::open(db, false);
        if (!store) return 1;
        for (int i = 0; i < o.kiosks; ++i) {
            auto e = (*store)->enrollKiosk(kCommunes[i % 18], 0);
            if (!e) return 1;
            identities.push_back({e->kioskId, e->commune, e->token, e->slot});
        }
    }

    std::atomic<bool> go{false};
    std::atomic<bool> stop{false};
    int ready = 0;  // kiosks with their bodies made, under startMutex
    std::mutex startMutex;
    std::condition_variable startSignal;
    std::mutex resultsMutex;
    std::vector<double> latencies;    // from when each push was due
    std::vector<double> services;     // from when it was sent
    std::map<int, int64_t> failures;  // status (0: no answer, -1: unexpected answer) -> count
    int64_t events = 0;
    int64_t pushes = 0;
    Clock::time_point started;
    // Pushes per kiosk made before the clock starts: enough for the offered load (or for
    // 8,000 events/s in a closed loop) with a margin; more are made on the way if needed.
    const double planned = (o.rate > 0 ? o.rate : 8000.0) * o.seconds * 1.3 / kMeanBatch / o.kiosks + 4;
    const double meanIntervalS = o.rate > 0 ? o.kiosks * kMeanBatch / o.rate : 0;
    std::vector<std::thread> kiosks;
    for (int i = 0; i < o.kiosks; ++i) {
        kiosks.emplace_back([&, i] {
            const Identity& me = identities[size_t(i)];
            std::mt19937 rng(uint32_t(i) * 7919u + 1u);
            struct Batch {
                int events;
                std::string body;
            };
            int64_t made = 0;  // events made so far (their seqs are 1..made)
            auto makeBatch = [&] {
                const int n = 1 + int(rng() % 20);
                std::vector<kiosk::Event> batch;
                for (int k = 0; k < n; ++k) batch.push_back(submit(me.id, me.commune, me.slot, made + 1 + k));
                made += n;
                std::string body = kiosk::protocol::encodePushRequest(me.id, batch);
                if (o.gzip) body = kiosk::protocol::gzipCompress(body);  // the client's level (6)
                return Batch{n, std::move(body)};
            };
            std::deque<Batch> queue;
            for (int k = 0; k < int(planned); ++k) queue.push_back(makeBatch());

            httplib::Client client("127.0.0.1", *port);
            client.set_keep_alive(o.connections != Options::Connections::PerPush);
            client.set_connection_timeout(10, 0);
            client.set_read_timeout(60, 0);
            httplib::Headers headers{{"Authorization", "Bearer " + me.token}, {"Accept-Encoding", "gzip"}};
            if (o.gzip) headers.emplace("Content-Encoding", "gzip");
            std::vector<double> mine, myServices;
            std::map<int, int64_t> myFailures;
            int64_t seq = 0, myEvents = 0;
            std::exponential_distribution<double> interval(meanIntervalS > 0 ? 1.0 / meanIntervalS : 1.0);
            {
                std::unique_lock lock(startMutex);
                ready += 1;
                startSignal.notify_all();
                startSignal.wait(lock, [&] { return go.load(); });
            }
            Clock::time_point due = started;
            if (meanIntervalS > 0)
                due +=
                    std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval(rng)));
            const Clock::time_point end = started + std::chrono::seconds(o.seconds);
            while (!stop) {
                if (meanIntervalS > 0) {
                    if (due >= end) break;  // nothing more is due before the end
                    std::this_thread::sleep_until(due);
                    if (stop) break;
                }
                if (queue.empty()) queue.push_back(makeBatch());
                const Batch& batch = queue.front();
                const auto sent = Clock::now();
                if (meanIntervalS <= 0) due = sent;
                auto r = client.Post("/api/v1/push", headers, batch.body, "application/json");
                const auto answered = Clock::now();
                if (!r || r->status != 200) {
                    myFailures[r ? r->status : 0] += 1;
                    // Resend the same batch, after the Retry-After the server asked for.
                    const int retryAfter = r && r->has_header("Retry-After")
                                               ? std::atoi(r->get_header_value("Retry-After").c_str())
                                               : 0;
                    std::this_thread::sleep_for(
                        std::chrono::milliseconds(retryAfter > 0 ? 1000 * retryAfter : 100));
                    continue;
                }
                auto answer = kiosk::protocol::decodePushResponse(r->body);
                if (!answer || answer->ackedSeq != seq + batch.events) {
                    myFailures[-1] += 1;
                    break;  // the server lost or invented events: this kiosk stops, the summary says so
                }
                seq += batch.events;
                myEvents += batch.events;
                mine.push_back(std::chrono::duration<double, std::milli>(answered - due).count());
                myServices.push_back(std::chrono::duration<double, std::milli>(answered - sent).count());
                queue.pop_front();
                if (meanIntervalS > 0)
                    due += std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(interval(rng)));
                // The pass ends when nothing more is due: the client closes its connection then.
                if (o.connections == Options::Connections::PerPass && meanIntervalS > 0 && due > Clock::now())
                    client.stop();
            }
            std::lock_guard lock(resultsMutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
            services.insert(services.end(), myServices.begin(), myServices.end());
            for (auto [status, count] : myFailures) failures[status] += count;
            events += myEvents;
            pushes += int64_t(mine.size());
        });
    }
    std::map<int, int64_t> threadTicksBefore;
    rusage before{};
    {
        std::unique_lock lock(startMutex);
        startSignal.wait(lock, [&] { return ready == o.kiosks; });
        threadTicksBefore = threadTicks();
        getrusage(RUSAGE_SELF, &before);
        started = Clock::now();
        go = true;
    }
    startSignal.notify_all();
    std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
    stop = true;
    for (auto& t : kiosks) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
    // The busiest thread is the committer's writer (every push passes through it): its CPU per
    // event bounds what one core can take, whatever the neighbours on a shared machine do.
    double busiestMs = 0;
    for (const auto& [tid, ticks] : threadTicks()) {
        auto it = threadTicksBefore.find(tid);
        busiestMs = std::max(busiestMs, double(ticks - (it == threadTicksBefore.end() ? 0 : it->second)) *
                                            1e3 / double(sysconf(_SC_CLK_TCK)));
    }
    const auto stats = (*server)->stats();
    (*server)->stop();
    serving.join();
    server->reset();

    std::sort(latencies.begin(), latencies.end());
    std::sort(services.begin(), services.end());
    char load[96];
    if (o.rate > 0)
        std::snprintf(load, sizeof load, "offered %.0f events/s (Poisson per kiosk)", o.rate);
    else
        std::snprintf(load, sizeof load, "closed loop (back to back)");
    std::printf(
        "district ingest: %s, %d kiosks, %d worker threads, batches of 1-20 events, %s, %s, %s, %.1f s\n",
        o.db.empty() ? "SQLite" : "PostgreSQL", o.kiosks, o.threads, o.gzip ? "gzip" : "plain JSON",
        o.connections == Options::Connections::PerPass     ? "a connection per pass"
        : o.connections == Options::Connections::KeptAlive ? "kept alive between passes"
                                                           : "a connection per push",
        load, elapsed);
    std::printf("  events accepted   %lld  (%.0f events/s)\n", (long long)events, double(events) / elapsed);
    std::printf("  pushes answered   %lld  (%.0f pushes/s)\n", (long long)pushes, double(pushes) / elapsed);
    std::printf("  latency ms        p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n", percentile(latencies, 0.50),
                percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies.empty() ? 0.0 : latencies.back());
    std::printf("  service ms        p50 %.1f  p95 %.1f  p99 %.1f  max %.1f  (from sending, not from due)\n",
                percentile(services, 0.50), percentile(services, 0.95), percentile(services, 0.99),
                services.empty() ? 0.0 : services.back());
    std::printf("  commits           %llu  (%.1f pushes per commit)\n", (unsigned long long)stats.commits,
                stats.commits ? double(stats.pushes) / double(stats.commits) : 0.0);
    for (auto [status, count] : failures)
        std::printf("  failed pushes     status %d: %lld\n", status, (long long)count);
    // On a shared machine the wall-clock rate measures the neighbours too; the CPU spent per event
    // (clients and server together, all threads, from the start of the clock) is the steadier figure.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto ms = [](const rusage& u) {
        return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
               double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
    };
    const double cpuMs = ms(usage) - ms(before);
    std::printf("  cpu               %.0f ms in all threads (%.3f ms per event, %.2f cores used)\n", cpuMs,
                events ? cpuMs / double(events) : 0.0, cpuMs / 1e3 / elapsed);
    std::printf(
        "  busiest thread    %.0f ms (%.3f ms per event: at most %.0f events/s through it on one core)\n",
        busiestMs, events ? busiestMs / double(events) : 0.0,
        busiestMs > 0 ? double(events) * 1e3 / busiestMs : 0.0);
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return 0;
}
