// Durations as the config writes them: "500ms", "90s", "20m", "1h30m", "2d".
#pragma once

#include "common/expected.hpp"

#include <chrono>
#include <string_view>

namespace lmharvest {

/// Parses a sequence of <digits><unit> parts (units ms, s, m, h, d) into milliseconds. The error
/// says what is wrong and how to fix it, e.g. `"60" has no unit; write "60s"`.
Expected<std::chrono::milliseconds> parse_duration(std::string_view text);

} // namespace lmharvest
