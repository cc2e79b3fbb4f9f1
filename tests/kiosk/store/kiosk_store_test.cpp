#include <catch2/catch.hpp>

#include "core/receipt_code.h"
#include "core/validation.h"
#include "kiosk/store/officers.h"
#include "tests/support/officer_fixture.h"
#include "tests/support/store_fixture.h"

using namespace kiosk;
using namespace testing_support;

namespace {
constexpr int64_t kWednesdayMorning = 1764122400;  // 2025-11-26 09:00 +07:00

}  // namespace

TEST_CASE("a submitted petition is one event, one record row and one outbox row") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    auto record = store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    REQUIRE(record.ok());
    CHECK(record->code.size() == 16);
    CHECK(record->code.substr(0, 5) == "02374");
    CHECK(parseReceiptCode(record->code).ok());
    CHECK(record->status == RecordStatus::Received);
    CHECK(record->due == Date{2025, 12, 10});
    CHECK(store->outboxPending().value() == 1);

    auto found = store->find(record->code);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->identity.name.empty());  // sealed: no officer is logged in
    CHECK(store->phoneMatches(**found, "5678").value());
    CHECK_FALSE(store->phoneMatches(**found, "5679").value());
    auto history = store->history(record->code);
    REQUIRE(history.ok());
    REQUIRE(history->size() == 1);
    CHECK((*history)[0].action == Action::Submit);
}

TEST_CASE("officer actions go through the state machine and the outbox") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    auto record = store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    REQUIRE(record.ok());
    const Actor officer{Role::CommuneOfficer, "cb01"};
    store->unlock(fixtureOfficerSecret("cb01"));  // an officer acts logged in: the action is signed
    auto accepted = store->act(record->code, Action::Accept, officer, {}, kWednesdayMorning + 3600);
    REQUIRE(accepted.ok());
    CHECK(accepted->status == RecordStatus::Accepted);
    auto refused = store->act(record->code, Action::Deliver, officer, {}, kWednesdayMorning + 7200);
    REQUIRE_FALSE(refused.ok());
    CHECK(store->outboxPending().value() == 2);  // the refused action wrote nothing
    auto history = store->history(record->code).value();
    REQUIRE(history.size() == 2);
    CHECK(history[1].status == RecordStatus::Accepted);
    CHECK(history[1].actor.id == "cb01");
}

TEST_CASE("receipt codes stay unique when the clock stands still or goes back") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    std::set<std::string> codes;
    for (int i = 0; i < 50; ++i) {
        auto r =
            store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning - i * 60);
        REQUIRE(r.ok());
        CHECK(codes.insert(r->code).second);
    }
}

TEST_CASE("a corrupt serial or clock in the meta table is rebuilt from the records, never a crash") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    auto first = store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    REQUIRE(first.ok());
    const uint64_t firstSerial = parseReceiptCode(first->code)->serial;
    auto history = store->history(first->code);
    REQUIRE(history.ok());
    const uint64_t firstHlc = (*history)[0].hlc;

    for (const char* garbage : {"garbage", "", "-5", "99999999999999999999999"}) {
        INFO(garbage);
        REQUIRE(store::writeMeta(store->database(), "last_serial", garbage).ok());
        REQUIRE(store::writeMeta(store->database(), "hlc", garbage).ok());
        // The clock stands before the first record: only the records can say where the serials are.
        auto next =
            store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning - 3600);
        REQUIRE(next.ok());
        CHECK(parseReceiptCode(next->code)->serial > firstSerial);
        auto nextHistory = store->history(next->code);
        REQUIRE(nextHistory.ok());
        CHECK((*nextHistory)[0].hlc > firstHlc);
        CHECK_FALSE(store::readMeta(store->database(), "last_repair").empty());
    }
}

