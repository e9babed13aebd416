#include "lmharvest/text/scan.hpp"

#include <charconv>

namespace lmharvest::text {

std::optional<int64_t> to_int(std::string_view s) {
    int64_t value = 0;
    if (s.empty())
        return std::nullopt;
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (error != std::errc{} || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

} // namespace lmharvest::text
