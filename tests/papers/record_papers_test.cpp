// The papers as a citizen and an officer get them: rendered to PDF by papers/, read back with
// pdftotext (the code, the kind, the dates, the Vietnamese marks as typed) and drawn to PNG with
// pdftoppm into build/test-artifacts/ to be looked at. Exits 77 (skipped) without poppler-utils.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "build_paths.h"
#include "core/deployment_words.h"
#include "core/reference_data.h"
#include "core/text.h"
#include "papers/record_papers.h"
#include "tests/support/temp_dir.h"

using namespace kiosk;
using namespace kiosk::papers;
using testing_support::TempDir;

namespace {

void requirePoppler() {
    if (std::system("command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1") != 0) {
        WARN("poppler-utils (pdftotext, pdftoppm) not installed: skipped");
        std::exit(77);
    }
}

const Strings& words() {
    static const Strings strings = [] {
        auto s = Strings::load(std::filesystem::path(KIOSK_SOURCE_ASSETS) / "strings.tsv");
        REQUIRE(s.ok());
        auto w = loadDeploymentWords(KIOSK_SOURCE_ASSETS, deploymentToday());
        REQUIRE(w.ok());
        s->setWords(*w);
        return std::move(*s);
    }();
    return strings;
}

const PaperForms& forms() {
    static const PaperForms f = [] {
        auto loaded = PaperForms::load(std::filesystem::path(KIOSK_SOURCE_ASSETS) / "paper_forms.tsv");
        INFO((loaded ? std::string() : loaded.error().en));
        REQUIRE(loaded.ok());
        return std::move(*loaded);
    }();
    return f;
}

Record complaint() {
    Record r;
    r.code = "0237401012345670";
    r.kind = RecordKind::Petition;
    r.petitionKind = PetitionKind::Complaint;
    r.commune = "02374";
    r.receivedOn = Date{2026, 12, 4};
    r.due = Date{2027, 1, 18};
    r.content = "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất cho gia đình tôi.";
    r.identity = {"Nguyễn Thị Hoa", "008190001234", "0912345678", "Thôn 3, xã Yên Thuận"};
    return r;
}

PaperInput inputFor(Record r, PageSize size = PageSize::A5) {
    PaperInput in;
    in.record = std::move(r);
    in.communeName = "Thị trấn Tân Yên";
    in.procedureName = "Thủ tục đăng ký khai sinh";
    in.documents = "Tờ khai đăng ký khai sinh; Giấy chứng sinh";
    in.today = Date{2026, 12, 5};
    in.size = size;
    return in;
}

// The PDF's text as pdftotext reads it, NFC (poppler may hand back decomposed marks).
std::string pdfText(const std::string& pdf) {
    const std::string txt = pdf + ".txt";
    REQUIRE(std::system(("pdftotext -layout '" + pdf + "' '" + txt + "'").c_str()) == 0);
    return toNfc(testing_support::fileBytes(txt));
}

// Renders the paper into a temp dir and to build/test-artifacts/<name>.png; its text.
std::string render(const Paper& paper, const TempDir& dir, const std::string& name) {
    const std::string pdf = dir.file(name + ".pdf");
    auto ok = writePdf(paper, pdf);
    INFO((ok ? std::string() : ok.error().en));
    REQUIRE(ok.ok());
    std::filesystem::create_directories(KIOSK_ARTIFACT_DIR);
    const std::string png = std::string(KIOSK_ARTIFACT_DIR) + "/paper-" + name;
    REQUIRE(std::system(("pdftoppm -png -r 110 -singlefile '" + pdf + "' '" + png + "'").c_str()) == 0);
    return pdfText(pdf);
}

}  // namespace