TEST_CASE("lists are sorted by due date and overdue is derived") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    REQUIRE(store->createRecord(petitionDraft(*store, "kien-nghi"), Actor{Role::Kiosk, ""}, kWednesdayMorning)
                .ok());
    REQUIRE(store
                ->createRecord(petitionDraft(*store, "khieu-nai"), Actor{Role::Kiosk, ""},
                               kWednesdayMorning - 86400 * 30)
                .ok());
    auto all = store->list({}, Date{2025, 12, 1}).value();
    REQUIRE(all.size() == 2);
    CHECK(all[0].due <= all[1].due);
    store::ListFilter overdue;
    overdue.overdueOnly = true;
    auto late = store->list(overdue, Date{2025, 12, 1}).value();
    REQUIRE(late.size() == 1);
    CHECK(late[0].petitionKind == PetitionKind::Complaint);
    store::ListFilter byStatus;
    byStatus.status = RecordStatus::Resolved;
    CHECK(store->list(byStatus, Date{2025, 12, 1}).value().empty());
    // Waiting on the citizen does not stop a petition's clock (the law gives no pause): still overdue.
    store->unlock(fixtureOfficerSecret("cb01"));
    REQUIRE(store
                ->act(late[0].code, Action::RequestInfo, Actor{Role::CommuneOfficer, "cb01"},
                      {{"note", "Bổ sung bản sao sổ đỏ"}}, kWednesdayMorning)
                .ok());
    CHECK(store->list(overdue, Date{2025, 12, 1}).value().size() == 1);
    CHECK(isOverdue(store->find(late[0].code).value().value(), Date{2025, 12, 1}));
}

TEST_CASE("catalog search matches with and without diacritics") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    for (const char* query : {"dang ky khai sinh", "đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "khai sin"}) {
        INFO(query);
        auto hits = store->searchCatalog(query);
        REQUIRE(hits.ok());
        REQUIRE_FALSE(hits->empty());
        CHECK(hits->front().name.find("khai sinh") != std::string::npos);
    }
    CHECK(store->searchCatalog("xyzzyqq").value().empty());
    CHECK(store->searchCatalog("\"'*()").ok());  // FTS syntax characters are not an error
    CHECK(store->searchCatalog("").value().size() >= 30);
}

TEST_CASE("a database written by a newer version is refused and left untouched") {
    TempDir dir;
    const std::string path = dir.file("kiosk.db");
    { auto store = makeKioskStore(path); }
    {
        auto db = store::Database::open(path, false);
        REQUIRE(db.ok());
        REQUIRE(db->exec("PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE);").ok());
    }
    const std::string before = fileBytes(path);
    auto reopened = store::KioskStore::open(path, false);
    REQUIRE_FALSE(reopened.ok());
    CHECK(reopened.error().code == "db.too-new");
    CHECK(reopened.error().vi.find("mới hơn") != std::string::npos);
    CHECK(fileBytes(path) == before);
}

TEST_CASE("a version 3 database upgrades: its empty identities table goes, its records stay") {
    TempDir dir;
    const std::string path = dir.file("kiosk.db");
    std::string code;
    {
        auto store = makeKioskStore(path);
        auto record = store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning);
        REQUIRE(record.ok());
        code = record->code;
    }
    {
        // Back to what version 3 left: the table, one empty row per record.
        auto db = store::Database::open(path, false);
        REQUIRE(db.ok());
        REQUIRE(db->exec("CREATE TABLE identities(record_code TEXT PRIMARY KEY REFERENCES records(code), "
                         "name TEXT NOT NULL DEFAULT '', cccd TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL, "
                         "address TEXT NOT NULL DEFAULT ''); "
                         "INSERT INTO identities(record_code, phone) SELECT code, '' FROM records; "
                         // and without what later versions added
                         "ALTER TABLE officers DROP COLUMN pin_policy; "
                         "ALTER TABLE officers DROP COLUMN signing_key; "
                         "ALTER TABLE holidays DROP COLUMN provisional; "
                         "ALTER TABLE records DROP COLUMN accepted_on; "
                         "ALTER TABLE records DROP COLUMN transfer_agency; "
                         "ALTER TABLE records DROP COLUMN suspended_on; "
                         "ALTER TABLE records DROP COLUMN withdrawn_parts; "
                         "DROP TABLE papers; "
                         "DROP TABLE ratings; "
                         "PRAGMA user_version = 3;")
                    .ok());
    }
    auto store = store::KioskStore::open(path, false);
    REQUIRE(store.ok());
    auto version = (*store)->database().prepare("PRAGMA user_version");
    REQUIRE(version.ok());
    REQUIRE(version->step().value());
    CHECK(version->integer(0) >= 4);
    auto table = (*store)->database().prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'identities'");
    REQUIRE(table.ok());
    REQUIRE(table->step().value());
    CHECK(table->integer(0) == 0);
    auto found = (*store)->find(code);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->status == RecordStatus::Received);
    CHECK((*found)->identity.name.empty());  // sealed: no officer has opened the store
}

