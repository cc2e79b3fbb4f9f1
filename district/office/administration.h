#pragma once
// What district-server's admin commands and the dashboard's admin pages both do, so the two
// cannot drift apart: enrolling and naming kiosks, the role a new account gets.
//
// It is: the check that the commune exists in the reference data, the district's key pair made
// with the first kiosk, the enrolment itself (DistrictStore::enrollKiosk: a token shown once, the
// lowest free slot), the names administrators give kiosks ("Máy ở sảnh") kept beside
// them, and the reading of a role slug for a new officer. It is not: revoking
// (DistrictStore::revokeKiosk), moving (moveKiosk), the officers' accounts themselves (officers.h)
// or the sync API's token check. Callers: district-server, the dashboard. One store (connection)
// per thread.
#include <cstdint>
#include <map>
#include <string>

#include "common/result.h"
#include "core/reference_data.h"
#include "district/office/denouncer_readers.h"
#include "district/office/officers.h"
#include "district/store/district_store.h"

namespace kiosk::district {

struct KioskEnrolment {
    Enrollment enrollment;    // the token in it is shown this once, never stored
    std::string communeName;  // "Thị trấn Tân Yên"
    std::string districtPublicKey;
};

// Errors: "kiosk.commune" (no such commune in the data), "keys.*" (the key pair could not be made:
// "keys.write" when its file cannot be written), "kiosk.slots-full", "db.*". keyFile "" = beside
// the database.
Result<KioskEnrolment> enrollDistrictKiosk(DistrictStore& store, const ReferenceData& reference,
                                           const std::string& commune, const std::string& keyFile,
                                           int64_t nowMs);

// A name for people (at most 80 bytes; "" removes it). Errors "kiosk.unknown", "kiosk.name".
Outcome nameKiosk(DistrictStore& store, const std::string& kioskId, const std::string& name);
// Kiosk id -> its name, for the kiosks that have one.
Result<std::map<std::string, std::string>> kioskNames(DistrictStore& store);

// The role an account gets from the slug an administrator gives: officer, inspector, leader,
// admin, or a role the data names competent to resolve denunciations (denouncer_readers.tsv), whose
// accounts act as officers. Error "officer.role".
Result<OfficerRole> officerRoleForAccount(const std::string& slug,
                                          const std::vector<DenouncerReaderRole>& readers);

}  // namespace kiosk::district
