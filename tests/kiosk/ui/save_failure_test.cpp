// When the disk fails at the moment of "Gửi đơn", the citizen is told plainly that the petition was
// NOT saved, keeps what was typed, and can send again once the disk works.
#include <catch2/catch.hpp>

#include "tests/support/faulty_vfs.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::PetitionScreen;
using kiosk::ui::ScreenId;
using testing_support::diskFaults;
using testing_support::UiHarness;

TEST_CASE("a disk failure at confirm says the petition was NOT saved, and a retry stores it") {
    testing_support::FaultyVfsScope vfs;  // before the store opens: its connection goes through it
    UiHarness h;
    h.tap("home.submit");
    h.tap("petition.kind.phan-anh");
    h.tap("petition.phone");
    h.typeDigits("0912345678");
    h.tap("pad.done");
    h.tap("petition.privacy");
    h.tap("petition.next");
    h.tap("petition.content");
    h.typeKeys("Ddeef nghij suwra cais caafu.");
    h.tap("kb.done");
    h.tap("petition.next");
    h.tap("petition.next");
    REQUIRE(h.ui().petitionScreen().step() == PetitionScreen::Step::Confirm);

    diskFaults().sticky = true;
    diskFaults().writesUntilFailure = 0;
    h.tap("petition.send");
    const int failures = diskFaults().failures;
    diskFaults().clear();
    CHECK(failures > 0);
    CHECK(h.screen() == ScreenId::Petition);
    REQUIRE(h.ui().petitionScreen().saveError().has_value());
    CHECK(h.ui().petitionScreen().saveError()->vi.find("CHƯA được lưu") != std::string::npos);
    CHECK(h.ui().petitionScreen().field(PetitionScreen::Focus::Content).text() == "Đề nghị sửa cái cầu.");
    CHECK(h.store().countRecords().value() == 0);

    h.tap("petition.send");
    CHECK(h.screen() == ScreenId::Receipt);
    CHECK(h.store().countRecords().value() == 1);
}
