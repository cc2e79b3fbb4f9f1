// district.dashboard_page_p95_ms — every dashboard page as an officer's browser loads it, on a
// district of 10,000 records.
//   bench_dashboard_pages [--quick] [--records N] [--rounds R] [--no-index]
// A district database in /var/tmp with N records (default 10,000) over the 18 communes and the last
// two years, written straight into the tables the pushes fill (as bench_district does), and an
// admin. Then a real DistrictServer on loopback, and for each page the requests
// its script makes, one after the other as app.js makes them: the page shell, then its APIs
// (overview; communes + records; record; report for the year so far; communes + receptions;
// identity-reads), and an inspector's identity search by name (POST /dash/api/identity-search): every
// record carries its citizen's identity sealed to the district's key, as the kiosks send it, and the
// keyed index of those identities (district/office/identity_index.h) is made before the server
// starts, as its indexer thread would have made it; the search opens the seals of the records that
// hold the name's tokens, and of the tố cáo, which hold none. --no-index leaves the index out (and
// the server's indexer off): the search then opens the newest 5,000 records' seals, as it did before
// there was an index. A page's time is the sum; the metric is the slowest page's p95 over R rounds
// (default 40; --quick 10), each page's p95 a peer beside it, with the time the index took to make and
// the seals one search opened.
#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "bench/bench_dashboard.h"
#include "bench/bench_util.h"
#include "common/sealing.h"
#include "core/private_part.h"
#include "core/reference_data.h"
#include "district/office/identity_index.h"
#include "district/office/keys.h"
#include "district/office/officers.h"
#include "district/server/district_server.h"
#include "district/store/district_store.h"

using namespace kiosk;
using namespace kiosk::district;
using bench::argValue;
using bench::die;

