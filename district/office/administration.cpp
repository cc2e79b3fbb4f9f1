// Kiosks enrolled and named, roles for new accounts (administration.h). Portable SQL: `?` placeholders, ON CONFLICT upserts.
#include "district/office/administration.h"

#include "district/office/keys.h"

namespace kiosk::district {

Result<KioskEnrolment> enrollDistrictKiosk(DistrictStore& store, const ReferenceData& reference,
                                           const std::string& commune, const std::string& keyFile,
                                           int64_t nowMs) {
    const Commune* known = reference.commune(commune);
    if (!known)
        return makeError("kiosk.commune",
                         "Không có xã mã “" + commune + "” trong danh sách đơn vị hành chính.",
                         "There is no commune with code \"" + commune + "\".");
    // The district's key pair is made with its first kiosk, so the installer can give the kiosk the
    // public key at once (kioskctl init --district-key); a kiosk set up without it learns it at whoami.
    auto districtKey = ensureDistrictKey(store, keyFile, nowMs);
    if (!districtKey) return districtKey.error();
    auto enrolled = store.enrollKiosk(commune, nowMs);
    if (!enrolled) return enrolled.error();
    return KioskEnrolment{std::move(*enrolled), known->name, districtKeyString(store)};
}

Outcome nameKiosk(DistrictStore& store, const std::string& kioskId, const std::string& name) {
    if (name.size() > 80)
        return makeError("kiosk.name", "Tên máy dài quá 80 byte.", "A kiosk's name is at most 80 bytes.");
    auto known = store.database().prepare("SELECT 1 FROM kiosks WHERE id = ?");
    if (!known) return known.error();
    known->bind(1, kioskId);
    auto row = known->step();
    if (!row) return row.error();
    if (!*row)
        return makeError("kiosk.unknown", "Không có máy " + kioskId + ".",
                         "There is no kiosk " + kioskId + ".");
    auto st =
        store.database().prepare(name.empty() ? "DELETE FROM kiosk_names WHERE kiosk_id = ?"
                                              : "INSERT INTO kiosk_names(kiosk_id, name) VALUES(?, ?) "
                                                "ON CONFLICT(kiosk_id) DO UPDATE SET name = excluded.name");
    if (!st) return st.error();
    st->bind(1, kioskId);
    if (!name.empty()) st->bind(2, name);
    return st->run();
}

Result<std::map<std::string, std::string>> kioskNames(DistrictStore& store) {
    auto st = store.database().prepare("SELECT kiosk_id, name FROM kiosk_names ORDER BY kiosk_id");
    if (!st) return st.error();
    std::map<std::string, std::string> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out[st->text(0)] = st->text(1);
    }
    return out;
}

Result<OfficerRole> officerRoleForAccount(const std::string& slug,
                                          const std::vector<DenouncerReaderRole>& readers) {
    if (auto role = officerRoleFromSlug(slug)) return *role;
    if (findDenouncerReaderRole(readers, slug)) return OfficerRole::Officer;
    return makeError(
        "officer.role",
        "Vai trò chỉ nhận officer, inspector, leader, admin hoặc vai trò trong denouncer_readers.tsv.",
        "The role is one of officer, inspector, leader, admin or a role of denouncer_readers.tsv.");
}

}  // namespace kiosk::district
