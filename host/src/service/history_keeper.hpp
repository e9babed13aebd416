// Compacts and trims the usage history off the poll path: on a thread of its own, once at start
// and then every hour, with the retention of the config in force at that moment.
#pragma once

#include "store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace lmharvest {

class HistoryKeeper {
public:
    /// `history_days` and `now` are asked at each run (a reload may change the retention).
    HistoryKeeper(Store& store, std::function<int()> history_days, std::function<int64_t()> now,
                  std::chrono::milliseconds period = std::chrono::hours(1));
    ~HistoryKeeper();
    HistoryKeeper(const HistoryKeeper&) = delete;
    HistoryKeeper& operator=(const HistoryKeeper&) = delete;

private:
    void run();

    Store& store_;
    std::function<int()> history_days_;
    std::function<int64_t()> now_;
    std::chrono::milliseconds period_;
    std::mutex mutex_; // guards stopping_
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace lmharvest
