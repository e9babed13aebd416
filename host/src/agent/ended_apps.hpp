// The apps this agent closed (saved and closed, or found gone) since a report's process list
// was taken: that report, posted after the result, would tell the host they still run, and
// the host would plan on their old idle figures. A report drops them before it is posted.
#pragma once

#include "protocol/agent_messages.hpp"

#include <chrono>
#include <cstdint>
#include <map>

namespace lmharvest::agent {

class EndedApps {
public:
    using Clock = std::chrono::steady_clock;

    /// The app with `pid` ended at `when` (a command's result says so).
    void ended(int64_t pid, Clock::time_point when);
    /// Drops from `report` the apps that ended at or after `listed` (when its process list was
    /// taken), and forgets what no report can list any more.
    void drop_from(AgentReport& report, Clock::time_point listed);

private:
    std::map<int64_t, Clock::time_point> ended_; // by pid
};

} // namespace lmharvest::agent
