// What citizens may type: tables of good and bad CCCDs, phones, names and contents, and the
// record-level checks kioskctl and the kiosk's forms use. Reference lists are built inline (the
// 63 province codes of cccd_provinces.tsv; the mobile prefixes of docs/domain.md).
#include <catch2/catch.hpp>

#include "core/validation.h"

using namespace kiosk;

namespace {

const std::set<std::string>& provinces() {
    static const std::set<std::string> codes{
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
        "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
        "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
        "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
        "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096"};
    return codes;
}

const std::set<std::string>& prefixes() {
    static const std::set<std::string> codes{"032", "033", "034", "035", "036", "037", "038", "039", "086",
                                             "096", "097", "098", "081", "082", "083", "084", "085", "088",
                                             "091", "094", "070", "076", "077", "078", "079", "089", "090",
                                             "093", "052", "056", "058", "092", "059", "099", "087"};
    return codes;
}

constexpr int kYear = 2025;

std::string codeOf(const Result<std::string>& r) { return r.ok() ? "ok" : r.error().code; }

std::string repeat(const std::string& s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

TEST_CASE("CCCD: good numbers", "[validation]") {
    for (const auto& [typed, stored] : std::vector<std::pair<std::string, std::string>>{
             {"008085001234", "008085001234"},  // Tuyên Quang, man born 1985
             {"008185001234", "008185001234"},  // woman born 1985
             {"001200001234", "001200001234"},  // man born 2000
             {"096325123456", "096325123456"},  // woman born 2025 (this year)
             {"  008 085 001 234 ", "008085001234"},
             {"002099999999", "002099999999"},  // 1999
             {"089000000000", "089000000000"},  // born 1900
         }) {
        INFO(typed);
        auto r = validateCccd(typed, provinces(), kYear);
        REQUIRE(r.ok());
        CHECK(*r == stored);
    }
}

TEST_CASE("CCCD: bad numbers, each with its own reason", "[validation]") {
    for (const auto& [typed, code] : std::vector<std::pair<std::string, std::string>>{
             {"", "cccd.required"},
             {"   ", "cccd.required"},
             {"00808500123", "cccd.length"},    // 11 digits
             {"0080850012345", "cccd.length"},  // 13 digits
             {"123456789", "cccd.length"},      // old 9-digit CMND
             {"00808500123A", "cccd.digits"},
             {"008-085-001-234", "cccd.digits"},
             {"００８０８５００１２３４", "cccd.digits"},  // full-width digits
             {"003085001234", "cccd.province"},            // 003 is not a province
             {"000085001234", "cccd.province"},
             {"097085001234", "cccd.province"},
             {"999085001234", "cccd.province"},
             {"008685001234", "cccd.century"},
             {"008985001234", "cccd.century"},
             {"008226001234", "cccd.year"},  // born 2026, one year ahead
             {"008499001234", "cccd.year"},  // 2199
             {"008500001234", "cccd.year"},  // 2100
             {"008\xFF"
              "85001234",
              "cccd.utf8"},
             {"008\t085001234", "cccd.control"},
         }) {
        INFO(typed);
        auto r = validateCccd(typed, provinces(), kYear);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == code);
        CHECK_FALSE(r.error().vi.empty());
        CHECK_FALSE(r.error().en.empty());
    }
    CHECK(validateCccd("008226001234", provinces(), 2026).ok());  // the year depends on `now`
    CHECK(validateCccd("123456789", provinces(), kYear).error().vi.find("chứng minh") != std::string::npos);
    CHECK(validateCccd("003085001234", provinces(), kYear).error().vi.find("003") != std::string::npos);
}

TEST_CASE("currentYearUtc7 is a plausible year", "[validation]") {
    CHECK(currentYearUtc7() >= 2024);
    CHECK(currentYearUtc7() < 2100);
}

TEST_CASE("phone: the three written forms and separators", "[validation]") {
    for (const auto& [typed, stored] : std::vector<std::pair<std::string, std::string>>{
             {"0912345678", "0912345678"},
             {"0912 345 678", "0912345678"},
             {"0912.345.678", "0912345678"},
             {"0912-345-678", "0912345678"},
             {"84912345678", "0912345678"},
             {"+84912345678", "0912345678"},
             {"+84 912 345 678", "0912345678"},
             {"+84-91-234-5678", "0912345678"},
             {"+84 0912 345 678", "0912345678"},
             {"  0326 123 456  ", "0326123456"},
             {"0870000000", "0870000000"},  // iTel, unconfirmed but in the list
             {"0842222222", "0842222222"},  // VinaPhone 084: starts with 84 after the 0
             {"84842222222", "0842222222"},
         }) {
        INFO(typed);
        auto r = normalizePhone(typed, prefixes());
        REQUIRE(r.ok());
        CHECK(*r == stored);
    }
}

TEST_CASE("phone: wrong length, letters, foreign and landline numbers", "[validation]") {
    for (const auto& [typed, code] : std::vector<std::pair<std::string, std::string>>{
             {"", "phone.required"},
             {" - ", "phone.required"},
             {"091234567", "phone.length"},     // 9 digits
             {"09123456789", "phone.length"},   // 11 digits starting 0
             {"912345678", "phone.length"},     // the 0 forgotten
             {"8491234567", "phone.length"},    // 84 + 8 digits
             {"849123456789", "phone.length"},  // 84 + 10 digits not starting 0
             {"+840912345678 1", "phone.length"},
             {"0912a45678", "phone.characters"},
             {"091234567O", "phone.characters"},  // letter O for zero
             {"(091) 2345678", "phone.characters"},
             {"0912+345678", "phone.characters"},
             {"++84912345678", "phone.characters"},
             {"+1 202 555 0100", "phone.country"},
             {"+0912345678", "phone.country"},
             {"0207387654", "phone.prefix"},  // Tuyên Quang landline area code
             {"0123456789", "phone.prefix"},  // old 11-digit era prefix
             {"0951234567", "phone.prefix"},
             {"84201234567", "phone.prefix"},
             {"0912\n345678", "phone.newline"},
             {"0912\xC3"
              "345678",
              "phone.utf8"},
         }) {
        INFO(typed);
        auto r = normalizePhone(typed, prefixes());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == code);
        CHECK_FALSE(r.error().vi.empty());
        CHECK_FALSE(r.error().en.empty());
    }
    CHECK(normalizePhone("0207387654", prefixes()).error().vi.find("020") != std::string::npos);
}

