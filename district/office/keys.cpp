#include "district/office/keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/meta.h"
#include "common/private_file.h"
#include "common/sealing.h"
#include "sync/protocol/district_key.h"
#include "sync/protocol/safe_json.h"

// [SECTION] index
//   passphrase     the optional encryption of the key file
//   key file       read, write (0600, atomic rename)
//   meta           where the file is, the current public key
//   make, rotate   ensureDistrictKey, rotateDistrictKey, replaceLostDistrictKey, listDistrictKeys
//   open           sealedPrivateParts, openSealedPrivatePart, DistrictKeyRing, listUnknownSeals

namespace kiosk::district {

using json = nlohmann::json;
using store::Database;

namespace {

constexpr const char* kMetaKeyFile = "district_key_file";
constexpr const char* kMetaPublicKey = "district_pk";
constexpr const char* kMetaDistrictKey = "district_key";  // the signed string (district_key.h)

Error missingKeys(const std::string& file) {
    return makeError(
        "keys.missing",
        "Không đọc được tệp khoá của máy chủ " + file +
            ". Hãy khôi phục tệp từ bản sao lưu (xem docs/security.md).",
        "Cannot read the district key file " + file + ". Restore it from its backup (see docs/security.md).");
}

// A parsed key file: {"version":1,"keys":[{"id","created_at_ms","public_key","secret_key"}],
// "identity":{"created_at_ms","public_key","secret_key"}} (the identity: Ed25519, district_key.h;
// files from before it have none until the next ensureDistrictKey adds one).
// The json holds secret keys; wipeJson clears them before it goes.
void wipeJson(json& keys) {
    if (!keys.is_object()) return;
    if (keys.contains("identity") && keys["identity"].is_object() &&
        keys["identity"].contains("secret_key") && keys["identity"]["secret_key"].is_string())
        common::wipe(keys["identity"]["secret_key"].get_ref<std::string&>());
    if (!keys.contains("keys") || !keys["keys"].is_array()) return;
    for (json& k : keys["keys"]) {
        if (!k.is_object() || !k.contains("secret_key") || !k["secret_key"].is_string()) continue;
        common::wipe(k["secret_key"].get_ref<std::string&>());
    }
}

class KeyFile {
public:
    ~KeyFile() { wipeJson(m_json); }
    KeyFile() = default;
    KeyFile(const KeyFile&) = delete;
    KeyFile& operator=(const KeyFile&) = delete;
    json& data() { return m_json; }
    bool& encrypted() { return m_encrypted; }

private:
    json m_json;
    bool m_encrypted = false;  // read from a file sealed under the passphrase
};

// [SECTION] passphrase
// A key file can be kept encrypted under a passphrase that is not on the same disk in the clear:
// systemd's encrypted credential "district-key-passphrase" ($CREDENTIALS_DIRECTORY), or a file
// named by $DISTRICT_KEY_PASSPHRASE_FILE (docs/security.md, "The district's key pair"). Read at
// each opening, like the key file, so nothing of it stays in memory between readings.

constexpr const char* kPassphraseCredential = "district-key-passphrase";
constexpr const char* kPassphraseFileVariable = "DISTRICT_KEY_PASSPHRASE_FILE";
// argon2id for the passphrase: a passphrase is long and random (docs/security.md), so the work
// factor is a brake, not the wall; 64 MiB keeps a reveal under a second here.
constexpr unsigned long long kPassphraseOps = 3;
constexpr size_t kPassphraseMemBytes = 64u << 20;

// Reads the passphrase into `out`; false when none is configured.
Result<bool> readKeyPassphrase(common::SecretString& out) {
    auto read = common::readCredential(kPassphraseCredential);
    if (!read) return read.error();
    if (!*read) {
        const char* file = std::getenv(kPassphraseFileVariable);
        if (!file || !*file) return false;
        read = common::readPrivateFile(file);
        if (!read) return read.error();
        if (!*read)
            return makeError("keys.passphrase", std::string("Không có tệp mật khẩu khoá ") + file + ".",
                             std::string("The key passphrase file ") + file + " does not exist.");
    }
    out.text() = common::withoutLineEnd(std::move(**read));
    if (out.text().size() < 16)
        return makeError("keys.passphrase", "Mật khẩu khoá của máy chủ phải dài ít nhất 16 ký tự.",
                         "The district key passphrase must be at least 16 characters long.");
    return true;
}

Outcome passphraseKey(const std::string& passphrase, const unsigned char* salt, unsigned long long ops,
                      size_t mem, common::SecretBytes& key) {
    if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt, ops, mem,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return makeError("keys.passphrase", "Không đủ bộ nhớ để mở khoá.",
                         "Not enough memory to derive the key.");
    return {};
}

// {"version":1,"encrypted":{"ops","mem","salt","box"}}: box = base64(nonce || secretbox(text)).
Result<json> encryptKeyText(const std::string& text, const std::string& passphrase) {
    unsigned char salt[crypto_pwhash_SALTBYTES];
    randombytes_buf(salt, sizeof salt);
    common::SecretBytes key(crypto_secretbox_KEYBYTES);
    if (auto ok = passphraseKey(passphrase, salt, kPassphraseOps, kPassphraseMemBytes, key); !ok)
        return ok.error();
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + text.size(), '\0');
    auto* out = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(text.data()), text.size(), out, key.data());
    return json{{"version", 1},
                {"encrypted",
                 {{"ops", kPassphraseOps},
                  {"mem", kPassphraseMemBytes},
                  {"salt", common::toBase64(salt, sizeof salt)},
                  {"box", common::toBase64(out, box.size())}}}};
}

