// The district's judgment of pushes (docs/sync-protocol.md "push"): accepted, duplicate, rejected
// without blocking, gaps, sequence numbers reused by a restored kiosk, and commune boundaries.
// A real server on loopback and its real SQLite file.
#include "tests/support/server_fixture.h"

using namespace server_test;
using kiosk::Action;
using kiosk::protocol::Verdict;

TEST_CASE("an accepted event is stored once - its resend is a duplicate", "[server][push]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    auto submit = submitEvent(k, 1, codeFor(k, 1));

    auto first = push(server, k, {submit});
    CHECK(first.ackedSeq == 1);
    REQUIRE(first.results.size() == 1);
    CHECK(first.results[0].verdict == Verdict::Accepted);
    CHECK(first.results[0].status == "received");
    CHECK(first.kioskId == k.id);
    CHECK(first.commune == kCommuneA);

    auto again = push(server, k, {submit});
    CHECK(again.ackedSeq == 1);
    REQUIRE(again.results.size() == 1);
    CHECK(again.results[0].verdict == Verdict::Duplicate);

    auto records = server.store()->records(std::nullopt);
    REQUIRE(records);
    REQUIRE(records->size() == 1);
    CHECK((*records)[0].events == 1);
    CHECK((*records)[0].commune == kCommuneA);
}

TEST_CASE("a rejected event advances the mark and does not block the next", "[server][push]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    const std::string code = codeFor(k, 2);
    auto result =
        push(server, k,
             {submitEvent(k, 1, code), actionEvent(k, 2, code, Action::Reject),  // no written reason: refused
              actionEvent(k, 3, code, Action::Accept)});
    CHECK(result.ackedSeq == 3);
    REQUIRE(result.results.size() == 3);
    CHECK(result.results[0].verdict == Verdict::Accepted);
    CHECK(result.results[1].verdict == Verdict::Rejected);
    REQUIRE(result.results[1].reason);
    CHECK(result.results[1].reason->code == "action.note-required");
    CHECK_FALSE(result.results[1].reason->vi.empty());
    CHECK(result.results[2].verdict == Verdict::Accepted);
    CHECK(result.results[2].status == "accepted");

    auto record = server.store()->record(code);
    REQUIRE(record);
    REQUIRE(*record);
    CHECK((*record)->status == kiosk::RecordStatus::Accepted);
}

TEST_CASE("events are judged in seq order whatever order they were sent in", "[server][push]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    const std::string code = codeFor(k, 3);
    auto result = push(server, k, {actionEvent(k, 2, code, Action::Accept), submitEvent(k, 1, code)});
    CHECK(result.ackedSeq == 2);
    REQUIRE(result.results.size() == 2);
    CHECK(result.results[0].seq == 1);
    CHECK(result.results[1].seq == 2);
    CHECK(result.results[1].verdict == Verdict::Accepted);
}

TEST_CASE("a gap stops the push where it is - acked_seq says where to resume", "[server][push]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    auto e1 = submitEvent(k, 1, codeFor(k, 4));
    auto e2 = submitEvent(k, 2, codeFor(k, 5));
    auto e3 = submitEvent(k, 3, codeFor(k, 6));

    auto gap = push(server, k, {e2, e3});
    CHECK(gap.ackedSeq == 0);
    CHECK(gap.results.empty());
    auto records = server.store()->records(std::nullopt);
    REQUIRE(records);
    CHECK(records->empty());

    auto partial = push(server, k, {e1, e3});  // 1 is taken, 3 waits for 2
    CHECK(partial.ackedSeq == 1);
    REQUIRE(partial.results.size() == 1);

    auto rest = push(server, k, {e2, e3});
    CHECK(rest.ackedSeq == 3);
    REQUIRE(rest.results.size() == 2);
    CHECK(rest.results[1].verdict == Verdict::Accepted);
}

