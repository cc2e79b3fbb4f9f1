#include "core/records.h"

#include <array>

namespace kiosk {
namespace {

template <class E>
struct SlugEntry {
    E value;
    std::string_view slug;
};

constexpr std::array<SlugEntry<RecordKind>, 2> kRecordKinds{{
    {RecordKind::Petition, "petition"},
    {RecordKind::Dossier, "dossier"},
}};

constexpr std::array<SlugEntry<PetitionKind>, 4> kPetitionKinds{{
    {PetitionKind::Complaint, "khieu-nai"},
    {PetitionKind::Denunciation, "to-cao"},
    {PetitionKind::Recommendation, "kien-nghi"},
    {PetitionKind::Feedback, "phan-anh"},
}};

constexpr std::array<SlugEntry<RecordStatus>, 13> kStatuses{{
    {RecordStatus::Received, "received"},
    {RecordStatus::Accepted, "accepted"},
    {RecordStatus::InfoRequested, "info-requested"},
    {RecordStatus::Transferred, "transferred"},
    {RecordStatus::Resolved, "resolved"},
    {RecordStatus::NotAccepted, "not-accepted"},
    {RecordStatus::Withdrawn, "withdrawn"},
    {RecordStatus::Processing, "processing"},
    {RecordStatus::SupplementRequested, "supplement-requested"},
    {RecordStatus::ResultReady, "result-ready"},
    {RecordStatus::Delivered, "delivered"},
    {RecordStatus::Refused, "refused"},
    {RecordStatus::Suspended, "suspended"},
}};

constexpr std::array<SlugEntry<Complexity>, 3> kComplexities{{
    {Complexity::Normal, "normal"},
    {Complexity::Complex, "complex"},
    {Complexity::EspeciallyComplex, "especially-complex"},
}};

constexpr std::array<SlugEntry<Delivery>, 2> kDeliveries{{
    {Delivery::Counter, "counter"},
    {Delivery::Post, "post"},
}};

template <class E, size_t N>
std::string_view slugOf(const std::array<SlugEntry<E>, N>& table, E value) {
    for (const auto& entry : table)
        if (entry.value == value) return entry.slug;
    return "?";
}

template <class E, size_t N>
std::optional<E> valueOf(const std::array<SlugEntry<E>, N>& table, std::string_view slug) {
    for (const auto& entry : table)
        if (entry.slug == slug) return entry.value;
    return std::nullopt;
}

}  // namespace

std::string_view toSlug(RecordKind kind) { return slugOf(kRecordKinds, kind); }
std::string_view toSlug(PetitionKind kind) { return slugOf(kPetitionKinds, kind); }
std::string_view toSlug(RecordStatus status) { return slugOf(kStatuses, status); }
std::string_view toSlug(Delivery delivery) { return slugOf(kDeliveries, delivery); }
std::string_view toSlug(Complexity complexity) { return slugOf(kComplexities, complexity); }
std::optional<Complexity> complexityFromSlug(std::string_view s) { return valueOf(kComplexities, s); }
std::optional<RecordKind> recordKindFromSlug(std::string_view s) { return valueOf(kRecordKinds, s); }
std::optional<PetitionKind> petitionKindFromSlug(std::string_view s) { return valueOf(kPetitionKinds, s); }
std::optional<RecordStatus> statusFromSlug(std::string_view s) { return valueOf(kStatuses, s); }
std::optional<Delivery> deliveryFromSlug(std::string_view s) { return valueOf(kDeliveries, s); }

std::string_view displayName(PetitionKind kind, bool english) {
    switch (kind) {
        case PetitionKind::Complaint:
            return english ? "Complaint" : "Khiếu nại";
        case PetitionKind::Denunciation:
            return english ? "Denunciation" : "Tố cáo";
        case PetitionKind::Recommendation:
            return english ? "Recommendation" : "Kiến nghị";
        case PetitionKind::Feedback:
            return english ? "Feedback" : "Phản ánh";
    }
    return "?";
}

std::string_view displayName(RecordStatus status, RecordKind kind, bool english) {
    const bool dossier = kind == RecordKind::Dossier;
    switch (status) {
        case RecordStatus::Received:
            if (english) return "Received";
            return dossier ? "Mới tiếp nhận" : "Đã tiếp nhận";
        case RecordStatus::Accepted:
            return english ? "Accepted for handling" : "Đã thụ lý";
        case RecordStatus::InfoRequested:
            return english ? "More information requested" : "Yêu cầu bổ sung";
        case RecordStatus::Transferred:
            return english ? "Passed to the competent authority" : "Đã chuyển đến cơ quan có thẩm quyền";
        case RecordStatus::Resolved:
            return english ? "Resolved" : "Đã giải quyết";
        case RecordStatus::NotAccepted:
            return english ? "Not accepted" : "Không thụ lý";
        case RecordStatus::Withdrawn:
            return english ? "Withdrawn" : "Đã rút đơn";
        case RecordStatus::Processing:
            return english ? "Processing" : "Đang xử lý";
        case RecordStatus::SupplementRequested:
            return english ? "Supplement requested" : "Yêu cầu bổ sung";
        case RecordStatus::ResultReady:
            return english ? "Result ready for pick-up" : "Đã có kết quả, chờ trả";
        case RecordStatus::Delivered:
            return english ? "Result delivered" : "Đã trả kết quả";
        case RecordStatus::Refused:
            return english ? "Refused" : "Từ chối";
        case RecordStatus::Suspended:
            if (!dossier) return english ? "Suspended" : "Tạm đình chỉ";
            return english ? "Processing stopped" : "Dừng xử lý";
    }
    return "?";
}

Complexity complexity(const Record& record) {
    if (record.especiallyComplex) return Complexity::EspeciallyComplex;
    return record.complex ? Complexity::Complex : Complexity::Normal;
}

bool identityRequired(PetitionKind kind) {
    return kind == PetitionKind::Complaint || kind == PetitionKind::Denunciation;
}

bool isDenunciation(const Record& r) {
    return r.kind == RecordKind::Petition && r.petitionKind == PetitionKind::Denunciation;
}

bool isFinal(RecordStatus status) {
    switch (status) {
        case RecordStatus::Resolved:
        case RecordStatus::NotAccepted:
        case RecordStatus::Withdrawn:
        case RecordStatus::Delivered:
        case RecordStatus::Refused:
            return true;
        default:
            return false;
    }
}

}  // namespace kiosk
