#pragma once
// Dashboard::Impl, shared by the dashboard's files: dashboard.cpp (create, install, sessions),
// pages.cpp (login, logout, the page shell), overview.cpp, records.cpp (a record, the report,
// receptions), record_lists.cpp (the paged lists), identity_search.cpp and office_api.cpp (actions,
// identity readings, receptions, imports).
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "core/calendar.h"
#include "core/reference_data.h"
#include "district/dashboard/dashboard.h"
#include "district/office/denouncer_readers.h"
#include "district/office/officers.h"
#include "district/office/reference_import.h"
#include "district/store/district_store.h"
#include "district/store/reader_pool.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace kiosk::district {

// What a record list shows (record_lists.cpp); every field empty or unset: all records.
struct RecordFilter {
    std::vector<std::string> communes;  // the chosen commune and the units it holds
    std::string status;                 // a status slug
    std::string kind;                   // "petition" | "dossier"
    std::string petitionKind;           // "khieu-nai" …
    std::string code;                   // a prefix of the receipt or official code
    bool overdue = false;               // the clock runs and the due date has passed
    std::optional<int> dueSoonDays;     // not overdue, due within this many working days
    std::vector<std::string> ids;       // only these codes (a search's matches); empty: any
    std::string assignedTo;             // only the records given to this officer
};

// One page of a record list, and how many records the whole list holds.
struct RecordPage {
    nlohmann::json rows;
    int64_t total = 0;
    int64_t page = 1;
    int64_t perPage = 50;
};

struct Dashboard::Impl {
    using json = nlohmann::json;
    static constexpr int64_t kMaxPerPage = 200;
    static constexpr int64_t kOverviewRows = 20;  // rows of each overview list; the rest on /records

    DashboardOptions options;
    std::string loginTemplate;  // login.html and app.html as read, before the words are filled in
    std::string appTemplate;
    // A file the pages load (/assets/...), read once at start.
    struct StaticFile {
        std::string type;  // Content-Type
        std::string body;
        std::string etag;  // "\"<BLAKE2b-128 of body, hex>\"": a new version of the file, a new tag
    };
    std::map<std::string, StaticFile> files;  // url -> file

    // The pages with the deployment's words filled in ({{unit.top}}, {{desk}} …), and the words for
    // /dash/api/session: deploymentWords() of the reference in force, made again when it changes.
    struct PageWords {
        Strings::WordMap words;
        std::string loginPage;
        std::string appPage;
    };
    // The assets with the imports stored, followed while the server runs (a units import by
    // `district-server import` shows at the next request, words and lists alike).
    std::unique_ptr<ImportedReference> imported;  // set by create
    std::mutex referenceMutex;
    std::shared_ptr<const ReferenceData> reference;  // the one `pageWords` was made from
    std::shared_ptr<const PageWords> pageWords;

    std::unique_ptr<ReaderPool> readers;  // set by create
    // The roles the data names competent to read a denouncer's identity (set by create, then read only).
    std::vector<DenouncerReaderRole> denouncerReaders;

    // The password verifications running now, at most options.maxVerifications.
    std::mutex verifyMutex;
    std::condition_variable verifyFreed;
    int verifying = 0;

    // [SECTION] session
    Result<ReaderPool::Lease> store();
    std::shared_ptr<const ReferenceData> ref();
    std::shared_ptr<const PageWords> words();
    // A list row's "kind_name": the petition's kind ("Khiếu nại", "Tố cáo" …) or "Hồ sơ thủ tục".
    static std::string kindName(RecordKind kind, const std::string& petitionKind);
    std::string communeName(const std::string& code);
    // The roles that may read a denouncer's identity today (denouncer_readers.h).
    std::set<std::string> denouncerRolesToday() const;
    // The live session of the request, or nullopt (res untouched).
    std::optional<Session> session(const httplib::Request& req);
    // The client's address and whether it came over HTTPS, proxies taken into account.
    ClientView client(const httplib::Request& req) const;
    // Secure when the request came over HTTPS.
    std::string cookieAttributes(const httplib::Request& req, int64_t maxAgeSeconds) const;
    void writeLog(const std::string& line) const;
    // For /dash/api/: the session, or a 401 answer.
    std::optional<Session> apiSession(const httplib::Request& req, httplib::Response& res);
    // For state-changing requests: the session and its CSRF token, or a 401/403 answer.
    std::optional<Session> actionSession(const httplib::Request& req, httplib::Response& res);

