// kioskctl print as an officer's script meets it: the real binary, a real database, --pdf without
// CUPS, and through a private cupsd with cups-pdf (tests/support/cups_fixture.h); a printer fault
// exits 3 and leaves the paper in the journal. Exits 77 (skipped) without pdftotext, cupsd or root.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/receipt_code.h"
#include "core/text.h"
#include "tests/support/cups_fixture.h"
#include "tests/support/temp_dir.h"

using namespace testing_support;

namespace {

struct PrintKiosk {
    TempDir dir;
    std::string db = dir.file("kiosk.db");
    RunResult run(std::vector<std::string> args, const std::string& input = "") const {
        args.insert(args.begin(), {"--db", db});
        return runProgram(binPath("kioskctl"), args, input);
    }
};

std::string submitted(const PrintKiosk& k, const std::vector<std::string>& initExtra = {}) {
    std::vector<std::string> init = {"init", "--commune", "02374", "--slot", "44"};
    init.insert(init.end(), initExtra.begin(), initExtra.end());
    auto r = k.run(init);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto s = k.run({"submit-petition", "--type", "kien-nghi", "--phone", "0912345678", "--content",
                    "Đề nghị sửa đường liên thôn bị sạt lở sau mưa lũ."});
    INFO(s.err);
    REQUIRE(s.exitCode == 0);
    return s.out.substr(0, s.out.find('\n'));
}

std::string pdfText(const std::string& pdf) {
    REQUIRE(std::system(("pdftotext -layout '" + pdf + "' '" + pdf + ".txt'").c_str()) == 0);
    return kiosk::toNfc(fileBytes(pdf + ".txt"));
}

}  // namespace

TEST_CASE("kioskctl: print --pdf writes the slip without CUPS") {
    if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) {
        WARN("pdftotext not installed: skipped");
        std::exit(77);
    }
    PrintKiosk k;
    const std::string code = submitted(k);
    const std::string pdf = k.dir.file("slip.pdf");
    auto r = k.run({"print", kiosk::formatReceiptCode(code), "--pdf", pdf, "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    auto json = nlohmann::json::parse(r.out);
    CHECK(json["code"] == code);
    CHECK(json["paper"] == "slip");
    const std::string text = pdfText(pdf);
    CHECK(text.find(kiosk::formatReceiptCode(code)) != std::string::npos);
    CHECK(text.find("Kiến nghị") != std::string::npos);

    CHECK(k.run({"print", code, "--paper", "receipt-form", "--pdf", pdf}).exitCode == 2);  // a petition
    CHECK(k.run({"print", code, "--paper", "letter", "--pdf", pdf}).exitCode == 2);
    CHECK(k.run({"print", "0237401000000000", "--pdf", pdf}).exitCode == 2);
    CHECK(k.run({"init", "--commune", "02374", "--paper", "a3"}).exitCode == 2);
}

TEST_CASE("kioskctl: print sends the slip through CUPS, a fault exits 3 and stays journaled") {
    PrivateCups cups;
    cups.addPdfPrinter("desk");
    PrintKiosk k;
    const std::string code = submitted(k, {"--printer", "desk", "--paper", "a5"});

    auto ok = k.run({"print", code, "--json"});
    INFO(ok.err);
    REQUIRE(ok.exitCode == 0);
    auto json = nlohmann::json::parse(ok.out);
    CHECK(json["status"] == "printed");
    CHECK(json["printer"] == "desk");
    CHECK(cups.takeOutput(k.dir.path(), kiosk::formatReceiptCode(code)).size() == 1);

    auto missing = k.run({"print", code, "--printer", "nowhere"});
    CHECK(missing.exitCode == 3);
    CHECK(missing.err.find("nowhere") != std::string::npos);
    cups.disable("desk");
    auto stopped = k.run({"print", code, "--json", "--lang", "en"});
    CHECK(stopped.exitCode == 3);
    CHECK(nlohmann::json::parse(stopped.out)["reason"] == "printer.stopped");
}
