#include "poll/poll_scheduler.hpp"

#include <algorithm>
#include <ctime>

namespace lmharvest {

std::chrono::milliseconds next_delay(std::chrono::milliseconds interval,
                                     uint32_t consecutive_failures, std::chrono::milliseconds cap) {
    if (consecutive_failures == 0)
        return interval;
    const auto limit = std::max(interval, cap);
    auto delay = interval;
    for (uint32_t i = 0; i < consecutive_failures && delay < limit; ++i)
        delay *= 2;
    return std::min(delay, limit);
}

PollScheduler::PollScheduler(std::vector<PollTarget> targets, SnapshotHandler on_snapshot,
                             unsigned worker_count, std::chrono::milliseconds backoff_cap)
    : on_snapshot_(std::move(on_snapshot)), worker_count_(std::max(1u, worker_count)),
      backoff_cap_(backoff_cap) {
    slots_.reserve(targets.size());
    for (PollTarget& target : targets) {
        Slot slot;
        slot.stats.id = target.id;
        slot.target = std::move(target);
        slots_.push_back(std::move(slot));
    }
}

PollScheduler::~PollScheduler() {
    stop();
}

void PollScheduler::poll_all_once() {
    std::vector<std::thread> threads;
    const unsigned n = std::min<unsigned>(worker_count_, static_cast<unsigned>(slots_.size()));
    std::size_t next = 0;
    std::mutex next_mutex; // guards `next`
    for (unsigned i = 0; i < n; ++i)
        threads.emplace_back([&] {
            for (;;) {
                std::size_t index;
                {
                    std::lock_guard lock(next_mutex);
                    if (next >= slots_.size())
                        return;
                    index = next++;
                }
                poll_slot(slots_[index]);
            }
        });
    for (std::thread& thread : threads)
        thread.join();
}

void PollScheduler::start() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
        const auto now = Clock::now();
        for (Slot& slot : slots_)
            slot.due = now;
    }
    const unsigned n = std::min<unsigned>(worker_count_, static_cast<unsigned>(slots_.size()));
    for (unsigned i = 0; i < n; ++i)
        workers_.emplace_back([this] { work(); });
}

void PollScheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_)
        worker.join();
    workers_.clear();
}

std::vector<PollStats> PollScheduler::stats() const {
    std::lock_guard lock(mutex_);
    std::vector<PollStats> all;
    all.reserve(slots_.size());
    for (const Slot& slot : slots_)
        all.push_back(slot.stats);
    return all;
}

// Called with mutex_ held: the idle slot due first, or nullptr (then `earliest` says when the
// next one is due, or Clock::time_point::max() when every slot is busy).
PollScheduler::Slot* PollScheduler::next_due_slot(Clock::time_point& earliest) {
    Slot* best = nullptr;
    earliest = Clock::time_point::max();
    for (Slot& slot : slots_)
        if (!slot.running && slot.due < earliest) {
            earliest = slot.due;
            best = &slot;
        }
    return best && best->due <= Clock::now() ? best : nullptr;
}

void PollScheduler::work() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        Clock::time_point earliest;
        Slot* slot = next_due_slot(earliest);
        if (!slot) {
            if (earliest == Clock::time_point::max())
                wake_.wait(lock);
            else
                wake_.wait_until(lock, earliest);
            continue;
        }
        slot->running = true;
        lock.unlock();
        poll_slot(*slot);
        lock.lock();
        slot->running = false;
        slot->due = Clock::now() + next_delay(slot->target.interval,
                                              slot->stats.consecutive_failures, backoff_cap_);
        wake_.notify_all(); // another worker may now wait for an earlier deadline
    }
}

void PollScheduler::poll_slot(Slot& slot) {
    const int64_t poll_time = static_cast<int64_t>(std::time(nullptr));
    PollSnapshot snapshot = slot.target.poll(poll_time);
    snapshot.server_id = slot.target.id;
    {
        std::lock_guard lock(mutex_);
        PollStats& stats = slot.stats;
        ++stats.polls;
        stats.last_poll_time = poll_time;
        stats.last_duration_ms = snapshot.duration_ms;
        stats.last_ok = snapshot.ok;
        stats.last_error = snapshot.error;
        stats.skipped_lines += snapshot.skipped.size();
        if (snapshot.ok) {
            stats.consecutive_failures = 0;
        } else {
            ++stats.failures;
            ++stats.consecutive_failures;
        }
    }
    on_snapshot_(snapshot);
}

} // namespace lmharvest
