#pragma once
// A dashboard session for tests that read the dashboard's JSON API as an officer would: the login
// form's CSRF token, the form posted, the session cookie kept. Test code only.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <regex>
#include <string>

namespace testing_support {

// The Cookie header of a fresh session of `user` (REQUIREs a successful login).
inline httplib::Headers dashboardSession(httplib::Client& c, const std::string& user,
                                         const std::string& password) {
    auto page = c.Get("/login");
    REQUIRE(page);
    std::smatch m;
    REQUIRE(std::regex_search(page->body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")));
    const std::string token = m[1];
    auto res = c.Post("/login", {{"Cookie", "ds_login=" + token}},
                      "csrf=" + token + "&next=%2F&username=" + user + "&password=" + password,
                      "application/x-www-form-urlencoded");
    REQUIRE(res);
    REQUIRE(res->status == 303);
    std::string session;
    for (const auto& [key, value] : res->headers)
        if (key == "Set-Cookie" && value.rfind("ds_session=", 0) == 0)
            session = value.substr(11, value.find(';') - 11);
    REQUIRE(!session.empty());
    return {{"Cookie", "ds_session=" + session}};
}

}  // namespace testing_support
