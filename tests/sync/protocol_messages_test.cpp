// The wire messages: round trips of every message, the checks each decoder makes, cursors, and the
// safe JSON and gzip helpers they rely on.
#include <functional>

#include <catch2/catch.hpp>

#include "core/state_machine.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/safe_json.h"

using namespace kiosk;
using namespace kiosk::protocol;

namespace {

Event sampleEvent(int64_t seq) {
    Record r;
    r.code = "0237400000042";
    r.kind = RecordKind::Petition;
    r.petitionKind = PetitionKind::Complaint;
    r.commune = "02374";
    r.submittedAt = 1767232800;
    r.content = "Khiếu nại về việc cấp giấy chứng nhận quyền sử dụng đất.";
    r.identity = {"Nguyễn Văn Ánh", "008090000123", "0912345678", "Thôn Đồng Bàng"};
    Event e;
    e.uuid = newUuid();
    e.recordCode = r.code;
    e.action = Action::Submit;
    e.actor = {Role::Kiosk, "k7"};
    e.hlc = Hlc::make(1767232800000ull, 3);
    e.at = r.submittedAt;
    e.payload = recordToPayload(r);
    e.kioskId = "k7";
    e.seq = seq;
    return e;
}

}  // namespace

TEST_CASE("push requests round-trip with their heartbeat", "[protocol]") {
    Heartbeat hb;
    hb.appVersion = "0.1.0";
    hb.queueDepth = 3;
    hb.clockMs = 1767232800123;
    hb.freeDiskMb = 2048;
    const std::vector<Event> events{sampleEvent(1), sampleEvent(2)};
    auto decoded = decodePushRequest(encodePushRequest("k7", events, hb));
    REQUIRE(decoded);
    CHECK(decoded->kioskId == "k7");
    REQUIRE(decoded->events.size() == 2);
    for (size_t i = 0; i < 2; ++i) {
        const PushedEvent& p = decoded->events[i];
        CHECK(p.seq == events[i].seq);
        CHECK(p.uuid == events[i].uuid);
        REQUIRE(p.event);
        CHECK(toJson(*p.event) == toJson(events[i]));
    }
    REQUIRE(decoded->heartbeat);
    CHECK(decoded->heartbeat->appVersion == "0.1.0");
    CHECK(decoded->heartbeat->queueDepth == 3);
    CHECK(decoded->heartbeat->clockMs == 1767232800123);
    CHECK(decoded->heartbeat->freeDiskMb == 2048);

    auto bare = decodePushRequest(encodePushRequest("k7", {}));
    REQUIRE(bare);
    CHECK(bare->events.empty());
    CHECK_FALSE(bare->heartbeat);
}

TEST_CASE("a heartbeat says when a citizen called for an officer, and older readers need not know",
          "[protocol]") {
    Heartbeat hb;
    hb.queueDepth = 0;
    hb.helpRequestedMs = 1767232800123;
    const std::string body = encodePushRequest("k7", {}, hb);
    CHECK(body.find("\"help_requested_ms\":1767232800123") != std::string::npos);
    auto decoded = decodePushRequest(body);
    REQUIRE(decoded);
    REQUIRE(decoded->heartbeat);
    CHECK(decoded->heartbeat->helpRequestedMs == 1767232800123);
    // Nobody waiting: the field is left out, as kiosks before it wrote their heartbeats.
    hb.helpRequestedMs.reset();
    CHECK(encodePushRequest("k7", {}, hb).find("help_requested_ms") == std::string::npos);
    auto refused = decodePushRequest(
        "{\"version\":1,\"kiosk\":\"k1\",\"events\":[],\"heartbeat\":{\"help_requested_ms\":\"now\"}}");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "invalid-field");
}

