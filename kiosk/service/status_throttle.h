#pragma once
// StatusThrottle: the citizen's status check answers a receipt code and the last 4 digits of the
// phone given, so someone holding a code could guess the digits (10,000 tries). Failed checks are
// counted per code; after maxFailures the code is locked — for firstLock, then twice as long each
// time the code is locked again (at most longestLock) — and a locked code is refused without a
// lookup. A successful check forgets the code's failures; so does a quiet day (forgetAfter with no
// failure and no lock).
// The counts live in the kiosk database, in the meta table under one key (kMetaKey, a JSON object
// keyed by code), so every process that checks a status counts the same failures: the window and
// each `kioskctl status` call (a new process each time). An unknown code is counted like a known
// one, so the lock itself never tells whether a code exists. At most maxCodes codes are kept (the
// oldest failures go first), so guessing codes cannot grow the table without bound.
// Called on the thread that owns the Database.
#include <cstdint>
#include <string>

#include "common/database.h"
#include "common/result.h"

namespace kiosk::app {

struct ThrottleRules {
    int maxFailures = 5;
    int64_t firstLockSeconds = 60;
    int64_t longestLockSeconds = 24 * 3600;
    int64_t forgetAfterSeconds = 24 * 3600;
    size_t maxCodes = 1000;
};

// A code's state after a check.
struct ThrottleState {
    int triesLeft = 0;          // failed checks left before the code is locked
    int64_t lockedSeconds = 0;  // > 0: the code is locked this many more seconds
};

class StatusThrottle {
public:
    static constexpr const char* kMetaKey = "status_check.failures";

    explicit StatusThrottle(store::Database& db, ThrottleRules rules = {}) : m_db(db), m_rules(rules) {}

    const ThrottleRules& rules() const { return m_rules; }
    // Before a lookup: the code's state at `now` (lockedSeconds > 0: refuse without looking).
    Result<ThrottleState> state(const std::string& code, int64_t now);
    // A failed check of the code: counted; the state after it (locked when it was the last try).
    Result<ThrottleState> failed(const std::string& code, int64_t now);
    // A successful check: the code's failures are forgotten.
    Outcome succeeded(const std::string& code);

private:
    store::Database& m_db;
    ThrottleRules m_rules;
};

// "45 giây" / "3 phút" / "2 giờ" and English: how long a lock lasts, rounded up, for messages.
std::string lockDuration(int64_t seconds, Lang lang);

}  // namespace kiosk::app
