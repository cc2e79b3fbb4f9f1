// The printed slip as the window handles it, headless: after "Gửi đơn" the receipt screen asks for
// the slip, the printer thread prints it through a private cupsd (tests/support/cups_fixture.h)
// and the screen says "Đang in…" then "Đã in phiếu"; a stopped printer makes it say the printer
// could not print, the slip is journaled as failed, and the console's retry prints it. Exits 77
// (skipped) without cupsd, cups-pdf or root.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "kiosk/printing/print_queue.h"
#include "kiosk/store/print_journal.h"
#include "tests/kiosk/ui/ui_harness.h"
#include "tests/support/cups_fixture.h"

using kiosk::ui::PaperState;
using kiosk::ui::ScreenId;
using testing_support::UiHarness;

namespace {

void tapPetition(UiHarness& h) {
    h.tap("home.submit");
    h.tap("petition.kind.phan-anh");
    h.tap("petition.phone");
    h.typeDigits("0912345678");
    h.tap("pad.done");
    h.tap("petition.privacy");
    h.tap("petition.next");
    h.tap("petition.content");
    h.typeKeys("Ddeef nghij suwra ddeef.");
    h.tap("kb.done");
    h.tap("petition.next");
    h.tap("petition.next");
    h.tap("petition.send");
    REQUIRE(h.screen() == ScreenId::Receipt);
}

// Frames until the slip is no longer printing (the printer thread wakes nothing here: the harness
// draws frames itself, as the window would on the thread's glfwPostEmptyEvent).
PaperState settle(UiHarness& h) {
    PaperState s;
    for (int i = 0; i < 200; ++i) {
        h.frame();
        s = h.ui().receiptScreen().slip().state(h.ui().context());
        if (s.state != PaperState::State::Printing) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return s;
}

}  // namespace

TEST_CASE("receipt: the slip prints after Gửi đơn, a stopped printer says so and the console retries") {
    testing_support::PrivateCups cups;
    cups.addPdfPrinter("ui_slip");
    UiHarness h;
    REQUIRE(kiosk::store::savePrintSettings(h.store(), {"ui_slip", "a5"}).ok());
    auto resources = kiosk::printing::loadPaperResources(kiosk::assetsDir());
    REQUIRE(resources.ok());
    kiosk::printing::PrintQueue::Options options;
    options.watch = std::chrono::milliseconds(10000);
    kiosk::printing::PrintQueue queue(
        h.dbPath(), std::make_shared<const kiosk::printing::PaperResources>(std::move(*resources)), {},
        options);
    h.controller().setPrintQueue(&queue);

    tapPetition(h);
    CHECK(h.ui().receiptScreen().slip().state(h.ui().context()).state == PaperState::State::Printing);
    CHECK(settle(h).state == PaperState::State::Printed);
    h.tap("receipt.done");

    cups.disable("ui_slip");
    tapPetition(h);
    const PaperState failed = settle(h);
    CHECK(failed.state == PaperState::State::Failed);
    CHECK(failed.fault.code == "printer.stopped");
    auto unprinted = h.controller().unprintedPapers();
    REQUIRE(unprinted.ok());
    REQUIRE(unprinted->size() == 1);
    CHECK(unprinted->front().failed);

    // The officer's retry (the console's "In lại" calls it) once the printer is back.
    cups.enable("ui_slip");
    REQUIRE(h.controller().retryPaper(unprinted->front().id).ok());
    for (int i = 0;
         i < 200 && h.controller().paperState(unprinted->front().id).state == PaperState::State::Printing;
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(h.controller().paperState(unprinted->front().id).state == PaperState::State::Printed);
    CHECK(h.controller().unprintedPapers()->empty());
    h.controller().setPrintQueue(nullptr);
}
