#pragma once
// District officers (cán bộ cấp huyện): their accounts, roles, password logins and the dashboard's
// sessions, in the district database.
//
// It is: accounts with an argon2id password hash (libsodium crypto_pwhash_str; the password itself
// is never stored), the four roles and what each may do, growing delays after wrong passwords,
// dashboard sessions (a random token of which only the SHA-256 is kept, with its CSRF token, an
// idle timeout and an absolute lifetime), and the log of who read which citizen's identity.
// It is not: HTTP or cookies (dashboard.h), nor the actions officers take (district_actions.h).
// Callers: district-server's officer commands, the dashboard. Free functions on a DistrictStore, so
// the same threading rule holds: one store (connection) per thread.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

enum class OfficerRole {
    Officer,    // cán bộ: reads records, acts on them
    Inspector,  // thanh tra: as officer, and may read a denouncer's identity (tố cáo)
    Leader,     // lãnh đạo: reads records and reports, takes no action on records
    Admin,      // quản trị: enrolls kiosks, imports holidays and the catalog, manages officers
};

std::string_view toSlug(OfficerRole role);  // "officer" | "inspector" | "leader" | "admin"
std::optional<OfficerRole> officerRoleFromSlug(std::string_view slug);
std::string_view displayName(OfficerRole role, bool english = false);

// What each role may do (one place, so the CLI and the dashboard agree).
bool mayActOnRecords(OfficerRole role);  // officer, inspector
bool mayAdminister(OfficerRole role);    // admin only
bool mayAssign(OfficerRole role);        // admin, leader: give records to officers (assignments.h)

struct DistrictOfficer {
    std::string id;    // login name, 1-32 of [a-z0-9._-]
    std::string name;  // NFC, for people
    OfficerRole role = OfficerRole::Officer;
    bool disabled = false;
    // The role as the account names it: toSlug(role), or a role the data names as competent to
    // resolve denunciations (denouncer_readers.h), whose accounts act as officers (role Officer).
    // "" means toSlug(role).
    std::string roleSlug;
    std::string slug() const { return roleSlug.empty() ? std::string(toSlug(role)) : roleSlug; }
};

// Whether the officer may read a denouncer's identity (Luật Tố cáo 2018, Điều 47, 56): the
// account's role is one the data names in force today (denouncerReaderRoles).
bool maySeeDenouncer(const DistrictOfficer& officer, const std::set<std::string>& rolesInForce);

// A password: 8 to 256 bytes of valid UTF-8. Errors "officer.password".
Outcome checkPasswordFormat(const std::string& password);
// An id: 1 to 32 of a-z, 0-9, '.', '_', '-'. Errors "officer.id".
Outcome checkOfficerId(const std::string& id);

// Errors: "officer.exists", "officer.id", "officer.name", "officer.password", "db.*".
Outcome addDistrictOfficer(DistrictStore& store, const DistrictOfficer& officer, const std::string& password,
                           int64_t nowMs);
// Disabling also ends the officer's sessions. Error "officer.unknown".
Outcome disableDistrictOfficer(DistrictStore& store, const std::string& id);
// A new password; clears the id's failed logins and ends the officer's sessions. Error
// "officer.unknown".
Outcome resetDistrictOfficerPassword(DistrictStore& store, const std::string& id,
                                     const std::string& password);
Result<std::optional<DistrictOfficer>> findDistrictOfficer(DistrictStore& store, const std::string& id);
Result<std::vector<DistrictOfficer>> listDistrictOfficers(DistrictStore& store);

// [SECTION] login attempts
//
// A wrong password slows further logins down; it never locks an account for good. Failures are
// counted twice, each with one atomic increment in the database (so concurrent attempts are all
// counted and the count survives a restart): against the id typed — whether or not such an officer
// exists, so that the slowdown says nothing about which ids do — and against the client's address
// (an IPv6 client by its /64). From the kFreeLoginFailures-th failure in a row on, the next attempt
// waits 2^n seconds (n failures) after the last failure: up to LoginThrottlePolicy::idCapMs for the
// id and addressCapMs for the address. The address's cap is the longer one, so an attacker at one
// address cannot fail each time the id's delay ends: the officer gets in from elsewhere between.
// A right password clears the id's count; an address's count is cleared by nothing but time
// (forgetAfterMs without a failure), or one account's login would wipe a spray of guesses.
constexpr int kFreeLoginFailures = 5;

