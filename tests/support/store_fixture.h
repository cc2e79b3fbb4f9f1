#pragma once
// A kiosk database in a temp dir, initialised with the real assets for commune 02374.
#include <catch2/catch.hpp>

#include "core/reference_data.h"
#include "core/validation.h"
#include "kiosk/store/kiosk_store.h"
#include "tests/support/temp_dir.h"

namespace testing_support {

inline const kiosk::ReferenceData& realReference() {
    static const kiosk::ReferenceData reference = [] {
        auto loaded = kiosk::loadReferenceData(kiosk::assetsDir());
        if (!loaded) FAIL("assets did not load: " << loaded.error().en);
        return loaded.value();
    }();
    return reference;
}

inline std::unique_ptr<kiosk::store::KioskStore> makeKioskStore(const std::string& path,
                                                                const std::string& commune = "02374",
                                                                int slot = 1) {
    auto store = kiosk::store::KioskStore::open(path, true);
    REQUIRE(store.ok());
    kiosk::store::KioskConfig config;
    config.commune = commune;
    config.slot = slot;
    config.kioskId = "k-test";
    auto configured = (*store)->configure(config, realReference());
    INFO((configured ? std::string() : configured.error().en));
    REQUIRE(configured.ok());
    return std::move(store.value());
}

inline kiosk::Record petitionDraft(const kiosk::store::KioskStore& store,
                                   const std::string& kind = "khieu-nai",
                                   const std::string& phone = "0912345678") {
    kiosk::PetitionInput input;
    input.kind = kind;
    input.name = "Nguyễn Thị Hoa";
    input.cccd = "008190001234";
    input.phone = phone;
    input.address = "Thôn 3, xã Yên Thuận";
    input.content = "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất cho gia đình tôi.";
    auto v =
        kiosk::validatePetition(input, store.reference().cccdProvinces, store.reference().mobilePrefixes);
    INFO((v.errors.empty() ? std::string() : v.errors.front().error.en));
    REQUIRE(v.ok());
    return v.record;
}

}  // namespace testing_support
