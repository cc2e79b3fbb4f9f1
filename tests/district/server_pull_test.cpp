// The change feed (docs/sync-protocol.md "pull"): pages and cursors, commune isolation, rejections
// flowing back to the commune that sent them, and "start over" for a cursor the server cannot serve.
#include "tests/support/server_fixture.h"

#include "district/office/keys.h"

using namespace server_test;
using kiosk::Action;
using kiosk::protocol::ChangeType;

TEST_CASE("pull pages through the feed with cursors and ends with more=false", "[server][pull]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    std::vector<kiosk::Event> events;
    for (int i = 1; i <= 25; ++i) events.push_back(submitEvent(k, i, codeFor(k, 1000 + i)));
    push(server, k, events);

    std::vector<std::string> codes;
    std::string cursor = "0";
    int pages = 0;
    while (true) {
        auto page = pull(server, k, cursor, 10);
        ++pages;
        for (const auto& c : page.changes) {
            CHECK(c.type == ChangeType::Record);
            REQUIRE(c.events.size() == 1);
            CHECK(c.events[0].kioskId == k.id);
            CHECK(c.record.commune == kCommuneA);
            codes.push_back(c.record.code);
        }
        CHECK(page.next != cursor);
        cursor = page.next;
        if (!page.more) break;
        REQUIRE(pages < 10);
    }
    CHECK(pages == 3);
    REQUIRE(codes.size() == 25);
    for (size_t i = 0; i < codes.size(); ++i) CHECK(codes[i] == events[i].recordCode);

    // Nothing new: an empty page and the same cursor.
    auto empty = pull(server, k, cursor, 10);
    CHECK(empty.changes.empty());
    CHECK_FALSE(empty.more);
    CHECK(empty.next == cursor);

    // A later change arrives after that cursor, with the record's new state and its event.
    push(server, k, {actionEvent(k, 26, events[0].recordCode, Action::Accept)});
    auto later = pull(server, k, cursor, 10);
    REQUIRE(later.changes.size() == 1);
    CHECK(later.changes[0].record.status == kiosk::RecordStatus::Accepted);
    REQUIRE(later.changes[0].events.size() == 1);
    CHECK(later.changes[0].events[0].action == Action::Accept);
    CHECK(later.changes[0].seq > 25);
}

TEST_CASE("the feed carries a record's events without the seal only the district can open",
          "[server][pull]") {
    RunningServer server;
    Kiosk a = server.enroll(kCommuneA);
    Kiosk a2 = server.enroll(kCommuneA);
    kiosk::Event sealed = submitEvent(a, 1, codeFor(a, 3001));
    const std::string box = "c2VhbGVkLWZvci10aGUtZGlzdHJpY3Q";
    sealed.payload["sealed"] = box;
    push(server, a, {sealed});

    // The district keeps it, for its officers' reveal...
    {
        auto store = server.store();
        auto kept = kiosk::district::sealedPrivatePart(*store, sealed.recordCode);
        REQUIRE(kept);
        REQUIRE(kept->has_value());
        CHECK(**kept == box);
    }
    // ...and no kiosk of the commune downloads it, the sender's echo included.
    for (const Kiosk* k : {&a, &a2}) {
        auto r = get(server, k->token, "/api/v1/pull?since=0&limit=10");
        REQUIRE(r->status == 200);
        CHECK(r->body.find(box) == std::string::npos);
        CHECK(r->body.find("\"sealed\"") == std::string::npos);
        auto page = kiosk::protocol::decodePullResponse(r->body);
        REQUIRE(page);
        REQUIRE(page->changes.size() == 1);
        REQUIRE(page->changes[0].events.size() == 1);
        const kiosk::Event& e = page->changes[0].events[0];
        CHECK(e.uuid == sealed.uuid);
        CHECK(e.payload.contains("kind"));
        CHECK_FALSE(e.payload.contains("sealed"));
    }
}

