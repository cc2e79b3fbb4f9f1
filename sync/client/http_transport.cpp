#include "sync/client/http_transport.h"

#include <cctype>
#include <mutex>

#include "common/shared_library.h"
#include "core/event.h"
#include "sync/protocol/gzip.h"

namespace kiosk::client {
namespace {

// libcurl is loaded by the first transport made (the kiosk's sync thread, after its first frame),
// not at the program's start (common/shared_library.h): each function this file calls is a pointer
// of the same name.
// clang-format off
#define KIOSK_CURL_FUNCTIONS(X)                                                                    \
    X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init) X(curl_easy_perform)               \
    X(curl_easy_reset) X(curl_easy_setopt) X(curl_easy_strerror) X(curl_getdate)                   \
    X(curl_global_init) X(curl_share_cleanup) X(curl_share_init) X(curl_share_setopt)              \
    X(curl_slist_append) X(curl_slist_free_all)
// clang-format on
KIOSK_CURL_FUNCTIONS(KIOSK_LIBRARY_POINTER)

// Loads libcurl and initialises it, once for the process.
Outcome loadCurl() {
    static common::LoadOnce once;
    return once([]() -> Outcome {
        auto loaded = common::loadSharedLibrary("libcurl.so.4", {KIOSK_CURL_FUNCTIONS(KIOSK_LIBRARY_SYMBOL)});
        if (loaded) curl_global_init(CURL_GLOBAL_DEFAULT);
        return loaded;
    });
}

// Where onBody writes: the answer so far and how much it may grow.
struct BodySink {
    std::string text;
    size_t limit = 0;
    bool overflowed = false;
};

struct HeaderState {
    std::optional<int64_t> retryAfterSeconds;
    std::optional<int64_t> serverDateMs;
};

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    size_t start = 0;
    while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
    return s.substr(start);
}