TEST_CASE("a sequence number reused with a new UUID is a 409 and changes nothing", "[server][push]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    auto e1 = submitEvent(k, 1, codeFor(k, 7));
    auto e2 = submitEvent(k, 2, codeFor(k, 8));
    push(server, k, {e1, e2});

    // A kiosk restored from a backup taken after e1: it numbers its next event 2 again.
    auto restored = submitEvent(k, 2, codeFor(k, 9));
    auto refused = post(server, k.token, pushBody(k, {e1, restored}));
    CHECK(refused->status == 409);
    auto body = kiosk::protocol::decodeError(refused->body);
    REQUIRE(body);
    CHECK(body->error == "sequence-reused");
    REQUIRE(body->ackedSeq);
    CHECK(*body->ackedSeq == 2);
    auto records = server.store()->records(std::nullopt);
    REQUIRE(records);
    CHECK(records->size() == 2);

    // The client renumbers its unacknowledged events from acked_seq + 1 and pushes again.
    restored.seq = 3;
    auto renumbered = push(server, k, {restored});
    CHECK(renumbered.ackedSeq == 3);
    REQUIRE(renumbered.results.size() == 1);
    CHECK(renumbered.results[0].verdict == Verdict::Accepted);

    // An event the district already has, resent under a new number after renumbering, is a
    // duplicate: counted once, and the mark moves past it.
    auto e2again = e2;
    e2again.seq = 4;
    auto dup = push(server, k, {e2again});
    CHECK(dup.ackedSeq == 4);
    REQUIRE(dup.results.size() == 1);
    CHECK(dup.results[0].verdict == Verdict::Duplicate);
    auto record = server.store()->record(codeFor(k, 8));
    REQUIRE(record);
    REQUIRE(*record);
    auto summaries = server.store()->records(std::nullopt);
    REQUIRE(summaries);
    for (const auto& s : *summaries) CHECK(s.events == 1);
}

TEST_CASE("a kiosk cannot touch another commune's records", "[server][push][security]") {
    RunningServer server;
    Kiosk a = server.enroll(kCommuneA);
    Kiosk b = server.enroll(kCommuneB);
    const std::string code = codeFor(a, 10);
    push(server, a, {submitEvent(a, 1, code)});

    auto result = push(server, b,
                       {actionEvent(b, 1, code, Action::Accept),
                        submitEvent(b, 2, codeFor(b, 11), kCommuneA),  // claims commune A
                        submitEvent(b, 3, code)});                     // A's code, B's commune
    CHECK(result.ackedSeq == 3);
    REQUIRE(result.results.size() == 3);
    for (const auto& r : result.results) {
        CHECK(r.verdict == Verdict::Rejected);
        REQUIRE(r.reason);
        CHECK(r.reason->code == "record.foreign-commune");
    }
    auto record = server.store()->record(code);
    REQUIRE(record);
    REQUIRE(*record);
    CHECK((*record)->status == kiosk::RecordStatus::Received);
    CHECK((*record)->commune == kCommuneA);
    auto summaries = server.store()->records(std::string(kCommuneB));
    REQUIRE(summaries);
    CHECK(summaries->empty());
}

TEST_CASE("a kiosk may not send district officers' actions or another kiosk's events",
          "[server][push][security]") {
    RunningServer server;
    Kiosk a = server.enroll(kCommuneA);
    Kiosk other = server.enroll(kCommuneA);
    const std::string code = codeFor(a, 12);
    auto foreign = submitEvent(other, 2, codeFor(other, 13));
    foreign.seq = 3;
    auto result = push(server, a,
                       {submitEvent(a, 1, code),
                        actionEvent(a, 2, code, Action::Accept, "", kiosk::Role::DistrictOfficer), foreign});
    REQUIRE(result.results.size() == 3);
    CHECK(result.results[1].verdict == Verdict::Rejected);
    CHECK(result.results[1].reason->code == "actor.role");
    CHECK(result.results[2].verdict == Verdict::Rejected);
    CHECK(result.results[2].reason->code == "event.kiosk");
}

TEST_CASE("an unreadable event is rejected at its turn not the whole push", "[server][push]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    nlohmann::json body{{"version", 1}, {"kiosk", k.id}, {"events", nlohmann::json::array()}};
    body["events"].push_back({{"seq", 1}, {"uuid", kiosk::newUuid()}, {"action", "levitate"}});
    body["events"].push_back(kiosk::toJson(submitEvent(k, 2, codeFor(k, 14))));
    auto r = post(server, k.token, body.dump());
    REQUIRE(r->status == 200);
    auto decoded = kiosk::protocol::decodePushResponse(r->body);
    REQUIRE(decoded);
    CHECK(decoded->ackedSeq == 2);
    REQUIRE(decoded->results.size() == 2);
    CHECK(decoded->results[0].verdict == Verdict::Rejected);
    CHECK(decoded->results[0].reason->code == "event.unknown-action");
    CHECK(decoded->results[1].verdict == Verdict::Accepted);
}

