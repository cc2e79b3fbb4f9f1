// The officer console's actions added by Luật 136/2025/QH15 and the named transfer: the agency is
// picked from the data's list as touch-sized buttons, and a khiếu nại is suspended and resumed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "tests/support/store_fixture.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

std::string storePetition(UiHarness& h, const std::string& kind) {
    auto created = h.store().createRecord(testing_support::petitionDraft(h.store(), kind),
                                          kiosk::Actor{kiosk::Role::Kiosk, ""}, int64_t(std::time(nullptr)));
    REQUIRE(created.ok());
    return created->code;
}

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

kiosk::Record recordOf(UiHarness& h, const std::string& code) {
    auto found = h.store().find(code);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    return **found;
}

}  // namespace

TEST_CASE("officer console: a transfer names its agency with a tap, and leaves the queue's head") {
    UiHarness h;
    const std::string transferred = storePetition(h, "kien-nghi");
    const std::string other = storePetition(h, "kien-nghi");
    login(h);
    auto& console = h.ui().officerScreen();
    h.tap("queue.row." + transferred);
    REQUIRE(console.recordView().isOpen());
    h.tap("record.action.transfer");
    // The agencies of the day, from agencies.tsv; the former district's bodies are gone.
    CHECK(h.has("record.agency.thanh-tra-tinh"));
    CHECK(h.has("record.agency.ubnd-tinh"));
    CHECK_FALSE(h.has("record.agency.ubnd-huyen"));
    h.tap("record.confirm");  // no agency chosen yet: refused on the spot
    CHECK(console.recordView().pending().has_value());
    CHECK(recordOf(h, transferred).status == kiosk::RecordStatus::Received);
    h.tap("record.agency.thanh-tra-tinh");
    h.tap("record.confirm");
    const kiosk::Record after = recordOf(h, transferred);
    CHECK(after.status == kiosk::RecordStatus::Transferred);
    CHECK(after.transferAgency == "thanh-tra-tinh");
    // Done by transfer: after the records still to handle, never overdue.
    h.tap("top.back");
    REQUIRE(console.rows().size() == 2);
    CHECK(console.rows()[0].record.code == other);
    CHECK(console.rows()[1].record.code == transferred);
    CHECK_FALSE(console.rows()[1].overdue);
    CHECK(testing_support::uiStrings().missingKeys().empty());
}

TEST_CASE("officer console: a complaint is suspended and resumed") {
    UiHarness h;
    if (kiosk::localFromUnix(std::time(nullptr)).date < kiosk::Date{2026, 7, 1}) {
        WARN("the machine's date is before 2026-07-01: skipped");
        std::exit(77);
    }
    const std::string complaint = storePetition(h, "khieu-nai");
    login(h);
    auto& console = h.ui().officerScreen();
    h.tap("queue.row." + complaint);
    REQUIRE(console.recordView().isOpen());
    h.tap("record.action.accept");
    h.tap("record.confirm");
    REQUIRE(recordOf(h, complaint).status == kiosk::RecordStatus::Accepted);
    const kiosk::Date due = recordOf(h, complaint).due;
    const auto& offered = console.recordView().detail()->actions;
    CHECK(std::find(offered.begin(), offered.end(), kiosk::Action::Suspend) != offered.end());
    CHECK(std::find(offered.begin(), offered.end(), kiosk::Action::WithdrawPart) != offered.end());
    h.tap("record.action.suspend");
    h.tap("record.note");
    h.typeKeys("Chowf bari ans");
    h.tap("kb.done");
    h.tap("record.confirm");
    CHECK(recordOf(h, complaint).status == kiosk::RecordStatus::Suspended);
    CHECK(recordOf(h, complaint).suspendedOn.has_value());
    h.tap("record.action.resume");
    h.tap("record.confirm");
    CHECK(recordOf(h, complaint).status == kiosk::RecordStatus::Accepted);
    CHECK(recordOf(h, complaint).due == due);  // resumed the same day: nothing was used up
}

TEST_CASE("officer console: accept and refuse in plain words, the legal term in brackets") {
    UiHarness h;
    const std::string complaint = storePetition(h, "khieu-nai");
    login(h);
    h.tap("queue.row." + complaint);
    CHECK(h.has("record.action.accept"));
    CHECK(h.has("record.action.reject"));
    const auto& strings = testing_support::uiStrings();
    CHECK(strings.get("action.accept", kiosk::Lang::Vi) == "Nhận giải quyết (thụ lý)");
    CHECK(strings.get("action.reject", kiosk::Lang::Vi) == "Không nhận giải quyết (không thụ lý)");
    CHECK(strings.get("action.accept", kiosk::Lang::En) == "Take it up (accept)");
    CHECK(strings.get("action.reject", kiosk::Lang::En) == "Do not take it up (not accepted)");
}
