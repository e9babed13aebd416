#include "debuglog_parser.hpp"

#include "license_count.hpp"

#include <ctime>
#include <lmharvest/text/civil_time.hpp>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::flexnet {

namespace {

using text::consume;
using text::consume_uint;
using text::trim;
using text::trim_left;

// lmgrd and a vendor daemon can disagree by seconds (file 11 goes back 16 s at startup); only a
// jump back of more than an hour means the day changed.
constexpr int32_t rollover_threshold_seconds = 3600;

// "[ ]H:MM:SS": exactly two digits for minutes and seconds; "12:49:3a9" is refused.
std::optional<int32_t> read_time_of_day(std::string_view& s) {
    s = trim_left(s);
    int64_t hour = 0;
    std::string_view probe = s;
    if (!consume_uint(probe, hour) || hour > 23 || s.size() - probe.size() > 2)
        return std::nullopt;
    int32_t parts[2];
    for (int32_t& part : parts) {
        if (probe.size() < 3 || probe[0] != ':' || probe[1] < '0' || probe[1] > '9' ||
            probe[2] < '0' || probe[2] > '9')
            return std::nullopt;
        part = (probe[1] - '0') * 10 + (probe[2] - '0');
        probe.remove_prefix(3);
    }
    if (parts[0] > 59 || parts[1] > 60 || (!probe.empty() && probe.front() != ' '))
        return std::nullopt;
    s = probe;
    return static_cast<int32_t>(hour) * 3600 + parts[0] * 60 + parts[1];
}

// "(N licenses)" or "(N license)" -> N.
bool read_count(std::string_view group, int64_t& count) {
    return consume_license_count(group, count) && trim(group).empty();
}

// `"feature" ` then, for UNSUPPORTED, a "(checkout data)" group, then user@host.
bool read_subject(std::string_view& s, bool has_checkout_data, DebugEvent& event) {
    s = trim_left(s);
    if (!consume(s, "\""))
        return false;
    const size_t quote = s.find('"');
    if (quote == std::string_view::npos || quote == 0)
        return false;
    event.feature.assign(s.substr(0, quote));
    s = trim_left(s.substr(quote + 1));
    if (has_checkout_data) {
        if (!consume(s, "("))
            return false;
        const size_t close = s.find(')');
        if (close == std::string_view::npos)
            return false;
        s = trim_left(s.substr(close + 1));
    }
    std::string_view who = text::next_token(s);
    const size_t at = who.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == who.size())
        return false;
    event.user.assign(who.substr(0, at));
    event.host.assign(who.substr(at + 1));
    return true;
}

// What follows user@host: "(N licenses)" sets the count; OUT/IN keep the rest as detail,
// refusals keep it as the reason.
void read_tail(std::string_view s, DebugEvent& event) {
    std::string_view rest = trim(s);
    std::string extras;
    while (!rest.empty()) {
        std::string_view piece;
        if (rest.front() == '(' || rest.front() == '[') {
            // A balanced group: reasons nest parentheses ("(... (-4,342))").
            const char open = rest.front(), close = open == '(' ? ')' : ']';
            int depth = 0;
            size_t end = 0;
            for (; end < rest.size(); ++end) {
                depth += rest[end] == open ? 1 : rest[end] == close ? -1 : 0;
                if (depth == 0)
                    break;
            }
            piece = rest.substr(0, end < rest.size() ? end + 1 : end);
        } else {
            piece = rest.substr(0, rest.find(' '));
        }
        rest = trim(rest.substr(piece.size()));
        if (piece.size() > 2 && piece.front() == '(' && piece.back() == ')' &&
            read_count(piece.substr(1, piece.size() - 2), event.count))
            continue;
        if (!extras.empty())
            extras += ' ';
        extras += piece;
    }
    const bool refusal = event.kind == DebugEventKind::denied ||
                         event.kind == DebugEventKind::queued ||
                         event.kind == DebugEventKind::unsupported;
    if (!refusal) {
        event.detail = std::move(extras);
        return;
    }
    std::string_view reason = extras;
    if (reason.size() >= 2 && reason.front() == '(' && reason.back() == ')')
        reason = reason.substr(1, reason.size() - 2);
    event.reason.assign(reason);
}

