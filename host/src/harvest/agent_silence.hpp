// When an agent counts as silent (DESIGN §4a): no report for 3 of its report intervals. Its
// apps are then "no data", never idle, and GET /api/v1/agents shows it as `silent`.
#pragma once

#include "store/store_records.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace lmharvest {

inline constexpr int64_t silent_after_intervals = 3;

/// Seconds since the report at `report_time`, never negative.
inline int64_t report_age(int64_t report_time, int64_t now) {
    return std::max<int64_t>(0, now - report_time);
}

inline bool agent_silent(int64_t report_time, int64_t report_interval_s, int64_t now) {
    return report_age(report_time, now) >
           silent_after_intervals * std::max<int64_t>(1, report_interval_s);
}

struct AgentCounts {
    int64_t reporting = 0;
    int64_t silent = 0;
};

inline AgentCounts count_agents(const std::vector<AgentRecord>& agents, int64_t now) {
    AgentCounts counts;
    for (const AgentRecord& a : agents)
        ++(agent_silent(a.report_time, a.report_interval_s, now) ? counts.silent
                                                                 : counts.reporting);
    return counts;
}

} // namespace lmharvest
