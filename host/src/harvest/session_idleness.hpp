// How long a session has been idle, from the apps that use its license (DESIGN §4a): idle only
// if every matching app is idle; anything unknown (no app, a silent agent, no input time) is not.
#pragma once

#include "harvest/activity_index.hpp"
#include "store/store_records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lmharvest {

struct Idleness {
    /// Seconds since the last input to any matching app; nullopt when the session is not idle
    /// whatever max_idle says (then `reason` says why).
    std::optional<int64_t> idle_s;
    std::string reason; ///< "no activity data", "busy: matlab cpu 37 %", or the app that
                        ///< had the latest input ("matlab")
};

/// `busy_cpu` is a share of one core (0.05 = 5 %); an app at or above it is busy.
Idleness session_idleness(const Session& session, const ActivityIndex& activity, int64_t now,
                          double busy_cpu);

/// The apps of the session's user on its host that use its feature (they share its license).
std::vector<AppActivity> apps_of_session(const Session& session, const ActivityIndex& activity);

/// "45 s", "47 min", for reasons.
std::string format_duration(int64_t seconds);

} // namespace lmharvest
