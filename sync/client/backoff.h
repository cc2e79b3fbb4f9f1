#pragma once
// Backoff: how long the sync engine waits after a failed exchange (docs/sync-rules.md rule 4).
// Exponential backoff with full jitter: after the n-th failure in a row the delay is uniform in
// [0, min(cap, base * 2^n)], so a district server coming back up is not hit by all 18 kiosks in the
// same second; a Retry-After from the server (429/503) is the floor. reset() after a success.
// Also the batch size policy: halve after a failure, double back after a success (rule 10).
// Plain values, no clock and no sleeping; one instance per engine, not thread-safe.
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace kiosk::client {

class Backoff {
public:
    using Millis = std::chrono::milliseconds;
    // Retry-After beyond this is treated as this (a confused server must not park a kiosk for days).
    static constexpr Millis kRetryAfterCeiling = std::chrono::hours(1);

    Backoff(Millis base, Millis cap, uint64_t seed);

    // The wait before the next attempt, counting one more failure.
    Millis nextDelay(std::optional<Millis> retryAfter = std::nullopt);
    void reset() { m_failures = 0; }
    int failures() const { return m_failures; }
    // The upper bound the next delay will be drawn under (without Retry-After).
    Millis currentCeiling() const;

private:
    Millis m_base;
    Millis m_cap;
    int m_failures = 0;
    std::mt19937_64 m_random;
};

class BatchSizer {
public:
    BatchSizer(int smallest, int largest) : m_smallest(smallest), m_largest(largest), m_size(largest) {}
    int size() const { return m_size; }
    void failed() { m_size = m_size / 2 < m_smallest ? m_smallest : m_size / 2; }
    void succeeded() { m_size = m_size * 2 > m_largest ? m_largest : m_size * 2; }

private:
    int m_smallest;
    int m_largest;
    int m_size;
};

}  // namespace kiosk::client
