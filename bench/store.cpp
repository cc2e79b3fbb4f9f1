// store.submit_ms, store.status_lookup_us, store.search_ms, store.officer_search_10k_ms — the kiosk
// store on a real file.
//   bench_store [--quick] [--dir DIR]
// Peer: raw-sqlite, one fsynced INSERT commit on the same disk (the floor a durable submit sits on).
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/bench_util.h"
#include "core/receipt_code.h"
#include "core/record_search.h"
#include "core/validation.h"
#include "kiosk/store/kiosk_store.h"
#include "kiosk/store/officers.h"

using namespace kiosk;

namespace {

std::string tempDir(int argc, char** argv) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--dir") return argv[i + 1];
    char pattern[] = "/var/tmp/kiosk-bench-XXXXXX";
    return mkdtemp(pattern);
}

std::unique_ptr<store::KioskStore> freshStore(const std::string& path, const ReferenceData& ref) {
    std::filesystem::remove(path);
    auto s = store::KioskStore::open(path, true);
    if (!s) {
        std::fprintf(stderr, "%s\n", s.error().en.c_str());
        std::exit(1);
    }
    store::KioskConfig c;
    c.commune = "02374";
    c.slot = 7;
    if (auto ok = (*s)->configure(c, ref); !ok) {
        std::fprintf(stderr, "%s\n", ok.error().en.c_str());
        std::exit(1);
    }
    return std::move(s.value());
}

// One durable submit as the kiosk does it: validate + normalise the form, then the transaction.
double submitOnce(store::KioskStore& s, int i) {
    PetitionInput in{
        "khieu-nai",    "Nguyễn Văn An",
        "008090001234", "0912 345 678",
        "Thôn 3",       "Đề nghị xem xét lại việc thu hồi đất của gia đình tôi, lần " + std::to_string(i)};
    const double t0 = bench::nowMs();
    Validation v = validatePetition(in, s.reference().cccdProvinces, s.reference().mobilePrefixes);
    if (!v.ok()) std::exit(2);
    auto r = s.createRecord(v.record, Actor{Role::Kiosk, ""}, 1764122400 + i);
    if (!r) {
        std::fprintf(stderr, "%s\n", r.error().en.c_str());
        std::exit(1);
    }
    return bench::nowMs() - t0;
}

double rawCommitOnce(store::Database& db, int i) {
    const double t0 = bench::nowMs();
    auto st = db.prepare("INSERT INTO t(v) VALUES(?)");
    st->bind(1, "row " + std::to_string(i));
    if (!st->run()) std::exit(1);
    return bench::nowMs() - t0;
}

