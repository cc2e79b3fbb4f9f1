#include "district/dashboard/dashboard_http.h"

#include <httplib.h>

#include "core/calendar.h"
#include "sync/protocol/safe_json.h"

namespace kiosk::district::dash {

int64_t nowMs() { return int64_t(wallClockMillis()); }
Date todayLocal() { return localFromUnix(nowMs() / 1000).date; }

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The value of one cookie of the request, or "".
std::string cookie(const httplib::Request& req, std::string_view name) {
    const std::string header = req.get_header_value("Cookie");
    size_t at = 0;
    while (at < header.size()) {
        size_t end = header.find(';', at);
        if (end == std::string::npos) end = header.size();
        std::string_view part(header.data() + at, end - at);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=')
            return std::string(part.substr(name.size() + 1));
        at = end + 1;
    }
    return {};
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string urlDecode(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 &&
                   hexValue(text[i + 2]) >= 0) {
            out += char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::map<std::string, std::string> parseForm(std::string_view body) {
    std::map<std::string, std::string> out;
    size_t at = 0;
    while (at <= body.size()) {
        size_t end = body.find('&', at);
        if (end == std::string_view::npos) end = body.size();
        std::string_view pair = body.substr(at, end - at);
        const size_t eq = pair.find('=');
        if (!pair.empty())
            out[urlDecode(pair.substr(0, eq))] =
                eq == std::string_view::npos ? "" : urlDecode(pair.substr(eq + 1));
        at = end + 1;
    }
    return out;
}

std::string urlEncode(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~' || c == '/') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// Only a path of this site may follow a login (no "//host" or "http:").
std::string safeNext(const std::string& next) {
    if (next.size() < 1 || next.size() > 512 || next[0] != '/' ||
        (next.size() > 1 && (next[1] == '/' || next[1] == '\\')))
        return "/";
    for (char c : next)
        if (c < 0x20 || c == 0x7f) return "/";
    return next;
}

void securityHeaders(httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                   "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "same-origin");
    res.set_header("X-Frame-Options", "DENY");
}

void sendJson(httplib::Response& res, int status, const json& body) {
    res.status = status;
    securityHeaders(res);
    res.set_header("Cache-Control", "no-store");
    res.set_content(protocol::dumpJson(body), "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& code, const std::string& vi,
               const std::string& en) {
    sendJson(res, status, {{"error", code}, {"message_vi", vi}, {"message", en}});
}

void sendError(httplib::Response& res, int status, const Error& e) {
    sendError(res, status, e.code, e.vi, e.en);
}

json optionalInt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

std::string actionLabel(Action a) {
    switch (a) {
        case Action::Submit:
            return "Gửi đơn";
        case Action::Register:
            return "Tiếp nhận hồ sơ";
        case Action::Accept:
            return "Thụ lý";
        case Action::Reject:
            return "Từ chối / không thụ lý";
        case Action::RequestInfo:
            return "Yêu cầu bổ sung";
        case Action::Resolve:
            return "Giải quyết";
        case Action::Transfer:
            return "Chuyển đến cơ quan có thẩm quyền";
        case Action::Extend:
            return "Gia hạn";
        case Action::Withdraw:
            return "Rút đơn";
        case Action::Process:
            return "Xử lý";
        case Action::Ready:
            return "Có kết quả";
        case Action::Deliver:
            return "Trả kết quả";
        case Action::Suspend:
            return "Dừng xử lý / tạm đình chỉ";
        case Action::AssignCode:
            return "Cấp mã hồ sơ";
        case Action::WithdrawPart:
            return "Rút một phần đơn";
        case Action::Resume:
            return "Tiếp tục giải quyết";
        case Action::MarkSigned:
            return "Đã ký/điểm chỉ";
    }
    return std::string(toSlug(a));
}

}  // namespace kiosk::district::dash
