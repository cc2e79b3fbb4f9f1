// core/private_part.h: the JSON a record's private part is sealed as.
#include <catch2/catch.hpp>

#include "core/private_part.h"

using namespace kiosk;

TEST_CASE("a private part's JSON is the text existing seals hold") {
    PrivatePart part{{"Nguyễn Văn A", "001234567890", "0912345678", "Thôn 1"}, "Nội dung"};
    const std::string json = privatePartToJson(part);
    CHECK(json == R"({"address":"Thôn 1","cccd":"001234567890","content":"Nội dung","name":"Nguyễn Văn A",)"
                  R"("phone":"0912345678"})");
    auto back = privatePartFromJson(json);
    REQUIRE(back);
    CHECK(back->identity.name == part.identity.name);
    CHECK(back->identity.cccd == part.identity.cccd);
    CHECK(back->identity.phone == part.identity.phone);
    CHECK(back->identity.address == part.identity.address);
    CHECK(back->content == part.content);
}

TEST_CASE("a private part reads what it can and refuses what is not an object") {
    CHECK_FALSE(privatePartFromJson("[1,2]"));
    CHECK_FALSE(privatePartFromJson("{"));
    auto partial = privatePartFromJson(R"({"phone":"0912345678"})");
    REQUIRE(partial);
    CHECK(partial->identity.phone == "0912345678");
    CHECK(partial->identity.name.empty());
    CHECK(partial->content.empty());
}
