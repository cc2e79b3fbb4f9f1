#pragma once
// A throwaway CA and a server certificate for 127.0.0.1 signed by it, made with the openssl command
// at test time as if it were a year ago, so what it signs is valid from then on (as deployments
// issue certificates). Needs /usr/bin/openssl and /usr/bin/faketime; callers check kOpenssl and
// kFaketime first and skip (exit 77) without them.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"

namespace testing_support {

inline constexpr const char* kOpenssl = "/usr/bin/openssl";
inline constexpr const char* kFaketime = "/usr/bin/faketime";
inline constexpr const char* kEnv = "/usr/bin/env";

inline void opensslYearAgo(const std::vector<std::string>& args) {
    std::vector<std::string> full{"FAKETIME_DONT_FAKE_MONOTONIC=1", kFaketime, "-f", "-365d", kOpenssl};
    full.insert(full.end(), args.begin(), args.end());
    auto r = runProgram(kEnv, full);
    INFO("openssl " << nlohmann::json(args).dump() << ": " << r.err);
    REQUIRE(r.exitCode == 0);
}

// prefix + "ca.pem", "ca.key", "server.pem", "server.key" in dir.
inline void makeCertificates(const TempDir& dir, const std::string& prefix) {
    const auto f = [&](const std::string& name) { return dir.file(prefix + name); };
    opensslYearAgo({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f("ca.key"), "-out",
                    f("ca.pem"), "-days", "3650", "-subj", "/CN=" + prefix + "Ham Yen test CA"});
    opensslYearAgo({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", f("server.key"), "-out",
                    f("server.csr"), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
    opensslYearAgo({"x509", "-req", "-in", f("server.csr"), "-CA", f("ca.pem"), "-CAkey", f("ca.key"),
                    "-CAcreateserial", "-out", f("server.pem"), "-days", "3650", "-copy_extensions", "copy"});
}

}  // namespace testing_support