TEST_CASE("identities are sealed: readable after an officer logs in, a denouncer's never at the commune") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    REQUIRE(store::addOfficer(*store, {"cb01", "Trần Văn Bình", "officer", false}, "2468101214").ok());
    auto complaint = store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    auto denunciation =
        store->createRecord(petitionDraft(*store, "to-cao"), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    REQUIRE(complaint.ok());
    REQUIRE(denunciation.ok());
    CHECK(complaint->identity.name == "Nguyễn Thị Hoa");  // the receipt screen still has it in memory
    CHECK(store->find(complaint->code).value()->identity.name.empty());
    CHECK(store->find(complaint->code).value()->content.empty());

    auto session = store::loginOfficer(*store, "cb01", "2468101214", kWednesdayMorning);
    REQUIRE(session.ok());
    store->unlock(session->secret);
    auto readable = store->find(complaint->code).value().value();
    CHECK(readable.identity.name == "Nguyễn Thị Hoa");
    CHECK(readable.identity.cccd == "008190001234");
    CHECK(readable.identity.phone == "0912345678");
    CHECK(readable.content.find("quyền sử dụng đất") != std::string::npos);
    CHECK(store->find(denunciation->code).value()->identity.name.empty());
    store->lock();
    CHECK(store->find(complaint->code).value()->identity.name.empty());

    // A colleague added later reads older records once cb01 has logged in again.
    REQUIRE(store::addOfficer(*store, {"cb02", "Hoàng Thị Lan", "officer", false}, "1357902468").ok());
    auto late = store::loginOfficer(*store, "cb02", "1357902468", kWednesdayMorning);
    store->unlock(late->secret);
    CHECK(store->find(complaint->code).value()->identity.name.empty());
    REQUIRE(store::loginOfficer(*store, "cb01", "2468101214", kWednesdayMorning).ok());
    CHECK(store->find(complaint->code).value()->identity.name == "Nguyễn Thị Hoa");
    CHECK(store->find(denunciation->code).value()->identity.name.empty());

    // Disabling an officer forgets their seals.
    REQUIRE(store::disableOfficer(*store, "cb02").ok());
    CHECK(store->find(complaint->code).value()->identity.name.empty());
}

TEST_CASE("records taken before the district's key was known are sealed to it at an officer's login") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    REQUIRE(store::addOfficer(*store, {"cb01", "Trần Văn Bình", "officer", false}, "2468101214").ok());
    auto waiting = store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    auto pushed =
        store->createRecord(petitionDraft(*store, "kien-nghi"), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    auto denunciation =
        store->createRecord(petitionDraft(*store, "to-cao"), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    REQUIRE(waiting.ok());
    REQUIRE(pushed.ok());
    REQUIRE(denunciation.ok());
    auto payloadOf = [&](const std::string& code) {
        auto st = store->database().prepare(
            "SELECT payload FROM events WHERE record_code = ? AND action = 'submit'");
        REQUIRE(st.ok());
        st->bind(1, code);
        REQUIRE(st->step().value());
        return nlohmann::json::parse(st->text(0));
    };
    CHECK_FALSE(payloadOf(waiting->code).contains("sealed"));
    // One record reached the district before the key did; the others still wait in the outbox.
    REQUIRE(store->database()
                .exec("UPDATE outbox SET acked = 1 WHERE event_uuid = (SELECT uuid FROM events "
                      "WHERE record_code = '" +
                      pushed->code + "')")
                .ok());
    store::PublicKey districtPk;
    unsigned char districtSk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(districtPk.data(), districtSk);
    REQUIRE(store::writeMeta(store->database(), "district_pk",
                             store::toBase64(districtPk.data(), districtPk.size()))
                .ok());

    REQUIRE(store::loginOfficer(*store, "cb01", "2468101214", kWednesdayMorning).ok());
    const auto sealed = payloadOf(waiting->code);
    REQUIRE(sealed.contains("sealed"));
    auto opened = store::openPrivatePart(sealed["sealed"].get<std::string>(), districtPk, districtSk);
    REQUIRE(opened.has_value());
    CHECK(opened->identity.name == "Nguyễn Thị Hoa");
    CHECK(opened->identity.cccd == "008190001234");
    CHECK(opened->content.find("quyền sử dụng đất") != std::string::npos);
    CHECK_FALSE(sealed.contains("identity"));
    CHECK_FALSE(payloadOf(pushed->code).contains("sealed"));        // pushed events do not change
    CHECK_FALSE(payloadOf(denunciation->code).contains("sealed"));  // no officer can open a tố cáo
    // A second login has nothing more to do and changes nothing.
    REQUIRE(store::loginOfficer(*store, "cb01", "2468101214", kWednesdayMorning).ok());
    CHECK(payloadOf(waiting->code) == sealed);
    sodium_memzero(districtSk, sizeof districtSk);
}

TEST_CASE("a list can leave the seals closed and open them one record at a time") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    REQUIRE(store::addOfficer(*store, {"cb01", "Trần Văn Bình", "officer", false}, "2468101214").ok());
    auto complaint = store->createRecord(petitionDraft(*store), Actor{Role::Kiosk, ""}, kWednesdayMorning);
    REQUIRE(complaint.ok());
    auto session = store::loginOfficer(*store, "cb01", "2468101214", kWednesdayMorning);
    REQUIRE(session.ok());
    store->unlock(session->secret);
    CHECK(store->list({}, Date{2025, 12, 1}).value().at(0).identity.name == "Nguyễn Thị Hoa");

    store::ListFilter sealed;
    sealed.privatePart = false;
    auto rows = store->list(sealed, Date{2025, 12, 1}).value();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].identity.name.empty());
    CHECK(rows[0].content.empty());
    store->openPrivatePart(rows[0]);
    CHECK(rows[0].identity.name == "Nguyễn Thị Hoa");
    CHECK(rows[0].content.find("quyền sử dụng đất") != std::string::npos);

    // Locked, nothing opens.
    store->lock();
    Record again = store->list(sealed, Date{2025, 12, 1}).value().at(0);
    store->openPrivatePart(again);
    CHECK(again.identity.name.empty());
}

