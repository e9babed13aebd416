// "N licenses" / "1 license": how lmstat and the debug log both write a count.
#pragma once

#include <cstdint>
#include <lmharvest/text/scan.hpp>
#include <string_view>

namespace lmharvest::flexnet {

/// Consumes "N license" or "N licenses" (blanks between allowed) from the front of `s`.
inline bool consume_license_count(std::string_view& s, int64_t& count) {
    std::string_view probe = s;
    int64_t value = 0;
    if (!text::consume_uint(probe, value))
        return false;
    probe = text::trim_left(probe);
    if (!text::consume(probe, "license"))
        return false;
    text::consume(probe, "s");
    count = value;
    s = probe;
    return true;
}

} // namespace lmharvest::flexnet