// Fills the records table with n synthetic rows in one transaction (the lookup's index is what is
// measured, not how the rows got there).
void fill(store::KioskStore& s, int n) {
    store::Database& db = s.database();
    db.exec("BEGIN");
    auto rec = db.prepare(
        "INSERT INTO records(code, kind, petition_kind, commune, status, submitted_at, received_on, due, "
        "phone_check, updated_hlc) VALUES(?, 'petition', 'phan-anh', '02374', 'received', 0, '2025-01-02', "
        "'2025-01-16', 'x', 0)");
    auto ev = db.prepare(
        "INSERT INTO events(uuid, record_code, action, actor_role, actor_id, hlc, at, payload, status_after, "
        "origin) VALUES(?, ?, 'submit', 'kiosk', 'k', 0, 0, '{}', 'received', 'local')");
    for (int i = 0; i < n; ++i) {
        const std::string code = makeReceiptCode("02374", 99, uint64_t(i) + 1);
        rec->bind(1, code);
        rec->run();
        ev->bind(1, "00000000-0000-4000-8000-" + std::to_string(100000000000LL + i)).bind(2, code);
        ev->run();
    }
    db.exec("COMMIT");
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = bench::quickMode(argc, argv);
    const std::string dir = tempDir(argc, argv);
    auto ref = loadReferenceData(assetsDir());
    if (!ref) {
        std::fprintf(stderr, "%s\n", ref.error().en.c_str());
        return 1;
    }

    // store.submit_ms beside raw-sqlite
    {
        auto s = freshStore(dir + "/submit.db", *ref);
        auto raw = store::Database::open(dir + "/raw.db", true);
        raw->exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
        const int n = quick ? 100 : 400;
        std::vector<double> submit, rawCommit;
        for (int i = 0; i < n; ++i) {
            submit.push_back(submitOnce(*s, i));
            rawCommit.push_back(rawCommitOnce(*raw, i));
        }
        bench::report("store.submit_ms", bench::stats(submit), "ms",
                      {{"raw-sqlite", bench::stats(rawCommit).median}});
    }
    // store.status_lookup_us with 1,000,000 records (--quick: 100,000)
    {
        const int records = quick ? 100000 : 1000000;
        auto s = freshStore(dir + "/lookup.db", *ref);
        fill(*s, records);
        std::vector<double> lookups;
        for (int i = 0; i < 2000; ++i) {
            const std::string code = makeReceiptCode("02374", 99, uint64_t((i * 7919) % records) + 1);
            const double t0 = bench::nowMs();
            auto parsed = parseReceiptCode(code);
            auto found = s->find(parsed->digits);
            if (!found || !*found) return 1;
            auto match = s->phoneMatches(**found, "5678");
            lookups.push_back((bench::nowMs() - t0) * 1000.0);
            if (!match) return 1;
        }
        bench::report("store.status_lookup_us", bench::stats(lookups), "us", {},
                      std::to_string(records) + " records");
    }
    // store.search_ms, with and without diacritics
    {
        auto s = freshStore(dir + "/search.db", *ref);
        const char* queries[] = {"đăng ký khai sinh", "dang ky khai sinh", "chứng thực", "chung thuc",
                                 "kết hôn",           "ket hon",           "hộ tịch",    "ho tich"};
        std::vector<double> times;
        for (int round = 0; round < 100; ++round)
            for (const char* q : queries) {
                const double t0 = bench::nowMs();
                auto hits = s->searchCatalog(q);
                times.push_back(bench::nowMs() - t0);
                if (!hits || hits->empty()) {
                    std::fprintf(stderr, "no hit for %s\n", q);
                    return 1;
                }
            }
        bench::report("store.search_ms", bench::stats(times), "ms");
    }
    // store.officer_search_10k_ms: an officer's search by name or phone after login — every record's
    // seal opened in memory (what kioskctl find and the console do), then matched. 10,000 records
    // (--quick: 1,000) submitted as citizens do; the login's argon2id is outside the timing.
    {
        const int records = quick ? 1000 : 10000;
        auto s = freshStore(dir + "/officer.db", *ref);
        if (!store::addOfficer(*s, {"cb01", "Trần Văn Bình", "officer", false}, "2468101214")) return 1;
        for (int i = 0; i < records; ++i) submitOnce(*s, i);
        auto session = store::loginOfficer(*s, "cb01", "2468101214", 1764122400);
        if (!session) {
            std::fprintf(stderr, "%s\n", session.error().en.c_str());
            return 1;
        }
        s->unlock(session->secret);
        store::ListFilter all;
        all.limit = records;
        const Date today{2025, 12, 1};
        std::vector<double> times;
        for (int round = 0; round < 5; ++round) {
            const double t0 = bench::nowMs();
            auto listed = s->list(all, today);
            const RecordQuery query = parseRecordQuery(round % 2 ? "0912 345" : "nguyen an");
            size_t hits = 0;
            if (listed)
                for (const Record& r : *listed) hits += matchesRecordQuery(r, query);
            times.push_back(bench::nowMs() - t0);
            if (hits != size_t(records)) {
                std::fprintf(stderr, "officer search: %zu hits\n", hits);
                return 1;
            }
        }
        bench::report("store.officer_search_10k_ms", bench::stats(times), "ms", {},
                      std::to_string(records) + " records");
    }
    std::filesystem::remove_all(dir);
    return 0;
}
