#include "config/duration.hpp"

#include "config/in_quotes.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

namespace lmharvest {
namespace {

struct DurationUnit {
    std::string_view name;
    int64_t ms;
};

// Longest names first so that "ms" is not read as "m" followed by junk.
constexpr std::array<DurationUnit, 5> duration_units{
    {{"ms", 1}, {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}}};

} // namespace

Expected<std::chrono::milliseconds> parse_duration(std::string_view text) {
    if (text.empty())
        return unexpected(std::string("empty duration; write e.g. \"60s\""));
    int64_t total = 0;
    std::string_view rest = text;
    while (!rest.empty()) {
        uint64_t count = 0;
        auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), count);
        if (end == rest.data())
            return unexpected(in_quotes(text) + " is not a duration; write digits then a unit "
                                                "(ms, s, m, h, d), e.g. \"90s\" or \"1h30m\"");
        if (ec != std::errc())
            return unexpected(in_quotes(text) + " is too large; use a smaller duration");
        rest.remove_prefix(static_cast<size_t>(end - rest.data()));
        if (rest.empty() || (rest.front() >= '0' && rest.front() <= '9'))
            return unexpected(in_quotes(text) + " has no unit; write " +
                              in_quotes(std::string(text) + "s"));
        const DurationUnit* unit = nullptr;
        for (const DurationUnit& candidate : duration_units)
            if (rest.starts_with(candidate.name)) {
                unit = &candidate;
                break;
            }
        if (unit == nullptr) {
            std::string_view bad = rest.substr(0, rest.find_first_of("0123456789"));
            return unexpected(in_quotes(text) + " has an unknown unit '" + std::string(bad) +
                              "'; use ms, s, m, h or d, e.g. \"20m\"");
        }
        rest.remove_prefix(unit->name.size());
        constexpr int64_t max = std::numeric_limits<int64_t>::max();
        if (count > static_cast<uint64_t>(max / unit->ms) ||
            total > max - static_cast<int64_t>(count) * unit->ms)
            return unexpected(in_quotes(text) + " is too large; use a smaller duration");
        total += static_cast<int64_t>(count) * unit->ms;
    }
    return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds duration) {
    int64_t rest = duration.count();
    if (rest <= 0)
        return rest == 0 ? "0s" : std::to_string(rest) + "ms";
    // Largest units first, the reverse of the parse order's "ms" first.
    constexpr std::array<DurationUnit, 5> by_size{
        {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};
    std::string text;
    for (const DurationUnit& unit : by_size)
        if (rest >= unit.ms) {
            text += std::to_string(rest / unit.ms) + std::string(unit.name);
            rest %= unit.ms;
        }
    return text;
}

std::string format_range(const DurationRange& range) {
    return format_duration(range.min) + ".." + format_duration(range.max);
}

} // namespace lmharvest
