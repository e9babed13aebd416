// Per-app activity on the workstation: input from the X server credited to the app whose window
// had focus, and CPU from /proc. The accounting itself is ActivityLedger's.
#pragma once

#include "agent/desktop/activity_ledger.hpp"
#include "agent/desktop/process_table.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest::agent {

class X11Desktop;

/// Samples the X server (XScreenSaver idle, _NET_ACTIVE_WINDOW -> _NET_WM_PID) and /proc CPU
/// every few seconds and credits input to the app whose window had focus.
class ActivitySampler {
public:
    /// `display` "" or unreachable: input is unknown (every focus_idle_s nullopt), CPU still works.
    /// A display that was given but is unreachable (or lost later) is tried again every 30 s.
    explicit ActivitySampler(const std::string& display);
    ~ActivitySampler();
    bool has_display() const;
    /// One sample: call every `sample_every` (default 2 s) with the current process table.
    void sample(const std::vector<ProcessEntry>& table);
    std::optional<int64_t> input_idle_s() const; // the whole session's; nullopt without X
    /// The app rooted at `pid` (its tree in the last table): focus idle and CPU over `window`.
    AppActivity app(int64_t pid, std::chrono::seconds window) const;

private:
    void connect();

    std::string display_name_;
    std::unique_ptr<X11Desktop> desktop_; // null: no display now
    std::optional<ActivityClock::time_point> last_attempt_;
    ActivityLedger ledger_;
};

} // namespace lmharvest::agent