struct Keyword {
    std::string_view text;
    DebugEventKind kind;
};
constexpr Keyword keywords[] = {
    {"OUT:", DebugEventKind::out},           {"IN:", DebugEventKind::in},
    {"DENIED:", DebugEventKind::denied},     {"QUEUED:", DebugEventKind::queued},
    {"DEQUEUED:", DebugEventKind::dequeued}, {"UNSUPPORTED:", DebugEventKind::unsupported}};

} // namespace

DebugClock DebugClock::at(int64_t epoch) {
    const std::time_t t = static_cast<std::time_t>(epoch);
    std::tm tm{};
    localtime_r(&t, &tm);
    DebugClock clock;
    clock.year = tm.tm_year + 1900;
    clock.month = static_cast<unsigned>(tm.tm_mon + 1);
    clock.day = static_cast<unsigned>(tm.tm_mday);
    clock.last_second = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return clock;
}

std::string DebugClock::serialize() const {
    return std::to_string(year) + ' ' + std::to_string(month) + ' ' + std::to_string(day) + ' ' +
           std::to_string(last_second);
}

std::optional<DebugClock> DebugClock::parse(std::string_view text) {
    DebugClock clock;
    const auto year = text::to_int(text::next_token(text));
    const auto month = text::to_int(text::next_token(text));
    const auto day = text::to_int(text::next_token(text));
    const auto last = text::to_int(text::next_token(text));
    if (!year || !month || !day || !last || *month < 0 || *month > 12 || *day < 0 || *day > 31 ||
        *last < -1 || *last >= 86400 || !trim(text).empty())
        return std::nullopt;
    clock.year = *year;
    clock.month = static_cast<unsigned>(*month);
    clock.day = static_cast<unsigned>(*day);
    clock.last_second = static_cast<int32_t>(*last);
    return clock;
}

void DebugLogReader::advance_to(int32_t second_of_day) {
    if (clock_.year != 0 && clock_.last_second >= 0 &&
        second_of_day < clock_.last_second - rollover_threshold_seconds) {
        const auto next = text::civil_from_epoch(
            (text::days_from_civil(clock_.year, clock_.month, clock_.day) + 1) * 86400);
        clock_.year = next.year;
        clock_.month = next.month;
        clock_.day = next.day;
    }
    clock_.last_second = second_of_day;
}

std::optional<DebugEvent> DebugLogReader::read(std::string_view line) {
    const auto second_of_day = read_time_of_day(line);
    if (!second_of_day)
        return std::nullopt;
    line = trim_left(line);
    if (!consume(line, "("))
        return std::nullopt;
    const size_t close = line.find(')');
    if (close == std::string_view::npos)
        return std::nullopt;
    const std::string_view daemon = line.substr(0, close);
    line = trim_left(line.substr(close + 1));

    if (consume(line, "TIMESTAMP ")) {
        int64_t month = 0, day = 0, year = 0;
        line = trim_left(line);
        if (consume_uint(line, month) && consume(line, "/") && consume_uint(line, day) &&
            consume(line, "/") && consume_uint(line, year) && month >= 1 && month <= 12 &&
            day >= 1 && day <= 31) {
            ++timestamp_lines_;
            clock_.year = year;
            clock_.month = static_cast<unsigned>(month);
            clock_.day = static_cast<unsigned>(day);
            clock_.last_second = *second_of_day;
        }
        return std::nullopt;
    }
    advance_to(*second_of_day);

    const std::string_view word = line.substr(0, line.find(' '));
    for (const Keyword& keyword : keywords) {
        if (word != keyword.text)
            continue;
        DebugEvent event;
        event.kind = keyword.kind;
        event.vendor.assign(daemon);
        line.remove_prefix(word.size());
        if (!read_subject(line, keyword.kind == DebugEventKind::unsupported, event))
            return std::nullopt;
        read_tail(line, event);
        if (clock_.year != 0) {
            const int32_t s = *second_of_day;
            event.time = text::local_to_epoch(clock_.year, clock_.month, clock_.day, s / 3600,
                                              s / 60 % 60, s % 60)
                             .value_or(0);
        }
        return event;
    }
    return std::nullopt;
}

} // namespace lmharvest::flexnet
