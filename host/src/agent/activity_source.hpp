// Where the loop gets idle and CPU figures from. The X11 sampler (desktop/activity_sampler)
// fits behind this interface; CpuOnlyActivity is the "no display" path: input unknown (which
// the host treats as no data, never idle) and CPU from /proc tick deltas between samples.
#pragma once

#include "agent/desktop/process_table.hpp"

#include <chrono>
#include <map>
#include <optional>

namespace lmharvest::agent {

struct AppFigures {
    std::optional<int64_t> focus_idle_s; ///< nullopt: unknown
    double cpu_percent = 0;              ///< of one core, the app's process tree
};

class ActivitySource {
public:
    virtual ~ActivitySource() = default;
    virtual void sample(const std::vector<ProcessEntry>& table) = 0;
    virtual std::optional<int64_t> input_idle_s() const = 0;
    virtual AppFigures app(int64_t pid) const = 0;
};

class CpuOnlyActivity : public ActivitySource {
public:
    void sample(const std::vector<ProcessEntry>& table) override;
    std::optional<int64_t> input_idle_s() const override { return std::nullopt; }
    AppFigures app(int64_t pid) const override;

private:
    std::vector<ProcessEntry> table_;
    std::map<int64_t, uint64_t> previous_ticks_; // pid -> ticks at the sample before
    std::chrono::steady_clock::time_point previous_time_{};
    double elapsed_s_ = 0;
};

} // namespace lmharvest::agent
