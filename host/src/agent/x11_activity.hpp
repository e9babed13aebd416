// The agent's ActivitySource on a desktop: HX's ActivitySampler on $DISPLAY, sampled on its own
// thread every 2 s, so that input between two reports is credited to the window that had focus
// then (a report every 60 s alone would credit a whole minute to whatever is focused at its end).
#pragma once

#include "agent/activity_source.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace lmharvest::agent {

// Held by pointer: the desktop sampler's headers stay out of every file that includes this one.
class ActivitySampler;

class X11Activity : public ActivitySource {
public:
    /// `display` "" = no X (figures as CpuOnlyActivity's, focus idle unknown); `window`: the
    /// span CPU is measured over (the report interval).
    X11Activity(const std::string& display, std::chrono::seconds window);
    ~X11Activity() override;
    X11Activity(const X11Activity&) = delete;
    X11Activity& operator=(const X11Activity&) = delete;

    void sample(const std::vector<ProcessEntry>& table) override;
    std::optional<int64_t> input_idle_s() const override;
    AppFigures app(int64_t pid) const override;

private:
    void sample_every_2s();

    std::chrono::seconds window_;
    mutable std::mutex mutex_; // the sampler is single-threaded: every call holds this
    std::unique_ptr<ActivitySampler> sampler_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread sampling_;
};

} // namespace lmharvest::agent
