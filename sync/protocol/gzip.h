#pragma once
// gzip for request and response bodies (docs/sync-rules.md rule 11), on zlib. The decompressor has a hard cap
// on its output so a small hostile body cannot expand into gigabytes (a "zip bomb"): it stops and
// reports "too-large" as soon as the cap is passed. Pure functions, any thread.
// Callers: the sync client (compresses pushes, may inflate responses) and tests; the district
// server's HTTP library inflates requests itself, and the server caps that output the same way.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kiosk::protocol {

// A request body may be at most this big on the wire, compressed or not (413 beyond).
constexpr size_t kMaxBodyBytes = 1024 * 1024;
// ... and at most this big once inflated.
constexpr size_t kMaxInflatedBytes = 8 * 1024 * 1024;

// A complete gzip member (RFC 1952) of data. level: zlib's 1 (fast) .. 9 (small).
std::string gzipCompress(std::string_view data, int level = 6);

// Inflates one gzip member. Error codes: "too-large" (output passed maxOutput), "bad-gzip"
// (corrupt, truncated, or bytes after the end of the member).
Result<std::string> gzipDecompress(std::string_view data, size_t maxOutput = kMaxInflatedBytes);

// The gzip magic number (1f 8b) starts data.
bool looksGzipped(std::string_view data);

}  // namespace kiosk::protocol
