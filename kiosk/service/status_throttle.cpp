#include "kiosk/service/status_throttle.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/store/kiosk_store.h"

namespace kiosk::app {
namespace {

// One code's entry: {"f": failures since the last lock, "n": locks so far, "until": locked until
// (unix seconds), "at": the last failure (unix seconds)}.
struct Entry {
    int failures = 0;
    int locks = 0;
    int64_t until = 0;
    int64_t at = 0;
};

Entry entryFrom(const nlohmann::json& j) {
    Entry e;
    e.failures = j.value("f", 0);
    e.locks = j.value("n", 0);
    e.until = j.value("until", int64_t(0));
    e.at = j.value("at", int64_t(0));
    return e;
}

nlohmann::json toJson(const Entry& e) {
    return {{"f", e.failures}, {"n", e.locks}, {"until", e.until}, {"at", e.at}};
}

nlohmann::json readAll(store::Database& db) {
    auto all = nlohmann::json::parse(store::readMeta(db, StatusThrottle::kMetaKey, "{}"), nullptr, false);
    return all.is_object() ? all : nlohmann::json::object();
}

ThrottleState stateOf(const Entry& e, const ThrottleRules& rules, int64_t now) {
    ThrottleState s;
    s.lockedSeconds = std::max<int64_t>(0, e.until - now);
    s.triesLeft = s.lockedSeconds > 0 ? 0 : std::max(0, rules.maxFailures - e.failures);
    return s;
}

// Drops the entries of a quiet day, then the oldest beyond maxCodes.
void prune(nlohmann::json& all, const ThrottleRules& rules, int64_t now) {
    std::vector<std::pair<int64_t, std::string>> kept;
    for (auto it = all.begin(); it != all.end();) {
        const Entry e = entryFrom(*it);
        if (now - std::max(e.at, e.until) > rules.forgetAfterSeconds) {
            it = all.erase(it);
        } else {
            kept.emplace_back(e.at, it.key());
            ++it;
        }
    }
    if (kept.size() <= rules.maxCodes) return;
    std::sort(kept.begin(), kept.end());
    for (size_t i = 0; i < kept.size() - rules.maxCodes; ++i) all.erase(kept[i].second);
}

}  // namespace

Result<ThrottleState> StatusThrottle::state(const std::string& code, int64_t now) {
    const nlohmann::json all = readAll(m_db);
    const auto it = all.find(code);
    Entry e = it == all.end() ? Entry{} : entryFrom(*it);
    if (e.until > 0 && e.until <= now) e.failures = 0;  // the lock is over: a fresh set of tries
    if (now - std::max(e.at, e.until) > m_rules.forgetAfterSeconds) e = Entry{};
    return stateOf(e, m_rules, now);
}

Result<ThrottleState> StatusThrottle::failed(const std::string& code, int64_t now) {
    // Read, count and write in one transaction: another process may be counting the same code.
    store::Transaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();
    nlohmann::json all = readAll(m_db);
    prune(all, m_rules, now);  // a quiet day forgets this code too
    Entry e = all.contains(code) ? entryFrom(all[code]) : Entry{};
    if (e.until > now) return stateOf(e, m_rules, now);  // locked: nothing more to count
    if (e.until > 0) {
        e.failures = 0;  // the last lock is over
        e.until = 0;
    }
    e.at = now;
    if (++e.failures >= m_rules.maxFailures) {
        int64_t lock = m_rules.firstLockSeconds;
        for (int i = 0; i < e.locks && lock < m_rules.longestLockSeconds; ++i) lock *= 2;
        e.until = now + std::min(lock, m_rules.longestLockSeconds);
        ++e.locks;
        e.failures = 0;
    }
    all[code] = toJson(e);
    prune(all, m_rules, now);  // at most maxCodes, this one (the newest failure) kept
    if (auto ok = store::writeMeta(m_db, kMetaKey, all.dump()); !ok) return ok.error();
    if (auto ok = tx.commit(); !ok) return ok.error();
    ThrottleState s = stateOf(e, m_rules, now);
    if (s.lockedSeconds == 0) s.triesLeft = m_rules.maxFailures - e.failures;
    return s;
}

Outcome StatusThrottle::succeeded(const std::string& code) {
    // Most checks find no failures to forget: no write then.
    if (!readAll(m_db).contains(code)) return {};
    store::Transaction tx(m_db);
    if (!tx.begun()) return tx.begun().error();
    nlohmann::json all = readAll(m_db);
    all.erase(code);
    if (auto ok = store::writeMeta(m_db, kMetaKey, all.dump()); !ok) return ok;
    return tx.commit();
}

std::string lockDuration(int64_t seconds, Lang lang) {
    const bool en = lang == Lang::En;
    auto unit = [&](int64_t n, const char* vi, const char* enOne, const char* enMany) {
        return std::to_string(n) + " " + (en ? (n == 1 ? enOne : enMany) : vi);
    };
    if (seconds <= 90) return unit(seconds, "giây", "second", "seconds");
    if (seconds <= 90 * 60) return unit((seconds + 59) / 60, "phút", "minute", "minutes");
    return unit((seconds + 3599) / 3600, "giờ", "hour", "hours");
}

}  // namespace kiosk::app
