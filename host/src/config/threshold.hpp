// The harvest threshold: the share of a feature's licenses that may stay in use.
#pragma once

#include "common/expected.hpp"

#include <string_view>

namespace lmharvest {

/// Checks a number is within 0..1; the error names the value and the fix.
Expected<double> check_threshold(double value);

/// Reads a percentage string such as "80%" or "87.5%" as 0.80 or 0.875.
Expected<double> parse_threshold_percent(std::string_view text);

} // namespace lmharvest
