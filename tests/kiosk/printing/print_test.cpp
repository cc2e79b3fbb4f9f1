// Printing as the kiosk meets it: a real kiosk database, papers drawn by papers/, sent through a
// private CUPS scheduler (tests/support/cups_fixture.h) to Debian's cups-pdf printer, the printed
// PDF read back with pdftotext and drawn to build/test-artifacts/ with pdftoppm; and the faults a
// commune meets — no such printer, a stopped printer, CUPS not running — each journaled as failed
// with its reason and printed on retry. Exits 77 (skipped) without cupsd, cups-pdf or root.
#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <thread>

#include "build_paths.h"
#include "core/receipt_code.h"
#include "core/text.h"
#include "kiosk/printing/paper_service.h"
#include "kiosk/printing/print_queue.h"
#include "kiosk/store/print_journal.h"
#include "tests/support/cups_fixture.h"
#include "tests/support/store_fixture.h"

using namespace kiosk;
using namespace kiosk::store;
using namespace kiosk::printing;
using namespace testing_support;

namespace {

std::shared_ptr<const PaperResources> resources() {
    static std::shared_ptr<const PaperResources> loaded = [] {
        auto r = loadPaperResources(assetsDir());
        INFO((r ? std::string() : r.error().en));
        REQUIRE(r.ok());
        return std::make_shared<const PaperResources>(std::move(*r));
    }();
    return loaded;
}

Record storedPetition(KioskStore& store, const std::string& kind = "khieu-nai") {
    auto record = store.createRecord(petitionDraft(store, kind), Actor{Role::Kiosk, ""}, std::time(nullptr));
    REQUIRE(record.ok());
    return *record;
}

JournalEntry printNow(KioskStore& store, const std::string& code, const std::string& printer = "") {
    auto entry = journalPaper(store, code, "slip", std::time(nullptr));
    REQUIRE(entry.ok());
    PaperRequest request;
    request.code = code;
    request.printer = printer;
    auto printed = printEntry(store, *resources(), entry->id, request, std::time(nullptr));
    REQUIRE(printed.ok());
    return *printed;
}

std::string pdfText(const std::string& pdf) {
    const std::string txt = pdf + ".txt";
    REQUIRE(std::system(("pdftotext -layout '" + pdf + "' '" + txt + "'").c_str()) == 0);
    return toNfc(fileBytes(txt));
}

}  // namespace

TEST_CASE("kiosk/printing: a slip goes through a private cupsd to cups-pdf with its code and words") {
    TempDir dir;
    PrivateCups cups;
    cups.addPdfPrinter("slip_printer");
    auto store = makeKioskStore(dir.file("kiosk.db"), "02374", 41);
    REQUIRE(savePrintSettings(*store, PrintSettings{"slip_printer", "roll80"}).ok());
    const Record record = storedPetition(*store);

    const JournalEntry entry = printNow(*store, record.code);
    INFO(entry.reasonMessageEn);
    REQUIRE(entry.status == PaperStatus::Printed);
    CHECK(entry.printer == "slip_printer");
    CHECK(entry.job > 0);

    // The printed copy has the code (cups-pdf keeps digits' text; the fixture says why not more).
    const auto printed = cups.takeOutput(dir.path(), formatReceiptCode(record.code));
    REQUIRE(printed.size() == 1);
    // The PDF the kiosk sent: its words, Vietnamese marks and all.
    PaperRequest request;
    request.code = record.code;
    auto paper = makePaper(*store, *resources(), request, std::time(nullptr));
    REQUIRE(paper.ok());
    REQUIRE(papers::writePdf(*paper, dir.file("sent.pdf")).ok());
    const std::string text = pdfText(dir.file("sent.pdf"));
    CHECK(text.find(formatReceiptCode(record.code)) != std::string::npos);
    CHECK(text.find("Khiếu nại") != std::string::npos);
    CHECK(text.find("PHIẾU BIÊN NHẬN") != std::string::npos);
    CHECK(text.find("4 số cuối") != std::string::npos);
    std::filesystem::create_directories(KIOSK_ARTIFACT_DIR);
    CHECK(std::system(("pdftoppm -png -r 110 -singlefile '" + printed.front() + "' '" + KIOSK_ARTIFACT_DIR +
                       "/printed-slip-roll80'")
                          .c_str()) == 0);
}

