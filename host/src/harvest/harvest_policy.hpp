// The harvest policy (DESIGN §4, issue 12): one pure function from a pool, its open sessions,
// the agents' activity and the config to the plan, every session with its decision and why.
#pragma once

#include "config/config.hpp"
#include "harvest/activity_index.hpp"
#include "harvest/close_backoff.hpp"
#include "store/store_records.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace lmharvest {

/// One pool: a (vendor, feature, version) of one server, and its open sessions.
struct PoolInput {
    std::string server;
    FeatureUsage usage; ///< vendor, name, version, total, used, flags as the last poll found
    std::vector<SessionRecord> sessions;
    /// Distinct users denied or queued for it within notify_window and not yet served
    /// (waiting_users()); what trigger = "demand" frees licenses for.
    int64_t waiting = 0;
};

/// What the policy needs besides the pool; `now` is the clock (epoch seconds).
struct PolicyContext {
    const HarvestConfig& harvest;
    const Groups& groups;
    const ActivityIndex& activity;
    std::set<int64_t> closing; ///< sessions a close is already under way for
    int64_t now = 0;
    /// Sessions waiting after closes that ended without a release (close_backoffs()).
    std::map<int64_t, CloseBackoff> backoffs = {};
};

/// The plan of one pool: one entry per session, the close candidates first in the order they
/// are taken (longest idle first, ties: oldest checkout), then the sessions that never are.
///
/// target = floor(threshold x total); while used > target, candidates idle longer than max_idle
/// are closed, counting each one's count, until used <= target. With trigger = "demand" one
/// license is freed per waiting user instead; "threshold+demand" frees the larger of the two. A
/// session whose count frees more than needed is still taken: skipping it would close more sessions
/// for the same result. The pool's threshold, trigger and max_closes_per_cycle come from the rules
/// that match its server and feature alone; enabled, max_idle, min_session_age and method from the
/// session's own rule. An idle session in a back-off is kept, with its reason and next_try.
std::vector<PlanEntry> plan_pool(const PoolInput& pool, const PolicyContext& context);

} // namespace lmharvest
