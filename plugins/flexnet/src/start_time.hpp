// Turns lmstat's year-less start times ("Fri 10/20 16:44") into epoch seconds.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace lmharvest::flexnet {

/// Resolves month/day/hour/minute against a reference time: the year is the reference's local
/// year, rolled back one year when that would put the start after the reference (plus slack).
/// Caches local-time conversions per hour, because mktime per user line costs more than the
/// rest of the line's parsing; in a flat table, because a hash lookup per line still showed.
class StartTimeResolver {
public:
    explicit StartTimeResolver(int64_t reference_time);

    /// Epoch seconds, or nullopt for an impossible date or time. Inline: an optional returned
    /// from another file comes back through the stack and stalled every user line.
    std::optional<int64_t> resolve(unsigned month, unsigned day, unsigned hour, unsigned minute,
                                   unsigned second = 0) {
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
            second > 59)
            return std::nullopt;
        const int64_t within_hour = minute * 60 + second;
        int64_t start = hour_start(false, month, day, hour);
        if (start != no_such_time && start + within_hour <= reference_ + future_slack_seconds)
            return start + within_hour;
        // In the future this year (or 29 Feb of a non-leap year): it started last year.
        start = hour_start(true, month, day, hour);
        if (start == no_such_time)
            return std::nullopt;
        return start + within_hour;
    }

    int64_t reference_time() const { return reference_; }

private:
    // The server prints its own local time and we read it in ours; the two can be a time zone
    // apart. Up to the widest gap between zones (UTC-12 to UTC+14) a start "in the future" is
    // taken as clock or zone skew, not as last year's date.
    static constexpr int64_t future_slack_seconds = 26 * 3600;
    // Hour-table entries that are no epoch time (those are far from INT64_MIN).
    static constexpr int64_t not_converted = std::numeric_limits<int64_t>::min();
    static constexpr int64_t no_such_time = not_converted + 1;

    // The hour's epoch seconds or no_such_time (a plain int64_t, for the reason resolve() is
    // inline). `last_year`: the reference's year minus one, else the reference's year.
    int64_t hour_start(bool last_year, unsigned month, unsigned day, unsigned hour);

    int64_t reference_;
    int64_t reference_year_;
    // By [last_year][month-1][day-1][hour], filled on first use.
    std::vector<int64_t> hour_starts_;
};

} // namespace lmharvest::flexnet
