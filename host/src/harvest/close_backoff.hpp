// The back-off after a harvest close that ended without a release (agent_timeout, refused,
// failed, too_soon, release_failed, not_confirmed, skipped, notified): the session is no
// candidate again until retry_after_failed has passed, twice that after a second such close in a
// row, and so on up to max_backoff (or retry_after_failed when that is longer). A close that
// released the license starts the count again; a session that ends takes its back-off with it
// (a new checkout is a new session). Derived from the audit log's steps (Store::close_attempts),
// so that a restart keeps it.
#pragma once

#include "store/store_records.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lmharvest {

/// A session waiting after closes that ended without a release.
struct CloseBackoff {
    int64_t until = 0;    ///< epoch seconds: a candidate again from then on
    int64_t failures = 0; ///< closes in a row that ended without a release
    std::string outcome;  ///< how the last one ended ("agent_timeout", "interrupted", ...)
};

/// The longest back-off, unless retry_after_failed is longer still.
inline constexpr std::chrono::hours max_backoff{4};

/// The sessions of `attempts` (by session, in the order they started) that are in a back-off at
/// `now`. A sequence that is still running is under way, not failed: the caller skips those
/// first (the plan says "close already under way").
std::map<int64_t, CloseBackoff> close_backoffs(const std::vector<CloseAttempt>& attempts,
                                               std::chrono::milliseconds retry_after_failed,
                                               int64_t now);

/// "last close failed: agent_timeout; next try after 2026-12-01T22:15:00+01:00" (with "(2 in a
/// row)" from the second): why the plan keeps the session.
std::string backoff_reason(const CloseBackoff& backoff);

} // namespace lmharvest
