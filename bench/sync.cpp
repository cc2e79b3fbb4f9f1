// bench_sync: sync.push_10k_s, sync.bytes_per_event, sync.pull_100k_s — the kiosk's real sync
// engine (sync/client SyncEngine, as `kioskctl sync --once` runs it) against a real DistrictServer
// on 127.0.0.1, both on real SQLite files with synchronous=FULL.
//
//   bench_sync [--quick] [--dir DIR] [--push N] [--pull N] [--reps R] [--pull-reps R] [--naive N]
//              [--only-pull 1] [--help]
//
// push_10k_s: N petitions (10,000; --quick 1,000) created through KioskStore::createRecord wait in
//   the outbox; the clock runs from SyncEngine::runOnce until the outbox is empty (every event
//   answered by the district and marked; watched every 20 ms from a second connection). The pass then goes on to pull the district's echo of those
//   records; that full pass time is given in the note. Peers, same run, same rows:
//   raw-sqlite   — the same events (uuid, record, payload) inserted into a plain SQLite file in one
//                  transaction, WAL, synchronous=FULL: the disk path's floor;
//   naive-client — one HTTP POST per event with libcurl (a push of batch size 1, plain JSON, one
//                  reused connection) to the same server: what a quick implementation does. It is
//                  timed on a sample (--naive, 1,000; --quick 100) and scaled to N.
// bytes_per_event: a push of min(N, 2,000) events again through a counting TCP proxy; the bytes
//   the kiosk sent (HTTP headers and gzip bodies, requests made until the outbox was empty) divided
//   by that count.
// push runs: 3 (--reps), but a run longer than 60 s is not repeated (budget of the full run).
// pull_100k_s: another kiosk of the same commune pushed N changes (100,000; --quick 5,000)
//   through the district's push path (applyPush, district/sync/push_judgement.h, in transactions
//   of 500, as the server's committer does); a fresh kiosk then runs runOnce, which pulls and
//   applies them all.
// Every kiosk here knows the district's key and every petition carries its identity and content
// sealed to it (payload "sealed", about 330 base64 characters that gzip cannot shrink), as in the
// field; before 2026-11-27 the bench's kiosks sent no seal, so older bytes_per_event figures are
// lower than a real kiosk's.
// Not a test: nothing here fails on a slow machine. Exit 1 only when something did not work.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "core/receipt_code.h"
#include "core/event.h"
#include "core/reference_data.h"
#include "core/state_machine.h"
#include "core/validation.h"
#include "common/database.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/client/sync_engine.h"
#include "sync/protocol/messages.h"
#include "district/office/keys.h"
#include "district/server/district_server.h"
#include "district/store/district_store.h"
#include "district/sync/push_judgement.h"

using namespace kiosk;

namespace {

constexpr const char* kCommune = "02374";

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_sync: %s\n", what.c_str());
    std::exit(1);
}

template <class T>
T must(Result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().en);
    return std::move(r.value());
}

void must(const Outcome& r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().en);
}

// A TCP relay on 127.0.0.1 that counts the bytes each way (the real request bytes on the wire).
class CountingProxy {
public:
    explicit CountingProxy(int target) : m_target(target) {
        m_listen = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(m_listen, 64) != 0)
            die("proxy: cannot listen");
        socklen_t len = sizeof a;
        getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
        m_acceptor = std::thread([this] { acceptLoop(); });
    }
    ~CountingProxy() {
        m_stopping = true;
        shutdown(m_listen, SHUT_RDWR);
        close(m_listen);
        m_acceptor.join();
        {
            std::lock_guard lock(m_mutex);
            for (int fd : m_fds) shutdown(fd, SHUT_RDWR);
        }
        for (auto& t : m_relays) t.join();
        for (int fd : m_fds) close(fd);
    }
    int port() const { return m_port; }
    int64_t upBytes() const { return m_up; }
    int64_t downBytes() const { return m_down; }

