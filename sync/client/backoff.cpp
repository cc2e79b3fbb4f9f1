#include "sync/client/backoff.h"

#include <algorithm>

namespace kiosk::client {

Backoff::Backoff(Millis base, Millis cap, uint64_t seed) : m_base(base), m_cap(cap), m_random(seed) {}

Backoff::Millis Backoff::currentCeiling() const {
    // base * 2^failures without overflow: stop doubling once past the cap.
    int64_t ceiling = m_base.count();
    for (int i = 0; i < m_failures && ceiling < m_cap.count(); ++i) ceiling *= 2;
    return Millis(std::min<int64_t>(ceiling, m_cap.count()));
}

Backoff::Millis Backoff::nextDelay(std::optional<Millis> retryAfter) {
    const int64_t ceiling = currentCeiling().count();
    ++m_failures;
    std::uniform_int_distribution<int64_t> pick(0, std::max<int64_t>(ceiling, 0));
    int64_t delay = pick(m_random);
    if (retryAfter) delay = std::max(delay, std::min(retryAfter->count(), kRetryAfterCeiling.count()));
    return Millis(delay);
}

}  // namespace kiosk::client
