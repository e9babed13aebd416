#include "service/history_keeper.hpp"

#include <spdlog/spdlog.h>

namespace lmharvest {

HistoryKeeper::HistoryKeeper(Store& store, std::function<int()> history_days,
                             std::function<int64_t()> now, std::chrono::milliseconds period)
    : store_(store), history_days_(std::move(history_days)), now_(std::move(now)), period_(period),
      thread_([this] { run(); }) {}

HistoryKeeper::~HistoryKeeper() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void HistoryKeeper::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            const int days = history_days_();
            const HistoryCompaction done = store_.compact_history(now_(), days);
            spdlog::debug("history compacted rolled={} deleted_points={} deleted_sessions={} "
                          "history_days={}",
                          done.points_rolled, done.points_deleted, done.sessions_deleted, days);
        } catch (const std::exception& e) {
            // The next run tries again; polls and reads go on either way.
            spdlog::error("history compaction failed error=\"{}\"", e.what());
        }
        lock.lock();
        wake_.wait_for(lock, period_, [this] { return stopping_; });
    }
}

} // namespace lmharvest
