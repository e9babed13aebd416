#include "service/history_keeper.hpp"

#include <spdlog/spdlog.h>

namespace lmharvest {

HistoryKeeper::HistoryKeeper(Store& store, std::function<Retention()> retention,
                             std::function<int64_t()> now, std::chrono::milliseconds period)
    : store_(store), retention_(std::move(retention)), now_(std::move(now)), period_(period),
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
            const Retention retention = retention_();
            const int64_t now = now_();
            const HistoryCompaction done = store_.compact_history(now, retention.history_days);
            spdlog::debug("history compacted rolled={} deleted_points={} deleted_sessions={} "
                          "history_days={}",
                          done.points_rolled, done.points_deleted, done.sessions_deleted,
                          retention.history_days);
            const auto after =
                std::chrono::duration_cast<std::chrono::seconds>(retention.forget_agents_after);
            if (const int64_t forgotten = store_.forget_agents(now - after.count()))
                spdlog::info("agents forgotten count={} silent_for_more_than={}s", forgotten,
                             after.count());
        } catch (const std::exception& e) {
            // The next run tries again; polls and reads go on either way.
            spdlog::error("history compaction failed error=\"{}\"", e.what());
        }
        lock.lock();
        wake_.wait_for(lock, period_, [this] { return stopping_; });
    }
}

} // namespace lmharvest