private:
    void acceptLoop() {
        while (!m_stopping) {
            const int client = accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) {
                if (m_stopping) return;
                continue;
            }
            const int upstream = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons(uint16_t(m_target));
            if (connect(upstream, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
                close(client);
                close(upstream);
                continue;
            }
            std::lock_guard lock(m_mutex);
            m_fds.push_back(client);
            m_fds.push_back(upstream);
            m_relays.emplace_back([this, client, upstream] { relay(client, upstream); });
        }
    }
    void relay(int client, int upstream) {
        char buf[65536];
        pollfd p[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
        while (poll(p, 2, -1) > 0) {
            bool closed = false;
            for (int i = 0; i < 2 && !closed; ++i) {
                if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                const ssize_t n = read(p[i].fd, buf, sizeof buf);
                if (n <= 0) {
                    closed = true;
                    break;
                }
                (i == 0 ? m_up : m_down) += n;
                for (ssize_t off = 0; off < n;) {
                    const ssize_t w = write(p[1 - i].fd, buf + off, size_t(n - off));
                    if (w <= 0) {
                        closed = true;
                        break;
                    }
                    off += w;
                }
            }
            if (closed) break;
        }
        std::lock_guard lock(m_mutex);
        shutdown(client, SHUT_RDWR);
        shutdown(upstream, SHUT_RDWR);
        // The fds stay open until the destructor (closing here could let a number be reused while
        // the destructor still shuts it down).
    }

    int m_target;
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::atomic<int64_t> m_up{0}, m_down{0};
    std::mutex m_mutex;
    std::vector<int> m_fds;
    std::vector<std::thread> m_relays;
    std::thread m_acceptor;
};

struct Server {
    std::string db;
    std::unique_ptr<district::DistrictServer> server;
    std::thread thread;
    int port = 0;

    explicit Server(const std::string& path) : db(path) {
        district::ServerOptions o;
        o.dbPath = db;
        o.log = [](const std::string&) {};
        server = must(district::DistrictServer::create(o, DeadlineRules{}), "server");
        port = must(server->bind(), "bind");
        thread = std::thread([this] { server->run(); });
    }
    ~Server() {
        server->stop();
        thread.join();
    }
    district::Enrollment enroll() {
        auto store = must(district::DistrictStore::open(db, false), "district store");
        return must(store->enrollKiosk(kCommune, int64_t(wallClockMillis())), "enroll");
    }
    // The district's public key, which kiosks seal identities to (made on first use, as
    // `district-server serve` or `enroll-kiosk` does).
    std::string districtKey() {
        auto store = must(district::DistrictStore::open(db, false), "district store");
        return must(district::ensureDistrictKey(*store, "", int64_t(wallClockMillis())), "district key");
    }
    std::string url(int p = 0) const { return "http://127.0.0.1:" + std::to_string(p ? p : port); }
};

// A kiosk database set up for kCommune and pointed at `url` with `token`; its kiosk id is learned
// from the district on the first pass, as in the field.
// It knows the district's key, as a kiosk installed with --district-key does: each petition carries
// its identity and content sealed to the district, which is what goes over the wire.
std::unique_ptr<store::KioskStore> makeKiosk(const std::string& path, const ReferenceData& ref, int slot,
                                             Server& server, const std::string& url,
                                             const std::string& token) {
    std::filesystem::remove(path);
    auto s = must(store::KioskStore::open(path, true), "kiosk store");
    store::KioskConfig c;
    c.commune = kCommune;
    c.slot = slot;
    c.serverUrl = url;
    c.districtKey = server.districtKey();
    if (!store::publicKeyFromBase64(c.districtKey)) die("the district has no key");
    must(s->configure(c, ref), "configure");
    must(s->setToken(token), "token");
    return s;
}

PetitionInput input(int i) {
    return PetitionInput{
        "phan-anh",
        "Nguyễn Thị Hoa",
        "008190001234",
        "0912 345 678",
        "Thôn 3, xã Yên Thuận",
        "Phản ánh: đường liên thôn bị sạt lở sau mưa lớn, đề nghị xã kiểm tra và khắc phục sớm. "
        "Lần " +
            std::to_string(i)};
}

// n petitions through the store's own durable path. synchronous=OFF on this connection only while
// filling (how the queue got there is not what is measured); the engine opens its own connection.
void fillQueue(store::KioskStore& s, int n) {
    s.database().exec("PRAGMA synchronous=OFF");
    for (int i = 0; i < n; ++i) {
        Validation v = validatePetition(input(i), s.reference().cccdProvinces, s.reference().mobilePrefixes);
        if (!v.ok()) die("petition did not validate");
        must(s.createRecord(v.record, Actor{Role::Kiosk, ""}, 1764122400 + i), "createRecord");
    }
    s.database().exec("PRAGMA synchronous=FULL");
}

client::SyncOptions engineOptions(const std::string& path) {
    client::SyncOptions o;
    o.dbPath = path;
    o.backoffBase = std::chrono::milliseconds(100);
    o.backoffCap = std::chrono::milliseconds(2000);
    return o;
}

// User and system CPU of this process (all its threads), seconds.
double processCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct PushRun {
    double untilEmptyS = 0;  // runOnce start -> outbox empty
    double cpuS = 0;         // CPU of the whole process (kiosk and district) meanwhile
    bool emptied = false;
};

