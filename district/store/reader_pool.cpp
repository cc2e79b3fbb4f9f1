#include "district/store/reader_pool.h"

namespace kiosk::district {

ReaderPool::ReaderPool(std::string dbPath, std::function<void(DistrictStore&)> configure)
    : m_dbPath(std::move(dbPath)), m_configure(std::move(configure)) {}

ReaderPool::Lease::~Lease() {
    if (!m_store) return;
    std::lock_guard lock(m_pool->m_mutex);
    m_pool->m_idle.push_back(std::move(m_store));
}

Result<ReaderPool::Lease> ReaderPool::lease() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto store = std::move(m_idle.back());
            m_idle.pop_back();
            return Lease(*this, std::move(store));
        }
    }
    auto store = DistrictStore::open(m_dbPath, false);
    if (!store) return store.error();
    if (m_configure) m_configure(**store);
    return Lease(*this, std::move(*store));
}

}  // namespace kiosk::district