    // [SECTION] pages (pages.cpp)
    void servePage(const httplib::Request& req, httplib::Response& res);
    // The login form; `token` is the form's token to keep (a failed login keeps the one it was sent
    // with, so every failure is answered with the same bytes), "" for a new one.
    void serveLogin(const httplib::Request& req, httplib::Response& res, const std::string& message = "",
                    const std::string& token = "");
    void login(const httplib::Request& req, httplib::Response& res);
    // Waits for one of the verification slots, up to options.verificationWaitMs; false when none
    // came free. A true answer must be paired with releaseVerification().
    bool acquireVerification();
    void releaseVerification();
    // 429 with Retry-After: the id or the address must wait `waitMs` before the next attempt.
    void tooSoon(const httplib::Request& req, httplib::Response& res, int64_t waitMs,
                 const std::string& token);
    void logout(const httplib::Request& req, httplib::Response& res);

    // [SECTION] api: read (overview.cpp, records.cpp)
    void overview(const httplib::Request& req, httplib::Response& res);
    Result<std::map<std::string, std::pair<int64_t, int64_t>>> openCounts(store::Database& db,
                                                                          const Date& today);
    json fleet(const std::vector<KioskInfo>& kiosks,
               std::map<std::string, std::pair<int64_t, int64_t>>& counts, int64_t now, int& flagged);
    // A record list's row: columns code, official code, kind, commune, status, due, in that order.
    static RecordSummary summaryFromRow(const store::Statement& st, const Date& today);
    json recordRow(const RecordSummary& r, const Date& today);
    void records(const httplib::Request& req, httplib::Response& res);
    // [SECTION] record lists (record_lists.cpp)
    Result<RecordPage> recordPage(store::Database& db, const RecordFilter& filter, const Date& today,
                                  int64_t page, int64_t perPage);
    // A procedure's name from the reference data; its id when the catalog does not know it.
    std::string procedureName(const std::string& id);
    std::optional<std::pair<int64_t, int64_t>> paging(const httplib::Request& req, httplib::Response& res,
                                                      int64_t perPageDefault);
    static json pageJson(const RecordPage& p);
    json recordJson(DistrictStore& store, const Record& r, const Session& session, bool revealed);
    void record(const httplib::Request& req, httplib::Response& res);
    std::optional<std::pair<Date, Date>> period(const httplib::Request& req, httplib::Response& res);
    enum class ReportFormat { Json, Csv, Xlsx, Pdf };
    void report(const httplib::Request& req, httplib::Response& res, ReportFormat format);
    void receptions(const httplib::Request& req, httplib::Response& res);

    // [SECTION] api: write (office_api.cpp)
    std::optional<json> jsonBody(const httplib::Request& req, httplib::Response& res);
    void act(const httplib::Request& req, httplib::Response& res);
    // The one path by which an identity is read at the district: the role is checked, the reading
    // recorded, and only then is the record's seal opened (with the district's key file) — in memory,
    // for this answer only; nothing opened is written to the database or the log.
    void revealIdentity(const httplib::Request& req, httplib::Response& res);
    // Records by the citizen's name, phone or số định danh, over seals opened in memory; a reading
    // for the role checks and the log (identity_search.cpp, docs/security.md).
    void identitySearch(const httplib::Request& req, httplib::Response& res);
    // Admins: who read which identity, when (the newest first).
    void identityReadsApi(const httplib::Request& req, httplib::Response& res);
    void addReception(const httplib::Request& req, httplib::Response& res);
    // A petition received on paper at the server (intake_api.cpp).
    void addIntake(const httplib::Request& req, httplib::Response& res);
    void import(const httplib::Request& req, httplib::Response& res);

    // [SECTION] admin (admin_api.cpp): administrators only, every change logged (officer_log.h)
    // The session of an administrator (a change: with its CSRF token), or a 401/403 answer.
    std::optional<Session> adminSession(const httplib::Request& req, httplib::Response& res, bool change);
    void adminKiosks(const httplib::Request& req, httplib::Response& res);
    // what: "enroll" (the token answered this once), "revoke", "name".
    void adminKioskChange(const httplib::Request& req, httplib::Response& res, const std::string& what);
    void adminOfficers(const httplib::Request& req, httplib::Response& res);
    // what: "add", "disable", "reset".
    void adminOfficerChange(const httplib::Request& req, httplib::Response& res, const std::string& what);
    void adminLog(const httplib::Request& req, httplib::Response& res);
    // Gives a record to an officer (admins and leaders; logged as "record.assign").
    void assign(const httplib::Request& req, httplib::Response& res);
};

}  // namespace kiosk::district
