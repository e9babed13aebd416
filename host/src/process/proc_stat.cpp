#include "process/proc_stat.hpp"

#include <charconv>

namespace lmharvest {
namespace {

// The next space-separated field of `rest`, which it consumes.
std::string_view next_field(std::string_view& rest) {
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    const auto end = rest.find(' ');
    const auto field = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    return field;
}

template <class N> bool to_number(std::string_view text, N& out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

} // namespace

Expected<ProcStat> parse_proc_stat(std::string_view text) {
    // "PID (COMM) STATE PPID ...": COMM may contain spaces and parentheses, so it ends at the
    // LAST ')'. Fields after it, counted from 3 (state) as in proc(5).
    const auto open = text.find('(');
    const auto close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return unexpected(std::string("stat: no (comm) field"));
    ProcStat stat;
    stat.comm = std::string(text.substr(open + 1, close - open - 1));
    auto rest = text.substr(close + 1);
    uint64_t utime = 0;
    uint64_t stime = 0;
    for (int field = 3; field <= 22; ++field) {
        const auto value = next_field(rest);
        if (field == 4 && !to_number(value, stat.ppid))
            return unexpected("stat: field 4 (ppid) is not a number: '" + std::string(value) + "'");
        if (field == 14 && !to_number(value, utime))
            return unexpected(std::string("stat: field 14 (utime) is not a number"));
        if (field == 15 && !to_number(value, stime))
            return unexpected(std::string("stat: field 15 (stime) is not a number"));
        // The kernel always writes it; a line without it leaves 0, "unknown".
        if (field == 22 && !value.empty() && !to_number(value, stat.start_ticks))
            return unexpected(std::string("stat: field 22 (starttime) is not a number"));
    }
    stat.cpu_ticks = utime + stime;
    return stat;
}

Expected<uint32_t> parse_status_uid(std::string_view text) {
    std::size_t line_start = 0;
    while (line_start < text.size()) {
        auto line_end = text.find('\n', line_start);
        if (line_end == std::string_view::npos)
            line_end = text.size();
        auto line = text.substr(line_start, line_end - line_start);
        if (line.starts_with("Uid:")) {
            line.remove_prefix(4);
            while (!line.empty() && (line.front() == '\t' || line.front() == ' '))
                line.remove_prefix(1);
            const auto end = line.find_first_of("\t ");
            uint32_t uid = 0;
            if (!to_number(line.substr(0, end), uid))
                return unexpected(std::string("status: Uid is not a number"));
            return uid;
        }
        line_start = line_end + 1;
    }
    return unexpected(std::string("status: no Uid line"));
}

std::string command_line_text(std::string_view raw, std::size_t limit) {
    while (!raw.empty() && raw.back() == '\0')
        raw.remove_suffix(1);
    std::string text(raw.substr(0, limit));
    for (auto& c : text)
        if (c == '\0')
            c = ' ';
    return text;
}

} // namespace lmharvest
