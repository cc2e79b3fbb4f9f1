// TLS in front: the nginx configuration the project ships (packaging/nginx/commune-district.conf) run
// by Debian's nginx on 127.0.0.1 with a throwaway CA, in front of a real district-server started
// with --trusted-proxy 127.0.0.1. Kiosks push and pull through it over HTTPS; the dashboard's
// cookies are Secure and HSTS is sent even when a client claims plain HTTP; a client cannot choose
// the address the server logs; a body over 1 MiB is stopped by nginx; a connection that sends
// nothing is cut after the header deadline. Only the lines the file marks TEST-SUBSTITUTED are
// rewritten (ports, certificate paths). Needs nginx, openssl and faketime (Debian packages);
// without them the test exits 77 (skipped).
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "build_paths.h"
#include "tests/support/beside_database.h"
#include "tests/support/dashboard_session.h"
#include "tests/support/e2e_support.h"
#include "tests/support/raw_socket.h"
#include "tests/support/test_certificates.h"

using namespace e2e;
using testing_support::TempDir;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";
constexpr const char* kCommune = "02374";

// A port nothing listens on now (the kernel's pick; nginx binds it a moment later).
int freePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    close(fd);
    return ntohs(a.sin_port);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The shipped site file with its TEST-SUBSTITUTED lines pointed at this test's ports and files.
// Every marked line must be recognised: a changed file fails here instead of testing something else.
std::string siteConfig(const TempDir& dir, int nginxPort, int districtPort) {
    std::istringstream shipped(
        readFile(std::string(KIOSK_SOURCE_DIR) + "/packaging/nginx/commune-district.conf"));
    std::string out, line;
    int substituted = 0;
    const std::vector<std::pair<std::regex, std::string>> rules{
        {std::regex(R"(server 127\.0\.0\.1:\d+;)"), "server 127.0.0.1:" + std::to_string(districtPort) + ";"},
        {std::regex(R"(listen 443 ssl;)"), "listen 127.0.0.1:" + std::to_string(nginxPort) + " ssl;"},
        {std::regex(R"(ssl_certificate\s+\S+;)"), "ssl_certificate " + dir.file("server.pem") + ";"},
        {std::regex(R"(ssl_certificate_key\s+\S+;)"), "ssl_certificate_key " + dir.file("server.key") + ";"},
    };
    while (std::getline(shipped, line)) {
        const bool comment = line.find_first_not_of(' ') == line.find('#');
        if (!comment && line.find("TEST-SUBSTITUTED") != std::string::npos) {
            bool matched = false;
            for (const auto& [pattern, replacement] : rules) {
                if (!std::regex_search(line, pattern)) continue;
                line = std::regex_replace(line, pattern, replacement);
                matched = true;
                break;
            }
            INFO("a TEST-SUBSTITUTED line this test does not know: " << line);
            REQUIRE(matched);
            ++substituted;
        }
        out += line + "\n";
    }
    REQUIRE(substituted == 4);
    return out;
}

// Debian's nginx serving the site file from dir, in the foreground, logs and temporary files in dir.
Child startNginx(const TempDir& dir, const std::string& site) {
    std::ofstream(dir.file("site.conf")) << site;
    std::ostringstream main;
    main << "worker_processes 1;\n"
         << "pid " << dir.file("nginx.pid") << ";\n"
         << "error_log " << dir.file("nginx-error.log") << " info;\n"
         << (geteuid() == 0 ? "user root root;\n" : "")  // workers read this test's private directory
         << "events { worker_connections 256; }\n"
         << "http {\n  access_log " << dir.file("nginx-access.log") << ";\n";
    for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
        main << "  " << temp << "_temp_path " << dir.file(std::string("nginx-") + temp) << ";\n";
    main << "  include " << dir.file("site.conf") << ";\n}\n";
    std::ofstream(dir.file("nginx.conf")) << main.str();
    return Child(kNginx,
                 {"-p", dir.path().string() + "/", "-e", dir.file("nginx-error.log"), "-c",
                  dir.file("nginx.conf"), "-g", "daemon off;"},
                 dir.file("nginx-stderr.log"));
}

std::string setCookie(const httplib::Result& res) {
    for (const auto& [key, value] : res->headers)
        if (key == "Set-Cookie") return value;
    return {};
}

// An HTTPS client of the proxy that trusts the test CA.
void trustTestCa(httplib::SSLClient& c, const TempDir& dir) {
    c.set_ca_cert_path(dir.file("ca.pem").c_str());
    c.enable_server_certificate_verification(true);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(30, 0);
}

}  // namespace

