#include "lmharvest/text/civil_time.hpp"

#include <ctime>

namespace lmharvest::text {

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate civil_from_epoch(int64_t epoch_seconds) {
    int64_t z = (epoch_seconds >= 0 ? epoch_seconds : epoch_seconds - 86399) / 86400 + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned day = doy - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int64_t>(yoe) + era * 400 + (month <= 2), month, day};
}

namespace {

// mktime() reads the time zone on every call (and /etc/localtime when TZ is unset): far too
// slow for 100k session lines. Offsets change only at hour boundaries in practice, so each
// thread remembers the epoch of the last local hour it converted.
struct HourCache {
    int64_t year = -1;
    unsigned month = 0, day = 0, hour = 0;
    int64_t epoch = 0;
};

std::optional<int64_t> hour_start(int64_t year, unsigned month, unsigned day, unsigned hour) {
    std::tm tm{};
    tm.tm_year = static_cast<int>(year - 1900);
    tm.tm_mon = static_cast<int>(month - 1);
    tm.tm_mday = static_cast<int>(day);
    tm.tm_hour = static_cast<int>(hour);
    tm.tm_isdst = -1;
    const std::time_t t = std::mktime(&tm); // thread-safe in glibc; reads TZ
    // mktime normalises 31 Feb into March: refuse dates that do not exist.
    if (t == static_cast<std::time_t>(-1) || tm.tm_mday != static_cast<int>(day) ||
        tm.tm_mon != static_cast<int>(month - 1))
        return std::nullopt;
    return static_cast<int64_t>(t) - tm.tm_min * 60 - tm.tm_sec;
}

} // namespace

std::optional<int64_t> local_to_epoch(int64_t year, unsigned month, unsigned day, unsigned hour,
                                      unsigned minute, unsigned second) {
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 ||
        year < 1900 || year > 9999)
        return std::nullopt;
    thread_local HourCache cache;
    if (cache.year != year || cache.month != month || cache.day != day || cache.hour != hour) {
        const auto start = hour_start(year, month, day, hour);
        if (!start)
            return std::nullopt;
        cache = {year, month, day, hour, *start};
    }
    return cache.epoch + minute * 60 + second;
}

int64_t local_year(int64_t epoch_seconds) {
    const std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

unsigned month_from_name(std::string_view name) {
    static constexpr std::string_view names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
    if (name.size() < 3)
        return 0;
    char lower[3];
    for (int i = 0; i < 3; ++i)
        lower[i] = static_cast<char>(name[i] | 0x20);
    for (unsigned i = 0; i < 12; ++i)
        if (names[i] == std::string_view(lower, 3))
            return i + 1;
    return 0;
}

} // namespace lmharvest::text