Outcome decryptKeyText(const json& envelope, const std::string& path, common::SecretString& text) {
    common::SecretString passphrase;
    auto configured = readKeyPassphrase(passphrase);
    if (!configured) return configured.error();
    if (!*configured)
        return makeError("keys.passphrase",
                         "Tệp khoá " + path + " được mã hoá: cần mật khẩu (" + kPassphraseFileVariable +
                             " hoặc thông tin đăng nhập systemd " + kPassphraseCredential + ").",
                         "The key file " + path + " is encrypted: its passphrase is needed (" +
                             kPassphraseFileVariable + " or the systemd credential " + kPassphraseCredential +
                             ").");
    const json& e = envelope["encrypted"];
    const std::string salt = common::fromBase64(e.value("salt", "")).value_or("");
    const std::string box = common::fromBase64(e.value("box", "")).value_or("");
    if (salt.size() != crypto_pwhash_SALTBYTES ||
        box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return makeError("keys.corrupt", "Tệp khoá của máy chủ " + path + " bị hỏng.",
                         "The district key file " + path + " is damaged.");
    common::SecretBytes key(crypto_secretbox_KEYBYTES);
    if (auto ok = passphraseKey(passphrase.text(), reinterpret_cast<const unsigned char*>(salt.data()),
                                e.value("ops", kPassphraseOps), e.value("mem", kPassphraseMemBytes), key);
        !ok)
        return ok;
    const auto* in = reinterpret_cast<const unsigned char*>(box.data());
    const size_t length = box.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    text.text().assign(length, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(text.text().data()),
                                   in + crypto_secretbox_NONCEBYTES, box.size() - crypto_secretbox_NONCEBYTES,
                                   in, key.data()) != 0)
        return makeError("keys.passphrase", "Mật khẩu không mở được tệp khoá " + path + ".",
                         "The passphrase does not open the key file " + path + ".");
    return {};
}

// [SECTION] key file

std::atomic<uint64_t> g_keyFileReads{0};

Outcome readKeyFile(const std::string& path, KeyFile& out) {
    ++g_keyFileReads;
    auto read = common::readPrivateFile(path);
    if (!read) return read.error();  // file.mode: a key file others may read is not used
    if (!*read) return missingKeys(path);
    common::SecretString text(std::move(**read));
    out.data() = json::parse(text.text(), nullptr, false);
    out.encrypted() = out.data().is_object() && out.data().contains("encrypted");
    if (out.encrypted()) {
        common::SecretString plain;
        if (auto ok = decryptKeyText(out.data(), path, plain); !ok) return ok;
        out.data() = json::parse(plain.text(), nullptr, false);
    }
    if (!out.data().is_object() || !out.data().contains("keys") || !out.data()["keys"].is_array() ||
        out.data()["keys"].empty())
        return makeError("keys.corrupt", "Tệp khoá của máy chủ " + path + " bị hỏng.",
                         "The district key file " + path + " is damaged.");
    return {};
}

