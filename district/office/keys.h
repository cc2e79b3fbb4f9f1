#pragma once
// The district's key pairs for citizens' sealed identities (docs/security.md).
//
// It is: the district's X25519 key pairs (libsodium crypto_box), made once (first `serve`,
// `enroll-kiosk` or `keygen`) and rotated by `rotate-key`; the secret keys live in a key file of
// their own (mode 0600, by default next to the database as "<db>.keys"), never in the database, so a
// copy of the database alone reveals no identity. The current public key is also written to the
// database's meta ("district_pk"), which is where whoami reads it for kiosks. Old key pairs stay in
// the file so older seals still open. Also: finding a record's sealed private part (the
// `payload.sealed` of its accepted Submit/Register event) and opening it.
// It is not: who may read (district_officers.h maySeeDenouncer/mayActOnRecords) or the audit of
// readings (recordIdentityRead, which callers write BEFORE they open anything).
// Callers: district-server (serve, enroll-kiosk, keygen, rotate-key), the dashboard's reveal, the
// whoami handler. Free functions on a DistrictStore: one store per thread. The key file is read on
// each opening (a rotation is seen at once) and its secret keys are wiped from memory afterwards;
// a run of openings (the identity search) reads it once into a DistrictKeyRing, dropped after.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/sealing.h"

#include "common/result.h"
#include "core/private_part.h"
#include "district/store/district_store.h"

namespace kiosk::district {

struct DistrictKeyInfo {
    int id = 0;             // 1, 2, ... in the order made; the highest is current
    std::string publicKey;  // base64 (common::toBase64)
    int64_t createdAtMs = 0;
};

// "<database path>.keys", unless the database's meta names another file (made with --key-file).
// On PostgreSQL there is no database file: "$STATE_DIRECTORY/<database name>.keys" (the working
// directory without STATE_DIRECTORY) stands for "<database path>.keys" (defaultKeyFile).
std::string districtKeyFile(DistrictStore& store);
// The key file's place when the database names none: "<database path>.keys", or on PostgreSQL
// "$STATE_DIRECTORY/<database name>.keys".
std::string defaultKeyFile(const store::Database& db);
// The current public key (base64) from the database's meta, or "" before any key was made.
std::string districtPublicKey(DistrictStore& store);
// The district key kiosks pin: the current public key signed by the district's identity
// (sync/protocol/district_key.h), from the database's meta; "" before any key was made. Made again
// by ensureDistrictKey, rotateDistrictKey and replaceLostDistrictKey; whoami serves it.
std::string districtKeyString(DistrictStore& store);

// Makes the first key pair (and the signing identity) when there is none and returns the current
// public key; a key file from before the identity gets one. keyFile: where to
// keep it ("" = districtKeyFile(store)); once a key exists, another file than its own is refused
// ("keys.file"). When the database already names a public key but the key file is gone, nothing is
// made ("keys.missing": restore the file from its backup; see replaceLost).
Result<std::string> ensureDistrictKey(DistrictStore& store, const std::string& keyFile, int64_t nowMs);
// A new key pair becomes current; the old ones are kept to open older seals. Returns the new public key.
Result<std::string> rotateDistrictKey(DistrictStore& store, int64_t nowMs);
// The key file was lost with no backup: starts a new file with one new pair. Seals made to the lost
// keys can never be opened again; kiosks take the new public key at their next whoami.
Result<std::string> replaceLostDistrictKey(DistrictStore& store, const std::string& keyFile, int64_t nowMs);
Result<std::vector<DistrictKeyInfo>> listDistrictKeys(DistrictStore& store);
// Whether the key file at `keyFile` opens a seal made now to `publicKey` (base64): the check a
// backup and a restore make before they count. Errors as openSealedPrivatePart ("keys.*").
Outcome checkKeyFileOpens(const std::string& keyFile, const std::string& publicKey);

// The record's sealed private part as the kiosk pushed it, or nullopt when the kiosk sent none
// (it did not know the district's key yet).
Result<std::optional<std::string>> sealedPrivatePart(DistrictStore& store, const std::string& recordCode);
// The sealed private parts of many records at once (a statement per 500 records, not one per
// record), in the order of `recordCodes`: nullopt for a record whose kiosk sent none.
Result<std::vector<std::optional<std::string>>> sealedPrivateParts(
    DistrictStore& store, const std::vector<std::string>& recordCodes);
// Opens a sealed private part with any of the district's keys (newest first). Error
// "keys.unknown-seal" (naming the fingerprint) when the seal names a key the file does not hold,
// "keys.open" when none opens it otherwise, "keys.missing" when the key file cannot be read.
// Reads the key file for this one opening: a run of openings loads a DistrictKeyRing instead.
Result<PrivatePart> openSealedPrivatePart(DistrictStore& store, const std::string& sealed);

// The district's sealing keys read from the key file once, for a run of openings that must not read
// it (and, when it is encrypted, derive its passphrase with argon2id) once per seal: the identity
// search opens up to 5,000. The secret keys sit in secure memory (common::SecretKey), wiped when
// the ring goes; keep one no longer than the request that needs it, so a rotation or a restored
// file counts from the next request. Not shared between threads.
class DistrictKeyRing {
public:
    // Errors as openSealedPrivatePart's "keys.missing", "keys.corrupt", "keys.passphrase", "crypto".
    static Result<DistrictKeyRing> load(DistrictStore& store);
    // Opens with the key the seal names (with every key, newest first, for a seal that names none).
    // Errors "keys.unknown-seal" and "keys.open" as openSealedPrivatePart.
    Result<PrivatePart> open(const std::string& sealed) const;

    // The key of the identity index (identity_index.h): crypto_kdf of the file's oldest secret key,
    // so it is the same after a rotation and another after a new key file (replaceLost). Its
    // crypto_kdf_KEYBYTES are in secure memory; nullptr when the file held no usable key.
    const unsigned char* indexKey() const { return m_indexKey ? m_indexKey->data() : nullptr; }
    // The key of a tố cáo's tokens, derived the same way apart from indexKey(), so that in a copy of
    // the database a denouncer's tokens equal none of the tokens of any other record.
    const unsigned char* denouncerIndexKey() const {
        return m_denouncerIndexKey ? m_denouncerIndexKey->data() : nullptr;
    }
    // Names that tell, without revealing them, which index key and which set of sealing keys these
    // are (hex of keyed or plain BLAKE2b): the index records which ones it was made with.
    std::string indexKeyName() const;
    std::string sealingKeysName() const;

private:
    std::vector<std::unique_ptr<common::SecretKey>> m_keys;    // newest first
    std::map<std::string, const common::SecretKey*> m_byName;  // fingerprint -> one of m_keys
    std::unique_ptr<common::SecretBytes> m_indexKey;           // see indexKey()
    std::unique_ptr<common::SecretBytes> m_denouncerIndexKey;  // see denouncerIndexKey()
};

// How many times this process has read a district key file (any function above): lets a test see
// that a search reads it once, not once per record.
uint64_t districtKeyFileReads();

// A record whose seal names a key that is none of the district's (common::sealedFingerprint).
struct UnknownSeal {
    std::string record;
    std::string kiosk;        // the kiosk that pushed it
    std::string fingerprint;  // the key it was sealed to
    int64_t receivedAtMs = 0;
};
// Every accepted Submit/Register whose seal the district cannot open for that reason (seals made
// before seals named their key are not listed: nothing tells). `district-server unknown-seals`.
Result<std::vector<UnknownSeal>> listUnknownSeals(DistrictStore& store);

}  // namespace kiosk::district
