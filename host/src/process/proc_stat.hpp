// Parsing the text of /proc/PID files, split from reading them so tests feed strings.
#pragma once

#include "common/expected.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace lmharvest {

/// The fields of /proc/PID/stat the agent and the plugin workers use.
struct ProcStat {
    std::string comm; // between the first '(' and the last ')': a comm may hold both
    int64_t ppid = 0;
    uint64_t cpu_ticks = 0;   // utime + stime, in clock ticks (sysconf(_SC_CLK_TCK))
    uint64_t start_ticks = 0; // when it started, in clock ticks after boot (0: not in the
                              // line): a pid and its start are one process; a pid is reused
};

/// Parses one /proc/PID/stat line. Errors name the field that is missing or not a number.
Expected<ProcStat> parse_proc_stat(std::string_view text);

/// The real uid from /proc/PID/status (the first number of its `Uid:` line).
Expected<uint32_t> parse_status_uid(std::string_view text);

/// /proc/PID/cmdline for people: NULs between arguments become spaces, the trailing NUL goes,
/// and the result is cut at `limit` bytes. Bytes are kept as they are (not UTF-8 checked).
std::string command_line_text(std::string_view raw, std::size_t limit);

} // namespace lmharvest