// Encrypted when a passphrase is configured; written beside the target then renamed over it, so a
// crash leaves the old file or the new one.
Outcome writeKeyFile(const std::string& path, const json& keys) {
    common::SecretString text;
    text.text() = keys.dump(2) + "\n";
    common::SecretString passphrase;
    auto configured = readKeyPassphrase(passphrase);
    if (!configured) return configured.error();
    if (*configured) {
        auto envelope = encryptKeyText(text.text(), passphrase.text());
        if (!envelope) return envelope.error();
        text.text() = envelope->dump(2) + "\n";
    }
    if (auto ok = common::writePrivateFile(path, text.text()); !ok)
        return makeError("keys.write", "Không ghi được tệp khoá " + path + ": " + ok.error().text(Lang::Vi),
                         "Cannot write the key file " + path + ": " + ok.error().text(Lang::En));
    return {};
}

json newKeyPair(int id, int64_t nowMs) {
    common::PublicKey publicKey;
    common::SecretBytes secret(crypto_box_SECRETKEYBYTES);
    if (!common::makeKeyPair(publicKey, secret)) return nullptr;
    return json{{"id", id},
                {"created_at_ms", nowMs},
                {"public_key", common::toBase64(publicKey.data(), publicKey.size())},
                {"secret_key", common::toBase64(secret.data(), secret.size())}};
}

json newIdentity(int64_t nowMs) {
    unsigned char publicKey[crypto_sign_PUBLICKEYBYTES];
    common::SecretBytes secret(crypto_sign_SECRETKEYBYTES);
    if (!secret.ok()) return nullptr;
    crypto_sign_keypair(publicKey, secret.data());
    return json{{"created_at_ms", nowMs},
                {"public_key", common::toBase64(publicKey, sizeof publicKey)},
                {"secret_key", common::toBase64(secret.data(), secret.size())}};
}

bool hasIdentity(const json& keys) {
    return keys.contains("identity") && keys["identity"].is_object() &&
           keys["identity"].value("secret_key", "").size() > 0;
}

// The signed string for the file's current (last) key; "" when the file has no usable identity.
std::string signCurrentKey(const json& keys) {
    if (!hasIdentity(keys)) return "";
    const json& current = keys["keys"].back();
    auto sealing = common::publicKeyFromBase64(current.value("public_key", ""));
    auto raw = common::fromBase64(keys["identity"].value("secret_key", ""));
    std::string out;
    if (sealing && raw && raw->size() == crypto_sign_SECRETKEYBYTES) {
        common::SecretBytes secret(crypto_sign_SECRETKEYBYTES);
        if (secret.ok()) {
            std::memcpy(secret.data(), raw->data(), crypto_sign_SECRETKEYBYTES);
            out = protocol::makeDistrictKey(current.value("id", 1), secret.data(), *sealing);
        }
    }
    if (raw) common::wipe(*raw);
    return out;
}

// The fingerprints (common::keyFingerprint) of every sealing key in the file.
std::set<std::string> fingerprints(const json& keys) {
    std::set<std::string> out;
    for (const json& k : keys["keys"])
        if (k.is_object())
            if (auto publicKey = common::publicKeyFromBase64(k.value("public_key", "")))
                out.insert(common::keyFingerprint(*publicKey));
    return out;
}

std::string absolute(const std::string& path) {
    std::error_code ignored;
    auto full = std::filesystem::absolute(path, ignored);
    return ignored ? path : full.lexically_normal().string();
}

