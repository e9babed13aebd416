#include "harvest/close_backoff.hpp"

#include "json/iso_time.hpp"
#include <algorithm>
#include <array>
#include <string_view>

namespace lmharvest {
namespace {

// The outcomes a sequence ends with when it released nothing (close_sequence.cpp). Any other
// last step of a sequence that no longer runs ("posted", "saved_and_closed") was cut short by a
// stop of the service.
constexpr std::array<std::string_view, 10> ends_without_release = {
    "agent_timeout", "agent_failed", "agent_refused", "app_gone", "release_failed",
    "too_soon",      "stopped",      "not_confirmed", "skipped",  "notified"};

std::string end_of(const CloseAttempt& attempt) {
    const bool known = std::find(ends_without_release.begin(), ends_without_release.end(),
                                 attempt.outcome) != ends_without_release.end();
    return known ? attempt.outcome : "interrupted";
}

int64_t backoff_seconds(int64_t failures, std::chrono::milliseconds retry_after_failed) {
    const int64_t base =
        std::chrono::duration_cast<std::chrono::seconds>(retry_after_failed).count();
    const int64_t cap = std::max<int64_t>(base, std::chrono::seconds(max_backoff).count());
    int64_t delay = base;
    for (int64_t i = 1; i < failures && delay < cap; ++i)
        delay *= 2;
    return std::min(delay, cap);
}

} // namespace

std::map<int64_t, CloseBackoff> close_backoffs(const std::vector<CloseAttempt>& attempts,
                                               std::chrono::milliseconds retry_after_failed,
                                               int64_t now) {
    std::map<int64_t, CloseBackoff> waiting;
    std::map<int64_t, CloseBackoff> streaks; // by session: the closes in a row without release
    for (const CloseAttempt& attempt : attempts) {
        CloseBackoff& streak = streaks[attempt.session_id];
        if (attempt.released) {
            // A release starts the count again; one the polls did not confirm is its first.
            streak = {};
            if (attempt.outcome != "not_confirmed")
                continue;
        }
        ++streak.failures;
        streak.outcome = end_of(attempt);
        streak.until = attempt.time + backoff_seconds(streak.failures, retry_after_failed);
    }
    for (const auto& [session, streak] : streaks)
        if (streak.failures > 0 && now < streak.until)
            waiting.emplace(session, streak);
    return waiting;
}

std::string backoff_reason(const CloseBackoff& backoff) {
    // A notify releases nothing by design: it did its part, the session still holds the license.
    std::string reason = backoff.outcome == "notified" ? "last close only notified the user"
                                                       : "last close failed: " + backoff.outcome;
    if (backoff.failures > 1)
        reason += " (" + std::to_string(backoff.failures) + " in a row)";
    return reason + "; next try after " + iso8601_local(backoff.until);
}

} // namespace lmharvest
