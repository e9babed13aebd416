#include "agent/x11_activity.hpp"

#include "agent/desktop/activity_sampler.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

namespace lmharvest::agent {

X11Activity::X11Activity(const std::string& display, std::chrono::seconds window)
    : window_(window), sampler_(std::make_unique<ActivitySampler>(display)),
      sampling_([this] { sample_every_2s(); }) {}

X11Activity::~X11Activity() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    sampling_.join();
}

void X11Activity::sample_every_2s() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        auto table = list_processes(::getuid()); // /proc is read without the lock
        lock.lock();
        if (stopping_)
            break;
        if (table)
            sampler_->sample(*table);
        else
            spdlog::warn("agent: activity: {}", table.error());
        wake_.wait_for(lock, std::chrono::seconds(2), [this] { return stopping_; });
    }
}

// The report's own table, so that an app new since the last 2 s sample has its tree.
void X11Activity::sample(const std::vector<ProcessEntry>& table) {
    std::lock_guard lock(mutex_);
    sampler_->sample(table);
}

std::optional<int64_t> X11Activity::input_idle_s() const {
    std::lock_guard lock(mutex_);
    return sampler_->input_idle_s();
}

AppFigures X11Activity::app(int64_t pid) const {
    std::lock_guard lock(mutex_);
    const AppActivity activity = sampler_->app(pid, window_);
    return {activity.focus_idle_s, activity.cpu_percent};
}

} // namespace lmharvest::agent
