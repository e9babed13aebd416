#include "start_time.hpp"

#include <lmharvest/text/civil_time.hpp>

namespace lmharvest::flexnet {

namespace {

// The server prints its own local time and we read it in ours; the two can be a time zone apart.
// Up to the widest gap between zones (UTC-12 to UTC+14) a start "in the future" is taken as clock
// or zone skew, not as last year's date.
constexpr int64_t future_slack_seconds = 26 * 3600;

} // namespace

StartTimeResolver::StartTimeResolver(int64_t reference_time)
    : reference_(reference_time), reference_year_(text::local_year(reference_time)) {}

std::optional<int64_t> StartTimeResolver::hour_start(int64_t year, unsigned month, unsigned day,
                                                     unsigned hour) {
    const uint64_t key = (static_cast<uint64_t>(year) << 20) | (month << 15) | (day << 8) | hour;
    const auto found = hour_starts_.find(key);
    if (found != hour_starts_.end())
        return found->second;
    const std::optional<int64_t> start = text::local_to_epoch(year, month, day, hour, 0, 0);
    hour_starts_.emplace(key, start);
    return start;
}

std::optional<int64_t> StartTimeResolver::resolve(unsigned month, unsigned day, unsigned hour,
                                                  unsigned minute, unsigned second) {
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;
    const int64_t within_hour = minute * 60 + second;
    std::optional<int64_t> start = hour_start(reference_year_, month, day, hour);
    if (start && *start + within_hour <= reference_ + future_slack_seconds)
        return *start + within_hour;
    // In the future this year (or 29 Feb of a non-leap year): it started last year.
    start = hour_start(reference_year_ - 1, month, day, hour);
    if (!start)
        return std::nullopt;
    return *start + within_hour;
}

} // namespace lmharvest::flexnet
