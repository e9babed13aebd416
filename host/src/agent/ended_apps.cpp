#include "agent/ended_apps.hpp"

#include <algorithm>

namespace lmharvest::agent {

void EndedApps::ended(int64_t pid, Clock::time_point when) {
    ended_[pid] = when;
}

void EndedApps::drop_from(AgentReport& report, Clock::time_point listed) {
    std::erase_if(report.apps, [&](const ReportedApp& app) {
        const auto found = ended_.find(app.pid);
        return found != ended_.end() && found->second >= listed;
    });
    // A list taken after an app ended cannot show it (unless its pid was reused: then it is
    // another app), so entries older than this list are done with.
    std::erase_if(ended_, [&](const auto& entry) { return entry.second < listed; });
}

} // namespace lmharvest::agent
