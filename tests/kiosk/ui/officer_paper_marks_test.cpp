// What the desk does with papers at the counter: the printed petition marked signed or fingerprinted
// (Đã ký/điểm chỉ) with one button of the record view, once; and a dossier taken for an applicant
// without a mobile phone ("Tôi không có điện thoại"), whose receipt gives the 4-digit check PIN that
// opens its status check, as the petition form's does.
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

// The first procedure the dossier form's search lists, by its widget id.
std::string firstProcedure(UiHarness& h) {
    std::string first;
    for (const auto& [id, entry] : h.ui().widgets().all())
        if (id.rfind("dossier.proc.", 0) == 0 && (first.empty() || entry.min.y < h.center(first).y))
            first = id;
    REQUIRE_FALSE(first.empty());
    return first;
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

TEST_CASE("officer console: a dossier without a phone gets a check PIN that opens its status") {
    UiHarness h;
    login(h);
    h.tap("officer.tab.register");
    h.tap("dossier.search");
    h.typeKeys("khai sinh");
    h.tap("kb.done");
    h.tap(firstProcedure(h));
    h.tap("dossier.name");
    h.typeKeys("Ddinh Vawn Tuaans");
    h.tap("kb.done");
    h.tap("dossier.phone");
    h.typeDigits("0987");  // typed, then the applicant says they have no phone: not kept
    h.tap("pad.done");
    REQUIRE(h.has("dossier.no_phone"));
    h.tap("dossier.no_phone");
    CHECK_FALSE(h.has("dossier.phone"));
    h.tap("dossier.submit");
    INFO((h.ui().officerScreen().dossierForm().errors().empty()
              ? std::string()
              : h.ui().officerScreen().dossierForm().errors().front().error.en));
    REQUIRE(h.screen() == ScreenId::Receipt);
    const auto& receipt = h.ui().receiptScreen().receipt();
    REQUIRE(receipt.has_value());
    const std::string code = receipt->record.code;
    const std::string pin = receipt->checkPin;
    REQUIRE(pin.size() == 4);
    CHECK(pin.find_first_not_of("0123456789") == std::string::npos);
    CHECK(receipt->record.checkPin.empty());  // one copy, the receipt's
    const kiosk::Record r = h.readAsOfficer(code, "cb01", "2468101214");
    CHECK(r.kind == kiosk::RecordKind::Dossier);
    CHECK(r.identity.phone.empty());
    auto check = h.controller().checkStatus(code, pin);
    REQUIRE(check.ok());
    REQUIRE(check->report.has_value());
    CHECK(check->report->record.code == code);
}
