// Epoch seconds as ISO 8601 local time with its UTC offset ("2024-05-23T05:59:00+02:00"):
// what an admin reads next to lmstat's local times, and still unambiguous.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lmharvest {

std::string iso8601_local(int64_t epoch_seconds);

/// Reads "YYYY-MM-DDTHH:MM[:SS]" (local time) or the same with "Z" or "+HH:MM"; nullopt if not.
std::optional<int64_t> parse_iso8601(std::string_view text);

} // namespace lmharvest
