// cpp-httplib's connection queue, bounded: a fixed number of workers and at most `max_waiting`
// accepted connections waiting for one. When it is full the accept loop waits, and further
// clients wait in the kernel's backlog instead of in the host's memory.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <httplib.h>
#include <mutex>
#include <thread>
#include <vector>

namespace lmharvest {

class BoundedTaskQueue : public httplib::TaskQueue {
public:
    BoundedTaskQueue(std::size_t workers, std::size_t max_waiting);
    ~BoundedTaskQueue() override;

    void enqueue(std::function<void()> job) override;
    void shutdown() override;

private:
    void work();

    const std::size_t max_waiting_;
    std::mutex mutex_; // guards jobs_ and stopping_
    std::condition_variable job_ready_, room_free_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

} // namespace lmharvest
