// The officer console: PIN login with lockout, the queue, a record's actions through store.act,
// a tố cáo's identity never shown, registering a dossier at the desk.
#include <catch2/catch.hpp>

#include <ctime>

#include "common/sealing.h"
#include "core/text.h"
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

void login(UiHarness& h, const std::string& id, const std::string& pin) {
    if (h.screen() == ScreenId::Home) h.tap("home.officer");
    REQUIRE(h.screen() == ScreenId::OfficerLogin);
    h.tap("officer.id");
    h.typeKeys(id);
    h.tap("kb.done");  // on to the PIN, on the numeric pad
    h.tap("pad.clear");
    h.typeDigits(pin);
    h.tap("officer.submit");
}

kiosk::RecordStatus statusOf(UiHarness& h, const std::string& code) {
    auto found = h.store().find(code);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    return (*found)->status;
}

}  // namespace

TEST_CASE("an officer logs in with a PIN, accepts and resolves a complaint") {
    UiHarness h;
    h.addOfficer("cb01", "Trần Văn Bình", "2468101214");
    const std::string complaint = storePetition(h, "khieu-nai");
    const std::string denunciation = storePetition(h, "to-cao");
    login(h, "cb01", "2468101214");
    REQUIRE(h.screen() == ScreenId::Officer);
    auto& console = h.ui().officerScreen();
    REQUIRE(console.rows().size() == 2);
    for (const auto& row : console.rows())
        if (row.record.petitionKind == kiosk::PetitionKind::Denunciation)
            CHECK(row.record.identity.name.empty());

    h.tap("queue.row." + complaint);
    REQUIRE(console.recordView().isOpen());
    const auto& detail = *console.recordView().detail();
    CHECK_FALSE(detail.identityHidden);
    CHECK(detail.record.identity.name == "Nguyễn Thị Hoa");  // sealed to this officer, opened at login
    h.tap("record.action.accept");
    h.tap("record.confirm");
    CHECK(statusOf(h, complaint) == kiosk::RecordStatus::Accepted);

    h.tap("record.action.resolve");
    // A resolution needs its result: confirming without one is refused on the spot.
    h.tap("kb.done");
    h.tap("record.confirm");
    CHECK(console.recordView().pending().has_value());
    CHECK(statusOf(h, complaint) == kiosk::RecordStatus::Accepted);
    h.tap("record.note");
    h.typeKeys("Ddax giari quyeets: caaps giaasy chuwngs nhaajn.");
    h.tap("kb.done");
    h.tap("record.confirm");
    CHECK(statusOf(h, complaint) == kiosk::RecordStatus::Resolved);
    auto resolved = h.store().find(complaint);
    CHECK((*resolved)->resultNote == "Đã giải quyết: cấp giấy chứng nhận.");
    REQUIRE(console.recordView().detail().has_value());
    CHECK(console.recordView().detail()->history.size() == 3);
    CHECK(console.recordView().detail()->actions.empty());  // final

    // A tố cáo at the commune: identity never shown.
    h.tap("top.back");
    h.tap("queue.status.3");  // all statuses
    h.tap("queue.row." + denunciation);
    REQUIRE(console.recordView().detail().has_value());
    CHECK(console.recordView().detail()->identityHidden);
    CHECK(console.recordView().detail()->record.identity.name.empty());
    CHECK(console.recordView().detail()->record.identity.cccd.empty());

    // Logging out locks the store again.
    h.tap("top.back");
    h.tap("officer.logout");
    CHECK(h.screen() == ScreenId::Home);
    CHECK_FALSE(h.store().unlocked());
    CHECK(testing_support::uiStrings().missingKeys().empty());
}

TEST_CASE("wrong PINs lock the officer out, and the lock holds against the right PIN") {
    UiHarness h;
    h.addOfficer("cb02", "Lê Thị Mai", "1357902468");
    for (int i = 0; i < 5; ++i) {
        INFO("try " << i);
        login(h, "cb02", "000000");
        REQUIRE(h.screen() == ScreenId::OfficerLogin);
        REQUIRE(h.ui().officerLoginScreen().error().has_value());
        // The fifth wrong PIN already answers with the lock and how long it lasts.
        CHECK(h.ui().officerLoginScreen().error()->code == (i < 4 ? "officer.wrong-pin" : "officer.locked"));
        h.tap("top.back");
    }
    login(h, "cb02", "1357902468");
    CHECK(h.screen() == ScreenId::OfficerLogin);
    REQUIRE(h.ui().officerLoginScreen().error().has_value());
    CHECK(h.ui().officerLoginScreen().error()->code == "officer.locked");
}

