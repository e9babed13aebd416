#include "store/reader_pool.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace lmharvest {
namespace {

// A WAL reader waits only while another connection recovers the WAL after a crash.
constexpr int busy_timeout_ms = 5000;

} // namespace

// NOMUTEX: a lease gives a connection to one thread at a time, so SQLite's per-connection
// mutex (taken on every sqlite3_column_* call, 44 per session row) only costs time.
ReaderPool::ReaderPool(const std::filesystem::path& file, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i)
        free_.push_back(std::make_unique<SQLite::Database>(
            file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, busy_timeout_ms));
}

ReaderPool::~ReaderPool() = default;

ReaderPool::Lease::Lease(const ReaderPool& pool, std::unique_ptr<SQLite::Database> db)
    : pool_(pool), db_(std::move(db)) {}

ReaderPool::Lease::~Lease() {
    {
        std::lock_guard lock(pool_.mutex_);
        pool_.free_.push_back(std::move(db_));
    }
    pool_.returned_.notify_one();
}

ReaderPool::Lease ReaderPool::lease() const {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !free_.empty(); });
    auto db = std::move(free_.back());
    free_.pop_back();
    return Lease(*this, std::move(db));
}

} // namespace lmharvest
