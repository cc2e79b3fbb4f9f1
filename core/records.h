#pragma once
// The records citizens create: petitions (đơn thư) and administrative dossiers (hồ sơ thủ tục
// hành chính), with the identity fields kept apart from the rest so they can be sealed
// (Hardening issue). A record's current row is derived from its events (event.h) by the state
// machine (state_machine.h); nothing else changes it. Plain data; no I/O.
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.h"

namespace kiosk {

enum class RecordKind { Petition, Dossier };

enum class PetitionKind {
    Complaint,       // khiếu nại — slug khieu-nai
    Denunciation,    // tố cáo — slug to-cao
    Recommendation,  // kiến nghị — slug kien-nghi
    Feedback,        // phản ánh — slug phan-anh
};

// One enum for both machines: `received` is shared; the rest belong to one kind (docs/domain.md).
enum class RecordStatus {
    Received,  // đã tiếp nhận / mới tiếp nhận
    // petitions
    Accepted,       // đã thụ lý
    InfoRequested,  // yêu cầu bổ sung
    Transferred,    // đã chuyển đơn: to the agency named in transferAgency (agencies.tsv)
    Resolved,       // đã giải quyết
    NotAccepted,    // không thụ lý
    Withdrawn,      // đã rút đơn
    // dossiers
    Processing,           // đang xử lý
    SupplementRequested,  // yêu cầu bổ sung
    ResultReady,          // đã có kết quả, chờ trả
    Delivered,            // đã trả kết quả
    Refused,              // từ chối
    Suspended,  // dừng xử lý; a khiếu nại: tạm đình chỉ (from the date in petition_kinds.tsv)
};

enum class Delivery { Counter, Post };  // trả kết quả trực tiếp / qua bưu chính công ích

// How complex the resolver judged a case. Khiếu nại: complex lengthens the resolve period (Luật
// Khiếu nại 2011, Điều 28). Tố cáo: the class decides how many extensions are allowed (Luật Tố cáo
// 2018, Điều 30: normal none, complex one, especially complex two — the numbers are data).
enum class Complexity {
    Normal = 0,             // bình thường
    Complex = 1,            // phức tạp
    EspeciallyComplex = 2,  // đặc biệt phức tạp (tố cáo only)
};
std::string_view toSlug(Complexity complexity);  // "normal" | "complex" | "especially-complex"
std::optional<Complexity> complexityFromSlug(std::string_view slug);

// "No due date": a dossier whose procedure has no known processing time gets none rather than an
// invented one (docs/domain.md). Sorts before every real date; stores write it as '' and JSON as
// null; never overdue.
inline constexpr Date kNoDate{0, 0, 0};

// Who the citizen is. Kept apart so the store can seal it; for tố cáo it is the denouncer and is
// never shown at the commune (docs/domain.md, Luật Tố cáo 2018 Điều 47, 56).
struct Identity {
    std::string name;     // NFC, may be empty for kiến nghị / phản ánh
    std::string cccd;     // 12 digits or empty
    std::string phone;    // normal form "0xxxxxxxxx"; "" for a petition by a citizen without a phone
    std::string address;  // NFC, may be empty (required for postal delivery)
    // Người viết hộ: who wrote the petition for the citizen, when someone did. It names a person,
    // so it is sealed with the identity (for a tố cáo, as the denouncer's is). "" = nobody.
    std::string writerName;
    std::string writerRelation;  // e.g. "con trai", "cán bộ thôn"; "" when not given
};

struct Record {
    std::string code;          // the kiosk's receipt code (digits, no spaces), the primary key
    std::string officialCode;  // dossiers: <agency>-YYMMDD-XXXX once the district assigns it
    RecordKind kind = RecordKind::Petition;
    PetitionKind petitionKind = PetitionKind::Complaint;  // petitions only
    std::string procedureCode;                            // dossiers only: the catalog code
    std::string commune;                                  // 5-digit commune code
    RecordStatus status = RecordStatus::Received;
    int64_t submittedAt = 0;  // unix seconds when the kiosk committed it
    Date receivedOn;          // legal date of receipt (office hours, working days)
    Date due = kNoDate;       // the deadline in force for the current status; kNoDate: none
    bool complex = false;     // marked complex (khiếu nại: longer limit; tố cáo: may be extended)
    bool especiallyComplex = false;  // tố cáo classed especially complex (more extensions)
    int extensions = 0;              // tố cáo extensions granted (as many as its class allows)
    std::optional<Date> acceptedOn;  // first acceptance (thụ lý); later ones keep its due date
    Delivery delivery = Delivery::Counter;
    std::string content;     // petition content or dossier note, NFC
    std::string resultNote;  // the last decision's note (reason, result)
    std::string linkedCode;  // a second-time complaint points at the first
    // The agency slug (assets/agencies.tsv) the last transfer named; "" for a transfer made before
    // transfers named one: people read "cơ quan có thẩm quyền".
    std::string transferAgency;
    std::optional<Date> suspendedOn;  // khiếu nại suspended (tạm đình chỉ) since; the clock stopped then
    std::string withdrawnParts;  // parts of a khiếu nại withdrawn so far, one per line, never reconsidered
    Identity identity;
    // In memory only, on the record createRecord returns for a petition without a phone: the
    // 4-digit check PIN the citizen is shown once (only its hash is stored). "" otherwise.
    std::string checkPin;
};

// Slugs exactly as docs/domain.md and the command-line contract spell them.
std::string_view toSlug(RecordKind kind);      // "petition" | "dossier"
std::string_view toSlug(PetitionKind kind);    // "khieu-nai" ...
std::string_view toSlug(RecordStatus status);  // "received" ...
std::string_view toSlug(Delivery delivery);    // "counter" | "post"
std::optional<RecordKind> recordKindFromSlug(std::string_view slug);
std::optional<PetitionKind> petitionKindFromSlug(std::string_view slug);
std::optional<RecordStatus> statusFromSlug(std::string_view slug);
std::optional<Delivery> deliveryFromSlug(std::string_view slug);

// Vietnamese and English names for people.
std::string_view displayName(PetitionKind kind, bool english = false);
std::string_view displayName(RecordStatus status, RecordKind kind, bool english = false);

// Whether the record has a due date (see kNoDate).
inline bool hasDue(const Record& record) { return record.due != kNoDate; }
// The due date as stores and JSON keep it: "YYYY-MM-DD", or "" when there is none.
inline std::string dueText(const Record& record) { return hasDue(record) ? record.due.iso() : std::string(); }
Complexity complexity(const Record& record);
// The `complex` column: 0 normal, 1 complex, 2 especially complex.
// The accepted_on column: "YYYY-MM-DD", or "" when never accepted.
inline std::string acceptedOnText(const Record& record) {
    return record.acceptedOn ? record.acceptedOn->iso() : std::string();
}
// The suspended_on column: "YYYY-MM-DD", or "" when not suspended.
inline std::string suspendedOnText(const Record& record) {
    return record.suspendedOn ? record.suspendedOn->iso() : std::string();
}
inline int complexColumn(const Record& record) {
    return record.especiallyComplex ? 2 : record.complex ? 1 : 0;
}

// A khiếu nại lần hai: a complaint that names the first one (Luật Khiếu nại 2011, Điều 37).
inline bool isSecondTime(const Record& record) {
    return record.kind == RecordKind::Petition && record.petitionKind == PetitionKind::Complaint &&
           !record.linkedCode.empty();
}

// Whether a petition of this kind needs name and CCCD (khiếu nại, tố cáo).
bool identityRequired(PetitionKind kind);
// A tố cáo: its denouncer's identity is never opened or shown at the commune.
bool isDenunciation(const Record& record);
// Final statuses take no more actions.
bool isFinal(RecordStatus status);

// [SECTION] a record from a store's row
// Both stores (kiosk/store, district/store) keep a record in the same columns and select them first,
// in this order; the district adds the identity after them. core runs no SQL: Row is anything with
// text(column) and integer(column), a store's Statement.
inline constexpr const char* kRecordColumns =
    "r.code, r.official_code, r.kind, r.petition_kind, r.procedure, r.commune, r.status, "
    "r.submitted_at, r.received_on, r.due, r.complex, r.extensions, r.delivery, r.content, "
    "r.result_note, r.linked_code, r.accepted_on, r.transfer_agency, r.suspended_on, r.withdrawn_parts";
inline constexpr int kRecordColumnCount = 20;

// The record in columns 0..19 (kRecordColumns); the identity is left empty.
template <class Row>
Record recordFromColumns(const Row& row) {
    Record r;
    r.code = row.text(0);
    r.officialCode = row.text(1);
    r.kind = recordKindFromSlug(row.text(2)).value_or(RecordKind::Petition);
    r.petitionKind = petitionKindFromSlug(row.text(3)).value_or(PetitionKind::Complaint);
    r.procedureCode = row.text(4);
    r.commune = row.text(5);
    r.status = statusFromSlug(row.text(6)).value_or(RecordStatus::Received);
    r.submittedAt = row.integer(7);
    r.receivedOn = Date::parse(row.text(8)).value_or(Date{});
    r.due = Date::parse(row.text(9)).value_or(kNoDate);
    r.complex = row.integer(10) != 0;
    r.especiallyComplex = row.integer(10) == 2;
    r.extensions = int(row.integer(11));
    r.delivery = deliveryFromSlug(row.text(12)).value_or(Delivery::Counter);
    r.content = row.text(13);
    r.resultNote = row.text(14);
    r.linkedCode = row.text(15);
    r.acceptedOn = Date::parse(row.text(16));
    r.transferAgency = row.text(17);
    r.suspendedOn = Date::parse(row.text(18));
    r.withdrawnParts = row.text(19);
    return r;
}

}  // namespace kiosk