// The file's place is recorded only when it is not the default beside the database, so a database
// moved together with its "<db>.keys" still finds it.
Result<std::string> publish(DistrictStore& store, const std::string& file, const std::string& publicKey,
                            const std::string& districtKey) {
    Database& db = store.database();
    store::Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    const bool beside = absolute(file) == absolute(defaultKeyFile(db));
    if (auto ok = store::writeMeta(db, kMetaKeyFile, beside ? std::string() : absolute(file)); !ok)
        return ok.error();
    if (auto ok = store::writeMeta(db, kMetaPublicKey, publicKey); !ok) return ok.error();
    if (auto ok = store::writeMeta(db, kMetaDistrictKey, districtKey); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return publicKey;
}

Result<std::string> startKeyFile(DistrictStore& store, const std::string& file, int64_t nowMs) {
    if (sodium_init() < 0)
        return makeError("crypto", "Không khởi tạo được libsodium.", "libsodium failed to start.");
    json keys{
        {"version", 1}, {"keys", json::array({newKeyPair(1, nowMs)})}, {"identity", newIdentity(nowMs)}};
    if (keys["keys"][0].is_null() || keys["identity"].is_null())
        return makeError("crypto", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
    const std::string publicKey = keys["keys"][0]["public_key"];
    const std::string districtKey = signCurrentKey(keys);
    auto written = writeKeyFile(file, keys);
    wipeJson(keys);
    if (!written) return written.error();
    return publish(store, file, publicKey, districtKey);
}

// A key file from before the signing identity gets one (written back atomically); the database's
// signed string is made again when it does not name the current key.
Result<std::string> completeKeyFile(DistrictStore& store, const std::string& file, KeyFile& keys,
                                    int64_t nowMs) {
    common::SecretString passphrase;
    auto configured = readKeyPassphrase(passphrase);
    if (!configured) return configured.error();
    // A plain key file is encrypted as soon as a passphrase is given (writeKeyFile).
    if (!hasIdentity(keys.data()) || (*configured && !keys.encrypted())) {
        if (!hasIdentity(keys.data())) keys.data()["identity"] = newIdentity(nowMs);
        if (keys.data()["identity"].is_null())
            return makeError("crypto", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
        if (auto ok = writeKeyFile(file, keys.data()); !ok) return ok.error();
    }
    const std::string publicKey = keys.data()["keys"].back().value("public_key", "");
    auto known = protocol::parseDistrictKey(store::readMeta(store.database(), kMetaDistrictKey));
    if (known && known->sealingBase64() == publicKey &&
        store::readMeta(store.database(), kMetaPublicKey) == publicKey)
        return publicKey;
    return publish(store, file, publicKey, signCurrentKey(keys.data()));
}

}  // namespace

// [SECTION] meta

std::string defaultKeyFile(const store::Database& db) {
    if (!db.isPostgres()) return db.path() + ".keys";
    // No file to sit beside: the service's state directory (systemd's StateDirectory=), else the
    // working directory, under the database's name.
    const char* state = std::getenv("STATE_DIRECTORY");
    std::string name = store::pgDatabaseName(db.path());
    if (name.empty()) name = "district";
    return std::string(state && *state ? state : ".") + "/" + name + ".keys";
}

std::string districtKeyFile(DistrictStore& store) {
    std::string file = store::readMeta(store.database(), kMetaKeyFile);  // "" = the default
    if (file.empty()) file = defaultKeyFile(store.database());
    return file;
}

std::string districtPublicKey(DistrictStore& store) {
    return store::readMeta(store.database(), kMetaPublicKey);
}

std::string districtKeyString(DistrictStore& store) {
    return store::readMeta(store.database(), kMetaDistrictKey);
}

// [SECTION] make, rotate

Result<std::string> ensureDistrictKey(DistrictStore& store, const std::string& keyFile, int64_t nowMs) {
    const std::string known = districtKeyFile(store);
    const std::string file = keyFile.empty() ? known : keyFile;
    const std::string current = districtPublicKey(store);
    if (!current.empty() && absolute(file) != absolute(known))
        return makeError("keys.file",
                         "Máy chủ đã có tệp khoá " + known + "; không dùng tệp khác (" + keyFile + ").",
                         "The server already keeps its keys in " + known + "; not using " + keyFile + ".");
    if (!current.empty() || std::filesystem::exists(file)) {
        // A key file without the database's record of it (a database rebuilt beside its old keys):
        // take the file's current key rather than overwrite secrets that may still open seals.
        KeyFile keys;
        if (auto ok = readKeyFile(file, keys); !ok) return ok.error();
        return completeKeyFile(store, file, keys, nowMs);
    }
    return startKeyFile(store, file, nowMs);
}

Result<std::string> rotateDistrictKey(DistrictStore& store, int64_t nowMs) {
    if (sodium_init() < 0)
        return makeError("crypto", "Không khởi tạo được libsodium.", "libsodium failed to start.");
    const std::string file = districtKeyFile(store);
    if (districtPublicKey(store).empty()) return startKeyFile(store, file, nowMs);
    KeyFile keys;
    if (auto ok = readKeyFile(file, keys); !ok) return ok.error();
    json pair = newKeyPair(keys.data()["keys"].back().value("id", 0) + 1, nowMs);
    if (pair.is_null()) return makeError("crypto", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
    const std::string publicKey = pair["public_key"];
    keys.data()["keys"].push_back(std::move(pair));
    if (!hasIdentity(keys.data())) keys.data()["identity"] = newIdentity(nowMs);
    if (keys.data()["identity"].is_null())
        return makeError("crypto", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
    if (auto ok = writeKeyFile(file, keys.data()); !ok) return ok.error();
    return publish(store, file, publicKey, signCurrentKey(keys.data()));
}

Result<std::string> replaceLostDistrictKey(DistrictStore& store, const std::string& keyFile, int64_t nowMs) {
    const std::string file = keyFile.empty() ? districtKeyFile(store) : keyFile;
    if (std::filesystem::exists(file))
        return makeError("keys.exists", "Tệp khoá " + file + " vẫn còn; dùng rotate-key để đổi khoá.",
                         "The key file " + file + " still exists; use rotate-key to change keys.");
    return startKeyFile(store, file, nowMs);
}

Result<std::vector<DistrictKeyInfo>> listDistrictKeys(DistrictStore& store) {
    KeyFile keys;
    if (auto ok = readKeyFile(districtKeyFile(store), keys); !ok) return ok.error();
    std::vector<DistrictKeyInfo> out;
    for (const json& k : keys.data()["keys"])
        if (k.is_object())
            out.push_back(
                {k.value("id", 0), k.value("public_key", ""), k.value("created_at_ms", int64_t(0))});
    return out;
}

// [SECTION] open

Result<std::vector<std::optional<std::string>>> sealedPrivateParts(
    DistrictStore& store, const std::vector<std::string>& recordCodes) {
    // The codes in batches, one statement each: a statement per record was most of an identity
    // search's time on SQLite, and a round trip per record on PostgreSQL. Of a record's accepted
    // Submit/Register events the first stored counts: SQLite's rowid, PostgreSQL's received_order
    // (schema_pg.h).
    constexpr size_t kBatch = 500;
    Database& db = store.database();
    std::map<std::string, std::optional<std::string>> found;
    for (size_t start = 0; start < recordCodes.size(); start += kBatch) {
        const size_t count = std::min(kBatch, recordCodes.size() - start);
        std::string in = "?";
        for (size_t i = 1; i < count; ++i) in += ", ?";
        auto st =
            db.prepare(std::string("SELECT record, payload FROM events WHERE record IN (") + in +
                       ") AND verdict = 'accepted' AND action IN ('submit','register') ORDER BY record, "
                       "received_at, " +
                       (db.isPostgres() ? "received_order" : "rowid"));
        if (!st) return st.error();
        for (size_t i = 0; i < count; ++i) st->bind(int(i + 1), recordCodes[start + i]);
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            auto [at, first] = found.try_emplace(st->text(0));
            if (!first) continue;  // a later event of the same record
            auto payload = protocol::parseJsonSafely(st->view(1));
            if (!payload || !payload->is_object()) continue;
            auto sealed = payload->find("sealed");
            if (sealed != payload->end() && sealed->is_string() &&
                !sealed->get_ref<const std::string&>().empty())
                at->second = sealed->get<std::string>();
        }
    }
    std::vector<std::optional<std::string>> out;
    out.reserve(recordCodes.size());
    for (const std::string& code : recordCodes) {
        auto it = found.find(code);
        out.push_back(it == found.end() ? std::nullopt : it->second);
    }
    return out;
}

Result<PrivatePart> openSealedPrivatePart(DistrictStore& store, const std::string& sealed) {
    auto ring = DistrictKeyRing::load(store);
    if (!ring) return ring.error();
    return ring->open(sealed);
}

namespace {

// The identity index's key: the oldest pair's secret (the lowest id; a file only ever appends
// pairs) through crypto_kdf, so the index never holds what opens a seal and a rotation keeps it.
// Subkey 1 is the index key, 2 the denouncers' (DistrictKeyRing::denouncerIndexKey).
Outcome deriveIndexKey(const json& list, uint64_t subkey, std::unique_ptr<common::SecretBytes>& out) {
    const json* oldest = nullptr;
    for (const json& k : list)
        if (k.is_object() && k.value("secret_key", "").size() > 0 &&
            (!oldest || k.value("id", 0) < oldest->value("id", 0)))
            oldest = &k;
    if (!oldest) return {};
    auto raw = common::fromBase64(oldest->value("secret_key", ""));
    if (raw && raw->size() == crypto_kdf_KEYBYTES) {
        out = std::make_unique<common::SecretBytes>(crypto_kdf_KEYBYTES);
        if (!out->ok()) {
            common::wipe(*raw);
            return makeError("crypto", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
        }
        crypto_kdf_derive_from_key(out->data(), out->size(), subkey, "ckidx001",
                                   reinterpret_cast<const unsigned char*>(raw->data()));
    }
    if (raw) common::wipe(*raw);
    return {};
}

std::string hexOf(const unsigned char* data, size_t size) {
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, size);
    hex.pop_back();
    return hex;
}

}  // namespace

std::string DistrictKeyRing::indexKeyName() const {
    if (!m_indexKey) return "";
    static constexpr std::string_view kLabel = "identity-index-key";
    unsigned char name[16];
    crypto_generichash(name, sizeof name, reinterpret_cast<const unsigned char*>(kLabel.data()),
                       kLabel.size(), m_indexKey->data(), m_indexKey->size());
    return hexOf(name, sizeof name);
}

std::string DistrictKeyRing::sealingKeysName() const {
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, 16);
    for (const auto& [fingerprint, key] : m_byName)
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(fingerprint.data()),
                                  fingerprint.size());
    unsigned char name[16];
    crypto_generichash_final(&state, name, sizeof name);
    return hexOf(name, sizeof name);
}

Result<DistrictKeyRing> DistrictKeyRing::load(DistrictStore& store) {
    KeyFile keys;
    if (auto ok = readKeyFile(districtKeyFile(store), keys); !ok) return ok.error();
    DistrictKeyRing ring;
    const json& list = keys.data()["keys"];
    if (auto ok = deriveIndexKey(list, 1, ring.m_indexKey); !ok) return ok.error();
    if (auto ok = deriveIndexKey(list, 2, ring.m_denouncerIndexKey); !ok) return ok.error();
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if (!it->is_object()) continue;
        auto publicKey = common::publicKeyFromBase64(it->value("public_key", ""));
        auto raw = common::fromBase64(it->value("secret_key", ""));
        if (publicKey && raw && raw->size() == crypto_box_SECRETKEYBYTES) {
            try {
                ring.m_keys.push_back(std::make_unique<common::SecretKey>(
                    *publicKey, reinterpret_cast<const unsigned char*>(raw->data())));
            } catch (const std::bad_alloc&) {
                common::wipe(*raw);
                return makeError("crypto", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
            }
            // The newest of two entries with one public key wins, as the loop over the file did.
            ring.m_byName.emplace(common::keyFingerprint(*publicKey), ring.m_keys.back().get());
        }
        if (raw) common::wipe(*raw);
    }
    return ring;
}

Result<PrivatePart> DistrictKeyRing::open(const std::string& sealed) const {
    common::SecretString plain;
    const auto named = common::sealedFingerprint(sealed);
    if (named) {
        // A seal that names a key the file does not hold was made to a key that is not the
        // district's (a kiosk misled into sealing to another key) or to a lost one.
        const auto key = m_byName.find(*named);
        if (key == m_byName.end())
            return makeError("keys.unknown-seal",
                             "Hồ sơ này được niêm phong cho khoá " + *named +
                                 ", không phải khoá nào của máy chủ; máy chủ không mở được.",
                             "This record was sealed to key " + *named +
                                 ", which is none of the server's keys; the server cannot open it.");
        if (common::openSealed(sealed, key->second->publicKey(), key->second->secretKey(), plain.text()))
            if (auto part = privatePartFromJson(plain.text())) return std::move(*part);
    } else {
        // A seal from before seals named their key: each key in turn, the newest first.
        for (const auto& key : m_keys)
            if (common::openSealed(sealed, key->publicKey(), key->secretKey(), plain.text()))
                if (auto part = privatePartFromJson(plain.text())) return std::move(*part);
    }
    return makeError("keys.open", "Không khoá nào của máy chủ mở được phần niêm phong của hồ sơ này.",
                     "None of the server's keys opens this record's sealed part.");
}

Result<std::optional<std::string>> sealedPrivatePart(DistrictStore& store, const std::string& recordCode) {
    auto one = sealedPrivateParts(store, {recordCode});
    if (!one) return one.error();
    return std::move(one->front());
}

uint64_t districtKeyFileReads() { return g_keyFileReads.load(); }

Outcome checkKeyFileOpens(const std::string& keyFile, const std::string& publicKey) {
    auto recipient = common::publicKeyFromBase64(publicKey);
    if (!recipient)
        return makeError("keys.corrupt", "Khoá công khai của máy chủ trong cơ sở dữ liệu bị hỏng.",
                         "The district's public key in the database is damaged.");
    const std::string probe = common::seal("key-check", *recipient);
    KeyFile keys;
    if (auto ok = readKeyFile(keyFile, keys); !ok) return ok;
    common::SecretBytes secret(crypto_box_SECRETKEYBYTES);
    if (!secret.ok()) return makeError("crypto", "Không đủ bộ nhớ an toàn.", "Out of secure memory.");
    for (const json& key : keys.data()["keys"]) {
        if (!key.is_object() || key.value("public_key", "") != publicKey) continue;
        auto raw = common::fromBase64(key.value("secret_key", ""));
        bool opened = false;
        if (raw && raw->size() == crypto_box_SECRETKEYBYTES) {
            std::memcpy(secret.data(), raw->data(), crypto_box_SECRETKEYBYTES);
            common::SecretString plain;
            opened = common::openSealed(probe, *recipient, secret.data(), plain.text()) &&
                     plain.text() == "key-check";
        }
        if (raw) common::wipe(*raw);
        if (opened) return {};
    }
    return makeError("keys.open", "Tệp khoá " + keyFile + " không mở được niêm phong làm cho khoá hiện hành.",
                     "Key file " + keyFile + " does not open a seal made to the current key.");
}

Result<std::vector<UnknownSeal>> listUnknownSeals(DistrictStore& store) {
    KeyFile keys;
    if (auto ok = readKeyFile(districtKeyFile(store), keys); !ok) return ok.error();
    const std::set<std::string> known = fingerprints(keys.data());
    auto st = store.database().prepare(
        store.database().isPostgres()
            ? "SELECT record, kiosk, payload, received_at FROM events WHERE verdict = 'accepted' AND action "
              "IN ('submit','register') AND payload LIKE '%\"sealed\"%' ORDER BY received_at, received_order"
            : "SELECT record, kiosk, payload, received_at FROM events WHERE verdict = 'accepted' AND action "
              "IN ('submit','register') AND payload LIKE '%\"sealed\"%' ORDER BY received_at, rowid");
    if (!st) return st.error();
    std::vector<UnknownSeal> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        // The payload's "sealed" string, read here rather than with an engine's JSON functions.
        const auto payload = nlohmann::json::parse(st->view(2), nullptr, false);
        if (!payload.is_object() || !payload.contains("sealed") || !payload["sealed"].is_string()) continue;
        const auto named = common::sealedFingerprint(payload["sealed"].get<std::string>());
        if (named && !known.count(*named)) out.push_back({st->text(0), st->text(1), *named, st->integer(3)});
    }
    return out;
}

}  // namespace kiosk::district
