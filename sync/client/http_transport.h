#pragma once
// HttpTransport: one libcurl easy handle that speaks to the district server for the sync engine.
//
// It is: GET and gzip-compressed JSON POST with the bearer token, responses decompressed by curl
// (CURLOPT_ACCEPT_ENCODING ""), a connect timeout plus stall detection (LOW_SPEED_LIMIT/TIME) and
// never a total timeout (docs/sync-rules.md rule 12: a slow but healthy upload must finish), TLS verified
// against the kiosk's own CA file when one is configured (that file only), and a cancel hook
// polled during transfers so stop() and --once deadlines are prompt. Failures come back as values
// classified for the retry policy (TransportFailure).
// It is not: the protocol (wire.h) or the retry policy (sync_engine.h). HTTP status codes are
// answers, not failures: a 503 is a reply with status 503.
// Threads: one instance per thread (the sync thread, or kioskctl's main thread). curl_global_init
// is done once, thread-safely, by the first instance.
#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/result.h"

namespace kiosk::client {

struct TransportOptions {
    std::string baseUrl;  // "https://host:port" or "http://...", no trailing slash
    std::string token;    // bearer token from enrollment
    std::string caFile;   // "" = the system's CAs; else this file only
    long connectTimeoutSeconds = 10;
    long lowSpeedBytesPerSecond = 10;  // slower than this ...
    long lowSpeedSeconds = 30;         // ... for this long counts as a stalled link
    std::string userAgent = "commune-kiosk-sync/1";
    // The most an answer may hold once curl has inflated it. A pull page of 1000 changes carries no
    // seal and no content (a few hundred bytes a change; a catalog import is the largest change),
    // so 16 MiB leaves a wide margin; past it the transfer is aborted (TooLarge), so a hostile or
    // broken server cannot fill the kiosk's memory with a gzip bomb.
    size_t maxResponseBytes = 16u << 20;
};

// Why an exchange produced no HTTP answer.
enum class TransportFailure {
    Unreachable,  // no connection: refused, no route, name not found, connect timed out
    Stalled,      // connected, then nothing moved for lowSpeedSeconds
    Broken,       // connection reset or closed mid-answer, or an answer we could not decode
    Tls,          // the server's certificate did not verify (wrong CA, wrong name, expired)
    Cancelled,    // the cancel hook asked to stop
    TooLarge,     // the answer passed maxResponseBytes (after decompression); the transfer was cut
    Local,        // our side: out of memory, bad URL, curl misuse
};

struct HttpReply {
    long status = 0;
    std::string body;                          // already decompressed
    std::optional<int64_t> retryAfterSeconds;  // Retry-After, seconds or HTTP date, when given
    std::optional<int64_t> serverDateMs;       // the Date header (second precision)
    int64_t sentAtMs = 0;                      // local wall clock when the request started
    int64_t receivedAtMs = 0;                  // local wall clock when the answer was complete
};

struct HttpExchange {
    std::optional<HttpReply> reply;                      // set when the server answered
    TransportFailure failure = TransportFailure::Local;  // otherwise
    std::string detail;                                  // curl's words, for logs and "last error"
    bool ok() const { return reply.has_value(); }
};

class HttpTransport {
public:
    explicit HttpTransport(TransportOptions options);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // Polled several times a second during a transfer; returning true aborts it (Cancelled).
    void setCancel(std::function<bool()> cancel) { m_cancel = std::move(cancel); }
    const TransportOptions& options() const { return m_options; }

    // pathAndQuery starts with "/". `authorize` adds the bearer token (every /api/ call).
    HttpExchange get(const std::string& pathAndQuery, bool authorize = true);
    // Sends json gzip-compressed (Content-Encoding: gzip).
    HttpExchange postJson(const std::string& path, const std::string& json);
    // Closes the kept-alive connection, if any; the next exchange connects again. TLS sessions are
    // kept (a share object outlives the handle), so that reconnect may resume instead of a full
    // handshake. The sync engine calls it when a pass ends: the district's cpp-httplib 0.11 holds a
    // worker thread on each idle connection, waking it about 90 times a second until its
    // keep-alive timeout (docs/sync-protocol.md).
    void disconnect();

private:
    HttpExchange perform(const std::string& pathAndQuery, const std::string* gzBody, bool authorize);
    static int onProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
    static size_t onBody(char* data, size_t size, size_t count, void* sink);
    static size_t onHeader(char* data, size_t size, size_t count, void* out);

    TransportOptions m_options;
    CURLSH* m_share = nullptr;  // TLS sessions and DNS, kept across disconnect()
    CURL* m_curl = nullptr;
    std::function<bool()> m_cancel;
};

// Words for people: what a transport failure means, in both languages.
Error describeFailure(const HttpExchange& exchange);

}  // namespace kiosk::client
