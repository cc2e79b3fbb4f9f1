#include "district/dashboard/client_address.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace kiosk::district {

namespace {

struct Parsed {
    int family = 0;
    std::array<unsigned char, 16> bytes{};
};

std::string trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return std::string(text);
}

// An IPv4 or IPv6 address; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address, as
// a dual-stack socket reports an IPv4 client.
bool parseAddress(const std::string& text, Parsed& out) {
    if (text.empty() || text.size() > 64) return false;
    if (inet_pton(AF_INET, text.c_str(), out.bytes.data()) == 1) {
        out.family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text.c_str(), out.bytes.data()) != 1) return false;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(mapped, mapped + 12, out.bytes.begin())) {
        std::copy(out.bytes.begin() + 12, out.bytes.end(), out.bytes.begin());
        out.family = AF_INET;
        return true;
    }
    out.family = AF_INET6;
    return true;
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& specs) {
    TrustedProxies out;
    for (const std::string& spec : specs) {
        const size_t slash = spec.find('/');
        Parsed address;
        bool ok = parseAddress(spec.substr(0, slash), address);
        Network network{address.family, address.bytes, address.family == AF_INET ? 32 : 128};
        if (ok && slash != std::string::npos) {
            const std::string bits = spec.substr(slash + 1);
            char* end = nullptr;
            const long n = std::strtol(bits.c_str(), &end, 10);
            ok = !bits.empty() && *end == '\0' && n >= 0 && n <= network.prefixBits;
            network.prefixBits = int(n);
        }
        if (!ok)
            return makeError("args.trusted-proxy",
                             "--trusted-proxy nhận một địa chỉ IP hoặc một dải CIDR (ví dụ 10.0.0.5 hoặc "
                             "10.0.0.0/8), không nhận “" +
                                 spec + "”.",
                             "--trusted-proxy takes an IP address or a CIDR network (e.g. 10.0.0.5 or "
                             "10.0.0.0/8), not \"" +
                                 spec + "\".");
        out.m_networks.push_back(network);
    }
    return out;
}

bool TrustedProxies::trusts(std::string_view address) const {
    Parsed parsed;
    if (m_networks.empty() || !parseAddress(std::string(address), parsed)) return false;
    for (const Network& n : m_networks) {
        if (n.family != parsed.family) continue;
        const int full = n.prefixBits / 8;
        const int rest = n.prefixBits % 8;
        if (!std::equal(n.bytes.begin(), n.bytes.begin() + full, parsed.bytes.begin())) continue;
        const unsigned char mask = static_cast<unsigned char>(0xff00 >> rest);
        if (rest == 0 || (n.bytes[size_t(full)] & mask) == (parsed.bytes[size_t(full)] & mask)) return true;
    }
    return false;
}

ClientView clientView(const httplib::Request& req, const TrustedProxies& proxies, bool tls) {
    ClientView view{req.remote_addr, tls};
    if (!proxies.trusts(req.remote_addr)) return view;
    // Each proxy appends the address it was reached from: walking from the right, the first address
    // no trusted proxy owns is the client's.
    const std::string forwarded = req.get_header_value("X-Forwarded-For");
    size_t end = forwarded.size();
    while (end > 0) {
        const size_t comma = forwarded.rfind(',', end - 1);
        const size_t start = comma == std::string::npos ? 0 : comma + 1;
        const std::string hop = trim(std::string_view(forwarded).substr(start, end - start));
        Parsed parsed;
        if (!parseAddress(hop, parsed)) break;
        view.address = hop;
        if (!proxies.trusts(hop)) break;
        if (comma == std::string::npos) break;
        end = comma;
    }
    if (!tls) {
        const std::string proto = req.get_header_value("X-Forwarded-Proto");
        view.https = startsWithIgnoringCase(trim(proto.substr(0, proto.find(','))), "https") &&
                     trim(proto.substr(0, proto.find(','))).size() == 5;
    }
    return view;
}

}  // namespace kiosk::district
