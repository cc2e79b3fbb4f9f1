// HTTPS: a throwaway CA and a server certificate made with the openssl command at test time, valid
// from a year back as real deployments issue them (so a kiosk whose clock is behind still accepts
// it). A client trusting that CA connects; a client trusting another CA is refused.
// OpenSSL 3.0's "req -x509" cannot back-date a certificate; "openssl ca -startdate" can.
#include <cstdlib>
#include <ctime>
#include <fstream>

#include "tests/support/server_fixture.h"

using namespace server_test;
using testing_support::runProgram;

namespace {

const char* kOpenssl = "/usr/bin/openssl";

std::string utcStamp(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%d%H%M%SZ", &tm);
    return buffer;
}

void openssl(const std::vector<std::string>& args) {
    auto r = runProgram(kOpenssl, args);
    INFO("openssl " << args.front() << ": " << r.err);
    REQUIRE(r.exitCode == 0);
}

// Makes <dir>/<name>-ca.pem and, when withServer, <dir>/server.pem and server.key signed by it.
void makeCa(const testing_support::TempDir& dir, const std::string& name, bool withServer) {
    const std::string ca = dir.file(name + "-ca");
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out", ca + ".pem",
             "-subj", "/CN=" + name + " test CA", "-days", "3650"});
    if (!withServer) return;
    openssl({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.file("server.key"), "-out",
             dir.file("server.csr"), "-subj", "/CN=127.0.0.1"});
    const std::string db = dir.file("cadb");
    std::filesystem::create_directories(db);
    std::ofstream(db + "/index.txt").close();
    std::ofstream(db + "/serial") << "01\n";
    std::ofstream(dir.file("ca.cnf")) << "[ca]\ndefault_ca = test\n[test]\ndir = " << db
                                      << "\ndatabase = $dir/index.txt\nserial = $dir/serial\n"
                                         "new_certs_dir = $dir\ndefault_md = sha256\npolicy = anything\n"
                                         "x509_extensions = server_ext\nunique_subject = no\n"
                                         "[anything]\ncommonName = supplied\n[server_ext]\n"
                                         "basicConstraints = CA:FALSE\n"
                                         "keyUsage = digitalSignature, keyEncipherment\n"
                                         "extendedKeyUsage = serverAuth\n"
                                         "subjectAltName = IP:127.0.0.1, DNS:localhost\n";
    const std::time_t now = std::time(nullptr);
    openssl({"ca", "-batch", "-config", dir.file("ca.cnf"), "-cert", ca + ".pem", "-keyfile", ca + ".key",
             "-in", dir.file("server.csr"), "-out", dir.file("server.pem"), "-notext", "-startdate",
             utcStamp(now - 365 * 86400), "-enddate", utcStamp(now + 2 * 365 * 86400)});
}

}  // namespace