TEST_CASE("an event kind from a newer kiosk is refused by name, and the next event still passes",
          "[server][push]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    const std::string code = codeFor(k, 15);
    nlohmann::json body{{"version", 1}, {"kiosk", k.id}, {"events", nlohmann::json::array()}};
    body["events"].push_back(kiosk::toJson(submitEvent(k, 1, code)));
    // A whole, well-formed event whose action this server's version does not have.
    nlohmann::json future = kiosk::toJson(actionEvent(k, 2, code, Action::Accept, ""));
    future["action"] = "reopen-in-part";
    body["events"].push_back(future);
    body["events"].push_back(kiosk::toJson(actionEvent(k, 3, code, Action::Accept, "")));
    auto r = post(server, k.token, body.dump());
    REQUIRE(r->status == 200);
    auto decoded = kiosk::protocol::decodePushResponse(r->body);
    REQUIRE(decoded);
    CHECK(decoded->ackedSeq == 3);
    REQUIRE(decoded->results.size() == 3);
    CHECK(decoded->results[1].verdict == Verdict::Rejected);
    REQUIRE(decoded->results[1].reason);
    CHECK(decoded->results[1].reason->code == "event.unknown-action");
    CHECK(decoded->results[1].reason->vi.find("reopen-in-part") != std::string::npos);
    CHECK(decoded->results[1].reason->en.find("update the server") != std::string::npos);
    CHECK(decoded->results[2].verdict == Verdict::Accepted);
}

TEST_CASE("an event UUID already used by another kiosk is rejected not overwritten", "[server][push]") {
    RunningServer server;
    Kiosk a = server.enroll(kCommuneA);
    Kiosk b = server.enroll(kCommuneA);
    auto event = submitEvent(a, 1, codeFor(a, 15));
    push(server, a, {event});
    auto copy = submitEvent(b, 1, codeFor(b, 16));
    copy.uuid = event.uuid;
    auto result = push(server, b, {copy});
    REQUIRE(result.results.size() == 1);
    CHECK(result.results[0].verdict == Verdict::Rejected);
    CHECK(result.results[0].reason->code == "event.uuid-taken");
    // Resending it is a duplicate of that rejection, not a sequence conflict.
    auto again = push(server, b, {copy});
    REQUIRE(again.results.size() == 1);
    CHECK(again.results[0].verdict == Verdict::Duplicate);
}

TEST_CASE("the heartbeat and the kiosk's clock are recorded - a clock far ahead is flagged",
          "[server][push][clock]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    kiosk::protocol::Heartbeat hb;
    hb.appVersion = "0.1.0";
    hb.queueDepth = 7;
    hb.freeDiskMb = 1234;
    hb.clockMs = int64_t(kiosk::wallClockMillis()) + 10 * 60 * 1000;  // ten minutes ahead
    auto r = post(server, k.token, kiosk::protocol::encodePushRequest(k.id, {}, hb));
    REQUIRE(r->status == 200);
    auto decoded = kiosk::protocol::decodePushResponse(r->body);
    REQUIRE(decoded);
    REQUIRE(decoded->clockSkewMs);
    CHECK(*decoded->clockSkewMs > 9 * 60 * 1000);

    auto kiosks = server.store()->kiosks();
    REQUIRE(kiosks);
    REQUIRE(kiosks->size() == 1);
    const auto& info = (*kiosks)[0];
    CHECK(info.appVersion == "0.1.0");
    CHECK(info.queueDepth == 7);
    CHECK(info.freeDiskMb == 1234);
    REQUIRE(info.clockSkewMs);
    CHECK(*info.clockSkewMs > kiosk::district::kClockAheadFlagMs);
    CHECK(info.lastSeenMs);

    // Without a heartbeat, an event stamped in the future still shows the clock is ahead.
    Kiosk fast = server.enroll(kCommuneA);
    auto future = submitEvent(fast, 1, codeFor(fast, 17));
    future.hlc = kiosk::Hlc::make(kiosk::wallClockMillis() + 3'600'000, 0);
    auto answer = push(server, fast, {future});
    REQUIRE(answer.clockSkewMs);
    CHECK(*answer.clockSkewMs > 3'500'000);
}

