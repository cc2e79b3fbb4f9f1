#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include "common/paths.h"

namespace {

// Sets an environment variable for the scope (unset: nullopt), restoring it after.
class EnvVar {
public:
    EnvVar(const char* name, std::optional<std::string> value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        if (value)
            ::setenv(name, value->c_str(), 1);
        else
            ::unsetenv(name);
    }
    ~EnvVar() {
        if (m_old)
            ::setenv(m_name, m_old->c_str(), 1);
        else
            ::unsetenv(m_name);
    }

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

}  // namespace

TEST_CASE("paths: the XDG directory when set, else the XDG default under HOME, else under .") {
    EnvVar home("HOME", "/home/an");
    {
        EnvVar data("XDG_DATA_HOME", "/srv/data");
        EnvVar config("XDG_CONFIG_HOME", "/srv/config");
        CHECK(kiosk::common::userDataFile("kiosk.db") == "/srv/data/commune-kiosk/kiosk.db");
        CHECK(kiosk::common::userConfigFile("kiosk.conf") == "/srv/config/commune-kiosk/kiosk.conf");
    }
    EnvVar data("XDG_DATA_HOME", "");
    EnvVar config("XDG_CONFIG_HOME", std::nullopt);
    CHECK(kiosk::common::userDataFile("district.db") == "/home/an/.local/share/commune-kiosk/district.db");
    CHECK(kiosk::common::userConfigFile("kiosk.conf") == "/home/an/.config/commune-kiosk/kiosk.conf");
    EnvVar noHome("HOME", std::nullopt);
    CHECK(kiosk::common::userDataFile("kiosk.db") == "./.local/share/commune-kiosk/kiosk.db");
}
