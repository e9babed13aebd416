// Small, allocation-free helpers for reading fields out of a line.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lmharvest::text {

constexpr bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s);
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);

/// If `s` starts with `prefix`, removes it and returns true.
bool consume(std::string_view& s, std::string_view prefix);

/// Removes and returns the next whitespace-separated token (leading blanks skipped).
std::string_view next_token(std::string_view& s);

/// A whole decimal integer (optional leading '-'), or nullopt for anything else or overflow.
std::optional<int64_t> to_int(std::string_view s);

/// Reads leading digits into `out`; removes them from `s`. False when there is no digit.
bool consume_uint(std::string_view& s, int64_t& out);

} // namespace lmharvest::text
