// Read-only connections to the state file, so that reads never wait for a poll's write: with
// WAL, a reader sees the last commit while the writer's transaction is open on its own
// connection. A read leases one connection for its statements and gives it back.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace SQLite {
class Database;
class Statement;
} // namespace SQLite

namespace lmharvest {

class ReaderPool {
public:
    /// Opens `size` connections now: one opened later could find another file at the path
    /// (a replaced state file), these keep reading the file the writer writes.
    ReaderPool(const std::filesystem::path& file, std::size_t size);
    ~ReaderPool();
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    // A connection and the statements prepared on it, kept across leases.
    struct Connection;

    class Lease {
    public:
        Lease(const ReaderPool& pool, std::unique_ptr<Connection> connection);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        SQLite::Database& operator*() const;
        /// The statement of `sql`, prepared on this connection the first time any lease asks
        /// for it and kept: reset, with no values bound. Valid until the lease ends, which
        /// resets it again (a statement left mid-step would hold its read snapshot); asking
        /// again for the same `sql` in one lease resets the statement it gave before.
        SQLite::Statement& prepared(const std::string& sql);

    private:
        const ReaderPool& pool_;
        std::unique_ptr<Connection> connection_;
        std::vector<SQLite::Statement*> used_; // to reset when the lease ends
    };

    /// A free connection; waits while every one is in use (by other reads, never by a write).
    Lease lease() const;

private:
    mutable std::mutex mutex_; // guards free_
    mutable std::condition_variable returned_;
    mutable std::vector<std::unique_ptr<Connection>> free_;
};

} // namespace lmharvest
