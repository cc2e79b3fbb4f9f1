#pragma once
// The kiosk program's command line and optional settings file:
//   kiosk [--db FILE] [--config FILE] [--windowed] [--size WxH] [--lang vi|en]
//         [--screenshot FILE [--exit-after-screenshot]] [--help]
// The settings file (default $XDG_CONFIG_HOME/commune-kiosk/kiosk.conf, optional; --config names
// one that must exist) has "key = value" lines, # comments: idle_seconds, countdown_seconds,
// language (vi|en), input_method (telex|vni), tone_style (old|new). Command-line flags win over the
// file; an officer's choice of input method in the console (kept in the database) wins over both.
// Pure parsing, no window; main thread.
#include <optional>
#include <string>
#include <vector>

#include "core/composer.h"
#include "common/result.h"

namespace kiosk::app {

struct AppOptions {
    std::string dbPath;           // default: defaultDbPath()
    std::string configPath;       // "" = the default file if it exists
    bool configRequired = false;  // --config given: a missing file is an error
    bool windowed = false;        // a normal, closable window (development); default fullscreen kiosk
    int width = 0;                // --size; 0 = the display's (fullscreen) or 1280x720 (windowed)
    int height = 0;
    std::optional<Lang> lang;
    std::string screenshotPath;  // save the first settled frame as PNG
    bool exitAfterScreenshot = false;
    bool help = false;
    double idleSeconds = 90;
    double countdownSeconds = 15;
    ComposerOptions input;  // Telex, old tone style by default
};

// $XDG_DATA_HOME/commune-kiosk/kiosk.db (or ~/.local/share/...).
std::string defaultDbPath();
// $XDG_CONFIG_HOME/commune-kiosk/kiosk.conf (or ~/.config/...).
std::string defaultConfigPath();

// Parses argv[1..] with common/args.h; the Error says which argument is wrong (an unknown option is
// named), in both languages.
Result<AppOptions> parseArguments(const std::vector<std::string>& args);
// Reads the settings file into options (flags given on the command line are re-applied by the
// caller after this). A missing file is fine unless required.
Outcome readConfigFile(const std::string& path, bool required, AppOptions& options);

std::string usage(Lang lang);

}  // namespace kiosk::app
