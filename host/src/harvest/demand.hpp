// Who is waiting for a pool: the input of trigger = "demand".
#pragma once

#include "harvest/harvest_policy.hpp"

#include <cstdint>
#include <vector>

namespace lmharvest {

/// Distinct users (ignoring case) of `denials` refused or queued for the pool's feature on its
/// server (a denial without a vendor counts for any vendor) who hold no session of the pool now.
/// `denials` are the ones within notify_window.
int64_t waiting_users(const std::vector<DenialRecord>& denials, const PoolInput& pool);

} // namespace lmharvest