TEST_CASE("names: Vietnamese letters, NFC, trimmed", "[validation]") {
    for (const auto& [typed, stored] : std::vector<std::pair<std::string, std::string>>{
             {"Nguyễn Văn A", "Nguyễn Văn A"},
             {"  Hoàng   Thị  Thu  ", "Hoàng Thị Thu"},
             {"Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Ho\xCC\x82\xCC\x80ng", "Nguyễn Thị Hồng"},
             {"Đặng Ngọc Ánh", "Đặng Ngọc Ánh"},
             {"Lò Văn Páo", "Lò Văn Páo"},
             {"Triệu Thị Mẩy", "Triệu Thị Mẩy"},
             {"Ma Đình-Khải", "Ma Đình-Khải"},
             {"O'Neil Jr.", "O'Neil Jr."},
             {"A", "A"},
         }) {
        INFO(typed);
        auto r = validateName(typed, true);
        REQUIRE(r.ok());
        CHECK(*r == stored);
    }
    CHECK(validateName("", false).value().empty());
    CHECK(validateName("   ", false).value().empty());
    CHECK(validateName(repeat("a", 100), true).ok());
}

TEST_CASE("names: digits, symbols, control characters, broken UTF-8, length", "[validation]") {
    for (const auto& [typed, code] : std::vector<std::pair<std::string, std::string>>{
             {"", "name.required"},
             {"  ", "name.required"},
             {"Nguyễn Văn 2", "name.digits"},
             {"Nguyễn Văn ②", "name.digits"},
             {"Nguyễn_Văn", "name.characters"},
             {"Nguyễn, Văn", "name.characters"},
             {"<script>", "name.characters"},
             {"Nguyễn 😀", "name.characters"},
             {"---", "name.characters"},
             {"Nguyễn\tVăn", "name.control"},
             {std::string("Nguyễn\0Văn", sizeof("Nguyễn\0Văn") - 1), "name.control"},
             {"Nguy\xE1\xBB"
              " Văn",
              "name.utf8"},                       // truncated ễ
             {"Nguy\xC0\x80n", "name.utf8"},      // overlong NUL
             {"Nguy\xED\xA0\x80n", "name.utf8"},  // surrogate
             {"Nguyễn\nVăn", "name.newline"},
             {repeat("a", 101), "name.too-long"},
             {repeat("ễ", 101), "name.too-long"},
         }) {
        INFO(typed);
        auto r = validateName(typed, true);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == code);
        CHECK_FALSE(r.error().vi.empty());
        CHECK_FALSE(r.error().en.empty());
    }
    // 101 code points typed decomposed are 101 letters once composed: still too long; 100 are fine.
    CHECK(codeOf(validateName(repeat("e\xCC\x82\xCC\x83", 100), true)) == "ok");
    CHECK(validateName(repeat("a", 101), true).error().vi.find("100") != std::string::npos);
}

