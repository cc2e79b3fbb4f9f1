// UI strings: the real strings.tsv is complete (both languages, NFC, no duplicates, the keys the
// screens need), placeholders agree between languages, and the parser refuses broken tables.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <utf8proc.h>

#include "core/event.h"
#include "core/records.h"
#include "core/strings.h"

using namespace kiosk;

namespace {

const std::filesystem::path kStringsFile = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets" / "strings.tsv";

std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

bool isNfc(const std::string& text) {
    utf8proc_uint8_t* nfc = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(text.c_str()));
    if (nfc == nullptr) return false;
    const bool same = text == reinterpret_cast<const char*>(nfc);
    std::free(nfc);
    return same;
}

const Strings& realStrings() {
    static const Strings strings = [] {
        auto loaded = Strings::load(kStringsFile);
        if (!loaded) FAIL("strings.tsv does not load: " << loaded.error().en);
        return *loaded;
    }();
    return strings;
}

// The {N} placeholders of a text.
std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> found;
    for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        const size_t close = text.find('}', open);
        if (close == std::string::npos) break;
        const std::string inside = text.substr(open + 1, close - open - 1);
        if (!inside.empty() && inside.find_first_not_of("0123456789") == std::string::npos) {
            found.insert(text.substr(open, close - open + 1));
        }
    }
    return found;
}

}  // namespace

TEST_CASE("strings.tsv: every line has a key, a Vietnamese and an English text, all NFC", "[strings]") {
    // Read the raw file, not the parsed table: the parser normalizes, the file itself must be NFC.
    std::istringstream lines(readText(kStringsFile));
    std::string line;
    std::map<std::string, int> seen;
    int number = 0;
    bool header = true;
    while (std::getline(lines, line)) {
        ++number;
        INFO("line " << number << ": " << line);
        CHECK(isNfc(line));
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cells;
        std::stringstream split(line);
        for (std::string cell; std::getline(split, cell, '\t');) cells.push_back(cell);
        REQUIRE(cells.size() == 3);
        if (header) {
            CHECK(cells == std::vector<std::string>{"key", "vi", "en"});
            header = false;
            continue;
        }
        CHECK_FALSE(cells[1].empty());
        CHECK_FALSE(cells[2].empty());
        const auto [it, inserted] = seen.emplace(cells[0], number);
        INFO("first seen on line " << it->second);
        CHECK(inserted);
    }
    CHECK(seen.size() > 300);
    CHECK(realStrings().size() == seen.size());
}

TEST_CASE("strings.tsv: placeholders agree between the two languages", "[strings]") {
    const Strings& strings = realStrings();
    for (const std::string& key : strings.keys()) {
        INFO(key);
        CHECK(placeholders(strings.get(key, Lang::Vi)) == placeholders(strings.get(key, Lang::En)));
    }
}

