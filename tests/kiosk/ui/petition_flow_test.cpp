// A citizen submits a complaint by touch, typing Vietnamese with Telex on the on-screen keyboard;
// the record must be in the store with the right NFC text, and nothing before the last tap.
#include <catch2/catch.hpp>

#include "core/composer.h"
#include "core/text.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::PetitionScreen;
using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

int64_t recordCount(UiHarness& h) {
    auto n = h.store().countRecords();
    REQUIRE(n.ok());
    return *n;
}

}  // namespace

TEST_CASE("a complaint typed with Telex on the on-screen keyboard is stored in NFC") {
    UiHarness h;
    h.addOfficer("cb01", "Trần Văn Bình", "2468101214");  // what citizens type is sealed to officers
    REQUIRE(h.screen() == ScreenId::Home);
    h.tap("home.submit");
    REQUIRE(h.screen() == ScreenId::Petition);
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Kind);

    h.tap("petition.kind.khieu-nai");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Identity);

    h.tap("petition.name");
    REQUIRE(h.has("kb.q"));  // the letter keyboard is up
    h.typeKeys("Nguyeenx Vawn An");
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Name).text() == "Nguyễn Văn An");

    h.tap("petition.cccd");
    REQUIRE(h.has("pad.0"));  // digits get the numeric pad
    h.typeDigits("008190001234");
    h.tap("petition.phone");
    h.typeDigits("0912345678");
    h.tap("petition.address");
    h.typeKeys("Thoon 3, xax Yeen Thuaanj");
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Address).text() == "Thôn 3, xã Yên Thuận");
    h.tap("kb.done");
    REQUIRE(h.ui().petitionScreen().focus() == PetitionScreen::Focus::None);

    // Without the privacy agreement the step does not move on.
    h.tap("petition.next");
    CHECK(h.ui().petitionScreen().step() == PetitionScreen::Step::Identity);
    h.tap("petition.privacy");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Content);

    const std::string keys =
        "Ddeef nghij xem xets vieecj caaps giaasy chuwngs nhaajn quyeenf suwr dujng ddaast cho gia ddinhf "
        "tooi.";
    h.tap("petition.content");
    h.typeKeys(keys);
    const std::string expected =
        "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất cho gia đình tôi.";
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Content).text() == expected);
    CHECK(kiosk::composeKeys(keys, kiosk::InputMethod::Telex) == expected);
    h.tap("kb.done");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Review);
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Confirm);

    // Nothing is stored before the citizen confirms.
    CHECK(recordCount(h) == 0);
    h.tap("petition.send");
    REQUIRE(h.screen() == ScreenId::Receipt);
    CHECK(recordCount(h) == 1);

    const auto& receipt = h.ui().receiptScreen().receipt();
    REQUIRE(receipt.has_value());
    const std::string code = receipt->record.code;
    CHECK(code.size() == 16);
    CHECK(receipt->record.identity.name.empty());  // the receipt screen keeps no identity

    // Stored sealed: without an officer's key the file gives nothing back.
    auto sealed = h.store().find(code);
    REQUIRE(sealed.ok());
    REQUIRE(sealed->has_value());
    CHECK((*sealed)->identity.name.empty());
    const kiosk::Record r = h.readAsOfficer(code, "cb01", "2468101214");
    CHECK(r.petitionKind == kiosk::PetitionKind::Complaint);
    CHECK(r.identity.name == "Nguyễn Văn An");
    CHECK(r.identity.cccd == "008190001234");
    CHECK(r.identity.phone == "0912345678");
    CHECK(r.identity.address == "Thôn 3, xã Yên Thuận");
    CHECK(r.content == expected);
    for (const std::string* s : {&r.identity.name, &r.identity.address, &r.content})
        CHECK(kiosk::toNfc(*s) == *s);

    // "Xong" ends the session: Home again, the petition screen empty.
    h.tap("receipt.done");
    CHECK(h.screen() == ScreenId::Home);
    CHECK_FALSE(h.ui().receiptScreen().receipt().has_value());
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Name).empty());
    CHECK(testing_support::uiStrings().missingKeys().empty());
}

TEST_CASE("a petition form shows each field's error in the chosen language and blocks the step") {
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.to-cao");
    h.tap("petition.phone");
    h.typeDigits("0212345678");  // a landline prefix
    h.tap("pad.done");
    h.tap("petition.privacy");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Identity);
    // Name and CCCD are required for tố cáo; the phone prefix is not a mobile one. The messages are
    // drawn under their fields (registry ids are the fields; errors are plain text, so check the model).
    h.tap("lang.switch");
    CHECK(h.ui().context().lang == kiosk::Lang::En);
    h.tap("petition.name");
    h.typeKeys("Hoa");
    h.tap("kb.done");
    h.tap("petition.next");
    CHECK(h.ui().petitionScreen().step() == PetitionScreen::Step::Identity);
    CHECK(h.store().countRecords().value() == 0);
}

TEST_CASE("back at every step, and cancel wipes what was typed") {
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.kien-nghi");
    h.tap("petition.phone");
    h.typeDigits("0912345678");
    h.tap("pad.done");
    h.tap("petition.privacy");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Content);
    h.tap("top.back");
    CHECK(h.ui().petitionScreen().step() == PetitionScreen::Step::Identity);
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Phone).text() == "0912345678");
    h.tap("top.back");
    CHECK(h.ui().petitionScreen().step() == PetitionScreen::Step::Kind);
    h.tap("petition.cancel");
    h.tap("petition.cancel_confirm.yes");
    CHECK(h.screen() == ScreenId::Home);
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Phone).empty());
}
