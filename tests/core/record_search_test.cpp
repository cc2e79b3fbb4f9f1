// The officer's search: name words with or without diacritics, phone digits in either form, CCCD,
// receipt and official codes; a tố cáo found by its code only.
#include <catch2/catch.hpp>

#include "core/record_search.h"

using kiosk::matchesRecordQuery;
using kiosk::parseRecordQuery;

namespace {

kiosk::Record citizen(const std::string& name, const std::string& phone, const std::string& cccd = "") {
    kiosk::Record r;
    r.code = "0237471152852999";
    r.kind = kiosk::RecordKind::Petition;
    r.petitionKind = kiosk::PetitionKind::Complaint;
    r.identity.name = name;
    r.identity.phone = phone;
    r.identity.cccd = cccd;
    return r;
}

bool finds(const kiosk::Record& r, const std::string& query) {
    return matchesRecordQuery(r, parseRecordQuery(query));
}

}  // namespace

TEST_CASE("record search: names match word starts, in any order, with or without diacritics") {
    const auto r = citizen("Nguyễn Văn Đức", "0912345678");
    CHECK(finds(r, "duc"));
    CHECK(finds(r, "Đức"));
    CHECK(finds(r, "nguyen duc"));
    CHECK(finds(r, "duc nguy"));
    CHECK(finds(r, "  VĂN  "));
    CHECK_FALSE(finds(r, "uc"));          // not the middle of a word
    CHECK_FALSE(finds(r, "nguyen hoa"));  // every word must be there
    CHECK_FALSE(finds(citizen("", "0912345678"), "nguyen"));
}

TEST_CASE("record search: digits match phone (0… or +84…), CCCD and receipt code") {
    const auto r = citizen("Lò Thị Mai", "0912345678", "008190001234");
    CHECK(finds(r, "0912345678"));
    CHECK(finds(r, "+84 912 345 678"));
    CHECK(finds(r, "84912345678"));
    CHECK(finds(r, "345.678"));
    CHECK(finds(r, "008190001234"));
    CHECK(finds(r, "0237 4711"));
    CHECK(finds(r, "02"));        // short: receipt codes that start with it
    CHECK_FALSE(finds(r, "12"));  // short digits never scan phones
    CHECK_FALSE(finds(r, "0988"));
    CHECK(parseRecordQuery("+84 912").digits == "0912");
    CHECK(parseRecordQuery("849").digits == "849");  // too short to be a +84 number
    CHECK(parseRecordQuery(" - . ").empty());
}

TEST_CASE("record search: a tố cáo is found by its code only, never by the denouncer's identity") {
    auto r = citizen("Hoàng Văn Tú", "0912345678", "008190001234");
    r.petitionKind = kiosk::PetitionKind::Denunciation;
    CHECK_FALSE(finds(r, "tu"));
    CHECK_FALSE(finds(r, "0912345678"));
    CHECK_FALSE(finds(r, "008190001234"));
    CHECK(finds(r, "02374711"));
}

TEST_CASE("record search: official dossier codes match in part") {
    auto r = citizen("Vi Văn Lâm", "0912345678");
    r.kind = kiosk::RecordKind::Dossier;
    r.officialCode = "000.00.12.H60-261126-0007";
    CHECK(finds(r, "H60-261126"));
    CHECK(finds(r, "h60-261126-0007"));
    CHECK_FALSE(finds(r, "H61"));
}