TEST_CASE("HTTPS with a certificate valid from a year back - only the right CA is trusted",
          "[server][tls][security]") {
    if (!std::filesystem::exists(kOpenssl)) {
        std::fprintf(stderr, "SKIP: %s is missing (apt-get install openssl)\n", kOpenssl);
        std::exit(77);
    }
    testing_support::TempDir certs;
    makeCa(certs, "district", true);
    makeCa(certs, "stranger", false);

    auto dates = runProgram(kOpenssl, {"x509", "-in", certs.file("server.pem"), "-noout", "-startdate"});
    REQUIRE(dates.exitCode == 0);
    INFO(dates.out);
    const std::time_t yearAgo = std::time(nullptr) - 365 * 86400;
    CHECK(dates.out.find(" " + utcStamp(yearAgo).substr(0, 4) + " GMT") != std::string::npos);

    kiosk::district::ServerOptions options;
    options.tlsCert = certs.file("server.pem");
    options.tlsKey = certs.file("server.key");
    RunningServer server(options);
    Kiosk k = server.enroll(kCommuneA);

    httplib::SSLClient trusted("127.0.0.1", server.port());
    trusted.set_ca_cert_path(certs.file("district-ca.pem").c_str());
    trusted.enable_server_certificate_verification(true);
    trusted.set_connection_timeout(5, 0);
    trusted.set_read_timeout(10, 0);
    auto who = trusted.Get("/api/v1/whoami", auth(k.token));
    REQUIRE(who);
    CHECK(who->status == 200);
    auto decoded = kiosk::protocol::decodeWhoAmI(who->body);
    REQUIRE(decoded);
    CHECK(decoded->kioskId == k.id);
    auto pushed = trusted.Post("/api/v1/push", auth(k.token),
                               pushBody(k, {submitEvent(k, 1, codeFor(k, 11001))}), "application/json");
    REQUIRE(pushed);
    CHECK(pushed->status == 200);

    httplib::SSLClient stranger("127.0.0.1", server.port());
    stranger.set_ca_cert_path(certs.file("stranger-ca.pem").c_str());
    stranger.enable_server_certificate_verification(true);
    stranger.set_connection_timeout(5, 0);
    stranger.set_read_timeout(10, 0);
    auto refused = stranger.Get("/api/v1/whoami", auth(k.token));
    CHECK_FALSE(refused);
    CHECK(refused.error() == httplib::Error::SSLServerVerification);

    // Plain HTTP to the HTTPS port gets no answer, and the server carries on.
    httplib::Client plain("127.0.0.1", server.port());
    plain.set_connection_timeout(5, 0);
    plain.set_read_timeout(5, 0);
    auto notTls = plain.Get("/healthz");
    CHECK((!notTls || notTls->status != 200));
    auto again = trusted.Get("/healthz");
    REQUIRE(again);
    CHECK(again->status == 200);

    // Served over TLS: browsers are told to stay on HTTPS, and the dashboard's cookies are Secure
    // whatever a client's X-Forwarded-Proto says.
    CHECK(again->get_header_value("Strict-Transport-Security").rfind("max-age=", 0) == 0);
    auto login = trusted.Get("/login", {{"X-Forwarded-Proto", "http"}});
    REQUIRE(login);
    REQUIRE(login->status == 200);
    CHECK(login->get_header_value("Set-Cookie").find("; Secure") != std::string::npos);
    CHECK(login->has_header("Strict-Transport-Security"));
}

TEST_CASE("a certificate or key that cannot be loaded is refused at start", "[server][tls]") {
    testing_support::TempDir dir;
    std::ofstream(dir.file("junk.pem")) << "not a certificate\n";
    kiosk::district::ServerOptions options;
    options.dbPath = dir.file("district.db");
    options.tlsCert = dir.file("junk.pem");
    options.tlsKey = dir.file("junk.pem");
    auto server = kiosk::district::DistrictServer::create(options, kiosk::DeadlineRules{});
    REQUIRE_FALSE(server);
    CHECK(server.error().code == "tls");
}

TEST_CASE("HTTPS refuses TLS 1.1 whatever the client allows - TLS 1.2 is served", "[server][tls][security]") {
    if (!std::filesystem::exists(kOpenssl)) {
        std::fprintf(stderr, "SKIP: %s is missing (apt-get install openssl)\n", kOpenssl);
        std::exit(77);
    }
    testing_support::TempDir certs;
    makeCa(certs, "district", true);
    kiosk::district::ServerOptions options;
    options.tlsCert = certs.file("server.pem");
    options.tlsKey = certs.file("server.key");
    RunningServer server(options);
    // The client at security level 0 offers what OpenSSL still knows, so only the server refuses.
    auto handshake = [&](const char* version) {
        return runProgram(kOpenssl,
                          {"s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), version,
                           "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile", certs.file("district-ca.pem")},
                          "");
    };
    const auto old = handshake("-tls1_1");
    INFO("openssl s_client -tls1_1: exit " << old.exitCode << "\n" << old.out << old.err);
    CHECK(old.exitCode != 0);
    CHECK(old.out.find("no peer certificate available") != std::string::npos);
    // Refused for its version, not for want of a cipher the library's defaults happen to allow.
    CHECK(old.err.find("alert protocol version") != std::string::npos);
    const auto current = handshake("-tls1_2");
    INFO("openssl s_client -tls1_2: exit " << current.exitCode << "\n" << current.err);
    CHECK(current.exitCode == 0);
}
