#include "config/byte_size.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <string>

namespace lmharvest {
namespace {

struct Unit {
    std::string_view name;
    int shift;
};

constexpr std::array<Unit, 5> units{{{"B", 0}, {"KB", 10}, {"MB", 20}, {"GB", 30}, {"TB", 40}}};

std::string quoted(std::string_view text) {
    return "\"" + std::string(text) + "\"";
}

} // namespace

Expected<uint64_t> parse_byte_size(std::string_view text) {
    uint64_t count = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (end == text.data())
        return unexpected(quoted(text) +
                          " is not a size; write digits then a unit (B, KB, MB, GB, TB), "
                          "e.g. \"64MB\"");
    if (ec != std::errc())
        return unexpected(quoted(text) + " is too large; write at most \"1024TB\"");
    const std::string_view unit = text.substr(static_cast<size_t>(end - text.data()));
    if (unit.empty())
        return unexpected(quoted(text) + " has no unit; write \"" + std::string(text) + "MB\"");
    for (const Unit& known : units) {
        if (unit != known.name)
            continue;
        if (count > (std::numeric_limits<uint64_t>::max() >> known.shift))
            return unexpected(quoted(text) + " is too large; write at most \"1024TB\"");
        return count << known.shift;
    }
    return unexpected(quoted(text) + ": unknown unit \"" + std::string(unit) +
                      "\"; use B, KB, MB, GB or TB, e.g. \"64MB\"");
}

} // namespace lmharvest
