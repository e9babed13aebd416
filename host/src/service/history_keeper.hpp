// Compacts and trims the usage history, and forgets agents that stopped reporting, off the poll
// path: on a thread of its own, once at start and then every hour, with the retention of the
// config in force at that moment.
#pragma once

#include "store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace lmharvest {

/// What the keeper keeps: [host] history_days, [agents] forget_after.
struct Retention {
    int history_days = 90;
    std::chrono::milliseconds forget_agents_after{std::chrono::hours(24 * 7)};
};

class HistoryKeeper {
public:
    /// `retention` and `now` are asked at each run (a reload may change the retention).
    HistoryKeeper(Store& store, std::function<Retention()> retention, std::function<int64_t()> now,
                  std::chrono::milliseconds period = std::chrono::hours(1));
    ~HistoryKeeper();
    HistoryKeeper(const HistoryKeeper&) = delete;
    HistoryKeeper& operator=(const HistoryKeeper&) = delete;

private:
    void run();

    Store& store_;
    std::function<Retention()> retention_;
    std::function<int64_t()> now_;
    std::chrono::milliseconds period_;
    std::mutex mutex_; // guards stopping_
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace lmharvest
