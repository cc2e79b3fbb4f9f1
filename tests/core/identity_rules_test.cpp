// The identity each petition kind requires is data with a date (petition_kinds.tsv): from
// 2026-07-01 (Luật 136/2025/QH15) khiếu nại and tố cáo need the sender's address as well.
#include <catch2/catch.hpp>
#include "build_paths.h"

#include <filesystem>

#include "core/identity_rules.h"
#include "core/reference_data.h"
#include "core/validation.h"

using namespace kiosk;

namespace {

const ReferenceData& realData() {
    static const ReferenceData data = [] {
        auto loaded = loadReferenceData(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets");
        if (!loaded) FAIL(loaded.error().en);
        return *loaded;
    }();
    return data;
}

Validation complaintOn(const std::string& kind, const std::string& address, const Date& day) {
    const PetitionInput input{kind,         "Nguyễn Văn An", "008090001234",
                              "0912345678", address,         "Tôi khiếu nại quyết định thu hồi đất số 12."};
    return validatePetition(input, realData().cccdProvinces, realData().mobilePrefixes, 2026,
                            realData().identityRules, day);
}

}  // namespace

TEST_CASE("identity rules: khiếu nại and tố cáo need the address from 2026-07-01, not before") {
    for (const char* kind : {"khieu-nai", "to-cao"}) {
        INFO(kind);
        CHECK(complaintOn(kind, "", Date{2026, 6, 30}).ok());
        const Validation missing = complaintOn(kind, "", Date{2026, 7, 1});
        REQUIRE(missing.errorFor("address") != nullptr);
        CHECK(missing.errorFor("address")->error.code == "address.required");
        CHECK(missing.errorFor("address")->error.vi.find("địa chỉ") != std::string::npos);
        CHECK(missing.errorFor("address")->error.en.find("address") != std::string::npos);
        CHECK(complaintOn(kind, "Thôn 2, xã Yên Phú", Date{2026, 7, 1}).ok());
    }
    CHECK(complaintOn("kien-nghi", "", Date{2027, 1, 1}).ok());
    CHECK(complaintOn("phan-anh", "", Date{2027, 1, 1}).ok());
}

TEST_CASE("identity rules: the table is read, written back and refused when wrong") {
    const IdentityRules& rules = realData().identityRules;
    REQUIRE(rules.size() == 4);
    const auto& complaint = rules.at(PetitionKind::Complaint);
    CHECK(complaint.requiredOn(Date{2026, 6, 30}) ==
          std::set<IdentityField>{IdentityField::Name, IdentityField::Cccd});
    CHECK(complaint.requiredOn(Date{2026, 7, 1}).count(IdentityField::Address) == 1);
    auto again = parsePetitionIdentity(identityRulesToText(rules));
    REQUIRE(again);
    CHECK(again->at(PetitionKind::Denunciation).after == rules.at(PetitionKind::Denunciation).after);

    const std::string header = "slug\tidentity\tidentity_from\tidentity_after\n";
    const std::string others = "to-cao\t\t\t\nkien-nghi\t\t\t\nphan-anh\t\t\t\n";
    CHECK(parsePetitionIdentity(header + "khieu-nai\tname\t\t\n" + others));
    CHECK_FALSE(parsePetitionIdentity(header + "khieu-nai\tname,phone\t\t\n" + others));
    CHECK_FALSE(parsePetitionIdentity(header + "khieu-nai\tname\t2026-13-01\taddress\n" + others));
    CHECK_FALSE(parsePetitionIdentity(header + "khieu-nai\tname\t\taddress\n" + others));
    CHECK_FALSE(parsePetitionIdentity(header + others));
}
