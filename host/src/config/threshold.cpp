#include "config/threshold.hpp"

#include <charconv>
#include <sstream>
#include <string>

namespace lmharvest {

Expected<double> check_threshold(double value) {
    if (value >= 0.0 && value <= 1.0)
        return value;
    std::ostringstream message;
    message << value << " is out of range 0..1; write a share such as 0.80, or \"80%\"";
    return unexpected(message.str());
}

Expected<double> parse_threshold_percent(std::string_view text) {
    const std::string quoted = "\"" + std::string(text) + "\"";
    if (!text.ends_with('%'))
        return unexpected(quoted + " is not a percentage; write a number such as 0.80 "
                                   "(without quotes) or \"80%\"");
    std::string_view digits = text.substr(0, text.size() - 1);
    double percent = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), percent);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
        return unexpected(quoted + " is not a percentage; write e.g. \"80%\"");
    if (percent < 0.0 || percent > 100.0)
        return unexpected(quoted + " is out of range 0%..100%; write e.g. \"80%\"");
    return percent / 100.0;
}

} // namespace lmharvest