struct LoginThrottlePolicy {
    int64_t idCapMs = 15 * 60 * 1000;
    int64_t addressCapMs = 60 * 60 * 1000;
    int64_t forgetAfterMs = 24 * 60 * 60 * 1000;  // a count untouched this long starts again at 0
};

// The wait after `failures` failures in a row, before the cap: 0 below kFreeLoginFailures.
int64_t loginDelayAfter(int64_t failures, int64_t capMs);

// How long a login for `id` from `address` must still wait, in ms (0: it may be tried now). Nothing
// is counted or verified here: the caller answers "try later" without spending a verification.
Result<int64_t> loginWaitMs(DistrictStore& store, const std::string& id, const std::string& address,
                            int64_t nowMs, const LoginThrottlePolicy& policy = {});

// Checks a password: against the officer's argon2id hash, or against a dummy hash made the same way
// when there is no such officer, so an unknown id costs the same time. An unknown id, a disabled
// account and a wrong password all give "login.failed" and are counted against the id and the
// address (one transaction); the right password clears the id's count. It does not look at the
// delay (loginWaitMs, before it) and does not cap how many run at once (the dashboard does: each
// takes 64 MiB). Other errors: "crypto", "db.*".
Result<DistrictOfficer> verifyDistrictOfficer(DistrictStore& store, const std::string& id,
                                              const std::string& password, int64_t nowMs,
                                              const std::string& address = "");

// [SECTION] dashboard sessions

struct SessionPolicy {
    int64_t idleMs = 30 * 60 * 1000;           // ends after this long without a request
    int64_t lifetimeMs = 10 * 60 * 60 * 1000;  // ends this long after login whatever happens
};

struct NewSession {
    std::string token;  // for the cookie; only its SHA-256 is stored
    std::string csrf;   // sent back with every action (X-CSRF-Token)
    int64_t expiresAtMs = 0;
};

struct Session {
    DistrictOfficer officer;
    std::string csrf;
    int64_t expiresAtMs = 0;  // the earlier of idle and absolute expiry, after this request
};

Result<NewSession> createSession(DistrictStore& store, const std::string& officerId, int64_t nowMs,
                                 const SessionPolicy& policy = {});
// The live session for a cookie token, its idle clock restarted; nullopt when unknown, expired or
// the officer was disabled since (an expired session is deleted on the way).
Result<std::optional<Session>> findSession(DistrictStore& store, std::string_view token, int64_t nowMs,
                                           const SessionPolicy& policy = {});
Outcome endSession(DistrictStore& store, std::string_view token);

// Constant-time comparison for tokens.
bool sameToken(std::string_view a, std::string_view b);

// [SECTION] audit

// Every reading of a citizen's identity (a denouncer's above all): who, which record, when
// (docs/domain.md). Written BEFORE the identity is opened or shown: a reading that cannot be logged
// does not happen.
Outcome recordIdentityRead(DistrictStore& store, const std::string& officerId, const std::string& recordCode,
                           int64_t nowMs);

struct IdentityRead {
    std::string officerId;
    std::string recordCode;
    int64_t atMs = 0;
};
Result<std::vector<IdentityRead>> identityReads(DistrictStore& store, const std::string& recordCode);
// For admins: the readings of one record, or of all (newest first, at most `limit`).
Result<std::vector<IdentityRead>> listIdentityReads(DistrictStore& store, const std::string& recordCode,
                                                    int limit);

// Who may open a record's sealed identity: for a tố cáo, the role the data names competent
// (maySeeDenouncer); for every other kind, whoever may act on records (leaders and admins read no
// identity).
bool mayReadIdentity(const DistrictOfficer& officer, bool denunciation,
                     const std::set<std::string>& denouncerRolesInForce);

}  // namespace kiosk::district
