// district.report_1m_ms, district.dashboard_ms — the district's report and dashboard on a large file.
//   bench_district [--quick] [--dir DIR [--reuse]] [--records N] [--db URI [--reuse]]
// A district database in $TMPDIR (or DIR) with N petitions and dossiers (default 1,000,000; --quick
// 100,000) spread over the 18 communes and three years, written straight into the tables the pushes
// fill (the ingest path is bench_district_ingest's). report_1m_ms: the whole report (both periods,
// every commune) for January–September of the last year, median of several runs. dashboard_ms: the
// first page a logged-in officer gets from a real DistrictServer on loopback (GET /, the page shell),
// plus, reported apart, its data (GET /dash/api/overview) on the same file.
// Peers: raw-scan, a bare SELECT count(*) over the records (the floor a full-table report sits on);
// cpu-time, this thread's CPU time for the report; peak-rss-mb, the process's peak resident memory
// after the reports (the filling's and the reports' highest, the server not started yet).
// --db: the district database a postgresql:// URI names instead of a file (an empty database, or
// with --reuse one an earlier run filled); the metrics are then named district.pg.* and the
// database is left as it is.
#include <httplib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "bench/bench_dashboard.h"
#include "bench/bench_util.h"
#include "core/reference_data.h"
#include "district/office/officers.h"
#include "district/server/district_server.h"
#include "district/store/district_store.h"
#include "district/review/report.h"

using namespace kiosk;
using namespace kiosk::district;
using bench::argValue;
using bench::die;

namespace {

// Fills records (and their report dates) in one transaction: the figures the report reads, as the
// pushes and the report triggers would have left them.
void fill(DistrictStore& store, const ReferenceData& ref, int64_t n) {
    auto& db = store.database();
    if (!db.exec("BEGIN IMMEDIATE")) die("begin");
    auto st = db.prepare(
        "INSERT INTO records(code, kind, petition_kind, procedure, commune, status, submitted_at, "
        "received_on, due, "
        "delivery, finished_on, delivered_on, rating, event_count, updated_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,1,0)");
    if (!st) die(st.error().en);
    std::mt19937 random(42);
    const Date first{2024, 1, 1};
    const Date last = localFromUnix(int64_t(wallClockMillis() / 1000)).date;
    const int span = int(last.toDays() - first.toDays());
    static const char* petitionKinds[] = {"khieu-nai", "to-cao", "kien-nghi", "phan-anh"};
    static const char* ratings[] = {"very-satisfied", "satisfied", "unsatisfied"};
    for (int64_t i = 0; i < n; ++i) {
        const std::string commune = ref.communes[size_t(random() % ref.communes.size())].code;
        const Date received = first.plusDays(int(random() % uint32_t(span)));
        const bool petition = random() % 10 < 6;
        const Date due = received.plusDays(10 + int(random() % 30));
        const uint32_t fate = random() % 10;
        std::optional<Date> finished;
        if (fate < 8) finished = received.plusDays(1 + int(random() % 45));
        if (finished && *finished > last) finished.reset();
        std::string status;
        if (petition)
            status = !finished   ? (fate % 2 ? "accepted" : "received")
                     : fate == 7 ? "not-accepted"
                                 : "resolved";
        else
            status = !finished   ? "processing"
                     : fate == 7 ? "refused"
                     : fate % 2  ? "delivered"
                                 : "result-ready";
        const bool post = !petition && random() % 4 == 0;
        std::optional<Date> delivered;
        if (status == "delivered") delivered = *finished;
        st->bind(1, "B" + std::to_string(1000000000 + i)).bind(2, petition ? "petition" : "dossier");
        if (petition)
            st->bind(3, petitionKinds[random() % 4]).bindNull(4);
        else
            st->bindNull(3).bind(4, "1.001193");
        st->bind(5, commune)
            .bind(6, status)
            .bind(7, int64_t(received.toDays() * 86400))
            .bind(8, received.iso())
            .bind(9, due.iso())
            .bind(10, post ? "post" : "counter");
        if (finished)
            st->bind(11, finished->iso());
        else
            st->bindNull(11);
        if (delivered)
            st->bind(12, delivered->iso());
        else
            st->bindNull(12);
        if (delivered && random() % 3 == 0)
            st->bind(13, ratings[random() % 3]);
        else
            st->bindNull(13);
        if (!st->run()) die("insert");
        st->reset();
    }
    if (!db.exec("COMMIT")) die("commit");
    if (!db.exec("ANALYZE")) die("analyze");
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = bench::quickMode(argc, argv);
    const int64_t n = std::atoll(argValue(argc, argv, "--records", quick ? "100000" : "1000000").c_str());
    const bool reuseAsked = [&] {
        for (int i = 1; i < argc; ++i)
            if (std::string(argv[i]) == "--reuse") return true;
        return false;
    }();
    const std::string uri = argValue(argc, argv, "--db", "");
    const bool postgres = !uri.empty();
    if (postgres && !kiosk::store::isPostgresTarget(uri)) die("--db takes a postgresql:// URI");
    const std::string prefix = postgres ? "district.pg." : "district.";
    std::string dir = argValue(argc, argv, "--dir", "");
    if (dir.empty() && !postgres) {
        char pattern[] = "/var/tmp/district-bench-XXXXXX";
        if (!mkdtemp(pattern)) die("mkdtemp");
        dir = pattern;
    }
    const std::string path = postgres ? uri : dir + "/district.db";
    // --reuse: a file left by an earlier run with --dir (or a database filled by one) is measured
    // again as it is.
    const bool reuse = reuseAsked && (postgres || std::filesystem::exists(path));
    if (!reuse && !postgres) std::filesystem::remove(path);
    auto ref = loadReferenceData(assetsDir());
    if (!ref) die(ref.error().en);
    auto store = DistrictStore::open(path, true);
    if (!store) die(store.error().en);
    if (!reuse) {
        const double t0 = bench::nowMs();
        fill(**store, *ref, n);
        std::fprintf(stderr, "bench_district: %lld records written in %.0f ms\n", static_cast<long long>(n),
                     bench::nowMs() - t0);
    }

    // [SECTION] the report
    const Date today = localFromUnix(int64_t(wallClockMillis() / 1000)).date;
    const Date from{today.year - 1, 1, 1};
    const Date to{today.year - 1, 9, 30};
    const WorkingCalendar calendar = ref->calendar();
    std::vector<double> reportMs, scanMs, cpuMs;
    auto threadCpuMs = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return double(t.tv_sec) * 1000.0 + double(t.tv_nsec) / 1e6;
    };
    for (int i = 0; i < (quick ? 3 : 5); ++i) {
        const double start = bench::nowMs();
        const double cpuStart = threadCpuMs();
        auto report = computeReport(**store, from, to, *ref, calendar, today);
        if (!report) die(report.error().en);
        reportMs.push_back(bench::nowMs() - start);
        cpuMs.push_back(threadCpuMs() - cpuStart);
        const double scan = bench::nowMs();
        auto count = (*store)->database().prepare("SELECT count(*) FROM records");
        if (!count || !count->step()) die("count");
        scanMs.push_back(bench::nowMs() - scan);
    }
    // The CPU time beside the wall time: on a busy machine the wall time also counts waiting for a core.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double peakRssMb = double(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
    bench::report(
        prefix + "report_1m_ms", bench::stats(reportMs), "ms",
        {{"raw-scan", bench::stats(scanMs).median},
         {"cpu-time", bench::stats(cpuMs).median},
         {"peak-rss-mb", peakRssMb}},
        std::to_string(n) + " records, 18 communes, both periods" + (postgres ? ", PostgreSQL" : ""));

