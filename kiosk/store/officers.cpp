#include "kiosk/store/officers.h"

#include <algorithm>
#include <cstdlib>

#include "core/state_machine.h"

namespace kiosk::store {
namespace {

constexpr int kFreeAttempts = 5;
constexpr int64_t kFirstLockSeconds = 30;
constexpr int64_t kMaxLockSeconds = 3600;

Error noSuchOfficer(const std::string& id) {
    return makeError("officer.unknown", "Không có cán bộ “" + id + "”.", "No officer “" + id + "”.");
}

Outcome storeKey(KioskStore& store, const std::string& id, const WrappedKey& key,
                 const std::string& signingKey, bool insert, const Officer* officer) {
    auto st = store.database().prepare(
        insert
            ? "INSERT INTO officers(public_key, wrapped_key, kdf_salt, kdf_ops, kdf_mem, signing_key, "
              "pin_policy, id, name, role) VALUES(?,?,?,?,?,?,?,?,?,?)"
            : "UPDATE officers SET public_key = ?, wrapped_key = ?, kdf_salt = ?, kdf_ops = ?, kdf_mem = ?, "
              "signing_key = ?, pin_policy = ?, failed_attempts = 0, locked_until = 0 "
              "WHERE id = ? AND disabled = 0");
    if (!st) return st.error();
    st->bind(1, toBase64(key.publicKey.data(), key.publicKey.size()))
        .bind(2, key.wrapped)
        .bind(3, key.salt)
        .bind(4, int64_t(key.cost.ops))
        .bind(5, int64_t(key.cost.memBytes))
        .bind(6, signingKey)
        .bind(7, int64_t(kPinPolicy))
        .bind(8, id);
    if (insert) st->bind(9, officer->name).bind(10, officer->role);
    if (auto ok = st->run(); !ok) {
        if (ok.error().code == "db.constraint")
            return makeError("officer.exists", "Cán bộ “" + id + "” đã có.",
                             "Officer “" + id + "” already exists.");
        return ok;
    }
    if (!insert && sqlite3_changes(store.database().handle()) == 0) return noSuchOfficer(id);
    return {};
}

// A new key pair wrapped under the PIN, with the signing key derived from it (identity_vault.h).
struct NewKey {
    WrappedKey wrapped;
    std::shared_ptr<OfficerSecret> secret;
};
Result<NewKey> makeOfficerKey(const std::string& id, const std::string& pin, const KdfCost& cost) {
    PublicKey publicKey;
    common::SecretBytes secretKey(crypto_box_SECRETKEYBYTES);
    if (!common::makeKeyPair(publicKey, secretKey))
        return makeError("vault.memory", "Hết bộ nhớ an toàn.", "Out of secure memory.");
    auto wrapped = common::wrapSecretKey(publicKey, secretKey.data(), pin, cost);
    if (!wrapped) return wrapped.error();
    return NewKey{*wrapped, std::make_shared<OfficerSecret>(id, publicKey, secretKey.data())};
}

// The old wrap must not survive in the file's free pages or the WAL after it is replaced: a copy
// of the database taken later would still hold the key wrapped under the old, weaker PIN.
Outcome overwriteFreedPages(Database& db) { return db.exec("PRAGMA secure_delete = ON"); }
Outcome truncateWal(Database& db) { return db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

Outcome dropSeals(KioskStore& store, const std::string& id) {
    auto st = store.database().prepare("DELETE FROM seals WHERE recipient = ?");
    if (!st) return st.error();
    st->bind(1, id);
    return st->run();
}

// Seals what this officer can read for every active colleague who cannot read it yet.
Outcome shareWithColleagues(KioskStore& store, const OfficerSecret& secret) {
    Database& db = store.database();
    auto missing = db.prepare(
        "SELECT s.record_code, s.box, o.id, o.public_key FROM seals s "
        "JOIN officers o ON o.disabled = 0 AND o.id <> s.recipient "
        "WHERE s.recipient = ?1 AND NOT EXISTS "
        "(SELECT 1 FROM seals t WHERE t.record_code = s.record_code AND t.recipient = o.id)");
    if (!missing) return missing.error();
    missing->bind(1, secret.officerId());
    std::vector<std::tuple<std::string, std::string, std::string>> toInsert;
    while (true) {
        auto row = missing->step();
        if (!row) return row.error();
        if (!*row) break;
        auto part = openPrivatePart(missing->text(1), secret);
        auto key = publicKeyFromBase64(missing->text(3));
        if (part && key)
            toInsert.emplace_back(missing->text(0), missing->text(2), sealPrivatePart(*part, *key));
    }
    if (toInsert.empty()) return {};
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    auto insert = db.prepare("INSERT OR IGNORE INTO seals(record_code, recipient, box) VALUES(?,?,?)");
    if (!insert) return insert.error();
    for (const auto& [code, recipient, box] : toInsert) {
        insert->bind(1, code).bind(2, recipient).bind(3, box);
        if (auto ok = insert->run(); !ok) return ok;
    }
    return tx.commit();
}

// Records taken before this kiosk knew the district's key carry no district seal. At an officer's
// login, what that officer can read is sealed to the district now; when the record's Submit or
// Register event is still waiting in the outbox, the seal goes into its payload, so the district
// receives it with the record. An event already pushed keeps what it had (pushed events do not
// change; the district's reveal answers identity.none for it). Tố cáo are never sealed to officers,
// so a denouncer's identity taken before the key was known stays unreadable everywhere.
Outcome sealForDistrict(KioskStore& store, const OfficerSecret& secret) {
    Database& db = store.database();
    auto districtKey = publicKeyFromBase64(readMeta(db, "district_pk"));
    if (!districtKey) return {};
    auto missing = db.prepare(
        "SELECT s.record_code, s.box, "
        "  (SELECT e.uuid FROM events e JOIN outbox o ON o.event_uuid = e.uuid AND o.acked = 0 "
        "   WHERE e.record_code = s.record_code AND e.origin = 'local' AND e.action IN "
        "('submit','register')) "
        "FROM seals s WHERE s.recipient = ?1 AND NOT EXISTS "
        "(SELECT 1 FROM seals d WHERE d.record_code = s.record_code AND d.recipient = 'district')");
    if (!missing) return missing.error();
    missing->bind(1, secret.officerId());
    struct Sealed {
        std::string code, box, waitingEvent;
    };
    std::vector<Sealed> toStore;
    while (true) {
        auto row = missing->step();
        if (!row) return row.error();
        if (!*row) break;
        if (auto part = openPrivatePart(missing->text(1), secret))
            toStore.push_back({missing->text(0), sealPrivatePart(*part, *districtKey), missing->text(2)});
    }
    if (toStore.empty()) return {};
    Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    auto insert =
        db.prepare("INSERT OR IGNORE INTO seals(record_code, recipient, box) VALUES(?,'district',?)");
    auto payload = db.prepare(
        "SELECT e.payload FROM events e JOIN outbox o ON o.event_uuid = e.uuid AND o.acked = 0 WHERE e.uuid "
        "= ?");
    auto update = db.prepare("UPDATE events SET payload = ? WHERE uuid = ?");
    if (!insert) return insert.error();
    if (!payload) return payload.error();
    if (!update) return update.error();
    for (const Sealed& s : toStore) {
        insert->bind(1, s.code).bind(2, s.box);
        if (auto ok = insert->run(); !ok) return ok;
        if (s.waitingEvent.empty()) continue;
        // Read again inside the transaction: the sync thread may have had it acknowledged since.
        payload->bind(1, s.waitingEvent);
        auto row = payload->step();
        if (!row) return row.error();
        std::string text = *row ? payload->text(0) : std::string();
        payload->reset();
        if (text.empty()) continue;
        auto json = nlohmann::json::parse(text, nullptr, false);
        if (!json.is_object() || json.contains("sealed")) continue;
        json["sealed"] = s.box;
        update->bind(1, json.dump()).bind(2, s.waitingEvent);
        if (auto ok = update->run(); !ok) return ok;
    }
    return tx.commit();
}

}  // namespace

Outcome checkPinFormat(const std::string& pin) {
    const bool digits = std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits)
        return makeError("officer.pin-format",
                         "Mã PIN phải gồm " + std::to_string(kMinPinDigits) + " đến " +
                             std::to_string(kMaxPinDigits) + " chữ số.",
                         "The PIN must be " + std::to_string(kMinPinDigits) + " to " +
                             std::to_string(kMaxPinDigits) + " digits.");
    return {};
}

Result<Officer> addOfficer(KioskStore& store, const Officer& officer, const std::string& pin,
                           const KdfCost& cost) {
    if (officer.id.empty() || officer.id.size() > 64 || officer.id == "district" || officer.name.empty())
        return makeError("officer.fields", "Cần mã cán bộ và họ tên.",
                         "An officer id and a name are required.");
    if (officer.role != "officer" && officer.role != "chair")
        return makeError("officer.role", "Vai trò phải là officer hoặc chair.",
                         "The role must be officer or chair.");
    if (auto ok = checkPinFormat(pin); !ok) return ok.error();
    auto key = makeOfficerKey(officer.id, pin, cost);
    if (!key) return key.error();
    Officer added = officer;
    added.disabled = false;
    added.signingKey = signingKeyText(*key->secret);
    added.pinPolicy = kPinPolicy;
    if (auto ok = storeKey(store, officer.id, key->wrapped, added.signingKey, /*insert=*/true, &officer); !ok)
        return ok.error();
    return added;
}

Outcome disableOfficer(KioskStore& store, const std::string& id) {
    if (auto ok = overwriteFreedPages(store.database()); !ok) return ok;
    Transaction tx(store.database());
    if (!tx.begun()) return tx.begun();
    auto st = store.database().prepare(
        "UPDATE officers SET disabled = 1, wrapped_key = '', public_key = '', signing_key = '' WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    if (auto ok = st->run(); !ok) return ok;
    if (sqlite3_changes(store.database().handle()) == 0) return noSuchOfficer(id);
    if (auto ok = dropSeals(store, id); !ok) return ok;
    if (auto ok = tx.commit(); !ok) return ok;
    return truncateWal(store.database());
}

namespace {

Result<Officer> officerById(KioskStore& store, const std::string& id) {
    auto officers = listOfficers(store);
    if (!officers) return officers.error();
    for (Officer& o : *officers)
        if (o.id == id) return std::move(o);
    return noSuchOfficer(id);
}

}  // namespace

Result<Officer> resetOfficerPin(KioskStore& store, const std::string& id, const std::string& pin) {
    if (auto ok = checkPinFormat(pin); !ok) return ok.error();
    auto key = makeOfficerKey(id, pin, {});
    if (!key) return key.error();
    if (auto ok = overwriteFreedPages(store.database()); !ok) return ok.error();
    Transaction tx(store.database());
    if (!tx.begun()) return tx.begun().error();
    const std::string signingKey = signingKeyText(*key->secret);
    if (auto ok = storeKey(store, id, key->wrapped, signingKey, /*insert=*/false, nullptr); !ok)
        return ok.error();
    if (auto ok = dropSeals(store, id); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    if (auto ok = truncateWal(store.database()); !ok) return ok.error();
    return officerById(store, id);
}

Result<Officer> changeOwnPin(KioskStore& store, OfficerSession& session, const std::string& newPin) {
    if (auto ok = checkPinFormat(newPin); !ok) return ok.error();
    const std::string& id = session.officer.id;
    auto key = makeOfficerKey(id, newPin, {});
    if (!key) return key.error();
    Database& db = store.database();
    if (auto ok = overwriteFreedPages(db); !ok) return ok.error();
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    // Each seal this officer holds moves to the new key: what they could read stays readable.
    auto seals = db.prepare("SELECT record_code, box FROM seals WHERE recipient = ?");
    auto update = db.prepare("UPDATE seals SET box = ? WHERE record_code = ? AND recipient = ?");
    if (!seals) return seals.error();
    if (!update) return update.error();
    seals->bind(1, id);
    std::vector<std::pair<std::string, std::string>> resealed;
    while (true) {
        auto row = seals->step();
        if (!row) return row.error();
        if (!*row) break;
        if (auto part = openPrivatePart(seals->text(1), *session.secret))
            resealed.emplace_back(seals->text(0), sealPrivatePart(*part, key->secret->publicKey()));
    }
    seals->reset();
    for (const auto& [code, box] : resealed) {
        update->bind(1, box).bind(2, code).bind(3, id);
        if (auto ok = update->run(); !ok) return ok.error();
    }
    const std::string signingKey = signingKeyText(*key->secret);
    if (auto ok = storeKey(store, id, key->wrapped, signingKey, /*insert=*/false, nullptr); !ok)
        return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    if (auto ok = truncateWal(db); !ok) return ok.error();
    session.secret = key->secret;
    session.mustChangePin = false;
    session.officer.signingKey = signingKey;
    session.officer.pinPolicy = kPinPolicy;
    return session.officer;
}

Result<int64_t> purgeClosedSeals(KioskStore& store, int64_t nowUnix) {
    Database& db = store.database();
    int64_t days = readMetaInteger(db, "seal_retention_days").value_or(kDefaultSealRetentionDays);
    if (days < 0) days = kDefaultSealRetentionDays;
    std::string finals;
    for (int i = 0; i <= int(RecordStatus::Suspended); ++i) {
        const auto status = RecordStatus(i);
        if (!isFinal(status)) continue;
        if (!finals.empty()) finals += ",";
        finals += "'" + std::string(toSlug(status)) + "'";
    }
    // updated_hlc holds Unix milliseconds in its upper 48 bits (core/event.h, Hlc).
    auto st = db.prepare(
        "DELETE FROM seals WHERE recipient <> 'district' AND record_code IN (SELECT code FROM records "
        "WHERE status IN (" +
        finals + ") AND (updated_hlc >> 16) <= ?)");
    if (!st) return st.error();
    st->bind(1, (nowUnix - days * 86400) * 1000);
    if (auto ok = st->run(); !ok) return ok.error();
    return int64_t(sqlite3_changes(db.handle()));
}

Result<std::vector<Officer>> listOfficers(KioskStore& store) {
    auto st = store.database().prepare(
        "SELECT id, name, role, disabled, signing_key, pin_policy FROM officers ORDER BY id");
    if (!st) return st.error();
    std::vector<Officer> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(Officer{st->text(0), st->text(1), st->text(2), st->integer(3) != 0, st->text(4),
                              int(st->integer(5))});
    }
    return out;
}

Result<OfficerSession> loginOfficer(KioskStore& store, const std::string& id, const std::string& pin,
                                    int64_t nowUnix) {
    Database& db = store.database();
    auto st = db.prepare(
        "SELECT id, name, role, disabled, public_key, wrapped_key, kdf_salt, kdf_ops, kdf_mem, "
        "failed_attempts, locked_until, signing_key, pin_policy FROM officers WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row) return row.error();
    // Same answer for an unknown id and a wrong PIN: the kiosk is public.
    const Error wrong =
        makeError("officer.wrong-pin", "Sai mã cán bộ hoặc mã PIN.", "Wrong officer id or PIN.");
    if (!*row) return wrong;
    Officer officer{st->text(0),         st->text(1),  st->text(2),
                    st->integer(3) != 0, st->text(11), int(st->integer(12))};
    WrappedKey key;
    auto publicKey = publicKeyFromBase64(st->text(4));
    key.wrapped = st->text(5);
    key.salt = st->text(6);
    key.cost.ops = static_cast<unsigned long long>(st->integer(7));
    key.cost.memBytes = static_cast<size_t>(st->integer(8));
    const int64_t failures = st->integer(9);
    const int64_t lockedUntil = st->integer(10);
    st->reset();
    if (officer.disabled || !publicKey)
        return makeError("officer.disabled", "Tài khoản cán bộ đã bị khoá.",
                         "This officer account is disabled.");
    key.publicKey = *publicKey;
    if (nowUnix < lockedUntil) {
        const int64_t wait = lockedUntil - nowUnix;
        return makeError("officer.locked",
                         "Nhập sai quá nhiều lần. Thử lại sau " + std::to_string(wait) + " giây.",
                         "Too many wrong PINs. Try again in " + std::to_string(wait) + " seconds.");
    }
    auto secret =
        pin.size() <= 64 ? unwrapKey(officer.id, key, pin) : Result<std::shared_ptr<OfficerSecret>>(wrong);
    if (!secret && secret.error().code != "vault.wrong-pin" && secret.error().code != "officer.wrong-pin")
        return secret.error();
    auto update = db.prepare("UPDATE officers SET failed_attempts = ?, locked_until = ? WHERE id = ?");
    if (!update) return update.error();
    if (secret) {
        update->bind(1, int64_t(0)).bind(2, int64_t(0)).bind(3, id);
        if (auto ok = update->run(); !ok) return ok.error();
        if (auto ok = shareWithColleagues(store, **secret); !ok) return ok.error();
        if (auto ok = sealForDistrict(store, **secret); !ok) return ok.error();
        if (auto ok = purgeClosedSeals(store, nowUnix); !ok) return ok.error();
        return OfficerSession{officer, *secret, officer.pinPolicy < kPinPolicy};
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

Result<Officer> verifyOfficer(KioskStore& store, const std::string& id, const std::string& pin,
                              int64_t nowUnix) {
    auto session = loginOfficer(store, id, pin, nowUnix);
    if (!session) return session.error();
    return session->officer;
}

}  // namespace kiosk::store
