// Crash atomicity: a child process submits petitions in a loop and is SIGKILLed at random moments,
// at least 100 times. After each kill the file passes PRAGMA integrity_check and every event has its
// record and outbox row, and every outbox row its event (docs/sync-rules.md rule 1). The child reports each
// commit on a pipe: the parent kills it after a random number of commits plus a random delay (so
// the kills land mid-stream however slow the build is), and every commit the child saw succeed
// must be in the file afterwards.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include "tests/support/store_fixture.h"

using namespace kiosk;
using namespace testing_support;

namespace {

int64_t scalar(store::Database& db, const char* sql) {
    auto st = db.prepare(sql);
    REQUIRE(st.ok());
    REQUIRE(st->step().value());
    return st->integer(0);
}

// Writes one byte to `ack` after each commit.
[[noreturn]] void submitForever(const std::string& path, const Record& draft, int ack) {
    auto store = store::KioskStore::open(path, false);
    if (!store) _exit(3);
    for (int64_t i = 0;; ++i) {
        if (!(*store)->createRecord(draft, Actor{Role::Kiosk, ""}, 1764122400 + i).ok()) _exit(4);
        if (write(ack, "c", 1) != 1) _exit(5);
    }
}

// Reads `n` bytes (blocking), then whatever else is already there; returns how many were read.
int64_t readAcks(int fd, int n) {
    int64_t got = 0;
    char buffer[256];
    while (got < n) {
        const ssize_t r = read(fd, buffer, 1);
        if (r <= 0) return got;
        got += r;
    }
    const int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    for (ssize_t r; (r = read(fd, buffer, sizeof buffer)) > 0;) got += r;
    fcntl(fd, F_SETFL, flags);
    return got;
}

}  // namespace

TEST_CASE("SIGKILL at random moments leaves event, record and outbox all or nothing") {
    TempDir dir;
    const std::string path = dir.file("kiosk.db");
    Record draft;
    {
        auto store = makeKioskStore(path);
        draft = petitionDraft(*store);
    }
    std::mt19937 rng(20261126);
    std::uniform_int_distribution<int> commitsBeforeKill(1, 4);
    std::uniform_int_distribution<int> delayMicros(0, 3000);
    int64_t previous = 0;
    for (int round = 0; round < 100; ++round) {
        int ack[2];
        REQUIRE(pipe(ack) == 0);
        pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            close(ack[0]);
            submitForever(path, draft, ack[1]);
        }
        close(ack[1]);
        int64_t acked = readAcks(ack[0], commitsBeforeKill(rng));
        usleep(useconds_t(delayMicros(rng)));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        acked += readAcks(ack[0], 0);  // commits reported between the first read and the kill
        close(ack[0]);
        INFO("round " << round << ", commits the child saw succeed: " << acked);
        REQUIRE(WIFSIGNALED(status));  // it was still working, not failing
        REQUIRE(acked >= 1);

        auto db = store::Database::open(path, false);
        REQUIRE(db.ok());
        auto check = db->prepare("PRAGMA integrity_check");
        REQUIRE(check.ok());
        REQUIRE(check->step().value());
        CHECK(check->text(0) == "ok");
        CHECK(scalar(*db,
                     "SELECT COUNT(*) FROM events e LEFT JOIN records r ON r.code = e.record_code "
                     "WHERE r.code IS NULL") == 0);
        CHECK(scalar(*db,
                     "SELECT COUNT(*) FROM events e LEFT JOIN outbox o ON o.event_uuid = e.uuid "
                     "WHERE e.origin = 'local' AND o.seq IS NULL") == 0);
        CHECK(scalar(*db,
                     "SELECT COUNT(*) FROM outbox o LEFT JOIN events e ON e.uuid = o.event_uuid "
                     "WHERE e.uuid IS NULL") == 0);
        CHECK(scalar(*db,
                     "SELECT COUNT(*) FROM records r LEFT JOIN events e ON e.record_code = r.code "
                     "WHERE e.uuid IS NULL") == 0);
        // The outbox sequence stays gap-free.
        CHECK(scalar(*db, "SELECT COUNT(*) FROM outbox") ==
              scalar(*db, "SELECT COALESCE(MAX(seq),0) FROM outbox"));
        const int64_t now = scalar(*db, "SELECT COUNT(*) FROM records");
        CHECK(now >= previous + acked);  // nothing committed is lost
        previous = now;
    }
}
