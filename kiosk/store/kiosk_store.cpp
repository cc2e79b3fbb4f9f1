#include "kiosk/store/kiosk_store.h"

#include <sodium.h>

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/calendar.h"
#include "core/event.h"
#include "core/receipt_code.h"
#include "core/state_machine.h"
#include "core/text.h"
#include "core/unit_map_json.h"
#include "common/migrations.h"
#include "common/private_file.h"
#include "core/officer_signature.h"
#include "kiosk/store/schema.h"

namespace kiosk::store {
namespace {

// A counter kept in meta that the kiosk cannot read is rebuilt from the rows it counts
// (`rebuild`, one integer, bound to `argument` when given). Trusting 0 instead could repeat a
// receipt code or order a new event before an old one; stopping would leave citizens without a
// kiosk until a technician came. The repair is written back, logged and noted for the officer.
Result<uint64_t> readCounter(Database& db, const std::string& key, const char* rebuild,
                             const std::string& argument = "") {
    const auto value = parseMetaInteger(readMeta(db, key, "0"));  // never written: 0, a new kiosk
    if (value && *value >= 0) return uint64_t(*value);
    auto st = db.prepare(rebuild);
    if (!st) return st.error();
    if (!argument.empty()) st->bind(1, argument);
    if (auto row = st->step(); !row) return row.error();
    const uint64_t rebuilt = uint64_t(std::max<int64_t>(0, st->integer(0)));
    if (auto ok = writeMeta(db, key, std::to_string(rebuilt)); !ok) return ok.error();
    const std::string note = "meta " + key + " was unreadable; rebuilt as " + std::to_string(rebuilt);
    if (auto ok = writeMeta(db, "last_repair", note); !ok) return ok.error();
    std::fprintf(stderr, "kiosk store: %s\n", note.c_str());
    return rebuilt;
}

// [SECTION] reference data <-> rows

nlohmann::json limitToJson(const Limit& l) { return {{"days", l.days}, {"working", l.working}}; }
Limit limitFromJson(const nlohmann::json& j) {
    Limit l;
    if (j.is_object()) {
        l.days = j.value("days", 0);
        l.working = j.value("working", false);
    }
    return l;
}

std::string limitsToText(const PetitionLimits& p) {
    return nlohmann::json{
        {"accept", limitToJson(p.accept)},
        {"resolve", limitToJson(p.resolve)},
        {"resolve_complex", limitToJson(p.resolveComplex)},
        {"resolve_remote", limitToJson(p.resolveRemote)},
        {"resolve_remote_complex", limitToJson(p.resolveRemoteComplex)},
        {"extension", limitToJson(p.extension)},
        {"max_extensions", p.maxExtensions},
        {"max_extensions_complex", p.maxExtensionsComplex},
        {"second_resolve", limitToJson(p.secondResolve)},
        {"second_resolve_complex", limitToJson(p.secondResolveComplex)},
        {"second_resolve_remote", limitToJson(p.secondResolveRemote)},
        {"second_resolve_remote_complex", limitToJson(p.secondResolveRemoteComplex)},
        {"accept_confirmed", p.acceptConfirmed},
        {"partial_withdrawal_from", p.partialWithdrawalFrom ? p.partialWithdrawalFrom->iso() : ""},
        {"suspension_from", p.suspensionFrom ? p.suspensionFrom->iso() : ""}}
        .dump();
}

// Limits stored before a field existed take the law's figure for it (defaultPetitionLimits).
PetitionLimits limitsFromText(const std::string& text, PetitionKind kind) {
    const PetitionLimits law = defaultPetitionLimits(kind);
    PetitionLimits p;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) return p;
    p.accept = limitFromJson(j.value("accept", nlohmann::json()));
    p.resolve = limitFromJson(j.value("resolve", nlohmann::json()));
    p.resolveComplex = limitFromJson(j.value("resolve_complex", nlohmann::json()));
    p.resolveRemote = limitFromJson(j.value("resolve_remote", nlohmann::json()));
    p.resolveRemoteComplex = limitFromJson(j.value("resolve_remote_complex", nlohmann::json()));
    p.extension = limitFromJson(j.value("extension", nlohmann::json()));
    p.maxExtensions = j.value("max_extensions", 0);
    p.maxExtensionsComplex = j.value("max_extensions_complex", law.maxExtensionsComplex);
    auto limitOr = [&](const char* key, const Limit& fallback) {
        return j.contains(key) ? limitFromJson(j[key]) : fallback;
    };
    p.secondResolve = limitOr("second_resolve", law.secondResolve);
    p.secondResolveComplex = limitOr("second_resolve_complex", law.secondResolveComplex);
    p.secondResolveRemote = limitOr("second_resolve_remote", law.secondResolveRemote);
    p.secondResolveRemoteComplex = limitOr("second_resolve_remote_complex", law.secondResolveRemoteComplex);
    p.acceptConfirmed = j.value("accept_confirmed", true);
    p.partialWithdrawalFrom = Date::parse(j.value("partial_withdrawal_from", ""));
    p.suspensionFrom = Date::parse(j.value("suspension_from", ""));
    return p;
}

// [SECTION] records <-> rows

// kRecordColumns (core/records.h); r.identity stays empty: it is stored only sealed (openPrivatePart).
Record recordFromRow(const Statement& s) { return recordFromColumns(s); }

// The statuses for which `keep` holds, as an SQL list: 'a','b'.
template <class Predicate>
std::string statusList(Predicate keep) {
    std::string out;
    for (int i = 0; i <= int(RecordStatus::Suspended); ++i) {
        const auto s = RecordStatus(i);
        if (!keep(s)) continue;
        if (!out.empty()) out += ",";
        out += "'" + std::string(toSlug(s)) + "'";
    }
    return out;
}

// The FTS query for what a citizen typed: folded, each word a prefix ("khai sin" finds "khai sinh").
std::string ftsQuery(const std::string& typed) {
    std::string folded = foldForSearch(typed);
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!out.empty()) out += " ";
        out += "\"" + word + "\"*";
        word.clear();
    };
    for (char c : folded) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80)
            word += c;
        else
            flush();
    }
    flush();
    return out;
}

}  // namespace