// runOnce on its own thread; this thread watches the outbox through a second connection and stops
// the engine once it is empty (the pass would go on to pull the district's echo of those records,
// which sync.pull_100k_s measures on its own). The watch is one cheap EXISTS query every
// 20 ms: a tighter loop of heavier queries took a core from the engine and server and, as a
// constant reader, kept SQLite from checkpointing the WAL.
PushRun pushAll(const std::string& path, const std::function<void()>& atEmpty = {}) {
    auto watcher = must(store::Database::open(path, false), "watcher");
    auto waiting =
        must(watcher.prepare("SELECT EXISTS(SELECT 1 FROM outbox WHERE acked = 0)"), "watch query");
    PushRun run;
    client::SyncEngine engine(engineOptions(path));
    const double t0 = bench::nowMs();
    const double cpu0 = processCpuSeconds();
    std::atomic<bool> done{false};
    client::OnceResult result;
    std::thread worker([&] {
        result = engine.runOnce(std::chrono::minutes(10));
        done = true;
    });
    while (true) {
        const bool empty = must(waiting.step(), "watch") && waiting.integer(0) == 0;
        waiting.reset();
        if (empty) {
            run.untilEmptyS = (bench::nowMs() - t0) / 1000;
            run.cpuS = processCpuSeconds() - cpu0;
            run.emptied = true;
            if (atEmpty) atEmpty();
            break;
        }
        if (done) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    engine.stop();
    worker.join();
    if (!run.emptied)
        die("the outbox was not emptied: " + (result.error ? result.error->en : std::string("?")));
    return run;
}

// The same rows, one transaction, into a plain SQLite file (WAL, synchronous=FULL).
double rawInsert(store::KioskStore& s, const std::string& path) {
    struct Row {
        std::string uuid, code, payload;
    };
    std::vector<Row> rows;
    auto st = must(s.database().prepare("SELECT uuid, record_code, payload FROM events"), "select events");
    while (must(st.step(), "step")) rows.push_back({st.text(0), st.text(1), st.text(2)});
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    auto db = must(store::Database::open(path, true), "raw db");
    must(db.exec("PRAGMA journal_mode=WAL"), "wal");
    must(db.exec("PRAGMA synchronous=FULL"), "full");
    must(db.exec(
             "CREATE TABLE events(uuid TEXT PRIMARY KEY, record_code TEXT NOT NULL, payload TEXT NOT NULL)"),
         "create");
    const double t0 = bench::nowMs();
    must(db.exec("BEGIN"), "begin");
    auto ins = must(db.prepare("INSERT INTO events VALUES(?, ?, ?)"), "insert");
    for (const Row& r : rows) {
        ins.bind(1, r.uuid).bind(2, r.code).bind(3, r.payload);
        must(ins.run(), "insert");
    }
    must(db.exec("COMMIT"), "commit");
    return (bench::nowMs() - t0) / 1000;
}

// A petition as a kiosk sends it: identity and content only sealed to the district's key.
// The code is one the kiosk could have issued (its commune and slot): the district refuses others.
Event submitEvent(const std::string& kioskId, int slot, int64_t seq, int i,
                  const store::PublicKey& districtKey) {
    Record r;
    r.code = makeReceiptCode(kCommune, slot, uint64_t(seq));
    r.kind = RecordKind::Petition;
    r.petitionKind = PetitionKind::Feedback;
    r.commune = kCommune;
    r.submittedAt = int64_t(wallClockMillis() / 1000);
    r.content = input(i).content;
    r.identity = {"Nguyễn Thị Hoa", "", "0912345678", "Thôn 3, xã Yên Thuận"};
    Event e;
    e.uuid = newUuid();
    e.recordCode = r.code;
    e.action = Action::Submit;
    e.actor = {Role::Kiosk, kioskId};
    e.hlc = Hlc::make(wallClockMillis(), 0);
    e.at = r.submittedAt;
    e.payload = publicPayload(r);
    e.payload["sealed"] = store::sealPrivatePart({r.identity, r.content}, districtKey);
    e.kioskId = kioskId;
    e.seq = seq;
    return e;
}

size_t discard(char*, size_t size, size_t n, void*) { return size * n; }

// One POST per event, libcurl, one handle (its connection reused), plain JSON. Returns seconds.
double naivePush(Server& server, int n) {
    const district::Enrollment who = server.enroll();
    const store::PublicKey key = *store::publicKeyFromBase64(server.districtKey());
    std::vector<std::string> bodies;
    for (int i = 0; i < n; ++i)
        bodies.push_back(
            protocol::encodePushRequest(who.kioskId, {submitEvent(who.kioskId, who.slot, i + 1, i, key)}));
    CURL* curl = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, ("Authorization: Bearer " + who.token).c_str());
    headers = curl_slist_append(headers, "Content-Type: application/json");
    const std::string url = server.url() + "/api/v1/push";
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    int failed = 0;
    const double t0 = bench::nowMs();
    for (const std::string& body : bodies) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(body.size()));
        long status = 0;
        if (curl_easy_perform(curl) != CURLE_OK)
            ++failed;
        else if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status != 200)
            ++failed;
    }
    const double s = (bench::nowMs() - t0) / 1000;
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (failed) die("naive client: " + std::to_string(failed) + " pushes failed");
    return s;
}

