// The realtime loop: polls every server on its own interval, concurrently on a small pool of
// worker threads, so that one slow server never delays the others. A server whose poll fails
// backs off (doubling its interval up to a cap) and is retried; its last good data stays in the
// store, marked stale by the store writer. Every server is polled at once when the loop starts;
// after that each keeps a phase of its own in its interval, so that a hundred servers with the
// same interval are polled spread over it rather than in one burst that competes with the
// API's readers for the cores.
#pragma once

#include "model/snapshot.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace lmharvest {

/// One server as the scheduler sees it.
struct PollTarget {
    std::string id;
    std::chrono::milliseconds interval{60000};
    /// Polls once at the given wall-clock time (epoch seconds). Must not throw.
    std::function<PollSnapshot(int64_t poll_time)> poll;
    /// A poll running longer than this is stuck (a plugin that ignores its timeout): the
    /// heartbeat stops, so that a supervisor restarts the host.
    std::chrono::milliseconds stuck_after{std::chrono::minutes(10)};
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

/// A target's place in its interval, from a stable hash of its id: the same for an id in every
/// run, and spread over the interval for many ids (Prometheus spreads its scrapes the same way).
std::chrono::milliseconds poll_phase(std::string_view id, std::chrono::milliseconds interval);

/// When a target whose poll succeeded, started at `started` and ended at `ended`, is next due:
/// the first instant at its phase (the clock's epoch counted in intervals) that is at least half
/// an interval after `started` and not before `ended`. A target whose polls take less than its
/// interval so starts one exactly every interval, at its phase (one that took longer polls again
/// at the next phase after it ended, as Prometheus skips a missed tick); no two of its polls
/// start closer than half an interval, which spaces the first round's from the next.
std::chrono::steady_clock::time_point
next_due_at_phase(std::chrono::steady_clock::time_point started,
                  std::chrono::steady_clock::time_point ended, std::chrono::milliseconds interval,
                  std::chrono::milliseconds phase);

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
    /// Calls `beat` every `period` from a thread of the scheduler, but only while it is
    /// healthy: its lock is free and no poll runs past its target's stuck_after. Set before
    /// start().
    void set_heartbeat(std::chrono::milliseconds period, std::function<void()> beat);
    /// Starts the workers; every target is due at once.
    void start();
    /// Stops the workers after their current polls, waiting at most `grace` for them; returns
    /// the ids of the polls still running then. Their threads are detached and still use this
    /// scheduler, so the caller must then end the process without destroying it. Idempotent.
    std::vector<std::string>
    stop(std::chrono::milliseconds grace = std::chrono::milliseconds::max());

    /// Adds a target, due at once. Safe while running.
    void add(PollTarget target);
    /// Removes a target, after waiting for its poll in flight (and that poll's snapshot
    /// handler) to end. Safe while running, from any thread but a worker's.
    void remove(const std::string& id);

    std::vector<PollStats> stats() const;

private:
    struct Slot {
        PollTarget target;
        PollStats stats;
        Clock::time_point due;
        Clock::time_point started; // of the poll in flight
        bool running = false;
        bool removed = false; // remove() waits for the poll in flight; no new one starts
    };

    void work(std::size_t worker);
    void beat_while_healthy();
    bool healthy(Clock::time_point now) const;
    Slot* next_due_slot(Clock::time_point& earliest);
    void poll_slot(Slot& slot);

    SnapshotHandler on_snapshot_;
    unsigned worker_count_;
    std::chrono::milliseconds backoff_cap_;
    std::chrono::milliseconds heartbeat_period_{0};
    std::function<void()> heartbeat_;
    // Guards slots_ (their due/running/stats/removed), stopping_ and exited_.
    mutable std::mutex mutex_;
    std::condition_variable wake_;   // a slot became due or was added, or stop() was called
    std::condition_variable polled_; // a poll ended or a worker exited
    std::list<Slot> slots_;          // a list: workers hold a Slot& while it polls
    bool stopping_ = false;
    std::vector<std::thread> workers_;
    std::vector<bool> exited_; // per worker: its loop has returned
    std::thread heartbeat_thread_;
};

} // namespace lmharvest
