// What the desk does with papers at the counter: the printed petition marked signed or fingerprinted
// (Đã ký/điểm chỉ) with one button of the record view, once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>

#include "tests/support/store_fixture.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

void login(UiHarness& h) {
    h.addOfficer("cb01", "Trần Văn Bình", "2468101214");
    h.tap("home.officer");
    REQUIRE(h.screen() == ScreenId::OfficerLogin);
    h.tap("officer.id");
    h.typeKeys("cb01");
    h.tap("kb.done");
    h.tap("pad.clear");
    h.typeDigits("2468101214");
    h.tap("officer.submit");
    REQUIRE(h.screen() == ScreenId::Officer);
}

}  // namespace

TEST_CASE("officer console: the printed petition is marked signed with one button, once") {
    UiHarness h;
    auto created = h.store().createRecord(testing_support::petitionDraft(h.store(), "khieu-nai"),
                                          kiosk::Actor{kiosk::Role::Kiosk, ""}, int64_t(std::time(nullptr)));
    REQUIRE(created.ok());
    const std::string code = created->code;
    const kiosk::Date due = created->due;
    login(h);
    auto& view = h.ui().officerScreen().recordView();
    h.tap("queue.row." + code);
    REQUIRE(view.isOpen());
    REQUIRE(h.has("record.action.mark-signed"));
    h.tap("record.action.mark-signed");
    h.tap("record.confirm");
    REQUIRE_FALSE(view.pending().has_value());
    // On the record's history at once, by this officer; the status and the due date stay.
    const auto& history = view.detail()->history;
    REQUIRE(history.size() == 2);
    CHECK(history[1].action == kiosk::Action::MarkSigned);
    CHECK(history[1].actorId == "cb01");
    CHECK(view.detail()->record.status == kiosk::RecordStatus::Received);
    CHECK(view.detail()->record.due == due);
    // Once: the button is gone, the other actions are not.
    CHECK_FALSE(h.has("record.action.mark-signed"));
    CHECK(h.has("record.action.accept"));
    CHECK(testing_support::uiStrings().get("action.mark-signed", kiosk::Lang::Vi) == "Đã ký/điểm chỉ");
    CHECK(testing_support::uiStrings().missingKeys().empty());
}
