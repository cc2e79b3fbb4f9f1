// Ratings on the wire (docs/sync-protocol.md "Ratings"): the push's "ratings" list beside the
// events, read the same by the direct reader and the tree, and the answer's "ratings_stored". A
// district from before ratings reads a push that carries them as if they were not there.
#include <catch2/catch.hpp>

#include <functional>

#include <nlohmann/json.hpp>

#include "sync/protocol/messages.h"

using namespace kiosk;
using namespace kiosk::protocol;

namespace {

const RatingReport kRating{"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                           "0237401123456789",
                           "receipt",
                           "rat-hai-long",
                           {"thai-do", "huong-dan"},
                           1767751200};

void checkRatingsSame(const std::string& body) {
    INFO(body);
    auto fast = decodePushRequest(body);
    auto tree = decodePushRequestFromTree(body);
    REQUIRE(fast.ok() == tree.ok());
    if (!fast) {
        CHECK(fast.error().code == tree.error().code);
        return;
    }
    REQUIRE(fast->ratings.size() == tree->ratings.size());
    for (size_t i = 0; i < fast->ratings.size(); ++i) {
        CHECK(fast->ratings[i].uuid == tree->ratings[i].uuid);
        CHECK(fast->ratings[i].criteria == tree->ratings[i].criteria);
    }
}

}  // namespace

TEST_CASE("sync protocol: a push carries ratings beside its events and both readers agree", "[protocol]") {
    const std::string body = encodePushRequest("k-0001", {}, std::nullopt, {}, {kRating});
    auto j = nlohmann::json::parse(body);
    REQUIRE(j["ratings"].is_array());
    CHECK(j["ratings"][0] == nlohmann::json{{"uuid", kRating.uuid},
                                            {"record", kRating.record},
                                            {"stage", "receipt"},
                                            {"value", "rat-hai-long"},
                                            {"criteria", {"thai-do", "huong-dan"}},
                                            {"at", kRating.at}});
    CHECK(body.rfind("{\"events\":[", 0) == 0);  // the kiosk splices its events right after this
    auto decoded = decodePushRequest(body);
    REQUIRE(decoded);
    REQUIRE(decoded->ratings.size() == 1);
    CHECK(decoded->ratings[0].record == kRating.record);
    CHECK(decoded->ratings[0].criteria == kRating.criteria);
    CHECK(decoded->ratings[0].at == kRating.at);
    checkRatingsSame(body);

    auto edit = [&](const std::function<void(nlohmann::json&)>& change) {
        auto copy = j;
        change(copy);
        return copy.dump();
    };
    checkRatingsSame(edit([](auto& c) { c["ratings"][0].erase("value"); }));           // dropped
    checkRatingsSame(edit([](auto& c) { c["ratings"][0]["criteria"] = "thai-do"; }));  // dropped
    checkRatingsSame(edit([](auto& c) { c["ratings"] = nullptr; }));
    checkRatingsSame(edit([](auto& c) { c["ratings"] = "none"; }));  // refused
    checkRatingsSame(edit([](auto& c) {
        for (int i = 0; i < 200; ++i) c["ratings"].push_back(c["ratings"][0]);  // too many
    }));
    auto tooMany = decodePushRequestFromTree(edit([](auto& c) {
        for (int i = 0; i < 200; ++i) c["ratings"].push_back(c["ratings"][0]);
    }));
    REQUIRE_FALSE(tooMany);
    CHECK(tooMany.error().code == "too-many-ratings");
}

TEST_CASE("sync protocol: an answer names the ratings held, and an older answer names none", "[protocol]") {
    PushResponse r;
    r.ackedSeq = 3;
    r.kioskId = "k7";
    r.commune = "02374";
    r.ratingsStored = {kRating.uuid};
    const std::string text = encodePushResponse(r);
    CHECK(text == nlohmann::json::parse(text).dump());  // written directly, keys in nlohmann's order
    auto decoded = decodePushResponse(text);
    REQUIRE(decoded);
    CHECK(decoded->ratingsStored == std::vector<std::string>{kRating.uuid});

    // A district that does not know ratings answers without the key: the kiosk marks nothing sent.
    r.ratingsStored.clear();
    const std::string old = encodePushResponse(r);
    CHECK(old.find("ratings_stored") == std::string::npos);
    CHECK(decodePushResponse(old)->ratingsStored.empty());
}