// [SECTION] open and migrate

Result<std::unique_ptr<KioskStore>> KioskStore::open(const std::string& path, bool create) {
    auto db = Database::open(path, create);
    if (!db) return db.error();
    std::unique_ptr<KioskStore> store(new KioskStore(std::move(*db)));
    if (auto m = store->migrate(); !m) return m.error();
    if (auto r = store->reloadReference(); !r) return r.error();
    return store;
}

Outcome KioskStore::migrate() {
    if (auto ok = applyMigrations(m_db, kMigrations); !ok) return ok;
    // Kiosks set up before the token had a file of its own kept it in meta: move it out and
    // overwrite the freed bytes in the file and its WAL.
    const std::string kept = readMeta(m_db, "token");
    if (kept.empty()) return {};
    if (auto ok = setToken(kept); !ok) return ok;
    if (auto ok = m_db.exec("PRAGMA secure_delete = ON"); !ok) return ok;
    if (auto ok = m_db.exec("DELETE FROM meta WHERE key = 'token'"); !ok) return ok;
    if (auto ok = m_db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); !ok) return ok;
    return m_db.exec("PRAGMA secure_delete = OFF");
}

// [SECTION] the token

// The bearer token lets whoever holds it push as this kiosk, so it stays out of the database, which
// is what gets copied (backups, a technician's laptop): systemd hands it decrypted from an
// encrypted credential (LoadCredentialEncrypted=kiosk-token, see docs/security.md), else it sits
// in a 0600 file of its own beside the database.
std::string KioskStore::tokenFile() const {
    if (m_db.path().empty() || m_db.path() == ":memory:") return {};
    return m_db.path() + ".token";
}

Result<std::string> KioskStore::token() {
    auto credential = common::readCredential("kiosk-token");
    if (!credential) return credential.error();
    if (*credential) return common::withoutLineEnd(std::move(**credential));
    if (tokenFile().empty()) return m_memoryToken;
    auto kept = common::readPrivateFile(tokenFile());
    if (!kept) return kept.error();
    return *kept ? common::withoutLineEnd(std::move(**kept)) : std::string();
}

Outcome KioskStore::setToken(const std::string& token) {
    if (tokenFile().empty()) {
        m_memoryToken = token;
        return {};
    }
    auto current = this->token();
    if (current && *current == token) return {};
    if (token.empty()) {
        if (::unlink(tokenFile().c_str()) != 0 && errno != ENOENT)
            return makeError("file.write", "Không xoá được tệp " + tokenFile() + ".",
                             "Cannot remove the file " + tokenFile() + ".");
        return {};
    }
    return common::writePrivateFile(tokenFile(), token + "\n");
}

bool KioskStore::initialized() { return !readMeta(m_db, "commune").empty(); }

