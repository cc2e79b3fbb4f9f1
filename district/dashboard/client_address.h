#pragma once
// Who is asking, as far as the dashboard can believe it: the client's address (for the login's
// per-address slowdown and its log line) and whether the browser reached the server over HTTPS (for
// Secure cookies and Strict-Transport-Security).
//
// Behind a TLS-terminating proxy the peer of every connection is the proxy, and the client is named
// only in X-Forwarded-For / X-Forwarded-Proto — headers anyone can send. They are believed only
// from a peer in the trusted proxies (`district-server serve --trusted-proxy ADDR`, repeatable: an
// IPv4 or IPv6 address, or a network in CIDR notation); from anyone else they are ignored.
// It is not: the listener's own TLS (district_server.h), which counts as HTTPS whatever the headers.
// Callers: the dashboard's handlers and the server's post-routing handler, on the worker threads;
// a TrustedProxies is read-only once parsed.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace httplib {
struct Request;
}

namespace kiosk::district {

class TrustedProxies {
public:
    // "192.0.2.1", "10.0.0.0/8", "2001:db8::1", "fd00::/8". Error "args.trusted-proxy" naming the
    // first that is none of these (a host name is refused: it would be looked up at every request).
    static Result<TrustedProxies> parse(const std::vector<std::string>& specs);
    bool trusts(std::string_view address) const;
    bool empty() const { return m_networks.empty(); }

private:
    struct Network {
        int family = 0;  // AF_INET or AF_INET6
        std::array<unsigned char, 16> bytes{};
        int prefixBits = 0;
    };
    std::vector<Network> m_networks;
};

struct ClientView {
    std::string address;  // the client's IP address as text ("" when the socket gave none)
    bool https = false;   // the browser's connection is TLS (ours, or the trusted proxy's)
};

// The peer's address and the listener's TLS, unless the peer is a trusted proxy: then the nearest
// address of X-Forwarded-For that is not itself a trusted proxy, and X-Forwarded-Proto's first
// value. An X-Forwarded-For entry that is not an IP address ends the walk (the peer's view stays).
ClientView clientView(const httplib::Request& req, const TrustedProxies& proxies, bool tls);

}  // namespace kiosk::district
