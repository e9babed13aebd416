// A server's pools as the policy sees them, from what the store holds after a poll: pure, so the
// planner and the simulated week (tests/sim) build them the same way.
#pragma once

#include "harvest/harvest_policy.hpp"

#include <string>
#include <vector>

namespace lmharvest {

/// One pool per feature record, in (vendor, feature, version) order. Each open session counts
/// in the pool of its version; else in the only one of its vendor and feature (lmstat prints the
/// checkout's version, "v50", under a feature line of "v52"); in none when several versions could
/// be meant. `waiting` is counted from `denials` (the ones within notify_window).
std::vector<PoolInput> assemble_pools(const std::string& server_id,
                                      const std::vector<FeatureRecord>& features,
                                      std::vector<SessionRecord> open_sessions,
                                      const std::vector<DenialRecord>& denials);

} // namespace lmharvest