    // [SECTION] the dashboard
    if (auto ok =
            addDistrictOfficer(**store, DistrictOfficer{"bench", "Cán bộ đo", OfficerRole::Officer, false},
                               "mat-khau-do-hieu-nang", int64_t(wallClockMillis()));
        !ok && ok.error().code != "officer.exists")
        die(ok.error().en);
    store->reset();
    ServerOptions options;
    options.dbPath = path;
    options.log = [](const std::string&) {};
    auto server = DistrictServer::create(options, ref->deadlineRules());
    if (!server) die(server.error().en);
    auto port = (*server)->bind();
    if (!port) die(port.error().en);
    std::thread serving([&] { (void)(*server)->run(); });
    {
        httplib::Client c("127.0.0.1", *port);
        c.set_read_timeout(60, 0);
        const httplib::Headers cookie = bench::dashboardLogIn(c, "bench", "mat-khau-do-hieu-nang");
        std::vector<double> pageMs, dataMs;
        for (int i = 0; i < (quick ? 5 : 20); ++i) {
            httplib::Client fresh("127.0.0.1", *port);  // a new connection, as a browser's first visit
            const double start = bench::nowMs();
            auto res = fresh.Get("/", cookie);
            if (!res || res->status != 200) die("GET /");
            pageMs.push_back(bench::nowMs() - start);
        }
        for (int i = 0; i < (quick ? 2 : 5); ++i) {
            const double start = bench::nowMs();
            auto res = c.Get("/dash/api/overview", cookie);
            if (!res || res->status != 200) die("GET /dash/api/overview");
            dataMs.push_back(bench::nowMs() - start);
        }
        bench::report(prefix + "dashboard_ms", bench::stats(pageMs), "ms", {},
                      "GET / (page shell) for a logged-in officer, new connection");
        bench::report(prefix + "dashboard_overview_ms", bench::stats(dataMs), "ms", {},
                      "GET /dash/api/overview on " + std::to_string(n) + " records");
    }
    (*server)->stop();
    serving.join();
    if (!postgres && argValue(argc, argv, "--dir", "").empty()) std::filesystem::remove_all(dir);
    return 0;
}