TEST_CASE("the desk registers a dossier and shows its receipt, then returns to the console") {
    UiHarness h;
    h.addOfficer("cb03", "Hoàng Văn Nam", "1122334455");
    login(h, "cb03", "1122334455");
    REQUIRE(h.screen() == ScreenId::Officer);
    h.tap("officer.tab.register");
    h.tap("dossier.search");
    h.typeKeys("khai sinh");
    h.tap("kb.done");
    // The first procedure the search lists.
    std::string first;
    for (const auto& [id, entry] : h.ui().widgets().all())
        if (id.rfind("dossier.proc.", 0) == 0 && (first.empty() || entry.min.y < h.center(first).y))
            first = id;
    REQUIRE_FALSE(first.empty());
    h.tap(first);
    REQUIRE(h.ui().officerScreen().dossierForm().procedure().has_value());
    h.tap("dossier.submit");  // nothing typed yet: errors, nothing stored
    CHECK_FALSE(h.ui().officerScreen().dossierForm().errors().empty());
    CHECK(h.store().countRecords().value() == 0);
    h.tap("dossier.name");
    h.typeKeys("Ddinh Vawn Tuaans");
    h.tap("dossier.phone");
    h.typeDigits("0987654321");
    h.tap("pad.done");
    h.tap("dossier.submit");
    REQUIRE(h.screen() == ScreenId::Receipt);
    REQUIRE(h.ui().receiptScreen().receipt().has_value());
    const std::string code = h.ui().receiptScreen().receipt()->record.code;
    CHECK(h.store().countRecords().value() == 1);
    const kiosk::Record r = h.readAsOfficer(code, "cb03", "1122334455");
    CHECK(r.kind == kiosk::RecordKind::Dossier);
    CHECK(r.identity.name == "Đinh Văn Tuấn");
    h.tap("receipt.done");
    CHECK(h.screen() == ScreenId::Officer);
}

TEST_CASE("the queue opens the citizens' names of the rows it shows, and keeps nothing else they wrote") {
    UiHarness h;
    h.addOfficer("cb05", "Lý Thị Mai", "7788990011");
    for (int i = 0; i < 60; ++i) storePetition(h, "khieu-nai");
    login(h, "cb05", "7788990011");
    const auto& rows = h.ui().officerScreen().rows();
    REQUIRE(rows.size() == 60);
    size_t opened = 0;
    for (const auto& row : rows) {
        if (row.namePending) {
            CHECK(row.record.identity.name.empty());
        } else {
            ++opened;
            CHECK(row.record.identity.name == "Nguyễn Thị Hoa");
        }
        CHECK(row.record.content.empty());
        CHECK(row.record.identity.phone.empty());
        CHECK(row.record.identity.cccd.empty());
    }
    CHECK(opened > 3);
    CHECK(opened < 20);
    // Rows dragged into view get their names.
    h.drag(ImVec2(900, 900), ImVec2(900, 400), 10, 12);
    h.frames(3);
    for (const auto& row : rows)
        if (h.has("queue.row." + row.record.code)) CHECK(row.record.identity.name == "Nguyễn Thị Hoa");
}

TEST_CASE("the queue draws only the rows on screen (ImGuiListClipper)") {
    UiHarness h;
    h.addOfficer("cb04", "Vũ Văn Long", "4455667788");
    for (int i = 0; i < 120; ++i) storePetition(h, "phan-anh");
    login(h, "cb04", "4455667788");
    REQUIRE(h.ui().officerScreen().rows().size() == 120);
    int drawn = 0;
    for (const auto& [id, entry] : h.ui().widgets().all())
        if (id.rfind("queue.row.", 0) == 0) ++drawn;
    CHECK(drawn > 3);
    CHECK(drawn < 20);
    // Dragging the list shows later rows.
    const std::string firstCode = h.ui().officerScreen().rows().front().record.code;
    CHECK(h.has("queue.row." + firstCode));
    h.drag(ImVec2(900, 900), ImVec2(900, 400), 10, 12);
    h.frames(3);
    CHECK_FALSE(h.has("queue.row." + firstCode));
    CHECK_FALSE(h.ui().officerScreen().recordView().isOpen());  // a drag is not a tap
}

