// Small, allocation-free helpers for reading fields out of a line. Inline: the parsers call them
// for every line, and an out-of-line call costs more than the scanning itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lmharvest::text {

constexpr bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

inline std::string_view trim_left(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i]))
        ++i;
    return s.substr(i);
}

inline std::string_view trim_right(std::string_view s) {
    std::size_t n = s.size();
    while (n > 0 && is_space(s[n - 1]))
        --n;
    return s.substr(0, n);
}

inline std::string_view trim(std::string_view s) {
    return trim_right(trim_left(s));
}

/// If `s` starts with `prefix`, removes it and returns true.
inline bool consume(std::string_view& s, std::string_view prefix) {
    if (!s.starts_with(prefix))
        return false;
    s.remove_prefix(prefix.size());
    return true;
}

/// Removes and returns the next whitespace-separated token (leading blanks skipped).
inline std::string_view next_token(std::string_view& s) {
    s = trim_left(s);
    std::size_t end = 0;
    while (end < s.size() && !is_space(s[end]))
        ++end;
    const std::string_view token = s.substr(0, end);
    s.remove_prefix(end);
    return token;
}

/// A whole decimal integer (optional leading '-'), or nullopt for anything else or overflow.
std::optional<int64_t> to_int(std::string_view s);

/// Reads leading digits into `out`; removes them from `s`. False when there is no digit or the
/// number does not fit in int64_t.
inline bool consume_uint(std::string_view& s, int64_t& out) {
    // Up to 18 digits cannot overflow int64_t; only a longer run needs the careful path.
    constexpr std::size_t safe_digits = 18;
    int64_t value = 0;
    std::size_t n = 0;
    for (; n < s.size() && n < safe_digits && is_digit(s[n]); ++n)
        value = value * 10 + (s[n] - '0');
    if (n == 0)
        return false;
    for (; n < s.size() && is_digit(s[n]); ++n) {
        const int digit = s[n] - '0';
        if (value > (INT64_MAX - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    out = value;
    s.remove_prefix(n);
    return true;
}

} // namespace lmharvest::text
