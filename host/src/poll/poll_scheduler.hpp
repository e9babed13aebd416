// The realtime loop: polls every server on its own interval, concurrently on a small pool of
// worker threads, so that one slow server never delays the others. A server whose poll fails
// backs off (doubling its interval up to a cap) and is retried; its last good data stays in the
// store, marked stale by the store writer.
#pragma once

#include "model/snapshot.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lmharvest {

/// One server as the scheduler sees it.
struct PollTarget {
    std::string id;
    std::chrono::milliseconds interval{60000};
    /// Polls once at the given wall-clock time (epoch seconds). Must not throw.
    std::function<PollSnapshot(int64_t poll_time)> poll;
};

/// What the scheduler knows of one target, for logs and metrics.
struct PollStats {
    std::string id;
    uint64_t polls = 0;
    uint64_t failures = 0;
    uint32_t consecutive_failures = 0;
    uint64_t skipped_lines = 0; // cumulative, over all polls
    int64_t last_poll_time = 0;
    int64_t last_duration_ms = 0;
    bool last_ok = false;
    std::string last_error;
};

/// The delay before the next poll: the interval after a success; after n failures in a row,
/// interval * 2^n, capped at max(interval, `cap`).
std::chrono::milliseconds next_delay(std::chrono::milliseconds interval,
                                     uint32_t consecutive_failures, std::chrono::milliseconds cap);

class PollScheduler {
public:
    using Clock = std::chrono::steady_clock;
    using SnapshotHandler = std::function<void(const PollSnapshot&)>;

    PollScheduler(std::vector<PollTarget> targets, SnapshotHandler on_snapshot,
                  unsigned worker_count = 4,
                  std::chrono::milliseconds backoff_cap = std::chrono::minutes(10));
    ~PollScheduler();
    PollScheduler(const PollScheduler&) = delete;
    PollScheduler& operator=(const PollScheduler&) = delete;

    /// Polls every target once, concurrently, and returns when all are done.
    void poll_all_once();
    /// Starts the workers; every target is due at once.
    void start();
    /// Stops the workers after their current polls; idempotent.
    void stop();

    std::vector<PollStats> stats() const;

private:
    struct Slot {
        PollTarget target;
        PollStats stats;
        Clock::time_point due;
        bool running = false;
    };

    void work();
    Slot* next_due_slot(Clock::time_point& earliest);
    void poll_slot(Slot& slot);

    SnapshotHandler on_snapshot_;
    unsigned worker_count_;
    std::chrono::milliseconds backoff_cap_;
    mutable std::mutex mutex_; // guards slots_ (their due/running/stats) and stopping_
    std::condition_variable wake_;
    std::vector<Slot> slots_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

} // namespace lmharvest
