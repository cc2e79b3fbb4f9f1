// Less to steal from a kiosk carried off: officers' seals of a record closed longer than the
// retention (90 days by default) are deleted at an officer's login; the district's seal stays.
#include <catch2/catch.hpp>

#include "common/sealing.h"
#include "kiosk/store/officers.h"
#include "tests/support/store_fixture.h"

using namespace kiosk;

namespace {

int64_t sealsOf(store::KioskStore& s, const std::string& code, const std::string& recipient) {
    auto st = s.database().prepare("SELECT count(*) FROM seals WHERE record_code = ? AND recipient = ?");
    REQUIRE(st.ok());
    st->bind(1, code).bind(2, recipient);
    REQUIRE(st->step().ok());
    return st->integer(0);
}

}  // namespace

TEST_CASE("kiosk/store officer seals: a record closed 91 days ago loses them, 89 days ago keeps them") {
    testing_support::TempDir dir;
    auto s = testing_support::makeKioskStore(dir.file("kiosk.db"));
    const common::KdfCost cheap{1, 8u << 20};
    REQUIRE(store::addOfficer(*s, {"cb01", "Trần Văn Bình", "officer", false}, "2468101214", cheap).ok());
    const int64_t now = int64_t(wallClockMillis() / 1000);
    auto closed =
        s->createRecord(testing_support::petitionDraft(*s, "kien-nghi"), Actor{Role::Kiosk, ""}, now);
    auto open = s->createRecord(testing_support::petitionDraft(*s, "phan-anh"), Actor{Role::Kiosk, ""}, now);
    REQUIRE(closed.ok());
    REQUIRE(open.ok());
    // A district seal beside the officer's, as a kiosk that knows the district's key holds it.
    auto district =
        s->database().prepare("INSERT INTO seals(record_code, recipient, box) VALUES(?, 'district', 'x')");
    REQUIRE(district.ok());
    district->bind(1, closed->code);
    REQUIRE(district->run().ok());
    {
        auto session = store::loginOfficer(*s, "cb01", "2468101214", now);
        REQUIRE(session.ok());
        s->unlock(session->secret);
        REQUIRE(s->act(closed->code, Action::Resolve, Actor{Role::CommuneOfficer, "cb01"},
                       nlohmann::json{{"note", "Không thuộc thẩm quyền của xã."}}, now)
                    .ok());
        s->lock();
    }
    REQUIRE(sealsOf(*s, closed->code, "cb01") == 1);

    const int64_t day = 86400;
    REQUIRE(store::loginOfficer(*s, "cb01", "2468101214", now + 89 * day).ok());
    CHECK(sealsOf(*s, closed->code, "cb01") == 1);
    REQUIRE(store::loginOfficer(*s, "cb01", "2468101214", now + 91 * day).ok());
    CHECK(sealsOf(*s, closed->code, "cb01") == 0);
    CHECK(sealsOf(*s, closed->code, "district") == 1);  // the district's copy is not the officers'
    CHECK(sealsOf(*s, open->code, "cb01") == 1);        // an open record keeps its seals

    // The retention is the kiosk's setting.
    REQUIRE(store::writeMeta(s->database(), "seal_retention_days", "400").ok());
    auto later =
        s->createRecord(testing_support::petitionDraft(*s, "kien-nghi"), Actor{Role::Kiosk, ""}, now);
    REQUIRE(later.ok());
    auto session = store::loginOfficer(*s, "cb01", "2468101214", now);
    REQUIRE(session.ok());
    s->unlock(session->secret);
    REQUIRE(s->act(later->code, Action::Withdraw, Actor{Role::CommuneOfficer, "cb01"},
                   nlohmann::json{{"note", "Công dân rút đơn."}}, now)
                .ok());
    CHECK(store::purgeClosedSeals(*s, now + 91 * day).value() == 0);
    CHECK(store::purgeClosedSeals(*s, now + 401 * day).value() == 1);
}
