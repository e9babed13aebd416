// Sizes as the config writes them: "64MB", "512KB", "1GB", "4096B" (binary units: 1 KB = 1024 B).
#pragma once

#include "common/expected.hpp"

#include <cstdint>
#include <string_view>

namespace lmharvest {

/// Parses <digits><unit> (units B, KB, MB, GB, TB) into bytes. The error says what is wrong
/// and how to fix it, e.g. `"64" has no unit; write "64MB"`.
Expected<uint64_t> parse_byte_size(std::string_view text);

} // namespace lmharvest