// n changes for kCommune at the district, pushed by another kiosk through the store's push path.
void produceChanges(Server& server, int n) {
    const district::Enrollment producer = server.enroll();
    auto store = must(district::DistrictStore::open(server.db, false), "district store");
    const district::KioskIdentity id{producer.kioskId, producer.commune, false, producer.slot};
    const store::PublicKey key = *store::publicKeyFromBase64(server.districtKey());
    int64_t seq = 0;
    for (int done = 0; done < n;) {
        const int batch = std::min(500, n - done);
        std::vector<Event> events;
        for (int i = 0; i < batch; ++i)
            events.push_back(submitEvent(producer.kioskId, producer.slot, ++seq, done + i, key));
        auto request =
            must(protocol::decodePushRequest(protocol::encodePushRequest(producer.kioskId, events)),
                 "decode push");
        store::Transaction tx(store->database());
        must(tx.begun(), "begin");
        auto answer =
            must(applyPush(*store, id, request, int64_t(wallClockMillis()), DeadlineRules{}), "applyPush");
        if (!answer.sequenceOk) die("producer: sequence refused");
        for (const auto& r : answer.response.results)
            if (r.verdict != protocol::Verdict::Accepted)
                die("producer: event not accepted: " + (r.reason ? r.reason->en : ""));
        must(tx.commit(), "commit");
        done += batch;
    }
}

