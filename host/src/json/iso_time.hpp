// Epoch seconds as ISO 8601 local time with its UTC offset ("2024-05-23T05:59:00+02:00"):
// what an admin reads next to lmstat's local times, and still unambiguous.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lmharvest {

std::string iso8601_local(int64_t epoch_seconds);

/// iso8601_local() for many times in a row (a 100k-session answer): the UTC offset is looked up
/// once per quarter hour, the only steps at which time zones change offset, instead of one
/// localtime_r per time (a lock and a look at TZ each). One per answer, so a changed TZ is seen
/// by the next one.
class LocalTimeFormatter {
public:
    /// Appends the same text iso8601_local() returns.
    void append(std::string& out, int64_t epoch_seconds);

private:
    struct Slot {
        int64_t quarter = INT64_MIN;
        int64_t offset_seconds = 0;
    };
    std::array<Slot, 64> slots_{};
    int64_t last_epoch_ = 0; // the last time written, and its text (when last_size_ > 0)
    std::array<char, 32> last_text_{};
    std::size_t last_size_ = 0;
};

/// Reads "YYYY-MM-DDTHH:MM[:SS[.fff]]" (local time) or the same with "Z" or "+HH:MM" (a fraction
/// of a second is dropped); nullopt if not.
std::optional<int64_t> parse_iso8601(std::string_view text);

} // namespace lmharvest
