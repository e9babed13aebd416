#include "api/bounded_task_queue.hpp"

namespace lmharvest {

BoundedTaskQueue::BoundedTaskQueue(std::size_t workers, std::size_t max_waiting)
    : max_waiting_(max_waiting) {
    for (std::size_t i = 0; i < workers; ++i)
        workers_.emplace_back([this] { work(); });
}

BoundedTaskQueue::~BoundedTaskQueue() {
    shutdown();
}

void BoundedTaskQueue::enqueue(std::function<void()> job) {
    std::unique_lock lock(mutex_);
    // Never drop a job: it owns an accepted socket that only the job closes.
    room_free_.wait(lock, [&] { return jobs_.size() < max_waiting_ || stopping_; });
    jobs_.push_back(std::move(job));
    job_ready_.notify_one();
}

void BoundedTaskQueue::shutdown() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    job_ready_.notify_all();
    room_free_.notify_all();
    for (std::thread& worker : workers_)
        if (worker.joinable())
            worker.join();
}

void BoundedTaskQueue::work() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            job_ready_.wait(lock, [&] { return !jobs_.empty() || stopping_; });
            if (jobs_.empty())
                return; // stopping, and every accepted connection was served
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        room_free_.notify_one();
        job();
    }
}

} // namespace lmharvest
