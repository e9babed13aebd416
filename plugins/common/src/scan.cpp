#include "lmharvest/text/scan.hpp"

#include <charconv>

namespace lmharvest::text {

std::string_view trim_left(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i]))
        ++i;
    return s.substr(i);
}

std::string_view trim_right(std::string_view s) {
    std::size_t n = s.size();
    while (n > 0 && is_space(s[n - 1]))
        --n;
    return s.substr(0, n);
}

std::string_view trim(std::string_view s) {
    return trim_right(trim_left(s));
}

bool consume(std::string_view& s, std::string_view prefix) {
    if (s.substr(0, prefix.size()) != prefix)
        return false;
    s.remove_prefix(prefix.size());
    return true;
}

std::string_view next_token(std::string_view& s) {
    s = trim_left(s);
    std::size_t end = 0;
    while (end < s.size() && !is_space(s[end]))
        ++end;
    std::string_view token = s.substr(0, end);
    s.remove_prefix(end);
    return token;
}

std::optional<int64_t> to_int(std::string_view s) {
    int64_t value = 0;
    if (s.empty())
        return std::nullopt;
    const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (error != std::errc{} || end != s.data() + s.size())
        return std::nullopt;
    return value;
}

bool consume_uint(std::string_view& s, int64_t& out) {
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9')
        ++n;
    if (n == 0)
        return false;
    const auto [end, error] = std::from_chars(s.data(), s.data() + n, out);
    if (error != std::errc{})
        return false;
    s.remove_prefix(n);
    return true;
}

} // namespace lmharvest::text
