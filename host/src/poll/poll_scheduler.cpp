#include "poll/poll_scheduler.hpp"

#include "text/stable_hash.hpp"

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

std::chrono::milliseconds poll_phase(std::string_view id, std::chrono::milliseconds interval) {
    if (interval.count() <= 0)
        return std::chrono::milliseconds(0);
    const uint64_t hash = text::stable_hash(id);
    return std::chrono::milliseconds(
        static_cast<int64_t>(hash % static_cast<uint64_t>(interval.count())));
}

std::chrono::steady_clock::time_point
next_due_at_phase(std::chrono::steady_clock::time_point started,
                  std::chrono::steady_clock::time_point ended, std::chrono::milliseconds interval,
                  std::chrono::milliseconds phase) {
    using Duration = std::chrono::steady_clock::duration;
    const Duration period = interval;
    if (period.count() <= 0)
        return ended;
    const Duration earliest = std::max(started + period / 2, ended).time_since_epoch();
    Duration to_phase = (Duration(phase) - earliest) % period;
    if (to_phase.count() < 0)
        to_phase += period;
    return std::chrono::steady_clock::time_point(earliest + to_phase);
}

PollScheduler::PollScheduler(std::vector<PollTarget> targets, SnapshotHandler on_snapshot,
                             unsigned worker_count, std::chrono::milliseconds backoff_cap)
    : on_snapshot_(std::move(on_snapshot)), worker_count_(std::max(1u, worker_count)),
      backoff_cap_(backoff_cap) {
    for (PollTarget& target : targets)
        add(std::move(target));
}

PollScheduler::~PollScheduler() {
    stop();
}

void PollScheduler::poll_all_once() {
    std::vector<Slot*> all;
    {
        std::lock_guard lock(mutex_);
        for (Slot& slot : slots_)
            all.push_back(&slot);
    }
    std::vector<std::thread> threads;
    const unsigned n = std::min<unsigned>(worker_count_, static_cast<unsigned>(all.size()));
    std::size_t next = 0;
    std::mutex next_mutex; // guards `next`
    for (unsigned i = 0; i < n; ++i)
        threads.emplace_back([&] {
            for (;;) {
                std::size_t index;
                {
                    std::lock_guard lock(next_mutex);
                    if (next >= all.size())
                        return;
                    index = next++;
                }
                poll_slot(*all[index]);
            }
        });
    for (std::thread& thread : threads)
        thread.join();
}

void PollScheduler::set_heartbeat(std::chrono::milliseconds period, std::function<void()> beat) {
    heartbeat_period_ = period;
    heartbeat_ = std::move(beat);
}

void PollScheduler::start() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
        const auto now = Clock::now();
        for (Slot& slot : slots_)
            slot.due = now;
        exited_.assign(worker_count_, false);
    }
    // Every worker starts even with no target yet: add() may bring some.
    for (unsigned i = 0; i < worker_count_; ++i)
        workers_.emplace_back([this, i] { work(i); });
    if (heartbeat_ && heartbeat_period_.count() > 0)
        heartbeat_thread_ = std::thread([this] { beat_while_healthy(); });
}

std::vector<std::string> PollScheduler::stop(std::chrono::milliseconds grace) {
    std::vector<std::string> still_running;
    std::unique_lock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    const auto all_exited = [this] {
        return std::all_of(exited_.begin(), exited_.end(), [](bool exited) { return exited; });
    };
    if (grace == std::chrono::milliseconds::max())
        polled_.wait(lock, all_exited);
    else
        polled_.wait_for(lock, grace, all_exited);
    for (std::size_t i = 0; i < workers_.size(); ++i)
        if (!exited_[i])
            workers_[i].detach(); // inside a plugin call that does not return: abandoned
    for (const Slot& slot : slots_)
        if (slot.running)
            still_running.push_back(slot.target.id);
    lock.unlock();
    for (std::thread& worker : workers_)
        if (worker.joinable())
            worker.join();
    workers_.clear();
    if (heartbeat_thread_.joinable())
        heartbeat_thread_.join();
    return still_running;
}

void PollScheduler::add(PollTarget target) {
    std::lock_guard lock(mutex_);
    Slot& slot = slots_.emplace_back();
    slot.stats.id = target.id;
    slot.target = std::move(target);
    slot.due = Clock::now();
    wake_.notify_all();
}

void PollScheduler::remove(const std::string& id) {
    std::unique_lock lock(mutex_);
    const auto slot = std::find_if(slots_.begin(), slots_.end(),
                                   [&](const Slot& s) { return s.target.id == id && !s.removed; });
    if (slot == slots_.end())
        return;
    slot->removed = true;
    polled_.wait(lock, [&] { return !slot->running; });
    slots_.erase(slot);
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
        if (!slot.running && !slot.removed && slot.due < earliest) {
            earliest = slot.due;
            best = &slot;
        }
    return best && best->due <= Clock::now() ? best : nullptr;
}

void PollScheduler::work(std::size_t worker) {
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
        slot->started = Clock::now();
        lock.unlock();
        poll_slot(*slot);
        lock.lock();
        slot->running = false;
        const auto ended = Clock::now();
        const std::chrono::milliseconds interval = slot->target.interval;
        slot->due =
            slot->stats.consecutive_failures == 0
                ? next_due_at_phase(slot->started, ended, interval,
                                    poll_phase(slot->target.id, interval))
                : ended + next_delay(interval, slot->stats.consecutive_failures, backoff_cap_);
        polled_.notify_all(); // remove() may wait for this slot
        wake_.notify_all();   // another worker may now wait for an earlier deadline
    }
    exited_[worker] = true;
    polled_.notify_all();
}

// Called with mutex_ held.
bool PollScheduler::healthy(Clock::time_point now) const {
    return std::none_of(slots_.begin(), slots_.end(), [&](const Slot& slot) {
        return slot.running && now - slot.started > slot.target.stuck_after;
    });
}

// The heartbeat takes the scheduler's lock to look at its slots, so a deadlocked loop stops
// it as surely as a stuck poll does.
void PollScheduler::beat_while_healthy() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const bool beat = healthy(Clock::now());
        lock.unlock();
        if (beat)
            heartbeat_();
        lock.lock();
        wake_.wait_for(lock, heartbeat_period_, [this] { return stopping_; });
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
