// The petition form's second-time complaint (khiếu nại lần hai, Luật Khiếu nại 2011 Điều 37): only a
// khiếu nại offers it; the first receipt code is typed on the number pad; a code this kiosk does not
// know as a complaint is refused at the field, in both languages; the stored petition names the first.
#include <catch2/catch.hpp>

#include <ctime>

#include "core/receipt_code.h"
#include "tests/support/store_fixture.h"
#include "tests/kiosk/ui/ui_harness.h"

using kiosk::ui::PetitionScreen;
using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

const kiosk::FieldError* errorAt(const PetitionScreen& screen, const std::string& field) {
    for (const kiosk::FieldError& e : screen.errors())
        if (e.field == field) return &e;
    return nullptr;
}

}  // namespace

TEST_CASE("petition form: a second-time complaint names the first one, typed on the number pad") {
    UiHarness h;
    auto first = h.store().createRecord(testing_support::petitionDraft(h.store(), "khieu-nai"),
                                        kiosk::Actor{kiosk::Role::Kiosk, ""}, int64_t(std::time(nullptr)));
    REQUIRE(first.ok());
    const std::string firstCode = first->code;
    auto recommendation =
        h.store().createRecord(testing_support::petitionDraft(h.store(), "kien-nghi"),
                               kiosk::Actor{kiosk::Role::Kiosk, ""}, int64_t(std::time(nullptr)));
    REQUIRE(recommendation.ok());
    const PetitionScreen& screen = h.ui().petitionScreen();

    h.tap("home.submit");
    h.tap("petition.kind.kien-nghi");
    CHECK_FALSE(h.has("petition.second_time"));  // only a khiếu nại can be a second one
    h.tap("top.back");
    h.tap("petition.kind.khieu-nai");
    REQUIRE(screen.step() == PetitionScreen::Step::Identity);
    h.tap("petition.name");
    h.typeKeys("Nguyeenx Vawn An");
    h.tap("petition.cccd");
    h.typeDigits("008190001234");
    h.tap("petition.phone");
    h.typeDigits("0912345678");
    h.tap("pad.done");
    h.tap("petition.privacy");
    REQUIRE(h.reveal("petition.address"));
    h.tap("petition.address");
    h.typeKeys("Thoon 3");
    h.tap("kb.done");
    REQUIRE(h.reveal("petition.second_time"));
    h.tap("petition.second_time");
    CHECK(screen.secondTime());
    // Said, but no code: the field asks for it.
    h.tap("petition.next");
    CHECK(screen.step() == PetitionScreen::Step::Identity);
    REQUIRE(errorAt(screen, "first_code") != nullptr);
    // A code of a record that is not a complaint: refused at the field, in both languages.
    REQUIRE(h.reveal("petition.first_code"));
    h.tap("petition.first_code");
    h.typeDigits(recommendation->code);
    h.tap("pad.done");
    h.tap("petition.next");
    CHECK(screen.step() == PetitionScreen::Step::Identity);
    const kiosk::FieldError* unknown = errorAt(screen, "first_code");
    REQUIRE(unknown != nullptr);
    CHECK(unknown->error.code == "petition.second-time-unknown");
    CHECK(unknown->error.vi.find("lần đầu") != std::string::npos);
    CHECK(unknown->error.en.find("first complaint") != std::string::npos);
    // The right code: on to the content, and the stored petition names the first.
    h.tap("petition.first_code");
    h.tap("pad.clear");
    h.typeDigits(firstCode);
    h.tap("pad.done");
    h.tap("petition.next");
    REQUIRE(screen.step() == PetitionScreen::Step::Content);
    h.tap("petition.content");
    h.typeKeys("Khieeus naij laanf hai veef quyeets ddinhj thu hooif ddaats.");
    h.tap("kb.done");
    h.tap("petition.next");
    REQUIRE(screen.step() == PetitionScreen::Step::Review);
    h.tap("petition.next");
    h.tap("petition.send");
    REQUIRE(h.screen() == ScreenId::Receipt);
    auto listed = h.store().list({}, kiosk::Date{2026, 1, 1});
    REQUIRE(listed.ok());
    int linked = 0;
    for (const kiosk::Record& r : *listed)
        if (r.linkedCode == firstCode) ++linked;
    CHECK(linked == 1);
    CHECK(testing_support::uiStrings().missingKeys().empty());
}