TEST_CASE("papers: the slip shows the code 4-4-4-4, the kind, the dates, what comes next") {
    requirePoppler();
    TempDir dir;
    for (PageSize size : {PageSize::A5, PageSize::Roll80}) {
        auto paper = buildPaper(PaperKind::Slip, inputFor(complaint(), size), forms(), words());
        REQUIRE(paper.ok());
        const std::string text = render(*paper, dir, "slip-" + std::string(toSlug(size)));
        CHECK(text.find("0237 4010 1234 5670") != std::string::npos);
        CHECK(text.find("PHIẾU BIÊN NHẬN ĐƠN") != std::string::npos);
        CHECK(text.find("Khiếu nại") != std::string::npos);
        CHECK(text.find("04/12/2026") != std::string::npos);
        CHECK(text.find("18/01/2027") != std::string::npos);
        CHECK(text.find("4 số cuối") != std::string::npos);
        CHECK(text.find("THỊ TRẤN TÂN YÊN") != std::string::npos);
        // The slip carries no identity at all.
        CHECK(text.find("Nguyễn Thị Hoa") == std::string::npos);
        CHECK(text.find("0912345678") == std::string::npos);
        CHECK(text.find("Mã PIN") == std::string::npos);  // no PIN set: no PIN line
        CHECK(pageCount(*paper) == 1);
    }
}

TEST_CASE("papers: the slip names the due date by what it is due for, in the screens' words") {
    requirePoppler();
    TempDir dir;
    // A received khiếu nại awaits the decision to accept it; a kiến nghị its reply.
    auto paper = buildPaper(PaperKind::Slip, inputFor(complaint(), PageSize::Roll80), forms(), words());
    REQUIRE(paper.ok());
    std::string text = render(*paper, dir, "slip-complaint-deadline");
    CHECK(words().get("deadline.acceptance", kiosk::Lang::Vi) == "Hạn báo thụ lý hay không");
    CHECK(text.find("Hạn báo thụ lý") != std::string::npos);
    CHECK(text.find("Hạn trả lời") == std::string::npos);
    Record recommendation = complaint();
    recommendation.petitionKind = PetitionKind::Recommendation;
    paper = buildPaper(PaperKind::Slip, inputFor(recommendation, PageSize::Roll80), forms(), words());
    REQUIRE(paper.ok());
    text = render(*paper, dir, "slip-recommendation-deadline");
    CHECK(text.find("Hạn trả lời") != std::string::npos);
}

TEST_CASE("papers: a slip without a due date says an officer will give one, and shows a PIN when set") {
    requirePoppler();
    TempDir dir;
    Record r = complaint();
    r.due = kNoDate;
    PaperInput in = inputFor(r);
    in.pin = "4821";
    auto paper = buildPaper(PaperKind::Slip, in, forms(), words());
    REQUIRE(paper.ok());
    const std::string text = render(*paper, dir, "slip-no-due");
    CHECK(text.find("Cán bộ sẽ hẹn") != std::string::npos);
    CHECK(text.find("sẽ hẹn ngày trả lời") != std::string::npos);
    CHECK(text.find("4821") != std::string::npos);
    CHECK(text.find("00/00/0") == std::string::npos);
}

