#include "store/reader_pool.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace lmharvest {
namespace {

// A WAL reader waits only while another connection recovers the WAL after a crash.
constexpr int busy_timeout_ms = 5000;
// The session lists' shapes (filter, sort, page or not) are few; past this many, a connection
// drops its statements and prepares again, so odd queries cannot pile up.
constexpr std::size_t max_kept_statements = 32;

} // namespace

// Preparing a session page's SELECT (22 columns, the planner weighing 7 indexes of sessions)
// cost more of the service's CPU than stepping its 100 rows; kept statements skip that.
struct ReaderPool::Connection {
    std::unique_ptr<SQLite::Database> db;
    // After db: statements are finalized before their connection closes.
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;
};

// NOMUTEX: a lease gives a connection to one thread at a time, so SQLite's per-connection
// mutex (taken on every sqlite3_column_* call, 44 per session row) only costs time.
ReaderPool::ReaderPool(const std::filesystem::path& file, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
        auto connection = std::make_unique<Connection>();
        connection->db = std::make_unique<SQLite::Database>(
            file, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, busy_timeout_ms);
        free_.push_back(std::move(connection));
    }
}

ReaderPool::~ReaderPool() = default;

ReaderPool::Lease::Lease(const ReaderPool& pool, std::unique_ptr<Connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

ReaderPool::Lease::~Lease() {
    for (SQLite::Statement* statement : used_)
        statement->tryReset(); // its error, if any, was thrown by the step that made it
    if (connection_->statements.size() > max_kept_statements)
        connection_->statements.clear();
    {
        std::lock_guard lock(pool_.mutex_);
        pool_.free_.push_back(std::move(connection_));
    }
    pool_.returned_.notify_one();
}

SQLite::Database& ReaderPool::Lease::operator*() const {
    return *connection_->db;
}

SQLite::Statement& ReaderPool::Lease::prepared(const std::string& sql) {
    auto& kept = connection_->statements[sql];
    if (!kept) {
        kept = std::make_unique<SQLite::Statement>(*connection_->db, sql);
    } else {
        kept->tryReset();
        kept->clearBindings(); // the values the lease before bound
    }
    used_.push_back(kept.get());
    return *kept;
}

ReaderPool::Lease ReaderPool::lease() const {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !free_.empty(); });
    auto connection = std::move(free_.back());
    free_.pop_back();
    return Lease(*this, std::move(connection));
}

} // namespace lmharvest
