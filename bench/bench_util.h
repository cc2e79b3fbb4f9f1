#pragma once
// Shared helpers for the benchmark programs: timing, medians, and the one-JSON-object-per-line
// output that scripts/bench collects. Benchmarks are never tests: they report, they do not fail.
#include <errno.h>  // program_invocation_short_name

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

inline double nowMs() {
    using namespace std::chrono;
    return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

struct Stats {
    double median = 0, min = 0, max = 0, p99 = 0;
    size_t n = 0;
};

inline Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.n = v.size();
    s.min = v.front();
    s.max = v.back();
    s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    s.p99 = v[std::min(v.size() - 1, size_t(double(v.size()) * 0.99))];
    return s;
}

struct Peer {
    std::string name;
    double value;
};

// One metric on one line of stdout: {"name","value","min","max","unit","samples","peers":[...]}.
inline void report(const std::string& name, const Stats& s, const std::string& unit,
                   const std::vector<Peer>& peers = {}, const std::string& note = "") {
    nlohmann::json j{{"name", name}, {"value", s.median}, {"min", s.min},
                     {"max", s.max}, {"unit", unit},      {"samples", s.n}};
    nlohmann::json p = nlohmann::json::array();
    for (const Peer& peer : peers) p.push_back({{"name", peer.name}, {"value", peer.value}});
    j["peers"] = p;
    if (!note.empty()) j["note"] = note;
    std::printf("%s\n", j.dump().c_str());
    std::fflush(stdout);
}

// The value after `name` on the command line (`--records 10000`), or `fallback`.
inline std::string argValue(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == name) return argv[i + 1];
    return fallback;
}

// A benchmark that cannot set itself up says why, under its program's name, and exits 1.
[[noreturn]] inline void die(const std::string& what) {
    std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what.c_str());
    std::exit(1);
}

inline bool quickMode(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--quick") return true;
    return false;
}

}  // namespace bench
