#pragma once
// Where a program keeps its files by default: $XDG_DATA_HOME (or $XDG_CONFIG_HOME) when set, else
// the XDG default under $HOME (~/.local/share, ~/.config), else the same under the current
// directory; then commune-kiosk/NAME.
#include <string>

namespace kiosk::common {

// A file under the user's data directory: $XDG_DATA_HOME/commune-kiosk/NAME.
std::string userDataFile(const std::string& name);
// A file under the user's configuration directory: $XDG_CONFIG_HOME/commune-kiosk/NAME.
std::string userConfigFile(const std::string& name);

}  // namespace kiosk::common
