#pragma once
// A dashboard session for tests that read the dashboard's JSON API as an officer would: the login
// form's CSRF token, the form posted, the session cookie kept; and the parts of that walk for tests
// that take it step by step (a proxy's headers, a wrong password). Test code only. The client is an
// httplib::Client or an httplib::SSLClient.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <string>

namespace testing_support {

// The CSRF token of a login page's form (its hidden field; the ds_login cookie carries the same).
inline std::string loginFormToken(const std::string& loginPage) {
    std::smatch m;
    REQUIRE(std::regex_search(loginPage, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")));
    return m[1];
}

// A fresh login form's token; `headers` go with the GET (a proxy's X-Forwarded-For …).
template <class HttpClient>
std::string dashboardLoginToken(HttpClient& c, const httplib::Headers& headers = {}) {
    auto page = c.Get("/login", headers);
    REQUIRE(page);
    REQUIRE(page->status == 200);
    return loginFormToken(page->body);
}

// The login form posted with `token` (its cookie and its field); `headers` are added to the cookie.
template <class HttpClient>
httplib::Result postDashboardLogin(HttpClient& c, const std::string& token, const std::string& user,
                                   const std::string& password, const httplib::Headers& headers = {}) {
    httplib::Headers all{{"Cookie", "ds_login=" + token}};
    all.insert(headers.begin(), headers.end());
    return c.Post("/login", all, "csrf=" + token + "&next=%2F&username=" + user + "&password=" + password,
                  "application/x-www-form-urlencoded");
}

// The Cookie header of a fresh session of `user` (REQUIREs a successful login).
template <class HttpClient>
httplib::Headers dashboardSession(HttpClient& c, const std::string& user, const std::string& password) {
    auto res = postDashboardLogin(c, dashboardLoginToken(c), user, password);
    REQUIRE(res);
    REQUIRE(res->status == 303);
    std::string session;
    for (const auto& [key, value] : res->headers)
        if (key == "Set-Cookie" && value.rfind("ds_session=", 0) == 0)
            session = value.substr(11, value.find(';') - 11);
    REQUIRE(!session.empty());
    return {{"Cookie", "ds_session=" + session}};
}

// dashboardSession with the session's CSRF token (X-CSRF-Token, from /dash/api/session): the
// headers every action (a POST to /dash/api/…) needs.
template <class HttpClient>
httplib::Headers dashboardActionSession(HttpClient& c, const std::string& user, const std::string& password) {
    httplib::Headers headers = dashboardSession(c, user, password);
    auto info = c.Get("/dash/api/session", headers);
    REQUIRE(info);
    REQUIRE(info->status == 200);
    const std::string body = info->body;
    headers.emplace("X-CSRF-Token", nlohmann::json::parse(body)["csrf"].get<std::string>());
    return headers;
}

}  // namespace testing_support
