// Durations as the config writes them: "500ms", "90s", "20m", "1h30m", "2d".
#pragma once

#include "common/expected.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace lmharvest {

/// Parses a sequence of <digits><unit> parts (units ms, s, m, h, d) into milliseconds. The error
/// says what is wrong and how to fix it, e.g. `"60" has no unit; write "60s"`.
Expected<std::chrono::milliseconds> parse_duration(std::string_view text);

/// The values a config key accepts, both ends included.
struct DurationRange {
    std::chrono::milliseconds min;
    std::chrono::milliseconds max;
};

/// A duration as the config writes it, largest units first: 90000 ms is "1m30s", 0 is "0s".
std::string format_duration(std::chrono::milliseconds duration);

/// "1s..1d": the range as an admin reads it in messages.
std::string format_range(const DurationRange& range);

} // namespace lmharvest
