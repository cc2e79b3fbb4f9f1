#pragma once
// Shared helpers for the benchmark programs: timing, medians, and the one-JSON-object-per-line
// output that scripts/bench collects. Benchmarks are never tests: they report, they do not fail.
#include <algorithm>
#include <chrono>
#include <cstdio>
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

inline bool quickMode(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--quick") return true;
    return false;
}

}  // namespace bench
