// The query parameters of GET /api/v1/usage, checked: each bad value is an error naming it.
#pragma once

#include "common/expected.hpp"
#include "config/config.hpp"
#include "store/store_records.hpp"

#include <httplib.h>

namespace lmharvest {

/// The most buckets one answer has per pool; a smaller step is refused.
constexpr int64_t max_usage_points = 10000;

/// The step a graph of [from, to) gets when none is asked: the smallest of 1m, 5m, 15m, 1h, 3h,
/// 6h, 12h, 1d that gives at most 500 points, or a whole number of days beyond.
int64_t default_usage_step(int64_t from, int64_t to);

/// server, vendor, feature, version (exact names), user or group, from and to (ISO 8601;
/// default the hour before `now`), step (a duration: 60s, 5m, 1h).
Expected<UsageQuery> parse_usage_query(const httplib::Request& request, const Groups& groups,
                                       int64_t now);

} // namespace lmharvest
