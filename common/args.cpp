#include "common/args.h"

#include <cstdlib>
#include <cstring>

namespace kiosk::common {

bool Arguments::has(std::string_view flag) const { return flags.count(std::string(flag)) > 0; }

std::optional<std::string> Arguments::get(std::string_view name) const {
    auto it = options.find(std::string(name));
    if (it == options.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Arguments::getAll(std::string_view name) const {
    std::vector<std::string> out;
    auto [first, last] = all.equal_range(std::string(name));
    for (auto it = first; it != last; ++it) out.push_back(it->second);
    return out;
}

Result<Arguments> parseArguments(int argc, const char* const* argv, const OptionSpec& spec) {
    Arguments parsed;
    bool optionsEnded = false;
    for (int i = 1; i < argc; ++i) {
        std::string word = argv[i];
        if (!optionsEnded && word == "--") {
            optionsEnded = true;
            continue;
        }
        const bool isOption =
            !optionsEnded && ((word.size() > 2 && word.rfind("--", 0) == 0) || word == "-h");
        if (!isOption) {
            if (spec.command && parsed.command.empty() && parsed.positional.empty())
                parsed.command = word;
            else
                parsed.positional.push_back(word);
            continue;
        }
        std::string name = word == "-h" ? "help" : word.substr(2);
        std::optional<std::string> value;
        if (const size_t eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        if (spec.values.count(name)) {
            if (!value) {
                if (i + 1 >= argc)
                    return makeError("args.value", "Thiếu giá trị cho --" + name + ".",
                                     "Missing a value for --" + name + ".");
                value = argv[++i];
            }
            parsed.options[name] = *value;
            parsed.all.emplace(name, *value);
        } else if (spec.flags.count(name) || name == "help") {
            if (value)
                return makeError("args.no-value", "Tuỳ chọn --" + name + " không nhận giá trị.",
                                 "Option --" + name + " takes no value.");
            parsed.flags.insert(name);
        } else {
            return makeError("args.unknown", "Tuỳ chọn không rõ: --" + name + ".",
                             "Unknown option: --" + name + ".");
        }
    }
    return parsed;
}

Lang languageFromCommandLine(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--lang=en") == 0) return Lang::En;
        if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc && std::strcmp(argv[i + 1], "en") == 0)
            return Lang::En;
        if (std::strcmp(argv[i], "--lang") == 0 || std::strncmp(argv[i], "--lang=", 7) == 0) return Lang::Vi;
    }
    const char* env = std::getenv("KIOSK_LANG");
    return env && std::strcmp(env, "en") == 0 ? Lang::En : Lang::Vi;
}

}  // namespace kiosk::common
