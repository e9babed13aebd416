// Parser of `lmutil lmstat -a` output: pure, one pass, never throws on bad input.
#pragma once

#include "lmstat_records.hpp"

#include <cstdint>
#include <string_view>

namespace lmharvest::flexnet {

/// Reads everything lmstat -a prints. `poll_time` (epoch seconds) dates the year-less start
/// times when the output has no "Flexible License Manager status on" header to date them by.
/// Lines it cannot read come back in `skipped` with their number and why.
LmstatResult parse_lmstat(std::string_view output, int64_t poll_time);

} // namespace lmharvest::flexnet
