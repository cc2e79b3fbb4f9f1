#include "kiosk/store/officers.h"

#include <sodium.h>

#include <algorithm>

namespace kiosk::store {
namespace {

constexpr int kFreeAttempts = 5;
constexpr int64_t kFirstLockSeconds = 30;
constexpr int64_t kMaxLockSeconds = 3600;

Result<std::string> hashPin(const std::string& pin) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, pin.c_str(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return makeError("officer.hash", "Không đủ bộ nhớ để mã hoá mã PIN.",
                         "Out of memory while hashing the PIN.");
    return std::string(out);
}

Error noSuchOfficer(const std::string& id) {
    return makeError("officer.unknown", "Không có cán bộ “" + id + "”.", "No officer “" + id + "”.");
}

}  // namespace

Outcome checkPinFormat(const std::string& pin) {
    const bool digits = std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || pin.size() < 6 || pin.size() > 12)
        return makeError("officer.pin-format", "Mã PIN phải gồm 6 đến 12 chữ số.",
                         "The PIN must be 6 to 12 digits.");
    return {};
}

Outcome addOfficer(KioskStore& store, const Officer& officer, const std::string& pin) {
    if (officer.id.empty() || officer.id.size() > 64 || officer.name.empty())
        return makeError("officer.fields", "Cần mã cán bộ và họ tên.", "An officer id and a name are required.");
    if (officer.role != "officer" && officer.role != "chair")
        return makeError("officer.role", "Vai trò phải là officer hoặc chair.", "The role must be officer or chair.");
    if (auto ok = checkPinFormat(pin); !ok) return ok;
    auto hash = hashPin(pin);
    if (!hash) return hash.error();
    auto st = store.database().prepare(
        "INSERT INTO officers(id, name, role, pin_hash) VALUES(?,?,?,?)");
    if (!st) return st.error();
    st->bind(1, officer.id).bind(2, officer.name).bind(3, officer.role).bind(4, *hash);
    if (auto ok = st->run(); !ok) {
        if (ok.error().code == "db.constraint")
            return makeError("officer.exists", "Cán bộ “" + officer.id + "” đã có.",
                             "Officer “" + officer.id + "” already exists.");
        return ok;
    }
    return {};
}

Outcome disableOfficer(KioskStore& store, const std::string& id) {
    auto st = store.database().prepare("UPDATE officers SET disabled = 1 WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    if (auto ok = st->run(); !ok) return ok;
    if (sqlite3_changes(store.database().handle()) == 0) return noSuchOfficer(id);
    return {};
}

Outcome resetOfficerPin(KioskStore& store, const std::string& id, const std::string& pin) {
    if (auto ok = checkPinFormat(pin); !ok) return ok;
    auto hash = hashPin(pin);
    if (!hash) return hash.error();
    auto st = store.database().prepare(
        "UPDATE officers SET pin_hash = ?, failed_attempts = 0, locked_until = 0 WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, *hash).bind(2, id);
    if (auto ok = st->run(); !ok) return ok;
    if (sqlite3_changes(store.database().handle()) == 0) return noSuchOfficer(id);
    return {};
}

Result<std::vector<Officer>> listOfficers(KioskStore& store) {
    auto st = store.database().prepare("SELECT id, name, role, disabled FROM officers ORDER BY id");
    if (!st) return st.error();
    std::vector<Officer> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(Officer{st->text(0), st->text(1), st->text(2), st->integer(3) != 0});
    }
    return out;
}

Result<Officer> verifyOfficer(KioskStore& store, const std::string& id, const std::string& pin,
                              int64_t nowUnix) {
    Database& db = store.database();
    auto st = db.prepare(
        "SELECT id, name, role, disabled, pin_hash, failed_attempts, locked_until FROM officers WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row) return row.error();
    // Same answer for an unknown id and a wrong PIN: the kiosk is public.
    const Error wrong = makeError("officer.wrong-pin", "Sai mã cán bộ hoặc mã PIN.", "Wrong officer id or PIN.");
    if (!*row) return wrong;
    Officer officer{st->text(0), st->text(1), st->text(2), st->integer(3) != 0};
    const std::string hash = st->text(4);
    const int64_t failures = st->integer(5);
    const int64_t lockedUntil = st->integer(6);
    if (officer.disabled)
        return makeError("officer.disabled", "Tài khoản cán bộ đã bị khoá.", "This officer account is disabled.");
    if (nowUnix < lockedUntil) {
        const int64_t wait = lockedUntil - nowUnix;
        return makeError("officer.locked",
                         "Nhập sai quá nhiều lần. Thử lại sau " + std::to_string(wait) + " giây.",
                         "Too many wrong PINs. Try again in " + std::to_string(wait) + " seconds.");
    }
    const bool good = crypto_pwhash_str_verify(hash.c_str(), pin.c_str(), pin.size()) == 0;
    auto update = db.prepare("UPDATE officers SET failed_attempts = ?, locked_until = ? WHERE id = ?");
    if (!update) return update.error();
    if (good) {
        update->bind(1, int64_t(0)).bind(2, int64_t(0)).bind(3, id);
        if (auto ok = update->run(); !ok) return ok.error();
        return officer;
    }
    const int64_t now = failures + 1;
    int64_t lock = 0;
    if (now >= kFreeAttempts) {
        const int64_t doublings = std::min<int64_t>(now - kFreeAttempts, 20);
        lock = std::min(kMaxLockSeconds, kFirstLockSeconds << doublings);
    }
    update->bind(1, now).bind(2, lock ? nowUnix + lock : int64_t(0)).bind(3, id);
    if (auto ok = update->run(); !ok) return ok.error();
    if (lock)
        return makeError("officer.locked",
                         "Nhập sai quá nhiều lần. Thử lại sau " + std::to_string(lock) + " giây.",
                         "Too many wrong PINs. Try again in " + std::to_string(lock) + " seconds.");
    return wrong;
}

}  // namespace kiosk::store
