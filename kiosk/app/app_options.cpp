#include "kiosk/app/app_options.h"

#include "common/paths.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/args.h"

namespace kiosk::app {
namespace {

std::string trim(const std::string& s) {
    const size_t a = s.find_first_not_of(" \t\r");
    if (a == std::string::npos) return "";
    const size_t b = s.find_last_not_of(" \t\r");
    return s.substr(a, b - a + 1);
}

std::optional<double> parseSeconds(const std::string& s) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0' || !(v >= 5) || v > 3600) return std::nullopt;
    return v;
}

std::optional<Lang> parseLang(const std::string& s) {
    if (s == "vi") return Lang::Vi;
    if (s == "en") return Lang::En;
    return std::nullopt;
}

// "1920x1080" -> {1920, 1080}; nullopt when not WxH within 320x240 .. 16384x16384.
std::optional<std::pair<int, int>> parseSize(const std::string& text) {
    int w = 0, h = 0;
    char x = 0;
    std::istringstream in(text);
    if (!(in >> w >> x >> h) || (x != 'x' && x != 'X') || w < 320 || h < 240 || w > 16384 || h > 16384 ||
        !in.eof())
        return std::nullopt;
    return std::pair{w, h};
}

Error bad(const std::string& vi, const std::string& en) { return makeError("kiosk.args", vi, en); }

}  // namespace

std::string defaultDbPath() { return common::userDataFile("kiosk.db"); }
std::string defaultConfigPath() { return common::userConfigFile("kiosk.conf"); }

Result<AppOptions> parseArguments(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"kiosk"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    const common::OptionSpec spec{{"db", "config", "size", "lang", "screenshot"},
                                  {"windowed", "exit-after-screenshot"},
                                  /*command=*/false};
    auto parsed = common::parseArguments(int(argv.size()), argv.data(), spec);
    if (!parsed) return parsed.error();
    if (!parsed->positional.empty()) {
        const std::string& a = parsed->positional.front();
        return bad("Không hiểu tham số “" + a + "”. Xem kiosk --help.",
                   "Unknown argument “" + a + "”. See kiosk --help.");
    }
    AppOptions o;
    o.help = parsed->has("help");
    o.windowed = parsed->has("windowed");
    o.exitAfterScreenshot = parsed->has("exit-after-screenshot");
    o.dbPath = parsed->get("db").value_or(defaultDbPath());
    o.configPath = defaultConfigPath();
    if (auto config = parsed->get("config")) {
        o.configPath = *config;
        o.configRequired = true;
    }
    o.screenshotPath = parsed->get("screenshot").value_or("");
    if (auto lang = parsed->get("lang")) {
        o.lang = parseLang(*lang);
        if (!o.lang) return bad("--lang phải là vi hoặc en.", "--lang must be vi or en.");
    }
    if (auto size = parsed->get("size")) {
        auto wh = parseSize(*size);
        if (!wh)
            return bad("--size phải có dạng RỘNGxCAO, ví dụ 1920x1080.",
                       "--size must be WxH, e.g. 1920x1080.");
        o.width = wh->first;
        o.height = wh->second;
    }
    if (o.exitAfterScreenshot && o.screenshotPath.empty())
        return bad("--exit-after-screenshot cần --screenshot TỆP.",
                   "--exit-after-screenshot needs --screenshot FILE.");
    return o;
}

Outcome readConfigFile(const std::string& path, bool required, AppOptions& o) {
    std::ifstream in(path);
    if (!in) {
        if (!required) return {};
        return bad("Không đọc được tệp cấu hình " + path + ".",
                   "Cannot read the settings file " + path + ".");
    }
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        const size_t eq = line.find('=');
        const std::string where = path + ":" + std::to_string(number);
        if (eq == std::string::npos)
            return bad(where + ": cần dạng khóa = giá trị.", where + ": expected key = value.");
        const std::string key = trim(line.substr(0, eq));
        const std::string value = trim(line.substr(eq + 1));
        bool ok = true;
        if (key == "idle_seconds") {
            auto s = parseSeconds(value);
            ok = s.has_value();
            if (s) o.idleSeconds = *s;
        } else if (key == "countdown_seconds") {
            auto s = parseSeconds(value);
            ok = s.has_value();
            if (s) o.countdownSeconds = *s;
        } else if (key == "language") {
            auto l = parseLang(value);
            ok = l.has_value();
            if (l && !o.lang) o.lang = l;
        } else if (key == "input_method") {
            auto m = parseInputMethod(value);
            ok = m.has_value();
            if (m) o.input.method = *m;
        } else if (key == "tone_style") {
            auto s = parseToneStyle(value);
            ok = s.has_value();
            if (s) o.input.toneStyle = *s;
        } else {
            return bad(where + ": không có khóa “" + key + "”.", where + ": unknown key “" + key + "”.");
        }
        if (!ok)
            return bad(where + ": giá trị “" + value + "” không hợp lệ cho " + key + ".",
                       where + ": “" + value + "” is not a valid " + key + ".");
    }
    return {};
}

std::string usage(Lang lang) {
    if (lang == Lang::En)
        return "Usage: kiosk [--db FILE] [--config FILE] [--windowed] [--size WxH] [--lang vi|en]\n"
               "             [--screenshot FILE [--exit-after-screenshot]] [--help]\n"
               "The citizens' touchscreen kiosk. Fullscreen by default; an officer exits from the officer "
               "console.\n"
               "  --db FILE       the kiosk database (default " +
               defaultDbPath() +
               ", made by kioskctl init)\n"
               "  --config FILE   settings file (default " +
               defaultConfigPath() +
               " if present):\n"
               "                  idle_seconds, countdown_seconds, language, input_method, tone_style\n"
               "  --windowed      a normal window that can be closed (development)\n"
               "  --size WxH      window size (default: the display's)\n"
               "  --lang vi|en    language the kiosk starts and resets to (default vi)\n"
               "  --screenshot F  save the first settled frame as a PNG file\n"
               "  --exit-after-screenshot  then exit\n";
    return "Cách dùng: kiosk [--db TỆP] [--config TỆP] [--windowed] [--size RỘNGxCAO] [--lang vi|en]\n"
           "                 [--screenshot TỆP [--exit-after-screenshot]] [--help]\n"
           "Máy tiếp nhận cảm ứng cho người dân. Mặc định toàn màn hình; cán bộ thoát từ bàn làm việc của "
           "cán bộ.\n"
           "  --db TỆP        cơ sở dữ liệu của máy (mặc định " +
           defaultDbPath() +
           ", tạo bằng kioskctl init)\n"
           "  --config TỆP    tệp cấu hình (mặc định " +
           defaultConfigPath() +
           " nếu có):\n"
           "                  idle_seconds, countdown_seconds, language, input_method, tone_style\n"
           "  --windowed      cửa sổ thường, đóng được (khi phát triển)\n"
           "  --size RxC      kích thước cửa sổ (mặc định: theo màn hình)\n"
           "  --lang vi|en    ngôn ngữ khi khởi động và khi trở về (mặc định vi)\n"
           "  --screenshot T  lưu khung hình đầu tiên đã ổn định thành tệp PNG\n"
           "  --exit-after-screenshot  rồi thoát\n";
}

}  // namespace kiosk::app