TEST_CASE("strings.tsv has what the screens need", "[strings]") {
    const Strings& strings = realStrings();
    std::vector<std::string> required = {"home.commune_label",
                                         "home.submit",
                                         "home.check",
                                         "home.procedures",
                                         "home.online",
                                         "home.offline",
                                         "home.last_sync",
                                         "home.waiting",
                                         "petition.kind.prompt",
                                         "petition.to-cao.confidential",
                                         "identity.name",
                                         "identity.cccd",
                                         "identity.phone",
                                         "identity.privacy.body",
                                         "content.prompt",
                                         "review.title",
                                         "confirm.title",
                                         "receipt.code",
                                         "deadline.reply",
                                         "receipt.how_to_check",
                                         "check.code",
                                         "check.phone4",
                                         "check.as_of",
                                         "check.overdue",
                                         "check.cooldown",
                                         "keypad.delete",
                                         "proc.search",
                                         "proc.documents",
                                         "proc.time",
                                         "proc.fee",
                                         "proc.where",
                                         "proc.postal",
                                         "proc.unknown",
                                         "kb.space",
                                         "kb.backspace",
                                         "idle.touch",
                                         "lang.switch",
                                         "text.larger",
                                         "officer.login",
                                         "officer.pin",
                                         "officer.queue",
                                         "officer.filter.overdue",
                                         "officer.filter.due_soon",
                                         "officer.overdue",
                                         "officer.due_soon",
                                         "error.cccd.length",
                                         "error.phone.format",
                                         "error.unexpected",
                                         "time.days",
                                         "time.working_days"};
    for (const char* slug : {"khieu-nai", "to-cao", "kien-nghi", "phan-anh"}) {
        for (const char* part : {"name", "explain", "limit", "identity"}) {
            required.push_back(std::string("petition.kind.") + slug + "." + part);
        }
    }
    // Every status of each machine (slugs as records.cpp spells them).
    const std::vector<RecordStatus> petitionStatuses = {
        RecordStatus::Received,    RecordStatus::Accepted, RecordStatus::InfoRequested,
        RecordStatus::Transferred, RecordStatus::Resolved, RecordStatus::NotAccepted,
        RecordStatus::Withdrawn};
    const std::vector<RecordStatus> dossierStatuses = {
        RecordStatus::Received,    RecordStatus::Processing, RecordStatus::SupplementRequested,
        RecordStatus::ResultReady, RecordStatus::Delivered,  RecordStatus::Refused,
        RecordStatus::Suspended};
    for (RecordStatus s : petitionStatuses) {
        required.push_back("status.petition." + std::string(toSlug(s)));
        required.push_back("status.petition." + std::string(toSlug(s)) + ".explain");
    }
    for (RecordStatus s : dossierStatuses) {
        required.push_back("status.dossier." + std::string(toSlug(s)));
        required.push_back("status.dossier." + std::string(toSlug(s)) + ".explain");
    }
    for (Action a :
         {Action::Submit, Action::Register, Action::Accept, Action::Reject, Action::RequestInfo,
          Action::Resolve, Action::Transfer, Action::Extend, Action::Withdraw, Action::Process, Action::Ready,
          Action::Deliver, Action::Suspend, Action::AssignCode, Action::MarkSigned}) {
        required.push_back("action." + std::string(toSlug(a)));
    }
    for (const std::string& key : required) {
        INFO(key);
        CHECK(strings.contains(key));
    }
    // The words the brief and the one-stop vocabulary fix.
    CHECK(strings.get("home.submit", Lang::Vi) == "Gửi đơn");
    CHECK(strings.get("home.check", Lang::Vi) == "Tra cứu hồ sơ");
    CHECK(strings.get("home.procedures", Lang::Vi) == "Thủ tục hành chính");
    CHECK(strings.get("receipt.code", Lang::Vi) == "Mã biên nhận");
    CHECK(strings.get("idle.touch", Lang::Vi) == "Chạm để tiếp tục");
    // A legal term only beside its plain words, for readers who do not know it.
    CHECK(strings.get("status.petition.accepted", Lang::Vi) == "Đã nhận giải quyết (thụ lý)");
    CHECK(strings.get("identity.cccd", Lang::Vi) == "Số định danh cá nhân (12 số trên thẻ căn cước)");
    // No developer's caveat on a citizen's screen: the caveat stays in petition_kinds.tsv and the docs.
    for (const char* key : {"petition.kind.to-cao.accept_unconfirmed", "receipt.due_unconfirmed"})
        CHECK(strings.get(key, Lang::Vi).find("xác nhận") == std::string::npos);
    // One term per concept (docs/domain.md, "Words the screens use").
    for (const std::string& text : strings.allTexts()) {
        INFO(text);
        CHECK(text.find("Xoá") == std::string::npos);
        CHECK(text.find("Trễ hạn") == std::string::npos);
        CHECK(text.find("Trạng thái") == std::string::npos);
        CHECK(text.find("đơn thư") == std::string::npos);
    }
    CHECK(strings.get("status.dossier.received", Lang::Vi) == "Mới tiếp nhận");
    CHECK(strings.get("home.submit", Lang::En) == "Submit a petition");
    // Names agree with records.cpp, so a screen and a printout never call a kind two names.
    for (PetitionKind kind : {PetitionKind::Complaint, PetitionKind::Denunciation,
                              PetitionKind::Recommendation, PetitionKind::Feedback}) {
        const std::string key = "petition.kind." + std::string(toSlug(kind)) + ".name";
        CHECK(strings.get(key, Lang::Vi) == displayName(kind, false));
        CHECK(strings.get(key, Lang::En) == displayName(kind, true));
    }
}

