// Runs a fuzz target's entry function once on each file of the directories (or files) given, in
// name order: the normal build's stand-in for libFuzzer, so ctest replays every seed and every input
// that once crashed without clang. A missing directory is skipped (regressions/<target> exists only
// once something was found), but finding no input at all fails: a replay of nothing proves nothing.
// Exits 0 when every input ran; a violated property aborts inside the target.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const fs::path path(argv[i]);
        std::error_code error;
        if (fs::is_regular_file(path, error)) {
            inputs.push_back(path);
        } else if (fs::is_directory(path, error)) {
            for (const auto& entry : fs::directory_iterator(path)) {
                const std::string name = entry.path().filename().string();
                if (entry.is_regular_file() && !name.starts_with(".")) inputs.push_back(entry.path());
            }
        } else {
            std::printf("skipping %s: not there\n", path.c_str());
        }
    }
    std::sort(inputs.begin(), inputs.end());
    if (inputs.empty()) {
        std::fprintf(stderr, "no inputs to replay\n");
        return 1;
    }
    for (const fs::path& path : inputs) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            std::fprintf(stderr, "cannot read %s\n", path.c_str());
            return 1;
        }
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::printf("%s (%zu bytes)\n", path.c_str(), bytes.size());
        std::fflush(stdout);  // so the last name printed is the input that aborted
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("replayed %zu inputs\n", inputs.size());
    return 0;
}
