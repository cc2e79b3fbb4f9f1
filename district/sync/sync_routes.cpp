#include "district/sync/sync_routes.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/calendar.h"
#include "core/event.h"
#include "core/holdings.h"
#include "core/officer_signature.h"
#include "district/office/keys.h"
#include "district/sync/held_back.h"
#include "sync/protocol/kiosk_version.h"
#include "sync/protocol/messages.h"

// [SECTION] index
//   request context   currentRequest
//   answers           api::sendJson, sendError, sendStorageError
//   auth              bearerToken, authenticate, the pushers known from memory
//   routes            push, pull, whoami

namespace kiosk::district {

// [SECTION] request context

RequestContext& currentRequest() {
    thread_local RequestContext request;
    return request;
}

// [SECTION] answers

namespace api {

void sendJson(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    // Exactly "application/json": cpp-httplib gzips a response only for the content types it knows.
    res.set_content(body, "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& code, const std::string& en,
               const std::string& vi, std::optional<int64_t> ackedSeq) {
    sendJson(res, status, protocol::encodeError(protocol::ErrorBody{code, en, vi, ackedSeq}));
}

void sendError(httplib::Response& res, int status, const Error& error) {
    sendJson(res, status, protocol::encodeError(error));
}

void sendStorageError(httplib::Response& res, const Error& error) {
    res.set_header("Retry-After", "5");
    sendError(res, 503, "storage", error.en, error.vi);
}

}  // namespace api

using api::sendError;
using api::sendJson;
using api::sendStorageError;

// [SECTION] auth

namespace {

// The token of "Authorization: Bearer <token>", or "" when absent or malformed.
std::string bearerToken(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    if (header.size() < 8) return {};
    std::string scheme = header.substr(0, 7);
    for (char& c : scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "bearer ") return {};
    size_t begin = 7;
    while (begin < header.size() && header[begin] == ' ') ++begin;
    size_t end = header.size();
    while (end > begin && header[end - 1] == ' ') --end;
    std::string token = header.substr(begin, end - begin);
    if (token.empty() || token.size() > 256) return {};
    for (char c : token)
        if (c <= ' ' || c > '~') return {};
    return token;
}

}  // namespace

SyncRoutes::SyncRoutes(std::string dbPath, PushCommitter& committer, SyncLimits limits)
    : m_readers(std::move(dbPath)), m_committer(committer), m_limits(limits) {}

bool SyncRoutes::authenticate(const httplib::Request& req, httplib::Response& res) {
    const std::string token = bearerToken(req);
    if (token.empty()) {
        sendError(res, 401, "unauthorized", "A bearer token is required.",
                  "Cần mã xác thực (Authorization: Bearer).");
        return false;
    }
    const bool push = req.method == "POST" && req.path == "/api/v1/push";
    const std::string hash = push ? tokenHash(token) : std::string();
    if (push) {
        if (auto known = knownPusher(hash)) {
            currentRequest().kiosk = std::move(*known);
            return true;
        }
    }
    auto reader = m_readers.lease();
    if (!reader) {
        sendStorageError(res, reader.error());
        return false;
    }
    auto found = (*reader)->findByToken(token);
    if (!found) {
        sendStorageError(res, found.error());
        return false;
    }
    if (!*found) {
        sendError(res, 401, "unauthorized", "Unknown token.", "Mã xác thực không đúng.");
        return false;
    }
    currentRequest().kiosk = **found;
    if ((*found)->revoked) {
        sendError(res, 403, "revoked", "This kiosk's access has been revoked.",
                  "Máy kiosk này đã bị thu hồi quyền đồng bộ.");
        return false;
    }
    if (push) rememberPusher(hash, **found);
    return true;
}

std::optional<KioskIdentity> SyncRoutes::knownPusher(const std::string& hash) {
    std::lock_guard lock(m_pushersMutex);
    auto it = m_pushers.find(hash);
    if (it == m_pushers.end()) return std::nullopt;
    return it->second;
}

void SyncRoutes::rememberPusher(const std::string& hash, const KioskIdentity& kiosk) {
    std::lock_guard lock(m_pushersMutex);
    if (m_pushers.size() >= kMaxPushers) m_pushers.clear();
    m_pushers.emplace(hash, kiosk);
}

void SyncRoutes::forgetPusher(const std::string& kioskId) {
    std::lock_guard lock(m_pushersMutex);
    for (auto it = m_pushers.begin(); it != m_pushers.end();)
        it = it->second.kioskId == kioskId ? m_pushers.erase(it) : std::next(it);
}

// [SECTION] routes

void SyncRoutes::install(httplib::Server& http) {
    http.Post("/api/v1/push",
              [this](const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& contentReader) { push(req, res, contentReader); });
    http.Get("/api/v1/pull", [this](const httplib::Request& req, httplib::Response& res) { pull(req, res); });
    http.Get("/api/v1/whoami",
             [this](const httplib::Request& req, httplib::Response& res) { whoami(req, res); });
}

void SyncRoutes::push(const httplib::Request& req, httplib::Response& res,
                      const httplib::ContentReader& contentReader) {
    if (!authenticate(req, res)) {
        // Drained unread (up to a bound, so a compressed body cannot keep us inflating).
        httplib::Response refusal = res;
        size_t drained = 0;
        contentReader([&](const char*, size_t length) {
            drained += length;
            return drained <= m_limits.maxInflatedBytes;
        });
        res = refusal;
        return;
    }
    const KioskIdentity kiosk = *currentRequest().kiosk;
    auto body = readPushBody(req, res, contentReader);
    if (!body) return;
    auto request = protocol::decodePushRequest(*body);
    if (!request) return sendError(res, 400, request.error());
    if (!request->kioskId.empty() && request->kioskId != kiosk.kioskId)
        return sendError(
            res, 403, "kiosk-mismatch",
            "The push names kiosk \"" + request->kioskId + "\" but the token is " + kiosk.kioskId + "'s.",
            "Yêu cầu ghi máy “" + request->kioskId + "” nhưng mã xác thực thuộc máy " + kiosk.kioskId + ".");
    // The kiosk's version: its heartbeat's, else its User-Agent's (kept for the dashboard's row).
    const std::string version = protocol::kioskVersionOf(req.get_header_value("User-Agent"));
    if (request->heartbeat && request->heartbeat->appVersion.empty())
        request->heartbeat->appVersion = version;
    // Below the minimum by what it says, or by what it sends: a commune officer's action with no
    // signature at all is a kiosk from before signatures (0.1.0, which says "0.1.0" like 0.3.0).
    const bool unsignedAction =
        std::any_of(request->events.begin(), request->events.end(), [](const auto& e) {
            return e.event && e.event->actor.role == Role::CommuneOfficer &&
                   !e.event->payload.contains(kOfficerKeyField);
        });
    const bool tooOld = unsignedAction || protocol::reportedTooOld(
                                              request->heartbeat ? request->heartbeat->appVersion : version);
    auto answer = m_committer.push(kiosk, std::move(*request), currentRequest().arrivalMs);
    if (answer && tooOld) answer->response.tooOld = protocol::kioskTooOld();
    answerPush(res, kiosk, answer);
}

std::optional<std::string> SyncRoutes::readPushBody(const httplib::Request& req, httplib::Response& res,
                                                    const httplib::ContentReader& contentReader) {
    // cpp-httplib inflates a gzip body before handing it over: cap what it produces, so a small
    // compressed body cannot expand without limit.
    const std::string encoding = req.get_header_value("Content-Encoding");
    const bool compressed = !encoding.empty() && encoding != "identity";
    const size_t cap = compressed ? m_limits.maxInflatedBytes : m_limits.maxBodyBytes;
    std::string body;
    bool tooLarge = false;
    const bool read = contentReader([&](const char* data, size_t length) {
        if (body.size() + length > cap) {
            tooLarge = true;
            return false;
        }
        body.append(data, length);
        return true;
    });
    if (read && !tooLarge) return body;
    res.set_header("Connection", "close");
    if (tooLarge || res.status == 413) {
        const std::string limit = std::to_string(tooLarge ? cap : m_limits.maxBodyBytes);
        sendError(res, 413, "payload-too-large",
                  "The body is larger than " + limit + " bytes" + (tooLarge ? " once decompressed." : "."),
                  "Dữ liệu gửi lên vượt quá " + limit + " byte" + (tooLarge ? " sau khi giải nén." : "."));
    } else if (res.status == 415) {
        sendError(res, 415, "unsupported-encoding", "Unsupported Content-Encoding.",
                  "Kiểu nén dữ liệu không được hỗ trợ.");
    } else {
        sendError(res, 400, "bad-body", "The body could not be read (corrupt or truncated gzip?).",
                  "Không đọc được dữ liệu gửi lên (dữ liệu nén hỏng hoặc thiếu?).");
    }
    return std::nullopt;
}

void SyncRoutes::answerPush(httplib::Response& res, const KioskIdentity& kiosk,
                            const Result<PushAnswer>& answer) {
    if (!answer) {
        const Error& e = answer.error();
        if (e.code == "kiosk.revoked") {
            forgetPusher(kiosk.kioskId);
            return sendError(res, 403, "revoked", e.en, e.vi);
        }
        if (e.code == "internal") return sendError(res, 500, e);
        // Overload, shutdown, storage trouble: transient, the kiosk resends the same batch.
        res.set_header("Retry-After", e.code == "overloaded" ? "2" : "5");
        return sendError(res, 503, e.code == "overloaded" || e.code == "stopping" ? e.code : "storage", e.en,
                         e.vi);
    }
    if (!answer->sequenceOk)
        return sendError(res, 409, "sequence-reused",
                         "Sequence numbers at or below " + std::to_string(answer->ackedSeq) +
                             " were already used by other events: renumber from " +
                             std::to_string(answer->ackedSeq + 1) + ".",
                         "Số thứ tự sự kiện đến " + std::to_string(answer->ackedSeq) +
                             " đã được dùng: hãy đánh số lại từ " + std::to_string(answer->ackedSeq + 1) +
                             ".",
                         answer->ackedSeq);
    sendJson(res, 200, protocol::encodePushResponse(answer->response));
}

void SyncRoutes::pull(const httplib::Request& req, httplib::Response& res) {
    if (!authenticate(req, res)) return;
    const KioskIdentity kiosk = *currentRequest().kiosk;
    auto param = [&](const char* name) -> std::optional<std::string> {
        if (!req.has_param(name)) return std::nullopt;
        return req.get_param_value(name);
    };
    auto query = protocol::decodePullQuery(param("since"), param("limit"));
    if (!query) return sendError(res, 400, query.error());
    const auto cursor = protocol::decodeCursor(query->since);
    auto reader = m_readers.lease();
    if (!reader) return sendStorageError(res, reader.error());
    // An import stored since the last request (by `district-server import` too) counts now.
    m_committer.followImports(**reader);
    const CommuneHoldings holdings = holdingsToday(kiosk);
    // A kiosk is served only the event kinds its release reads (held_back.h), by the version its
    // User-Agent names; what it missed comes once it says a newer one.
    const int kindsRead = protocol::kindsReadBy(protocol::kioskVersionOf(req.get_header_value("User-Agent")));
    const protocol::Cursor from = pullFrom(*cursor, kindsRead);
    auto page = (*reader)->pull(kiosk, from, query->limit, &holdings);
    if (!page) return sendStorageError(res, page.error());
    holdBackUnreadable(*page, from, kindsRead);
    m_committer.touch(kiosk.kioskId, currentRequest().arrivalMs);
    if (page->reset)
        return sendError(res, 410, "reset", "This cursor cannot be served any more: start again from \"0\".",
                         "Không thể tiếp tục từ vị trí này: hãy tải lại từ đầu (\"0\").");
    sendJson(res, 200,
             protocol::encodePullResponse(page->changes, page->next, page->more, int64_t(wallClockMillis()),
                                          kiosk.kioskId, kiosk.commune));
}

CommuneHoldings SyncRoutes::holdingsToday(const KioskIdentity& kiosk) const {
    return communeHoldings(m_committer.rules()->units, kiosk.commune,
                           localFromUnix(int64_t(wallClockMillis() / 1000)).date);
}

void SyncRoutes::whoami(const httplib::Request& req, httplib::Response& res) {
    if (!authenticate(req, res)) return;
    const KioskIdentity kiosk = *currentRequest().kiosk;
    auto reader = m_readers.lease();
    if (!reader) return sendStorageError(res, reader.error());
    auto acked = (*reader)->ackedSeq(kiosk.kioskId);
    if (!acked) return sendStorageError(res, acked.error());
    // From now on this kiosk knows its slot: 00 codes it prints later are not its own (push_judgement).
    m_committer.touch(kiosk.kioskId, currentRequest().arrivalMs, kiosk.slot.has_value());
    // The district's current public key (keys.h) rides along, bare for kiosks from before the
    // signed key and signed by the district's identity (district_key), so a kiosk set up without
    // --district-key learns it, and a kiosk that pinned the identity accepts a rotated key.
    protocol::WhoAmI answer{kiosk.kioskId, kiosk.commune, *acked, int64_t(wallClockMillis()), kiosk.slot};
    // A kiosk whose commune was succeeded is told who owns its records now, so it can say it should
    // be moved there; the holdings say whose records its feed brings.
    m_committer.followImports(**reader);
    const CommuneHoldings holdings = holdingsToday(kiosk);
    if (holdings.owner != kiosk.commune) {
        const auto rules = m_committer.rules();
        const UnitMap& units = rules->units;
        const AdminUnit* owner = units.find(holdings.owner, localFromUnix(answer.serverTimeMs / 1000).date);
        if (!owner) owner = units.latest(holdings.owner);
        answer.successorCode = holdings.owner;
        answer.successorName = owner ? owner->name : std::string();
    }
    if (!holdings.fingerprint.empty()) answer.holdings = holdings.communes;
    if (protocol::reportedTooOld(protocol::kioskVersionOf(req.get_header_value("User-Agent"))))
        answer.tooOld = protocol::kioskTooOld();
    auto who = nlohmann::json::parse(protocol::encodeWhoAmI(answer));
    const std::string districtKey = districtPublicKey(**reader);
    if (!districtKey.empty()) who["district_public_key"] = districtKey;
    if (const std::string signedKey = districtKeyString(**reader); !signedKey.empty())
        who["district_key"] = signedKey;
    sendJson(res, 200, who.dump());
}

}  // namespace kiosk::district
