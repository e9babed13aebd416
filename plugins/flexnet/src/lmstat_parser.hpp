// Parser of `lmutil lmstat -a` output: pure, one pass, never throws on bad input.
#pragma once

#include "lmstat_records.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace lmharvest::flexnet {

/// Reads everything lmstat -a prints. `poll_time` (epoch seconds) dates the year-less start
/// times when the output has no "Flexible License Manager status on" header to date them by.
/// Lines it cannot read come back in `skipped` with their number and why. The sessions view
/// `output`: keep it alive as long as the result.
LmstatResult parse_lmstat(std::string_view output, int64_t poll_time);
/// A temporary std::string output would leave the sessions dangling: refused at compile time.
template <typename Text,
          typename = std::enable_if_t<std::is_same_v<std::remove_cv_t<Text>, std::string>>>
LmstatResult parse_lmstat(Text&& output, int64_t poll_time) = delete;

} // namespace lmharvest::flexnet