TEST_CASE("a distinctive identity is nowhere in the database file, its WAL or journal") {
    TempDir dir;
    const std::string path = dir.file("kiosk.db");
    auto store = makeKioskStore(path);
    REQUIRE(store::addOfficer(*store, {"cb01", "Trần Văn Bình", "officer", false}, "2468101214").ok());
    PetitionInput input{
        "khieu-nai",    "Quàng Thị Xuyếnhh",           "008195987654",
        "0386 420 917", "Bản Khuổi Vạc, xã Yên Thuận", "Nội dung riêng tư Zyxwv về tranh chấp đất rừng"};
    auto v = validatePetition(input, store->reference().cccdProvinces, store->reference().mobilePrefixes);
    REQUIRE(v.ok());
    REQUIRE(store->createRecord(v.record, Actor{Role::Kiosk, ""}, kWednesdayMorning).ok());
    const std::string files = fileBytes(path) + fileBytes(path + "-wal") + fileBytes(path + "-journal");
    REQUIRE(files.size() > 4096);
    for (const std::string needle :
         {"Xuyếnhh", "008195987654", "0386420917", "386420917", "Khuổi Vạc", "Zyxwv"}) {
        INFO(needle);
        CHECK(files.find(needle) == std::string::npos);
    }
}

TEST_CASE("officer PINs: argon2id, lockout with increasing delay") {
    TempDir dir;
    auto store = makeKioskStore(dir.file("kiosk.db"));
    CHECK_FALSE(store::addOfficer(*store, {"cb01", "Trần Văn Bình", "officer", false}, "123").ok());
    REQUIRE(store::addOfficer(*store, {"cb01", "Trần Văn Bình", "officer", false}, "2468101214").ok());
    CHECK(store::verifyOfficer(*store, "cb01", "2468101214", 1000).ok());
    for (int i = 0; i < 4; ++i)
        CHECK(store::verifyOfficer(*store, "cb01", "000000", 1000).error().code == "officer.wrong-pin");
    CHECK(store::verifyOfficer(*store, "cb01", "000000", 1000).error().code == "officer.locked");
    // Locked: even the right PIN is refused until the delay passes.
    CHECK(store::verifyOfficer(*store, "cb01", "2468101214", 1010).error().code == "officer.locked");
    CHECK(store::verifyOfficer(*store, "cb01", "000000", 1031).error().code == "officer.locked");  // now 60 s
    CHECK(store::verifyOfficer(*store, "cb01", "2468101214", 1060).error().code == "officer.locked");
    CHECK(store::verifyOfficer(*store, "cb01", "2468101214", 1092).ok());
    REQUIRE(store::disableOfficer(*store, "cb01").ok());
    CHECK(store::verifyOfficer(*store, "cb01", "2468101214", 2000).error().code == "officer.disabled");
    CHECK(store::verifyOfficer(*store, "nobody", "2468101214", 2000).error().code == "officer.wrong-pin");
}
