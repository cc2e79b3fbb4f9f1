#pragma once
// Citizen reception (tiếp công dân) sessions recorded at the commune (`kioskctl reception add`),
// and their way to the district.
//
// A reception is one lượt — one person, or a group received together — with the number of people,
// the receiving officer, its case (new, or an existing record's code), the kind of matter and what
// was done. It is not a record event: a new case has no record, and the kiosk's event log and
// outbox belong to records (events.record_code references records). So receptions travel beside the
// outbox, in the push request's "receptions" list (docs/sync-protocol.md): the sync engine sends the
// unsent ones with its next push, and marks them sent once the district's 200 answer says the push
// was committed; the district keeps each reception once by its UUID, so a resend after a lost
// answer changes nothing.
// Callers: kioskctl reception add; the sync engine (sync/client). One KioskStore per thread.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "kiosk/store/kiosk_store.h"

namespace kiosk::store {

struct ReceptionInput {
    std::string officerId;  // the commune officer who received (already logged in by the caller)
    int people = 1;         // 1..1000
    std::string caseCode;   // "" for a new case; else a record's receipt or official code held here
    std::string kind;       // khieu-nai | to-cao | kien-nghi | phan-anh, or "" (taken from the case's record)
    std::string outcome;    // what was done, ≤ 200 characters
    std::string note;       // ≤ 2000 characters
};

struct StoredReception {
    std::string uuid;
    std::string officerId;
    int64_t at = 0;  // unix seconds, this kiosk's clock
    int people = 1;
    std::string caseCode;  // receipt code, "" for a new case
    std::string kind;
    std::string outcome;
    std::string note;
    bool sent = false;  // the district acknowledged it
};

// Validates and stores one reception, unsent. Errors: "reception.people", "reception.kind",
// "record.unknown" (the case code names no record here), "text.*", "db.*".
Result<StoredReception> addReception(KioskStore& store, const ReceptionInput& input, int64_t nowUnix);

// The oldest receptions not yet acknowledged by the district, at most `limit`.
Result<std::vector<StoredReception>> unsentReceptions(KioskStore& store, int limit = 200);
// After the district's 200 answer to a push that carried them. One transaction.
Outcome markReceptionsSent(KioskStore& store, const std::vector<std::string>& uuids, int64_t nowUnix);

// Receptions recorded on this kiosk, newest first (for officers' lists).
Result<std::vector<StoredReception>> listReceptions(KioskStore& store, int limit = 500);

}  // namespace kiosk::store
