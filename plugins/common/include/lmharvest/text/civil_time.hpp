// Calendar arithmetic without a hidden "now": callers pass the poll time.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lmharvest::text {

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

/// The year, month and day of epoch seconds, in UTC.
struct CivilDate {
    int64_t year;
    unsigned month;
    unsigned day;
};
CivilDate civil_from_epoch(int64_t epoch_seconds);

/// Epoch seconds of a wall-clock time in the host's local time zone (the TZ variable), as the
/// license tools print their times. nullopt for an impossible date.
std::optional<int64_t> local_to_epoch(int64_t year, unsigned month, unsigned day, unsigned hour,
                                      unsigned minute, unsigned second = 0);

/// The local-time year of epoch seconds.
int64_t local_year(int64_t epoch_seconds);

/// Month number (1..12) of an English month abbreviation, any case ("jan", "DEC"); 0 if none.
unsigned month_from_name(std::string_view name);

} // namespace lmharvest::text
