#include "start_time.hpp"

#include <lmharvest/text/civil_time.hpp>

namespace lmharvest::flexnet {

namespace {

constexpr size_t hours_per_year = 12 * 31 * 24;

} // namespace

StartTimeResolver::StartTimeResolver(int64_t reference_time)
    : reference_(reference_time), reference_year_(text::local_year(reference_time)) {}

int64_t StartTimeResolver::hour_start(bool last_year, unsigned month, unsigned day, unsigned hour) {
    if (hour_starts_.empty())
        hour_starts_.assign(2 * hours_per_year, not_converted);
    int64_t& cached =
        hour_starts_[(last_year ? hours_per_year : 0) + ((month - 1) * 31 + (day - 1)) * 24 + hour];
    if (cached == not_converted) {
        const auto start =
            text::local_to_epoch(reference_year_ - (last_year ? 1 : 0), month, day, hour, 0, 0);
        cached = start.value_or(no_such_time);
    }
    return cached;
}

} // namespace lmharvest::flexnet
