// kioskctl telex: the on-screen keyboard's composer without a window. One keystroke sequence per
// standard-input line; one composed line out per line in.
#include <iostream>
#include <string>

#include "kiosk/cli/cli.h"
#include "core/composer.h"

namespace kiosk::cli {

int cmdTelex(Context& ctx) {
    ComposerOptions options;
    if (auto method = ctx.args.get("method")) {
        auto parsed = parseInputMethod(*method);
        if (!parsed) return ctx.fail("--method phải là telex hoặc vni.", "--method must be telex or vni.");
        options.method = *parsed;
    }
    if (auto style = ctx.args.get("style")) {
        auto parsed = parseToneStyle(*style);
        if (!parsed) return ctx.fail("--style phải là old hoặc new.", "--style must be old or new.");
        options.toneStyle = *parsed;
    }
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::cout << composeKeys(line, options) << "\n";
    }
    return kOk;
}

}  // namespace kiosk::cli
