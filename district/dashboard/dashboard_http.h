#pragma once
// The dashboard's small HTTP helpers: HTML and URL escaping, cookies, forms, the security headers
// every answer carries, JSON answers and errors, and labels shared by its pages and API.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "core/calendar.h"
#include "core/event.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace kiosk::district::dash {

using json = nlohmann::json;

inline constexpr const char* kSessionCookie = "ds_session";
inline constexpr const char* kLoginCookie = "ds_login";

int64_t nowMs();
Date todayLocal();
std::string htmlEscape(std::string_view text);
std::string replaceAll(std::string text, const std::string& from, const std::string& to);
// The value of one cookie of the request, or "".
std::string cookie(const httplib::Request& req, std::string_view name);
int hexValue(char c);
std::string urlDecode(std::string_view text);
std::map<std::string, std::string> parseForm(std::string_view body);
std::string urlEncode(std::string_view text);
// Only a path of this site may follow a login (no "//host" or "http:").
std::string safeNext(const std::string& next);
void securityHeaders(httplib::Response& res);
void sendJson(httplib::Response& res, int status, const json& body);
void sendError(httplib::Response& res, int status, const Error& e);
json optionalInt(const std::optional<int64_t>& v);
std::string actionLabel(Action a);
void sendError(httplib::Response& res, int status, const std::string& code, const std::string& vi,
               const std::string& en);

}  // namespace kiosk::district::dash