TEST_CASE("addresses: optional, one line, at most 300", "[validation]") {
    CHECK(validateAddress("", false).value().empty());
    CHECK(codeOf(validateAddress("", true)) == "address.required");
    CHECK(validateAddress("  Thôn 3,  xã Yên Thuận, Hàm Yên ", true).value() ==
          "Thôn 3, xã Yên Thuận, Hàm Yên");
    CHECK(codeOf(validateAddress(repeat("ă", 300), true)) == "ok");
    CHECK(codeOf(validateAddress(repeat("ă", 301), true)) == "address.too-long");
    CHECK(codeOf(validateAddress("Thôn 3\nxã Yên Thuận", true)) == "address.newline");
    CHECK(codeOf(validateAddress("Thôn \x01"
                                 "3",
                                 true)) == "address.control");
}

TEST_CASE("content: 10..10000 code points, line breaks kept", "[validation]") {
    CHECK(codeOf(validateContent("")) == "content.required");
    CHECK(codeOf(validateContent(" \n \n ")) == "content.required");
    CHECK(codeOf(validateContent("Đường hỏng")) == "ok");  // exactly 10
    CHECK(codeOf(validateContent("Đường hỏn")) == "content.too-short");
    CHECK(codeOf(validateContent("   Đường hỏn    ")) == "content.too-short");
    CHECK(codeOf(validateContent(repeat("ơ", 10000))) == "ok");
    CHECK(codeOf(validateContent(repeat("ơ", 10001))) == "content.too-long");
    CHECK(codeOf(validateContent("Kính gửi\x1B UBND xã")) == "content.control");
    CHECK(codeOf(validateContent("Kính gửi\xFF UBND xã")) == "content.utf8");
    CHECK(validateContent("Kính gửi UBND xã,\r\n\r\nĐường thôn 5 bị sạt lở.").value() ==
          "Kính gửi UBND xã,\n\nĐường thôn 5 bị sạt lở.");
    // Decomposed input is counted after composition: 10 letters typed as 20 code points.
    CHECK(codeOf(validateContent(repeat("o\xCC\x9B", 10))) == "ok");
}

TEST_CASE("petitions: identity required for khiếu nại and tố cáo only", "[validation]") {
    PetitionInput input;
    input.kind = "kien-nghi";
    input.phone = "0912 345 678";
    input.content = "Đề nghị sửa đường liên thôn bị sạt lở sau mưa lũ.";
    auto v = validatePetition(input, provinces(), prefixes(), kYear);
    REQUIRE(v.ok());
    CHECK(v.record.kind == RecordKind::Petition);
    CHECK(v.record.petitionKind == PetitionKind::Recommendation);
    CHECK(v.record.identity.phone == "0912345678");
    CHECK(v.record.identity.name.empty());
    CHECK(v.record.identity.cccd.empty());
    CHECK(v.record.content == input.content);
    CHECK(v.record.code.empty());  // the caller assigns codes and dates
    CHECK(v.record.commune.empty());

    input.kind = "phan-anh";
    CHECK(validatePetition(input, provinces(), prefixes(), kYear).ok());

    for (const char* kind : {"khieu-nai", "to-cao"}) {
        input.kind = kind;
        auto missing = validatePetition(input, provinces(), prefixes(), kYear);
        CHECK_FALSE(missing.ok());
        REQUIRE(missing.errorFor("name") != nullptr);
        CHECK(missing.errorFor("name")->error.code == "name.required");
        REQUIRE(missing.errorFor("cccd") != nullptr);
        CHECK(missing.errorFor("cccd")->error.code == "cccd.required");
        CHECK(missing.errorFor("phone") == nullptr);

        input.name = "Nguye\xCC\x82\xCC\x83n Văn A";
        input.cccd = "008 085 001 234";
        auto full = validatePetition(input, provinces(), prefixes(), kYear);
        REQUIRE(full.ok());
        CHECK(full.record.identity.name == "Nguyễn Văn A");
        CHECK(full.record.identity.cccd == "008085001234");
        input.name.clear();
        input.cccd.clear();
    }
    CHECK(validatePetition({"to-cao", "Nguyễn Văn A", "008085001234", "0912345678", "",
                            "Tố cáo hành vi lấn chiếm đất công."},
                           provinces(), prefixes(), kYear)
              .record.petitionKind == PetitionKind::Denunciation);
}

