// The agent's idle accounting, pure: samples of the desktop (input idle, focused window's pid)
// and of /proc go in with their time, per-app focus idle and CPU come out. No clock, no X here;
// ActivitySampler feeds it, tests feed it plain records.
#pragma once

#include "agent/desktop/process_table.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>
#include <vector>

namespace lmharvest::agent {

using ActivityClock = std::chrono::steady_clock;

struct AppActivity {
    std::optional<int64_t> focus_idle_s; // nullopt: unknown (no X, or never seen)
    double cpu_percent = 0;              // of one core, the app's process tree, over the window
};

/// What the X server said at one moment.
struct DesktopSample {
    ActivityClock::time_point time;
    std::optional<int64_t> input_idle_ms; // nullopt: no X display
    std::optional<int64_t> focused_pid;   // _NET_WM_PID of _NET_ACTIVE_WINDOW, when known
};

/// How far back CPU use is remembered: longer windows are measured over this much.
inline constexpr std::chrono::hours cpu_history{1};

class ActivityLedger {
public:
    explicit ActivityLedger(double ticks_per_second = cpu_ticks_per_second());

    /// One sample; times must not go backwards.
    void record(const DesktopSample& desktop, const std::vector<ProcessEntry>& table);
    /// The whole session's input idle at the last sample; nullopt without X.
    std::optional<int64_t> input_idle_s() const;
    /// The app rooted at `pid` (its tree in the last table): focus idle and CPU over `window`.
    AppActivity app(int64_t pid, std::chrono::seconds window) const;

private:
    struct Credit {
        ActivityClock::time_point input_time;
        std::vector<int64_t> chain; // the focused pid, then its ancestors, when it was credited
    };
    struct CpuSample {
        ActivityClock::time_point time;
        std::unordered_map<int64_t, uint64_t> ticks; // by pid
    };

    void credit_input(const DesktopSample& desktop);
    void forget_ended();
    std::vector<int64_t> ancestors(int64_t pid) const;
    std::optional<ActivityClock::time_point> last_input_to(int64_t pid) const;
    double cpu_percent(const std::vector<int64_t>& tree, std::chrono::seconds window) const;

    double ticks_per_second_;
    std::vector<ProcessEntry> table_;                 // of the last sample
    std::unordered_map<int64_t, std::size_t> by_pid_; // index into table_
    DesktopSample last_;
    std::optional<ActivityClock::time_point> display_since_; // X known since then
    std::optional<ActivityClock::time_point> last_input_;    // anywhere, at the last sample
    std::unordered_map<int64_t, ActivityClock::time_point> first_seen_; // by pid
    std::unordered_map<int64_t, Credit> credits_; // by the focused window's pid
    std::deque<CpuSample> cpu_;
};

} // namespace lmharvest::agent
