// Prometheus text exposition of what the host knows: per-server poll health (the framework
// times and records each poll, so one failing server never fails the scrape), and per license
// pool (server, vendor, feature, version) the licenses in use and issued and the open sessions;
// the workstation agents by state; per feature the sessions the stored harvest plan would
// close; and the close sequences' outcomes since start.
#pragma once

#include "harvest/agent_silence.hpp"
#include "harvest/close_sequences.hpp"
#include "poll/poll_scheduler.hpp"
#include "store/store_records.hpp"

#include <string>
#include <vector>

namespace lmharvest {

/// The whole /metrics answer. Label values are valid UTF-8 (what is not is replaced) and
/// escaped as the text format 0.0.4 wants; integers are exact and other numbers round-trip.
/// Each series appears once: two whose labels become equal after that repair are summed.
std::string render_metrics(const std::vector<PollStats>& polls,
                           const std::vector<ServerRecord>& servers,
                           const std::vector<FeatureRecord>& features,
                           const std::vector<FeatureUse>& sessions_by_pool,
                           const AgentCounts& agents, const std::vector<PlanEntry>& plan,
                           const CloseCounts& harvest_closes);

} // namespace lmharvest