TEST_CASE("concurrent pushes from many kiosks are all committed exactly once",
          "[server][push][group-commit]") {
    RunningServer server;
    constexpr int kKiosks = 12;
    constexpr int kBatches = 5;
    constexpr int kPerBatch = 4;
    std::vector<Kiosk> kiosks;
    for (int i = 0; i < kKiosks; ++i) kiosks.push_back(server.enroll(i % 2 ? kCommuneA : kCommuneB));
    std::vector<std::thread> threads;
    std::vector<int> failures(kKiosks, 0);
    for (int i = 0; i < kKiosks; ++i) {
        threads.emplace_back([&, i] {
            const Kiosk& k = kiosks[size_t(i)];
            auto client = server.client();
            int64_t seq = 0;
            for (int b = 0; b < kBatches; ++b) {
                std::vector<kiosk::Event> events;
                for (int e = 0; e < kPerBatch; ++e) {
                    ++seq;
                    events.push_back(submitEvent(k, seq, codeFor(k, uint64_t(seq))));
                }
                auto r = client->Post("/api/v1/push", auth(k.token), pushBody(k, events), "application/json");
                if (!r || r->status != 200) {
                    ++failures[size_t(i)];
                    continue;
                }
                auto decoded = kiosk::protocol::decodePushResponse(r->body);
                if (!decoded || decoded->ackedSeq != seq) ++failures[size_t(i)];
            }
        });
    }
    for (auto& t : threads) t.join();
    for (int f : failures) CHECK(f == 0);
    auto records = server.store()->records(std::nullopt);
    REQUIRE(records);
    CHECK(records->size() == size_t(kKiosks * kBatches * kPerBatch));
    auto stats = server.store()->kiosks();
    REQUIRE(stats);
    for (const auto& info : *stats) CHECK(info.ackedSeq == kBatches * kPerBatch);
}

TEST_CASE(
    "a new record with the citizen's identity or content in the clear is refused and nothing of it is kept",
    "[server][push]") {
    RunningServer server;
    Kiosk k = server.enroll(kCommuneA);
    auto plain = submitEvent(k, 1, codeFor(k, 31));
    plain.payload["identity"] = {
        {"name", "Quàng Văn Khuyếnhh"}, {"cccd", ""}, {"phone", "0912345678"}, {"address", ""}};
    auto content = submitEvent(k, 2, codeFor(k, 32));
    content.payload["content"] = "Tố cáo ông Khuyếnhh nhận tiền.";
    auto sealedOnly = submitEvent(k, 3, codeFor(k, 33));
    sealedOnly.payload["sealed"] = "c2VhbGVk";
    auto result = push(server, k, {plain, content, sealedOnly});
    CHECK(result.ackedSeq == 3);
    REQUIRE(result.results.size() == 3);
    for (int i : {0, 1}) {
        CHECK(result.results[size_t(i)].verdict == Verdict::Rejected);
        REQUIRE(result.results[size_t(i)].reason);
        CHECK(result.results[size_t(i)].reason->code == "record.identity-in-clear");
    }
    CHECK(result.results[2].verdict == Verdict::Accepted);
    auto records = server.store()->records(std::nullopt);
    REQUIRE(records);
    REQUIRE(records->size() == 1);
    CHECK((*records)[0].code == codeFor(k, 33));
    auto store = server.store();
    auto& db = store->database();
    for (const char* sql :
         {"SELECT count(*) FROM identities", "SELECT count(*) FROM events WHERE payload LIKE '%Khuyếnhh%'",
          "SELECT count(*) FROM changes WHERE body LIKE '%Khuyếnhh%'"}) {
        INFO(sql);
        auto st = db.prepare(sql);
        REQUIRE(st);
        REQUIRE(st->step().value());
        CHECK(st->integer(0) == 0);
    }
}
