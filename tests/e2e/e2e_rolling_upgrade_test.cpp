// A commune's kiosks upgraded one at a time: while one kiosk's officer marks a petition signed (an
// action 0.5.0 added), a kiosk of the same commune that says an older version keeps pulling, the
// change it cannot read held back from it, and receives that change once it says the newer version
// with the same token. The kiosks run today's sync engine against a real DistrictServer; the older
// one is told to call itself 0.4.0 (its User-Agent), as e2e_old_kiosk_engine_test.cpp does. The
// real 0.4.0 kioskctl meets the same server in e2e_old_kiosk_test.cpp (scripts/test --upgrade).
#include "sync/protocol/kiosk_version.h"
#include "tests/support/client_fixture.h"

using namespace kiosk;
using namespace client_test;
using client::PassEnd;
using server_test::RunningServer;

namespace {

// The actions of the record's events the kiosk holds, in the order it stored them.
std::vector<std::string> actionsAt(TestKiosk& k, const std::string& code) {
    auto st = k.store().database().prepare("SELECT action FROM events WHERE record_code = ? ORDER BY rowid");
    REQUIRE(st.ok());
    st->bind(1, code);
    std::vector<std::string> out;
    while (st->step().value()) out.push_back(st->text(0));
    return out;
}

// Every change of the feed a kiosk saying `version` is served from "0", and the last cursor.
std::pair<std::vector<protocol::Change>, std::string> pullAllAs(RunningServer& server,
                                                                const std::string& token,
                                                                const std::string& version) {
    auto c = server.client();
    std::vector<protocol::Change> changes;
    std::string cursor = "0";
    for (int page = 0; page < 20; ++page) {
        auto res = c->Get(("/api/v1/pull?since=" + cursor).c_str(),
                          {{"Authorization", "Bearer " + token}, {"User-Agent", "commune-kiosk/" + version}});
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 200);
        auto decoded = protocol::decodePullResponse(res->body);
        REQUIRE(decoded);
        changes.insert(changes.end(), decoded->changes.begin(), decoded->changes.end());
        cursor = decoded->next;
        if (!decoded->more) break;
    }
    return {changes, cursor};
}

bool carries(const std::vector<protocol::Change>& changes, Action action) {
    for (const auto& change : changes)
        for (const auto& e : change.events)
            if (e.action == action) return true;
    return false;
}

}  // namespace

TEST_CASE(
    "e2e: an older kiosk keeps pulling while a newer one marks signed, and gets the mark once upgraded") {
    RunningServer server;
    const auto first = server.enroll(server_test::kCommuneA);
    const auto second = server.enroll(server_test::kCommuneA);
    TestKiosk newer(server_test::kCommuneA, first.slot, url(server.port()), first.token);
    TestKiosk older(server_test::kCommuneA, second.slot, url(server.port()), second.token);
    client::SyncOptions asOld = fastOptions(older.path());
    asOld.appVersion = "0.4.0";  // reads withdraw-part and resume, not mark-signed

    const std::string code = newer.submit("khieu-nai").code;
    REQUIRE(newer.syncOnce().end == PassEnd::Done);
    REQUIRE(older.syncOnce(30s, asOld).end == PassEnd::Done);
    newer.act(code, Action::MarkSigned, "điểm chỉ");
    const std::string later = newer.submit("kien-nghi").code;  // after the mark in the feed
    auto pushed = newer.syncOnce();
    REQUIRE(pushed.end == PassEnd::Done);
    REQUIRE(pushed.pushed == 2);

    // The older kiosk's pull goes on past the mark it could not read: the later petition arrives.
    auto held = older.syncOnce(30s, asOld);
    INFO(describe(held));
    REQUIRE(held.end == PassEnd::Done);
    CHECK(older.store().find(later).value().has_value());
    CHECK(actionsAt(older, code) == std::vector<std::string>{"submit"});

    // Releases up to 0.3.0 all say "0.1.0": the mark is held back from them too, and their cursor
    // remembers where; today's version is served everything, its cursor remembering nothing.
    const auto [ambiguous, ambiguousCursor] =
        pullAllAs(server, second.token, std::string(protocol::kAmbiguousKioskVersion));
    CHECK_FALSE(carries(ambiguous, Action::MarkSigned));
    CHECK(ambiguous.size() >= 2);
    const auto remembered = protocol::decodeCursor(ambiguousCursor);
    REQUIRE(remembered);
    CHECK(remembered->heldBackAfter >= 0);
    CHECK(remembered->kindsRead == 0);
    const auto [today, todayCursor] = pullAllAs(server, second.token, KIOSK_APP_VERSION);
    CHECK(carries(today, Action::MarkSigned));
    CHECK(protocol::decodeCursor(todayCursor)->heldBackAfter == -1);

    // Upgraded, the same kiosk (same token and database) says today's version: its pull goes back to
    // the mark it missed, and applying again what it already held changes nothing.
    auto upgraded = older.syncOnce();
    INFO(describe(upgraded));
    REQUIRE(upgraded.end == PassEnd::Done);
    CHECK(upgraded.pulled >= 1);
    CHECK(actionsAt(older, code) == std::vector<std::string>{"submit", "mark-signed"});
    CHECK(actionsAt(older, later) == std::vector<std::string>{"submit"});
    CHECK(older.status(code) == newer.status(code));
    auto again = older.syncOnce();
    REQUIRE(again.end == PassEnd::Done);
    CHECK(again.pulled == 0);  // served from where it is now, not from the mark again
}
