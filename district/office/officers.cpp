#include "district/office/officers.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "core/text.h"

// [SECTION] index
//   roles              slugs, names, permissions
//   accounts           add, disable, reset, find, list
//   login attempts     the delay, verify, counting failures
//   sessions           create, find (idle + absolute expiry), end
//   audit              identity reads

namespace kiosk::district {

using store::Database;
using store::Statement;
using store::Transaction;

namespace {

Error unknownOfficer(const std::string& id) {
    return makeError("officer.unknown", "Không có cán bộ “" + id + "”.",
                     "There is no officer \"" + id + "\".");
}

Error loginFailed() {
    return makeError("login.failed", "Tên đăng nhập hoặc mật khẩu không đúng.",
                     "Wrong user name or password.");
}

std::string hashPassword(const std::string& password) {
    char out[crypto_pwhash_STRBYTES];
    // Interactive limits (64 MiB, a fraction of a second): a login is a person waiting.
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return {};
    return out;
}

// The database keys of the failure counts (table login_failures). An id or address is whatever the
// client sent, so it is cut short: no key longer than this is stored.
constexpr size_t kMaxKeyText = 64;

std::string idKey(const std::string& id) { return "id:" + id.substr(0, kMaxKeyText); }

// An IPv6 client can take any address of its /64 (a home or office gets at least that many): its
// failures are counted for the whole /64.
std::string addressKey(const std::string& address) {
    unsigned char bytes[16];
    if (inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
        std::memset(bytes + 8, 0, 8);
        char text[INET6_ADDRSTRLEN] = {};
        inet_ntop(AF_INET6, bytes, text, sizeof text);
        return "addr:" + std::string(text) + "/64";
    }
    return "addr:" + address.substr(0, kMaxKeyText);
}

// What an unknown id's password is checked against: a hash made as real ones are, so the check
// costs what a real one costs. Made once, on the first login check.
const std::string& dummyHash() {
    static const std::string hash = hashPassword("not the password of any officer");
    return hash;
}

Outcome endSessionsOf(Database& db, const std::string& officerId) {
    auto st = db.prepare("DELETE FROM sessions WHERE officer_id = ?");
    if (!st) return st.error();
    st->bind(1, officerId);
    return st->run();
}

DistrictOfficer officerFromRow(const Statement& st) {
    DistrictOfficer o;
    o.id = st.text(0);
    o.name = st.text(1);
    // Column 2 is the account's role slug (named_role when set): a role the data names acts as
    // an officer.
    o.roleSlug = st.text(2);
    o.role = officerRoleFromSlug(o.roleSlug).value_or(OfficerRole::Officer);
    o.disabled = st.integer(3) != 0;
    return o;
}

}  // namespace

// [SECTION] roles

std::string_view toSlug(OfficerRole role) {
    switch (role) {
        case OfficerRole::Officer:
            return "officer";
        case OfficerRole::Inspector:
            return "inspector";
        case OfficerRole::Leader:
            return "leader";
        case OfficerRole::Admin:
            return "admin";
    }
    return "officer";
}

std::optional<OfficerRole> officerRoleFromSlug(std::string_view slug) {
    if (slug == "officer") return OfficerRole::Officer;
    if (slug == "inspector") return OfficerRole::Inspector;
    if (slug == "leader") return OfficerRole::Leader;
    if (slug == "admin") return OfficerRole::Admin;
    return std::nullopt;
}

std::string_view displayName(OfficerRole role, bool english) {
    switch (role) {
        case OfficerRole::Officer:
            return english ? "officer" : "cán bộ";
        case OfficerRole::Inspector:
            return english ? "inspector" : "thanh tra";
        case OfficerRole::Leader:
            return english ? "leader" : "lãnh đạo";
        case OfficerRole::Admin:
            return english ? "administrator" : "quản trị";
    }
    return "?";
}

bool mayActOnRecords(OfficerRole role) {
    return role == OfficerRole::Officer || role == OfficerRole::Inspector;
}
bool maySeeDenouncer(const DistrictOfficer& officer, const std::set<std::string>& rolesInForce) {
    return rolesInForce.count(officer.slug()) > 0;
}
bool mayAdminister(OfficerRole role) { return role == OfficerRole::Admin; }
bool mayAssign(OfficerRole role) { return role == OfficerRole::Admin || role == OfficerRole::Leader; }
bool mayReadIdentity(const DistrictOfficer& officer, bool denunciation,
                     const std::set<std::string>& denouncerRolesInForce) {
    return denunciation ? maySeeDenouncer(officer, denouncerRolesInForce) : mayActOnRecords(officer.role);
}

// [SECTION] accounts

Outcome checkPasswordFormat(const std::string& password) {
    if (!isValidUtf8(password) || password.size() < 8 || password.size() > 256)
        return makeError("officer.password", "Mật khẩu phải có từ 8 đến 256 byte (UTF-8).",
                         "A password must be 8 to 256 bytes of UTF-8.");
    return {};
}

Outcome checkOfficerId(const std::string& id) {
    bool ok = !id.empty() && id.size() <= 32;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            ok = false;
    if (!ok)
        return makeError("officer.id",
                         "Mã cán bộ gồm 1 đến 32 ký tự a-z, 0-9, dấu chấm, gạch dưới hoặc gạch ngang.",
                         "An officer id is 1 to 32 of a-z, 0-9, '.', '_' or '-'.");
    return {};
}

// A new password, checked and hashed for storing.
static Result<std::string> hashNewPassword(const std::string& password) {
    if (auto ok = checkPasswordFormat(password); !ok) return ok.error();
    if (sodium_init() < 0)
        return makeError("crypto", "Không khởi tạo được libsodium.", "libsodium failed to start.");
    std::string hash = hashPassword(password);
    if (hash.empty())
        return makeError("crypto", "Không băm được mật khẩu (thiếu bộ nhớ?).",
                         "Could not hash the password (out of memory?).");
    return hash;
}

Outcome addDistrictOfficer(DistrictStore& store, const DistrictOfficer& officer, const std::string& password,
                           int64_t nowMs) {
    if (auto ok = checkOfficerId(officer.id); !ok) return ok;
    auto name = normalizeText(officer.name, 100, false);
    if (!name) return name.error();
    if (name->empty())
        return makeError("officer.name", "Cần họ tên cán bộ (--name).",
                         "The officer's name is required (--name).");
    auto hash = hashNewPassword(password);
    if (!hash) return hash.error();
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    auto exists = db.prepare("SELECT 1 FROM officers WHERE id = ?");
    if (!exists) return exists.error();
    exists->bind(1, officer.id);
    auto row = exists->step();
    if (!row) return row.error();
    if (*row)
        return makeError("officer.exists", "Đã có cán bộ mã “" + officer.id + "”.",
                         "An officer \"" + officer.id + "\" already exists.");
    exists->reset();
    auto st = db.prepare(
        "INSERT INTO officers(id, name, role, password_hash, created_at, named_role) VALUES(?,?,?,?,?,?)");
    if (!st) return st.error();
    const std::string builtIn(toSlug(officer.role));
    st->bind(1, officer.id)
        .bind(2, *name)
        .bind(3, builtIn)
        .bind(4, *hash)
        .bind(5, nowMs)
        .bind(6, officer.slug() == builtIn ? std::string() : officer.slug());
    if (auto ok = st->run(); !ok) return ok;
    return tx.commit();
}

Outcome disableDistrictOfficer(DistrictStore& store, const std::string& id) {
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    auto st = db.prepare("UPDATE officers SET disabled = 1 WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    if (auto ok = st->run(); !ok) return ok;
    if (db.changes() == 0) return unknownOfficer(id);
    if (auto ok = endSessionsOf(db, id); !ok) return ok;
    return tx.commit();
}

Outcome resetDistrictOfficerPassword(DistrictStore& store, const std::string& id,
                                     const std::string& password) {
    auto hash = hashNewPassword(password);
    if (!hash) return hash.error();
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    auto st = db.prepare("UPDATE officers SET password_hash = ? WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, *hash).bind(2, id);
    if (auto ok = st->run(); !ok) return ok;
    if (db.changes() == 0) return unknownOfficer(id);
    if (auto ok = endSessionsOf(db, id); !ok) return ok;
    auto cleared = db.prepare("DELETE FROM login_failures WHERE key = ?");
    if (!cleared) return cleared.error();
    cleared->bind(1, idKey(id));
    if (auto ok = cleared->run(); !ok) return ok;
    return tx.commit();
}

Result<std::optional<DistrictOfficer>> findDistrictOfficer(DistrictStore& store, const std::string& id) {
    auto st = store.database().prepare(
        "SELECT id, name, coalesce(nullif(named_role, ''), role), disabled FROM officers WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<DistrictOfficer>();
    return std::optional<DistrictOfficer>(officerFromRow(*st));
}

Result<std::vector<DistrictOfficer>> listDistrictOfficers(DistrictStore& store) {
    auto st = store.database().prepare(
        "SELECT id, name, coalesce(nullif(named_role, ''), role), disabled FROM officers ORDER BY id");
    if (!st) return st.error();
    std::vector<DistrictOfficer> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(officerFromRow(*st));
    }
    return out;
}

// [SECTION] login attempts

int64_t loginDelayAfter(int64_t failures, int64_t capMs) {
    if (failures < kFreeLoginFailures) return 0;
    if (failures >= 40) return capMs;  // 2^40 s is past any cap; no shift overflows
    return std::min((int64_t(1) << failures) * 1000, capMs);
}

Result<int64_t> loginWaitMs(DistrictStore& store, const std::string& id, const std::string& address,
                            int64_t nowMs, const LoginThrottlePolicy& policy) {
    auto st = store.database().prepare(
        "SELECT key, failures, last_failure FROM login_failures WHERE key IN (?1, ?2) AND last_failure >= "
        "?3");
    if (!st) return st.error();
    st->bind(1, idKey(id)).bind(2, addressKey(address)).bind(3, nowMs - policy.forgetAfterMs);
    int64_t wait = 0;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        const bool isId = st->text(0).rfind("id:", 0) == 0;
        const int64_t until =
            st->integer(2) + loginDelayAfter(st->integer(1), isId ? policy.idCapMs : policy.addressCapMs);
        wait = std::max(wait, until - nowMs);
    }
    return wait;
}

namespace {

// One more failure for the id and for the address, each one atomic upsert (no read-modify-write:
// concurrent failures all count), in one transaction; counts nobody touched for forgetAfterMs
// start again and are deleted on the way.
Outcome countLoginFailure(Database& db, const std::string& id, const std::string& address, int64_t nowMs,
                          const LoginThrottlePolicy& policy) {
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    const int64_t forgotten = nowMs - policy.forgetAfterMs;
    auto prune = db.prepare("DELETE FROM login_failures WHERE last_failure < ?");
    if (!prune) return prune.error();
    prune->bind(1, forgotten);
    if (auto ok = prune->run(); !ok) return ok;
    auto st = db.prepare(
        "INSERT INTO login_failures(key, failures, last_failure) VALUES(?1, 1, ?2) "
        "ON CONFLICT(key) DO UPDATE SET failures = CASE WHEN login_failures.last_failure < ?3 THEN 1 "
        "ELSE login_failures.failures + 1 END, "
        "last_failure = CASE WHEN login_failures.last_failure > ?2 THEN login_failures.last_failure ELSE ?2 "
        "END");
    if (!st) return st.error();
    for (const std::string& key : {idKey(id), addressKey(address)}) {
        st->bind(1, key).bind(2, nowMs).bind(3, forgotten);
        if (auto ok = st->run(); !ok) return ok;
        st->reset();
    }
    return tx.commit();
}

}  // namespace

Result<DistrictOfficer> verifyDistrictOfficer(DistrictStore& store, const std::string& id,
                                              const std::string& password, int64_t nowMs,
                                              const std::string& address) {
    if (sodium_init() < 0 || dummyHash().empty())
        return makeError("crypto", "Không khởi tạo được libsodium.", "libsodium failed to start.");
    Database& db = store.database();
    std::optional<DistrictOfficer> officer;
    std::string hash = dummyHash();
    {
        auto st = db.prepare(
            "SELECT id, name, coalesce(nullif(named_role, ''), role), disabled, password_hash FROM officers "
            "WHERE id = ?");
        if (!st) return st.error();
        st->bind(1, id);
        auto row = st->step();
        if (!row) return row.error();
        if (*row) {
            officer = officerFromRow(*st);
            hash = st->text(4);
        }
    }
    // Verified whatever the id, the account's state or the password's length: the time taken is
    // the same for all of them.
    const bool matches = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    if (matches && officer && !officer->disabled) {
        auto st = db.prepare("DELETE FROM login_failures WHERE key = ?");
        if (!st) return st.error();
        st->bind(1, idKey(id));
        if (auto ok = st->run(); !ok) return ok.error();
        return *officer;
    }
    if (auto ok = countLoginFailure(db, id, address, nowMs, {}); !ok) return ok.error();
    return loginFailed();
}

// [SECTION] sessions

bool sameToken(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<NewSession> createSession(DistrictStore& store, const std::string& officerId, int64_t nowMs,
                                 const SessionPolicy& policy) {
    NewSession s{newToken(), newToken(), nowMs + std::min(policy.idleMs, policy.lifetimeMs)};
    if (s.token.empty() || s.csrf.empty())
        return makeError("token.random", "Không tạo được mã phiên ngẫu nhiên.",
                         "Could not generate a session token.");
    Database& db = store.database();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    // Old sessions go on the way, so the table never grows with abandoned logins.
    {
        auto st = db.prepare("DELETE FROM sessions WHERE last_used < ? OR created_at < ?");
        if (!st) return st.error();
        st->bind(1, nowMs - policy.idleMs).bind(2, nowMs - policy.lifetimeMs);
        if (auto ok = st->run(); !ok) return ok.error();
    }
    auto st = db.prepare(
        "INSERT INTO sessions(token_sha256, officer_id, csrf, created_at, last_used) VALUES(?,?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, tokenHash(s.token)).bind(2, officerId).bind(3, s.csrf).bind(4, nowMs).bind(5, nowMs);
    if (auto ok = st->run(); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return s;
}

Result<std::optional<Session>> findSession(DistrictStore& store, std::string_view token, int64_t nowMs,
                                           const SessionPolicy& policy) {
    if (token.empty() || token.size() > 128) return std::optional<Session>();
    Database& db = store.database();
    const std::string key = tokenHash(token);
    auto st = db.prepare(
        "SELECT o.id, o.name, coalesce(nullif(o.named_role, ''), o.role), o.disabled, s.csrf, s.created_at, "
        "s.last_used FROM sessions s "
        "JOIN officers o ON o.id = s.officer_id WHERE s.token_sha256 = ?");
    if (!st) return st.error();
    st->bind(1, key);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Session>();
    Session session;
    session.officer = officerFromRow(*st);
    session.csrf = st->text(4);
    const int64_t created = st->integer(5);
    const int64_t lastUsed = st->integer(6);
    st->reset();
    if (session.officer.disabled || nowMs - lastUsed > policy.idleMs || nowMs - created > policy.lifetimeMs) {
        (void)endSession(store, token);
        return std::optional<Session>();
    }
    session.expiresAtMs = std::min(nowMs + policy.idleMs, created + policy.lifetimeMs);
    // Restarting the idle clock at most once a minute keeps reads from writing on every request.
    if (nowMs - lastUsed > 60 * 1000) {
        auto touch = db.prepare("UPDATE sessions SET last_used = ? WHERE token_sha256 = ?");
        if (!touch) return touch.error();
        touch->bind(1, nowMs).bind(2, key);
        if (auto ok = touch->run(); !ok) return ok.error();
    }
    return std::optional<Session>(std::move(session));
}

Outcome endSession(DistrictStore& store, std::string_view token) {
    auto st = store.database().prepare("DELETE FROM sessions WHERE token_sha256 = ?");
    if (!st) return st.error();
    st->bind(1, tokenHash(token));
    return st->run();
}

// [SECTION] audit

Outcome recordIdentityRead(DistrictStore& store, const std::string& officerId, const std::string& recordCode,
                           int64_t nowMs) {
    auto st =
        store.database().prepare("INSERT INTO identity_reads(officer_id, record_code, at) VALUES(?,?,?)");
    if (!st) return st.error();
    st->bind(1, officerId).bind(2, recordCode).bind(3, nowMs);
    return st->run();
}

Result<std::vector<IdentityRead>> identityReads(DistrictStore& store, const std::string& recordCode) {
    auto st = store.database().prepare(
        "SELECT officer_id, record_code, at FROM identity_reads WHERE record_code = ? ORDER BY at, id");
    if (!st) return st.error();
    st->bind(1, recordCode);
    std::vector<IdentityRead> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(IdentityRead{st->text(0), st->text(1), st->integer(2)});
    }
    return out;
}

Result<std::vector<IdentityRead>> listIdentityReads(DistrictStore& store, const std::string& recordCode,
                                                    int limit) {
    auto st = store.database().prepare(
        "SELECT officer_id, record_code, at FROM identity_reads WHERE ?1 = '' OR record_code = ?1 "
        "ORDER BY at DESC, id DESC LIMIT ?2");
    if (!st) return st.error();
    st->bind(1, recordCode).bind(2, int64_t(limit));
    std::vector<IdentityRead> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(IdentityRead{st->text(0), st->text(1), st->integer(2)});
    }
    return out;
}

}  // namespace kiosk::district