Outcome KioskStore::configure(const KioskConfig& config, const ReferenceData& reference) {
    Transaction tx(m_db);
    if (!tx.begun()) return tx.begun();
    const std::string previousCommune = readMeta(m_db, "commune");
    // A kiosk holding records changes commune only to its commune's successor: the one the district
    // named at whoami (meta "successor", written by the sync engine) or the kiosk's own unit map.
    const std::string successor = readMeta(m_db, "successor");
    const bool toSuccessor =
        successor.rfind(config.commune + "\t", 0) == 0 ||
        reference.units.successor(previousCommune, localFromUnix(int64_t(wallClockMillis() / 1000)).date) ==
            config.commune;
    if (!previousCommune.empty() && previousCommune != config.commune && !toSuccessor) {
        auto count = m_db.prepare("SELECT COUNT(*) FROM records");
        if (count && count->step().ok() && count->integer(0) > 0)
            return makeError(
                "config.commune", "Không đổi được xã của máy đã có hồ sơ (" + previousCommune + ").",
                "Cannot change the commune of a kiosk that holds records (" + previousCommune + ").");
    }
    for (auto [key, value] : {std::pair<const char*, std::string>{"commune", config.commune},
                              {"kiosk_id", config.kioskId},
                              {"slot", std::to_string(config.slot)},
                              {"server_url", config.serverUrl},
                              {"ca_file", config.caFile},
                              {"district_pk", config.districtKey}}) {
        if (auto r = writeMeta(m_db, key, value); !r) return r;
    }
    // The identity each petition kind requires, by date: kept like the limits, as set up.
    if (readMeta(m_db, "identity_rules").empty() && !reference.identityRules.empty()) {
        if (auto r = writeMeta(m_db, "identity_rules", identityRulesToText(reference.identityRules)); !r)
            return r;
    }
    if (readMeta(m_db, "phone_key").empty()) {
        unsigned char key[crypto_generichash_KEYBYTES];
        randombytes_buf(key, sizeof key);
        char hex[sizeof key * 2 + 1];
        sodium_bin2hex(hex, sizeof hex, key, sizeof key);
        if (auto r = writeMeta(m_db, "phone_key", hex); !r) return r;
    }
    // Reference data: loaded once from assets; afterwards only the district's pulls replace it.
    if (readMeta(m_db, "reference_loaded").empty()) {
        for (const Commune& c : reference.communes) {
            auto st = m_db.prepare("INSERT OR REPLACE INTO communes(code, name, remote) VALUES(?,?,?)");
            if (!st) return st.error();
            st->bind(1, c.code).bind(2, c.name).bind(3, c.remote ? 1 : 0);
            if (auto r = st->run(); !r) return r;
        }
        for (const auto& [kind, limits] : reference.petitionLimits) {
            auto st = m_db.prepare("INSERT OR REPLACE INTO petition_kinds(slug, limits) VALUES(?,?)");
            if (!st) return st.error();
            st->bind(1, toSlug(kind)).bind(2, limitsToText(limits));
            if (auto r = st->run(); !r) return r;
        }
        for (const auto& [kind, values] :
             {std::pair<const char*, const std::set<std::string>*>{"cccd_province", &reference.cccdProvinces},
              {"mobile_prefix", &reference.mobilePrefixes}}) {
            for (const std::string& v : *values) {
                auto st = m_db.prepare("INSERT OR IGNORE INTO ref_values(kind, value) VALUES(?,?)");
                if (!st) return st.error();
                st->bind(1, kind).bind(2, v);
                if (auto r = st->run(); !r) return r;
            }
        }
        if (auto r = replaceHolidays(m_db, reference.holidays); !r) return r;
        if (auto r = replaceCatalog(m_db, reference.procedures); !r) return r;
        if (!reference.units.empty()) {
            if (auto r = replaceUnits(m_db, reference.units); !r) return r;
        }
        if (auto r = writeMeta(m_db, "unit_levels", unitLevelsToJson(reference.levelNames).dump()); !r)
            return r;
        if (auto r = writeMeta(m_db, "agency_code", reference.agencyCodePrefix); !r) return r;
        if (auto r = writeMeta(m_db, "reference_loaded", "1"); !r) return r;
    }
    if (auto r = tx.commit(); !r) return r;
    return reloadReference();
}

Result<KioskConfig> KioskStore::config() {
    KioskConfig c;
    c.commune = readMeta(m_db, "commune");
    if (c.commune.empty())
        return makeError("config.missing",
                         "Máy chưa được cài đặt: chạy “kioskctl init --commune MÃ_XÃ” trước.",
                         "This kiosk is not set up: run “kioskctl init --commune CODE” first.");
    c.kioskId = readMeta(m_db, "kiosk_id");
    c.slot = int(readMetaInteger(m_db, "slot").value_or(0));
    c.serverUrl = readMeta(m_db, "server_url");
    c.caFile = readMeta(m_db, "ca_file");
    c.districtKey = readMeta(m_db, "district_pk");
    return c;
}

std::string KioskStore::communeName() {
    const Commune* c = m_reference.commune(readMeta(m_db, "commune"));
    return c ? c->name : std::string();
}

Outcome replaceHolidays(Database& db, const std::vector<HolidayEntry>& holidays) {
    if (auto r = db.exec("DELETE FROM holidays"); !r) return r;
    auto st = db.prepare("INSERT OR REPLACE INTO holidays(date, workday, name, provisional) VALUES(?,?,?,?)");
    if (!st) return st.error();
    for (const HolidayEntry& h : holidays) {
        st->bind(1, h.date.iso())
            .bind(2, h.workday ? 1 : 0)
            .bind(3, h.name)
            .bind(4, int64_t(h.provisional ? 1 : 0));
        if (auto r = st->run(); !r) return r;
    }
    return {};
}

