#include "sync/protocol/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace kiosk::protocol {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // +16: gzip header and trailer instead of zlib's

Error badGzip() {
    return makeError("bad-gzip", "Dữ liệu nén gzip bị hỏng.", "The gzip data is corrupt or truncated.");
}

}  // namespace

std::string gzipCompress(std::string_view data, int level) {
    z_stream stream{};
    if (deflateInit2(&stream, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out;
    out.resize(deflateBound(&stream, uLong(data.size())) + 32);
    // zlib's counters are uInt: feed and drain in pieces so bodies over 4 GB would still work.
    size_t consumed = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        const size_t chunk = std::min<size_t>(data.size() - consumed, UINT_MAX / 2);
        stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
        stream.avail_in = uInt(chunk);
        const bool last = consumed + chunk == data.size();
        if (stream.total_out >= out.size()) out.resize(out.size() * 2);
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + stream.total_out);
        stream.avail_out = uInt(std::min<size_t>(out.size() - stream.total_out, UINT_MAX / 2));
        rc = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
        if (rc == Z_STREAM_ERROR) {
            deflateEnd(&stream);
            return {};
        }
        consumed += chunk - stream.avail_in;
    }
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

Result<std::string> gzipDecompress(std::string_view data, size_t maxOutput) {
    if (data.size() > UINT_MAX / 2) return badGzip();
    z_stream stream{};
    if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) return badGzip();
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = uInt(data.size());
    std::string out;
    char buffer[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        rc = inflate(&stream, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&stream);
            return badGzip();  // Z_BUF_ERROR here means the input ended early
        }
        const size_t produced = sizeof buffer - stream.avail_out;
        if (out.size() + produced > maxOutput) {
            inflateEnd(&stream);
            return makeError("too-large", "Dữ liệu sau khi giải nén quá lớn.",
                             "The body is too large once decompressed.");
        }
        out.append(buffer, produced);
        if (rc == Z_OK && produced == 0 && stream.avail_in == 0) {
            inflateEnd(&stream);
            return badGzip();
        }
    }
    const bool trailing = stream.avail_in != 0;
    inflateEnd(&stream);
    if (trailing) return badGzip();
    return out;
}

bool looksGzipped(std::string_view data) {
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
           static_cast<unsigned char>(data[1]) == 0x8b;
}

}  // namespace kiosk::protocol
