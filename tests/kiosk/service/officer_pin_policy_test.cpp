// Officers' PINs against a kiosk carried off: a new PIN is at least 10 digits; an officer whose key
// is wrapped under the older 6-digit policy logs in once and must set a new PIN before anything
// else, after which the old wrap is nowhere in the database file or its WAL. Real SQLite files.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "common/sealing.h"
#include "kiosk/service/store_controller.h"
#include "kiosk/store/officers.h"
#include "tests/support/store_fixture.h"

using kiosk::app::StoreController;
using namespace kiosk;

namespace {

const common::KdfCost kCheap{1, 8u << 20};  // the stored cost is what matters here, not its size

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// As a kiosk from before the 10-digit policy held the officer: a key wrapped under a 6-digit PIN,
// pin_policy 1 (the migration's default for the rows it found) and no signing key.
std::string makeOldPolicyOfficer(store::KioskStore& s, const std::string& id, const std::string& pin) {
    REQUIRE(store::addOfficer(s, {id, "Trần Văn Bình", "officer", false}, "9999999999", kCheap).ok());
    auto old = common::makeWrappedKey(pin, kCheap);
    REQUIRE(old.ok());
    auto st = s.database().prepare(
        "UPDATE officers SET public_key = ?, wrapped_key = ?, kdf_salt = ?, kdf_ops = ?, kdf_mem = ?, "
        "signing_key = '', pin_policy = 1 WHERE id = ?");
    REQUIRE(st.ok());
    st->bind(1, common::toBase64(old->publicKey.data(), old->publicKey.size()))
        .bind(2, old->wrapped)
        .bind(3, old->salt)
        .bind(4, int64_t(old->cost.ops))
        .bind(5, int64_t(old->cost.memBytes))
        .bind(6, id);
    REQUIRE(st->run().ok());
    return old->wrapped;
}

}  // namespace

TEST_CASE("kiosk/service officer PIN: a new PIN of fewer than 10 digits is refused") {
    testing_support::TempDir dir;
    auto s = testing_support::makeKioskStore(dir.file("kiosk.db"));
    for (const char* pin : {"246810", "123456789", "12345678901234567", "24681012a4"}) {
        auto refused = store::addOfficer(*s, {"cb01", "Trần Văn Bình", "officer", false}, pin, kCheap);
        INFO(pin);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == "officer.pin-format");
    }
    auto added = store::addOfficer(*s, {"cb01", "Trần Văn Bình", "officer", false}, "2468101214", kCheap);
    REQUIRE(added.ok());
    CHECK(added->signingKey.size() == 44);  // base64 of a 32-byte Ed25519 public key
    auto reset = store::resetOfficerPin(*s, "cb01", "135790");
    REQUIRE_FALSE(reset.ok());
    CHECK(reset.error().code == "officer.pin-format");
}

TEST_CASE("kiosk/service officer PIN: an old-policy officer must set a new PIN first, the old wrap is gone") {
    testing_support::TempDir dir;
    const std::string path = dir.file("kiosk.db");
    auto s = testing_support::makeKioskStore(path);
    const std::string oldWrap = makeOldPolicyOfficer(*s, "cb01", "246810");
    auto record = s->createRecord(testing_support::petitionDraft(*s, "kien-nghi"), Actor{Role::Kiosk, ""},
                                  1'764'122'400);
    REQUIRE(record.ok());
    StoreController controller(*s, ComposerOptions{});

    auto session = controller.officerLogin("cb01", "246810");
    REQUIRE(session.ok());
    CHECK(session->mustChangePin);
    // Nothing before the new PIN: no action (nothing signed), no identity opened.
    auto acted = controller.act(*session, record->code, Action::Resolve, "Đã trả lời.");
    REQUIRE_FALSE(acted.ok());
    CHECK(s->outboxPending().value() == 1);
    auto detail = controller.recordDetail(*session, record->code);
    if (detail.ok()) CHECK(detail->record.identity.name.empty());
    auto shortPin = controller.changeOwnPin("13579024");
    REQUIRE_FALSE(shortPin.ok());
    CHECK(shortPin.error().code == "officer.pin-format");

    auto changed = controller.changeOwnPin("1357902468");
    REQUIRE(changed.ok());
    CHECK_FALSE(changed->mustChangePin);
    // The seal made for the old key was moved to the new one: the officer still reads the record.
    auto opened = controller.recordDetail(*changed, record->code);
    REQUIRE(opened.ok());
    CHECK(opened->record.identity.name == "Nguyễn Thị Hoa");
    REQUIRE(controller.act(*changed, record->code, Action::Resolve, "Đã trả lời.").ok());
    controller.officerLogout();

    auto officers = store::listOfficers(*s).value();
    REQUIRE(officers.size() == 1);
    CHECK(officers[0].pinPolicy == store::kPinPolicy);
    CHECK(officers[0].signingKey.size() == 44);
    CHECK_FALSE(controller.officerLogin("cb01", "246810").ok());
    auto again = controller.officerLogin("cb01", "1357902468");
    REQUIRE(again.ok());
    CHECK_FALSE(again->mustChangePin);
    controller.officerLogout();
    // Neither the file nor its WAL holds the old wrap (overwritten, not only unlinked).
    CHECK(fileBytes(path).find(oldWrap) == std::string::npos);
    CHECK(fileBytes(path + "-wal").find(oldWrap) == std::string::npos);
}