bool startsWithNoCase(const std::string& line, const char* prefix) {
    for (size_t i = 0; prefix[i]; ++i) {
        if (i >= line.size()) return false;
        if (std::tolower(static_cast<unsigned char>(line[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    }
    return true;
}

}  // namespace

HttpTransport::HttpTransport(TransportOptions options) : m_options(std::move(options)) {
    if (!loadCurl()) return;  // no handle: every exchange answers why
    m_share = curl_share_init();
    if (m_share) {
        curl_share_setopt(m_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        curl_share_setopt(m_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    }
    m_curl = curl_easy_init();
}

HttpTransport::~HttpTransport() {
    if (m_curl) curl_easy_cleanup(m_curl);  // before the share it uses
    if (m_share) curl_share_cleanup(m_share);
}

void HttpTransport::disconnect() {
    // An easy handle's connection cache goes with it; there is no call that only empties it.
    if (!loadCurl()) return;
    if (m_curl) curl_easy_cleanup(m_curl);
    m_curl = curl_easy_init();
}

int HttpTransport::onProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* transport = static_cast<HttpTransport*>(self);
    return transport->m_cancel && transport->m_cancel() ? 1 : 0;
}

// Called with what curl has already inflated, so the cap counts decompressed bytes. Returning less
// than given makes curl abort with CURLE_WRITE_ERROR.
size_t HttpTransport::onBody(char* data, size_t size, size_t count, void* sink) {
    auto* body = static_cast<BodySink*>(sink);
    if (size * count > body->limit - body->text.size()) {
        body->overflowed = true;
        return 0;
    }
    body->text.append(data, size * count);
    return size * count;
}

size_t HttpTransport::onHeader(char* data, size_t size, size_t count, void* out) {
    auto* state = static_cast<HeaderState*>(out);
    const std::string line(data, size * count);
    if (startsWithNoCase(line, "HTTP/")) {
        *state = HeaderState{};  // a new response (after a redirect or 100 Continue)
    } else if (startsWithNoCase(line, "Date:")) {
        const std::string value = trim(line.substr(5));
        const time_t t = curl_getdate(value.c_str(), nullptr);
        if (t > 0) state->serverDateMs = int64_t(t) * 1000;
    } else if (startsWithNoCase(line, "Retry-After:")) {
        const std::string value = trim(line.substr(12));
        if (!value.empty() && std::isdigit(static_cast<unsigned char>(value[0]))) {
            state->retryAfterSeconds = std::strtoll(value.c_str(), nullptr, 10);
        } else {
            const time_t t = curl_getdate(value.c_str(), nullptr);
            if (t > 0) state->retryAfterSeconds = std::max<int64_t>(0, int64_t(t) - int64_t(time(nullptr)));
        }
    }
    return size * count;
}

HttpExchange HttpTransport::get(const std::string& pathAndQuery, bool authorize) {
    return perform(pathAndQuery, nullptr, authorize);
}

HttpExchange HttpTransport::postJson(const std::string& path, const std::string& json) {
    const std::string body = protocol::gzipCompress(json);
    if (body.empty()) {
        HttpExchange failed;
        failed.failure = TransportFailure::Local;
        failed.detail = "gzip failed";
        return failed;
    }
    return perform(path, &body, true);
}

HttpExchange HttpTransport::perform(const std::string& pathAndQuery, const std::string* gzBody,
                                    bool authorize) {
    HttpExchange result;
    if (!m_curl) {
        const Outcome loaded = loadCurl();
        result.detail = loaded ? "curl_easy_init failed" : loaded.error().en;
        return result;
    }
    CURL* c = m_curl;
    curl_easy_reset(c);  // keeps the connection cache: keep-alive survives between calls
    if (m_share) curl_easy_setopt(c, CURLOPT_SHARE, m_share);
    const std::string url = m_options.baseUrl + pathAndQuery;
    BodySink body;
    body.limit = m_options.maxResponseBytes;
    HeaderState headers;
    char errorBuffer[CURL_ERROR_SIZE] = {};

    curl_slist* list = nullptr;
    list = curl_slist_append(list, "Accept: application/json");
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
    if (authorize) list = curl_slist_append(list, ("Authorization: Bearer " + m_options.token).c_str());
    if (gzBody) {
        list = curl_slist_append(list, "Content-Type: application/json");
        list = curl_slist_append(list, "Content-Encoding: gzip");
    }

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_USERAGENT, m_options.userAgent.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    // gzip only: offered brotli, cpp-httplib compresses every pull page with it at its default
    // quality, which took three quarters of a 100,000-change pull (docs/benchmarks.md).
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, m_options.connectTimeoutSeconds);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, m_options.lowSpeedBytesPerSecond);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, m_options.lowSpeedSeconds);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 0L);  // on purpose: stalls are detected, slowness is not
    curl_easy_setopt(c, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_options.caFile.empty()) {
        curl_easy_setopt(c, CURLOPT_CAINFO, m_options.caFile.c_str());
        curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);  // that file only, not the system's directory
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &HttpTransport::onBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &HttpTransport::onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &headers);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &HttpTransport::onProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, this);
    if (gzBody) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, gzBody->data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(gzBody->size()));
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }

    const int64_t sentAt = int64_t(wallClockMillis());
    const CURLcode rc = curl_easy_perform(c);
    const int64_t receivedAt = int64_t(wallClockMillis());
    curl_slist_free_all(list);

    if (rc == CURLE_OK) {
        HttpReply reply;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
        reply.body = std::move(body.text);
        reply.retryAfterSeconds = headers.retryAfterSeconds;
        reply.serverDateMs = headers.serverDateMs;
        reply.sentAtMs = sentAt;
        reply.receivedAtMs = receivedAt;
        result.reply = std::move(reply);
        return result;
    }
    result.detail = errorBuffer[0] ? errorBuffer : curl_easy_strerror(rc);
    if (body.overflowed) {
        result.failure = TransportFailure::TooLarge;
        result.detail = "more than " + std::to_string(body.limit) + " bytes";
        return result;
    }
    switch (rc) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
            result.failure = TransportFailure::Unreachable;
            break;
        case CURLE_OPERATION_TIMEDOUT: {
            // Before the connection was made it is a connect timeout; after, a stall.
            curl_off_t connectTime = 0;
            curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connectTime);
            result.failure = connectTime > 0 ? TransportFailure::Stalled : TransportFailure::Unreachable;
            break;
        }
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            result.failure = TransportFailure::Tls;
            break;
        case CURLE_ABORTED_BY_CALLBACK:
            result.failure = TransportFailure::Cancelled;
            break;
        case CURLE_OUT_OF_MEMORY:
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_BAD_FUNCTION_ARGUMENT:
            result.failure = TransportFailure::Local;
            break;
        default:
            // Resets, connections closed mid-answer, broken gzip, TLS torn down mid-handshake.
            result.failure = TransportFailure::Broken;
            break;
    }
    return result;
}

Error describeFailure(const HttpExchange& exchange) {
    const std::string& d = exchange.detail;
    switch (exchange.failure) {
        case TransportFailure::Unreachable:
            return makeError("net.unreachable", "Không kết nối được máy chủ (" + d + ").",
                             "Cannot reach the server (" + d + ").");
        case TransportFailure::Stalled:
            return makeError("net.stalled", "Đường truyền bị treo, không có dữ liệu (" + d + ").",
                             "The connection stalled: no data moved (" + d + ").");
        case TransportFailure::Broken:
            return makeError("net.broken", "Kết nối bị ngắt giữa chừng (" + d + ").",
                             "The connection broke off mid-exchange (" + d + ").");
        case TransportFailure::Tls:
            return makeError(
                "net.tls", "Chứng chỉ của máy chủ không hợp lệ hoặc không do CA của máy này cấp (" + d + ").",
                "The server's certificate is invalid or not signed by this kiosk's CA (" + d + ").");
        case TransportFailure::Cancelled:
            return makeError("net.cancelled", "Đã dừng đồng bộ.", "Sync was stopped.");
        case TransportFailure::TooLarge:
            return makeError("net.too-large",
                             "Máy chủ trả lời quá lớn (" + d + " sau khi giải nén); đã ngắt, sẽ thử lại sau.",
                             "The server's answer is too large (" + d +
                                 " once decompressed); cut off, "
                                 "will retry.");
        case TransportFailure::Local:
            break;
    }
    return makeError("net.local", "Lỗi nội bộ khi gửi dữ liệu (" + d + ").",
                     "Internal error while sending (" + d + ").");
}

}  // namespace kiosk::client
