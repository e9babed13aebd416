// Who is waiting for a pool: the input of trigger = "demand" and of the denied-user notices.
#pragma once

#include "harvest/harvest_policy.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace lmharvest {

/// A user refused or queued for a pool, and the time of their first such denial in the window.
struct WaitingUser {
    std::string user;
    int64_t since = 0;
};

/// Distinct users (ignoring case) of `denials` refused or queued for the pool's feature on its
/// server (a denial without a vendor counts for any vendor) who hold no session of the pool now,
/// in the order of their newest denial. `denials` are the ones within notify_window.
std::vector<WaitingUser> waiting_for(const std::vector<DenialRecord>& denials,
                                     const PoolInput& pool);

/// How many users waiting_for() finds.
int64_t waiting_users(const std::vector<DenialRecord>& denials, const PoolInput& pool);

} // namespace lmharvest