int argInt(int argc, char** argv, const char* name, int fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == name) return std::atoi(argv[i + 1]);
    return fallback;
}

}  // namespace

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::printf(
                "bench_sync: sync.push_10k_s, sync.bytes_per_event, sync.pull_100k_s (one JSON line each)\n"
                "usage: bench_sync [--quick] [--dir DIR] [--push N] [--pull N] [--reps R] [--pull-reps R]\n"
                "                  [--naive N] [--only-pull 1]\n"
                "  --quick        smaller sizes: push 1,000, pull 5,000, naive sample 100\n"
                "  --dir DIR      where the databases go (default: a new /var/tmp/kiosk-bench-sync-XXXXXX)\n"
                "  --push N       events queued for the push (default 10,000)\n"
                "  --pull N       changes at the district for the pull (default 100,000)\n"
                "  --reps R       push runs (default 3; a run over 60 s is not repeated)\n"
                "  --pull-reps R  pull runs (default 3; 1 with --quick)\n"
                "  --naive N      events the naive one-POST-per-event client sends (default 1,000)\n"
                "  --only-pull 1  skip the push and bytes metrics\n");
            return 0;
        }
    }
    const bool quick = bench::quickMode(argc, argv);
    const int pushN = argInt(argc, argv, "--push", quick ? 1000 : 10000);
    const int pullN = argInt(argc, argv, "--pull", quick ? 5000 : 100000);
    const int reps = argInt(argc, argv, "--reps", 3);
    const int pullReps = argInt(argc, argv, "--pull-reps", quick ? 1 : 3);
    // At ~50 ms a request (measured 2026-11-26) the naive client would take minutes: it sends a
    // sample and its time is scaled to the same event count.
    const int naiveN = std::min(pushN, argInt(argc, argv, "--naive", quick ? 100 : 1000));
    std::string dir;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--dir") dir = argv[i + 1];
    if (dir.empty()) {
        char pattern[] = "/var/tmp/kiosk-bench-sync-XXXXXX";
        if (!mkdtemp(pattern)) die("mkdtemp");
        dir = pattern;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const ReferenceData ref = must(loadReferenceData(assetsDir()), "assets");
    const std::string sizeNote = quick ? "--quick: " : "";
    // Bytes per event hardly depend on the count (batches of 500 either way); 2,000 keeps it short.
    const int bytesN = std::min(pushN, 2000);

    const bool only = argInt(argc, argv, "--only-pull", 0) != 0;
    // sync.push_10k_s beside raw-sqlite and naive-client
    if (!only) {
        double naive = 0;
        std::vector<double> push, raw;
        for (int rep = 0; rep < reps; ++rep) {
            Server server(dir + "/push-district-" + std::to_string(rep) + ".db");
            const district::Enrollment who = server.enroll();
            const std::string path = dir + "/push-kiosk-" + std::to_string(rep) + ".db";
            auto kioskStore = makeKiosk(path, ref, who.slot, server, server.url(), who.token);
            fillQueue(*kioskStore, pushN);
            raw.push_back(rawInsert(*kioskStore, dir + "/raw-" + std::to_string(rep) + ".db"));
            const PushRun run = pushAll(path);
            push.push_back(run.untilEmptyS);
            // On stderr, beside the JSON: the CPU kiosk and district spent together (two cores here).
            std::fprintf(stderr, "push run %d: %.2f s wall, %.2f s CPU (kiosk and district)\n", rep + 1,
                         run.untilEmptyS, run.cpuS);
            // A run longer than a minute is not repeated: the full run must stay within its budget.
            const bool last = rep == reps - 1 || push.back() > 60;
            if (last) {
                naive = naivePush(server, naiveN) * pushN / naiveN;
                break;
            }
        }
        const auto s = bench::stats(push);
        bench::report("sync.push_10k_s", s, "s",
                      {{"raw-sqlite", bench::stats(raw).median}, {"naive-client", naive}},
                      sizeNote + std::to_string(pushN) + " events, " + std::to_string(push.size()) +
                          " run(s); from runOnce until every event is acknowledged (outbox empty); "
                          "naive-client timed on " +
                          std::to_string(naiveN) + " POSTs and scaled to " + std::to_string(pushN));
    }

    // sync.bytes_per_event: the same push through a counting proxy
    if (!only) {
        Server server(dir + "/bytes-district.db");
        const district::Enrollment who = server.enroll();
        CountingProxy proxy(server.port);
        const std::string path = dir + "/bytes-kiosk.db";
        auto kioskStore = makeKiosk(path, ref, who.slot, server, server.url(proxy.port()), who.token);
        fillQueue(*kioskStore, bytesN);
        // Bytes sent until the outbox is empty: read the counter at that moment.
        int64_t up = 0;
        pushAll(path, [&] { up = proxy.upBytes(); });
        const double perEvent = double(up) / bytesN;
        bench::Stats s;
        s.median = s.min = s.max = s.p99 = perEvent;
        s.n = 1;
        bench::report("sync.bytes_per_event", s, "B", {},
                      std::to_string(bytesN) +
                          " events; bytes the kiosk sent (HTTP headers + gzip JSON "
                          "bodies, batches of up to 500) until its outbox was empty");
    }

    // sync.pull_100k_s
    {
        Server server(dir + "/pull-district.db");
        produceChanges(server, pullN);
        std::vector<double> pull;
        int64_t pulled = 0;
        for (int rep = 0; rep < pullReps; ++rep) {
            const district::Enrollment who = server.enroll();
            const std::string path = dir + "/pull-kiosk-" + std::to_string(rep) + ".db";
            auto kioskStore = makeKiosk(path, ref, who.slot, server, server.url(), who.token);
            kioskStore.reset();
            client::SyncEngine engine(engineOptions(path));
            const double t0 = bench::nowMs();
            const double cpu0 = processCpuSeconds();
            auto result = engine.runOnce(std::chrono::minutes(20));
            pull.push_back((bench::nowMs() - t0) / 1000);
            // On stderr, beside the JSON: the CPU the whole process (kiosk and district) spent,
            // steadier than the wall time on a shared machine.
            std::fprintf(stderr, "pull run %d: %.2f s wall, %.2f s CPU (kiosk and district)\n", rep + 1,
                         pull.back(), processCpuSeconds() - cpu0);
            if (result.end != client::PassEnd::Done) die("pull pass did not finish");
            if (result.pulled < pullN)
                die("pulled " + std::to_string(result.pulled) + " of " + std::to_string(pullN));
            pulled = result.pulled;
        }
        bench::report("sync.pull_100k_s", bench::stats(pull), "s", {},
                      sizeNote + std::to_string(pulled) + " changes pulled and applied by a fresh kiosk, " +
                          std::to_string(pullReps) + " run(s)");
    }
    std::filesystem::remove_all(dir);
    curl_global_cleanup();
    return 0;
}