TEST_CASE("kiosk/printing: printer faults are journaled as failed with the reason, and retry prints") {
    TempDir dir;
    PrivateCups cups;
    cups.addPdfPrinter("counter");
    auto store = makeKioskStore(dir.file("kiosk.db"), "02374", 42);
    const Record record = storedPetition(*store);

    SECTION("no such printer") {
        REQUIRE(savePrintSettings(*store, PrintSettings{"no_such_printer", "a5"}).ok());
        const JournalEntry e = printNow(*store, record.code);
        CHECK(e.status == PaperStatus::Failed);
        CHECK(e.reasonCode == "printer.unknown");
        CHECK(e.reasonMessage.find("no_such_printer") != std::string::npos);
    }
    SECTION("no default printer") {
        REQUIRE(savePrintSettings(*store, PrintSettings{"", "a5"}).ok());
        CHECK(printNow(*store, record.code).reasonCode == "printer.none");
        cups.setDefault("counter");
        CHECK(printNow(*store, record.code).status == PaperStatus::Printed);
    }
    SECTION("a stopped printer, then enabled again and retried") {
        REQUIRE(savePrintSettings(*store, PrintSettings{"counter", "a5"}).ok());
        cups.disable("counter");
        const JournalEntry e = printNow(*store, record.code);
        CHECK(e.status == PaperStatus::Failed);
        CHECK(e.reasonCode == "printer.stopped");
        auto unprinted = unprintedPapers(*store);
        REQUIRE(unprinted.ok());
        REQUIRE(unprinted->size() == 1);
        CHECK(unprinted->front().id == e.id);

        cups.enable("counter");
        REQUIRE(markPaperPending(*store, e.id, std::time(nullptr)).ok());
        PaperRequest request;
        request.code = record.code;
        auto again = printEntry(*store, *resources(), e.id, request, std::time(nullptr));
        REQUIRE(again.ok());
        CHECK(again->status == PaperStatus::Printed);
        CHECK(again->attempts == 2);
        CHECK(unprintedPapers(*store)->empty());
        CHECK(cups.takeOutput(dir.path(), formatReceiptCode(record.code)).size() == 1);
    }
    SECTION("CUPS not running") {
        REQUIRE(savePrintSettings(*store, PrintSettings{"counter", "a5"}).ok());
        cups.stop();
        const JournalEntry e = printNow(*store, record.code);
        CHECK(e.status == PaperStatus::Failed);
        CHECK(e.reasonCode == "printer.unreachable");
        cups.start();
        REQUIRE(markPaperPending(*store, e.id, std::time(nullptr)).ok());
        PaperRequest request;
        request.code = record.code;
        CHECK(printEntry(*store, *resources(), e.id, request, std::time(nullptr))->status ==
              PaperStatus::Printed);
    }
}

TEST_CASE("kiosk/printing: the print queue prints off the caller's thread and reports progress") {
    TempDir dir;
    PrivateCups cups;
    cups.addPdfPrinter("queue_printer");
    auto store = makeKioskStore(dir.file("kiosk.db"), "02374", 43);
    REQUIRE(savePrintSettings(*store, PrintSettings{"queue_printer", "a5"}).ok());
    const Record record = storedPetition(*store);
    std::atomic<int> changes{0};
    PrintQueue::Options options;
    options.watch = std::chrono::milliseconds(15000);
    PrintQueue queue(
        dir.file("kiosk.db"), resources(), [&] { ++changes; }, options);

    auto waitFor = [&](int64_t id) {
        for (int i = 0; i < 300 && queue.progress(id).state == PaperProgress::State::Printing; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return queue.progress(id);
    };
    auto entry = journalPaper(*store, record.code, "slip", std::time(nullptr));
    REQUIRE(entry.ok());
    queue.enqueue(entry->id, PaperRequest{record.code});
    CHECK(queue.progress(entry->id).state == PaperProgress::State::Printing);
    CHECK(waitFor(entry->id).state == PaperProgress::State::Printed);
    CHECK(changes > 0);
    CHECK(journalEntry(*store, entry->id)->status == PaperStatus::Printed);
    CHECK(cups.takeOutput(dir.path(), formatReceiptCode(record.code)).size() == 1);

    cups.disable("queue_printer");
    auto second = journalPaper(*store, record.code, "slip", std::time(nullptr));
    REQUIRE(second.ok());
    queue.enqueue(second->id, PaperRequest{record.code});
    const PaperProgress failed = waitFor(second->id);
    CHECK(failed.state == PaperProgress::State::Failed);
    CHECK(failed.fault.code == "printer.stopped");
    CHECK(journalEntry(*store, second->id)->status == PaperStatus::Failed);
}
