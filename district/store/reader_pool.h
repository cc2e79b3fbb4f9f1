#pragma once
// ReaderPool: read connections to the district database, lent to HTTP worker threads one request
// at a time and kept open for the next (opening a connection, migrating it and preparing its
// statements for every request would cost more than most requests). WAL lets them read beside the
// committer's writer. The sync routes and the dashboard each keep one.
// Threads: lease() may be called from any thread; a Lease is used by one thread and goes back to
// the pool when it ends. The pool must outlive its leases.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "district/store/district_store.h"

namespace kiosk::district {

class ReaderPool {
public:
    // configure runs once on each connection the pool opens (a PRAGMA, say); it may be empty.
    explicit ReaderPool(std::string dbPath, std::function<void(DistrictStore&)> configure = {});
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    // A connection for the current request, returned to the pool when the lease ends.
    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<DistrictStore> store)
            : m_pool(&pool), m_store(std::move(store)) {}
        Lease(Lease&& other) noexcept : m_pool(other.m_pool), m_store(std::move(other.m_store)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;
        ~Lease();
        DistrictStore& operator*() const { return *m_store; }
        DistrictStore* operator->() const { return m_store.get(); }

    private:
        ReaderPool* m_pool;
        std::unique_ptr<DistrictStore> m_store;
    };

    // An idle connection, or a new one (error "db.*" when the file cannot be opened).
    Result<Lease> lease();

private:
    const std::string m_dbPath;
    const std::function<void(DistrictStore&)> m_configure;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<DistrictStore>> m_idle;
};

}  // namespace kiosk::district
