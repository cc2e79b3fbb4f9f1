#include "common/shared_library.h"

#include <dlfcn.h>

#include <string>
#include <vector>

namespace kiosk::common {

Outcome loadSharedLibrary(const char* soname, std::initializer_list<LibrarySymbol> symbols) {
    const std::string name = soname;
    auto missing = [&](const std::string& why) {
        return makeError("library.missing", "Thiếu thư viện " + name + " (" + why + "); hãy cài lại gói.",
                         "The library " + name + " is missing (" + why + "); reinstall the package.");
    };
    // RTLD_LOCAL: its symbols stay its own, so nothing loaded later looks through them.
    void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        return missing(why ? why : "dlopen");
    }
    std::vector<void*> found;
    found.reserve(symbols.size());
    for (const LibrarySymbol& s : symbols) {
        void* address = dlsym(handle, s.name);
        if (!address) {
            dlclose(handle);
            return missing(std::string("no ") + s.name);
        }
        found.push_back(address);
    }
    size_t i = 0;
    for (const LibrarySymbol& s : symbols) s.store(found[i++]);
    return {};
}

}  // namespace kiosk::common