TEST_CASE("push request decoding refuses what the server must refuse", "[protocol]") {
    auto code = [](const std::string& body) {
        auto r = decodePushRequest(body);
        return r ? std::string("ok") : r.error().code;
    };
    CHECK(code("{\"version\":1,\"kiosk\":\"k1\",\"events\":[]}") == "ok");
    CHECK(code("{\"version\":7,\"kiosk\":\"k1\",\"events\":[]}") == "unsupported-version");
    CHECK(code("{\"kiosk\":\"k1\",\"events\":[]}") == "missing-field");
    CHECK(code("{\"version\":1,\"events\":[]}") == "missing-field");
    CHECK(code("{\"version\":1,\"kiosk\":3,\"events\":[]}") == "invalid-field");
    CHECK(code("{\"version\":1,\"kiosk\":\"" + std::string(65, 'k') + "\",\"events\":[]}") ==
          "invalid-field");
    CHECK(code("{\"version\":1,\"kiosk\":\"k1\",\"events\":[{\"seq\":1,\"uuid\":\"a\"},{\"seq\":1,\"uuid\":"
               "\"b\"}]}") == "invalid-field");
    CHECK(code("{\"version\":1,\"kiosk\":\"k1\",\"events\":[{\"seq\":0,\"uuid\":\"a\"}]}") ==
          "invalid-field");
    CHECK(code("{\"version\":1,\"kiosk\":\"k1\",\"events\":[{\"seq\":1.5,\"uuid\":\"a\"}]}") ==
          "invalid-field");
    CHECK(code("{\"version\":1,\"kiosk\":\"k1\",\"events\":[{\"seq\":1,\"uuid\":\"\"}]}") == "invalid-field");
    CHECK(code("{\"version\":1,\"kiosk\":\"k1\",\"events\":[7]}") == "invalid-field");
    CHECK(code("{\"version\":1,\"kiosk\":\"k1\",\"events\":[],\"heartbeat\":[]}") == "invalid-field");
    CHECK(code("{\"version\":1,\"kiosk\":\"k1\",\"events\":[],\"heartbeat\":null}") == "ok");

    // A readable seq and uuid with an unreadable rest: carried, to be rejected at its turn.
    auto partial =
        decodePushRequest("{\"version\":1,\"kiosk\":\"k1\",\"events\":[{\"seq\":1,\"uuid\":\"u\"}]}");
    REQUIRE(partial);
    REQUIRE(partial->events.size() == 1);
    CHECK_FALSE(partial->events[0].event);
    CHECK(partial->events[0].problem.code == "event.malformed");

    std::string many = "{\"version\":1,\"kiosk\":\"k1\",\"events\":[";
    for (int i = 1; i <= 501; ++i)
        many += (i > 1 ? "," : "") + std::string("{\"seq\":") + std::to_string(i) + ",\"uuid\":\"u\"}";
    many += "]}";
    CHECK(code(many) == "too-many-events");
}

TEST_CASE("push responses round-trip with reasons in both languages", "[protocol]") {
    PushResponse r;
    r.ackedSeq = 12;
    r.serverTimeMs = 1767232800999;
    r.clockSkewMs = -420;
    r.kioskId = "k7";
    r.commune = "02374";
    r.results.push_back({"u1", 11, Verdict::Duplicate, std::nullopt, "c1", ""});
    r.results.push_back(
        {"u2", 12, Verdict::Rejected,
         makeError("action.note-required", "Cần ghi rõ lý do.", "A written reason is required."), "c1", ""});
    auto decoded = decodePushResponse(encodePushResponse(r));
    REQUIRE(decoded);
    CHECK(decoded->ackedSeq == 12);
    CHECK(decoded->clockSkewMs == -420);
    CHECK(decoded->kioskId == "k7");
    REQUIRE(decoded->results.size() == 2);
    CHECK(decoded->results[0].verdict == Verdict::Duplicate);
    REQUIRE(decoded->results[1].reason);
    CHECK(decoded->results[1].reason->vi == "Cần ghi rõ lý do.");

    // Written directly: the bytes nlohmann's dump() gives for the same answer.
    r.results.push_back({"u3", 13, Verdict::Accepted, std::nullopt, "c\"2", "accepted"});
    for (const bool skew : {true, false}) {
        if (!skew) r.clockSkewMs.reset();
        const std::string text = encodePushResponse(r);
        CHECK(text == nlohmann::json::parse(text).dump());
        auto again = decodePushResponse(text);
        REQUIRE(again);
        CHECK(encodePushResponse(*again) == text);
        CHECK(again->results[2].status == "accepted");
        CHECK(again->results[2].record == "c\"2");
    }
}

