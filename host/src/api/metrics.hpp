// Prometheus text exposition of what the host knows: per-server poll health (the framework
// times and records each poll, so one failing server never fails the scrape), and per-feature
// licenses in use and issued.
#pragma once

#include "poll/poll_scheduler.hpp"
#include "store/store_records.hpp"

#include <string>
#include <vector>

namespace lmharvest {

std::string render_metrics(const std::vector<PollStats>& polls,
                           const std::vector<ServerRecord>& servers,
                           const std::vector<FeatureRecord>& features,
                           const std::vector<FeatureUse>& sessions_by_feature);

} // namespace lmharvest