Outcome replaceCatalog(Database& db, const std::vector<Procedure>& procedures) {
    if (auto r = db.exec("DELETE FROM catalog; DELETE FROM catalog_fts;"); !r) return r;
    auto st = db.prepare(
        "INSERT INTO catalog(id, code, name, field, processing_time, limit_days, limit_working, fee, "
        "documents, postal, place, legal_basis) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    auto fts = db.prepare("INSERT INTO catalog_fts(id, name, field, documents) VALUES(?,?,?,?)");
    if (!st) return st.error();
    if (!fts) return fts.error();
    for (const Procedure& p : procedures) {
        st->bind(1, p.id).bind(2, p.code).bind(3, p.name).bind(4, p.field).bind(5, p.processingTime);
        if (p.limit)
            st->bind(6, p.limit->days).bind(7, p.limit->working ? 1 : 0);
        else
            st->bindNull(6).bindNull(7);
        st->bind(8, p.fee).bind(9, p.documents);
        if (p.postal)
            st->bind(10, *p.postal ? 1 : 0);
        else
            st->bindNull(10);
        st->bind(11, p.where).bind(12, p.legalBasis);
        if (auto r = st->run(); !r) return r;
        fts->bind(1, p.id)
            .bind(2, foldForSearch(p.name))
            .bind(3, foldForSearch(p.field))
            .bind(4, foldForSearch(p.documents));
        if (auto r = fts->run(); !r) return r;
    }
    return {};
}

Outcome replaceUnits(Database& db, const UnitMap& units) {
    if (auto r = writeMeta(db, "units", unitsToJson(units.units()).dump()); !r) return r;
    if (auto r = writeMeta(db, "successions", successionsToJson(units.successions()).dump()); !r) return r;
    if (auto r = db.exec("DELETE FROM communes"); !r) return r;
    auto st = db.prepare("INSERT INTO communes(code, name, remote) VALUES(?,?,?)");
    if (!st) return st.error();
    for (const Commune& c : communesOf(units)) {
        st->bind(1, c.code).bind(2, c.name).bind(3, c.remote ? 1 : 0);
        if (auto r = st->run(); !r) return r;
    }
    return {};
}

namespace {

// The unit map and the level words the file holds; a file made before the kiosk kept its map has
// neither, and its reference keeps only the communes table, as then.
void loadUnits(Database& db, ReferenceData& ref) {
    const auto parse = [](const std::string& text) {
        return nlohmann::json::parse(text.empty() ? std::string("null") : text, nullptr, false);
    };
    auto units = unitsFromJson(parse(readMeta(db, "units")));
    auto successions = successionsFromJson(parse(readMeta(db, "successions")));
    if (units && successions) ref.units = UnitMap(std::move(*units), std::move(*successions));
    if (auto levels = unitLevelsFromJson(parse(readMeta(db, "unit_levels"))))
        ref.levelNames = std::move(*levels);
}

// The identity rules the kiosk was set up with; a database set up before they were data reads them
// from the assets' petition_kinds.tsv, and without either the rule of defaultIdentityRule() holds.
// The shipped assets' text of `file` ("" when unreadable).
std::string assetsText(const char* file) {
    std::ifstream in(assetsDir() / file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Limits kept before the effective dates were data (no "suspension_from" key) take the dates of the
// shipped petition_kinds.tsv, as identityRulesOf does for the identity rules.
void addAmendmentDates(std::map<PetitionKind, PetitionLimits>& limits, const std::set<PetitionKind>& older) {
    if (older.empty()) return;
    auto shipped = parsePetitionKinds(assetsText("petition_kinds.tsv"));
    if (!shipped) return;
    for (PetitionKind kind : older) {
        limits[kind].partialWithdrawalFrom = (*shipped)[kind].partialWithdrawalFrom;
        limits[kind].suspensionFrom = (*shipped)[kind].suspensionFrom;
    }
}

IdentityRules identityRulesOf(Database& db) {
    const std::string kept = readMeta(db, "identity_rules");
    if (!kept.empty()) {
        if (auto rules = parsePetitionIdentity(kept)) return *rules;
    }
    std::ifstream in(assetsDir() / "petition_kinds.tsv", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto rules = parsePetitionIdentity(text.str());
    return rules ? *rules : IdentityRules{};
}

}  // namespace

Outcome KioskStore::reloadReference() {
    ReferenceData ref;
    loadUnits(m_db, ref);
    {
        auto st = m_db.prepare("SELECT code, name, remote FROM communes ORDER BY code");
        if (!st) return st.error();
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            ref.communes.push_back(Commune{st->text(0), st->text(1), st->integer(2) != 0});
        }
    }
    {
        auto st = m_db.prepare("SELECT slug, limits FROM petition_kinds");
        if (!st) return st.error();
        std::set<PetitionKind> older;
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            if (auto kind = petitionKindFromSlug(st->text(0))) {
                ref.petitionLimits[*kind] = limitsFromText(st->text(1), *kind);
                if (st->text(1).find("\"suspension_from\"") == std::string::npos) older.insert(*kind);
            }
        }
        addAmendmentDates(ref.petitionLimits, older);
    }
    // Where a transfer may go: the shipped list (core/agencies.h); without it no agency is offered.
    if (auto agencies = parseAgencies(assetsText("agencies.tsv"))) ref.agencies = std::move(*agencies);
    {
        auto st = m_db.prepare("SELECT date, workday, name, provisional FROM holidays ORDER BY date");
        if (!st) return st.error();
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            if (auto d = Date::parse(st->text(0)))
                ref.holidays.push_back(
                    HolidayEntry{*d, st->integer(1) != 0, st->text(2), st->integer(3) != 0});
        }
    }
    {
        auto st = m_db.prepare("SELECT kind, value FROM ref_values");
        if (!st) return st.error();
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            (st->text(0) == "cccd_province" ? ref.cccdProvinces : ref.mobilePrefixes).insert(st->text(1));
        }
    }
    {
        auto st = m_db.prepare(
            "SELECT id, code, name, field, processing_time, limit_days, limit_working, fee, documents, "
            "postal, place, legal_basis FROM catalog ORDER BY name");
        if (!st) return st.error();
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            Procedure p;
            p.id = st->text(0);
            p.code = st->text(1);
            p.name = st->text(2);
            p.field = st->text(3);
            p.processingTime = st->text(4);
            if (!st->isNull(5)) p.limit = Limit{int(st->integer(5)), st->integer(6) != 0};
            p.fee = st->text(7);
            p.documents = st->text(8);
            if (!st->isNull(9)) p.postal = st->integer(9) != 0;
            p.where = st->text(10);
            p.legalBasis = st->text(11);
            ref.procedures.push_back(std::move(p));
        }
    }
    ref.agencyCodePrefix = readMeta(m_db, "agency_code");
    ref.identityRules = identityRulesOf(m_db);
    m_reference = std::move(ref);
    m_rules = m_reference.deadlineRules();
    return {};
}