TEST_CASE("pull pages round-trip every change type", "[protocol]") {
    Record record;
    record.code = "0237400000042";
    record.kind = RecordKind::Dossier;
    record.procedureCode = "1.001193";
    record.commune = "02374";
    record.status = RecordStatus::Processing;
    record.receivedOn = *Date::parse("2026-01-02");
    record.due = *Date::parse("2026-01-09");
    record.officialCode = "000.00.00.H59-260102-0001";

    PullResponse page;
    Change c1;
    c1.seq = 5;
    c1.type = ChangeType::Record;
    c1.record = snapshotOf(record);
    c1.events.push_back(sampleEvent(1));
    Change c2;
    c2.seq = 6;
    c2.type = ChangeType::Rejection;
    c2.uuid = "u9";
    c2.recordCode = "0237400000042";
    c2.reason = makeError("transition.final", "Hồ sơ đã kết thúc.", "The record is closed.");
    Change c3;
    c3.seq = 7;
    c3.type = ChangeType::Holidays;
    c3.items = nlohmann::json::array({{{"date", "2026-09-02"}, {"name", "Quốc khánh"}}});
    page.changes = {c1, c2, c3};
    page.next = "7.0a1b2c3d";
    page.more = true;
    page.serverTimeMs = 99;
    page.kioskId = "k7";
    page.commune = "02374";

    auto decoded = decodePullResponse(encodePullResponse(page));
    REQUIRE(decoded);
    CHECK(decoded->next == "7.0a1b2c3d");
    CHECK(decoded->more);
    REQUIRE(decoded->changes.size() == 3);
    const Change& d1 = decoded->changes[0];
    CHECK(d1.seq == 5);
    CHECK(d1.record.code == record.code);
    CHECK(d1.record.kind == RecordKind::Dossier);
    CHECK(d1.record.procedure == "1.001193");
    CHECK(d1.record.status == RecordStatus::Processing);
    CHECK(d1.record.due == record.due);
    CHECK(d1.record.receivedOn == record.receivedOn);
    CHECK(d1.record.officialCode == record.officialCode);
    REQUIRE(d1.events.size() == 1);
    CHECK(toJson(d1.events[0]) == toJson(c1.events[0]));
    CHECK(decoded->changes[1].type == ChangeType::Rejection);
    CHECK(decoded->changes[1].reason.en == "The record is closed.");
    CHECK(decoded->changes[2].type == ChangeType::Holidays);
    CHECK(decoded->changes[2].items == c3.items);
}

