#include "config/byte_size.hpp"

#include "config/in_quotes.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <string>

namespace lmharvest {
namespace {

struct SizeUnit {
    std::string_view name;
    int shift;
};

constexpr std::array<SizeUnit, 5> size_units{
    {{"B", 0}, {"KB", 10}, {"MB", 20}, {"GB", 30}, {"TB", 40}}};

} // namespace

Expected<uint64_t> parse_byte_size(std::string_view text) {
    uint64_t count = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (end == text.data())
        return unexpected(in_quotes(text) +
                          " is not a size; write digits then a unit (B, KB, MB, GB, TB), "
                          "e.g. \"64MB\"");
    if (ec != std::errc())
        return unexpected(in_quotes(text) + " is too large; write at most \"1024TB\"");
    const std::string_view unit = text.substr(static_cast<size_t>(end - text.data()));
    if (unit.empty())
        return unexpected(in_quotes(text) + " has no unit; write \"" + std::string(text) + "MB\"");
    for (const SizeUnit& known : size_units) {
        if (unit != known.name)
            continue;
        if (count > (std::numeric_limits<uint64_t>::max() >> known.shift))
            return unexpected(in_quotes(text) + " is too large; write at most \"1024TB\"");
        return count << known.shift;
    }
    return unexpected(in_quotes(text) + ": unknown unit \"" + std::string(unit) +
                      "\"; use B, KB, MB, GB or TB, e.g. \"64MB\"");
}

} // namespace lmharvest
