// Procedure search as a villager types it: without diacritics, with a letter wrong, words half
// typed; the plain procedure first, the special cases after it.
#include <catch2/catch.hpp>

#include "core/procedure_search.h"

namespace {

kiosk::Procedure procedure(const std::string& id, const std::string& name, const std::string& field,
                           const std::string& documents = "") {
    kiosk::Procedure p;
    p.id = id;
    p.code = id;
    p.name = name;
    p.field = field;
    p.documents = documents;
    return p;
}

// Names as assets/procedures.tsv writes them, in the order the catalog lists them (by name), so the
// plain birth registration is not first by accident.
std::vector<kiosk::Procedure> catalog() {
    return {
        procedure("lien-thong-1",
                  "Liên thông các thủ tục hành chính về đăng ký khai sinh, cấp Thẻ bảo hiểm y tế "
                  "cho trẻ em dưới 6 tuổi",
                  "Hộ tịch"),
        procedure("lien-thong-2",
                  "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp "
                  "thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
                  "Hộ tịch"),
        procedure("1.000593", "Đăng ký kết hôn lưu động", "Hộ tịch"),
        procedure("1.000689", "Thủ tục đăng ký khai sinh kết hợp nhận cha, mẹ, con", "Hộ tịch"),
        procedure("luu-dong", "Thủ tục đăng ký khai sinh lưu động", "Hộ tịch"),
        procedure("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "Giấy chứng sinh"),
        procedure("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch"),
        procedure("1.004873", "Thủ tục đăng ký thường trú", "Cư trú"),
        procedure("2.000884", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực"),
    };
}

std::vector<std::string> idsFor(const std::string& query) {
    const auto all = catalog();
    std::vector<std::string> ids;
    for (size_t i : kiosk::rankProcedures(query, all)) ids.push_back(all[i].id);
    return ids;
}

}  // namespace

TEST_CASE("core: procedure search puts the plain procedure first, with or without diacritics") {
    for (const char* query :
         {"khai sinh", "Khai sinh", "khai sinh ", "đăng ký khai sinh", "dang ky khai sinh", "khai xinh",
          "khia sinh", "dang ki khai sinh", "KHAI SINH"}) {
        INFO(query);
        const auto ids = idsFor(query);
        REQUIRE(ids.size() == 5);  // every birth registration, nothing else
        CHECK(ids[0] == "1.001193");
        CHECK(ids[1] == "luu-dong");
    }
    for (const char* query : {"dang ky ket hon", "ket hon", "kết hôn", "dang ky kett hon", "ket hôn"}) {
        INFO(query);
        const auto ids = idsFor(query);
        REQUIRE(ids.size() == 2);
        CHECK(ids[0] == "1.000894");
        CHECK(ids[1] == "1.000593");
    }
}

TEST_CASE("core: procedure search matches words being typed, fields, documents and codes") {
    // The last word half typed: "h" starts "hôn" and "hợp".
    CHECK(idsFor("ket h") == std::vector<std::string>{"1.000894", "1.000593", "1.000689"});
    CHECK(idsFor("thuong tru").front() == "1.004873");
    CHECK(idsFor("cu tru") == std::vector<std::string>{"1.004873"});      // the field's name
    CHECK(idsFor("chung sinh") == std::vector<std::string>{"1.001193"});  // a document asked for
    CHECK(idsFor("1.000894") == std::vector<std::string>{"1.000894"});
    CHECK(idsFor("xyzzy").empty());
    CHECK(idsFor("khai sinh xyzzy").empty());  // every word must match somewhere
    // A short word is not guessed at: "hon" is not "con", "ky" is not "ca".
    CHECK(idsFor("con").size() == 1);
}

TEST_CASE("core: an empty procedure search lists the catalog by field, then by name") {
    const auto all = catalog();
    const auto order = kiosk::rankProcedures("  ", all);
    REQUIRE(order.size() == all.size());
    for (size_t i = 1; i < order.size(); ++i) {
        const auto& a = all[order[i - 1]];
        const auto& b = all[order[i]];
        CHECK((a.field < b.field || (a.field == b.field && a.name <= b.name)));
    }
}

TEST_CASE("core: edit distance counts a swapped pair of letters as one edit") {
    CHECK(kiosk::editDistance("sinh", "sinh") == 0);
    CHECK(kiosk::editDistance("xinh", "sinh") == 1);
    CHECK(kiosk::editDistance("khia", "khai") == 1);
    CHECK(kiosk::editDistance("hn", "hon") == 1);
    CHECK(kiosk::editDistance("", "abc") == 3);
    CHECK(kiosk::editDistance("kitten", "sitting") == 3);
}