TEST_CASE(
    "e2e tls proxy: kiosks sync through the shipped nginx front, cookies are Secure, slow clients cut") {
    if (access(kNginx, X_OK) != 0 || access(testing_support::kOpenssl, X_OK) != 0 ||
        access(testing_support::kFaketime, X_OK) != 0) {
        WARN("nginx, openssl or faketime missing (apt install nginx openssl faketime): skipped");
        std::exit(77);
    }
    TempDir dir;
    testing_support::makeCertificates(dir, "");
    const std::string districtDb = dir.file("district.db");
    const Enrolled pusher = enroll(districtDb, kCommune);
    const Enrolled puller = enroll(districtDb, kCommune);
    DistrictProcess district(districtDb, {"--trusted-proxy", "127.0.0.1"});
    district.start();
    const int port = freePort();
    Child nginx = startNginx(dir, siteConfig(dir, port, district.port()));
    REQUIRE(testing_support::waitUntil(
        [&] {
            const int fd = testing_support::connectLoopback(port);
            if (fd >= 0) close(fd);
            return fd >= 0;
        },
        std::chrono::seconds(20)));
    INFO("nginx said: " << readFile(dir.file("nginx-error.log")));

    // A client that connects and sends nothing: nginx must cut it after client_header_timeout (10 s).
    // Opened first so its deadline runs while the rest of the test does.
    const auto silentSince = std::chrono::steady_clock::now();
    const int silent = testing_support::connectLoopback(port);
    REQUIRE(silent >= 0);

    // Kiosks push and pull through the proxy, verifying its certificate against the test CA.
    const std::string url = "https://127.0.0.1:" + std::to_string(port);
    const KioskCli first{dir.file("first.db"), {}};
    const KioskCli second{dir.file("second.db"), {}};
    first.ok({"init", "--commune", kCommune, "--server", url, "--token", pusher.token, "--slot", pusher.slot,
              "--ca", dir.file("ca.pem")});
    second.ok({"init", "--commune", kCommune, "--server", url, "--token", puller.token, "--slot", puller.slot,
               "--ca", dir.file("ca.pem")});
    const std::string code = first.submit("Đường vào thôn Khuôn Khoai bị sạt lở.");
    first.ok({"sync", "--once", "--timeout", "60"});
    second.ok({"sync", "--once", "--timeout", "60"});
    const auto records = districtRecords(districtDb);
    REQUIRE(records.size() == 1);
    CHECK(records[0]["code"] == code);
    CHECK(second.json({"list"}).size() == 1);
    CHECK(first.json({"sync", "--state"})["events_waiting"] == 0);

    // A browser that claims plain HTTP and another address: nginx overwrites both, so the cookie is
    // Secure, HSTS is sent, and the server's log names the proxy's peer, not the claimed address.
    httplib::SSLClient browser("127.0.0.1", port);
    trustTestCa(browser, dir);
    auto page = browser.Get("/login", {{"X-Forwarded-Proto", "http"}, {"X-Forwarded-For", "203.0.113.9"}});
    REQUIRE(page);
    REQUIRE(page->status == 200);
    CHECK(setCookie(page).find("; Secure") != std::string::npos);
    CHECK(page->has_header("Strict-Transport-Security"));
    auto login = testing_support::postDashboardLogin(browser, testing_support::loginFormToken(page->body),
                                                     "nobody", "wrong", {{"X-Forwarded-For", "203.0.113.9"}});
    REQUIRE(login);
    const std::string log = readFile(testing_support::besideDatabase(districtDb, ".log"));
    CHECK(log.find("login failed for id nobody from 127.0.0.1") != std::string::npos);
    CHECK(log.find("203.0.113.9") == std::string::npos);

    // A body over the server's 1 MiB never reaches it: nginx answers 413 itself.
    auto big = browser.Post("/api/v1/push", {{"Authorization", "Bearer " + pusher.token}},
                            std::string(2 * 1024 * 1024, 'x'), "application/json");
    REQUIRE(big);
    CHECK(big->status == 413);
    CHECK(big->body.find("nginx") != std::string::npos);

    // The silent client is gone, and not before the header deadline.
    CHECK(testing_support::closedByServer(silent, std::chrono::seconds(20)));
    const auto waited = std::chrono::steady_clock::now() - silentSince;
    CHECK(waited >= std::chrono::seconds(9));
    close(silent);
    nginx.stop(SIGTERM);
}
