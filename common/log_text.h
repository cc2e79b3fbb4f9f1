#pragma once
// Text a client chose (a path, a login id) written into a log line. Pure; any thread.
#include <string>
#include <string_view>

namespace kiosk::common {

// `text` as one field of one line: control characters, DEL, backslash and space written as \xHH,
// so a decoded %0A cannot start a forged line and a field never splits in two.
std::string escapeForLog(std::string_view text);

}  // namespace kiosk::common