TEST_CASE("petitions: every bad field is reported at once", "[validation]") {
    PetitionInput input{"kien-nghi", "Nguyễn 2", "12345", "0207 387 654", "Thôn\t3", "ngắn"};
    auto v = validatePetition(input, provinces(), prefixes(), kYear);
    REQUIRE(v.errors.size() == 5);
    CHECK(v.errorFor("name")->error.code == "name.digits");
    CHECK(v.errorFor("cccd")->error.code == "cccd.length");  // optional, but checked when given
    CHECK(v.errorFor("phone")->error.code == "phone.prefix");
    CHECK(v.errorFor("address")->error.code == "address.control");
    CHECK(v.errorFor("content")->error.code == "content.too-short");
    CHECK(v.errorFor("kind") == nullptr);

    auto noPhone = validatePetition({"phan-anh", "", "", "", "", "Đèn đường thôn 2 bị hỏng."}, provinces(),
                                    prefixes(), kYear);
    REQUIRE(noPhone.errors.size() == 1);
    CHECK(noPhone.errors[0].field == "phone");
    CHECK(noPhone.errors[0].error.code == "phone.required");

    auto badKind = validatePetition({"khieunai", "", "", "0912345678", "", "Nội dung đơn thư."}, provinces(),
                                    prefixes(), kYear);
    REQUIRE(badKind.errors.size() == 1);
    CHECK(badKind.errors[0].field == "kind");
    CHECK(badKind.errors[0].error.code == "kind.unknown");
}

TEST_CASE("dossiers: procedure, name, delivery by post", "[validation]") {
    DossierInput input{"1.001193", "Lò Thị Mai", "+84 97 123 4567", "", "", ""};
    auto v = validateDossier(input, provinces(), prefixes(), true, false, kYear);
    REQUIRE(v.ok());
    CHECK(v.record.kind == RecordKind::Dossier);
    CHECK(v.record.procedureCode == "1.001193");
    CHECK(v.record.delivery == Delivery::Counter);
    CHECK(v.record.identity.phone == "0971234567");
    CHECK(v.record.identity.name == "Lò Thị Mai");

    input.delivery = "counter";
    CHECK(validateDossier(input, provinces(), prefixes(), true, false, kYear).ok());

    input.delivery = "post";
    auto noAddress = validateDossier(input, provinces(), prefixes(), true, true, kYear);
    REQUIRE(noAddress.errors.size() == 1);
    CHECK(noAddress.errorFor("address")->error.code == "address.required");
    auto notAllowed = validateDossier(input, provinces(), prefixes(), true, false, kYear);
    CHECK(notAllowed.errorFor("delivery")->error.code == "delivery.post-unavailable");

    input.address = "Thôn Cầu Cao, xã Bình Xa";
    auto post = validateDossier(input, provinces(), prefixes(), true, true, kYear);
    REQUIRE(post.ok());
    CHECK(post.record.delivery == Delivery::Post);
    CHECK(post.record.identity.address == "Thôn Cầu Cao, xã Bình Xa");

    input.delivery = "email";
    CHECK(
        validateDossier(input, provinces(), prefixes(), true, true, kYear).errorFor("delivery")->error.code ==
        "delivery.unknown");
}

TEST_CASE("dossiers: required and optional fields", "[validation]") {
    auto empty = validateDossier({}, provinces(), prefixes(), false, false, kYear);
    CHECK(empty.errorFor("procedure")->error.code == "procedure.required");
    CHECK(empty.errorFor("name")->error.code == "name.required");
    CHECK(empty.errorFor("phone")->error.code == "phone.required");
    CHECK(empty.errorFor("cccd") == nullptr);  // optional for dossiers
    CHECK(empty.errorFor("address") == nullptr);

    DossierInput unknown{"9.999999", "Lò Thị Mai", "0971234567", "008185001234", "", ""};
    auto v = validateDossier(unknown, provinces(), prefixes(), false, false, kYear);
    REQUIRE(v.errors.size() == 1);
    CHECK(v.errors[0].error.code == "procedure.unknown");
    CHECK(v.errors[0].error.vi.find("9.999999") != std::string::npos);
    CHECK(v.record.identity.cccd == "008185001234");

    unknown.cccd = "008985001234";
    CHECK(
        validateDossier(unknown, provinces(), prefixes(), true, false, kYear).errorFor("cccd")->error.code ==
        "cccd.century");
}