TEST_CASE("papers: a denouncer's identity is printed only on the petition an officer asked for") {
    requirePoppler();
    TempDir dir;
    Record r = complaint();
    r.petitionKind = PetitionKind::Denunciation;
    PaperInput in = inputFor(r);
    auto plain = buildPaper(PaperKind::Petition, in, forms(), words());
    REQUIRE(plain.ok());
    const std::string blank = render(*plain, dir, "petition-to-cao-blank");
    CHECK(blank.find("ĐƠN TỐ CÁO") != std::string::npos);
    CHECK(blank.find("Nguyễn Thị Hoa") == std::string::npos);
    CHECK(blank.find("008190001234") == std::string::npos);
    CHECK(blank.find("……") != std::string::npos);  // dotted lines to write on

    in.officerRequested = true;
    auto asked = buildPaper(PaperKind::Petition, in, forms(), words());
    REQUIRE(asked.ok());
    const std::string text = render(*asked, dir, "petition-to-cao");
    CHECK(text.find("Nguyễn Thị Hoa") != std::string::npos);
    CHECK(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") != std::string::npos);
    CHECK(text.find("Kính gửi: Ủy ban nhân dân thị trấn Tân Yên") != std::string::npos);
    CHECK(text.find("quyền sử dụng đất") != std::string::npos);
    CHECK(text.find("ngày 05 tháng 12 năm 2026") != std::string::npos);

    auto slip = buildPaper(PaperKind::Slip, in, forms(), words());
    REQUIRE(slip.ok());
    CHECK(render(*slip, dir, "slip-to-cao").find("Nguyễn Thị Hoa") == std::string::npos);
}

TEST_CASE("papers: the dossier's receipt form, request for supplement and apology") {
    requirePoppler();
    TempDir dir;
    Record r = complaint();
    r.kind = RecordKind::Dossier;
    r.resultNote = "Bản sao giấy chứng nhận kết hôn của cha mẹ";
    PaperInput in = inputFor(r, PageSize::A4);
    in.newDue = Date{2027, 1, 25};
    auto form = buildPaper(PaperKind::ReceiptForm, in, forms(), words());
    REQUIRE(form.ok());
    const std::string text = render(*form, dir, "receipt-form");
    CHECK(text.find("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") != std::string::npos);
    // The header's two lines of columns one under the other, not drawn over each other.
    CHECK(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA") != std::string::npos);
    CHECK(text.find("Độc lập - Tự do - Hạnh phúc") != std::string::npos);
    CHECK(text.find("ỦY BAN NHÂN DÂN") != std::string::npos);
    CHECK(text.find("Thủ tục đăng ký khai sinh") != std::string::npos);
    CHECK(text.find("Giấy chứng sinh") != std::string::npos);
    CHECK(text.find("Nguyễn Thị Hoa") != std::string::npos);
    CHECK(text.find("18/01/2027") != std::string::npos);

    auto supplement = buildPaper(PaperKind::Supplement, in, forms(), words());
    REQUIRE(supplement.ok());
    CHECK(render(*supplement, dir, "supplement").find("giấy chứng nhận kết hôn") != std::string::npos);
    auto apology = buildPaper(PaperKind::Apology, in, forms(), words());
    REQUIRE(apology.ok());
    const std::string sorry = render(*apology, dir, "apology");
    CHECK(sorry.find("25/01/2027") != std::string::npos);
    CHECK(sorry.find("xin lỗi") != std::string::npos);

    in.record.kind = RecordKind::Petition;
    CHECK(buildPaper(PaperKind::ReceiptForm, in, forms(), words()).error().code == "paper.kind");
}

TEST_CASE("papers: a long petition breaks onto a second A5 page, a roll grows instead") {
    Record r = complaint();
    std::string longText;
    for (int i = 0; i < 60; ++i) longText += "Gia đình tôi đề nghị Ủy ban xem xét lại ranh giới thửa đất. ";
    r.content = longText;
    PaperInput in = inputFor(r);
    in.officerRequested = true;
    auto a5 = buildPaper(PaperKind::Petition, in, forms(), words());
    REQUIRE(a5.ok());
    CHECK(pageCount(*a5) >= 2);
    in.size = PageSize::Roll80;
    auto roll = buildPaper(PaperKind::Petition, in, forms(), words());
    REQUIRE(roll.ok());
    CHECK(pageCount(*roll) == 1);
}

TEST_CASE("papers: the forms file refuses an unknown form or block") {
    CHECK(!PaperForms::parse("form\tblock\ttext\tvalue\nslip\tbanner\tx\t\n").ok());
    CHECK(!PaperForms::parse("form\tblock\ttext\tvalue\nletter\ttitle\tx\t\n").ok());
    CHECK(PaperForms::parse("form\tblock\ttext\tvalue\nslip\ttitle\tpapers.slip.title\t\n").ok());
}
