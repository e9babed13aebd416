// The simulated week's invariants, checked against what really happens in the simulation (the
// ground truth), not against what the policy computed: a plan that breaks one is named with its
// cycle, pool and session.
#pragma once

#include "store/store_records.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lmharvest::weeksim {

/// One open session of a pool as the simulation knows it.
struct SessionTruth {
    int64_t id = 0;
    int64_t count = 1;
    int64_t checkout_time = 0;
    int64_t last_input = 0; ///< the user's last input to the app using it
    bool busy = false;      ///< its app computes (CPU above busy_cpu)
    bool has_data = false;  ///< an agent reports it, its last report within 3 intervals
    bool closing = false;   ///< a close decided in an earlier cycle is still under way
};

/// A pool at one cycle, before the plan's closes, with the policy figures it must obey.
struct PoolTruth {
    int64_t cycle = 0;
    int64_t now = 0;
    std::string pool; ///< "eng-flex/MATLAB", for messages
    int64_t used = 0;
    int64_t in_flight = 0; ///< licenses of the closes under way: as good as free
    int64_t target = 0;    ///< floor(threshold x total)
    int64_t max_idle_s = 0;
    int64_t min_session_age_s = 0;
    int64_t max_closes = 0;
    std::vector<SessionTruth> sessions;
};

/// Every broken invariant of `plan` (the pool's plan of this cycle): a close while used (less the
/// licenses in flight) <= target, of a session with input within max_idle, a busy one, one without
/// activity data, one closed in an earlier cycle (`closed_before`, which gains this cycle's
/// closes); closes that are not the fewest that reach the target, or not the longest idle first.
/// Empty: the plan is right.
std::vector<std::string> check_plan(const PoolTruth& pool, const std::vector<PlanEntry>& plan,
                                    std::set<int64_t>& closed_before);

} // namespace lmharvest::weeksim
