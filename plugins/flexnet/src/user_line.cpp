#include "user_line.hpp"

#include "license_count.hpp"

#include <array>
#include <lmharvest/text/scan.hpp>

namespace lmharvest::flexnet {

namespace {

using text::consume;
using text::consume_uint;
using text::trim;
using text::trim_left;
using text::trim_right;

constexpr std::string_view start_marker = "), start ";
constexpr std::string_view queued_marker = ") queued for ";

bool is_hostname_shaped(std::string_view token) {
    for (char c : token)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return false;
    return !token.empty();
}

// A display that names its host: "/dev/tty", the host itself, or "host:0.0".
bool is_display_of(std::string_view display, std::string_view host) {
    if (display.substr(0, 5) == "/dev/" || display == host)
        return true;
    return display.size() > host.size() && display.substr(0, host.size()) == host &&
           display[host.size()] == ':';
}

// The fields left of "(vVER)": user, host and display, each of which may hold spaces. Real
// outputs show extra display tokens (07, 08, 17, 19) and user names with spaces (01): a display
// that names its host anchors the split; otherwise the host is the last hostname-shaped token
// with something after it, so a user name takes the spaces (as flexlm_exporter reads it).
bool split_identity(std::string_view left, Session& session) {
    constexpr size_t max_tokens = 32;
    // [begin, end) offsets into `left`. A trivial type, so the array is not zeroed on every
    // line (an array of string_views was: the biggest cost of this function).
    struct Bounds {
        size_t begin, end;
    };
    std::array<Bounds, max_tokens> bounds;
    size_t count = 0;
    std::string_view rest = left;
    while (count < max_tokens) {
        const std::string_view token = text::next_token(rest);
        if (token.empty())
            break;
        const auto begin = static_cast<size_t>(token.data() - left.data());
        bounds[count++] = {begin, begin + token.size()};
    }
    rest = trim_left(rest);
    if (count == 0 || !rest.empty())
        return false;
    // Tokens [first, last] as they stand in the line, keeping their own spacing.
    const auto span = [&](size_t first, size_t last) {
        return left.substr(bounds[first].begin, bounds[last].end - bounds[first].begin);
    };
    const auto token = [&](size_t i) { return span(i, i); };
    size_t host = count >= 2 ? 1 : count;
    if (count >= 4) {
        size_t anchored = 0;
        for (size_t i = 2; i < count && !anchored; ++i)
            if (is_display_of(token(i), token(i - 1)))
                anchored = i - 1;
        if (anchored) {
            host = anchored;
        } else {
            for (size_t k = count - 2; k >= 1; --k)
                if (is_hostname_shaped(token(k))) {
                    host = k;
                    break;
                }
        }
    }
    session.user = host >= 1 ? span(0, host - 1) : token(0);
    session.host = host < count ? token(host) : std::string_view();
    session.display = host + 1 < count ? span(host + 1, count - 1) : std::string_view();
    return true;
}

// "(server/port handle)" between `open` and `close`.
bool read_handle(std::string_view inside, Session& session) {
    const size_t space = inside.rfind(' ');
    if (space == std::string_view::npos)
        return false;
    const std::string_view where = trim(inside.substr(0, space));
    const std::string_view handle = inside.substr(space + 1);
    const size_t slash = where.rfind('/');
    if (handle.empty() || slash == std::string_view::npos || slash == 0 ||
        slash + 1 == where.size())
        return false;
    session.server_host = where.substr(0, slash);
    session.port = where.substr(slash + 1);
    session.handle = handle;
    return true;
}

// "(linger: a / b)": a is the linger time in seconds.
bool read_linger(std::string_view& rest, int64_t& linger) {
    std::string_view probe = rest;
    int64_t first = 0, second = 0;
    if (!consume(probe, "(linger:"))
        return false;
    probe = trim_left(probe);
    if (!consume_uint(probe, first))
        return false;
    probe = trim_left(probe);
    if (!consume(probe, "/"))
        return false;
    probe = trim_left(probe);
    if (!consume_uint(probe, second) || !consume(probe, ")"))
        return false;
    linger = first;
    rest = probe;
    return true;
}

bool read_pid(std::string_view& rest, int64_t& pid) {
    std::string_view probe = rest;
    if (!consume(probe, "PID:"))
        return false;
    probe = trim_left(probe);
    if (!consume_uint(probe, pid))
        return false;
    rest = probe;
    return true;
}

// "Ddd M/D H:MM[:SS]" then the optional pieces in any order.
const char* read_start(std::string_view rest, StartTimeResolver& times, Session& session) {
    text::next_token(rest); // weekday: the date says it already
    int64_t month = 0, day = 0, hour = 0, minute = 0, second = 0;
    rest = trim_left(rest);
    if (!consume_uint(rest, month) || !consume(rest, "/") || !consume_uint(rest, day))
        return "unreadable start date";
    rest = trim_left(rest);
    if (!consume_uint(rest, hour) || !consume(rest, ":") || !consume_uint(rest, minute))
        return "unreadable start time";
    if (consume(rest, ":") && !consume_uint(rest, second))
        return "unreadable start time";
    if (month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59)
        return "impossible start time";
    const auto start = times.resolve(static_cast<unsigned>(month), static_cast<unsigned>(day),
                                     static_cast<unsigned>(hour), static_cast<unsigned>(minute),
                                     static_cast<unsigned>(second));
    if (!start)
        return "impossible start date";
    session.checkout_time = *start;
    for (rest = trim(rest); !rest.empty(); rest = trim(rest)) {
        if (consume(rest, ","))
            continue;
        if (!consume_license_count(rest, session.count) &&
            !read_linger(rest, session.linger_seconds) && !read_pid(rest, session.pid))
            return "unreadable text after the start time";
    }
    return nullptr;
}

} // namespace

UserLineMarker find_user_line_marker(std::string_view line) {
    UserLineMarker queued;
    for (size_t at = line.size(); at-- > 0;) {
        if (line[at] != ')')
            continue;
        const std::string_view from = line.substr(at);
        if (from.starts_with(start_marker))
            return {at, false}; // a start marker anywhere wins over a queued one
        if (!queued && from.starts_with(queued_marker))
            queued = {at, true};
    }
    return queued;
}

const char* parse_user_line(std::string_view line, UserLineMarker marker, StartTimeResolver& times,
                            Session& session) {
    if (!marker)
        return "no '), start' or ') queued for' after the server handle";
    const size_t close = marker.close;
    session.queued = marker.queued;
    const size_t open = line.rfind('(', close);
    if (open == std::string_view::npos ||
        !read_handle(line.substr(open + 1, close - open - 1), session))
        return "unreadable (server/port handle)";
    const std::string_view before = trim_right(line.substr(0, open));
    const size_t version_open = before.rfind('(');
    if (before.empty() || before.back() != ')' || version_open == std::string_view::npos ||
        before.substr(version_open, 2) != "(v")
        return "no (vVERSION) before the server handle";
    session.version = before.substr(version_open + 2, before.size() - version_open - 3);
    if (!split_identity(trim(before.substr(0, version_open)), session))
        return "no user before the version";
    if (!session.queued)
        return read_start(line.substr(close + start_marker.size()), times, session);
    std::string_view rest = line.substr(close + queued_marker.size());
    if (!consume_license_count(rest, session.count) || !trim(rest).empty())
        return "unreadable 'queued for N licenses'";
    return nullptr;
}

} // namespace lmharvest::flexnet