// [SECTION] the change transaction

std::string sharedPhoneCheck(const std::string& code, const std::string& phone) {
    return kSharedPhoneCheckPrefix + phoneCheck("", "commune-kiosk status check v1 " + code, phone);
}

std::string phoneCheck(const std::string& keyHex, const std::string& code, const std::string& phone) {
    unsigned char key[crypto_generichash_KEYBYTES] = {};
    size_t keyLen = 0;
    sodium_hex2bin(key, sizeof key, keyHex.c_str(), keyHex.size(), nullptr, &keyLen, nullptr);
    const std::string last4 = phone.size() >= 4 ? phone.substr(phone.size() - 4) : phone;
    const std::string message = code + ":" + last4;
    unsigned char out[16];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), key, keyLen);
    char hex[sizeof out * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

Result<Record> KioskStore::commitEvent(const std::optional<Record>& current, Event event,
                                       const std::string& phoneCheckValue) {
    auto applied = applyEvent(current, event, m_rules);
    if (!applied) return applied.error();
    const Record& r = *applied;

    auto last = lastHlc();
    if (!last) return last.error();
    Hlc hlc(*last);
    event.hlc = hlc.now(wallClockMillis());
    event.kioskId = readMeta(m_db, "kiosk_id");
    auto seqSt = m_db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox");
    if (!seqSt) return seqSt.error();
    if (auto row = seqSt->step(); !row) return row.error();
    event.seq = seqSt->integer(0);
    if (needsOfficerSignature(event)) {
        // The district accepts a commune officer's action only under that officer's signature
        // (docs/security.md), made here, once the event is complete: events never change after.
        if (!m_unlocked || m_unlocked->officerId() != event.actor.id)
            return makeError("officer.not-logged-in", "Cán bộ “" + event.actor.id + "” chưa đăng nhập.",
                             "Officer “" + event.actor.id + "” is not logged in.");
        signOfficerAction(event, *m_unlocked);
    }

    if (!current) {
        auto st = m_db.prepare(
            "INSERT INTO records(code, official_code, kind, petition_kind, procedure, commune, status, "
            "submitted_at, received_on, due, complex, extensions, delivery, content, result_note, "
            "linked_code, phone_check, updated_hlc, accepted_on, transfer_agency, suspended_on, "
            "withdrawn_parts) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!st) return st.error();
        st->bind(1, r.code).bindOptional(2, r.officialCode).bind(3, toSlug(r.kind));
        if (r.kind == RecordKind::Petition)
            st->bind(4, toSlug(r.petitionKind)).bindNull(5);
        else
            st->bindNull(4).bind(5, r.procedureCode);
        st->bind(6, r.commune)
            .bind(7, toSlug(r.status))
            .bind(8, r.submittedAt)
            .bind(9, r.receivedOn.iso())
            .bind(10, dueText(r))
            .bind(11, complexColumn(r))
            .bind(12, r.extensions)
            .bind(13, toSlug(r.delivery))
            .bind(14, r.content)
            .bind(15, r.resultNote)
            .bindOptional(16, r.linkedCode)
            .bind(17, phoneCheckValue)
            .bind(18, event.hlc)
            .bind(19, acceptedOnText(r))
            .bind(20, r.transferAgency)
            .bind(21, suspendedOnText(r))
            .bind(22, r.withdrawnParts);
        if (auto ok = st->run(); !ok) return ok.error();
    } else {
        auto st = m_db.prepare(
            "UPDATE records SET official_code = ?, status = ?, due = ?, complex = ?, extensions = ?, "
            "result_note = ?, updated_hlc = ?, accepted_on = ?, transfer_agency = ?, suspended_on = ?, "
            "withdrawn_parts = ? WHERE code = ?");
        if (!st) return st.error();
        st->bindOptional(1, r.officialCode)
            .bind(2, toSlug(r.status))
            .bind(3, dueText(r))
            .bind(4, complexColumn(r))
            .bind(5, r.extensions)
            .bind(6, r.resultNote)
            .bind(7, event.hlc)
            .bind(8, acceptedOnText(r))
            .bind(9, r.transferAgency)
            .bind(10, suspendedOnText(r))
            .bind(11, r.withdrawnParts)
            .bind(12, r.code);
        if (auto ok = st->run(); !ok) return ok.error();
    }
    auto ev = m_db.prepare(
        "INSERT INTO events(uuid, record_code, action, actor_role, actor_id, hlc, at, payload, kiosk_id, "
        "status_after, origin) VALUES(?,?,?,?,?,?,?,?,?,?,'local')");
    if (!ev) return ev.error();
    ev->bind(1, event.uuid)
        .bind(2, event.recordCode)
        .bind(3, toSlug(event.action))
        .bind(4, toSlug(event.actor.role))
        .bind(5, event.actor.id)
        .bind(6, event.hlc)
        .bind(7, event.at)
        .bind(8, event.payload.dump())
        .bind(9, event.kioskId)
        .bind(10, toSlug(r.status));
    if (auto ok = ev->run(); !ok) return ok.error();
    auto out = m_db.prepare("INSERT INTO outbox(seq, event_uuid) VALUES(?, ?)");
    if (!out) return out.error();
    out->bind(1, event.seq).bind(2, event.uuid);
    if (auto ok = out->run(); !ok) return ok.error();
    if (auto ok = writeMeta(m_db, "hlc", std::to_string(hlc.last())); !ok) return ok.error();
    return r;
}

Result<uint64_t> KioskStore::lastHlc() {
    return readCounter(m_db, "hlc", "SELECT COALESCE(MAX(hlc), 0) FROM events");
}

Result<uint64_t> KioskStore::lastSerial(const KioskConfig& config) {
    const int slot = config.slot % 100;
    const std::string prefix = config.commune.substr(0, 5) + char('0' + slot / 10) + char('0' + slot % 10);
    return readCounter(m_db, "last_serial",
                       "SELECT COALESCE(MAX(CAST(substr(code, 8, 8) AS INTEGER)), 0) FROM records "
                       "WHERE substr(code, 1, 7) = ?",
                       prefix);
}

Result<Record> KioskStore::createRecord(Record draft, const Actor& actor, int64_t nowUnix) {
    auto cfg = config();
    if (!cfg) return cfg.error();
    Transaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();

    auto last = lastSerial(*cfg);
    if (!last) return last.error();
    uint64_t serial = nextReceiptSerial(*last, nowUnix);
    std::string code;
    for (;; ++serial) {  // a restored file may hold codes ahead of the clock: skip those
        code = makeReceiptCode(cfg->commune, cfg->slot, serial);
        auto exists = m_db.prepare("SELECT 1 FROM records WHERE code = ?");
        if (!exists) return exists.error();
        exists->bind(1, code);
        auto row = exists->step();
        if (!row) return row.error();
        if (!*row) break;
    }
    if (auto ok = writeMeta(m_db, "last_serial", std::to_string(serial)); !ok) return ok.error();

    draft.code = code;
    draft.commune = cfg->commune;
    draft.submittedAt = nowUnix;
    // The private part leaves the draft here: from now on it exists only sealed.
    const PrivatePart part{draft.identity, draft.content};
    // A citizen without a phone (a petition's or a dossier's) gets a random 4-digit check PIN
    // instead of the phone's last 4 digits: hashed the same two ways, so the status check (here and
    // at another kiosk of the commune) and its lockout treat it as they treat the digits. Shown
    // once, never stored.
    std::string checkPin;
    if (draft.identity.phone.empty()) {
        char digits[8];
        std::snprintf(digits, sizeof digits, "%04u", unsigned(randombytes_uniform(10000)));
        checkPin = digits;
    }
    const std::string& checkDigits = checkPin.empty() ? draft.identity.phone : checkPin;
    const std::string check = phoneCheck(readMeta(m_db, "phone_key"), code, checkDigits);
    Event event;
    event.uuid = newUuid();
    event.recordCode = code;
    event.recordKind = draft.kind;
    event.action = draft.kind == RecordKind::Petition ? Action::Submit : Action::Register;
    event.actor = actor;
    if (event.actor.role == Role::Kiosk && event.actor.id.empty()) event.actor.id = cfg->kioskId;
    event.at = nowUnix;
    event.payload = publicPayload(draft);
    if (auto districtKey = publicKeyFromBase64(cfg->districtKey))
        event.payload["sealed"] = sealPrivatePart(part, *districtKey);
    event.payload["status_check"] = sharedPhoneCheck(code, checkDigits);
    auto record = commitEvent(std::nullopt, std::move(event), check);
    if (!record) return record.error();
    if (auto ok = sealForRecipients(*record, part); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    // The caller (the citizen's receipt, kioskctl) gets back what it typed, in memory only.
    record->identity = part.identity;
    record->content = part.content;
    record->checkPin = std::move(checkPin);
    return record;
}

Outcome KioskStore::sealForRecipients(const Record& record, const PrivatePart& part) {
    auto insert = m_db.prepare("INSERT OR REPLACE INTO seals(record_code, recipient, box) VALUES(?,?,?)");
    if (!insert) return insert.error();
    if (auto districtKey = publicKeyFromBase64(readMeta(m_db, "district_pk"))) {
        insert->bind(1, record.code).bind(2, "district").bind(3, sealPrivatePart(part, *districtKey));
        if (auto ok = insert->run(); !ok) return ok;
    }
    // A denouncer's identity is never readable at the commune (docs/domain.md).
    if (isDenunciation(record)) return {};
    auto officers = m_db.prepare("SELECT id, public_key FROM officers WHERE disabled = 0");
    if (!officers) return officers.error();
    while (true) {
        auto row = officers->step();
        if (!row) return row.error();
        if (!*row) break;
        auto key = publicKeyFromBase64(officers->text(1));
        if (!key) continue;
        insert->bind(1, record.code).bind(2, officers->text(0)).bind(3, sealPrivatePart(part, *key));
        if (auto ok = insert->run(); !ok) return ok;
    }
    return {};
}

void KioskStore::openPrivatePart(Record& record) {
    if (!m_unlocked) return;
    if (!m_sealStatement) {
        auto prepared = m_db.prepare("SELECT box FROM seals WHERE record_code = ? AND recipient = ?");
        if (!prepared) return;
        m_sealStatement = std::move(*prepared);
    }
    Statement& st = *m_sealStatement;
    st.bind(1, record.code).bind(2, m_unlocked->officerId());
    auto row = st.step();
    std::string box = row.ok() && *row ? st.text(0) : std::string();
    st.reset();
    if (box.empty()) return;
    if (auto part = store::openPrivatePart(box, *m_unlocked)) {
        record.identity = part->identity;
        record.content = part->content;
    }
}

Result<Record> KioskStore::act(const std::string& code, Action action, const Actor& actor,
                               nlohmann::json payload, int64_t nowUnix) {
    Transaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();
    auto current = find(code);
    if (!current) return current.error();
    if (!*current)
        return makeError("record.unknown", "Không tìm thấy hồ sơ " + code + ".", "No record " + code + ".");
    Event event;
    event.uuid = newUuid();
    event.recordCode = (*current)->code;
    event.recordKind = (*current)->kind;
    event.action = action;
    event.actor = actor;
    event.at = nowUnix;
    event.payload = payload.is_object() ? std::move(payload) : nlohmann::json::object();
    auto record = commitEvent(**current, std::move(event));
    if (!record) return record.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    return record;
}

// [SECTION] lookups

Result<std::optional<Record>> KioskStore::find(const std::string& code) {
    if (!m_findStatement) {
        auto prepared = m_db.prepare(std::string("SELECT ") + kRecordColumns +
                                     " FROM records r WHERE r.code = ?1 OR r.official_code = ?1");
        if (!prepared) return prepared.error();
        m_findStatement = std::move(*prepared);
    }
    Statement& st = *m_findStatement;
    st.bind(1, code);
    auto row = st.step();
    if (!row || !*row) {
        st.reset();
        if (!row) return row.error();
        return std::optional<Record>();
    }
    Record record = recordFromRow(st);
    st.reset();
    openPrivatePart(record);
    return std::optional<Record>(std::move(record));
}

Result<std::vector<HistoryEntry>> KioskStore::history(const std::string& code) {
    auto st = m_db.prepare(
        "SELECT e.uuid, e.action, e.status_after, e.actor_role, e.actor_id, e.at, e.hlc, e.payload, "
        "e.origin, e.verdict, e.reject_reason FROM events e JOIN records r ON r.code = e.record_code "
        "WHERE r.code = ?1 OR r.official_code = ?1 ORDER BY e.hlc, e.uuid");
    if (!st) return st.error();
    st->bind(1, code);
    std::vector<HistoryEntry> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        HistoryEntry h;
        h.uuid = st->text(0);
        h.action = actionFromSlug(st->text(1)).value_or(Action::Submit);
        h.status = statusFromSlug(st->text(2)).value_or(RecordStatus::Received);
        h.actor = Actor{roleFromSlug(st->text(3)).value_or(Role::Kiosk), st->text(4)};
        h.at = st->integer(5);
        h.hlc = uint64_t(st->integer(6));
        auto payload = nlohmann::json::parse(st->text(7), nullptr, false);
        if (payload.is_object() && payload.contains("note") && payload["note"].is_string())
            h.note = payload["note"].get<std::string>();
        h.fromDistrict = st->text(8) == "district";
        h.districtVerdict = st->text(9);
        h.rejectReason = st->text(10);
        out.push_back(std::move(h));
    }
    return out;
}

Result<std::vector<Record>> KioskStore::list(const ListFilter& filter, const Date& today) {
    std::string sql = std::string("SELECT ") + kRecordColumns + " FROM records r WHERE 1=1";
    if (filter.status) sql += " AND r.status = :status";
    if (filter.kind) sql += " AND r.kind = :kind";
    if (filter.petitionKind) sql += " AND r.petition_kind = :pkind";
    if (filter.openOnly) sql += " AND r.status NOT IN (" + statusList(isFinal) + ")";
    if (filter.overdueOnly)
        sql += " AND r.status IN (" + statusList(clockRunning) + ") AND r.due <> '' AND r.due < :today";
    // Records with no due date ('') come after every dated one, never hidden; those done by transfer
    // after everything still to be handled here.
    sql += " ORDER BY r.status = 'transferred', r.due = '', r.due, r.code LIMIT :limit OFFSET :offset";
    auto st = m_db.prepare(sql);
    if (!st) return st.error();
    auto bindNamed = [&](const char* name, auto value) {
        int index = sqlite3_bind_parameter_index(st->handle(), name);
        if (index > 0) st->bind(index, value);
    };
    if (filter.status) bindNamed(":status", toSlug(*filter.status));
    if (filter.kind) bindNamed(":kind", toSlug(*filter.kind));
    if (filter.petitionKind) bindNamed(":pkind", toSlug(*filter.petitionKind));
    if (filter.overdueOnly) bindNamed(":today", std::string_view(today.iso()));
    bindNamed(":limit", int64_t(filter.limit));
    bindNamed(":offset", int64_t(filter.offset));
    std::vector<Record> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(recordFromRow(*st));
    }
    if (filter.privatePart)
        for (Record& r : out) openPrivatePart(r);
    return out;
}

Result<bool> KioskStore::phoneMatches(const Record& record, const std::string& last4) {
    if (!m_phoneCheckStatement) {
        auto prepared = m_db.prepare("SELECT phone_check FROM records WHERE code = ?");
        if (!prepared) return prepared.error();
        m_phoneCheckStatement = std::move(*prepared);
    }
    if (m_phoneKey.empty()) m_phoneKey = readMeta(m_db, "phone_key");
    Statement& st = *m_phoneCheckStatement;
    st.bind(1, record.code);
    auto row = st.step();
    const std::string expected = row.ok() && *row ? st.text(0) : std::string();
    st.reset();
    if (!row) return row.error();
    if (expected.empty() || last4.size() != 4) return false;
    // A record pulled from the district carries the shared check of the kiosk that made it.
    const bool shared = expected.rfind(kSharedPhoneCheckPrefix, 0) == 0;
    const std::string actual = shared ? sharedPhoneCheck(record.code, "xxxxxx" + last4)
                                      : phoneCheck(m_phoneKey, record.code, "xxxxxx" + last4);
    return expected.size() == actual.size() &&
           sodium_memcmp(expected.data(), actual.data(), expected.size()) == 0;
}

Result<int64_t> KioskStore::countRecords() {
    auto st = m_db.prepare("SELECT COUNT(*) FROM records");
    if (!st) return st.error();
    if (auto row = st->step(); !row) return row.error();
    return st->integer(0);
}

Result<std::vector<CatalogHit>> KioskStore::searchCatalog(const std::string& query, int limit) {
    const std::string match = ftsQuery(query);
    std::string sql = "SELECT c.id, c.code, c.name, c.limit_days, c.limit_working, c.fee FROM catalog c ";
    if (!match.empty())
        sql +=
            "JOIN (SELECT id, bm25(catalog_fts, 0.0, 10.0, 3.0, 1.0) AS rank FROM catalog_fts "
            "WHERE catalog_fts MATCH ?1) f ON f.id = c.id ORDER BY f.rank, c.name LIMIT ?2";
    else
        sql += "ORDER BY c.field, c.name LIMIT ?2";
    auto st = m_db.prepare(sql);
    if (!st) return st.error();
    if (!match.empty()) st->bind(1, match);
    st->bind(2, int64_t(limit));
    std::vector<CatalogHit> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        CatalogHit h;
        h.id = st->text(0);
        h.code = st->text(1);
        h.name = st->text(2);
        if (!st->isNull(3)) h.days = int(st->integer(3));
        h.working = st->integer(4) != 0;
        h.fee = st->text(5);
        out.push_back(std::move(h));
    }
    return out;
}

Result<int64_t> KioskStore::outboxPending() {
    auto st = m_db.prepare("SELECT COUNT(*) FROM outbox WHERE acked = 0");
    if (!st) return st.error();
    if (auto row = st->step(); !row) return row.error();
    return st->integer(0);
}

}  // namespace kiosk::store