namespace {

// The name the identity search looks for: one record in a thousand bears it, so a search without the
// index opens every one of its 5,000 candidates' seals and shows a handful.
constexpr const char* kSoughtName = "Triệu Thị Tìm";

// Each record's submit event, its citizen sealed to the district's key as a kiosk seals it
// (payload.sealed; nothing else of the payload is read by the pages measured).
void sealIdentities(store::Database& db, const std::string& publicKey, int64_t n) {
    const auto recipient = common::publicKeyFromBase64(publicKey);
    if (!recipient) die("district key");
    auto st = db.prepare(
        "INSERT INTO events(uuid, kiosk, seq, record, action, actor_role, actor_id, hlc, at, payload, "
        "received_at, verdict) VALUES(?, 'bench', ?, ?, 'submit', 'kiosk', 'bench', 0, 0, ?, 0, 'accepted')");
    if (!st) die(st.error().en);
    for (int64_t i = 0; i < n; ++i) {
        PrivatePart part;
        part.identity.name = i % 1000 == 7 ? kSoughtName : "Nguyễn Văn Dân " + std::to_string(i);
        part.identity.phone = "09" + std::to_string(10000000 + i);
        part.identity.cccd = "0010900" + std::to_string(10000 + i);
        part.content = "Kiến nghị về đường thôn số " + std::to_string(i) + ".";
        const nlohmann::json payload{{"sealed", common::seal(privatePartToJson(part), *recipient)}};
        st->bind(1, "bench-" + std::to_string(i))
            .bind(2, i + 1)
            .bind(3, "B" + std::to_string(1000000000 + i));
        st->bind(4, payload.dump());
        if (!st->run()) die("insert event");
        st->reset();
    }
}

// N records over the last two years: 60 % petitions, most of them finished within 45 days, the rest
// open (some overdue), each with its sealed identity; returns one record's code for the record page.
std::string fill(DistrictStore& store, const ReferenceData& ref, int64_t n) {
    auto& db = store.database();
    auto key = ensureDistrictKey(store, "", int64_t(wallClockMillis()));
    if (!key) die(key.error().en);
    if (!db.exec("BEGIN IMMEDIATE")) die("begin");
    auto st = db.prepare(
        "INSERT INTO records(code, kind, petition_kind, procedure, commune, status, submitted_at, "
        "received_on, "
        "due, delivery, finished_on, event_count, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,1,0)");
    if (!st) die(st.error().en);
    std::mt19937 random(7);
    const Date last = localFromUnix(int64_t(wallClockMillis() / 1000)).date;
    const Date first = last.plusDays(-730);
    static const char* petitionKinds[] = {"khieu-nai", "to-cao", "kien-nghi", "phan-anh"};
    for (int64_t i = 0; i < n; ++i) {
        const Date received = first.plusDays(int(random() % 730));
        const bool petition = random() % 10 < 6;
        std::optional<Date> finished;
        if (random() % 10 < 8) finished = received.plusDays(1 + int(random() % 45));
        if (finished && *finished > last) finished.reset();
        const std::string status =
            petition ? (finished ? "resolved" : "accepted") : (finished ? "result-ready" : "processing");
        st->bind(1, "B" + std::to_string(1000000000 + i)).bind(2, petition ? "petition" : "dossier");
        if (petition)
            st->bind(3, petitionKinds[random() % 4]).bindNull(4);
        else
            st->bindNull(3).bind(4, "1.001193");
        st->bind(5, ref.communes[size_t(random() % ref.communes.size())].code)
            .bind(6, status)
            .bind(7, int64_t(received.toDays() * 86400))
            .bind(8, received.iso())
            .bind(9, received.plusDays(10 + int(random() % 30)).iso())
            .bind(10, "counter");
        if (finished)
            st->bind(11, finished->iso());
        else
            st->bindNull(11);
        if (!st->run()) die("insert");
        st->reset();
    }
    sealIdentities(db, *key, n);
    if (!db.exec("COMMIT")) die("commit");
    if (!db.exec("ANALYZE")) die("analyze");
    return "B" + std::to_string(1000000000 + n / 2);
}

// The index as the server's indexer makes it, in its batches; returns the milliseconds it took.
double makeIndex(DistrictStore& store) {
    const double start = bench::nowMs();
    auto ring = DistrictKeyRing::load(store);
    if (!ring) die(ring.error().en);
    if (auto ok = alignIdentityIndex(store, *ring); !ok) die(ok.error().en);
    std::string after;
    while (true) {
        auto indexed = indexIdentities(store, *ring, IdentityIndexerOptions{}.batch, after);
        if (!indexed) die(indexed.error().en);
        if (*indexed == 0) break;
    }
    return bench::nowMs() - start;
}

double p95(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(double(v.size()) * 0.95))];
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = bench::quickMode(argc, argv);
    const int64_t n = std::atoll(argValue(argc, argv, "--records", "10000").c_str());
    const int rounds = std::atoi(argValue(argc, argv, "--rounds", quick ? "10" : "40").c_str());
    bool noIndex = false;
    for (int i = 1; i < argc; ++i) noIndex |= std::string(argv[i]) == "--no-index";
    double indexMs = 0;
    char pattern[] = "/var/tmp/dashboard-bench-XXXXXX";
    if (!mkdtemp(pattern)) die("mkdtemp");
    const std::string dir = pattern;
    const std::string path = dir + "/district.db";
    auto ref = loadReferenceData(assetsDir());
    if (!ref) die(ref.error().en);
    std::string code;
    {
        auto store = DistrictStore::open(path, true);
        if (!store) die(store.error().en);
        code = fill(**store, *ref, n);
        if (!noIndex) indexMs = makeIndex(**store);
        if (auto ok =
                addDistrictOfficer(**store, DistrictOfficer{"bench", "Cán bộ đo", OfficerRole::Admin, false},
                                   "mat-khau-do-hieu-nang", int64_t(wallClockMillis()));
            !ok)
            die(ok.error().en);
        // The identity search is an inspector's (and an officer's), not an admin's.
        if (auto ok = addDistrictOfficer(
                **store, DistrictOfficer{"tim", "Thanh tra đo", OfficerRole::Inspector, false},
                "mat-khau-do-hieu-nang", int64_t(wallClockMillis()));
            !ok)
            die(ok.error().en);
    }
    ServerOptions options;
    options.dbPath = path;
    options.log = [](const std::string&) {};
    if (noIndex) options.identityIndexIntervalMs = 0;
    auto server = DistrictServer::create(options, ref->deadlineRules());
    if (!server) die(server.error().en);
    auto port = (*server)->bind();
    if (!port) die(port.error().en);
    std::thread serving([&] { (void)(*server)->run(); });

    const Date today = localFromUnix(int64_t(wallClockMillis() / 1000)).date;
    const std::string year = std::to_string(today.year) + "-01-01";
    // Each page: its shell, then the requests its script makes, in order.
    const std::vector<std::pair<std::string, std::vector<std::string>>> pages{
        {"overview", {"/", "/dash/api/overview"}},
        {"records", {"/records", "/dash/api/communes", "/dash/api/records?"}},
        {"record", {"/record?code=" + code, "/dash/api/record?code=" + code}},
        {"report", {"/report", "/dash/api/report?from=" + year + "&to=" + today.iso()}},
        {"receptions", {"/receptions", "/dash/api/communes", "/dash/api/receptions?from=" + year}},
        {"admin", {"/admin", "/dash/api/identity-reads"}},
        {"identity-search", {"POST /dash/api/identity-search"}},  // an inspector's, typed on /records
    };
    const std::string searchBody = nlohmann::json{{"query", kSoughtName}}.dump();
    std::map<std::string, std::vector<double>> times;
    int64_t opened = 0;  // seals the last search opened
    {
        httplib::Client c("127.0.0.1", *port);
        c.set_read_timeout(60, 0);
        const httplib::Headers cookie = bench::dashboardLogIn(c, "bench", "mat-khau-do-hieu-nang");
        httplib::Headers inspector = bench::dashboardLogIn(c, "tim", "mat-khau-do-hieu-nang");
        auto session = c.Get("/dash/api/session", inspector);
        if (!session || session->status != 200) die("GET /dash/api/session");
        inspector.emplace("X-CSRF-Token", nlohmann::json::parse(session->body).value("csrf", ""));
        for (int round = -1; round < rounds; ++round)  // round -1 warms the caches, not counted
            for (const auto& [name, urls] : pages) {
                const double start = bench::nowMs();
                for (const std::string& url : urls) {
                    const bool post = url.rfind("POST ", 0) == 0;
                    auto res = post ? c.Post(url.substr(5), inspector, searchBody, "application/json")
                                    : c.Get(url, cookie);
                    if (!res || res->status != 200)
                        die(url + " -> " + (res ? std::to_string(res->status) : "no answer"));
                    if (post) {
                        const auto answer = nlohmann::json::parse(res->body);
                        if (answer["records"].empty()) die("search found nothing");
                        opened = answer.value("opened", int64_t(0));
                    }
                }
                if (round >= 0) times[name].push_back(bench::nowMs() - start);
            }
    }
    (*server)->stop();
    serving.join();
    std::filesystem::remove_all(dir);

    std::vector<bench::Peer> peers;
    std::vector<double> worst;
    std::string slowest;
    for (const auto& [name, urls] : pages) {
        const double p = p95(times[name]);
        peers.push_back({name + "-p95", p});
        if (worst.empty() || p > worst[0]) {
            worst = {p};
            slowest = name;
        }
    }
    peers.push_back({"identity-search-seals-opened", double(opened)});
    if (!noIndex) peers.push_back({"identity-index-make-ms", indexMs});
    bench::Stats s = bench::stats(worst);
    s.n = size_t(rounds) * pages.size();
    bench::report("district.dashboard_page_p95_ms", s, "ms", peers,
                  std::to_string(n) + " records; p95 of " + std::to_string(rounds) +
                      " rounds per page (shell + its APIs, one connection); slowest page: " + slowest +
                      (noIndex ? "; no identity index" : ""));
    return 0;
}
