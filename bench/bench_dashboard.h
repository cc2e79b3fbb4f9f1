#pragma once
// The dashboard's login for the benchmarks that load its pages (bench_district, bench_dashboard_pages):
// the login form's CSRF token, the form posted, the session cookie kept, as an officer's browser does.
#include <httplib.h>

#include <regex>
#include <string>

#include "bench/bench_util.h"

namespace bench {

// The Cookie header of a logged-in officer; dies when the login fails.
inline httplib::Headers dashboardLogIn(httplib::Client& c, const std::string& id,
                                       const std::string& password) {
    auto page = c.Get("/login");
    std::smatch m;
    if (!page || !std::regex_search(page->body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]+)\"")))
        die("login page");
    const std::string token = m[1];
    auto login = c.Post("/login", {{"Cookie", "ds_login=" + token}},
                        "csrf=" + token + "&next=%2F&username=" + id + "&password=" + password,
                        "application/x-www-form-urlencoded");
    if (!login || login->status != 303) die("login");
    for (const auto& [key, value] : login->headers)
        if (key == "Set-Cookie" && value.rfind("ds_session=", 0) == 0)
            return {{"Cookie", "ds_session=" + value.substr(11, value.find(';') - 11)}};
    die("no session cookie");
}

}  // namespace bench