TEST_CASE("the officer finds a citizen's records by name or phone, typed on the screen's keyboard") {
    UiHarness h;
    h.addOfficer("cb06", "Hà Văn Sơn", "1357902468");
    auto store = [&](const std::string& kind, const std::string& name, const std::string& phone) {
        auto draft = testing_support::petitionDraft(h.store(), kind, phone);
        draft.identity.name = name;
        auto created =
            h.store().createRecord(draft, kiosk::Actor{kiosk::Role::Kiosk, ""}, int64_t(std::time(nullptr)));
        REQUIRE(created.ok());
        return created->code;
    };
    for (int i = 0; i < 150; ++i) store("phan-anh", "Phạm Thị Thu", "0912000" + std::to_string(100 + i));
    const std::string binh = store("khieu-nai", "Lê Văn Bình", "0987111222");
    const std::string hoa = store("kien-nghi", "Nguyễn Thị Hoa", "0912345678");
    const std::string secret = store("to-cao", "Nguyễn Thị Hoa", "0912345678");
    login(h, "cb06", "1357902468");
    auto& console = h.ui().officerScreen();
    REQUIRE(console.rows().size() == 153);
    auto search = [&](const std::string& keys) {
        if (h.has("queue.search.clear")) h.tap("queue.search.clear");
        h.tap("queue.search");
        h.typeKeys(keys);
        h.tap("kb.done");
        for (int i = 0; i < 2000 && !console.searchComplete(); ++i) h.frame();
        REQUIRE(console.searchComplete());
        h.frame();
        std::vector<std::string> codes;
        for (size_t i : console.matches()) codes.push_back(console.rows()[i].record.code);
        return codes;
    };
    CHECK(search("binh") == std::vector<std::string>{binh});
    CHECK(h.has("queue.row." + binh));
    // Hoa's kiến nghị, not the tố cáo that carries the same name.
    CHECK(search("nguyeenx hoa") == std::vector<std::string>{hoa});
    CHECK(search("0987111") == std::vector<std::string>{binh});
    CHECK(search("0912345678") == std::vector<std::string>{hoa});
    CHECK(search(secret) == std::vector<std::string>{secret});
    CHECK(search("tran").empty());
    CHECK(h.has("queue.search.clear"));
    // What the search opened is name, phone and CCCD, never what the citizen wrote.
    for (const auto& row : console.rows()) {
        CHECK(row.record.content.empty());
        CHECK(row.record.identity.address.empty());
        if (row.record.petitionKind == kiosk::PetitionKind::Denunciation)
            CHECK(row.record.identity.phone.empty());
    }
    h.tap("queue.search.clear");
    h.frame();
    CHECK_FALSE(console.searching());
    CHECK(h.has("queue.row." + console.rows().front().record.code));
    // The search text and the opened identities go with the officer.
    h.tap("queue.search");
    h.typeKeys("thu");
    h.tap("kb.done");
    h.tap("officer.logout");
    h.frame();
    CHECK(console.rows().empty());
    CHECK_FALSE(console.searching());
}

TEST_CASE("an officer whose PIN predates the 10-digit policy sets a new PIN before the console opens") {
    UiHarness h;
    h.addOfficer("cb09", "Đỗ Văn Hùng", "9999999999");
    {
        // The row as a kiosk from before the policy left it: a key wrapped under a 6-digit PIN.
        auto old = kiosk::common::makeWrappedKey("135791", kiosk::common::KdfCost{1, 8u << 20});
        REQUIRE(old.ok());
        auto st = h.store().database().prepare(
            "UPDATE officers SET public_key = ?, wrapped_key = ?, kdf_salt = ?, kdf_ops = ?, kdf_mem = ?, "
            "signing_key = '', pin_policy = 1 WHERE id = 'cb09'");
        REQUIRE(st.ok());
        st->bind(1, kiosk::common::toBase64(old->publicKey.data(), old->publicKey.size()))
            .bind(2, old->wrapped)
            .bind(3, old->salt)
            .bind(4, int64_t(old->cost.ops))
            .bind(5, int64_t(old->cost.memBytes));
        REQUIRE(st->run().ok());
    }
    const std::string complaint = storePetition(h, "khieu-nai");
    login(h, "cb09", "135791");
    REQUIRE(h.screen() == ScreenId::OfficerLogin);  // the console does not open yet
    REQUIRE(h.ui().officerLoginScreen().changingPin());
    auto setPin = [&](const std::string& first, const std::string& second) {
        h.tap("officer.pin.new");
        h.typeDigits(first);
        h.tap("officer.pin.confirm");
        h.typeDigits(second);
        h.tap("officer.pin.change");
    };
    setPin("13579135", "13579135");
    REQUIRE(h.ui().officerLoginScreen().error());
    CHECK(h.ui().officerLoginScreen().error()->code == "officer.pin-format");
    setPin("1357913579", "1357913570");
    REQUIRE(h.ui().officerLoginScreen().error());
    CHECK(h.ui().officerLoginScreen().error()->code == "officer.pin-mismatch");
    setPin("1357913579", "1357913579");
    REQUIRE(h.screen() == ScreenId::Officer);
    // The seal made for the old key moved to the new one.
    CHECK(h.readAsOfficer(complaint, "cb09", "1357913579").identity.name == "Nguyễn Thị Hoa");
}
