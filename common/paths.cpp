#include "common/paths.h"

#include <cstdlib>

namespace kiosk::common {
namespace {

std::string userFile(const char* xdgVariable, const char* underHome, const std::string& name) {
    std::string base;
    if (const char* xdg = std::getenv(xdgVariable); xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = std::string(home) + underHome;
    else
        base = std::string(".") + underHome;
    return base + "/commune-kiosk/" + name;
}

}  // namespace

std::string userDataFile(const std::string& name) { return userFile("XDG_DATA_HOME", "/.local/share", name); }
std::string userConfigFile(const std::string& name) { return userFile("XDG_CONFIG_HOME", "/.config", name); }

}  // namespace kiosk::common