TEST_CASE("a commune pulls only its own changes - rejections go back to the sender's commune",
          "[server][pull][security]") {
    RunningServer server;
    Kiosk a = server.enroll(kCommuneA);
    Kiosk a2 = server.enroll(kCommuneA);  // a replacement kiosk of the same commune
    Kiosk b = server.enroll(kCommuneB);
    push(server, a, {submitEvent(a, 1, codeFor(a, 2001)), submitEvent(a, 2, codeFor(a, 2002))});
    push(server, b,
         {submitEvent(b, 1, codeFor(b, 2003)),
          actionEvent(b, 2, codeFor(a, 2001), Action::Accept)});  // rejected: A's record

    auto pageA = pull(server, a, "0");
    REQUIRE(pageA.changes.size() == 2);
    for (const auto& c : pageA.changes) CHECK(c.record.commune == kCommuneA);

    auto pageA2 = pull(server, a2, "0");
    CHECK(pageA2.changes.size() == 2);

    auto pageB = pull(server, b, "0");
    REQUIRE(pageB.changes.size() == 2);
    CHECK(pageB.changes[0].type == ChangeType::Record);
    CHECK(pageB.changes[0].record.code == codeFor(b, 2003));
    CHECK(pageB.changes[1].type == ChangeType::Rejection);
    CHECK(pageB.changes[1].recordCode == codeFor(a, 2001));
    CHECK(pageB.changes[1].reason.code == "record.foreign-commune");
    for (const auto& c : pageB.changes)
        for (const auto& e : c.events) CHECK(e.kioskId == b.id);
}

TEST_CASE("a cursor the server cannot serve answers 410 reset - a malformed one 400", "[server][pull]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    push(server, k, {submitEvent(k, 1, codeFor(k, 3001))});
    auto page = pull(server, k, "0");
    REQUIRE(page.changes.size() == 1);

    // A cursor from another district database (another store id).
    auto foreign = get(server, k.token, "/api/v1/pull?since=1.00000000");
    CHECK(foreign->status == 410);
    CHECK(errorCode(foreign) == "reset");

    // A cursor from the future: this database was restored from an older backup.
    auto cursor = kiosk::protocol::decodeCursor(page.next);
    REQUIRE(cursor);
    cursor->seq += 100;
    auto ahead = get(server, k.token, "/api/v1/pull?since=" + kiosk::protocol::encodeCursor(*cursor));
    CHECK(ahead->status == 410);

    for (const char* bad : {"abc", "-1.aa", "1.xyz", "1.", ".aa"}) {
        auto r = get(server, k.token, std::string("/api/v1/pull?since=") + bad);
        INFO(bad);
        CHECK(r->status == 400);
    }
    auto badLimit = get(server, k.token, "/api/v1/pull?since=0&limit=many");
    CHECK(badLimit->status == 400);
    // A huge limit is served as the maximum.
    auto huge = get(server, k.token, "/api/v1/pull?since=0&limit=1000000");
    CHECK(huge->status == 200);
}

TEST_CASE("whoami tells a token's kiosk and commune and mark", "[server][pull]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneB);
    push(server, k, {submitEvent(k, 1, codeFor(k, 4001)), submitEvent(k, 2, codeFor(k, 4002))});
    auto r = get(server, k.token, "/api/v1/whoami");
    REQUIRE(r->status == 200);
    auto who = kiosk::protocol::decodeWhoAmI(r->body);
    REQUIRE(who);
    CHECK(who->kioskId == k.id);
    CHECK(who->commune == kCommuneB);
    CHECK(who->ackedSeq == 2);
    CHECK(who->serverTimeMs > 0);
}

TEST_CASE("responses are gzipped when the client accepts gzip", "[server][pull][gzip]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    std::vector<kiosk::Event> events;
    for (int i = 1; i <= 30; ++i) events.push_back(submitEvent(k, i, codeFor(k, 5000 + i)));
    push(server, k, events);
    // A raw request, so the client library cannot inflate the answer behind our back.
    httplib::Headers headers = auth(k.token);
    headers.emplace("Accept-Encoding", "gzip");
    auto client = server.client();
    client->set_decompress(false);
    auto r = client->Get("/api/v1/pull?since=0", headers);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Content-Encoding") == "gzip");
    auto inflated = kiosk::protocol::gzipDecompress(r->body);
    REQUIRE(inflated);
    CHECK(inflated->size() > r->body.size() * 3);
    auto decoded = kiosk::protocol::decodePullResponse(*inflated);
    REQUIRE(decoded);
    CHECK(decoded->changes.size() == 30);
}
