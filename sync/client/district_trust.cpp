#include "sync/client/district_trust.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/meta.h"
#include "common/sealing.h"
#include "kiosk/store/kiosk_store.h"
#include "sync/protocol/district_key.h"

namespace kiosk::client {
namespace {

constexpr const char* kMetaSealing = "district_pk";
constexpr const char* kMetaIdentity = "district_identity";
constexpr const char* kMetaKeyId = "district_key_id";

std::string fingerprintOf(const std::string& base64) {
    auto key = common::publicKeyFromBase64(base64);
    return key ? common::keyFingerprint(*key) : std::string("?");
}

Error keyMismatch(const std::string& pinned, const std::string& offered, const std::string& whyVi,
                  const std::string& whyEn) {
    return makeError(
        "sync.district-key-mismatch",
        "Máy chủ này đưa khoá máy chủ " + offered + " khác khoá đã ghim " + pinned + " (" + whyVi +
            "). Đã dừng đồng bộ: không gửi gì và không niêm phong cho khoá lạ. Kiểm tra địa "
            "chỉ máy chủ, hoặc chạy lại kioskctl init --district-key với khoá máy chủ đưa.",
        "This server offers server key " + offered + ", not the pinned key " + pinned + " (" + whyEn +
            "). Sync stopped: nothing sent, nothing sealed to the unknown key. Check "
            "the server address, or run kioskctl init --district-key with the server's key.");
}

std::string jsonString(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The host part of "scheme://[user@]host[:port][/...]", brackets of an IPv6 address removed.
std::string hostOf(const std::string& url) {
    size_t start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    size_t end = url.find_first_of("/?#", start);
    std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (const size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    if (!authority.empty() && authority[0] == '[') {
        const size_t close = authority.find(']');
        return close == std::string::npos ? authority : authority.substr(1, close - 1);
    }
    return authority.substr(0, authority.find(':'));
}

bool isLoopbackHost(std::string host) {
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
    if (host == "localhost" || host == "localhost.") return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace

std::optional<DistrictPin> parseDistrictPin(const std::string& text) {
    if (auto signedKey = protocol::parseDistrictKey(text))
        return DistrictPin{signedKey->sealingBase64(), signedKey->identityBase64(), signedKey->keyId};
    if (common::publicKeyFromBase64(text)) return DistrictPin{text, "", 0};
    return std::nullopt;
}

Outcome writeDistrictPin(store::KioskStore& store, const DistrictPin& pin) {
    store::Database& db = store.database();
    store::Transaction tx(db);
    if (!tx.begun()) return tx.begun();
    if (auto ok = store::writeMeta(db, kMetaSealing, pin.sealing); !ok) return ok;
    if (auto ok = store::writeMeta(db, kMetaIdentity, pin.identity); !ok) return ok;
    if (auto ok = store::writeMeta(db, kMetaKeyId, std::to_string(pin.keyId)); !ok) return ok;
    return tx.commit();
}

Outcome acceptDistrictKey(store::KioskStore& store, const nlohmann::json& whoami) {
    store::Database& db = store.database();
    const std::string pinnedSealing = store::readMeta(db, kMetaSealing);
    const std::string pinnedIdentity = store::readMeta(db, kMetaIdentity);
    const int64_t pinnedId = store::readMetaInteger(db, kMetaKeyId).value_or(0);
    const std::string offeredText = whoami.is_object() ? jsonString(whoami, "district_key") : "";
    const std::optional<protocol::DistrictKey> offered = protocol::parseDistrictKey(offeredText);
    std::string offeredSealing = offered ? offered->sealingBase64() : std::string();
    if (!offered && whoami.is_object()) {
        offeredSealing = jsonString(whoami, "district_public_key");
        if (!common::publicKeyFromBase64(offeredSealing)) offeredSealing.clear();
    }
    if (offeredSealing.empty() || offeredSealing == pinnedSealing) return {};  // nothing new
    const std::string pinnedName = fingerprintOf(pinnedSealing), offeredName = fingerprintOf(offeredSealing);
    if (!pinnedIdentity.empty()) {
        if (!offered || offered->identityBase64() != pinnedIdentity)
            return keyMismatch(pinnedName, offeredName, "không có chữ ký của máy chủ đã ghim",
                               "not signed by the pinned server identity");
        if (offered->keyId < pinnedId)
            return keyMismatch(pinnedName, offeredName, "khoá cũ hơn khoá đã ghim",
                               "older than the pinned key");
        return writeDistrictPin(store, DistrictPin{offeredSealing, pinnedIdentity, offered->keyId});
    }
    if (!pinnedSealing.empty())
        return keyMismatch(pinnedName, offeredName, "máy chỉ ghim một khoá, không nhận khoá thay thế",
                           "this kiosk pinned one key alone and takes no replacement");
    // Nothing pinned: trust on first use.
    if (offered)
        return writeDistrictPin(store,
                                DistrictPin{offeredSealing, offered->identityBase64(), offered->keyId});
    return writeDistrictPin(store, DistrictPin{offeredSealing, "", 0});
}

bool isInsecureRemoteUrl(const std::string& url) {
    if (url.size() < 7) return false;
    std::string scheme = url.substr(0, 7);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return scheme == "http://" && !isLoopbackHost(hostOf(url));
}

std::optional<Error> refuseInsecureUrl(const std::string& url, bool insecureHttpAllowed) {
    if (insecureHttpAllowed || !isInsecureRemoteUrl(url)) return std::nullopt;
    return makeError("sync.insecure-http",
                     "Không gửi dữ liệu qua http:// không mã hoá tới " + hostOf(url) +
                         ". Dùng https:// (với --ca), hoặc chạy lại kioskctl init ... --insecure-http nếu "
                         "chấp nhận rủi ro.",
                     "Refusing unencrypted http:// to " + hostOf(url) +
                         ". Use https:// (with --ca), or run kioskctl init ... --insecure-http to accept "
                         "the risk.");
}

}  // namespace kiosk::client
