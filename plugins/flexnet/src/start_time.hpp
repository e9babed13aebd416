// Turns lmstat's year-less start times ("Fri 10/20 16:44") into epoch seconds.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace lmharvest::flexnet {

/// Resolves month/day/hour/minute against a reference time: the year is the reference's local
/// year, rolled back one year when that would put the start after the reference (plus slack).
/// Caches local-time conversions per hour, because mktime per user line costs more than the
/// rest of the line's parsing.
class StartTimeResolver {
public:
    explicit StartTimeResolver(int64_t reference_time);

    /// Epoch seconds, or nullopt for an impossible date or time.
    std::optional<int64_t> resolve(unsigned month, unsigned day, unsigned hour, unsigned minute,
                                   unsigned second = 0);

    int64_t reference_time() const { return reference_; }

private:
    std::optional<int64_t> hour_start(int64_t year, unsigned month, unsigned day, unsigned hour);

    int64_t reference_;
    int64_t reference_year_;
    std::unordered_map<uint64_t, std::optional<int64_t>> hour_starts_;
};

} // namespace lmharvest::flexnet
