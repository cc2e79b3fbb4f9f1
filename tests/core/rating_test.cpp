// The rating's values, stages and criteria (core/rating.h), and the criteria file the kiosk ships.
#include <catch2/catch.hpp>

#include "core/rating.h"

using namespace kiosk;

TEST_CASE("core: rating values and stages round trip through their slugs") {
    for (RatingValue v : {RatingValue::VerySatisfied, RatingValue::Satisfied, RatingValue::Unsatisfied})
        CHECK(ratingValueFromSlug(toSlug(v)) == v);
    CHECK(toSlug(RatingValue::VerySatisfied) == "rat-hai-long");
    CHECK(toSlug(RatingValue::Unsatisfied) == "khong-hai-long");
    CHECK_FALSE(ratingValueFromSlug("very-satisfied"));
    CHECK(ratingStageFromSlug("finished") == RatingStage::Finished);
    CHECK_FALSE(ratingStageFromSlug("done"));
}

TEST_CASE("core: the shipped rating criteria file has the nine criteria") {
    auto criteria = loadRatingCriteria();
    INFO((criteria ? std::string() : criteria.error().en));
    REQUIRE(criteria);
    CHECK(criteria->size() == kMaxRatingCriteria);
    for (const RatingCriterion& c : *criteria) {
        CHECK_FALSE(c.vi.empty());
        CHECK_FALSE(c.en.empty());
    }
}

TEST_CASE("core: ticked criteria are checked against the list, or by shape when there is none") {
    const std::vector<RatingCriterion> known{{"thai-do", "Thái độ", "Attitude"},
                                             {"huong-dan", "Hướng dẫn", "Guidance"}};
    CHECK(checkRatingCriteria({"huong-dan", "thai-do"}, known).value() ==
          std::vector<std::string>{"huong-dan", "thai-do"});
    CHECK(checkRatingCriteria({"khac"}, known).error().code == "rating.criteria");
    CHECK_FALSE(checkRatingCriteria({"thai-do", "thai-do"}, known));
    CHECK(checkRatingCriteria({"a-new-one"}, {}));
    CHECK_FALSE(checkRatingCriteria({"Không"}, {}));
    CHECK_FALSE(checkRatingCriteria(std::vector<std::string>(10, "x"), {}));
    CHECK(splitCriteria(" a, b,,c ") == std::vector<std::string>{"a", "b", "c"});
    CHECK(joinCriteria({"a", "b"}) == "a,b");
    CHECK(splitCriteria("").empty());
}

TEST_CASE("core: a criteria file with a bad id or a duplicate is refused") {
    CHECK_FALSE(parseRatingCriteria("id\tvi\ten\nThai Do\tx\ty\n"));
    CHECK_FALSE(parseRatingCriteria("id\tvi\ten\na\tx\ty\na\tx\ty\n"));
    CHECK(parseRatingCriteria("# c\nid\tvi\ten\na\tx\ty\n"));
}