TEST_CASE("a missing key shows as itself and is listed", "[strings]") {
    auto parsed = Strings::parse("key\tvi\ten\na.b\tMột\tOne\n");
    REQUIRE(parsed.ok());
    const Strings& strings = *parsed;
    CHECK(strings.get("a.b", Lang::Vi) == "Một");
    CHECK(strings.get("a.b", Lang::En) == "One");
    const std::string& missing = strings.get(std::string("no.such.key"), Lang::Vi);  // a temporary
    CHECK(missing == "no.such.key");
    CHECK(strings.get("no.such.key", Lang::En) == "no.such.key");
    CHECK(strings.missingKeys() == std::vector<std::string>{"no.such.key"});
    CHECK_FALSE(strings.contains("no.such.key"));
}

TEST_CASE("format fills {0} {1} …", "[strings]") {
    CHECK(format("Bước {0}/{1}", {"2", "5"}) == "Bước 2/5");
    CHECK(format("{1} – {0} – {1}", {"a", "b"}) == "b – a – b");
    CHECK(format("{0} và {2}", {"x"}) == "x và {2}");  // no argument: left visible
    CHECK(format("{", {"x"}) == "{");
    CHECK(format("{0", {"x"}) == "{0");
    CHECK(format("{}", {"x"}) == "{}");
    CHECK(format("{10}", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "ten"}) == "ten");
    CHECK(format("không có", {}) == "không có");
    auto parsed = Strings::parse("key\tvi\ten\nhome.waiting\t{0} đơn đang chờ\t{0} waiting\n");
    REQUIRE(parsed.ok());
    CHECK(parsed->format("home.waiting", Lang::Vi, {"3"}) == "3 đơn đang chờ");
}

TEST_CASE("the strings parser: escapes and NFC", "[strings]") {
    // "Gửi" with the hook and horn as combining marks.
    auto parsed = Strings::parse("key\tvi\ten\na\tGu\xCC\x9B\xCC\x89i\\nđơn\tSend\\\\it\n");
    REQUIRE(parsed.ok());
    CHECK(parsed->get("a", Lang::Vi) == "Gửi\nđơn");
    CHECK(parsed->get("a", Lang::En) == "Send\\it");
    CHECK(parsed->allTexts() == std::vector<std::string>{"Gửi\nđơn", "Send\\it"});
}

TEST_CASE("the strings parser refuses broken tables, naming the line", "[strings]") {
    const std::string header = "# strings\nkey\tvi\ten\n";
    struct Case {
        std::string text;
        int line;
    };
    for (const Case& c : std::vector<Case>{
             {header + "a\tMột\tOne\na\tHai\tTwo\n", 4},  // duplicate
             {header + "a\tMột\t\n", 3},                  // no English
             {header + "a\t\tOne\n", 3},                  // no Vietnamese
             {header + "a\tMột\n", 3},                    // a cell missing
             {header + "a b\tMột\tOne\n", 3},             // a key with a space
             {header + "a\tM\xE1\xBB\tOne\n", 3},         // truncated UTF-8
         }) {
        INFO(c.text);
        auto parsed = Strings::parse(c.text);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().vi.find("Dòng " + std::to_string(c.line) + ":") != std::string::npos);
        CHECK(parsed.error().en.find("Line " + std::to_string(c.line) + ":") != std::string::npos);
    }
    auto noColumn = Strings::parse("key\tvi\nA\tB\n");
    REQUIRE_FALSE(noColumn.ok());
    CHECK(noColumn.error().en.find("“en”") != std::string::npos);

    auto missingFile = Strings::load("/nonexistent/strings.tsv");
    REQUIRE_FALSE(missingFile.ok());
    CHECK(missingFile.error().en.find("/nonexistent/strings.tsv") != std::string::npos);
}
