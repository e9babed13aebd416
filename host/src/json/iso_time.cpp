#include "json/iso_time.hpp"

#include "lmharvest/text/civil_time.hpp"

#include <cstdio>
#include <ctime>

namespace lmharvest {

std::string iso8601_local(int64_t epoch_seconds) {
    const std::time_t t = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    char local[32];
    char offset[8];
    std::strftime(local, sizeof local, "%Y-%m-%dT%H:%M:%S", &tm);
    std::strftime(offset, sizeof offset, "%z", &tm); // "+0200"
    char text[48];
    std::snprintf(text, sizeof text, "%s%.3s:%.2s", local, offset, offset + 3); // "+02:00"
    return text;
}

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A real calendar date and time of day: mktime/timegm would quietly turn Feb 30 into Mar 1.
bool valid_date_time(int year, int month, int day, int hour, int minute, int second) {
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 ||
        hour < 0 || minute < 0 || second < 0)
        return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day >= 1 && day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

// `width` digits of `value` (>= 0) at `at`; returns the end.
char* put_digits(char* at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
        at[i] = static_cast<char>('0' + value % 10);
    return at + width;
}

} // namespace

void LocalTimeFormatter::append(std::string& out, int64_t epoch_seconds) {
    // lmstat prints minutes, so many sessions in a row share their checkout time.
    if (last_size_ > 0 && epoch_seconds == last_epoch_) {
        out.append(last_text_.data(), last_size_);
        return;
    }
    const int64_t quarter = (epoch_seconds >= 0 ? epoch_seconds : epoch_seconds - 899) / 900;
    Slot& slot = slots_[static_cast<uint64_t>(quarter) % slots_.size()];
    if (slot.quarter != quarter) {
        const std::time_t t = static_cast<std::time_t>(epoch_seconds);
        std::tm tm{};
        localtime_r(&t, &tm);
        slot = {quarter, tm.tm_gmtoff};
    }
    const int64_t local = epoch_seconds + slot.offset_seconds;
    const text::CivilDate date = text::civil_from_epoch(local);
    if (date.year < 0 || date.year > 9999) {
        out += iso8601_local(epoch_seconds); // whatever strftime makes of it
        return;
    }
    const int64_t second_of_day =
        local - text::days_from_civil(date.year, date.month, date.day) * 86400;
    const int64_t offset_minutes =
        (slot.offset_seconds < 0 ? -slot.offset_seconds : slot.offset_seconds) / 60;
    // "2024-05-23T05:59:00+02:00", built in place and appended at once
    char* at = put_digits(last_text_.data(), date.year, 4);
    *at++ = '-';
    at = put_digits(at, date.month, 2);
    *at++ = '-';
    at = put_digits(at, date.day, 2);
    *at++ = 'T';
    at = put_digits(at, second_of_day / 3600, 2);
    *at++ = ':';
    at = put_digits(at, second_of_day / 60 % 60, 2);
    *at++ = ':';
    at = put_digits(at, second_of_day % 60, 2);
    *at++ = slot.offset_seconds < 0 ? '-' : '+';
    at = put_digits(at, offset_minutes / 60, 2);
    *at++ = ':';
    at = put_digits(at, offset_minutes % 60, 2);
    last_epoch_ = epoch_seconds;
    last_size_ = static_cast<std::size_t>(at - last_text_.data());
    out.append(last_text_.data(), last_size_);
}

std::optional<int64_t> parse_iso8601(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
    const std::string s(text);
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &year, &month, &day, &hour, &minute,
                    &consumed) != 5)
        return std::nullopt;
    std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
    if (rest.size() >= 3 && rest[0] == ':') {
        if (!is_digit(rest[1]) || !is_digit(rest[2]))
            return std::nullopt;
        second = (rest[1] - '0') * 10 + (rest[2] - '0');
        rest.remove_prefix(3);
        // A fraction of a second, as browsers write times ("...:27.148Z"): dropped, since
        // every time here is whole seconds.
        if (rest.size() >= 2 && rest[0] == '.' && is_digit(rest[1])) {
            rest.remove_prefix(1);
            while (!rest.empty() && is_digit(rest[0]))
                rest.remove_prefix(1);
        }
    }
    if (!valid_date_time(year, month, day, hour, minute, second))
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    if (rest.empty()) {
        tm.tm_isdst = -1;
        return static_cast<int64_t>(std::mktime(&tm));
    }
    int offset_minutes = 0;
    if (rest != "Z") {
        int oh = 0, om = 0;
        const std::string offset(rest);
        if (std::sscanf(offset.c_str() + 1, "%2d:%2d", &oh, &om) != 2 ||
            (rest[0] != '+' && rest[0] != '-') || rest.size() != 6 || oh > 23 || om > 59 ||
            oh < 0 || om < 0)
            return std::nullopt;
        offset_minutes = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
    }
    return static_cast<int64_t>(timegm(&tm)) - offset_minutes * 60;
}

} // namespace lmharvest