namespace {

// decodePullResponse reads the text directly when it can and through nlohmann's tree otherwise;
// either way its answer must be the tree's.
void checkSameAsTree(const std::string& text) {
    CAPTURE(text);
    auto direct = decodePullResponse(text);
    auto tree = decodePullResponseFromTree(text);
    REQUIRE(bool(direct) == bool(tree));
    if (!direct) {
        CHECK(direct.error().code == tree.error().code);
        CHECK(direct.error().en == tree.error().en);
        return;
    }
    CHECK(encodePullResponse(*direct) == encodePullResponse(*tree));
    REQUIRE(direct->changes.size() == tree->changes.size());
    for (size_t i = 0; i < direct->changes.size(); ++i) {
        // What encodePullResponse leaves out (the other kind's field).
        CHECK(direct->changes[i].record.petitionKind == tree->changes[i].record.petitionKind);
        CHECK(direct->changes[i].record.procedure == tree->changes[i].record.procedure);
        REQUIRE(direct->changes[i].events.size() == tree->changes[i].events.size());
        for (size_t k = 0; k < direct->changes[i].events.size(); ++k)
            CHECK(direct->changes[i].events[k].payload == tree->changes[i].events[k].payload);
    }
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    CAPTURE(from);
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("pull pages: the direct decoder answers as the tree does", "[protocol]") {
    PullResponse page;
    Change record;
    record.seq = 5;
    record.type = ChangeType::Record;
    Record r;
    r.code = "0237400000042";
    r.kind = RecordKind::Petition;
    r.petitionKind = PetitionKind::Complaint;
    r.commune = "02374";
    r.status = RecordStatus::Accepted;
    r.receivedOn = *Date::parse("2026-01-02");
    r.due = *Date::parse("2026-01-09");
    r.resultNote = "Đã thụ lý \"đơn\" \\ tab\t.";
    record.record = snapshotOf(r);
    record.events = {sampleEvent(1), sampleEvent(2)};
    record.events[1].action = Action::Accept;
    record.events[1].actor = {Role::CommuneOfficer, "cb01"};
    record.events[1].payload = {{"note", "Đã thụ lý"}, {"n", -3}, {"list", {1, "hai", nullptr, false}}};
    Change rejection;
    rejection.seq = 6;
    rejection.type = ChangeType::Rejection;
    rejection.uuid = "u9";
    rejection.recordCode = r.code;
    rejection.reason = makeError("transition.final", "Hồ sơ đã kết thúc.", "The record is closed.");
    Change holidays;
    holidays.seq = 7;
    holidays.type = ChangeType::Holidays;
    holidays.items =
        nlohmann::json::array({{{"date", "2026-09-02"}, {"name", "Quốc khánh"}, {"workday", false}}});
    Change catalog;
    catalog.seq = 8;
    catalog.type = ChangeType::Catalog;
    catalog.items = nlohmann::json::array(
        {{{"id", "1.001193"}, {"name", "Đăng ký khai sinh"}, {"limit", {{"days", 3}}}}});
    page.changes = {record, rejection, holidays, catalog};
    page.next = "8.0a1b2c3d";
    page.more = true;
    page.serverTimeMs = 1795724939529;
    page.kioskId = "k7";
    page.commune = "02374";
    const std::string text = encodePullResponse(page);

    SECTION("what the district writes, and the same spaced out") {
        checkSameAsTree(text);
        checkSameAsTree(nlohmann::json::parse(text).dump(2));
        auto decoded = decodePullResponse(text);
        REQUIRE(decoded);
        REQUIRE(decoded->changes.size() == 4);
        CHECK(decoded->changes[0].record.resultNote == r.resultNote);
        CHECK(toJson(decoded->changes[0].events[1]) == toJson(record.events[1]));
        CHECK(decoded->changes[1].reason.vi == "Hồ sơ đã kết thúc.");
        CHECK(decoded->changes[2].items == holidays.items);
        CHECK(decoded->changes[3].items == catalog.items);
        CHECK(decoded->serverTimeMs == 1795724939529);
    }
    SECTION("shapes left to the tree decode the same") {
        checkSameAsTree(replaced(text, "Quốc khánh", "Qu\\u1ed1c kh\\u00E1nh\\u0000"));
        checkSameAsTree(replaced(text, "Quốc khánh", "\\ud83d\\ude00 \\/"));
        checkSameAsTree(replaced(text, "\"more\":true", "\"more\":false,\"more\":true"));
        checkSameAsTree(
            replaced(text, "\"type\":\"rejection\"", "\"type\":\"rejection\",\"type\":\"rejection\""));
        checkSameAsTree(replaced(text, "\"type\":\"record\",", ""));
        checkSameAsTree(
            "{\"version\":1,\"changes\":[{\"events\":[],\"seq\":9,\"record\":{\"code\":\"0237400000042\","
            "\"kind\":\"petition\",\"status\":\"received\",\"due\":\"2026-01-09\"},\"type\":\"record\"}],"
            "\"next\":\"9.0a1b2c3d\",\"more\":false}");
        checkSameAsTree(replaced(text, "\"submitted_at\":1767232800", "\"submitted_at\":1767232800.0"));
        checkSameAsTree(
            replaced(text, "\"submitted_at\":1767232800", "\"submitted_at\":17672328000000000000"));
        checkSameAsTree(replaced(text, "{\"seq\":5,", "{\"x\":[1,{\"y\":null},-2,\"z\"],\"seq\":5,"));
        checkSameAsTree(replaced(text, "\"kiosk\":\"k7\",\"payload\"", "\"kiosk\":7,\"payload\""));
        checkSameAsTree(replaced(text, "\"complex\":false", "\"complex\":0"));
        checkSameAsTree("\xEF\xBB\xBF" + text);
    }
    SECTION("what is refused is refused with the tree's error") {
        checkSameAsTree(text.substr(0, text.size() / 2));
        checkSameAsTree(text + "x");
        checkSameAsTree(replaced(text, "\"version\":1", "\"version\":2"));
        checkSameAsTree(replaced(text, "{\"seq\":5,", "{\"seq\":0,"));
        checkSameAsTree(replaced(text, "\"next\":\"8.0a1b2c3d\",", ""));
        checkSameAsTree(replaced(text, "\"status\":\"accepted\"", "\"status\":\"maybe\""));
        checkSameAsTree(replaced(text, "\"due\":\"2026-01-09\"", "\"due\":\"2026-02-30\""));
        checkSameAsTree(replaced(text, "\"hlc\":", "\"hlc\":-"));
        checkSameAsTree(replaced(text, "\"type\":\"holidays\"", "\"type\":\"weather\""));
        checkSameAsTree(replaced(text, "Quốc khánh", "Qu\xC3\x28"));
        checkSameAsTree(replaced(text, "Quốc khánh", "tab\there"));
        checkSameAsTree(replaced(text, "Quốc khánh", "\\ud83d alone"));
        checkSameAsTree(replaced(text, "\"list\":[", "\"list\":[01,"));
        checkSameAsTree(replaced(text, "\"n\":-3", "\"n\":-0"));
        checkSameAsTree(replaced(text, "\"n\":-3", "\"n\":tru"));
        std::string deep = text;
        deep = replaced(deep, "\"n\":-3", "\"n\":" + std::string(70, '[') + std::string(70, ']'));
        checkSameAsTree(deep);
    }
}

TEST_CASE("cursors: zero is the start and others carry a sequence and a store id", "[protocol]") {
    auto zero = decodeCursor("0");
    REQUIRE(zero);
    CHECK(zero->seq == 0);
    CHECK(zero->storeId.empty());
    auto c = decodeCursor(encodeCursor({42, "0a1b2c3d"}));
    REQUIRE(c);
    CHECK(c->seq == 42);
    CHECK(c->storeId == "0a1b2c3d");
    for (const char* bad : {"", "x", "1", "-1.ab", "1.", ".ab", "1.AB", "1.ab.cd.ef", "1.ab.", "1..cd",
                            "1.ab.CD", "99999999999999999999.ab"})
        CHECK_FALSE(decodeCursor(bad));

    auto q = decodePullQuery(std::nullopt, std::nullopt);
    REQUIRE(q);
    CHECK(q->since == "0");
    CHECK(q->limit == kDefaultPullLimit);
    CHECK(decodePullQuery(std::string("0"), std::string("5000"))->limit == kMaxPullLimit);
    CHECK(decodePullQuery(std::string("0"), std::string("0"))->limit == 1);
    CHECK_FALSE(decodePullQuery(std::string("0"), std::string("ten")));
    CHECK_FALSE(decodePullQuery(std::string("zz"), std::nullopt));
}

TEST_CASE("a cursor remembers the changes held back from an older kiosk", "[protocol]") {
    // docs/sync-protocol.md "Kiosks of several versions": "-<held back after>-<kinds read>" last.
    Cursor held{42, "0a1b2c3d", "9f00aa11", 17, 1};
    CHECK(encodeCursor(held) == "42.0a1b2c3d.9f00aa11-17-1");
    auto c = decodeCursor(encodeCursor(held));
    REQUIRE(c);
    CHECK(c->seq == 42);
    CHECK(c->holdings == "9f00aa11");
    CHECK(c->heldBackAfter == 17);
    CHECK(c->kindsRead == 1);
    auto plain = decodeCursor("42.0a1b2c3d-0-0");
    REQUIRE(plain);
    CHECK(plain->holdings.empty());
    CHECK(plain->heldBackAfter == 0);
    CHECK(decodeCursor("42.0a1b2c3d")->heldBackAfter == -1);
    for (const char* bad : {"42.0a1b2c3d-", "42.0a1b2c3d-1", "42.0a1b2c3d-1-", "42.0a1b2c3d--1-1",
                            "42.0a1b2c3d-1-1-1", "42.0a1b2c3d-x-1", "0-1-1", "42.0a1b2c3d-1-99999999999"})
        CHECK_FALSE(decodeCursor(bad));
}

TEST_CASE("a cursor names the holdings it was made for, and whoami a successor", "[protocol]") {
    // docs/sync-protocol.md "Successions": a third part for a kiosk whose commune holds others.
    auto c = decodeCursor(encodeCursor({42, "0a1b2c3d", "9f00aa11"}));
    REQUIRE(c);
    CHECK(c->seq == 42);
    CHECK(c->storeId == "0a1b2c3d");
    CHECK(c->holdings == "9f00aa11");
    CHECK(encodeCursor({42, "0a1b2c3d", ""}) == "42.0a1b2c3d");
    CHECK(decodeCursor("42.0a1b2c3d")->holdings.empty());

    WhoAmI who{"k3", "02377", 8, 1, 2};
    who.successorCode = "02374";
    who.successorName = "Xã Hàm Yên";
    who.holdings = {"02374", "02377"};
    auto w = decodeWhoAmI(encodeWhoAmI(who));
    REQUIRE(w);
    CHECK(w->successorCode == "02374");
    CHECK(w->successorName == "Xã Hàm Yên");
    CHECK(w->holdings == std::vector<std::string>{"02374", "02377"});
    // Absent: no change; unreadable: ignored, not a malformed answer.
    CHECK(decodeWhoAmI(encodeWhoAmI(WhoAmI{"k3", "02377", 8, 1}))->successorCode.empty());
    auto odd = decodeWhoAmI(R"({"version":1,"kiosk":"k3","commune":"02377","successor":7,"holdings":"x"})");
    REQUIRE(odd);
    CHECK(odd->successorCode.empty());
    CHECK(odd->holdings.empty());
}

TEST_CASE("errors and whoami round-trip", "[protocol]") {
    auto e = decodeError(encodeError(ErrorBody{"sequence-reused", "renumber", "đánh số lại", 41}));
    REQUIRE(e);
    CHECK(e->error == "sequence-reused");
    CHECK(e->ackedSeq == 41);
    CHECK(e->messageVi == "đánh số lại");
    auto w = decodeWhoAmI(encodeWhoAmI(WhoAmI{"k3", "02377", 8, 1}));
    REQUIRE(w);
    CHECK(w->kioskId == "k3");
    CHECK(w->commune == "02377");
    CHECK(w->ackedSeq == 8);
}

TEST_CASE("safe JSON: strict UTF-8 and a nesting limit checked before parsing", "[protocol][json]") {
    CHECK(isValidUtf8("Thị trấn Tân Yên — “đơn thư” 😀"));
    CHECK_FALSE(isValidUtf8("\xc3"));              // truncated
    CHECK_FALSE(isValidUtf8("\xc0\x80"));          // overlong NUL
    CHECK_FALSE(isValidUtf8("\xed\xa0\x80"));      // a UTF-16 surrogate
    CHECK_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(isValidUtf8("\xff"));

    CHECK(jsonNestingDepth("{\"a\":[1,{\"b\":[]}]}") == 4);
    CHECK(jsonNestingDepth("\"[[[[[[\"") == 0);    // brackets inside strings do not count
    CHECK(jsonNestingDepth("[\"\\\"[[\"]") == 1);  // nor after an escaped quote
    CHECK(jsonNestingDepth(std::string(1000000, '['), 64) == 65);

    auto deep = parseJsonSafely(std::string(100000, '[') + std::string(100000, ']'));
    REQUIRE_FALSE(deep);
    CHECK(deep.error().code == "too-deep");
    auto ok = parseJsonSafely(std::string(64, '[') + std::string(64, ']'));
    CHECK(ok);
    CHECK(parseJsonSafely("{\"a\":1}"));
    CHECK(parseJsonSafely("{\"a\":1} trailing").error().code == "malformed-json");
    CHECK(parseJsonSafely("\"\xc3\x28\"").error().code == "invalid-utf8");

    nlohmann::json invalid = std::string("\xff\xfe");
    CHECK_NOTHROW(dumpJson(invalid));
}

TEST_CASE("gzip round trip with a cap on the inflated size and corrupt input refused", "[protocol][gzip]") {
    const std::string text = std::string(100000, 'a') + "Hàm Yên";
    const std::string packed = gzipCompress(text);
    CHECK(looksGzipped(packed));
    CHECK(packed.size() < text.size() / 50);
    auto unpacked = gzipDecompress(packed);
    REQUIRE(unpacked);
    CHECK(*unpacked == text);
    CHECK(gzipDecompress(gzipCompress(""))->empty());

    auto capped = gzipDecompress(packed, 1000);
    REQUIRE_FALSE(capped);
    CHECK(capped.error().code == "too-large");

    std::string truncated = packed.substr(0, packed.size() - 5);
    CHECK(gzipDecompress(truncated).error().code == "bad-gzip");
    CHECK(gzipDecompress(packed + "junk").error().code == "bad-gzip");
    CHECK(gzipDecompress("not gzip at all").error().code == "bad-gzip");
    CHECK(gzipDecompress("").error().code == "bad-gzip");
}

TEST_CASE("texts written directly are the bytes nlohmann's dump() gives", "[protocol]") {
    auto dump = [](const nlohmann::json& j) {
        return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    Event e = sampleEvent(7);
    e.kioskId = "k-0001";
    e.payload["sealed"] = "c2VhbGVk";
    e.payload["note"] = "Ghi chú \"có ngoặc\"\nxuống dòng\t và \x01 ký tự điều khiển";

    // An event with its payload's text spliced in.
    CHECK(eventJson(e, dump(e.payload)) == dump(toJson(e)));
    // A payload without some members.
    nlohmann::json without = e.payload;
    without.erase("sealed");
    without.erase("note");
    CHECK(dumpWithout(e.payload, {"sealed", "note"}) == dump(without));
    CHECK(dumpWithout(nlohmann::json::object(), {"sealed"}) == "{}");

    // A record change's snapshot, a petition and a dossier, with text that needs escaping.
    Record petition = recordFromPayload(e.payload).value();
    petition.resultNote = "Đã giải quyết: \"xong\"\\ \n";
    petition.officialCode = "000.00.23.H58-260101-0001";
    Record dossier = petition;
    dossier.kind = RecordKind::Dossier;
    dossier.procedureCode = "1.001234";
    dossier.complex = true;
    dossier.extensions = 2;
    for (const Record& r : {petition, dossier}) {
        const std::string body = encodeRecordChangeBody(snapshotOf(r), {eventJson(e, dump(e.payload))});
        const auto parsed = nlohmann::json::parse(body);
        const std::string open = "{\"type\":\"record\",\"record\":";
        REQUIRE(body.compare(0, open.size(), open) == 0);
        const size_t end = body.find(",\"events\":[");
        REQUIRE(end != std::string::npos);
        CHECK(body.substr(open.size(), end - open.size()) == dump(parsed["record"]));
        Change c;
        c.type = ChangeType::Record;
        c.record = snapshotOf(r);
        c.events = {e};
        CHECK(body == encodeChangeBody(c));
        auto decoded =
            decodePullResponse(encodePullResponse({{1, body}}, "1.x", false, 0, "k-0001", "02374"));
        REQUIRE(decoded);
        REQUIRE(decoded->changes.size() == 1);
        CHECK(decoded->changes[0].record.resultNote == r.resultNote);
        CHECK(decoded->changes[0].record.procedure == (r.kind == RecordKind::Dossier ? "1.001234" : ""));
    }
}

namespace {

// decodePushRequest and decodePushRequestFromTree give the same answer (or the same error).
void checkPushSameAsTree(const std::string& body) {
    INFO(body.substr(0, 300));
    auto fast = decodePushRequest(body);
    auto tree = decodePushRequestFromTree(body);
    REQUIRE(fast.ok() == tree.ok());
    if (!fast) {
        CHECK(fast.error().code == tree.error().code);
        CHECK(fast.error().en == tree.error().en);
        return;
    }
    CHECK(fast->kioskId == tree->kioskId);
    REQUIRE(fast->events.size() == tree->events.size());
    for (size_t i = 0; i < fast->events.size(); ++i) {
        const PushedEvent& a = fast->events[i];
        const PushedEvent& b = tree->events[i];
        CHECK(a.seq == b.seq);
        CHECK(a.uuid == b.uuid);
        REQUIRE(a.event.has_value() == b.event.has_value());
        if (a.event)
            CHECK(toJson(*a.event) == toJson(*b.event));
        else
            CHECK(a.problem.en == b.problem.en);
    }
    CHECK(encodePushRequest("", {}, fast->heartbeat, fast->receptions) ==
          encodePushRequest("", {}, tree->heartbeat, tree->receptions));
}

}  // namespace

TEST_CASE("push requests: the direct decoder answers as the tree does", "[protocol]") {
    std::vector<Event> events{sampleEvent(1), sampleEvent(2), sampleEvent(3)};
    events[1].payload = {
        {"note", "Ghi chú \"trích\" \\ \u0001"}, {"n", -3}, {"list", {1, "hai", nullptr, false}}};
    Heartbeat hb;
    hb.appVersion = "0.1.0";
    hb.queueDepth = 12;
    hb.clockMs = 1795724939529;
    hb.freeDiskMb = 2048;
    ReceptionReport reception{
        "1b4e28ba-2fa1-41d2-883f-0016d3cca427", "cb01", 1767232800, 2, "", "khieu-nai", "Hướng dẫn", ""};
    const std::string body = encodePushRequest("k-0001", events, hb, {reception});

    checkPushSameAsTree(body);
    checkPushSameAsTree(nlohmann::json::parse(body).dump(2));  // spaced out
    checkPushSameAsTree(encodePushRequest("", events));        // no heartbeat, no kiosk id
    auto decoded = decodePushRequest(body);
    REQUIRE(decoded);
    REQUIRE(decoded->events.size() == 3);
    CHECK(decoded->events[1].event->payload == events[1].payload);
    REQUIRE(decoded->heartbeat);
    CHECK(decoded->heartbeat->queueDepth == 12);
    CHECK(decoded->receptions.size() == 1);

    // What the direct reader leaves to the tree: each answer is the tree's.
    auto edit = [&](const std::function<void(nlohmann::json&)>& change) {
        auto j = nlohmann::json::parse(body);
        change(j);
        return j.dump();
    };
    checkPushSameAsTree(edit([](auto& j) { j["events"][1].erase("action"); }));         // a malformed event
    checkPushSameAsTree(edit([](auto& j) { j["events"][1]["uuid"] = "not-a-uuid"; }));  // idem
    checkPushSameAsTree(edit([](auto& j) { j["events"][2]["seq"] = 1; }));              // the same seq twice
    checkPushSameAsTree(edit([](auto& j) { j["events"][0]["seq"] = 0; }));              // not positive
    checkPushSameAsTree(edit([](auto& j) { j["events"][0].erase("seq"); }));
    checkPushSameAsTree(edit([](auto& j) { j["version"] = 2; }));
    checkPushSameAsTree(edit([](auto& j) { j.erase("version"); }));
    checkPushSameAsTree(edit([](auto& j) { j.erase("kiosk"); }));
    checkPushSameAsTree(edit([](auto& j) { j["kiosk"] = std::string(65, 'k'); }));
    checkPushSameAsTree(edit([](auto& j) { j.erase("events"); }));
    checkPushSameAsTree(edit([](auto& j) { j["events"] = "none"; }));
    checkPushSameAsTree(edit([](auto& j) { j["heartbeat"] = nullptr; }));
    checkPushSameAsTree(edit([](auto& j) { j["heartbeat"] = "often"; }));
    checkPushSameAsTree(edit([](auto& j) { j["receptions"] = {{{"uuid", 5}}}; }));  // skipped
    checkPushSameAsTree(edit([](auto& j) { j["extra"] = {{"a", 1}}; }));            // ignored
    checkPushSameAsTree(edit([](auto& j) {
        for (int i = 0; i < 500; ++i) j["events"].push_back(j["events"][0]);  // too many
    }));
    checkPushSameAsTree(body.substr(0, body.size() / 2));                                   // cut short
    checkPushSameAsTree("{\"version\":1,\"kiosk\":\"k\",\"kiosk\":\"k2\",\"events\":[]}");  // a key twice
    checkPushSameAsTree("{\"version\":1,\"kiosk\":\"k\",\"events\":[]} x");
    checkPushSameAsTree(std::string("{\"version\":1,\"kiosk\":\"k\xff\",\"events\":[]}"));  // not UTF-8
}
