// Runs the simulated week, each minute a harvest cycle with the real policy: the pools as the
// planner assembles them, plan_pool() on each, its closes applied, and the invariants checked.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lmharvest::weeksim {

/// One pool's share of the week.
struct PoolFigures {
    int64_t closes = 0;
    int64_t licenses_freed = 0;
    int64_t denial_minutes = 0;
};

struct WeekFigures {
    int64_t cycles = 0;
    int64_t closes = 0;            ///< sessions the harvester closed
    int64_t licenses_freed = 0;    ///< their counts summed (tokens count as licenses)
    int64_t denial_minutes = 0;    ///< minutes a user wanted a license and found the pool full
    int64_t over_target = 0;       ///< pool cycles with used > target: where the invariants bite
    int64_t kept_no_data = 0;      ///< ... and a session kept for lack of activity data
    int64_t kept_busy = 0;         ///< ... and a session kept because its app computes
    int64_t kept_recent_input = 0; ///< ... and a session kept with input within max_idle
    std::map<std::string, PoolFigures> pools; ///< by "server/feature"
    std::vector<std::string> problems; ///< every broken invariant, "cycle N pool P session S: ..."
};

/// One week from `seed` (or its first `days`); without `harvest` nothing is planned or closed
/// (the baseline).
WeekFigures run_week(uint64_t seed, bool harvest, int64_t days = 7);

} // namespace lmharvest::weeksim
