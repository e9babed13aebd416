// Names that go into logs, URLs, the store and file names (server ids, token names) are kept
// to a safe alphabet and length.
#pragma once

#include "common/expected.hpp"

#include <string>
#include <string_view>

namespace lmharvest {

inline constexpr std::size_t max_safe_name_length = 64;

/// `name` when it has 1 to 64 letters, digits, '_', '.' and '-'; else what is wrong, with a
/// fix that writes `key = "<name with other characters as '-'>"`.
Expected<std::string> check_safe_name(std::string_view name, std::string_view key);

} // namespace lmharvest
